"""Reads of purchase requisitions (请购单): a requester sees and edits their own; Buyers and Procurement
Managers (requisition.process) see all of them, to source the approved ones; approvers reach the ones waiting
for them through the approvals block."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.procurement.choices import RequisitionState
from guanxi.procurement.models import Requisition
from guanxi.procurement.permissions import Action

ORDERING = ["-created_at", "-id"]


def may_create(actor) -> bool:
    return grants_for(actor).can(Action.REQUISITION_CREATE)


def may_process(actor) -> bool:
    return grants_for(actor).can(Action.REQUISITION_PROCESS)


def require_creator(actor) -> None:
    if not may_create(actor):
        raise PermissionDeniedError()


def require_reader(actor) -> None:
    if not (may_create(actor) or may_process(actor)):
        raise PermissionDeniedError()


def requisition_visible(*, actor, mode: str = "view") -> QuerySet[Requisition]:
    """view: one's own, or all with requisition.process; edit: one's own only (the requester's draft)."""
    if mode == "view" and may_process(actor):
        return Requisition.objects.all()
    if not may_create(actor):
        return Requisition.objects.none()
    return Requisition.objects.filter(requester_id=actor.pk)


def requisition_get(*, actor, pk, mode: str = "view") -> Requisition:
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < pk < 2**63:
        raise NotFoundError()
    row = (
        requisition_visible(actor=actor, mode=mode)
        .select_related("requester", "team", "supplier", "currency", "company")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        if mode == "edit" and requisition_visible(actor=actor).filter(pk=pk).exists():
            raise PermissionDeniedError(_("Only the requester changes a requisition."))
        raise NotFoundError()
    return row


@dataclass(frozen=True)
class RequisitionFilters:
    state: str = ""
    mine: bool = False
    q: str = ""


def requisition_list(*, actor, filters: RequisitionFilters) -> QuerySet[Requisition]:
    require_reader(actor)
    qs = requisition_visible(actor=actor)
    if filters.state in RequisitionState.values:
        qs = qs.filter(state=filters.state)
    elif filters.state:
        raise ValidationError({"state": _("Choose a state from the list.")})
    if filters.mine:
        qs = qs.filter(requester_id=actor.pk)
    if filters.q:
        qs = qs.filter(Q(number__icontains=filters.q) | Q(justification__icontains=filters.q))
    return qs.select_related("requester", "currency", "supplier").order_by(*ORDERING)


def requisition_lines(req: Requisition):
    return list(
        req.lines.select_related("unit", "product", "rfq_line__rfq", "order_line__order").order_by(
            "position", "id"
        )
    )
