"""Step 1: quotes and their lines (see bench/generate_sales.py)."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from bench.sales_data.base import (
    CENT,
    DAY,
    DISCOUNT_WEIGHTS,
    DISCOUNTS,
    GOODS,
    LINE_COLS,
    NOTES,
    QUOTE_COLS,
    SERVICES,
    VALID_DAYS,
    Env,
    Ids,
    _copy,
    _rate,
)


def _lines(rng: random.Random, env: Env, zh: bool) -> tuple[list[tuple], object]:
    """1–5 free-text lines as clean_lines leaves them (LINE_COLS order) and the document totals."""
    from guanxi.crm.services.quote_totals import document_totals, line_amounts

    n = rng.choices((1, 2, 3, 4, 5), weights=(30, 30, 20, 12, 8))[0]
    lines, amounts, discounts = [], [], []
    for position in range(1, n + 1):
        if rng.random() < 0.75:
            zh_text, en_text, low, high = rng.choice(GOODS)
            tax, unit, qty = env.vat13, env.units.get("pcs"), rng.randint(1, 200)
        else:
            zh_text, en_text, low, high, unit_code = rng.choice(SERVICES)
            tax, unit, qty = env.vat6, env.units.get(unit_code), rng.randint(1, 40)
        quantity = Decimal(qty)
        unit_price = Decimal(rng.randint(low * 100, high * 100)) * CENT
        discount = rng.choices(DISCOUNTS, weights=DISCOUNT_WEIGHTS)[0]
        a = line_amounts(
            quantity=quantity,
            unit_price=unit_price,
            discount_percent=discount,
            tax_percent=tax.rate,
            currency="CNY",
        )
        lines.append(
            (position, None, zh_text if zh else en_text, quantity, unit, unit_price, discount, tax.pk)
            + (tax.rate, a.net, a.tax, a.gross)
        )
        amounts.append(a)
        discounts.append(discount)
    return lines, document_totals(amounts, discounts)


def _state_by_age(rng: random.Random, env: Env, created: dt.datetime, *, revision: bool) -> str:
    """A quote's state other than accepted: sent only while valid, expired only after its last valid day."""
    if env.local_day(created) + dt.timedelta(days=VALID_DAYS) >= env.today:
        states, weights = ["draft", "approved", "sent", "rejected", "superseded"], [30, 5, 50, 10, 5]
    else:
        states, weights = ["draft", "rejected", "expired", "superseded"], [8, 42, 45, 5]
    if revision:  # a revision is not revised again here
        weights = weights[:-1]
        states = states[:-1]
    return rng.choices(states, weights=weights)[0]


def _quote_row(
    rng, env: Env, qid: int, state: str, created: dt.datetime, head: dict, totals, **extra
) -> tuple:
    """One quote as the services leave it in `state` (versions: create 1, submit 2, send 3, accept/reject/expire/
    revise 4; a draft may have been edited)."""
    now = env.now
    valid_until = env.local_day(created) + dt.timedelta(days=VALID_DAYS)
    sent_at = decided_at = None
    updated = created
    version = {"draft": rng.choice((1, 1, 1, 2, 3)), "approved": 2, "sent": 3}.get(state, 4)
    if state not in ("draft", "approved"):
        sent_at = extra.get("sent_at") or min(created + dt.timedelta(hours=rng.uniform(0.2, 72)), now)
        updated = sent_at
    if state in ("accepted", "rejected"):
        decided_at = min(sent_at + dt.timedelta(days=rng.uniform(0.5, 25)), now)  # type: ignore[operator]
        # quote_accept does not look at the last valid day, but customers mostly decide in time
        last = dt.datetime.combine(valid_until, dt.time(18), tzinfo=env.tz)
        if decided_at > last and rng.random() < 0.9:
            decided_at = max(sent_at, last)  # type: ignore[type-var]
        updated = decided_at
    elif state == "expired":
        updated = min(env.at(valid_until + DAY, 2, rng.randint(0, 59)), now)
    elif state == "superseded":
        updated = extra["revised_at"]
    number = extra.get("number") or f"BQ-{env.local_day(created).year}-{qid:08d}"
    sent_to = (
        f"buyer{head['customer'] % 997}@customer{head['customer']}.example.cn"
        if sent_at and rng.random() < 0.4
        else ""
    )
    return (
        qid, number, head["language"], head["notes"], totals.net, totals.tax, totals.gross, version, created,
        updated, state, extra.get("revision", 0), valid_until, totals.max_discount, sent_at, sent_to, decided_at,
        env.company_id, None, head["owner"], "CNY", head["customer"], head["opportunity"], head["owner"],
        extra.get("previous"), head["team"], False, None,
    )  # fmt: skip


def _head(rng: random.Random, env: Env) -> dict:
    team = env.east.pk if rng.random() < env.east_share else env.west.pk
    opps = env.opportunities[team]
    if opps and rng.random() < 0.6:
        opportunity, customer, owner = rng.choice(opps)
    else:
        opportunity, customer, owner = None, rng.choice(env.customers), rng.choice(env.members[team])
    zh = rng.random() < 0.8
    return {
        "team": team,
        "owner": owner,
        "customer": customer,
        "opportunity": opportunity,
        "language": "zh-hans" if zh else "en",
        "zh": zh,
        "notes": rng.choice(NOTES),
    }


def generate_quotes(env: Env, total: int, orders: int, *, chunk: int) -> None:
    from django.db import connection, transaction

    from guanxi.crm.models import Quote, SalesOrder

    have = Quote.objects.count()
    if have >= total:
        print(f"quotes: {have:,} already (target {total:,}): skipped", flush=True)
        return
    n = total - have
    # exactly as many accepted quotes as the orders still need (one order per accepted quote)
    waiting = Quote.objects.filter(state="accepted", order__isnull=True).count()
    accept = min(1.0, max(0, orders - SalesOrder.objects.count() - waiting) / n)
    rng = random.Random(f"quotes {have}")
    ids = Ids("crm_quote")
    t0 = time.perf_counter()
    made = lines_made = 0
    states: dict[str, int] = {}
    k = 0
    while k < n:
        quotes, lines = [], []
        with transaction.atomic(), connection.cursor() as cur:
            while k < n and len(quotes) < chunk:
                u = (k + rng.random()) / n
                created = env.now - dt.timedelta(days=1095 * (1 - u) ** 1.5)
                accepted = int((k + 1) * accept) > int(k * accept)
                state = "accepted" if accepted else _state_by_age(rng, env, created, revision=False)
                head = _head(rng, env)
                qlines, totals = _lines(rng, env, head["zh"])
                qid = ids.take(cur)
                if state == "superseded" and k + 1 < n:
                    # revised: its revision (same lines) follows, a few days after it was sent
                    rid = ids.take(cur)
                    sent_at = min(created + dt.timedelta(hours=rng.uniform(0.2, 72)), env.now)
                    revised_at = min(sent_at + dt.timedelta(days=rng.uniform(0.5, 10)), env.now)
                    row = _quote_row(
                        rng, env, qid, state, created, head, totals, sent_at=sent_at, revised_at=revised_at
                    )
                    k += 1
                    r_accepted = int((k + 1) * accept) > int(k * accept)
                    r_state = "accepted" if r_accepted else _state_by_age(rng, env, revised_at, revision=True)
                    rev = _quote_row(
                        rng, env, rid, r_state, revised_at, head, totals,
                        number=row[1] + "-R1", revision=1, previous=qid,
                    )  # fmt: skip
                    quotes += [row, rev]
                    lines += [(qid, *x) for x in qlines] + [(rid, *x) for x in qlines]
                    states[state] = states.get(state, 0) + 1
                    states[r_state] = states.get(r_state, 0) + 1
                else:
                    if state == "superseded":  # the last slot: no room for its revision
                        state = "rejected"
                    quotes.append(_quote_row(rng, env, qid, state, created, head, totals))
                    lines += [(qid, *x) for x in qlines]
                    states[state] = states.get(state, 0) + 1
                k += 1
            made += _copy(cur, "crm_quote", QUOTE_COLS, quotes)
            lines_made += _copy(cur, "crm_quoteline", ("quote_id", *LINE_COLS), lines)
        print(f"  {made:>10,} quotes  {time.perf_counter() - t0:7.1f}s", flush=True)
    took = time.perf_counter() - t0
    spread = ", ".join(f"{s} {c:,}" for s, c in sorted(states.items(), key=lambda x: -x[1]))
    print(f"quotes: {made:,} + {lines_made:,} lines: {_rate(made + lines_made, took)}; {spread}", flush=True)


# --- 2. Sales orders --------------------------------------------------------------------------------------
