"""Add quotes, sales orders and their receivables (回款) to a benchmark database that bench/opportunities.py has
filled (PostgreSQL): the sales documents of issue 7 (500k quotes, 300k orders, 1M collections).

Run by hand, never from the test suite (docs/benchmarks.md, issue 7):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench_crm \
        .venv/bin/python bench/generate_sales.py --quotes 500000 --orders 300000 --collections 1000000

It needs our company (`guanxi demo` makes one), the users and teams of bench/opportunities.py (`bench.rep0..9`
of "Bench East", `bench.west0..9` of "Bench West") and customers. Rows are shaped in Python with the services'
own arithmetic (guanxi.crm.services.quote_totals: each line rounded half up to the fen, tax on the rounded
amount, document totals the sums) and written with COPY in chunks, one transaction each; foreign-key triggers
are off meanwhile (rows consistent by construction; CHECK and UNIQUE constraints still apply). No audit
entries and no timeline events: a benchmark data set, not user data. ANALYZE at the end. Each step is skipped
when its table already holds the target (and otherwise adds what is missing), so a stopped run can go on.

1. **Quotes** (`--quotes`): numbered `BQ-{YYYY}-{id:08}` (the numbering sequence's `QT-…` never collides),
   created over three years (more of them recent), 5 % (`--east-share`) owned by the East team's reps, the rest
   by the West's; 60 % made from one of the team's opportunities (its customer and owner), the others for any
   customer. 1–5 free-text lines (goods at 13 % VAT in pcs, services at 6 % in hours or days, discounts of 0–15 %),
   CNY. Exactly as many are accepted as the orders need (`--orders` / `--quotes`, 60 % at the default sizes);
   the others by age: within their 30 valid days draft, ready to send, sent or rejected; older rejected,
   expired (sent, past their last valid day) or an abandoned draft; 5 % of those are revised
   (superseded, followed by their revision `…-R1` with the same lines, whose own state is drawn again). Versions,
   sent/decided times and the largest discount as the services leave them.
2. **Sales orders** (`--orders`), one per accepted quote as `quote_accept` makes it (the only way an order is
   made: header and lines copied, ordered on the day of acceptance, `BSO{YYYY}{MM}-{id:07}`); by age confirmed,
   partially delivered, delivered, closed (after delivery, or short with a reason) or cancelled (5 %: nothing
   delivered, collected or invoiced). Deliveries (发货) with their lines for every delivered quantity, so each
   line's `delivered_quantity` is the sum of its deliveries, as `order_deliver` keeps it. A prospect or inactive
   customer that got an order becomes active (what `quote_accept` does; the nightly "inactive" job is not run).
3. **Receivables**: every order not cancelled gets a collection plan (1–12 instalments, monthly, a 30 %
   deposit first, summing to the order's total); collections (`--collections` in all, the number per order
   steered to reach it: split payments, or one payment for two instalments) come from a payer of three kinds
   (on time, late, very late) until today, so some instalments are overdue and unpaid or part-paid. Each
   collection is allocated to the open instalments earliest due first, exactly as `_allocate` of
   guanxi.crm.services.receivables does, so each instalment's `paid` is the sum of its allocations.
   Reminder and overdue-notice times are set as the daily job would have left them.
4. **Fapiao requests** (`--fapiao`): on delivered or closed orders (the whole total, in one or two requests,
   or what was collected) and on open ones with money received (the deposit or the collected amount), never
   above the order's not-yet-invoiced amount; issued (with a fapiao number, and a courier number for paper
   fapiao) or approved (to be issued) — the states reachable without an approval rule; special fapiao only
   for customers with a taxpayer number.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from bench.sales_data.base import Env  # noqa: E402
from bench.sales_data.fapiao import generate_fapiao  # noqa: E402
from bench.sales_data.orders import generate_orders  # noqa: E402
from bench.sales_data.quotes import generate_quotes  # noqa: E402
from bench.sales_data.receivables import generate_receivables  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quotes", type=int, default=500_000)
    p.add_argument("--orders", type=int, default=300_000)
    p.add_argument("--collections", type=int, default=1_000_000)
    p.add_argument("--fapiao", type=int, default=50_000, help="fapiao requests")
    p.add_argument("--east-share", type=float, default=0.05, help="share of the documents of team Bench East")
    p.add_argument("--chunk", type=int, default=5000, help="documents per transaction")
    args = p.parse_args()
    if args.orders > args.quotes:
        sys.exit("Every order comes from an accepted quote: --orders cannot exceed --quotes.")

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/generate_sales.py writes with COPY: point DATABASE_URL at the PostgreSQL database")
    t0 = time.perf_counter()
    env = Env(east_share=args.east_share)
    print(
        f"{len(env.customers):,} customers; opportunities to quote on: East "
        f"{len(env.opportunities[env.east.pk]):,}, West {len(env.opportunities[env.west.pk]):,}",
        flush=True,
    )
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no FK triggers: consistent by construction
    try:
        generate_quotes(env, args.quotes, args.orders, chunk=args.chunk)
        generate_orders(env, args.orders, chunk=args.chunk)
        generate_receivables(env, args.collections, chunk=args.chunk)
        generate_fapiao(env, args.fapiao, chunk=args.chunk)
    finally:
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")
    t = time.perf_counter()
    with connection.cursor() as cur:
        for table in (
            "crm_quote", "crm_quoteline", "crm_salesorder", "crm_salesorderline", "crm_orderdelivery",
            "crm_orderdeliveryline", "crm_instalment", "crm_collection", "crm_collectionallocation",
            "crm_fapiaorequest", "parties_party",
        ):  # fmt: skip
            cur.execute(f"ANALYZE {table}")
    print(f"analyze: {time.perf_counter() - t:.1f} s; total {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
