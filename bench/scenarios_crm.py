"""The sales app's scenarios for bench/run.py (issue 7): the board, the tables, the forecast, 查重 and receivables."""

from __future__ import annotations

from urllib.parse import quote


def crm_scenarios(ctx) -> list[dict]:
    """The pipeline board and the opportunity table (bench/opportunities.py fills the opportunities)."""
    have = ctx.get("sessions", {})
    if "bench.manager" not in have:
        return []
    out = [
        {
            "name": "crm: board, manager (whole team)",
            "method": "GET",
            "path": "/sales/pipeline/1/",
            "auth": "user:bench.manager",
        },
        {
            "name": "crm: board, manager, one owner",
            "method": "GET",
            "path": "/sales/pipeline/1/?owner=me",
            "auth": "user:bench.rep3",
        },
        {
            "name": "crm: opportunity table, manager",
            "method": "GET",
            "path": "/sales/opportunities/",
            "auth": "user:bench.manager",
        },
        {
            "name": "crm: API opportunities, 50",
            "method": "GET",
            "path": "/api/v1/opportunities?limit=50",
            "auth": "token",
        },
    ]
    # The forecast of this year by month for the manager's team; 查重 (the check reps run before entering a
    # customer) by a company name and by a phone; and the sales documents of bench/generate_sales.py.
    import datetime as dt

    year = dt.date.today().year
    name = ctx.get("exact_name") or "Bench customer 0001234"
    phone = ctx.get("phone") or "138 0013 8000"
    if "bench.rep3" in have:
        out += [
            {
                "name": "crm: forecast of a year by month, manager",
                "method": "GET",
                "path": f"/sales/forecast/?year={year}&by=month",
                "auth": "user:bench.manager",
            },
            {
                "name": "crm: 查重 by a company name, rep",
                "method": "GET",
                "path": f"/sales/check/?q={quote(name)}",
                "auth": "user:bench.rep3",
            },
            {
                "name": "crm: 查重 by a phone, rep",
                "method": "GET",
                "path": f"/sales/check/?q={quote(phone)}",
                "auth": "user:bench.rep3",
            },
            {
                "name": "crm: receivables overview, rep",
                "method": "GET",
                "path": "/sales/receivables/",
                "auth": "user:bench.rep3",
            },
            {
                "name": "crm: order list, rep",
                "method": "GET",
                "path": "/sales/orders/",
                "auth": "user:bench.rep3",
            },
            {
                "name": "crm: quote list, rep",
                "method": "GET",
                "path": "/sales/quotes/",
                "auth": "user:bench.rep3",
            },
        ]
    return out
