"""Fill a benchmark database with N generated organizations (and their contacts, addresses, tags).

Run by hand, never from the test suite. Example (see docs/benchmarks.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench \
        .venv/bin/python bench/generate.py --organizations 1000000

It creates the demo users (admin + one per role, password from --password), teams and tags, then
calls guanxi.parties.generate.generate() in batches. On PostgreSQL the two big GIN search indexes are
dropped during a large load and rebuilt once at the end (much faster than maintaining them row by
row), and the tables are ANALYZEd.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

GIN_INDEXES = {
    "party_search_trgm_idx": "CREATE INDEX IF NOT EXISTS party_search_trgm_idx ON parties_party "
    "USING gin (search_doc gin_trgm_ops)",
    "party_search_ngram_idx": "CREATE INDEX IF NOT EXISTS party_search_ngram_idx ON parties_party "
    "USING gin (gx_ngrams(search_short))",
}
TABLES = [
    "parties_party",
    "parties_partyidentifier",
    "parties_contactpoint",
    "parties_address",
    "parties_employment",
    "parties_party_tags",
]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--organizations", "-n", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=5000)
    p.add_argument("--password", default="bench-password-1")
    p.add_argument("--chinese-ratio", type=float, default=0.5)
    p.add_argument(
        "--keep-indexes", action="store_true", help="do not drop the GIN search indexes during the load"
    )
    args = p.parse_args()

    import django

    django.setup()
    from django.db import connection

    from guanxi.core import roles
    from guanxi.parties.demo import TAGS, _people
    from guanxi.parties.generate import generate, teams_and_tags
    from guanxi.parties.models import Party

    admin, users = _people(args.password)
    _teams, tags = teams_and_tags([], TAGS)
    owner_roles = [roles.SALES_REP, roles.SALES_MANAGER, roles.BUYER, roles.PROCUREMENT_MANAGER]
    owners = [u for u in users if u.groups.filter(name__in=owner_roles).exists()]
    before = Party.objects.filter(kind="organization").count()
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: {before} organizations already; "
        f"adding {args.organizations} (owners: {', '.join(u.username for u in owners)})",
        flush=True,
    )

    pg = connection.vendor == "postgresql"
    drop = pg and not args.keep_indexes and args.organizations >= 50_000
    if drop:
        with connection.cursor() as cur:
            for name in GIN_INDEXES:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
        print("dropped the GIN search indexes for the load", flush=True)

    t0 = time.perf_counter()
    last = [t0]

    def progress(done: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 10 or done == args.organizations:
            last[0] = now
            print(f"  {done:>9} organizations  {done / (now - t0):8.0f}/s  {now - t0:7.1f}s", flush=True)

    counts = generate(
        organizations=args.organizations,
        seed=args.seed + before,
        owners=owners,
        tags=tags,
        chinese_ratio=args.chinese_ratio,
        batch_size=args.batch_size,
        progress=progress,
    )
    t_load = time.perf_counter() - t0
    print(f"loaded {counts.organizations} organizations + {counts.people} people in {t_load:.1f}s", flush=True)

    t1 = time.perf_counter()
    with connection.cursor() as cur:
        if pg:
            if drop:
                cur.execute("SET maintenance_work_mem = '1GB'")
                for name, sql in GIN_INDEXES.items():
                    t = time.perf_counter()
                    cur.execute(sql)
                    print(f"  built {name} in {time.perf_counter() - t:.1f}s", flush=True)
            for table in TABLES:
                cur.execute(f"VACUUM ANALYZE {table}")
        else:
            cur.execute("ANALYZE")
    print(f"indexes + analyze: {time.perf_counter() - t1:.1f}s", flush=True)
    print(f"total organizations now: {Party.objects.filter(kind='organization').count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
