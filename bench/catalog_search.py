"""Time the catalogue search itself (selectors, no page): the ranked ids, the page of 25 rows with their
prices, for typical terms, in this process. The page around it is timed by bench/run.py (catalogue: …).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench .venv/bin/python bench/catalog_search.py
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DEBUG"] = "false"

TERMS = ["{code}", "{code_lower_fullwidth}", "{prefix}", "螺丝", "不锈钢螺", "luosi", "bxg", "stainless screw",
         "0603", "qqzz"]  # fmt: skip


def main() -> int:
    import django

    django.setup()
    from guanxi.catalog.models import Product
    from guanxi.catalog.selectors import catalog as sel
    from guanxi.core.models import User
    from guanxi.core.pagination import keyset_page

    admin = User.objects.get(username="admin")
    n = Product.objects.count()
    code = Product.objects.order_by("id").values_list("code", flat=True)[n // 2]
    subst = {"code": code, "code_lower_fullwidth": code.lower().replace("-", "－"), "prefix": code[:6]}
    print(f"{n:,} products; load {Path('/proc/loadavg').read_text().split()[0]}")
    for term in TERMS:
        q = term.format(**subst)
        times = []
        for i in range(25):
            t = time.perf_counter()
            results = sel.product_results(actor=admin, filters=sel.ProductFilters(q=q))
            page = keyset_page(sel.product_rows(results.qs), ordering=results.ordering, cursor=None, limit=25)
            [list(p.prices.all()) for p in page.items]
            if i >= 5:
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"  {q!r:<22} {len(page.items):3} rows  p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms"
        )
    print(f"load {Path('/proc/loadavg').read_text().split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
