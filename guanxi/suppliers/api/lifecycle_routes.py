"""/api/v1/suppliers/{id}/status-changes and /api/v1/supplier-status-changes: the supplier lifecycle over the
API, with the same service and rules as the pages (guanxi.suppliers.services.lifecycle). A step that needs
approval is decided through /api/v1/approvals/{id}/approve|reject."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.suppliers.models import SupplierStatusChange
from guanxi.suppliers.selectors.changes import approval_of
from guanxi.suppliers.selectors.lifecycle import status_change_get, status_changes_listed
from guanxi.suppliers.selectors.suppliers import supplier_in_scope
from guanxi.suppliers.services import lifecycle as svc

router = Router(tags=["suppliers"])
Id = Annotated[int, Field(ge=1, le=2**53)]
ActionName = Literal[
    "qualify", "approve", "prefer", "unprefer", "hold", "block", "unblock", "phase_out", "reactivate"
]


class StatusChangeIn(InputSchema):
    action: ActionName
    reason: Annotated[str, Field(max_length=500)]
    category: Id | None = Field(
        None,
        description="prefer / unprefer: the category (of those the supplier supplies) it is preferred in",
    )


class StatusChangeOut(Schema):
    id: int
    supplier: int = Field(..., alias="party_id")
    action: str
    from_status: str
    to_status: str
    category: int | None = Field(None, alias="category_id")
    reason: str
    state: str  # pending, applied, rejected, withdrawn
    proposed_by: str | None
    proposed_at: datetime
    decided_at: datetime | None
    approval_request: int | None

    @staticmethod
    def resolve_proposed_by(obj: SupplierStatusChange) -> str | None:
        return obj.proposed_by.username if obj.proposed_by else None

    @staticmethod
    def resolve_approval_request(obj: SupplierStatusChange) -> int | None:
        request = approval_of(obj)
        return request.pk if request else None


class LifecycleOut(Schema):
    supplier: int
    status: str
    actions: list[str]  # what the caller may do now (empty: none, or not theirs to move)
    changes: list[StatusChangeOut]


@router.get("/suppliers/{id}/status-changes", response={200: LifecycleOut, **responses(*STD)})
def supplier_lifecycle(request, id: Id):
    """The supplier's status, the actions the caller may take now, and its steps, newest first (at most 200)."""
    party = supplier_in_scope(actor=request.user, pk=id)
    allowed = svc.actions_for(party) if svc.may_change_lifecycle(request.user, party) else []
    return {
        "supplier": party.pk,
        "status": party.supplier_status,
        "actions": [a.key for a in allowed],
        "changes": status_changes_listed(party=party, limit=200),
    }


@router.post("/suppliers/{id}/status-changes", response={201: StatusChangeOut, **responses(*STD)})
def supplier_status_change(request, id: Id, payload: StatusChangeIn):
    """Take a lifecycle action with a reason: applied at once (state "applied"), or waiting for approval."""
    party = supplier_in_scope(actor=request.user, pk=id, mode="edit")
    change = svc.supplier_status_change(
        actor=request.user,
        party=party,
        action=payload.action,
        reason=payload.reason,
        category=payload.category,
    )
    return Status(201, change)


@router.get("/supplier-status-changes/{id}", response={200: StatusChangeOut, **responses(*STD)})
def supplier_status_change_get(request, id: Id) -> SupplierStatusChange:
    return status_change_get(actor=request.user, pk=id)


@router.post(
    "/supplier-status-changes/{id}/withdraw", response={200: StatusChangeOut, **responses(*STD, 409)}
)
def supplier_status_change_withdraw(request, id: Id) -> SupplierStatusChange:
    """The proposer takes a waiting step back."""
    change = status_change_get(actor=request.user, pk=id)
    return svc.supplier_status_change_withdraw(actor=request.user, change=change)
