"""/api/v1/currencies: read by every user with a role, changed by administrators (Settings → manage)."""

from __future__ import annotations

from ninja import Query, Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.money.schemas import CurrencyCode, CurrencyIn, CurrencyOut, CurrencyPatch, CurrencyQuery
from guanxi.core.models import Currency
from guanxi.core.selectors.money import currency_get, currency_list
from guanxi.core.services import money as svc

router = Router(tags=["currencies"])


def currency_json(c: Currency) -> dict:
    return {
        "code": c.code,
        "name": c.name,
        "name_en": c.name_en,
        "name_zh": c.name_zh,
        "symbol": c.symbol,
        "decimal_places": c.decimal_places,
        "active": c.active,
        "version": c.version,
    }


@router.get("/currencies", response={200: list[CurrencyOut], **responses(*STD)})
def currencies_list(request, query: Query[CurrencyQuery]):
    """Every currency (or only active / inactive ones), active first, by code."""
    return [currency_json(c) for c in currency_list(actor=request.user, active=query.active)]


@router.post("/currencies", response={201: CurrencyOut, **responses(*STD)})
def currencies_create(request, payload: CurrencyIn):
    currency = svc.currency_create(actor=request.user, **payload.dict())
    return Status(201, currency_json(currency))


@router.get("/currencies/{code}", response={200: CurrencyOut, **responses(*STD)})
def currencies_get(request, code: CurrencyCode):
    return currency_json(currency_get(actor=request.user, code=code))


@router.patch("/currencies/{code}", response={200: CurrencyOut, **responses(*STD, 409)})
def currencies_update(request, code: CurrencyCode, payload: CurrencyPatch):
    currency = currency_get(actor=request.user, code=code)
    data = payload.dict(exclude_unset=True)
    return currency_json(svc.currency_update(actor=request.user, currency=currency, **data))
