"""/api/v1/exchange-rates: the list (filters, cursor pages), entering, correcting and deleting a rate,
importing CSV text, and converting an amount at a date."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from guanxi.core.api.errors import STD, problem, responses
from guanxi.core.api.money.schemas import (
    ConversionOut,
    ConvertQuery,
    ExchangeRateIn,
    ExchangeRateOut,
    ExchangeRatePage,
    ExchangeRatePatch,
    ExchangeRateQuery,
    Id,
    ImportIn,
    ImportOut,
)
from guanxi.core.models import ExchangeRate
from guanxi.core.money.amounts import clean_amount
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors.exchange_rates import (
    RateFilters,
    convert,
    exchange_rate_get,
    exchange_rate_list,
)
from guanxi.core.selectors.money import require_reader
from guanxi.core.services import exchange_rates as svc
from guanxi.core.services import rate_import
from guanxi.core.services.rate_import import ImportResult

router = Router(tags=["exchange rates"])


def rate_json(r: ExchangeRate) -> dict:
    return {
        "id": r.pk,
        "date": r.date,
        "base": r.base_id,
        "quote": r.quote_id,
        "rate": svc.rate_text(r.rate),
        "inverse": r.inverse,
        "source": r.source,
        "version": r.version,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


@router.get("/exchange-rates", response={200: ExchangeRatePage, **responses(*STD)})
def exchange_rates_list(request, query: Query[ExchangeRateQuery]):
    """Rates, newest date first."""
    filters = RateFilters(
        currency=(query.currency or "").upper(),
        base=(query.base or "").upper(),
        quote=(query.quote or "").upper(),
        date_from=query.date_from,
        date_to=query.date_to,
    )
    qs = exchange_rate_list(actor=request.user, filters=filters)
    page = keyset_page(qs, ordering=["-date", "-id"], cursor=query.cursor, limit=query.limit)
    return {
        "items": [rate_json(r) for r in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/exchange-rates", response={201: ExchangeRateOut, **responses(*STD)})
def exchange_rates_create(request, payload: ExchangeRateIn):
    """1 `base` = `rate` `quote` on `date` (per `unit` units of base, if given). One rate per pair and
    day, in one direction: the other direction is computed from it."""
    row = svc.exchange_rate_create(
        actor=request.user,
        date=payload.date,
        base=payload.base,
        quote=payload.quote,
        rate=payload.rate,
        unit=payload.unit if payload.unit != 1 else None,
    )
    return Status(201, rate_json(row))


@router.get("/exchange-rates/convert", response={200: ConversionOut, **responses(*STD)})
def exchange_rates_convert(request, query: Query[ConvertQuery]):
    """`amount` in `from` converted to `to` at the rate of `date`, or else the latest earlier rate (then
    `exact` is false and `rate_date` says which day). No rate on or before the date: 422."""
    require_reader(request.user)
    amount = clean_amount(query.amount, allow_negative=True, max_places=10)
    result = convert(amount, query.from_, query.to, on=query.date, via=query.via)
    return {
        "amount": f"{result.amount:f}",
        "from_amount": f"{result.from_amount:f}",
        "from_currency": result.from_currency,
        "to_currency": result.to_currency,
        "date": result.on,
        "rate": svc.rate_text(result.rate),
        "rate_date": result.rate_date,
        "exact": result.exact,
        "note": result.note(),
        "legs": [
            {
                "id": leg.id,
                "base": leg.base,
                "quote": leg.quote,
                "rate": svc.rate_text(leg.rate),
                "date": leg.date,
                "inverted": leg.inverted,
            }
            for leg in result.legs
        ],
    }


def _import_json(result: ImportResult) -> dict:
    counts = result.counts
    return {
        "applied": result.applied,
        "new": counts["new"],
        "changed": counts["changed"],
        "unchanged": counts["unchanged"],
        "errors": counts["error"],
        "rows": [
            {
                "line": r.line,
                "date": r.date,
                "base": r.base,
                "quote": r.quote,
                "rate": svc.rate_text(r.rate) if r.rate is not None else None,
                "status": r.status,
                "old_rate": svc.rate_text(r.old_rate) if r.old_rate is not None else None,
                "errors": [{"field": k, "message": m} for k, m in r.errors.items()],
            }
            for r in result.rows
        ],
    }


@router.post("/exchange-rates/import", response={200: ImportOut, **responses(*STD)})
def exchange_rates_import(request, payload: ImportIn):
    """Check CSV text (columns date, base, quote, rate, optionally unit; LINE counts the header as 1) and,
    with `apply`, import it in one transaction. A preview answers 200 with each row's status and errors.
    Importing with any wrong line, or text that is not a rate table, is a 422 listing the problems as
    `rows[LINE].field` (or `file`); nothing is written."""
    result = rate_import.exchange_rates_import(
        actor=request.user, content=payload.csv.encode("utf-8"), filename="import.csv", apply=payload.apply
    )
    if result.file_errors or (payload.apply and not result.ok):
        return problem(422, _("Some rows are not valid: nothing was imported."), errors=result.error_list())
    return _import_json(result)


@router.get("/exchange-rates/{id}", response={200: ExchangeRateOut, **responses(*STD)})
def exchange_rates_get(request, id: Id):
    return rate_json(exchange_rate_get(actor=request.user, pk=id))


@router.patch("/exchange-rates/{id}", response={200: ExchangeRateOut, **responses(*STD, 409)})
def exchange_rates_update(request, id: Id, payload: ExchangeRatePatch):
    row = exchange_rate_get(actor=request.user, pk=id)
    return rate_json(
        svc.exchange_rate_update(
            actor=request.user, exchange_rate=row, version=payload.version, rate=payload.rate
        )
    )


@router.delete("/exchange-rates/{id}", response={204: None, **responses(*STD)})
def exchange_rates_delete(request, id: Id):
    row = exchange_rate_get(actor=request.user, pk=id)
    svc.exchange_rate_delete(actor=request.user, exchange_rate=row)
    return Status(204, None)
