"""/api/v1/suppliers/{id}/bank-accounts and /api/v1/bank-account-changes: a supplier's bank accounts and the
changes proposed to them. The same services and rules as the pages (guanxi.suppliers.services.bank_accounts):
a change is approved or rejected through /api/v1/approvals/{id}/approve|reject, never here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.selectors import bank_accounts as sel
from guanxi.suppliers.selectors.changes import approval_of
from guanxi.suppliers.services import bank_accounts as svc

router = Router(tags=["suppliers"])
Id = Annotated[int, Field(ge=1, le=2**53)]


class BankAccountOut(Schema):
    id: int
    bank_name: str
    account_name: str
    account_number: str
    swift: str
    currency: str = Field(..., alias="currency_id")
    is_primary: bool
    created_at: datetime


class BankChangeIn(InputSchema):
    kind: Literal["add", "change", "close"]
    account: Id | None = Field(None, description="The account to change or close (not for 'add')")
    bank_name: Annotated[str, Field(max_length=200)] = ""
    account_name: Annotated[str, Field(max_length=200)] = ""
    account_number: Annotated[str, Field(max_length=60)] = ""
    swift: Annotated[str, Field(max_length=20)] = ""
    currency: Annotated[str, Field(max_length=3)] = ""
    make_primary: bool = False
    reason: Annotated[str, Field(max_length=500)]


class BankChangeOut(Schema):
    id: int
    supplier: int = Field(..., alias="party_id")
    account: int | None = Field(None, alias="account_id")
    kind: str
    state: str  # pending, applied, rejected, withdrawn
    before: dict
    after: dict
    reason: str
    proposed_by: str | None
    proposed_at: datetime
    decided_at: datetime | None
    approval_request: int | None  # decide it through /api/v1/approvals/{id}/approve|reject
    also_held_by: list[int]  # other suppliers with an open account of this number: check before approving

    @staticmethod
    def resolve_after(obj: BankAccountChange) -> dict:
        return {} if obj.kind == "close" else obj.after()

    @staticmethod
    def resolve_proposed_by(obj: BankAccountChange) -> str | None:
        return obj.proposed_by.username if obj.proposed_by else None

    @staticmethod
    def resolve_also_held_by(obj: BankAccountChange) -> list[int]:
        return [party.pk for party in sel.also_held_by(obj)]

    @staticmethod
    def resolve_approval_request(obj: BankAccountChange) -> int | None:
        request = approval_of(obj)
        return request.pk if request else None


@router.get("/suppliers/{id}/bank-accounts", response={200: list[BankAccountOut], **responses(*STD)})
def supplier_bank_accounts(request, id: Id) -> list[BankAccount]:
    """The supplier's open bank accounts, the primary one first."""
    party = sel.supplier_get(actor=request.user, pk=id)
    return list(sel.bank_accounts(party=party))


@router.get("/suppliers/{id}/bank-account-changes", response={200: list[BankChangeOut], **responses(*STD)})
def supplier_bank_changes(request, id: Id) -> list[BankAccountChange]:
    """Every change proposed to the supplier's bank accounts, newest first (at most 200)."""
    party = sel.supplier_get(actor=request.user, pk=id)
    return sel.bank_changes_listed(party=party, limit=200)


@router.post("/suppliers/{id}/bank-account-changes", response={201: BankChangeOut, **responses(*STD)})
def supplier_bank_change_propose(request, id: Id, payload: BankChangeIn):
    """Propose a new account, new details of one or its closing, with a reason: it is submitted for approval
    and changes nothing until someone else approves it."""
    party = sel.supplier_get(actor=request.user, pk=id, mode="edit")
    return Status(201, svc.bank_change_propose(actor=request.user, party=party, data=payload.model_dump()))


@router.get("/bank-account-changes/{id}", response={200: BankChangeOut, **responses(*STD)})
def bank_change_get(request, id: Id) -> BankAccountChange:
    return sel.bank_change_get(actor=request.user, pk=id)


@router.post("/bank-account-changes/{id}/withdraw", response={200: BankChangeOut, **responses(*STD, 409)})
def bank_change_withdraw(request, id: Id) -> BankAccountChange:
    """The proposer takes a waiting change back."""
    change = sel.bank_change_get(actor=request.user, pk=id)
    return svc.bank_change_withdraw(actor=request.user, change=change)
