"""Delegation while away: a user hands their approvals to another user between two dates (both included).
The delegate sees them in the inbox and decides "on behalf of" the delegator; the delegator may still decide
too. Only one hop: a delegate's own delegation does not pass on what was delegated to them.

The dates decide whether a delegation is in force (every read checks them); `approval_delegations_expire`,
run daily by the scheduler (guanxi.core.tasks), marks the ones whose end date passed as expired and tells
both users."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import ApprovalDelegation, User
from guanxi.core.models.approvals import DelegationStatus
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for
from guanxi.core.selectors.approvals import today
from guanxi.core.services import approval_common
from guanxi.core.services.audit import audit_record

MAX_DAYS = 366


def _may_manage(actor, delegator) -> bool:
    return actor.pk == delegator.pk or grants_for(actor).can(Action.SETTINGS_MANAGE)


def _date(value, key: str, errors: dict) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        errors[key] = [_("Enter a date (YYYY-MM-DD).")]
        return None


@transaction.atomic
def approval_delegation_create(
    *, actor, delegate, starts_on, ends_on, note: str = "", delegator=None
) -> ApprovalDelegation:
    """`delegator` (default: the actor; someone else only for administrators) delegates to `delegate`."""
    delegator = delegator or actor
    if not _may_manage(actor, delegator):
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    start, end = _date(starts_on, "starts_on", errors), _date(ends_on, "ends_on", errors)
    if delegate is None or not isinstance(delegate, User) or not delegate.is_active:
        errors["delegate"] = [_("Choose an active user.")]
    elif delegate.pk == delegator.pk:
        errors["delegate"] = [_("Choose someone else: you cannot delegate to yourself.")]
    if start and end:
        if end < start:
            errors["ends_on"] = [_("The end date is before the start date.")]
        elif end < today():
            errors["ends_on"] = [_("The end date has passed.")]
        elif (end - start).days >= MAX_DAYS:
            errors["ends_on"] = [_("Delegate for at most a year at a time.")]
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = [_("Use at most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None  # noqa: S101  (no errors: both dates were read)
    User.objects.select_for_update().filter(
        pk=delegator.pk
    ).first()  # one change of their delegations at a time
    overlap = (
        ApprovalDelegation.objects.filter(
            delegator=delegator,
            status=DelegationStatus.ACTIVE,
            starts_on__lte=end,
            ends_on__gte=start,
        )
        .select_related("delegate")
        .first()
    )
    if overlap is not None:
        raise ValidationError(
            {
                "starts_on": [
                    _(
                        "These dates overlap a delegation to %(name)s (%(start)s – %(end)s): end that one first."
                    )
                    % {"name": overlap.delegate, "start": overlap.starts_on, "end": overlap.ends_on}
                ]
            }
        )
    delegation = ApprovalDelegation.objects.create(
        delegator=delegator, delegate=delegate, starts_on=start, ends_on=end, note=note
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=delegation,
        changes={
            "delegator": [None, str(delegator)],
            "delegate": [None, str(delegate)],
            "starts_on": [None, start.isoformat()],
            "ends_on": [None, end.isoformat()],
        },
        also=[delegator, delegate],
    )
    return delegation


@transaction.atomic
def approval_delegation_end(*, actor, delegation: ApprovalDelegation) -> ApprovalDelegation:
    """End a delegation now (or cancel one that has not started)."""
    current = ApprovalDelegation.objects.select_for_update().select_related("delegator").get(pk=delegation.pk)
    if not _may_manage(actor, current.delegator):
        raise PermissionDeniedError()
    if current.status != DelegationStatus.ACTIVE:
        raise ConflictError(_("This delegation has already ended."))
    current.status, current.ended_at = DelegationStatus.ENDED, timezone.now()
    current.save(update_fields=["status", "ended_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=current,
        changes={"status": [DelegationStatus.ACTIVE, DelegationStatus.ENDED]},
        also=[current.delegator],
    )
    return current


def approval_delegations_expire(now: dt.datetime | None = None) -> int:
    """Mark the delegations whose last day is over as expired and tell both users; returns how many.
    Idempotent (a delegation is claimed by a conditional update), so two runs never tell anyone twice."""
    day = today(now)
    count = 0
    ids = list(
        ApprovalDelegation.objects.filter(status=DelegationStatus.ACTIVE, ends_on__lt=day).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            claimed = ApprovalDelegation.objects.filter(pk=pk, status=DelegationStatus.ACTIVE).update(
                status=DelegationStatus.EXPIRED, ended_at=now or timezone.now()
            )
            if not claimed:
                continue
            delegation = ApprovalDelegation.objects.select_related("delegator", "delegate").get(pk=pk)
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                target=delegation,
                changes={"status": [DelegationStatus.ACTIVE, DelegationStatus.EXPIRED]},
                also=[delegation.delegator],
            )
            approval_common._notify("delegation_expired", [delegation.delegator, delegation.delegate], None)
            count += 1
    return count
