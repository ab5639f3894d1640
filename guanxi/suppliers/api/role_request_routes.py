"""/api/v1/supplier-role-requests: adding the supplier role to a registered company (one party per company),
with the service of the "Registered companies as suppliers" page (guanxi.suppliers.services.role_requests):
asked by users who may hold suppliers, decided by the company's owner or an administrator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.suppliers.models import SupplierRoleRequest
from guanxi.suppliers.selectors import role_requests as sel
from guanxi.suppliers.services import role_requests as svc

router = Router(tags=["suppliers"])
Id = Annotated[int, Field(ge=1, le=2**53)]


class RoleRequestOut(Schema):
    id: int
    company: int = Field(alias="party_id")
    company_name: str
    reason: str
    state: str = Field(description="pending, accepted, declined, withdrawn")
    requested_by: str | None
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_company_name(obj: SupplierRoleRequest) -> str:
        return obj.party.name

    @staticmethod
    def resolve_requested_by(obj: SupplierRoleRequest) -> str | None:
        return obj.requested_by.username if obj.requested_by else None

    @staticmethod
    def resolve_decided_by(obj: SupplierRoleRequest) -> str | None:
        return obj.decided_by.username if obj.decided_by else None


class RoleRequestIn(InputSchema):
    uscc: Annotated[str, Field(max_length=60, description="The company's unified social credit code")]
    reason: Annotated[str, Field(max_length=500)]


class RoleDecisionIn(InputSchema):
    accept: bool
    note: Annotated[str, Field(max_length=500)] = ""


@router.get("/supplier-role-requests", response={200: list[RoleRequestOut], **responses(*STD)})
def supplier_role_requests_list(request):
    """Those the caller asked, those about companies they hold, every one for an administrator (newest 200)."""
    return list(sel.role_requests_visible(actor=request.user)[:200])


@router.post("/supplier-role-requests", response={201: RoleRequestOut, **responses(*STD, 409)})
def supplier_role_requests_create(request, payload: RoleRequestIn):
    made = svc.supplier_role_request(actor=request.user, uscc=payload.uscc, reason=payload.reason)
    return Status(201, sel.role_request_get(actor=request.user, pk=made.pk))


@router.get("/supplier-role-requests/{id}", response={200: RoleRequestOut, **responses(*STD)})
def supplier_role_requests_get(request, id: Id):
    return sel.role_request_get(actor=request.user, pk=id)


@router.post("/supplier-role-requests/{id}/decide", response={200: RoleRequestOut, **responses(*STD, 409)})
def supplier_role_requests_decide(request, id: Id, payload: RoleDecisionIn):
    """The company's owner or an administrator consents (the company becomes a supplier too) or declines."""
    req = sel.role_request_get(actor=request.user, pk=id)
    svc.supplier_role_decide(actor=request.user, request=req, accept=payload.accept, note=payload.note)
    return sel.role_request_get(actor=request.user, pk=id)


@router.post("/supplier-role-requests/{id}/withdraw", response={200: RoleRequestOut, **responses(*STD, 409)})
def supplier_role_requests_withdraw(request, id: Id):
    req = sel.role_request_get(actor=request.user, pk=id)
    svc.supplier_role_withdraw(actor=request.user, request=req)
    return sel.role_request_get(actor=request.user, pk=id)
