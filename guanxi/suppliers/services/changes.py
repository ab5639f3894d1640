"""What the suppliers app's approvable changes share (a bank account change, a lifecycle step): they wait for
approval in the approvals block as documents of their own, are locked when decided, can be withdrawn by the
proposer while they wait, and each type gets a first approval rule (any Procurement Manager) after migrate."""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError
from guanxi.core.services.approvals import approval_withdraw
from guanxi.suppliers.models.changes import ChangeState

M = TypeVar("M", bound=models.Model)


def locked_pending(model: type[M], change: M) -> M:
    """The change's row, locked; ConflictError when it is decided already (a second approver, a double click)."""
    current = model._default_manager.select_for_update().select_related("party").get(pk=change.pk)
    if getattr(current, "state") != ChangeState.PENDING:  # noqa: B009 - any change model
        raise ConflictError(_("This change was decided already."))
    return current


def decided_hook(model: type[M], state: str):
    """The approvals block's on_rejected / on_withdrawn: the change ends in `state`, nothing else changes."""

    def hook(change: M, actor, *comment) -> None:
        current = locked_pending(model, change)
        current.state, current.decided_at = state, timezone.now()  # type: ignore[attr-defined]
        current.save(update_fields=["state", "decided_at"])

    return hook


def withdraw(*, actor, change: M) -> M:
    """The proposer (or an administrator) takes a waiting change back: the approvals block's withdrawal, whose
    hook ends the change as withdrawn."""
    from guanxi.core.selectors.approvals import approval_status_of

    request = approval_status_of(change)
    if getattr(change, "state") != ChangeState.PENDING or request is None or request.status != "pending":  # noqa: B009
        raise ConflictError(_("This change is not waiting for approval any more."))
    approval_withdraw(actor=actor, request=request)
    change.refresh_from_db()
    return change


def rule_ensure(document: str, name: str) -> None:
    """A first approval rule for `document`: any Procurement Manager (never the proposer: the approvals block
    skips the requester). Made when the type has no rule at all; an administrator may change it, and a
    deactivated rule is left alone."""
    from guanxi.core import roles
    from guanxi.core.models import ApprovalRule, ApprovalRuleLevel, Role

    if ApprovalRule.objects.filter(document_type=document).exists():
        return
    role = Role.objects.filter(code=roles.PROCUREMENT_MANAGER).first()
    if role is None:
        return
    with transaction.atomic():
        rule = ApprovalRule.objects.create(document_type=document, name=name, position=1)
        ApprovalRuleLevel.objects.create(rule=rule, position=1, kind="role", role=role, mode="any")
