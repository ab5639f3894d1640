"""Step 3: collection plans, collections and their allocations (see bench/generate_sales.py)."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from bench.sales_data.base import BANKS, CENT, DAY, METHOD_WEIGHTS, METHODS, Env, Ids, _copy, _rate

INSTALMENT_COLS = (
    "id", "order_id", "position", "due_date", "amount", "paid", "remind_days_before", "reminded_at",
    "overdue_notified_at",
)  # fmt: skip
COLLECTION_COLS = (
    "id", "order_id", "received_on", "amount", "method", "bank_reference", "note", "created_at", "created_by_id",
)  # fmt: skip


def _plan(rng: random.Random, ordered_on: dt.date, gross: Decimal) -> list[tuple[dt.date, Decimal]]:
    """Instalments (due date, amount) summing to the order's total: monthly, a 30 % deposit first."""
    n = rng.choices((1, 2, 3, 4, 6, 12), weights=(10, 20, 25, 20, 15, 10))[0]
    cents = int(gross / CENT)
    n = max(1, min(n, cents))
    first = ordered_on + dt.timedelta(days=rng.choice((0, 0, 15, 30)))
    if n == 1:
        parts = [cents]
    else:
        deposit = cents * 3 // 10
        each = (cents - deposit) // (n - 1)
        parts = [deposit] + [each] * (n - 2) + [cents - deposit - each * (n - 2)]
        if min(parts) <= 0:
            parts = [cents // n] * (n - 1) + [cents - cents // n * (n - 1)]
    return [(first + dt.timedelta(days=30 * i), Decimal(c) * CENT) for i, c in enumerate(parts)]


def _split(rng: random.Random, amount: Decimal, parts: int) -> list[Decimal]:
    cents = int(amount / CENT)
    parts = max(1, min(parts, cents))
    cuts = sorted(rng.sample(range(1, cents), parts - 1)) if parts > 1 else []
    edges = [0, *cuts, cents]
    return [Decimal(b - a) * CENT for a, b in zip(edges, edges[1:], strict=False)]


def _payments(rng: random.Random, env: Env, ordered_on, plan, closed: bool) -> list[tuple[dt.date, Decimal]]:
    """What the customer paid by today, instalment by instalment in due order (date, amount): a prefix of the
    plan, perhaps with a part of the next one."""
    kind = rng.choices(("good", "late", "bad"), weights=(90, 8, 2) if closed else (75, 18, 7))[0]
    out: list[tuple[dt.date, Decimal]] = []
    last = ordered_on
    for i, (due, amount) in enumerate(plan):
        if kind == "good":
            day = due + dt.timedelta(days=rng.randint(-10, 12))
        elif kind == "late":
            day = due + dt.timedelta(days=rng.randint(10, 75))
        else:
            day = due + dt.timedelta(days=rng.randint(30, 150)) if i == 0 else None
        if day is not None:
            day = max(day, last)
        if day is None or day > env.today:
            if due < env.today and rng.random() < 0.25:  # part of an overdue instalment
                cents = int(amount / CENT)
                if cents > 1:
                    part = Decimal(rng.randint(max(1, cents * 3 // 10), max(1, cents * 7 // 10))) * CENT
                    out.append((min(env.today, max(last, due + dt.timedelta(days=rng.randint(0, 30)))), part))
            break
        out.append((day, amount))
        last = day
    return out


def generate_receivables(env: Env, total: int, *, chunk: int) -> None:
    from django.db import connection, transaction

    from guanxi.crm.models import Collection

    have = Collection.objects.count()
    if have >= total:
        print(f"collections: {have:,} already (target {total:,}): skipped", flush=True)
        return
    need = total - have
    with connection.cursor() as cur:
        cur.execute(
            "SELECT o.id, o.ordered_on, o.gross_total, o.owner_id, o.state, o.created_at FROM crm_salesorder o "
            "WHERE o.number LIKE 'BSO%%' AND o.state <> 'cancelled' "
            "AND NOT EXISTS (SELECT 1 FROM crm_instalment i WHERE i.order_id = o.id) ORDER BY o.id"
        )
        todo = cur.fetchall()
    rng = random.Random(f"receivables {have}")
    inst_ids, coll_ids = Ids("crm_instalment"), Ids("crm_collection")
    t0 = time.perf_counter()
    counts = dict.fromkeys(("instalments", "collections", "allocations"), 0)
    done = 0
    overdue = 0

    def plan_and_payments(oid, ordered_on, gross, state):
        r = random.Random(oid)  # the same plan and payments in both passes
        plan = _plan(r, ordered_on, gross)
        return plan, _payments(r, env, ordered_on, plan, state == "closed")

    # First pass: how many payments there will be (older orders have more), to steer the collections per payment
    # (a payment in parts, or two payments in one transfer) so that the last order reaches the target.
    base = sum(len(plan_and_payments(*o[:3], o[4])[1]) for o in todo)
    made = 0  # collections, this run
    for start in range(0, len(todo), chunk):
        rows_i, rows_c, rows_a = [], [], []
        with transaction.atomic(), connection.cursor() as cur:
            for oid, ordered_on, gross, owner, state, created in todo[start : start + chunk]:
                plan, pays = plan_and_payments(oid, ordered_on, gross, state)
                s = (need - made) / base if base else 1.0
                split, merge = (s - 1.0, 0.0) if s >= 1 else (0.0, min(1.0, 2 * (1.0 - max(s, 0.0))))
                base -= len(pays)
                done += 1
                # payments → collections: split in parts, or two payments in one transfer
                colls: list[tuple[dt.date, Decimal]] = []
                i = 0
                while i < len(pays):
                    day, amount = pays[i]
                    if merge and i + 1 < len(pays) and rng.random() < merge:
                        day, amount = pays[i + 1][0], amount + pays[i + 1][1]
                        i += 1
                    parts = 1 + int(split) + (1 if rng.random() < split - int(split) else 0)
                    for j, a in enumerate(_split(rng, amount, min(parts, 6))):
                        colls.append((min(env.today, day + dt.timedelta(days=j * rng.randint(1, 12))), a))
                    i += 1
                colls.sort(key=lambda x: x[0])
                iids = [inst_ids.take(cur) for _ in plan]
                paid = [Decimal(0)] * len(plan)
                paid_on: list[dt.date | None] = [None] * len(plan)
                # guanxi.crm.services.receivables._allocate, collection by collection in the order received
                for day, amount in colls:
                    cid = coll_ids.take(cur)
                    method = rng.choices(METHODS, weights=METHOD_WEIGHTS)[0]
                    ref = (
                        f"{rng.choice(BANKS)} {day} {rng.randint(1, 9999):04d}"
                        if method == "transfer"
                        else ""
                    )
                    later = rng.choice((0, 0, 1, 2))
                    recorded = max(
                        env.at(min(env.today, day + dt.timedelta(days=later)), 10, rng.randint(0, 59)),
                        created,
                    )
                    rows_c.append((cid, oid, day, amount, method, ref, "", recorded, owner))
                    made += 1
                    left = amount
                    for k, (_due, inst_amount) in enumerate(plan):
                        if left <= 0:
                            break
                        take = min(left, inst_amount - paid[k])
                        if take <= 0:
                            continue
                        rows_a.append((cid, iids[k], take))
                        paid[k] += take
                        left -= take
                        if paid[k] == inst_amount:
                            paid_on[k] = day
                    assert left == 0, (oid, left)  # the plan is the order's total: nothing is left over
                for k, (due, amount) in enumerate(plan):
                    remind = 3 if rng.random() < 0.8 else 7
                    remind_day = due - dt.timedelta(days=remind)
                    reminded = (
                        env.at(remind_day, 9)
                        if remind_day <= env.today and (paid_on[k] is None or paid_on[k] > remind_day)
                        else None
                    )
                    late = due < env.today and (paid_on[k] is None or paid_on[k] > due)
                    notified = env.at(due + DAY, 9) if late and due + DAY <= env.today else None
                    if due < env.today and paid[k] < amount:
                        overdue += 1
                    rows_i.append((iids[k], oid, k + 1, due, amount, paid[k], remind, reminded, notified))
            counts["instalments"] += _copy(cur, "crm_instalment", INSTALMENT_COLS, rows_i)
            counts["collections"] += _copy(cur, "crm_collection", COLLECTION_COLS, rows_c)
            counts["allocations"] += _copy(
                cur, "crm_collectionallocation", ("collection_id", "instalment_id", "amount"), rows_a
            )
            # SalesOrder.collected, as collection_record keeps it: the sum of the order's collections.
            cur.execute(
                "UPDATE crm_salesorder o SET collected = c.s FROM (SELECT order_id, SUM(amount) s FROM"
                " crm_collection WHERE order_id = ANY(%s) GROUP BY order_id) c WHERE o.id = c.order_id",
                [sorted({r[1] for r in rows_i})],
            )
        print(
            f"  {done:>10,} orders  {counts['collections']:>10,} collections  {time.perf_counter() - t0:7.1f}s",
            flush=True,
        )
    took = time.perf_counter() - t0
    detail = ", ".join(f"{c:,} {name}" for name, c in counts.items())
    print(
        f"receivables: {detail} on {done:,} orders: {_rate(sum(counts.values()), took)}; "
        f"{overdue:,} instalments overdue and not fully paid",
        flush=True,
    )


# --- 4. Fapiao requests -----------------------------------------------------------------------------------
