"""Time the party list, every kind of search, the 360° page and the API on a generated database.

Run by hand (never from the test suite); see docs/benchmarks.md. It

1. starts gunicorn (2 sync workers, bench.settings = production settings + a Server-Timing header)
   on 127.0.0.1,
2. for each scenario sends warm-up requests, then --requests requests from --concurrency client
   threads, and reads the server time of each from the `Server-Timing` header,
3. captures the SQL of one request of each scenario (in this process, through Django's test client)
   and re-runs that SQL alone, raw on the cursor, to give the ratio server time / raw SQL time,
4. reads the RSS of the gunicorn workers (/proc/<pid>/status) and stops the server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench .venv/bin/python bench/run.py
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DEBUG"] = "false"

from bench.scenarios import create_body, form_body, prepare, scenarios  # noqa: E402 (needs ROOT on the path)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def server_timing(header: str) -> dict[str, float]:
    out = {}
    for part in header.split(","):
        name, _, dur = part.strip().partition(";dur=")
        if dur:
            out[name] = float(dur)
    return out


def rss_of_workers(master_pid: int) -> list[dict]:
    out = []
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return out
    for pid in children:
        info = {"pid": int(pid)}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS", "VmHWM")):
                key, val = line.split(":")
                info[key] = int(val.split()[0]) / 1024  # MB
        out.append(info)
    return out


# Load driver ---------------------------------------------------------------------------------------------


def drive(
    base: str, sc: dict, ctx: dict, *, requests_n: int, concurrency: int, warmup: int, budget: float
) -> dict:
    import requests

    results: list[tuple[float, float, float, int]] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(10**9))

    def one(s) -> None:
        i = next(counter)
        path = sc["path"].replace("{id}", str(sc["ids"][i % len(sc["ids"])])) if "ids" in sc else sc["path"]
        headers = {}
        if sc["auth"] == "token":
            headers["Authorization"] = f"Bearer {ctx['token']}"
        t = time.perf_counter()
        try:
            if sc["method"] == "POST":
                headers["Content-Type"] = "application/json"
                r = s.post(base + path, data=create_body().encode(), headers=headers, timeout=120)
            elif sc["method"] == "FORM":
                headers["Referer"] = base + path
                r = s.post(
                    base + path,
                    data=form_body(s.cookies.get("csrftoken")),
                    headers=headers,
                    timeout=120,
                    allow_redirects=False,
                )
                if r.status_code == 302:
                    r.status_code = 201  # the form redirects to the new record: created
            else:
                r = s.get(base + path, headers=headers, timeout=120)
        except requests.RequestException as exc:
            with lock:
                errors.append(f"{type(exc).__name__} {path}")
            return
        wall = (time.perf_counter() - t) * 1000
        st = server_timing(r.headers.get("Server-Timing", ""))
        with lock:
            if r.status_code >= 400:
                errors.append(f"{r.status_code} {path}: {r.text[:200]}")
            results.append((st.get("app", float("nan")), st.get("db", float("nan")), wall, r.status_code))

    deadline = [float("inf")]

    def worker(n: int) -> None:
        s = requests.Session()
        if sc["auth"] == "session":
            s.cookies.set("sessionid", ctx["session"])
        elif sc["auth"] == "rep":
            s.cookies.set("sessionid", ctx["rep_session"])
        elif sc["auth"].startswith("user:"):
            s.cookies.set("sessionid", ctx["sessions"][sc["auth"][5:]])
        if sc["method"] == "FORM":
            s.get(base + sc["path"], timeout=120)  # the CSRF cookie, as a browser gets it
        for _ in range(n):
            if time.perf_counter() > deadline[0]:
                return  # a slow scenario: stop at its time budget and report what was measured
            one(s)

    def run(total: int) -> None:
        threads = [threading.Thread(target=worker, args=(total // concurrency,)) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    deadline[0] = time.perf_counter() + budget / 3
    run(warmup)
    results.clear()
    t0 = time.perf_counter()
    deadline[0] = t0 + budget
    run(requests_n)
    elapsed = time.perf_counter() - t0
    app = [r[0] for r in results]
    db = [r[1] for r in results]
    wall = [r[2] for r in results]
    return {
        "n": len(results),
        "rps": len(results) / elapsed,
        "p50": pct(app, 0.5),
        "p95": pct(app, 0.95),
        "db_p50": pct(db, 0.5),
        "client_p50": pct(wall, 0.5),
        "client_p95": pct(wall, 0.95),
        "errors": errors[:3],
        "status": sorted({r[3] for r in results}),
    }


# Raw SQL -------------------------------------------------------------------------------------------------


def raw_sql(sc: dict, ctx: dict, repeat: int) -> dict:
    """Capture the SQL of one request in this process and time it alone (raw, on the cursor)."""
    from django.db import DatabaseError, connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guanxi.core.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    admin = User.objects.get(username="admin")
    headers = {}
    if sc["auth"] == "token":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ctx['token']}"
    elif sc["auth"] == "rep":
        client.force_login(User.objects.get(username="wang.wei"))
    elif sc["auth"].startswith("user:"):
        client.force_login(User.objects.get(username=sc["auth"][5:]))
    else:
        client.force_login(admin)
    path = sc["path"].replace("{id}", str(sc["ids"][0])) if "ids" in sc else sc["path"]
    with CaptureQueriesContext(connection) as cap:
        if sc["method"] == "POST":
            r = client.post(path, data=create_body(), content_type="application/json", **headers)
        elif sc["method"] == "FORM":
            r = client.post(path, data=form_body(""), **headers)
        else:
            r = client.get(path, **headers)
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")
    sqls = [q["sql"] for q in cap.captured_queries if not q["sql"].lstrip().upper().startswith(skip)]
    runs: list[float] = []
    per_query: list[list[float]] = [[] for _ in sqls]
    for _ in range(repeat):
        total = 0.0
        with transaction.atomic():
            with connection.cursor() as cur:
                for k, sql in enumerate(sqls):
                    t = time.perf_counter()
                    try:
                        with transaction.atomic():  # a replayed INSERT may meet the row the request made
                            cur.execute(sql.replace("%", "%%") if connection.vendor == "postgresql" else sql)
                            if cur.description:
                                cur.fetchall()
                    except DatabaseError:
                        pass  # timed all the same: the statement ran up to the conflict
                    d = (time.perf_counter() - t) * 1000
                    per_query[k].append(d)
                    total += d
            transaction.set_rollback(True)
        runs.append(total)
    slowest = max(range(len(sqls)), key=lambda k: statistics.median(per_query[k])) if sqls else None
    return {
        "status": r.status_code,
        "queries": len(sqls),
        "sql_ms": statistics.median(runs) if runs else 0.0,
        "slowest_ms": statistics.median(per_query[slowest]) if slowest is not None else 0.0,
        "slowest_sql": sqls[slowest][:400] if slowest is not None else "",
    }


# Main ----------------------------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description="Guanxi benchmark scenarios against a running gunicorn")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--requests", type=int, default=300, help="timed requests per scenario")
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--concurrency", type=int, default=10)
    p.add_argument("--budget", type=float, default=30, help="seconds per scenario before it stops early")
    p.add_argument("--raw-repeat", type=int, default=15)
    p.add_argument(
        "--only", default="", help="run only scenarios whose name contains this (alternatives split by '|')"
    )
    p.add_argument("--json", default="", help="also write the results to this file")
    args = p.parse_args()

    ctx = prepare(args)
    print(f"{ctx['vendor']} {ctx['db']}: {ctx['organizations']:,} organizations, {ctx['parties']:,} parties")
    from django.db import connection

    connection.close()
    env = dict(os.environ)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    import requests

    try:
        for _ in range(100):
            try:
                requests.get(base + "/login/", timeout=30)
                break
            except requests.RequestException:
                time.sleep(0.2)
        rows = []
        rss_peak: dict[int, dict] = {}
        for sc in scenarios(ctx):
            if args.only and not any(part in sc["name"] for part in args.only.split("|")):
                continue
            res = drive(
                base,
                sc,
                ctx,
                requests_n=args.requests,
                concurrency=args.concurrency,
                warmup=args.warmup,
                budget=args.budget,
            )
            for w in rss_of_workers(server.pid):
                rss_peak[w["pid"]] = w
            raw = raw_sql(sc, ctx, args.raw_repeat)
            ratio = res["p50"] / raw["sql_ms"] if raw["sql_ms"] else float("nan")
            load = Path("/proc/loadavg").read_text().split()[0]  # 1-minute load average, after the scenario
            row = {"scenario": sc["name"], **res, **raw, "ratio": ratio, "load": float(load)}
            rows.append(row)
            print(
                f"{sc['name']:<42} p50 {res['p50']:7.1f}  p95 {res['p95']:7.1f}  (db {res['db_p50']:6.1f})  "
                f"raw SQL {raw['sql_ms']:6.2f} ms in {raw['queries']} q  ×{ratio:5.1f}  "
                f"client p50 {res['client_p50']:7.1f} p95 {res['client_p95']:7.1f}  {res['rps']:5.0f} req/s  "
                f"load {load}  {res['status']}",
                flush=True,
            )
            for e in res["errors"]:
                print("   !", e)
        print("\ngunicorn workers (MB):")
        for w in rss_peak.values():
            print(f"  pid {w['pid']}: VmRSS {w.get('VmRSS', 0):.0f}  VmHWM (peak) {w.get('VmHWM', 0):.0f}")
        print("\nslowest query per scenario:")
        for r in rows:
            print(f"  {r['scenario']}: {r['slowest_ms']:.2f} ms  {r['slowest_sql'][:160]}")
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "ctx": {k: v for k, v in ctx.items() if k not in ("session", "token", "sessions")},
                        "rows": rows,
                        "rss": list(rss_peak.values()),
                    },
                    indent=1,
                    default=str,
                )
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
