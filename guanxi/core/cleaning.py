"""Cleaning text that users type, shared by every app's services: one message per field, collected into the
`errors` dict that the service raises as one ValidationError."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

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
