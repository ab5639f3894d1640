"""Tags: create, rename/recolour, delete. Every change is audited."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, audit_records_bulk, diff
from guanxi.parties.models import Party, Tag
from guanxi.parties.permissions import Action
from guanxi.parties.validation import clean_text


def _require(actor) -> None:
    grants = grants_for(actor)
    if not (grants.can(Action.TAG_MANAGE) or grants.can(Action.PARTY_CREATE)):
        raise PermissionDeniedError()


def _name_taken(name: str, *, exclude_pk: int | None) -> bool:
    same = Tag.objects.filter(name__iexact=name)
    if exclude_pk is not None:  # the tag being renamed
        same = same.exclude(pk=exclude_pk)
    return same.exists()


def _clean(name: str, color: str, *, exclude_pk: int | None = None) -> tuple[str, str]:
    errors = {}
    try:
        name = clean_text(name)
    except ValidationError as exc:
        errors["name"] = exc.messages[0]
    if "name" not in errors:
        if not name:
            errors["name"] = _("This field is required.")
        elif len(name) > 50:
            errors["name"] = _("Use at most 50 characters.")
        elif _name_taken(name, exclude_pk=exclude_pk):
            errors["name"] = _("A tag with this name already exists.")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color or ""):
        errors["color"] = _("Use a colour like #1d4ed8.")
    if errors:
        raise ValidationError(errors)
    return name, color.lower()


def require_may_edit(*, actor, tag: Tag | None) -> None:
    """Creating a tag needs party creation or tag management; changing a shared one needs management."""
    if tag is None:
        _require(actor)
    elif not grants_for(actor).can(Action.TAG_MANAGE):
        raise PermissionDeniedError(_("Only users who manage tags may rename or recolour them."))


@transaction.atomic
def tag_create(*, actor, name: str, color: str = "#64748b") -> Tag:
    _require(actor)
    name, color = _clean(name, color)
    tag = Tag.objects.create(name=name, color=color)
    audit_record(actor=actor, action=AuditAction.CREATE, target=tag, changes={"name": [None, name]})
    return tag


@transaction.atomic
def tag_update(*, actor, tag: Tag, name: str, color: str) -> Tag:
    """Rename or recolour a shared tag: it changes every party carrying it, so it needs tag management."""
    require_may_edit(actor=actor, tag=tag)
    name, color = _clean(name, color, exclude_pk=tag.pk)
    before = {"name": tag.name, "color": tag.color}
    tag.name, tag.color = name, color
    tag.save()
    changes = diff(before, {"name": name, "color": color})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=tag, changes=changes)
    return tag


@transaction.atomic
def tag_delete(*, actor, tag: Tag) -> int:
    """Delete a tag and take it off every party; returns how many parties had it.

    Each of those parties changes: its history says the tag was removed (one INSERT for all of them) and
    its version goes up, so a form opened on it before gets a conflict instead of saving the old tags."""
    if not grants_for(actor).can(Action.TAG_MANAGE):
        raise PermissionDeniedError()
    pk, name = tag.pk, tag.name
    carriers = list(Party.objects.filter(tags=tag).only("id", "name"))
    count = len(carriers)
    Party.objects.filter(tags=tag).update(version=F("version") + 1, updated_at=timezone.now())
    audit_records_bulk(
        actor=actor, action=AuditAction.UPDATE, targets=carriers, changes={"tags": [name, None]}
    )
    tag.delete()
    tag.pk = pk
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        target=tag,
        changes={"name": [name, None], "parties": [count, 0]},
    )
    return count
