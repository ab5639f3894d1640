"""Content-Security-Policy: the header on every page, and templates that need nothing it forbids."""

import json
import re
from pathlib import Path

import pytest

import guanxi

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

# Templates another change is rewriting, allowed inline code until then. The lead empties this set;
# keep it empty: a template listed here that has become clean fails the test below, so it cannot linger.
TEMPLATES_PENDING_CSP_CLEANUP: set[str] = set()

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE_ATTR = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# htmx attributes that run code (hx-on:*, js: in hx-vals) need eval, which the policy forbids.
HTMX_EVAL = re.compile(r"\shx-on[:-]|\s(?:hx|data-hx)-vals\s*=\s*['\"]\s*(?:js|javascript):", re.IGNORECASE)


def template_files() -> list[Path]:
    """The templates of pages. E-mails (templates/<app>/emails/) are read by mail clients, not under this
    policy, and need inline styles."""
    root = Path(guanxi.__file__).parent
    return sorted(p for p in root.glob("*/templates/**/*.html") if "emails" not in p.parts)


def inline_code(text: str) -> list[str]:
    problems = []
    for name, pattern in [
        ("inline event handler (on…=)", INLINE_HANDLER),
        ("style= attribute", INLINE_STYLE_ATTR),
        ("<style> element", STYLE_ELEMENT),
        ("htmx code attribute", HTMX_EVAL),
    ]:
        problems += [f"{name}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    problems += [
        f"<script> without src: {m.group(0)}" for m in SCRIPT.finditer(text) if "src=" not in m.group(1)
    ]
    return problems


def test_the_scanner_finds_what_it_looks_for():
    bad = """<button onclick="x()">a</button><p style="color:red">b</p><style>p{}</style>
    <script>alert(1)</script><div hx-on:click="x()"></div><SELECT ONCHANGE='y'>"""
    assert len(inline_code(bad)) == 6
    good = """<script src="/static/a.js" defer></script><p class="online" data-style="x">
    <a data-confirm="Delete?" href="?on=1">on</a> <span data-color="#fff">styled</span>"""
    assert inline_code(good) == []


def test_templates_have_no_inline_scripts_handlers_or_styles():
    found = {}
    for path in template_files():
        rel = str(path.relative_to(Path(guanxi.__file__).parent))
        problems = inline_code(path.read_text())
        if problems and rel not in TEMPLATES_PENDING_CSP_CLEANUP:
            found[rel] = problems
        if not problems and rel in TEMPLATES_PENDING_CSP_CLEANUP:
            found[rel] = ["is clean now: remove it from TEMPLATES_PENDING_CSP_CLEANUP"]
    assert len(template_files()) > 20
    assert found == {}


def parse_policy(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/parties/", "/settings/tokens/", "/no-such-page/"])
def test_every_page_sends_the_policy(client, admin_user, path):
    if path != "/login/":
        client.force_login(admin_user)
    response = client.get(path)
    assert response["Content-Type"].startswith("text/html")
    assert parse_policy(response["Content-Security-Policy"]) == EXPECTED_POLICY


@pytest.mark.django_db
def test_htmx_is_configured_for_the_policy(client):
    html = client.get("/login/").content.decode()
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', html)
    assert meta, "base.html must configure htmx"
    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False  # htmx would inject a <style> element
    assert config["allowEval"] is False
