"""Talking to /api/v1/rfqs in the sourcing API tests: an RFQ created through the API, an operation on it with
the version it was read at, a supplier's quote as the API takes it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from guanxi.core.tests.api.helpers import ok, problem

RECEIVED = {"id", "supplier", "round", "state", "received_at"}  # all an answer says of a sealed quote
CONTENTS = {"currency", "payment_days", "valid_until", "notes", "lines"}  # and of an opened one, too


def later(hours: int = 48) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def created(api, shop, status=201, **data) -> dict:
    body = {
        "title": "电阻和纸箱 2031 Q1",
        "deadline": later(),
        "lines": [
            {"product": shop.resistor.pk, "quantity": "10000"},
            {"product": shop.carton.pk, "quantity": "500", "needed_by": "2031-03-02"},
        ],
        **data,
    }
    resp = api.post("/rfqs", body)
    return ok(resp, status) if status < 400 else problem(resp, status)


def op(api, r: dict, name: str, status: int = 200, **extra) -> dict:
    return ok(api.post(f"/rfqs/{r['id']}/{name}", {"version": r["version"], **extra}), status)


def post(api, r: dict, name: str, **extra):
    return api.post(f"/rfqs/{r['id']}/{name}", {"version": r["version"], **extra})


def quote_body(r: dict, party, prices, **extra) -> dict:
    lines = [
        {"rfq_line": ln["id"], "unit_price": p, "lead_days": 10}
        for ln, p in zip(r["lines"], prices, strict=False)
        if p is not None
    ]
    return {"supplier": party.pk, "lines": lines, **extra}
