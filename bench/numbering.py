"""Document numbering benchmark: the cost of taking a number, and throughput with concurrent writers.

Run by hand, never from the test suite; each database is one of its own (made and migrated if missing):

    .venv/bin/python bench/numbering.py --db postgres://postgres:postgres@127.0.0.1:5432/guanxi_numbering_bench
    .venv/bin/python bench/numbering.py --db sqlite:////work/bench-data/numbering/numbering.sqlite3

1. Single writer: --single numbers, each in its own transaction, as a document's create service takes
   one. "call" is the time inside number_next() (the server's own work: one UPDATE … RETURNING and the
   formatting); "transaction" is what the caller waits for the whole atomic block (BEGIN, the call,
   COMMIT): the cost a create service adds to its request.
2. Concurrent writers: --writers processes (each its own connection, as gunicorn workers are), each
   taking --per-writer numbers, one transaction each, all at once. Throughput is numbers committed per
   second of wall time; latency is each transaction's wait (lock waits included).
3. Every number issued is parsed back: they must be distinct and consecutive (no gap, no duplicate).

Prints a Markdown table and the load average (os.getloadavg) before and after; --json writes the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOC_TYPE = "bench.document"
PATTERN = "BN-{YYYY}-{seq:07}"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from guanxi.core.numbering import register_numbered_document

    register_numbered_document(DOC_TYPE, label="Benchmark document", default_pattern=PATTERN)


def create_database(db_url: str) -> None:
    if db_url.startswith("sqlite:"):
        Path(db_url.split("sqlite://", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    base, name = db_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare() -> int:
    """Migrate, and make a fresh company to number for (a new counter each run). Returns its id."""
    from django.core.management import call_command

    from guanxi.core.models import User
    from guanxi.core.services.companies import company_create

    call_command("migrate", verbosity=0)
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", secrets.token_urlsafe(16)
    )
    return company_create(actor=admin, data={"name_en": f"Bench Co {secrets.token_hex(4)}"}).pk


def take(company_id: int, n: int) -> tuple[list[str], list[float], list[float]]:
    from django.db import transaction

    from guanxi.core.services.numbering import number_next

    numbers, calls, txns = [], [], []
    clock = time.perf_counter
    for _ in range(n):
        t0 = clock()
        with transaction.atomic():
            t1 = clock()
            numbers.append(number_next(doc_type=DOC_TYPE, company=company_id))
            calls.append((clock() - t1) * 1000)
        txns.append((clock() - t0) * 1000)
    return numbers, calls, txns


def session(async_commit: bool) -> None:
    """PostgreSQL only: --async-commit sets synchronous_commit off for the session (commits return before
    the WAL reaches the disk; see docs/subsystems/numbering.md for what that trades)."""
    from django.db import connection

    connection.ensure_connection()
    if async_commit and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def writer(db_url: str, company_id: int, n: int, start, out, async_commit: bool) -> None:
    setup(db_url)
    from django.db import connection

    session(async_commit)
    warm = take(company_id, 3)[0]  # warm: connection, imports, statement
    start.wait()
    t0 = time.perf_counter()
    numbers, calls, txns = take(company_id, n)
    out.put((numbers, calls, txns, t0, time.perf_counter(), warm))
    connection.close()


def check(numbers: list[str]) -> tuple[int, int]:
    """(first, last) sequence numbers; SystemExit if there is a gap or a duplicate."""
    from guanxi.core.numbering import pattern_compile

    pattern = pattern_compile(PATTERN)
    seqs = sorted(pattern.parse(n)["seq"] for n in numbers)
    if len(set(seqs)) != len(seqs):
        raise SystemExit(f"DUPLICATES: {len(seqs) - len(set(seqs))} numbers issued twice")
    if seqs != list(range(seqs[0], seqs[0] + len(seqs))):
        raise SystemExit("GAP in the numbers issued")
    return seqs[0], seqs[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a database URL of the benchmark's own")
    ap.add_argument("--single", type=int, default=3000)
    ap.add_argument("--writers", type=int, default=10)
    ap.add_argument("--per-writer", type=int, default=500)
    ap.add_argument("--async-commit", action="store_true", help="PostgreSQL: synchronous_commit off")
    ap.add_argument("--json")
    args = ap.parse_args()

    create_database(args.db)
    setup(args.db)
    from django.db import connection

    company_id = prepare()
    session(args.async_commit)
    vendor = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else connection.pg_version}"
    load_before = os.getloadavg()

    warm = take(company_id, 50)[0]  # warm-up
    numbers, calls, txns = take(company_id, args.single)
    single = {
        "n": args.single,
        "call_p50": statistics.median(calls),
        "call_p95": pct(calls, 0.95),
        "txn_p50": statistics.median(txns),
        "txn_p95": pct(txns, 0.95),
        "per_second": 1000 / statistics.mean(txns),
    }
    connection.close()

    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(args.writers), ctx.Queue()
    procs = [
        ctx.Process(target=writer, args=(args.db, company_id, args.per_writer, start, out, args.async_commit))
        for _ in range(args.writers)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    issued = [n for r in results for n in r[0]]
    all_calls = [c for r in results for c in r[1]]
    all_txns = [t for r in results for t in r[2]]
    wall = max(r[4] for r in results) - min(r[3] for r in results)
    # Every number of the run (warm-ups included) shares one counter: all must be distinct and consecutive,
    # from 1 to the counter's value.
    everything = issued + numbers + warm + [n for r in results for n in r[5]]
    first, last = check(everything)
    from guanxi.core.models import NumberCounter

    counter = NumberCounter.objects.get(sequence__company_id=company_id)
    if (first, last) != (1, counter.value):
        raise SystemExit(f"numbers {first}..{last} but the counter says {counter.value}")
    concurrent = {
        "writers": args.writers,
        "n": len(issued),
        "wall_s": wall,
        "per_second": len(issued) / wall,
        "call_p50": statistics.median(all_calls),
        "call_p95": pct(all_calls, 0.95),
        "txn_p50": statistics.median(all_txns),
        "txn_p95": pct(all_txns, 0.95),
    }
    load_after = os.getloadavg()
    result = {
        "database": vendor,
        "async_commit": args.async_commit,
        "single": single,
        "concurrent": concurrent,
        "checked": {"first": first, "last": last, "count": last - first + 1},
        "load_before": load_before,
        "load_after": load_after,
    }
    s, c = single, concurrent
    mode = " (synchronous_commit off)" if args.async_commit and connection.vendor == "postgresql" else ""
    print(f"\n{vendor}{mode}; load average {load_before[0]:.1f} → {load_after[0]:.1f}")
    print("| writers | numbers | call p50 / p95 ms | transaction p50 / p95 ms | numbers/s |")
    print("|---:|---:|---|---|---:|")
    print(
        f"| 1 | {s['n']:,} | {s['call_p50']:.2f} / {s['call_p95']:.2f} | "
        f"{s['txn_p50']:.2f} / {s['txn_p95']:.2f} | {s['per_second']:,.0f} |"
    )
    print(
        f"| {c['writers']} | {c['n']:,} | {c['call_p50']:.2f} / {c['call_p95']:.2f} | "
        f"{c['txn_p50']:.2f} / {c['txn_p95']:.2f} | {c['per_second']:,.0f} |"
    )
    print(f"All {last - first + 1:,} numbers issued for the run's company are distinct and consecutive.")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
