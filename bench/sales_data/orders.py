"""Step 2: sales orders, their lines and deliveries (see bench/generate_sales.py)."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from bench.sales_data.base import CANCEL_REASONS, CLOSE_SHORT, COURIERS, LINE_COLS, Env, Ids, _copy, _rate

ORDER_COLS = (
    "id", "number", "language", "notes", "net_total", "tax_total", "gross_total", "version", "created_at",
    "updated_at", "state", "ordered_on", "company_id", "contact_id", "created_by_id", "currency_id",
    "customer_id", "opportunity_id", "owner_id", "quote_id", "team_id", "cancelled_at", "close_reason",
    "closed_at", "collected",
)  # fmt: skip
ORDER_LINE_COLS = ("id", "order_id", *LINE_COLS, "delivery_date", "delivered_quantity")


def _order_state(rng: random.Random, age: int) -> str:
    states = ["confirmed", "partial", "delivered", "closed", "cancelled"]
    if age < 14:
        weights = (70, 15, 10, 0, 5)
    elif age < 90:
        weights = (20, 25, 45, 5, 5)
    else:
        weights = (3, 7, 35, 50, 5)
    return rng.choices(states, weights=weights)[0]


def _part(rng: random.Random, qty: list[int]) -> list[int] | None:
    """Quantities of a first delivery that carries something and leaves something (None if it cannot)."""
    for _ in range(6):
        out = []
        for q in qty:
            r = rng.random()
            out.append(q if r < 0.4 else (rng.randint(1, q - 1) if q > 1 and r < 0.7 else 0))
        if sum(out) and any(o < q for o, q in zip(out, qty, strict=True)):
            return out
    if len(qty) > 1:
        return [qty[0]] + [0] * (len(qty) - 1)
    return [qty[0] // 2] if qty[0] > 1 else None


def generate_orders(env: Env, total: int, *, chunk: int) -> None:
    from django.db import connection, transaction

    from guanxi.crm.models import SalesOrder

    have = SalesOrder.objects.count()
    if have >= total:
        print(f"orders: {have:,} already (target {total:,}): skipped", flush=True)
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT q.id FROM crm_quote q WHERE q.state = 'accepted' AND q.number LIKE 'BQ-%%' "
            "AND NOT EXISTS (SELECT 1 FROM crm_salesorder o WHERE o.quote_id = q.id) "
            "ORDER BY q.decided_at, q.id LIMIT %s",
            [total - have],
        )
        todo = [r[0] for r in cur.fetchall()]
    if len(todo) < total - have:
        print(f"orders: only {len(todo):,} accepted quotes without an order: run with more --quotes")
    rng = random.Random(f"orders {have}")
    order_ids, line_ids, delivery_ids = (
        Ids("crm_salesorder"),
        Ids("crm_salesorderline"),
        Ids("crm_orderdelivery"),
    )
    t0 = time.perf_counter()
    counts = dict.fromkeys(("orders", "lines", "deliveries", "delivery lines"), 0)
    states: dict[str, int] = {}
    head_cols = (
        "q.id, q.company_id, q.customer_id, q.contact_id, q.opportunity_id, q.owner_id, q.team_id, "
        "q.currency_id, q.language, q.notes, q.net_total, q.tax_total, q.gross_total, q.decided_at"
    )
    for start in range(0, len(todo), chunk):
        batch = todo[start : start + chunk]
        orders, olines, deliveries, dlines = [], [], [], []
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"SELECT {head_cols} FROM crm_quote q WHERE q.id = ANY(%s) ORDER BY q.decided_at, q.id",
                [batch],
            )
            heads = cur.fetchall()
            cur.execute(
                f"SELECT quote_id, {', '.join(LINE_COLS)} FROM crm_quoteline WHERE quote_id = ANY(%s) "
                "ORDER BY quote_id, position, id",
                [batch],
            )
            by_quote: dict[int, list] = {}
            for row in cur.fetchall():
                by_quote.setdefault(row[0], []).append(row[1:])
            for h in heads:
                (qid, company, customer, contact, opp, owner, team, currency, lang, notes) = h[:10]
                net, tax, gross, decided = h[10:]
                oid = order_ids.take(cur)
                ordered_on = env.local_day(decided)
                created = min(decided + dt.timedelta(milliseconds=rng.randint(5, 400)), env.now)
                age = (env.today - ordered_on).days
                state = _order_state(rng, age)
                qlines = by_quote[qid]
                qty = [int(x[3]) for x in qlines]
                plan: list[tuple[dt.date, list[int]]] = []  # deliveries: (day, quantity per line)

                def day_after(first: dt.date, most: int) -> dt.date:
                    return min(first + dt.timedelta(days=rng.randint(0, max(0, most))), env.today)

                if state == "partial" or (state == "closed" and rng.random() < 0.15):
                    part = _part(rng, qty)
                    if part is None:
                        state = "confirmed"
                    else:
                        plan.append((day_after(ordered_on, min(age, 30)), part))
                        state = "partial" if state == "partial" else "closed-short"
                elif state in ("delivered", "closed"):
                    part = _part(rng, qty) if rng.random() < 0.3 else None
                    if part is None:
                        plan.append((day_after(ordered_on, min(age, 45)), qty))
                    else:
                        first = day_after(ordered_on, min(age, 30))
                        plan.append((first, part))
                        rest = [q - p for q, p in zip(qty, part, strict=True)]
                        plan.append((day_after(first, min((env.today - first).days, 30)), rest))
                lids = [line_ids.take(cur) for _ in qlines]
                delivered = [0] * len(qlines)
                version, updated = 1 + len(plan), created
                closed_at = cancelled_at = None
                reason = ""
                for day, carried in plan:
                    did = delivery_ids.take(cur)
                    at = max(env.at(day, rng.randint(9, 17), rng.randint(0, 59)), created)
                    courier = rng.choice(COURIERS)
                    note = f"{courier}{rng.randint(10**11, 10**12 - 1)}" if rng.random() < 0.7 else ""
                    deliveries.append((did, oid, day, note, owner, at))
                    updated = max(updated, at)
                    for i, q in enumerate(carried):
                        if q:
                            dlines.append((did, lids[i], Decimal(q)))
                            delivered[i] += q
                if state in ("closed", "closed-short"):
                    reason = rng.choice(CLOSE_SHORT) if state == "closed-short" else ""
                    closed_at = min(updated + dt.timedelta(days=rng.uniform(0.5, 60)), env.now)
                    updated, version, state = closed_at, version + 1, "closed"
                elif state == "cancelled":
                    reason = rng.choice(CANCEL_REASONS)
                    cancelled_at = min(created + dt.timedelta(days=rng.uniform(0.1, 10)), env.now)
                    updated, version = cancelled_at, 2
                states[state] = states.get(state, 0) + 1
                number = f"BSO{ordered_on:%Y%m}-{oid:07d}"
                orders.append(
                    (oid, number, lang, notes, net, tax, gross, version, created, updated, state, ordered_on)
                    + (company, contact, owner, currency, customer, opp, owner, qid, team, cancelled_at)
                    + (reason, closed_at, 0)  # collected: set by the receivables step
                )
                for i, line in enumerate(qlines):
                    olines.append((lids[i], oid, *line, None, Decimal(delivered[i])))
            counts["orders"] += _copy(cur, "crm_salesorder", ORDER_COLS, orders)
            counts["lines"] += _copy(cur, "crm_salesorderline", ORDER_LINE_COLS, olines)
            counts["deliveries"] += _copy(
                cur,
                "crm_orderdelivery",
                ("id", "order_id", "delivered_on", "note", "created_by_id", "created_at"),
                deliveries,
            )
            counts["delivery lines"] += _copy(
                cur, "crm_orderdeliveryline", ("delivery_id", "line_id", "quantity"), dlines
            )
        print(f"  {counts['orders']:>10,} orders  {time.perf_counter() - t0:7.1f}s", flush=True)
    with transaction.atomic(), connection.cursor() as cur:
        # quote_accept: an order wakes a prospect or inactive customer up (audited there; not here)
        cur.execute(
            "UPDATE parties_party p SET customer_status = 'active', version = p.version + 1, updated_at = %s "
            "WHERE p.is_customer AND p.customer_status IN ('prospect', 'inactive') "
            "AND EXISTS (SELECT 1 FROM crm_salesorder o WHERE o.customer_id = p.id AND o.number LIKE 'BSO%%')",
            [env.now],
        )
        woken = cur.rowcount
    took = time.perf_counter() - t0
    rows = sum(counts.values())
    spread = ", ".join(f"{s} {c:,}" for s, c in sorted(states.items(), key=lambda x: -x[1]))
    detail = ", ".join(f"{c:,} {name}" for name, c in counts.items())
    print(f"orders: {detail}: {_rate(rows, took)}; {spread}; {woken:,} customers made active", flush=True)


# --- 3. Collection plans, collections, allocations --------------------------------------------------------
