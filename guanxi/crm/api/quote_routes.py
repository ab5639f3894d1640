"""/api/v1/quotes and /api/v1/orders: the same services and selectors as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from guanxi.core.api.errors import STD, responses
from guanxi.core.pagination import keyset_page
from guanxi.crm.api.quote_schemas import (
    Id,
    QuoteIn,
    QuoteOrderOut,
    QuoteOut,
    QuotePage,
    QuotePatch,
    QuoteSendIn,
    QuoteVersionIn,
)
from guanxi.crm.models import Quote, SalesOrder
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.services import orders as order_svc
from guanxi.crm.services import quotes as svc

router = Router(tags=["quotes"])
LINE = [
    "position", "product_id", "description", "quantity", "unit_id", "unit_price", "discount_percent", "tax_rate_id",
    "tax_percent", "net", "tax", "gross",
]  # fmt: skip


class QuoteQuery(Schema):
    state: str = Field("", max_length=12, description='"" current (not revised), a state, or "all"')
    customer: Id | None = None
    q: str = Field("", max_length=100)
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def _lines(doc) -> list[dict]:
    return [{f: getattr(x, f) for f in LINE} for x in doc.lines.all()]


def quote_json(q: Quote) -> dict:
    order = getattr(q, "order", None)  # read with select_related("order"): no query per quote
    return {
        **{
            f: getattr(q, f)
            for f in [
                "id",
                "number",
                "revision",
                "state",
                "opportunity_id",
                "contact_id",
                "valid_until",
                "language",
                "notes",
                "net_total",
                "tax_total",
                "gross_total",
                "max_discount",
                "sent_at",
                "sent_to",
                "version",
                "created_at",
                "updated_at",
            ]
        },  # fmt: skip
        "customer": {"id": q.customer.pk, "name": q.customer.name},
        "owner": {"id": q.owner.pk, "name": str(q.owner)} if q.owner else None,
        "currency": q.currency_id,
        "price_list": {"id": q.price_list.pk, "name": q.price_list.name} if q.price_list else None,
        "price_list_chosen": q.price_list_chosen,
        "order_id": order.pk if order is not None else None,
        "lines": _lines(q),
    }


def _data(payload, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    data.pop("version", None)
    for old, new in (
        ("customer_id", "customer"),
        ("opportunity_id", "opportunity"),
        ("contact_id", "contact"),
        ("price_list_id", "price_list"),
    ):
        if old in data:
            data[new] = data.pop(old)
    if data.get("lines") is not None:
        data["lines"] = [
            {
                # A PATCH gives only what was set: the rest takes the line's defaults.
                "product": x.get("product_id"),
                "description": x.get("description", ""),
                "quantity": x.get("quantity", 1),
                "unit": x.get("unit_id"),
                "unit_price": x.get("unit_price"),
                "discount_percent": x.get("discount_percent", 0),
                "tax_rate": x.get("tax_rate_id"),
            }
            for x in data["lines"]
        ]
    return {k: v for k, v in data.items() if v is not None or k in ("contact", "price_list")}


def _one(q: Quote) -> dict:
    return quote_json(Quote.objects.select_related("customer", "owner", "order", "price_list").get(pk=q.pk))


@router.get("/quotes", response={200: QuotePage, **responses(*STD)})
def quotes_list(request, query: Query[QuoteQuery]):
    qs = sel.quote_list(
        actor=request.user,
        filters=sel.QuoteFilters(state=query.state, customer=query.customer, q=query.q.strip()),
    )
    page = keyset_page(
        qs.select_related("order", "price_list").prefetch_related("lines"),
        ordering=sel.ORDERING,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {
        "items": [quote_json(q) for q in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/quotes", response={201: QuoteOut, **responses(*STD, 409)})
def quotes_create(request, payload: QuoteIn):
    return Status(201, _one(svc.quote_create(actor=request.user, data=_data(payload, exclude_unset=False))))


@router.get("/quotes/{id}", response={200: QuoteOut, **responses(*STD)})
def quotes_get(request, id: Id):
    return _one(sel.quote_get(actor=request.user, pk=id))


@router.patch("/quotes/{id}", response={200: QuoteOut, **responses(*STD, 409)})
def quotes_update(request, id: Id, payload: QuotePatch):
    q = sel.quote_get(actor=request.user, pk=id)
    return _one(
        svc.quote_update(
            actor=request.user, quote=q, version=payload.version, data=_data(payload, exclude_unset=True)
        )
    )


@router.post("/quotes/{id}/submit", response={200: QuoteOut, **responses(*STD, 409)})
def quotes_submit(request, id: Id, payload: QuoteVersionIn):
    q = sel.quote_get(actor=request.user, pk=id)
    return _one(svc.quote_submit(actor=request.user, quote=q, version=payload.version))


@router.post("/quotes/{id}/send", response={200: QuoteOut, **responses(*STD, 409)})
def quotes_send(request, id: Id, payload: QuoteSendIn):
    q = sel.quote_get(actor=request.user, pk=id)
    return _one(svc.quote_send(actor=request.user, quote=q, version=payload.version, email=payload.email))


@router.post("/quotes/{id}/revise", response={201: QuoteOut, **responses(*STD, 409)})
def quotes_revise(request, id: Id, payload: QuoteVersionIn):
    q = sel.quote_get(actor=request.user, pk=id)
    return Status(201, _one(svc.quote_revise(actor=request.user, quote=q, version=payload.version)))


@router.post("/quotes/{id}/reject", response={200: QuoteOut, **responses(*STD, 409)})
def quotes_reject(request, id: Id, payload: QuoteVersionIn):
    q = sel.quote_get(actor=request.user, pk=id)
    return _one(svc.quote_reject(actor=request.user, quote=q, version=payload.version))


@router.post("/quotes/{id}/accept", response={201: QuoteOrderOut, **responses(*STD, 409)})
def quotes_accept(request, id: Id, payload: QuoteVersionIn):
    q = sel.quote_get(actor=request.user, pk=id)
    return Status(
        201, order_json(order_svc.quote_accept(actor=request.user, quote=q, version=payload.version))
    )


@router.get(
    "/quotes/{id}/pdf",
    response={200: None, **responses(*STD)},
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def quotes_pdf(request, id: Id, lang: str | None = Query(None, pattern="^(en|zh-hans)$")):
    from guanxi.core.services.printing import print_job, render_pdf

    job = print_job(actor=request.user, document="crm.quote", pk=id, key="quote", language=lang)
    response = HttpResponse(render_pdf(job, user=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.obj.number}.pdf"'
    return response


def order_json(o: SalesOrder) -> dict:
    o = SalesOrder.objects.select_related("customer").get(pk=o.pk)
    return {
        **{
            f: getattr(o, f)
            for f in [
                "id",
                "number",
                "state",
                "quote_id",
                "ordered_on",
                "net_total",
                "tax_total",
                "gross_total",
                "version",
                "closed_at",
                "cancelled_at",
                "close_reason",
            ]
        },
        "customer": {"id": o.customer.pk, "name": o.customer.name},
        "currency": o.currency_id,
        "lines": [
            {f: getattr(x, f) for f in (*LINE, "id", "delivery_date", "delivered_quantity")}
            for x in o.lines.all()
        ],
    }


@router.get("/orders/{id}", response={200: QuoteOrderOut, **responses(*STD)})
def orders_get(request, id: Id):
    return order_json(sel.order_get(actor=request.user, pk=id))
