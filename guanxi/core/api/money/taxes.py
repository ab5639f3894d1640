"""/api/v1/tax-rates: read by every user with a role, changed by administrators; and the tax on an
amount, computed as documents compute it."""

from __future__ import annotations

from ninja import Query, Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.money.schemas import (
    Id,
    TaxAmountsOut,
    TaxCalculateQuery,
    TaxRateIn,
    TaxRateOut,
    TaxRatePatch,
    TaxRateQuery,
)
from guanxi.core.models import TaxRate
from guanxi.core.money.amounts import clean_amount, currency_check
from guanxi.core.money.tax import percent_text, tax_from_gross, tax_on_net
from guanxi.core.selectors.money import tax_rate_get, tax_rate_list
from guanxi.core.services import money as svc

router = Router(tags=["tax rates"])


def tax_json(t: TaxRate) -> dict:
    return {
        "id": t.pk,
        "code": t.code,
        "name": t.name,
        "name_en": t.name_en,
        "name_zh": t.name_zh,
        "rate": percent_text(t.rate),
        "kind": t.kind,
        "active": t.active,
        "version": t.version,
    }


@router.get("/tax-rates", response={200: list[TaxRateOut], **responses(*STD)})
def tax_rates_list(request, query: Query[TaxRateQuery]):
    return [tax_json(t) for t in tax_rate_list(actor=request.user, active=query.active)]


@router.post("/tax-rates", response={201: TaxRateOut, **responses(*STD)})
def tax_rates_create(request, payload: TaxRateIn):
    return Status(201, tax_json(svc.tax_rate_create(actor=request.user, **payload.dict())))


@router.get("/tax-rates/{id}", response={200: TaxRateOut, **responses(*STD)})
def tax_rates_get(request, id: Id):
    return tax_json(tax_rate_get(actor=request.user, pk=id))


@router.patch("/tax-rates/{id}", response={200: TaxRateOut, **responses(*STD, 409)})
def tax_rates_update(request, id: Id, payload: TaxRatePatch):
    tax = tax_rate_get(actor=request.user, pk=id)
    data = payload.dict(exclude_unset=True)
    return tax_json(svc.tax_rate_update(actor=request.user, tax_rate=tax, **data))


@router.get("/tax-rates/{id}/calculate", response={200: TaxAmountsOut, **responses(*STD)})
def tax_rates_calculate(request, id: Id, query: Query[TaxCalculateQuery]):
    """Net → tax and gross (or gross → net and tax with `gross=true`), rounded half up to the currency,
    net + tax = gross exactly."""
    tax = tax_rate_get(actor=request.user, pk=id)
    currency = currency_check(query.currency, active=False)
    amount = clean_amount(query.amount, currency=currency, allow_negative=True, max_places=10)
    result = (tax_from_gross if query.gross else tax_on_net)(amount, tax, currency)
    return {
        "net": f"{result.net:f}",
        "tax": f"{result.tax:f}",
        "gross": f"{result.gross:f}",
        "rate": percent_text(result.rate),
        "currency": currency.code,
    }
