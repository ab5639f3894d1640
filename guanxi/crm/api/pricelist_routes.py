"""/api/v1/price-lists, /customers/{id}/price-list and /price-lookup: the same services and selectors as the
pages (Settings → Price lists, the customer's price list card, quote pricing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.api.errors import STD, responses
from guanxi.core.exceptions import NotFoundError
from guanxi.core.money import currency_check
from guanxi.core.pagination import keyset_page
from guanxi.crm.api.pricelist_schemas import (
    Code,
    Day,
    Id,
    PriceListAssignIn,
    PriceListAssignOut,
    PriceListIn,
    PriceListOut,
    PriceListPage,
    PriceListPatch,
    PriceLookupOut,
    Quantity,
)
from guanxi.crm.models import PriceList, PriceListItem
from guanxi.crm.selectors import pricelists as sel
from guanxi.crm.services import pricelists as svc
from guanxi.parties.selectors.parties import party_get

router = Router(tags=["price lists"])


class PriceListQuery(Schema):
    state: str = Field("active", max_length=10, description="active, archived or all")
    currency: str = Field("", max_length=3)
    customer: Id | None = None
    q: str = Field("", max_length=100)
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class PriceLookupQuery(Schema):
    customer_id: Id
    currency: Code
    product_id: Id
    quantity: Quantity = Decimal(1)
    date: Day | None = Field(None, description="Default: today")


def _ref(pl: PriceList | None) -> dict | None:
    return {"id": pl.pk, "name": pl.name} if pl is not None else None


def pricelist_json(pl: PriceList) -> dict:
    return {
        **{
            f: getattr(pl, f)
            for f in ["id", "name", "name_en", "name_zh", "valid_from", "valid_until", "is_default", "note"]
        },
        **{f: getattr(pl, f) for f in ["version", "created_at", "updated_at"]},
        "currency": pl.currency_id,
        "customer": {"id": pl.customer.pk, "name": pl.customer.name} if pl.customer else None,
        "archived": pl.archived_at is not None,
        "items": [
            {
                "product_id": x.product_id,
                "product_code": x.product.code,
                "min_quantity": x.min_quantity,
                "unit_price": x.unit_price,
            }
            for x in pl.items.all()
        ],
    }


ITEMS = Prefetch(
    "items", queryset=PriceListItem.objects.select_related("product").order_by("product_id", "min_quantity")
)


def _one(pl: PriceList) -> dict:
    return pricelist_json(PriceList.objects.select_related("customer").prefetch_related(ITEMS).get(pk=pl.pk))


def _data(payload, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    data.pop("version", None)
    if "customer_id" in data:
        data["customer"] = data.pop("customer_id")
    if data.get("items") is not None:
        data["items"] = [
            {"product": x["product_id"], "min_quantity": x["min_quantity"], "unit_price": x["unit_price"]}
            for x in data["items"]
        ]
    return data


@router.get("/price-lists", response={200: PriceListPage, **responses(*STD)})
def price_lists_list(request, query: Query[PriceListQuery]):
    f = sel.PriceListFilters(state=query.state, currency=query.currency, customer=query.customer, q=query.q)
    qs = sel.pricelist_list(actor=request.user, filters=f).prefetch_related(ITEMS)
    page = keyset_page(qs, ordering=sel.ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [pricelist_json(pl) for pl in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/price-lists", response={201: PriceListOut, **responses(*STD, 409)})
def price_lists_create(request, payload: PriceListIn):
    pl = svc.pricelist_create(actor=request.user, data=_data(payload, exclude_unset=False))
    return Status(201, _one(pl))


@router.get("/price-lists/{id}", response={200: PriceListOut, **responses(*STD)})
def price_lists_get(request, id: Id):
    return _one(sel.pricelist_get(actor=request.user, pk=id))


@router.patch("/price-lists/{id}", response={200: PriceListOut, **responses(*STD, 409)})
def price_lists_update(request, id: Id, payload: PriceListPatch):
    pl = sel.pricelist_get(actor=request.user, pk=id)
    data = _data(payload, exclude_unset=True)
    return _one(svc.pricelist_update(actor=request.user, price_list=pl, version=payload.version, data=data))


@router.post("/price-lists/{id}/archive", response={200: PriceListOut, **responses(*STD, 409)})
def price_lists_archive(request, id: Id):
    pl = sel.pricelist_get(actor=request.user, pk=id)
    return _one(svc.pricelist_archive(actor=request.user, price_list=pl, archived=True))


@router.post("/price-lists/{id}/restore", response={200: PriceListOut, **responses(*STD, 409)})
def price_lists_restore(request, id: Id):
    pl = sel.pricelist_get(actor=request.user, pk=id)
    return _one(svc.pricelist_archive(actor=request.user, price_list=pl, archived=False))


def _assignment(request, party) -> dict:
    current = sel.customer_price_list(party=party)
    visible = current is not None and sel.pricelist_visible(actor=request.user).filter(pk=current.pk).exists()
    return {"customer_id": party.pk, "price_list": _ref(current) if visible else None}


@router.get("/customers/{id}/price-list", response={200: PriceListAssignOut, **responses(*STD)})
def customer_price_list_get(request, id: Id):
    sel.pricelist_visible(actor=request.user)  # who may see neither lists nor quotes: 403
    return _assignment(request, party_get(actor=request.user, pk=id))


@router.put("/customers/{id}/price-list", response={200: PriceListAssignOut, **responses(*STD, 409)})
def customer_price_list_put(request, id: Id, payload: PriceListAssignIn):
    party = party_get(actor=request.user, pk=id)
    party = svc.customer_price_list_set(actor=request.user, party=party, price_list=payload.price_list_id)
    return _assignment(request, party)


@router.get("/price-lookup", response={200: PriceLookupOut, **responses(*STD)})
def price_lookup(request, query: Query[PriceLookupQuery]):
    """The unit price a quote line would take: the customer's lists, its assigned list, the currency's
    default list, else the catalogue's sale price."""
    sel.pricelist_visible(actor=request.user)
    customer = party_get(actor=request.user, pk=query.customer_id)
    currency = currency_check(query.currency.upper(), field="currency").code
    product = usable_products(actor=request.user, sold=True).filter(pk=query.product_id).first()
    if product is None:
        raise ValidationError({"product_id": _("Choose a product that may be sold.")})
    day: dt.date = query.date or timezone.localdate()
    price, pl = sel.price_for(
        customer=customer, currency=currency, product=product, quantity=query.quantity, on_date=day
    )
    if pl is not None and not sel.pricelist_visible(actor=request.user).filter(pk=pl.pk).exists():
        raise NotFoundError()  # cannot happen for a customer the caller sees; never reveal a hidden list
    return {
        "unit_price": price,
        "currency": currency,
        "source": "price_list" if pl else "catalogue" if price is not None else "none",
        "price_list": _ref(pl),
    }
