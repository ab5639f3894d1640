"""Modules stay small enough to read: split one before it passes 400 lines (docs/architecture.md,
Guardrails). Migrations are generated and left out."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MAX_LINES = 400


def test_no_module_is_over_the_limit():
    too_long, checked = {}, 0
    for folder in ("guanxi", "config", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            checked += 1
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long[str(path.relative_to(ROOT))] = lines
    assert checked > 100  # the walk found the source tree
    assert too_long == {}, f"split these modules (at most {MAX_LINES} lines each): {too_long}"
