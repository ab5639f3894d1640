"""Cleaning text that users type, shared by every app's services: one message per field, collected into the
`errors` dict that the service raises as one ValidationError."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(
    errors: dict, field: str, value: Any, *, max_length: int, multiline: bool = False, required: bool = False
) -> str:
    """NFC text, spaces collapsed (a multi-line text keeps its lines); control characters are an error."""
    raw = unicodedata.normalize("NFC", "" if value is None else str(value))
    if _CONTROL.search(raw) or (not multiline and ("\n" in raw.strip() or "\t" in raw.strip())):
        errors[field] = _("Remove the control characters from this text.")
        return ""
    if multiline:
        out = "\n".join(" ".join(line.split()) for line in raw.strip().replace("\r\n", "\n").split("\n"))
    else:
        out = " ".join(raw.split())
    if len(out) > max_length:
        errors[field] = _("At most %(n)d characters.") % {"n": max_length}
    elif required and not out:
        errors[field] = _("This field is required.")
    return out


def small_int(value: Any) -> int | None:
    """An id as typed or posted, or None when it is not one (a forged 25-digit value is not a 500)."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or len(text) > 15:
        return None
    return int(text)


def clean_number(
    errors: dict, key: str, value: Any, *, places: int, low: Decimal, high: Decimal, positive: bool = False
) -> Decimal | None:
    """A Decimal with at most `places` decimals within [low, high] (above zero when `positive`), or None with
    the message in `errors[key]`."""
    from guanxi.core.money import to_decimal

    try:
        d = to_decimal(value)
    except (ValidationError, TypeError, ValueError, ArithmeticError):
        errors[key] = _("Enter a number.")
        return None
    if d.as_tuple().exponent < -places:  # type: ignore[operator]
        errors[key] = _("At most %(n)d decimal places.") % {"n": places}
    elif (positive and d <= 0) or d < low or d > high:
        errors[key] = (
            _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            if not positive
            else _("Enter a quantity above zero.")
        )
    else:
        return d
    return None


def clean_date(errors: dict, key: str, value: Any, *, required: bool = False) -> dt.date | None:
    """A business date from a date or "YYYY-MM-DD" (years 1900–2200), or None (empty, or the message in
    `errors[key]`)."""
    if value in (None, ""):
        if required:
            errors[key] = _("This field is required.")
        return None
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
        if not 1900 <= day.year <= 2200:
            raise ValueError
    except ValueError:
        errors[key] = _("Enter a date (YYYY-MM-DD).")
        return None
    return day


def clean_datetime(errors: dict, key: str, value: Any, *, required: bool = False) -> dt.datetime | None:
    """A moment from a datetime or ISO text ("YYYY-MM-DDTHH:MM", as a datetime-local field posts it, or with
    an offset); without an offset it is in the current time zone. None when empty or wrong (the message in
    `errors[key]`)."""
    from django.utils import timezone

    if value in (None, ""):
        if required:
            errors[key] = _("This field is required.")
        return None
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value).strip())
        if not 1900 <= moment.year <= 2200:
            raise ValueError
    except ValueError:
        errors[key] = _("Enter a date and time (YYYY-MM-DD HH:MM).")
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
