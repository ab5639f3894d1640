"""The Simplified Chinese catalog is complete, current and compiled.

Every string marked for translation in the source must have a reviewed zh-Hans translation:

* the committed ``django.po`` has no empty and no fuzzy entry, and keeps every placeholder;
* the ``django.po`` lists exactly the msgids that ``makemessages`` finds in the source today
  (run in a temporary copy of the source, so the committed catalog is never touched);
* the committed ``django.mo`` holds the same translations as the ``django.po`` (it was recompiled);
* pages and plural forms really come out in Chinese.

To fix a failure, from the repository root::

    .venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=data --no-obsolete
    # translate the new or fuzzy entries in guanxi/locale/zh_Hans/LC_MESSAGES/django.po, remove "#, fuzzy"
    .venv/bin/python manage.py compilemessages -l zh_Hans --ignore=.venv
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

REPO = Path(settings.BASE_DIR)
LOCALE_DIR = REPO / "guanxi" / "locale"
PO_PATH = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# What makemessages scans, mirroring the documented command run from the repository root.
SOURCE_DIRS = ["guanxi", "config"]
FIX = (
    "Run `.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=data "
    "--no-obsolete`, translate the entries, then `.venv/bin/python manage.py compilemessages -l zh_Hans "
    "--ignore=.venv`."
)

# --- A minimal PO reader (the product must not depend on polib) -------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), s)


class PoEntry:
    def __init__(self) -> None:
        self.flags: set[str] = set()
        self.references: list[str] = []
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr: dict[int, str] = {}  # singular entries use index 0
        self.obsolete = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def label(self) -> str:
        where = f"  ({self.references[0]})" if self.references else ""
        ctx = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"{ctx}{self.msgid!r}{where}"


def read_po(path: Path) -> list[PoEntry]:
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    field: tuple[str, int | None] | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, field = None, None
            continue
        if entry is None:
            entry = PoEntry()
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#:"):
            entry.references += line[2:].split()
        elif line.startswith("#"):
            continue
        elif m := _KEYWORD.match(line):
            keyword, index, value = m.group(1), m.group(2), _unescape(m.group(3))
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry.msgstr[field[1]] = value
            else:
                field = (keyword, None)
                setattr(entry, keyword, value)
        elif line.startswith('"') and line.endswith('"') and field is not None:
            value = _unescape(line[1:-1])
            if field[0] == "msgstr":
                entry.msgstr[field[1]] += value
            else:
                setattr(entry, field[0], getattr(entry, field[0]) + value)
        else:
            raise AssertionError(f"{path}:{lineno}: cannot read this line: {raw!r}")
    return [e for e in entries if not e.obsolete]


_PLACEHOLDER = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> list[str]:
    """Named placeholders (order-free) plus positional ones (in order); ``%%`` is not a placeholder."""
    named, positional = [], []
    for name, conversion in _PLACEHOLDER.findall(text):
        if conversion == "%":
            continue
        if name:
            named.append(f"%({name}){conversion}")
        else:
            positional.append(f"%{conversion}")
    return sorted(named) + positional


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def _bullets(lines) -> str:
    return "".join(f"\n  - {line}" for line in lines)


@pytest.fixture(scope="module")
def committed() -> list[PoEntry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing. {FIX}"
    return read_po(PO_PATH)


@pytest.fixture(scope="module")
def gettext_tools() -> None:
    missing = [
        tool for tool in ("xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt") if not shutil.which(tool)
    ]
    assert not missing, (
        f"GNU gettext is needed for the translation checks (missing: {', '.join(missing)}). Install the Debian package 'gettext'."
    )


# --- The committed catalog -------------------------------------------------------------------------


def test_every_message_has_a_reviewed_translation(committed):
    header = next((e for e in committed if e.is_header), None)
    assert header is not None, f"{PO_PATH} has no header entry."
    assert "nplurals=1; plural=0;" in header.msgstr.get(0, ""), (
        "The zh_Hans header needs 'Plural-Forms: nplurals=1; plural=0;'."
    )

    untranslated, fuzzy, bad_plurals = [], [], []
    for e in committed:
        if "fuzzy" in e.flags:
            fuzzy.append("(header)" if e.is_header else e.label())
        if e.is_header:
            continue
        if not e.msgstr or not all(e.msgstr.values()):
            untranslated.append(e.label())
        if e.msgid_plural is not None and sorted(e.msgstr) != [0]:
            bad_plurals.append(f"{e.label()} has msgstr{sorted(e.msgstr)}; zh_Hans needs exactly msgstr[0]")

    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} zh-Hans message(s) are not translated:{_bullets(untranslated)}")
    if fuzzy:
        problems.append(
            f"{len(fuzzy)} zh-Hans message(s) are marked fuzzy (gettext ignores them until reviewed; "
            f"check the translation and delete the '#, fuzzy' line):{_bullets(fuzzy)}"
        )
    if bad_plurals:
        problems.append(f"Plural entries with the wrong number of forms:{_bullets(bad_plurals)}")
    assert not problems, f"{_rel(PO_PATH)}:\n" + "\n".join(problems) + f"\n{FIX}"


def test_translations_keep_every_placeholder(committed):
    wrong = []
    for e in committed:
        if e.is_header or "python-format" not in e.flags:
            continue
        for index, text in e.msgstr.items():
            # zh_Hans has one form, used for singular and plural alike: it follows the plural msgid.
            expected = placeholders(e.msgid if e.msgid_plural is None else e.msgid_plural)
            if text and placeholders(text) != expected:
                wrong.append(
                    f"{e.label()}: msgstr[{index}] {text!r} has {placeholders(text)}, expected {expected}"
                )
    assert not wrong, "Translations must keep the placeholders of their msgid:" + _bullets(wrong)


# --- The catalog is up to date with the source ------------------------------------------------------


@pytest.mark.once
def test_catalog_lists_exactly_the_strings_in_the_source(committed, gettext_tools, tmp_path, monkeypatch):
    """makemessages runs in a copy of the source (so the committed catalog is never rewritten)."""
    copy_ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "locale", ".*")
    for name in SOURCE_DIRS:
        shutil.copytree(REPO / name, tmp_path / name, ignore=copy_ignore)
    for path in REPO.glob("*.py"):
        shutil.copy2(path, tmp_path / path.name)
    fresh_locale = tmp_path / "guanxi" / "locale"
    fresh_locale.mkdir()

    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(fresh_locale)]):
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            ignore_patterns=[".venv", "bench", "data"],
            no_obsolete=True,
            verbosity=0,
        )
    fresh_po = fresh_locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert fresh_po.exists(), f"makemessages wrote nothing to {fresh_locale}"
    found = {e.key: e for e in read_po(fresh_po) if not e.is_header}
    listed = {e.key: e for e in committed if not e.is_header}

    missing = [found[k].label() for k in found if k not in listed]
    obsolete = [listed[k].label() for k in listed if k not in found]
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} string(s) in the source are not in the zh-Hans catalog (it is out of date):"
            + _bullets(sorted(missing))
        )
    if obsolete:
        problems.append(
            f"{len(obsolete)} catalog entr(y/ies) no longer appear in the source:"
            + _bullets(sorted(obsolete))
        )
    assert not problems, "\n".join(problems) + f"\n{FIX}"


_IN_FSTRING = re.compile(r"\b(_|gettext|ngettext|pgettext|npgettext|gettext_lazy|gettext_noop)\(")


@pytest.mark.once
def test_no_message_is_marked_inside_an_f_string():
    """xgettext does not read (on Python 3.11 an f-string is one token: what this reads) an f-string's braces: f"{_('lowest')}" never reaches the catalog, and the page
    shows English in Chinese (the comparison table's "lowest" did). Mark the text first, then format."""
    import io
    import tokenize

    found = []
    for path in sorted((REPO / "guanxi").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            prefix = tok.string[: tok.string.find(tok.string.lstrip("rRbBuUfF")[:1])].lower()
            if tok.type == tokenize.STRING and "f" in prefix and _IN_FSTRING.search(tok.string):
                found.append(f"{path.relative_to(REPO)}:{tok.start[0]}")
    assert found == []


def test_compiled_catalog_matches_the_po_file(gettext_tools, tmp_path):
    assert MO_PATH.exists(), f"{_rel(MO_PATH)} is missing. {FIX}"
    fresh_mo = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh_mo), str(PO_PATH)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"msgfmt rejects {_rel(PO_PATH)}:\n{result.stderr}"

    def catalog(path: Path) -> dict:
        with path.open("rb") as fp:
            messages = dict(gettext.GNUTranslations(fp)._catalog)
        messages.pop("", None)  # the header (its POT-Creation-Date changes on every makemessages run)
        return messages

    expected, actual = catalog(fresh_mo), catalog(MO_PATH)
    stale = sorted(
        repr(k if isinstance(k, str) else k[0])
        for k in expected.keys() | actual.keys()
        if expected.get(k) != actual.get(k)
    )
    assert not stale, (
        f"{_rel(MO_PATH)} is stale: {len(stale)} message(s) differ from django.po:"
        + _bullets(sorted(set(stale)))
        + "\nRun `.venv/bin/python manage.py compilemessages -l zh_Hans --ignore=.venv`."
    )


# --- Chinese really reaches the screen --------------------------------------------------------------


def test_login_page_follows_the_browser_language(client):
    zh = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert zh.status_code == 200
    page = zh.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "Log in" not in page
    assert "用户名" in page and "密码" in page  # Django's own form labels come in Chinese too

    en = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in" in en.content.decode() and "登录" not in en.content.decode()


def test_language_cookie_selects_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录" in page


def test_plural_and_placeholders_render_in_chinese():
    template = Template(
        "{% load i18n %}{% blocktranslate count n=count %}{{ n }} record{% plural %}{{ n }} records{% endblocktranslate %}"
    )
    with translation.override("zh-hans"):
        assert template.render(Context({"count": 1})) == "1 条记录"
        assert template.render(Context({"count": 5})) == "5 条记录"
        assert translation.gettext("Customers") == "客户"
        assert translation.gettext("Suppliers") == "供应商"
    with translation.override("en"):
        assert template.render(Context({"count": 5})) == "5 records"
