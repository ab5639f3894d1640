"""/api/v1 receivables: an order's collection plan, collections and fapiao requests, and the open orders. The
same services and selectors as the order's Collections and fapiao tab."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.pagination import keyset_page
from guanxi.crm.choices import CollectionMethod, FapiaoKind, FapiaoState
from guanxi.crm.models import Collection, FapiaoRequest, Instalment
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.selectors.receivables import open_orders, order_receivable
from guanxi.crm.services import receivables as svc

router = Router(tags=["receivables"])
Id = Annotated[int, Field(ge=1, le=2**53)]
Amount = Annotated[Decimal, Field(gt=0, lt=10**13, max_digits=17, decimal_places=4)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))]


class ReceivableInstalmentIn(InputSchema):
    due_date: Day
    amount: Amount
    remind_days_before: Annotated[int, Field(ge=0, le=365)] = 3


class ReceivablePlanIn(InputSchema):
    instalments: Annotated[list[ReceivableInstalmentIn], Field(max_length=24)]


class ReceivableCollectionIn(InputSchema):
    amount: Amount
    received_on: Day | None = None
    method: CollectionMethod = CollectionMethod.TRANSFER
    bank_reference: Annotated[str, Field(max_length=100)] = ""
    note: Annotated[str, Field(max_length=500)] = ""


class ReceivableFapiaoIn(InputSchema):
    amount: Amount
    kind: FapiaoKind = FapiaoKind.ELECTRONIC
    title: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="Default: the customer's invoice title"
    )
    tax_number: Annotated[str, Field(max_length=30)] | None = None
    note: Annotated[str, Field(max_length=500)] = ""


class ReceivableIssueIn(InputSchema):
    fapiao_number: Annotated[str, Field(min_length=1, max_length=40)]
    issued_on: Day | None = None
    tracking_number: Annotated[str, Field(max_length=60)] = ""


class ReceivableInstalmentOut(Schema):
    position: int
    due_date: dt.date
    amount: Decimal
    paid: Decimal
    remind_days_before: int


class ReceivableCollectionOut(Schema):
    id: int
    received_on: dt.date
    amount: Decimal
    method: CollectionMethod
    bank_reference: str


class ReceivableFapiaoOut(Schema):
    id: int
    kind: FapiaoKind
    amount: Decimal
    state: FapiaoState
    title: str
    tax_number: str
    fapiao_number: str
    issued_on: dt.date | None
    tracking_number: str


class ReceivableOrderOut(Schema):
    order_id: int
    number: str
    currency: str
    total: Decimal
    planned: Decimal
    collected: Decimal
    open: Decimal
    overdue: Decimal
    invoiced: Decimal
    not_invoiced: Decimal
    instalments: list[ReceivableInstalmentOut]
    collections: list[ReceivableCollectionOut]
    fapiao_requests: list[ReceivableFapiaoOut]


class ReceivableRow(Schema):
    order_id: int
    number: str
    customer: str
    currency: str
    total: Decimal
    collected: Decimal
    open: Decimal
    overdue: Decimal


class ReceivablePage(Schema):
    items: list[ReceivableRow]
    next_cursor: str | None
    prev_cursor: str | None


class ReceivableQuery(Schema):
    owner: str | None = Field(None, max_length=20, description='"me" or a user id')
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def _order_json(order) -> dict:
    r = order_receivable(order)
    return {
        "order_id": order.pk,
        "number": order.number,
        "currency": order.currency_id,
        **{
            k: getattr(r, k)
            for k in ("total", "planned", "collected", "open", "overdue", "invoiced", "not_invoiced")
        },
        "instalments": list(
            Instalment.objects.filter(order=order)
            .order_by("due_date", "position")
            .values(*ReceivableInstalmentOut.model_fields)
        ),
        "collections": list(
            Collection.objects.filter(order=order).values(*ReceivableCollectionOut.model_fields)
        ),
        "fapiao_requests": list(
            FapiaoRequest.objects.filter(order=order).values(*ReceivableFapiaoOut.model_fields)
        ),
    }


@router.get("/orders/{id}/receivable", response={200: ReceivableOrderOut, **responses(*STD)})
def orders_receivable(request, id: Id):
    return _order_json(sel.order_get(actor=request.user, pk=id))


@router.put("/orders/{id}/plan", response={200: ReceivableOrderOut, **responses(*STD)})
def orders_plan(request, id: Id, payload: ReceivablePlanIn):
    order = sel.order_get(actor=request.user, pk=id)
    svc.plan_set(actor=request.user, order=order, instalments=[x.dict() for x in payload.instalments])
    return _order_json(order)


@router.post("/orders/{id}/collections", response={201: ReceivableOrderOut, **responses(*STD, 409)})
def orders_collect(request, id: Id, payload: ReceivableCollectionIn):
    order = sel.order_get(actor=request.user, pk=id)
    svc.collection_record(
        actor=request.user, order=order, data={k: v for k, v in payload.dict().items() if v is not None}
    )
    return Status(201, _order_json(order))


@router.post("/orders/{id}/fapiao-requests", response={201: ReceivableFapiaoOut, **responses(*STD, 409)})
def orders_fapiao(request, id: Id, payload: ReceivableFapiaoIn):
    order = sel.order_get(actor=request.user, pk=id)
    r = svc.fapiao_request_create(
        actor=request.user, order=order, data={k: v for k, v in payload.dict().items() if v is not None}
    )
    return Status(201, FapiaoRequest.objects.filter(pk=r.pk).values(*ReceivableFapiaoOut.model_fields).get())


@router.post("/fapiao-requests/{id}/issue", response={200: ReceivableFapiaoOut, **responses(*STD, 409)})
def fapiao_requests_issue(request, id: Id, payload: ReceivableIssueIn):
    r = get_object_or_404(FapiaoRequest.objects.select_related("order"), pk=id)
    sel.order_get(actor=request.user, pk=r.order_id)  # 404 when the order is out of sight
    r = svc.fapiao_issue(
        actor=request.user, request=r, data={k: v for k, v in payload.dict().items() if v is not None}
    )
    return FapiaoRequest.objects.filter(pk=r.pk).values(*ReceivableFapiaoOut.model_fields).get()


@router.get("/receivables", response={200: ReceivablePage, **responses(*STD)})
def receivables_list(request, query: Query[ReceivableQuery]):
    qs = open_orders(actor=request.user, owner=query.owner or "").select_related("customer")
    page = keyset_page(qs, ordering=["-ordered_on", "-id"], cursor=query.cursor, limit=query.limit)
    items = [
        {
            "order_id": o.pk,
            "number": o.number,
            "customer": o.customer.name,
            "currency": o.currency_id,
            "total": o.gross_total,
            "collected": o.collected,
            "open": o.open_amount,
            "overdue": o.overdue,
        }
        for o in page.items
    ]
    return {"items": items, "next_cursor": page.next_cursor, "prev_cursor": page.prev_cursor}
