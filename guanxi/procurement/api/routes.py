"""/api/v1/purchase-orders and /api/v1/supplier-prices: the same services and selectors as the pages
(guanxi.procurement.services.orders, order_changes, prices). An order waiting for approval is approved or
rejected through /api/v1/approvals/{id}/approve|reject, never here."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from guanxi.core.api.errors import STD, responses
from guanxi.core.pagination import keyset_page
from guanxi.procurement.api.schemas import (
    Id,
    PurchaseOrderChangeIn,
    PurchaseOrderConfirmIn,
    PurchaseOrderIn,
    PurchaseOrderOut,
    PurchaseOrderPage,
    PurchaseOrderPatch,
    PurchaseOrderReasonIn,
    PurchaseOrderSendIn,
    PurchaseOrderVersionIn,
    SupplierPriceIn,
    SupplierPriceOut,
    SupplierPricePage,
)
from guanxi.procurement.models import PurchaseOrder, SupplierPrice
from guanxi.procurement.selectors import orders as sel
from guanxi.procurement.selectors import prices as price_sel
from guanxi.procurement.services import order_changes
from guanxi.procurement.services import orders as svc
from guanxi.procurement.services.prices import supplier_price_record

router = Router(tags=["purchasing"])
SEARCH = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL text cannot hold NUL)
SUMMARY = ["id", "number", "state", "ordered_on", "net_total", "tax_total", "gross_total", "revision", "sent_at",
           "version", "created_at", "updated_at"]  # fmt: skip
DETAIL = ["company_id", "contact_id", "language", "payment_terms", "delivery_address", "notes", "approved_total",
          "sent_to", "acknowledged_at", "closed_at", "cancelled_at", "close_reason"]  # fmt: skip
LINE = ["id", "position", "product_id", "supplier_code", "description", "quantity", "unit_id", "unit_price",
        "tax_rate_id", "tax_percent", "net", "tax", "gross", "supplier_price_id", "requested_date",
        "first_confirmed_date", "planned_date", "received_quantity", "accepted_quantity", "rejected_quantity",
        "returned_quantity", "open_quantity"]  # fmt: skip
PRICE = ["id", "supplier_code", "unit_price", "min_quantity", "lead_time_days", "valid_from", "valid_until", "note",
         "replaced_at", "created_at"]  # fmt: skip
# Keyset orderings over the prices' own columns (a page link cannot carry a supplier's name).
PRICE_ORDERING = ["supplier_id", "product_id", "-valid_from", "-id"]
HISTORY_ORDERING = ["-created_at", "-id"]


class PurchaseOrderQuery(Schema):
    state: str = Field(
        "", max_length=12, description='"" all, a state, or "open" (approved … partially received)'
    )
    supplier: Id | None = None
    owner: Literal["", "me"] = Field("", description='"me": the orders I buy')
    q: str = Field("", max_length=100, pattern=SEARCH, description="In the number or the supplier's name")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class SupplierPriceQuery(Schema):
    supplier: Id | None = None
    product: Id | None = None
    current: bool = Field(True, description="true: valid today; false: every price not replaced (future too)")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class SupplierPriceHistoryQuery(Schema):
    supplier: Id
    product: Id
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def _summary(o: PurchaseOrder) -> dict:
    return {
        **{f: getattr(o, f) for f in SUMMARY},
        "supplier": _ref(o.supplier),
        "owner": _ref(o.owner),
        "currency": o.currency_id,
    }


def order_json(o: PurchaseOrder) -> dict:
    """One order (read with its supplier, owner and team) with its lines and revisions."""
    revisions = [
        {
            "revision": r.revision,
            "reason": r.reason,
            "gross_total": r.gross_total,
            "created_at": r.created_at,
            "created_by": _ref(r.created_by),
            "snapshot": r.snapshot,
        }
        for r in sel.order_revisions(o)
    ]
    return {
        **_summary(o),
        **{f: getattr(o, f) for f in DETAIL},
        "team": _ref(o.team),
        "lines": [{f: getattr(x, f) for f in LINE} for x in sel.order_lines(o)],
        "revisions": revisions,
    }


def _one(o: PurchaseOrder) -> dict:
    """The order as a write left it (read again: approval hooks write with update())."""
    return order_json(PurchaseOrder.objects.select_related("supplier", "owner", "team").get(pk=o.pk))


def _line(x: dict) -> dict:
    """A line as the services take it; a PATCH gives only what was set, the rest takes the line's defaults."""
    line = {
        "product": x.get("product_id"),
        "description": x.get("description", ""),
        "quantity": x.get("quantity", 1),
        "unit": x.get("unit_id"),
        "unit_price": x.get("unit_price"),
        "tax_rate": x.get("tax_rate_id"),
        "requested_date": x.get("requested_date"),
        "supplier_code": x.get("supplier_code", ""),
    }
    for k in ("id", "first_confirmed_date", "planned_date"):  # a change order's lines
        if k in x:
            line[k] = x[k]
    return line


def _data(payload, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    data.pop("version", None)
    for old, new in (("supplier_id", "supplier"), ("contact_id", "contact"), ("company_id", "company")):
        if old in data:
            data[new] = data.pop(old)
    if data.get("lines") is not None:
        data["lines"] = [_line(x) for x in data["lines"]]
    return {k: v for k, v in data.items() if v is not None or k == "contact"}


def _order(request, id: int) -> PurchaseOrder:
    return sel.order_get(actor=request.user, pk=id)


# --- Purchase orders ---------------------------------------------------------------------------------------


@router.get("/purchase-orders", response={200: PurchaseOrderPage, **responses(*STD)})
def purchase_orders_list(request, query: Query[PurchaseOrderQuery]):
    """The orders the caller sees, newest order date first."""
    filters = sel.OrderFilters(
        state=query.state, supplier=query.supplier, owner=query.owner, q=query.q.strip()
    )
    qs = sel.order_list(actor=request.user, filters=filters)
    page = keyset_page(qs, ordering=sel.ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [_summary(o) for o in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/purchase-orders", response={201: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_create(request, payload: PurchaseOrderIn):
    """A draft order to an approved or preferred supplier; each line's price defaults to the supplier's."""
    o = svc.order_create(actor=request.user, data=_data(payload, exclude_unset=False))
    return Status(201, _one(o))


@router.get("/purchase-orders/{id}", response={200: PurchaseOrderOut, **responses(*STD)})
def purchase_orders_get(request, id: Id):
    return order_json(_order(request, id))


@router.patch("/purchase-orders/{id}", response={200: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_update(request, id: Id, payload: PurchaseOrderPatch):
    """Change a draft (only the fields given; null or left out: unchanged, but a null contact_id clears it)."""
    o = svc.order_update(
        actor=request.user,
        order=_order(request, id),
        version=payload.version,
        data=_data(payload, exclude_unset=True),
    )
    return _one(o)


@router.post("/purchase-orders/{id}/submit", response={200: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_submit(request, id: Id, payload: PurchaseOrderVersionIn):
    """Submit a draft: approved at once when the approval rules need none (e.g. under 10,000 CNY), otherwise
    waiting for approval ("pending")."""
    o = svc.order_submit(actor=request.user, order=_order(request, id), version=payload.version)
    return _one(o)


@router.post("/purchase-orders/{id}/send", response={200: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_send(request, id: Id, payload: PurchaseOrderSendIn):
    """Mark an approved order sent (again, after a change); with an e-mail address its PDF goes there."""
    o = svc.order_send(
        actor=request.user, order=_order(request, id), version=payload.version, email=payload.email
    )
    return _one(o)


@router.post("/purchase-orders/{id}/confirm", response={200: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_confirm(request, id: Id, payload: PurchaseOrderConfirmIn):
    """The supplier's confirmation: its promised date per line. A line's first one is its statistical
    promised date; later ones move only the planned date."""
    o = svc.order_confirm(
        actor=request.user,
        order=_order(request, id),
        version=payload.version,
        dates=payload.dates,
        acknowledged_at=payload.acknowledged_at,
    )
    return _one(o)


@router.post("/purchase-orders/{id}/change", response={200: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_change(request, id: Id, payload: PurchaseOrderChangeIn):
    """A change order: the order's lines as they should be, with a reason. The order as it was is kept as a
    revision; a total above the one approved waits for approval again."""
    o = order_changes.order_change(
        actor=request.user,
        order=_order(request, id),
        version=payload.version,
        data=_data(payload, exclude_unset=False),
    )
    return _one(o)


@router.post("/purchase-orders/{id}/cancel", response={200: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_cancel(request, id: Id, payload: PurchaseOrderReasonIn):
    """Cancel an order before anything is received (with a reason once the supplier has it)."""
    o = svc.order_cancel(
        actor=request.user, order=_order(request, id), version=payload.version, reason=payload.reason
    )
    return _one(o)


@router.post("/purchase-orders/{id}/close", response={200: PurchaseOrderOut, **responses(*STD, 409)})
def purchase_orders_close(request, id: Id, payload: PurchaseOrderReasonIn):
    """Close an order with the supplier: received in full, or short with a reason."""
    o = svc.order_close(
        actor=request.user, order=_order(request, id), version=payload.version, reason=payload.reason
    )
    return _one(o)


# --- Supplier prices ---------------------------------------------------------------------------------------


def price_json(p: SupplierPrice) -> dict:
    return {
        **{f: getattr(p, f) for f in PRICE},
        "supplier": _ref(p.supplier),
        "product": {"id": p.product.pk, "code": p.product.code, "name": p.product.name},
        "currency": p.currency_id,
        "created_by": _ref(p.created_by),
        "breaks": [{"min_quantity": b.min_quantity, "unit_price": b.unit_price} for b in p.breaks.all()],
    }


def _price_page(qs, ordering: list[str], query) -> dict:
    page = keyset_page(
        qs.select_related("supplier", "product", "created_by"),
        ordering=ordering,
        cursor=query.cursor,
        limit=query.limit,
    )
    return {
        "items": [price_json(p) for p in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.get("/supplier-prices", response={200: SupplierPricePage, **responses(*STD)})
def supplier_prices_list(request, query: Query[SupplierPriceQuery]):
    """Supplier price information: the prices valid today (current=false: every one not replaced)."""
    qs = price_sel.price_list(
        actor=request.user, supplier=query.supplier, product=query.product, current=query.current
    )
    return _price_page(qs, PRICE_ORDERING, query)


@router.get("/supplier-prices/history", response={200: SupplierPricePage, **responses(*STD)})
def supplier_prices_history(request, query: Query[SupplierPriceHistoryQuery]):
    """Every price ever recorded for a supplier and product, newest first (those replaced or ended too)."""
    qs = price_sel.price_history(actor=request.user, supplier=query.supplier, product=query.product)
    return _price_page(qs, HISTORY_ORDERING, query)


@router.post("/supplier-prices", response={201: SupplierPriceOut, **responses(*STD, 409)})
def supplier_prices_create(request, payload: SupplierPriceIn):
    """Record a supplier's price: the earlier ones it overlaps end (cut short, or replaced); none is edited."""
    data = payload.dict()
    data["supplier"], data["product"] = data.pop("supplier_id"), data.pop("product_id")
    price = supplier_price_record(actor=request.user, data=data)
    price = SupplierPrice.objects.select_related("supplier", "product", "created_by").get(pk=price.pk)
    return Status(201, price_json(price))
