"""Document numbering: the registry of numbered document types and the pattern language.

A later app declares each numbered document type once, in its ``AppConfig.ready()``::

    from guanxi.core.numbering import register_numbered_document
    register_numbered_document("crm.quote", label=_("Quote"), default_pattern="QT-{YYYY}-{seq:05}")

and takes a number inside the transaction that creates the document with
``guanxi.core.services.numbering.number_next(doc_type="crm.quote", company=company, on=date)``.
See docs/subsystems/numbering.md.

A pattern is literal text with parts in braces:

=========== ===========================================================
``{YYYY}``  the year of the document's date, four digits (2026)
``{YY}``    the year, two digits (26)
``{MM}``    the month, two digits (01-12)
``{DD}``    the day of the month, two digits (01-31)
``{seq}``   the sequence number, as is (1, 2, ... 42)
``{seq:N}`` the sequence number zero-padded to N digits, N from 1 to 12 (``{seq:05}``: 00042); a
            number that outgrows N digits keeps all its digits (123456)
=========== ===========================================================

Literal text is letters (any script), digits, ``-``, ``_`` and ``.``. ``{seq}`` appears exactly once;
each date part at most once. The sequence restarts (reset) every year, month or day, or never; a reset
needs the date parts that tell the periods apart (yearly: a year; monthly: year and month; daily: year,
month and day), so that a number is never issued twice.

This module is pure (no database): the services and the settings form use it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

PATTERN_MAX_LENGTH = 60
# Store document numbers in a CharField(max_length=NUMBER_MAX_LENGTH): a pattern is refused when its
# number with a one-digit sequence is longer than NUMBER_BASE_LENGTH, which leaves room for 8 more digits.
NUMBER_MAX_LENGTH = 40
NUMBER_BASE_LENGTH = NUMBER_MAX_LENGTH - 8
MAX_WIDTH = 12
DOC_TYPE_PATTERN = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"  # "app_label.name", e.g. "crm.quote"


class Reset(models.TextChoices):
    NEVER = "never", gettext_lazy("Never")
    YEARLY = "yearly", gettext_lazy("Every year")
    MONTHLY = "monthly", gettext_lazy("Every month")
    DAILY = "daily", gettext_lazy("Every day")


YEAR, YEAR2, MONTH, DAY, SEQ = "YYYY", "YY", "MM", "DD", "seq"
_TOKEN = re.compile(r"\{([^{}]*)\}")
_SEQ = re.compile(r"seq(?::(\d{1,2}))?")
_LITERAL = re.compile(r"[\w\-.]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Part:
    kind: str  # "text", YEAR, YEAR2, MONTH, DAY or SEQ
    text: str = ""  # the literal text of a "text" part
    width: int = 1  # the zero-padding of SEQ


@dataclass(frozen=True)
class Pattern:
    text: str
    parts: tuple[Part, ...]

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(p.kind for p in self.parts)

    def format(self, on: dt.date, seq: int) -> str:
        out = []
        for p in self.parts:
            if p.kind == "text":
                out.append(p.text)
            elif p.kind == SEQ:
                out.append(str(seq).zfill(p.width))
            elif p.kind == YEAR:
                out.append(f"{on.year:04d}")
            elif p.kind == YEAR2:
                out.append(f"{on.year % 100:02d}")
            elif p.kind == MONTH:
                out.append(f"{on.month:02d}")
            else:
                out.append(f"{on.day:02d}")
        return "".join(out)

    @property
    def regex(self) -> re.Pattern[str]:
        return _regex(self.text)

    def parse(self, number: str) -> dict[str, int] | None:
        """The parts of a number made with this pattern ({"YYYY": 2026, "seq": 42}); None if it does not
        match. Exactly one part has a variable width (the sequence), so a number parses one way only."""
        m = self.regex.fullmatch(number)
        if m is None:
            return None
        return {k: int(v) for k, v in m.groupdict().items()}

    def needs(self, reset: str) -> list[str]:
        """The date parts this pattern lacks for `reset` ([] when it has them all)."""
        year = {YEAR, YEAR2} & self.kinds
        missing = []
        if reset in (Reset.YEARLY, Reset.MONTHLY, Reset.DAILY) and not year:
            missing.append("{YYYY}")
        if reset in (Reset.MONTHLY, Reset.DAILY) and MONTH not in self.kinds:
            missing.append("{MM}")
        if reset == Reset.DAILY and DAY not in self.kinds:
            missing.append("{DD}")
        return missing

    @property
    def natural_reset(self) -> str:
        """The reset that the finest date part suggests: {DD} daily, {MM} monthly, a year yearly, else never."""
        if not self.needs(Reset.DAILY):
            return Reset.DAILY
        if not self.needs(Reset.MONTHLY):
            return Reset.MONTHLY
        if not self.needs(Reset.YEARLY):
            return Reset.YEARLY
        return Reset.NEVER


@lru_cache(maxsize=512)
def _regex(text: str) -> re.Pattern[str]:
    out = []
    for p in pattern_compile(text).parts:
        if p.kind == "text":
            out.append(re.escape(p.text))
        elif p.kind == SEQ:
            n = p.width
            out.append(rf"(?P<seq>\d{{{n}}}|[1-9]\d{{{n},}})" if n > 1 else r"(?P<seq>[1-9]\d*|0)")
        elif p.kind == MONTH:
            out.append(r"(?P<MM>0[1-9]|1[0-2])")
        elif p.kind == DAY:
            out.append(r"(?P<DD>0[1-9]|[12]\d|3[01])")
        else:
            out.append(rf"(?P<{p.kind}>\d{{{len(p.kind)}}})")
    return re.compile("".join(out))


@lru_cache(maxsize=512)
def pattern_compile(text: str) -> Pattern:
    """The pattern's parts; ValidationError with a message a person can act on when it is not valid."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(_("Enter a pattern, e.g. QT-{YYYY}-{seq:05}."), code="required")
    if len(text) > PATTERN_MAX_LENGTH:
        raise ValidationError(
            _("A pattern has at most %(max)d characters.") % {"max": PATTERN_MAX_LENGTH}, code="max_length"
        )
    if _CONTROL.search(text) or text != text.strip() or " " in text:
        raise ValidationError(_("A pattern has no spaces or control characters."), code="spaces")
    parts: list[Part] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        _literal(text[pos : m.start()], parts)
        parts.append(_token(m.group(1)))
        pos = m.end()
    _literal(text[pos:], parts)
    kinds = [p.kind for p in parts]
    if kinds.count(SEQ) != 1:
        raise ValidationError(
            _("Put the sequence number {seq} (or {seq:05} for 00042) exactly once in the pattern."),
            code="seq",
        )
    for kind in (YEAR, YEAR2, MONTH, DAY):
        if kinds.count(kind) > 1:
            raise ValidationError(_("Use {%(part)s} at most once.") % {"part": kind}, code="repeated")
    if YEAR in kinds and YEAR2 in kinds:
        raise ValidationError(_("Use either {YYYY} or {YY}, not both."), code="repeated")
    pattern = Pattern(text, tuple(parts))
    if len(pattern.format(dt.date(2026, 12, 31), 1)) > NUMBER_BASE_LENGTH:
        raise ValidationError(
            _("The numbers would be too long: at most %(max)d characters before the sequence grows.")
            % {"max": NUMBER_BASE_LENGTH},
            code="too_long",
        )
    return pattern


def _literal(text: str, parts: list[Part]) -> None:
    if not text:
        return
    if "{" in text or "}" in text:
        raise ValidationError(_("A brace { or } is not closed: parts are written {YYYY}."), code="brace")
    if not _LITERAL.fullmatch(text):
        bad = next(c for c in text if not _LITERAL.fullmatch(c))
        raise ValidationError(
            _("“%(char)s” cannot be part of a number: use letters, digits, - _ or .") % {"char": bad},
            code="character",
        )
    parts.append(Part("text", text))


def _token(inner: str) -> Part:
    if inner in (YEAR, YEAR2, MONTH, DAY):
        return Part(inner)
    m = _SEQ.fullmatch(inner)
    if m:
        width = int(m.group(1) or 1)
        if not 1 <= width <= MAX_WIDTH:
            raise ValidationError(
                _("Pad the sequence to 1 to %(max)d digits, e.g. {seq:05}.") % {"max": MAX_WIDTH},
                code="width",
            )
        return Part(SEQ, width=width)
    raise ValidationError(
        _("{%(part)s} is not a part of a pattern: use {YYYY}, {YY}, {MM}, {DD}, {seq} or {seq:05}.")
        % {"part": inner},
        code="token",
    )


def pattern_check(text: str, reset: str) -> Pattern:
    """The compiled pattern if it is valid and fits the reset; ValidationError naming the field otherwise."""
    try:
        pattern = pattern_compile(text)
    except ValidationError as exc:
        raise ValidationError({"pattern": exc.messages}) from None
    if reset not in Reset.values:
        raise ValidationError({"reset": _("Choose when the sequence starts again.")})
    missing = pattern.needs(reset)
    if missing:
        raise ValidationError(
            {
                "pattern": _(
                    "A sequence that starts again %(reset)s needs %(parts)s in the pattern, or the same "
                    "number would be issued twice."
                )
                % {"reset": str(Reset(reset).label).lower(), "parts": " ".join(missing)}
            }
        )
    return pattern


@dataclass(frozen=True)
class Period:
    key: str  # "" (never), "2026", "2026-11", "2026-11-03"
    starts_on: dt.date
    ends_on: dt.date  # exclusive (date.max for the last one)


def period_of(reset: str, on: dt.date) -> Period:
    """The period of `on` whose numbers share one counter."""
    if reset == Reset.YEARLY:
        start = dt.date(on.year, 1, 1)
        end = dt.date(on.year + 1, 1, 1) if on.year < dt.MAXYEAR else dt.date.max
        return Period(f"{on.year:04d}", start, end)
    if reset == Reset.MONTHLY:
        start = on.replace(day=1)
        if on.month == 12:
            end = dt.date(on.year + 1, 1, 1) if on.year < dt.MAXYEAR else dt.date.max
        else:
            end = start.replace(month=on.month + 1)
        return Period(f"{on.year:04d}-{on.month:02d}", start, end)
    if reset == Reset.DAILY:
        end = on + dt.timedelta(days=1) if on < dt.date.max else dt.date.max
        return Period(on.isoformat(), on, end)
    return Period("", dt.date.min, dt.date.max)


def period_keys(on: dt.date) -> dict[str, str]:
    """The counter key of `on` under each reset (the numbering service picks the one in force in SQL)."""
    return {r: period_of(r, on).key for r in Reset.values}


@dataclass(frozen=True)
class NumberedDocumentType:
    code: str  # "crm.quote"
    label: StrOrPromise  # lazy: shown in the language of the request
    default_pattern: str
    default_reset: str


_REGISTRY: dict[str, NumberedDocumentType] = {}


def register_numbered_document(
    code: str, *, label: StrOrPromise, default_pattern: str, reset: str | None = None
) -> NumberedDocumentType:
    """Declare a numbered document type (call from the app's AppConfig.ready()).

    `default_pattern` is the pattern every issuing company starts with (administrators change it per
    company in Settings → Document numbering); `reset` defaults to what the pattern's finest date part
    suggests. Registering the same type again with the same values is allowed; with others, an error.
    """
    if not re.fullmatch(DOC_TYPE_PATTERN, code or "") or len(code) > 60:
        raise ImproperlyConfigured(
            f"Numbered document type {code!r}: use 'app_label.name', e.g. 'crm.quote'."
        )
    try:
        pattern = pattern_compile(default_pattern)
        reset = reset or pattern.natural_reset
        pattern_check(default_pattern, reset)
    except ValidationError as exc:
        raise ImproperlyConfigured(
            f"Numbered document type {code!r}: default pattern {default_pattern!r}: {'; '.join(exc.messages)}"
        ) from None
    doc_type = NumberedDocumentType(code, label, default_pattern, reset)
    known = _REGISTRY.get(code)
    if known is not None and (known.default_pattern, known.default_reset) != (default_pattern, reset):
        raise ImproperlyConfigured(f"Numbered document type {code!r} is already registered differently.")
    _REGISTRY[code] = doc_type
    return doc_type


def numbered_document_types() -> list[NumberedDocumentType]:
    return sorted(_REGISTRY.values(), key=lambda t: t.code)


def numbered_document_type(code: str) -> NumberedDocumentType | None:
    return _REGISTRY.get(code)


def unregister_numbered_document(code: str) -> None:
    """For tests that register a type of their own."""
    _REGISTRY.pop(code, None)
