"""Settings → Web forms for leads (pipeline.manage): create and change a company's public lead forms."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.models import Team
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.core.services.money import lock
from guanxi.crm.models import WebForm
from guanxi.crm.services.leads import _owner
from guanxi.crm.services.pipelines import require_manager

FIELDS = ["name", "owner", "team", "campaign", "embed_origins", "active"]


def _origins(errors: dict, value: Any) -> str:
    """ "https://a.example.com http://b.example" → one origin per line; anything else is an error."""
    out = []
    for item in re.split(r"[\s,]+", str(value or "").strip()):
        if not item:
            continue
        parts = urlsplit(item)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
        ):
            errors["embed_origins"] = _("“%(value)s” is not a web address like https://www.example.com.") % {
                "value": item[:60]
            }
            return ""
        out.append(f"{parts.scheme}://{parts.netloc.lower()}")
    text = "\n".join(dict.fromkeys(out))
    if len(text) > 500:
        errors["embed_origins"] = _("At most %(n)d characters.") % {"n": 500}
    return text


@transaction.atomic
def web_form_save(*, actor, form: WebForm | None, data: dict, version: Any = None) -> WebForm:
    require_manager(actor)
    w = lock(WebForm, form, version) if form is not None else WebForm()
    before = snapshot(w, FIELDS) if form is not None else {}
    errors: dict = {}
    w.name = clean_text(errors, "name", data.get("name"), max_length=100, required=True)
    w.campaign = clean_text(errors, "campaign", data.get("campaign", ""), max_length=100)
    w.embed_origins = _origins(errors, data.get("embed_origins", ""))
    w.active = bool(data.get("active"))
    w.owner = _owner(errors, actor, data["owner"]) if data.get("owner") not in (None, "") else None
    team = data.get("team")
    w.team = Team.objects.filter(pk=team).first() if team not in (None, "") else None
    if team not in (None, "") and w.team is None:
        errors["team"] = _("Choose a team.")
    if w.owner is None and w.team is None and not {"owner", "team"} & set(errors):
        errors["team"] = _(
            "Choose the team (or the owner) its leads go to: nobody could follow them up otherwise."
        )
    if errors:
        raise ValidationError(errors)
    if form is not None:
        w.version += 1
    w.save()
    changes = diff(before, snapshot(w, FIELDS))
    if changes:
        audit_record(
            actor=actor, action=AuditAction.UPDATE if form else AuditAction.CREATE, target=w, changes=changes
        )
    return w
