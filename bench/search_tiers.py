"""Time each tier of the ranked search (selectors/search.py) for some terms, in process, on a bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench .venv/bin/python bench/search_tiers.py
    ... --user wang.wei                   (as a Sales Representative: record rules applied)

Prints, per term: matches found by each tier alone and its time (median of --repeat runs), the path the
"rest" takes (postings of which gram, or the GIN index, or a walk in name order), and the whole ranked search
(which skips the rest when exact and prefix matches fill the page).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

TERMS = [
    "华",
    "华为",
    "华泰",
    "科技",
    "有限公司",
    "huawei",
    "hua wei",
    "huatai",
    "htta",
    "hwjs",
    "ander",
    "smith",
    "13812",
    "深圳",
    "shenzhen",
    "zzzzqx",
    "双敏电子",
]


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return result, statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--user", default="admin")
    p.add_argument("terms", nargs="*")
    args = p.parse_args()
    import django

    django.setup()
    from django.db import connection

    from guanxi.core.models import User
    from guanxi.parties.search import parse_query, query_grams
    from guanxi.parties.selectors import search
    from guanxi.parties.selectors.parties import party_visible

    actor = User.objects.get(username=args.user)
    qs = party_visible(actor=actor).filter(archived_at=None).order_by()
    print(
        f"{connection.vendor}, {qs.count():,} visible parties for {args.user}; load {Path('/proc/loadavg').read_text().split()[0]}"
    )
    print(f"{'term':<12} {'exact':>12} {'prefix':>12} {'rest':>14}  {'path':<22} {'whole':>9}")
    for term in args.terms or TERMS:
        q = parse_query(term)
        ex, t_ex = timed(lambda q=q: search._exact_ids(qs, q, 200), args.repeat)
        pr, t_pr = timed(lambda q=q: search._prefix_ids(qs, q, 201), args.repeat)
        rest, t_rest = timed(lambda q=q: search._contains_ids(qs, q.text, 201), args.repeat)
        grams = query_grams(q.text)
        path = (
            f"postings {search._rarest_gram(grams)}"
            if grams
            else ("GIN, sorted" if connection.vendor == "postgresql" else "walk in name order")
        )
        _res, t_all = timed(lambda term=term: search.ranked_matches(qs, term), args.repeat)
        print(
            f"{term:<12} {len(ex):>4} {t_ex:6.1f}ms {len(pr):>4} {t_pr:6.1f}ms {len(rest):>4} {t_rest:7.1f}ms  "
            f"{path:<22} {t_all:6.1f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
