"""/api/v1/forecast and /api/v1/sales-targets: the same selector and service as the Forecast page."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from guanxi.core.api.errors import STD, responses
from guanxi.crm.api.schemas import ForecastOut, ForecastTargetOut, ForecastTargetsIn, Id
from guanxi.crm.models import SalesTarget
from guanxi.crm.selectors import forecast as sel
from guanxi.crm.services.targets import sales_targets_save

router = Router(tags=["forecast"])


class ForecastQuery(Schema):
    year: int = Field(ge=1900, le=2200)
    by: Literal["month", "quarter"] = "month"
    owner: str | None = Field(None, max_length=20, description='"me" or a user id')
    team: Id | None = None


def _cell(period: str, c: sel.Cell) -> dict:
    return {"period": period, **{m: getattr(c, m) for m in sel.MEASURES}, "count": c.count}


def _row(row: sel.Row, periods) -> dict:
    owner = row.owner
    return {
        "owner": {"id": owner.pk, "username": owner.username, "name": str(owner)} if owner else None,
        "cells": [_cell(p.key, c) for p, c in zip(periods, row.cells, strict=True)],
        "total": _cell("total", row.total),
    }


@router.get("/forecast", response={200: ForecastOut, **responses(*STD)})
def forecast_get(request, query: Query[ForecastQuery]):
    f = sel.forecast(
        actor=request.user, year=query.year, by=query.by, owner=query.owner or "", team=query.team
    )
    return {
        "year": f.year,
        "by": f.by,
        "currency": f.currency,
        "missing_rates": f.missing_rates,
        "rows": [_row(r, f.periods) for r in f.rows],
        "total": _row(f.total, f.periods),
    }


class TargetsQuery(Schema):
    year: int = Field(ge=1900, le=2200)


@router.get("/sales-targets", response={200: list[ForecastTargetOut], **responses(*STD)})
def sales_targets_list(request, query: Query[TargetsQuery]):
    return _targets(request, query.year)


def _targets(request, year: int) -> list[dict]:
    sel.require_reader(request.user)
    reach = sel.target_owners_in_reach(request.user)
    qs = SalesTarget.objects.filter(month__year=year).order_by("owner_id", "month")
    if reach is not None:
        qs = qs.filter(owner_id__in=reach)
    return [
        {"owner_id": t.owner_id, "month": t.month, "amount": t.amount, "currency": t.currency_id} for t in qs
    ]


@router.put("/sales-targets", response={200: list[ForecastTargetOut], **responses(*STD)})
def sales_targets_put(request, payload: ForecastTargetsIn):
    entries = [
        {
            "owner": t.owner_id,
            "month": t.month,
            "amount": "" if t.amount is None else t.amount,
            "currency": t.currency,
        }
        for t in payload.targets
    ]
    sales_targets_save(actor=request.user, year=payload.year, entries=entries)
    return _targets(request, payload.year)
