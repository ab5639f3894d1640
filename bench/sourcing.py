"""The sourcing benchmark (issue 8), run by hand (docs/benchmarks.md): an RFQ of 200 lines, 20 suppliers each
quoting every line (one in USD), entered through the quote service (sealed), opened, then times the comparison
table (比价表) — the selector, and the whole page through Django's test client with its template — with 1 client
and 10 (forked processes), plus entering one 200-line quote and opening the 20 quotes.
`bench/sourcing.py --suppliers 20 --lines 200`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def _rfq(n_suppliers: int, n_lines: int, buyer, pm):
    from django.utils import timezone

    from guanxi.core.models import Company, ExchangeRate
    from guanxi.parties.models import Party
    from guanxi.procurement.models import Rfq, RfqInvitation
    from guanxi.procurement.services import quotes, rfqs

    if not Company.objects.exists():
        Company.objects.create(name_zh="基准测试公司", is_default=True)
    if not ExchangeRate.objects.filter(base_id="USD", quote_id="CNY").exists():
        ExchangeRate.objects.create(base_id="USD", quote_id="CNY", rate="7.12", date=timezone.localdate())
    suppliers = [
        Party.objects.create(
            kind="organization",
            name=f"基准供应商 {n:02d}",
            is_supplier=True,
            supplier_status="approved",
            owner=buyer,
        )
        for n in range(n_suppliers)
    ]
    lines = [{"description": f"零件 Part {n:03d}", "quantity": str(10 * (n % 7 + 1))} for n in range(n_lines)]
    deadline = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    rfq = rfqs.rfq_create(actor=buyer, data={"title": "Bench RFQ", "deadline": deadline, "lines": lines})
    RfqInvitation.objects.bulk_create(RfqInvitation(rfq=rfq, supplier=s) for s in suppliers)
    rfq = rfqs.rfq_publish(actor=buyer, rfq=rfq, version=rfq.version)
    rng = random.Random(8)
    ids = list(rfq.lines.order_by("position").values_list("pk", flat=True))
    took = []
    for k, s in enumerate(suppliers):
        usd = k == 0
        data = {
            "currency": "USD" if usd else "CNY",
            "payment_days": rng.choice([30, 45, 60, 90]),
            "lines": [
                {
                    "rfq_line": i,
                    "unit_price": f"{rng.uniform(1, 100) / (7.12 if usd else 1):.4f}",
                    "lead_days": rng.randint(3, 40),
                }
                for i in ids
            ],
        }
        t = time.perf_counter()
        quotes.quote_submit(actor=buyer, rfq=rfq, supplier=s.pk, data=data)
        took.append((time.perf_counter() - t) * 1000)
    took.sort()
    print(
        f"  entering a {n_lines}-line quote (checked and sealed)   p50 {took[len(took) // 2]:7.1f} ms",
        flush=True,
    )
    rfq = Rfq.objects.get(pk=rfq.pk)
    t = time.perf_counter()
    rfq = quotes.rfq_open(actor=pm, rfq=rfq, version=rfq.version, reason="bench")
    print(
        f"  opening {n_suppliers} sealed quotes of {n_lines} lines            {1000 * (time.perf_counter() - t):7.1f} ms"
    )
    return rfq


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suppliers", type=int, default=20)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.procurement import _time, _users
    from guanxi.procurement.selectors.comparison import _kept as kept
    from guanxi.procurement.selectors.comparison import comparison

    _team, pm, buyer = _users()
    print(f"{connection.vendor}; load {Path('/proc/loadavg').read_text().split()[0]}")
    rfq = _rfq(args.suppliers, args.lines, buyer, pm)
    with CaptureQueriesContext(connection) as q:
        table = comparison(rfq)
    print(
        f"  comparison: {len(table.columns)} suppliers × {len(table.rows)} lines, {len(q.captured_queries)} queries"
    )
    client = Client()
    client.force_login(buyer)
    url = f"/purchasing/rfqs/{rfq.pk}/compare/"
    assert client.get(url, HTTP_HOST="localhost").status_code == 200

    def cold():  # the first look after a change: nothing kept (each process keeps a table a minute)
        kept.clear()
        return client.get(url, HTTP_HOST="localhost")

    for clients in (1, 10):
        _time(f"comparison() {args.suppliers} × {args.lines}", lambda: comparison(rfq), args.runs, clients)
        _time(f"comparison page {args.suppliers} × {args.lines}, first look", cold, args.runs, clients)
        _time(
            f"comparison page {args.suppliers} × {args.lines}, table kept",
            lambda: client.get(url, HTTP_HOST="localhost"),
            args.runs,
            clients,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
