"""How an audit entry reads to a person: field labels, choice labels, Yes/No, lists joined — translated."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Keys that are not model fields (lists and links the services record).
EXTRA_LABELS = {
    "identifiers": gettext_lazy("Identifiers"),
    "phones": gettext_lazy("Phones"),
    "emails": gettext_lazy("Emails"),
    "tags": gettext_lazy("Tags"),
    "contacts": gettext_lazy("Contacts"),
    "organizations": gettext_lazy("Organizations"),
    "organization": gettext_lazy("Organization"),
    "roles": gettext_lazy("Roles"),
    "teams": gettext_lazy("Teams"),
    "archived": gettext_lazy("Archived"),
    "address": gettext_lazy("Address"),
    "password": gettext_lazy("Password"),
    "api_token": gettext_lazy("API token"),
    "api_token_revoked": gettext_lazy("API token revoked"),
    "api_token_expires": gettext_lazy("API token expires on"),
}


@dataclass
class ChangeLine:
    label: str
    old: str | None
    new: str | None


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _value(field, value) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def change_lines(entry) -> list[ChangeLine]:
    model = _model(entry.target_type)
    lines = []
    for key, pair in (entry.changes or {}).items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        name, _sep, qualifier = key.partition("@")
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        if field is not None and hasattr(field, "verbose_name"):
            label = str(field.verbose_name)
            label = label[:1].upper() + label[1:]
        else:
            label = str(EXTRA_LABELS.get(name, name.replace("_", " ").capitalize()))
        if qualifier:
            label = f"{label} ({qualifier})"
        lines.append(ChangeLine(label, _value(field, old), _value(field, new)))
    return lines
