"""Step 4: fapiao requests (see bench/generate_sales.py)."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from bench.sales_data.base import CENT, Env, _copy, _rate

FAPIAO_COLS = (
    "order_id", "kind", "amount", "state", "title", "tax_number", "bank_name", "bank_account", "address", "phone",
    "note", "fapiao_number", "issued_on", "tracking_number", "requested_by_id", "team_id", "version", "created_at",
)  # fmt: skip


def generate_fapiao(env: Env, total: int, *, chunk: int) -> None:
    from django.db import connection, transaction

    from guanxi.crm.models import FapiaoRequest

    have = FapiaoRequest.objects.count()
    if have >= total:
        print(f"fapiao requests: {have:,} already (target {total:,}): skipped", flush=True)
        return
    need = total - have
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT o.id, o.ordered_on, o.gross_total, o.state, o.owner_id, o.team_id, o.created_at, "
            "  COALESCE((SELECT sum(c.amount) FROM crm_collection c WHERE c.order_id = o.id), 0), "
            "  (SELECT max(c.received_on) FROM crm_collection c WHERE c.order_id = o.id), "
            "  (SELECT max(d.delivered_on) FROM crm_orderdelivery d WHERE d.order_id = o.id), "
            "  (SELECT i.amount FROM crm_instalment i WHERE i.order_id = o.id ORDER BY i.due_date, i.position "
            "   LIMIT 1), "
            "  left(CASE WHEN p.invoice_title <> '' THEN p.invoice_title ELSE p.name END, 200), "
            "  p.invoice_tax_number, p.invoice_bank_name, p.invoice_bank_account, p.invoice_address, "
            "  p.invoice_phone "
            "FROM crm_salesorder o JOIN parties_party p ON p.id = o.customer_id "
            "WHERE o.number LIKE 'BSO%%' AND o.state <> 'cancelled' "
            "AND NOT EXISTS (SELECT 1 FROM crm_fapiaorequest f WHERE f.order_id = o.id) ORDER BY o.id"
        )
        # invoiced once delivered, or for money received
        todo = [o for o in cur.fetchall() if o[3] in ("delivered", "closed") or o[7]]
    rng = random.Random(f"fapiao {have}")
    rows: list[tuple] = []
    states: dict[str, int] = {}
    made = picked = 0
    for n, o in enumerate(todo):
        wrote = made + len(rows)
        if wrote >= need:
            break
        per_order = wrote / picked if picked else 1.2
        if rng.random() >= (need - wrote) / ((len(todo) - n) * per_order):
            continue
        picked += 1
        oid, ordered_on, gross, state, owner, team, order_created, collected, paid_on, delivered_on = o[:10]
        deposit, title, tax_number, bank, account, address, phone = o[10:]
        if state in ("delivered", "closed"):
            r = rng.random()
            if r < 0.55 or not collected:
                amounts = [gross]
            elif r < 0.8:
                first = (gross * Decimal(rng.choice((3, 5, 7))) / 10).quantize(CENT)
                amounts = [first, gross - first]
            else:
                amounts = [collected]
            start = delivered_on or ordered_on
        elif collected:
            amounts = [min(collected, deposit or collected)]
            start = paid_on or ordered_on
        else:
            continue  # nothing delivered or received: no fapiao yet
        day = start
        for amount in amounts:
            day = min(env.today, day + dt.timedelta(days=rng.randint(0, 20)))
            created = max(env.at(day, rng.randint(9, 17), rng.randint(0, 59)), order_created)
            age = (env.today - day).days
            issued = rng.random() < (0.9 if age > 14 else 0.4)
            kind = (
                "special"
                if tax_number and rng.random() < 0.5
                else rng.choices(("electronic", "normal"), weights=(8, 2))[0]
            )
            number = tracking = ""
            issued_on = None
            if issued:
                number = (
                    f"{rng.randint(10**19, 10**20 - 1)}"
                    if kind == "electronic"
                    else f"{rng.randint(10**7, 10**8 - 1)}"
                )
                issued_on = min(env.today, day + dt.timedelta(days=rng.randint(0, 5)))
                tracking = f"SF{rng.randint(10**11, 10**12 - 1)}" if kind != "electronic" else ""
            st = "issued" if issued else "approved"
            states[st] = states.get(st, 0) + 1
            rows.append(
                (
                    oid,
                    kind,
                    amount,
                    st,
                    title,
                    tax_number,
                    bank,
                    account,
                    address,
                    phone,
                    "",
                    number,
                    issued_on,
                )
                + (tracking, owner, team, 2 if issued else 1, created)
            )
        if len(rows) >= chunk:
            with transaction.atomic(), connection.cursor() as cur:
                made += _copy(cur, "crm_fapiaorequest", FAPIAO_COLS, rows)
            rows = []
    with transaction.atomic(), connection.cursor() as cur:
        made += _copy(cur, "crm_fapiaorequest", FAPIAO_COLS, rows)
    spread = ", ".join(f"{s} {c:,}" for s, c in sorted(states.items(), key=lambda x: -x[1]))
    print(f"fapiao requests: {_rate(made, time.perf_counter() - t0)}; {spread}", flush=True)
