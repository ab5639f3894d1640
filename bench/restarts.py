"""How long requests wait while gunicorn workers restart (issue 5, item 22). Run by hand, not in the suite.

It serves an empty embedded (SQLite) Guanxi in a temporary folder on 127.0.0.1, twice:

- before: gunicorn as `guanxi serve` ran it until now (no --preload, --max-requests-jitter = 10 %),
- after:  `guanxi serve --max-requests N` as it runs now (--preload, jitter = 50 %),

with a low --max-requests so that workers restart many times, sends the same number of requests (GET
/login/: Django, the session and CSRF middleware, a template) from a few client threads, and prints the
request latencies: median, p99, the worst ones with the time to the nearest worker restart, and how many
requests took over 250 ms. Standard library only.

    .venv/bin/python bench/restarts.py --requests 4000 --max-requests 300
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUANXI = str(Path(PYTHON).with_name("guanxi"))


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round((len(s) - 1) * p)))]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def app_load_seconds(env: dict) -> float:
    """What a worker without --preload imports before it serves: Django, the URLconf, the API."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from config.wsgi import application\n"
        "from django.urls import get_resolver; get_resolver().url_patterns\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def server_argv(mode: str, port: int, workers: int, max_requests: int) -> list[str]:
    if mode == "before":
        return [
            PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--timeout", "60",
            "--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 10),
        ]  # fmt: skip
    return [
        GUANXI,
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--max-requests",
        str(max_requests),
    ]


def wait_ready(port: int, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/login/")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not answer")


def drive(port: int, total: int, clients: int) -> list[tuple[float, float, int]]:
    """(start, seconds, status) of each request; `total` requests shared by `clients` threads."""
    results: list[tuple[float, float, int]] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            t0 = time.monotonic()
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("GET", "/login/")
                r = c.getresponse()
                r.read()
                status = r.status
                c.close()
            except OSError:
                status = 0
            with lock:
                results.append((t0, time.monotonic() - t0, status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def run(mode: str, args, env: dict, port: int) -> dict:
    restarts: list[float] = []
    server = subprocess.Popen(
        server_argv(mode, port, args.workers, args.max_requests),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )

    def watch() -> None:  # gunicorn logs "Autorestarting worker after current request." (info level)
        for line in server.stderr:
            if re.search(r"Autorestarting worker", line):
                restarts.append(time.monotonic())

    threading.Thread(target=watch, daemon=True).start()
    try:
        wait_ready(port)
        drive(port, 50, 2)  # warm-up
        load_before = loadavg()
        t0 = time.monotonic()
        results = drive(port, args.requests, args.clients)
        wall = time.monotonic() - t0
        load_after = loadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    lat = [d for _s, d, _st in results]
    worst = sorted(results, key=lambda r: -r[1])[:5]

    def near(t: float) -> str:
        if not restarts:
            return "no restart"
        d = min(restarts, key=lambda r: abs(r - t))
        return f"{t - d:+.2f} s from a restart"

    return {
        "mode": mode,
        "requests": len(results),
        "errors": sum(1 for r in results if r[2] != 200),
        "restarts": len(restarts),
        "throughput": len(results) / wall,
        "p50": pct(lat, 0.5) * 1000,
        "p99": pct(lat, 0.99) * 1000,
        "max": max(lat) * 1000,
        "over_250ms": sum(1 for d in lat if d > 0.25),
        "worst": [(d * 1000, near(s)) for s, d, _st in worst],
        "load": f"{load_before} → {load_after}",
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=4000)
    p.add_argument("--clients", type=int, default=4, help="client threads")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--max-requests", type=int, default=300)
    p.add_argument("--mode", choices=["before", "after", "both"], default="both")
    p.add_argument("--port", type=int, default=8765)
    args = p.parse_args()

    data = Path(tempfile.mkdtemp(prefix="guanxi-restarts-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "ALLOWED_HOSTS"}}
    env.update(
        GUANXI_DATA_DIR=str(data),
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        PYTHONPATH=str(ROOT),
    )
    subprocess.run([GUANXI, "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"load average at start: {loadavg()}  (cores: {os.cpu_count()})")
    print(
        f"importing the app in a fresh process (a worker's boot without --preload): {app_load_seconds(env):.2f} s"
    )
    print(
        f"{args.requests} × GET /login/ from {args.clients} clients, {args.workers} workers, "
        f"--max-requests {args.max_requests}\n"
    )
    modes = ["before", "after"] if args.mode == "both" else [args.mode]
    for i, mode in enumerate(modes):
        r = run(mode, args, env, args.port + i)
        print(
            f"{r['mode']:>6}: {r['requests']} requests ({r['errors']} errors), {r['restarts']} worker restarts, "
            f"{r['throughput']:.0f} req/s; p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, max {r['max']:.0f} ms; "
            f"{r['over_250ms']} over 250 ms; load {r['load']}"
        )
        for ms, where in r["worst"]:
            print(f"        {ms:7.0f} ms  ({where})")


if __name__ == "__main__":
    main()
