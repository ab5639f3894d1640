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
import multiprocessing
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

TABLES = [
    "parties_party",
    "parties_partyidentifier",
    "parties_contactpoint",
    "parties_address",
    "parties_employment",
    "parties_party_tags",
    "parties_partygram",
]


def _drop_secondary_indexes(connection) -> list[tuple[str, str]]:
    """Drop the indexes that no constraint needs (search GINs and b-trees); return their definitions."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [TABLES],
        )
        saved = cur.fetchall()
        for name, _sql in saved:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    return saved


def _create_indexes(saved: list[tuple[str, str]]) -> None:
    """Rebuild the dropped indexes, two at a time (2 cores), biggest (GIN) first."""
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    dsn = f"host={s['HOST']} port={s['PORT'] or 5432} dbname={s['NAME']} user={s['USER']}"
    if s.get("PASSWORD"):
        dsn += f" password={s['PASSWORD']}"
    todo = sorted(saved, key=lambda x: "gin" not in x[1].lower())

    def build(name_sql):
        name, sql = name_sql
        t = time.perf_counter()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        print(f"  built {name} in {time.perf_counter() - t:.1f}s", flush=True)

    with ThreadPoolExecutor(2) as ex:
        list(ex.map(build, todo))


def _load(job) -> tuple[int, int]:
    """One loader process: its share of the organizations, with its own seed and connection."""
    n, seed, owner_ids, tag_ids, args, t0, k = job
    from django.db import connection

    from guanxi.core.models import User
    from guanxi.parties.generate import generate
    from guanxi.parties.models import Tag

    connection.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # Generated rows are consistent by construction: skip the per-row foreign-key triggers.
            cur.execute("SET session_replication_role = replica")
    owners = list(User.objects.filter(pk__in=owner_ids).order_by("pk"))
    tags = list(Tag.objects.filter(pk__in=tag_ids).order_by("pk"))
    last = [t0]

    def progress(done: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 15 or done == n:
            last[0] = now
            print(
                f"  [{k}] {done:>9}/{n} organizations  {done / (now - t0):7.0f}/s  {now - t0:7.1f}s",
                flush=True,
            )

    c = generate(
        organizations=n,
        seed=seed,
        owners=owners,
        tags=tags,
        chinese_ratio=args.chinese_ratio,
        batch_size=args.batch_size,
        progress=progress,
    )
    connection.close()
    return c.organizations, c.people


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--organizations", "-n", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=5000)
    p.add_argument("--password", default="bench-password-1")
    p.add_argument("--chinese-ratio", type=float, default=0.5)
    p.add_argument("--workers", type=int, default=2, help="loader processes (default 2: one per core)")
    p.add_argument(
        "--keep-indexes", action="store_true", help="do not drop the GIN search indexes during the load"
    )
    args = p.parse_args()

    import django

    django.setup()
    from django.db import connection

    from guanxi.core import roles
    from guanxi.parties.demo import TAGS, _people
    from guanxi.parties.generate import teams_and_tags
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
    saved: list[tuple[str, str]] = []
    if drop:
        saved = _drop_secondary_indexes(connection)
        print(f"dropped {len(saved)} secondary indexes for the load", flush=True)
    connection.close()

    t0 = time.perf_counter()
    workers = max(1, min(args.workers, args.organizations // 10_000 or 1))
    shares = [
        args.organizations // workers + (1 if i < args.organizations % workers else 0) for i in range(workers)
    ]
    jobs = [
        (shares[i], args.seed + before + i * 7919, [u.pk for u in owners], [t.pk for t in tags], args, t0, i)
        for i in range(workers)
    ]
    if workers == 1:
        results = [_load(jobs[0])]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_load, jobs)
    orgs, people = sum(r[0] for r in results), sum(r[1] for r in results)
    t_load = time.perf_counter() - t0
    print(
        f"loaded {orgs} organizations + {people} people in {t_load:.1f}s ({orgs / t_load:.0f} organizations/s)",
        flush=True,
    )

    t1 = time.perf_counter()
    if pg:
        if saved:
            _create_indexes(saved)
        with connection.cursor() as cur:
            for table in TABLES:
                cur.execute(f"VACUUM ANALYZE {table}")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    print(f"indexes + analyze: {time.perf_counter() - t1:.1f}s", flush=True)
    print(f"total organizations now: {Party.objects.filter(kind='organization').count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
