"""Writes of opportunities: create, update, move to a stage (the board's drag and drop), win, lose, reopen.

Each is one transaction with its audit entry, on the opportunity's history and its customer's
(`audit_record(..., also=[customer])`); edits and moves carry the version the user saw (409 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.crm.choices import StageKind
from guanxi.crm.fields import AUDITED, EDITABLE
from guanxi.crm.models import LostReason, Opportunity, OpportunityContact, Stage
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import opportunities as sel
from guanxi.crm.services.cleaning import clean_opportunity

_SCALAR_AUDIT = [f for f in AUDITED]


def _snapshot(o: Opportunity) -> dict:
    data = snapshot(o, _SCALAR_AUDIT)
    if o.pk:
        data["members"] = sorted(str(u) for u in o.members.all())
        data["contacts"] = sorted(
            f"{c.contact} ({c.get_role_display()})" for c in o.contact_roles.select_related("contact")
        )
    return data


def require_changer(actor) -> None:
    if not grants_for(actor).can(Action.OPPORTUNITY_CHANGE):
        raise PermissionDeniedError()


def _lock(o: Opportunity, version: Any) -> Opportunity:
    if version is None or version == "":
        raise ValidationError({"version": _("Reload the opportunity and try again: the version is missing.")})
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("Reload the opportunity and try again.")}) from exc
    # The row alone: with a join in the locking query, PostgreSQL re-checks the join after waiting for a
    # concurrent move, against the stage it had read before, and finds no row at all (DoesNotExist, not 409).
    current = Opportunity.objects.select_for_update().get(pk=o.pk)
    if current.version != seen:
        raise ConflictError()
    return current


def _editable(actor, o: Opportunity) -> None:
    require_changer(actor)
    sel.opportunity_get(actor=actor, pk=o.pk, mode="edit")  # 404 / 403


def _set_many(o: Opportunity, data: dict) -> None:
    if "members" in data:
        o.members.set(data["members"])
    if "contacts" in data:
        o.contact_roles.all().delete()
        OpportunityContact.objects.bulk_create(
            OpportunityContact(opportunity=o, contact=c, role=role) for c, role in data["contacts"]
        )


def _audit(actor, action: str, o: Opportunity, changes: dict) -> None:
    if changes:
        audit_record(actor=actor, action=action, target=o, changes=changes, also=[o.customer])


@transaction.atomic
def opportunity_create(*, actor, data: dict) -> Opportunity:
    """A new opportunity in a pipeline's stage (default: the first open stage of the first pipeline), owned by
    the actor unless another owner is given; its team is the owner's first team."""
    require_changer(actor)
    o = Opportunity(created_by=actor if isinstance(actor, User) else None)
    clean = clean_opportunity(actor=actor, opportunity=o, data=data, creating=True)
    o.stage_changed_at = timezone.now()
    _enter_stage(
        o, clean["stage"], lost_reason=clean.get("lost_reason"), lost_note=clean.get("lost_note", "")
    )
    o.save()
    _set_many(o, clean)
    _audit(actor, AuditAction.CREATE, o, diff({}, _snapshot(o)))
    return o


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, version: Any, data: dict) -> Opportunity:
    """Change the fields given in `data` (the others stay as they are)."""
    _editable(actor, opportunity)
    o = _lock(opportunity, version)
    before = _snapshot(o)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    clean = clean_opportunity(actor=actor, opportunity=o, data=data, creating=False)
    if o.state == StageKind.WON and o.amount is None:
        raise ValidationError({"amount": _("A won opportunity keeps its amount.")})
    o.version += 1
    o.save()
    _set_many(o, clean)
    changes = diff(before, _snapshot(o))
    if changes:
        _audit(actor, AuditAction.UPDATE, o, changes)
    else:
        o.version -= 1
        Opportunity.objects.filter(pk=o.pk).update(version=o.version)
    return o


def _enter_stage(
    o: Opportunity, stage: Stage, *, lost_reason: LostReason | None = None, lost_note: str = ""
) -> None:
    """Put `o` in `stage` with the rules of its kind (won needs an amount, lost a reason)."""
    if stage.kind == StageKind.WON and o.amount is None:
        raise ValidationError({"amount": _("Enter the amount before winning the opportunity.")})
    if stage.kind == StageKind.LOST:
        if lost_reason is None:
            raise ValidationError({"lost_reason": _("Say why the opportunity was lost.")})
        o.lost_reason, o.lost_note = lost_reason, lost_note
    else:
        o.lost_reason, o.lost_note = None, ""
    if o.stage_id != stage.pk:
        o.stage_changed_at = timezone.now()
    o.stage, o.pipeline_id, o.state = stage, stage.pipeline_id, stage.kind
    if stage.kind != StageKind.OPEN:
        # Closing decides the probability (100 % or 0 %); a reopened one starts again from its stage's.
        o.probability, o.probability_set = stage.probability, False
        o.closed_on = o.closed_on or timezone.localdate()
    else:
        o.closed_on = None
        if not o.probability_set:
            o.probability = stage.probability


def _stage_of(o: Opportunity, stage: Stage | int | str | None) -> Stage:
    try:
        pk = stage.pk if isinstance(stage, Stage) else int(stage)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"stage": _("Choose a stage.")}) from exc
    found = Stage.objects.filter(pk=pk, pipeline_id=o.pipeline_id, archived_at__isnull=True).first()
    if found is None:
        raise ValidationError({"stage": _("Choose a stage of this opportunity's pipeline.")})
    return found


def _lost_reason(value) -> LostReason | None:
    if value in (None, ""):
        return None
    try:
        pk = value.pk if isinstance(value, LostReason) else int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"lost_reason": _("Choose a lost reason.")}) from exc
    reason = LostReason.objects.filter(pk=pk, archived_at__isnull=True).first()
    if reason is None:
        raise ValidationError({"lost_reason": _("Choose a lost reason.")})
    return reason


@transaction.atomic
def opportunity_move(
    *,
    actor,
    opportunity: Opportunity,
    stage: Stage | int | str,
    version: Any,
    lost_reason: LostReason | int | str | None = None,
    lost_note: str = "",
) -> Opportunity:
    """Move an open opportunity to another stage of its pipeline: an open one, won (it needs an amount) or lost
    (it needs a reason). A closed opportunity is reopened first (opportunity_reopen)."""
    _editable(actor, opportunity)
    o = _lock(opportunity, version)
    target = _stage_of(o, stage)
    if not o.is_open:
        raise ValidationError({"stage": _("This opportunity is closed: reopen it before moving it.")})
    if target.pk == o.stage_id:
        return o
    errors: dict = {}
    note = clean_text(errors, "lost_note", lost_note, max_length=500)
    if errors:
        raise ValidationError(errors)
    before = _snapshot(o)
    _enter_stage(o, target, lost_reason=_lost_reason(lost_reason), lost_note=note)
    o.version += 1
    o.save()
    _audit(actor, AuditAction.UPDATE, o, diff(before, _snapshot(o)))
    return o


def _end_stage(o: Opportunity, kind: str) -> Stage:
    stage = Stage.objects.filter(pipeline_id=o.pipeline_id, kind=kind, archived_at__isnull=True).first()
    if stage is None:  # pipelines keep one of each (guanxi.crm.services.pipelines); a guard all the same
        raise ValidationError({"stage": _("This pipeline has no stage for this.")})
    return stage


def opportunity_win(*, actor, opportunity: Opportunity, version: Any) -> Opportunity:
    return opportunity_move(
        actor=actor, opportunity=opportunity, stage=_end_stage(opportunity, StageKind.WON), version=version
    )


def opportunity_lose(
    *, actor, opportunity: Opportunity, version: Any, lost_reason: Any, lost_note: str = ""
) -> Opportunity:
    return opportunity_move(
        actor=actor,
        opportunity=opportunity,
        stage=_end_stage(opportunity, StageKind.LOST),
        version=version,
        lost_reason=lost_reason,
        lost_note=lost_note,
    )


@transaction.atomic
def opportunity_reopen(*, actor, opportunity: Opportunity, version: Any, stage: Any = None) -> Opportunity:
    """A won or lost opportunity back into an open stage (default: the last open one)."""
    _editable(actor, opportunity)
    o = _lock(opportunity, version)
    if o.is_open:
        raise ValidationError({"stage": _("This opportunity is open already.")})
    if stage in (None, ""):
        target = (
            Stage.objects.filter(pipeline_id=o.pipeline_id, kind=StageKind.OPEN, archived_at__isnull=True)
            .order_by("-position", "-id")
            .first()
        )
        if target is None:
            raise ValidationError({"stage": _("This pipeline has no open stage.")})
    else:
        target = _stage_of(o, stage)
        if target.kind != StageKind.OPEN:
            raise ValidationError({"stage": _("Choose an open stage.")})
    before = _snapshot(o)
    _enter_stage(o, target)
    o.version += 1
    o.save()
    _audit(actor, AuditAction.UPDATE, o, diff(before, _snapshot(o)))
    return o


__all__ = [
    "opportunity_create",
    "opportunity_lose",
    "opportunity_move",
    "opportunity_reopen",
    "opportunity_update",
    "opportunity_win",
]
