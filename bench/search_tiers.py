"""Time each tier of the ranked search (selectors/search.py) for some terms, in process, on a bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench .venv/bin/python bench/search_tiers.py
    ... --walk 5000 10000 20000 40000     (try other walk lengths)
    ... --user wang.wei                   (as a Sales Representative: record rules applied)

Prints, per term: matches found by each tier and its time (median of --repeat runs), and which path the
"rest" took (walk alone, or walk then index).
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
    p.add_argument("--walk", type=int, nargs="*", default=[])
    p.add_argument("--user", default="admin")
    p.add_argument("terms", nargs="*")
    args = p.parse_args()
    import django

    django.setup()
    from django.db import connection

    from guanxi.core.models import User
    from guanxi.parties.search import parse_query
    from guanxi.parties.selectors import search
    from guanxi.parties.selectors.parties import party_visible

    actor = User.objects.get(username=args.user)
    qs = party_visible(actor=actor).filter(archived_at=None).order_by()
    print(
        f"{connection.vendor}, {qs.count():,} visible parties for {args.user}; load {Path('/proc/loadavg').read_text().split()[0]}"
    )
    for walk in args.walk or [search.WALK_ROWS]:
        search.WALK_ROWS = walk
        print(f"\nWALK_ROWS = {walk}")
        print(f"{'term':<12} {'exact':>12} {'prefix':>12} {'walk':>14} {'index':>14} {'whole':>10}")
        for term in args.terms or TERMS:
            q = parse_query(term)
            ex, t_ex = timed(lambda q=q: search._exact_ids(qs, q, 200), args.repeat)
            pr, t_pr = timed(lambda q=q: search._prefix_ids(qs, q, 200), args.repeat)
            wk, t_wk = (
                timed(lambda q=q, walk=walk: search._walk_ids(qs, q.text, 201, walk), args.repeat)
                if connection.vendor == "postgresql"
                else ([], 0.0)
            )
            ix, t_ix = (
                timed(lambda q=q: search._indexed_ids(qs, q.text, 201), args.repeat)
                if connection.vendor == "postgresql"
                else ([], 0.0)
            )
            _res, t_all = timed(lambda term=term: search.ranked_matches(qs, term), args.repeat)
            print(
                f"{term:<12} {len(ex):>4} {t_ex:6.1f}ms {len(pr):>4} {t_pr:6.1f}ms {len(wk):>4} {t_wk:7.1f}ms "
                f"{len(ix):>4} {t_ix:7.1f}ms {t_all:7.1f}ms{'' if len(wk) > 200 else '  (walk+index)'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
