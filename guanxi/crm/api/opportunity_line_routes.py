"""/api/v1/opportunities/{id}/products: the products an opportunity is about (商机产品); the same service as
the opportunity's page (guanxi.crm.services.opportunity_lines)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.crm.api.schemas import Id
from guanxi.crm.selectors import opportunities as sel
from guanxi.crm.services.opportunity_lines import MAX_LINES, opportunity_set_lines

router = Router(tags=["opportunities"])


class ProductLineIn(InputSchema):
    product: Id
    quantity: Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=3)]
    unit_price: Annotated[Decimal, Field(ge=0, max_digits=19, decimal_places=6)] | None = None
    note: Annotated[str, Field(max_length=200)] = ""


class ProductLinesIn(InputSchema):
    version: Annotated[int, Field(ge=1, le=2**31, description="The version you read: a stale one is a 409")]
    lines: Annotated[list[ProductLineIn], Field(max_length=MAX_LINES, description="The whole list")]


class ProductLineOut(Schema):
    position: int
    product: int
    product_code: str
    quantity: Decimal
    unit_price: Decimal | None
    note: str


class ProductLinesOut(Schema):
    version: int
    currency: str
    lines: list[ProductLineOut]


def _out(o) -> dict:
    lines = o.lines.select_related("product")
    return {
        "version": o.version,
        "currency": o.currency_id,
        "lines": [
            {
                "position": x.position,
                "product": x.product_id,
                "product_code": x.product.code,
                "quantity": x.quantity,
                "unit_price": x.unit_price,
                "note": x.note,
            }
            for x in lines
        ],
    }


@router.get("/opportunities/{id}/products", response={200: ProductLinesOut, **responses(*STD)})
def opportunities_products(request, id: Id):
    return _out(sel.opportunity_get(actor=request.user, pk=id))


@router.put("/opportunities/{id}/products", response={200: ProductLinesOut, **responses(*STD, 409)})
def opportunities_products_set(request, id: Id, payload: ProductLinesIn):
    """Replace the products (the whole list; an empty list takes them all out)."""
    o = sel.opportunity_get(actor=request.user, pk=id, mode="edit")
    o = opportunity_set_lines(
        actor=request.user, opportunity=o, version=payload.version, lines=[x.dict() for x in payload.lines]
    )
    return _out(o)
