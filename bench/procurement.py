"""The purchasing benchmark (issue 8), run by hand (docs/benchmarks.md): fills a PostgreSQL database with
suppliers, orders (5 lines each; 7 of 12 arrived: a receipt per line, two invoices per order) by bulk_create, then times the PO
list by supplier and state, posting a receipt, matching a 100-line invoice and a monthly statement, with 1
client and 10 (forked processes). `bench/procurement.py --suppliers 100000 --orders 1000000`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from bench.procurement_data import AMOUNTS, _fill, _users  # noqa: E402  (after the path is set)


def _time(label: str, fn, n: int = 30, clients: int = 1) -> None:
    """p50/p95 of `fn` over n runs per client; with several clients, each is a process of its own (forked, its
    own database connection — as gunicorn workers would be; threads would only measure Python's GIL)."""
    import multiprocessing

    from django.db import connections

    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()

    def run(seed):
        connections.close_all()  # never share the parent's connection
        random.seed(seed)
        times = []
        for i in range(n + 3):
            t = time.perf_counter()
            fn()
            if i >= 3:
                times.append((time.perf_counter() - t) * 1000)
        out.put(times)
        connections.close_all()

    if clients == 1:
        run(0)
        times = out.get()
    else:
        connections.close_all()
        procs = [ctx.Process(target=run, args=(k,)) for k in range(clients)]
        for p in procs:
            p.start()
        times = [t for _ in procs for t in out.get()]
        for p in procs:
            p.join()
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"  {label:<58} {clients:>2} client(s)  p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suppliers", type=int, default=10000)
    parser.add_argument("--orders", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction

    from guanxi.procurement.models import PurchaseOrder, PurchaseOrderLine, ReceiptLine, SupplierInvoice
    from guanxi.procurement.selectors.orders import OrderFilters, order_list
    from guanxi.procurement.services.invoices import invoice_enter
    from guanxi.procurement.services.receipts import receipt_post
    from guanxi.procurement.services.statements import statement_create

    if PurchaseOrder.objects.count() < args.orders:
        _fill(args.suppliers, args.orders)
    _team, pm, buyer = _users()
    print(
        f"{connection.vendor}; {PurchaseOrder.objects.count():,} orders, {PurchaseOrderLine.objects.count():,} lines, "
        f"{ReceiptLine.objects.count():,} receipt lines, {SupplierInvoice.objects.count():,} invoices; "
        f"load {Path('/proc/loadavg').read_text().split()[0]}"
    )
    busy = list(
        PurchaseOrder.objects.filter(state="sent").values_list("supplier_id", flat=True).distinct()[:500]
    )

    def po_list(supplier=True):
        f = OrderFilters(supplier=random.choice(busy) if supplier else None, state="open")
        return list(order_list(actor=buyer, filters=f)[:50])

    for clients in (1, 10):
        _time("PO list, one supplier, open orders (first 50)", po_list, args.runs, clients)
        _time("PO list, all open orders of the team (first 50)", lambda: po_list(False), args.runs, clients)

    open_lines = PurchaseOrderLine.objects.filter(order__state__in=["sent", "confirmed"]).values_list(
        "pk", flat=True
    )
    open_lines = list(open_lines[:2000])

    # What a running system has made once and keeps: the settings' row and this month's number counters (the
    # timed runs are rolled back: without this each would make them again, ~8 ms, and time that too).
    from guanxi.core.models import Company
    from guanxi.core.services.numbering import number_next
    from guanxi.procurement.models import PurchasingSettings

    with transaction.atomic():
        PurchasingSettings.current()
        for doc_type in ("procurement.receipt", "procurement.supplier_invoice"):
            number_next(doc_type=doc_type, company=Company.objects.first(), on=dt.date.today())

    class Rollback(Exception):
        pass

    def post_receipt():
        line = random.choice(open_lines)
        try:
            with transaction.atomic():
                receipt_post(actor=buyer, data={"lines": [{"order_line": line, "received": "1"}]})
                raise Rollback
        except Rollback:
            pass

    for clients in (1, 10):
        _time("posting a receipt (one line; rolled back)", post_receipt, args.runs, clients)

    # A 100-line order with the supplier, received in full, then its invoice matched (rolled back each time).
    big = PurchaseOrder.objects.filter(number="BPO-INV100").first()
    if big is None:
        from guanxi.core.models import Company

        big = PurchaseOrder.objects.create(
            number="BPO-INV100",
            company=Company.objects.first(),
            supplier_id=busy[0],
            owner=buyer,
            team=_team,
            state="sent",
            currency_id="CNY",
            ordered_on=dt.date.today(),
        )
        PurchaseOrderLine.objects.bulk_create(
            PurchaseOrderLine(
                order=big,
                position=n,
                description=f"Bench part {n}",
                **AMOUNTS,
            )
            for n in range(1, 101)
        )
    same_supplier_lines = list(big.lines.values_list("pk", flat=True))

    def match_invoice():
        try:
            with transaction.atomic():
                receipt_post(
                    actor=buyer,
                    data={"lines": [{"order_line": x, "received": "100"} for x in same_supplier_lines]},
                )
                t = time.perf_counter()
                invoice_enter(
                    actor=buyer,
                    data={
                        "fapiao_number": "12345678",
                        "invoice_date": dt.date.today().isoformat(),
                        "stated_gross": "1",
                        "lines": [{"order_line": x, "quantity": "100"} for x in same_supplier_lines],
                    },
                )
                match_times.append((time.perf_counter() - t) * 1000)
                raise Rollback
        except Rollback:
            pass

    match_times: list[float] = []
    for _ in range(12):
        match_invoice()
    match_times = sorted(match_times[2:])
    print(
        f"  {'matching an invoice of ' + str(len(same_supplier_lines)) + ' lines (invoice_enter only)':<58}  1 client(s)  "
        f"p50 {statistics.median(match_times):7.1f} ms  p95 {match_times[-1]:7.1f} ms"
    )

    # The supplier with the most receipts in a month: its statement (rolled back each time).
    row = (
        ReceiptLine.objects.values(
            "receipt__supplier_id", "receipt__received_on__year", "receipt__received_on__month"
        )
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .first()
    )
    start = dt.date(row["receipt__received_on__year"], row["receipt__received_on__month"], 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    print(f"  (statement: supplier {row['receipt__supplier_id']}, {start:%Y-%m}, {row['n']} receipt lines)")

    def statement():
        try:
            with transaction.atomic():
                statement_create(
                    actor=buyer,
                    data={"supplier": row["receipt__supplier_id"], "period_start": start, "period_end": end},
                )
                raise Rollback
        except Rollback:
            pass

    _time("a supplier's monthly reconciliation statement", statement, args.runs, 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
