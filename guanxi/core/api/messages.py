"""Pydantic's field messages in the caller's language: each error type gets a gettext message (with its
numbers), so a zh-Hans request never gets English details."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _choices(ctx: dict) -> str:
    """pydantic's `expected` ("'a', 'b' or 'c'") as a list without English words."""
    expected = str(ctx.get("expected", ""))
    return ", ".join(_QUOTED.findall(expected)) or expected


def _count(ctx: dict, key: str) -> int:
    try:
        return int(ctx.get(key, 0))
    except (TypeError, ValueError):
        return 0


def _text_length(kind: str, ctx: dict) -> str:
    if kind == "string_too_short":
        n = _count(ctx, "min_length")
        return ngettext("Use at least %(count)d character.", "Use at least %(count)d characters.", n) % {
            "count": n
        }
    n = _count(ctx, "max_length")
    return ngettext("Use at most %(count)d character.", "Use at most %(count)d characters.", n) % {"count": n}


def _list_length(kind: str, ctx: dict) -> str:
    if kind == "too_short":
        n = _count(ctx, "min_length")
        return ngettext("Send at least %(count)d item.", "Send at least %(count)d items.", n) % {"count": n}
    n = _count(ctx, "max_length")
    return ngettext("Send at most %(count)d item.", "Send at most %(count)d items.", n) % {"count": n}


def _bound(kind: str, ctx: dict) -> str:
    limits = {
        "greater_than_equal": ("ge", _("Enter a number greater than or equal to %(limit)s.")),
        "greater_than": ("gt", _("Enter a number greater than %(limit)s.")),
        "less_than_equal": ("le", _("Enter a number less than or equal to %(limit)s.")),
        "less_than": ("lt", _("Enter a number less than %(limit)s.")),
    }
    key, message = limits[kind]
    return message % {"limit": ctx.get(key, "")}


_FIXED = {
    "missing": lambda: _("This field is required."),
    "extra_forbidden": lambda: _("Unknown field: check its name."),
    "string_type": lambda: _("Send text (a JSON string)."),
    "string_pattern_mismatch": lambda: _("Enter a value in the expected format."),
    "string_unicode": lambda: _("Send valid Unicode text."),
    "int_type": lambda: _("Enter a whole number."),
    "int_parsing": lambda: _("Enter a whole number."),
    "int_from_float": lambda: _("Enter a whole number."),
    "int_parsing_size": lambda: _("Enter a smaller whole number."),
    "bool_type": lambda: _("Enter true or false."),
    "bool_parsing": lambda: _("Enter true or false."),
    "list_type": lambda: _("Send a list."),
    "dict_type": lambda: _("Send an object."),
    "model_type": lambda: _("Send an object."),
    "model_attributes_type": lambda: _("Send an object."),
    "none_required": lambda: _("Send null."),
    "datetime_type": lambda: _("Enter a date and time (ISO 8601)."),
    "datetime_parsing": lambda: _("Enter a date and time (ISO 8601)."),
    "datetime_from_date_parsing": lambda: _("Enter a date and time (ISO 8601)."),
    "date_type": lambda: _("Enter a date (YYYY-MM-DD)."),
    "date_parsing": lambda: _("Enter a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": lambda: _("Enter a date (YYYY-MM-DD)."),
    "decimal_type": lambda: _("Enter a number."),
    "decimal_parsing": lambda: _("Enter a number."),
    "float_type": lambda: _("Enter a number."),
    "float_parsing": lambda: _("Enter a number."),
    "finite_number": lambda: _("Enter a number."),
}


def field_message(error: dict) -> str:
    """One pydantic error (`ValidationError.errors()` item) as a message in the active language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _FIXED:
        return _FIXED[kind]()
    if kind in ("string_too_short", "string_too_long"):
        return _text_length(kind, ctx)
    if kind in ("too_short", "too_long"):
        return _list_length(kind, ctx)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound(kind, ctx)
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": _choices(ctx)}
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])  # our own validators' messages are already translated
    return _("This value is not valid.")
