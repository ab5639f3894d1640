"""EXPLAIN ANALYZE every query a page runs, as one user: what to read when a page misses its target.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench \
        .venv/bin/python bench/explain_page.py li.na '/activities/?assignee=any&when=done'

Renders the page in-process (Django's test client, bench.settings), captures its SQL, and prints each
statement that took more than --min-ms with its plan (`EXPLAIN (ANALYZE, BUFFERS)`, inside a rolled-back
transaction). PostgreSQL only.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DEBUG"] = "false"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("username")
    p.add_argument("paths", nargs="+")
    p.add_argument("--min-ms", type=float, default=1.0, help="explain only statements slower than this")
    args = p.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guanxi.core.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=args.username))
    for path in args.paths:
        client.get(path)  # warm caches (grants, registry) as a running worker has them
        with CaptureQueriesContext(connection) as cap:
            t = time.perf_counter()
            r = client.get(path)
            wall = (time.perf_counter() - t) * 1000
        total = sum(float(q["time"]) for q in cap.captured_queries) * 1000
        print(
            f"=== {args.username} {path}: {r.status_code}, {len(cap.captured_queries)} queries, {total:.1f} ms SQL, {wall:.0f} ms"
        )
        for q in cap.captured_queries:
            ms = float(q["time"]) * 1000
            sql = q["sql"]
            print(f"--- {ms:7.2f} ms  {sql[:150]}")
            if ms < args.min_ms or not sql.lstrip().upper().startswith("SELECT"):
                continue
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.replace("%", "%%"))
                for (line,) in cur.fetchall():
                    print("    ", line)
                transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
