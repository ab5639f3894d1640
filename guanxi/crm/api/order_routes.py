"""/api/v1/orders/{id}/…: a sales order's delivery dates, deliveries (发货), close and cancel; the same services
as the order's page (guanxi.crm.services.order_delivery)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.crm.api.quote_routes import order_json
from guanxi.crm.api.quote_schemas import Id, QuoteOrderOut
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.services import order_delivery as svc

router = Router(tags=["orders"])

Version = Annotated[int, Field(ge=1, le=2**31, description="The version you read: a stale one is a 409")]
LineId = Annotated[int, Field(ge=1, le=2**53)]


class DeliveryLineIn(InputSchema):
    line: LineId
    quantity: Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=3)]


class DeliveryIn(InputSchema):
    version: Version
    delivered_on: dt.date | None = Field(None, description="Default: today")
    note: Annotated[str, Field(max_length=200)] = ""
    lines: Annotated[list[DeliveryLineIn], Field(min_length=1, max_length=200)]


class DeliveryDateIn(InputSchema):
    line: LineId
    delivery_date: dt.date | None


class DeliveryDatesIn(InputSchema):
    version: Version
    lines: Annotated[list[DeliveryDateIn], Field(min_length=1, max_length=200)]


class CloseIn(InputSchema):
    version: Version
    reason: Annotated[str, Field(max_length=500)] = ""


def _order(request, id: int):
    return sel.order_get(actor=request.user, pk=id, mode="edit")


@router.post("/orders/{id}/deliveries", response={200: QuoteOrderOut, **responses(*STD, 409)})
def orders_deliver(request, id: Id, payload: DeliveryIn):
    """Record a delivery of some lines: the order becomes partially delivered, or delivered."""
    order = _order(request, id)
    svc.order_deliver(
        actor=request.user,
        order=order,
        version=payload.version,
        quantities={str(x.line): x.quantity for x in payload.lines},
        delivered_on=payload.delivered_on,
        note=payload.note,
    )
    return order_json(order)


@router.put("/orders/{id}/delivery-dates", response={200: QuoteOrderOut, **responses(*STD, 409)})
def orders_delivery_dates(request, id: Id, payload: DeliveryDatesIn):
    order = _order(request, id)
    dates = {str(x.line): x.delivery_date for x in payload.lines}
    svc.order_set_delivery_dates(actor=request.user, order=order, version=payload.version, dates=dates)
    return order_json(order)


@router.post("/orders/{id}/close", response={200: QuoteOrderOut, **responses(*STD, 409)})
def orders_close(request, id: Id, payload: CloseIn):
    """Close a delivered order; one not fully delivered only with a reason."""
    order = _order(request, id)
    svc.order_close(actor=request.user, order=order, version=payload.version, reason=payload.reason)
    return order_json(order)


@router.post("/orders/{id}/cancel", response={200: QuoteOrderOut, **responses(*STD, 409)})
def orders_cancel(request, id: Id, payload: CloseIn):
    """Cancel an order nothing of which was delivered, collected or invoiced (a reason is required)."""
    order = _order(request, id)
    svc.order_cancel(actor=request.user, order=order, version=payload.version, reason=payload.reason)
    return order_json(order)
