"""Export benchmark: time and peak memory of one party-list export, as the background worker runs it.

Run by hand, never from the test suite; one export per process, so the peak is this export's:

    DATABASE_URL=sqlite:////work/bench-data/exports/exports-100k.sqlite3 \
        .venv/bin/python bench/export.py --format csv --query kind=organization

It asks for the export as `admin` (--user) for the list given by --query (the list's query string),
then runs guanxi.core.services.exports.export_run in this process, exactly what `guanxi worker` runs,
and prints rows, wall and CPU seconds, file size, the process's peak resident memory (VmHWM from
/proc/self/status) before and after, and the load average. With --tracemalloc it also reports the peak
of Python allocations during the export (tracemalloc slows Python down, so time it in another run).
With --old it runs the export the way the web request did before background exports: every party
loaded at once with its prefetches, into a tablib Dataset, exported in one string.
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def vm_hwm_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_new(admin, fmt: str, params: dict) -> tuple[int, int]:
    from django.test.utils import override_settings

    from guanxi.core.exports import export_storage
    from guanxi.core.services.exports import export_request, export_run

    # No task is queued for a worker: this process is the worker.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        job = export_request(actor=admin, what="parties", fmt=fmt, params=params)
    job = export_run(job_id=job.pk)
    if job.status != "done":
        raise SystemExit(f"export failed: {job.error_message}")
    size = export_storage().size(job.file_name)
    return job.row_count, size


def run_old(admin, fmt: str, params: dict) -> tuple[int, int]:
    """The export as the web request made it before (commit b70595f): all at once, through tablib."""
    import tablib

    from guanxi.parties import export
    from guanxi.parties.selectors.parties import party_export_rows

    def row(p) -> list:  # the former guanxi.parties.export.export_dataset, without the formula guard
        points = list(p.contact_points.all())
        return [
            p.pk,
            p.get_kind_display(),
            p.name,
            p.short_name,
            p.legal_name,
            p.get_customer_status_display() if p.is_customer else "",
            p.get_supplier_status_display() if p.is_supplier else "",
            str(p.owner) if p.owner else "",
            ", ".join(t.name for t in p.tags.all()),
            ", ".join(i.value for i in p.identifiers.all()),
            ", ".join(c.value for c in points if c.kind == "phone"),
            ", ".join(c.value for c in points if c.kind == "email"),
            p.country,
            p.province,
            p.city,
            p.get_industry_display() if p.industry else "",
            "yes" if p.archived_at else "",
        ]

    qs = party_export_rows(
        actor=admin, filters=export.filters_of(export.clean(params)), limit=export.MAX_ROWS
    )
    data = tablib.Dataset(headers=export.headers())
    for p in qs:  # the whole queryset and its prefetches at once
        data.append(row(p))
    body = data.export(fmt)
    return len(data), len(body.encode() if isinstance(body, str) else body)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--query", default="", help="the list's filters as a query string, e.g. kind=organization")
    p.add_argument("--user", default="admin")
    p.add_argument("--tracemalloc", action="store_true", help="also report the peak of Python allocations")
    p.add_argument("--old", action="store_true", help="the former one-request export (tablib), to compare")
    args = p.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    files = tempfile.mkdtemp(prefix="guanxi-bench-exports-")
    os.environ["GUANXI_EXPORTS_DIR"] = files
    import django

    django.setup()
    from django.http import QueryDict

    from guanxi.core.models import User
    from guanxi.parties.views.lists import filters_from

    admin = User.objects.get(username=args.user)
    params = vars(filters_from(QueryDict(args.query)))
    admin.groups.count()  # warm the connection and the ORM before the baseline
    before = vm_hwm_mb()
    load_before = os.getloadavg()
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    wall, cpu = time.perf_counter(), cpu_seconds()
    rows, size = (run_old if args.old else run_new)(admin, args.format, params)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    peak_py = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    after = vm_hwm_mb()
    shutil.rmtree(files, ignore_errors=True)

    from django.db import connection

    print(
        f"{'old (tablib, one request)' if args.old else 'background job'} {args.format} "
        f"query={args.query or '(all)'} on {connection.vendor}"
    )
    print(f"  rows          {rows:,}")
    print(f"  wall          {wall:.1f} s   ({rows / wall:,.0f} rows/s)")
    print(f"  CPU           {cpu:.1f} s")
    print(f"  file          {size / 2**20:.1f} MB")
    print(f"  VmHWM         {before:.0f} MB before, {after:.0f} MB after (+{after - before:.0f} MB)")
    if peak_py is not None:
        print(f"  tracemalloc   peak {peak_py:.1f} MB of Python allocations during the export")
    print(f"  load average  {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after (1 min; 2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
