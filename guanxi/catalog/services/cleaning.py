"""Checks shared by the catalogue's services: one message per field, collected into one ValidationError."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text as text  # noqa: F401  (the catalogue's services import it from here)


def flag(errors: dict, field: str, value: Any) -> bool:
    """A yes/no value from a form, JSON or an import cell (yes/no, true/false, 1/0, 是/否)."""
    if isinstance(value, bool):
        return value
    word = str(value or "").strip().casefold()
    if word in ("1", "true", "yes", "y", "是", "x", "✓"):
        return True
    if word in ("", "0", "false", "no", "n", "否"):
        return False
    errors[field] = _("Enter yes or no.")
    return False
