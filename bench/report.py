"""Print a bench/run.py --json result as the Markdown table used in docs/benchmarks.md.

.venv/bin/python bench/report.py /work/bench-data/pg-1m.json
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    data = json.loads(open(sys.argv[1], encoding="utf-8").read())  # noqa: SIM115
    print(
        "| scenario | n | server p50 ms | server p95 ms | SQL in request p50 ms | raw SQL ms (queries) "
        "| client p50 ms | client p95 ms | load |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in data["rows"]:
        print(
            f"| {r['scenario']} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['db_p50']:.1f} "
            f"| {r['sql_ms']:.2f} ({r['queries']}) | {r['client_p50']:.0f} | {r['client_p95']:.0f} "
            f"| {r.get('load', float('nan')):.1f} |"
        )
    rss = data.get("rss", [])
    if rss:
        print()
        print(
            "Web workers: "
            + ", ".join(f"VmRSS {w.get('VmRSS', 0):.0f} MB (peak {w.get('VmHWM', 0):.0f} MB)" for w in rss)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
