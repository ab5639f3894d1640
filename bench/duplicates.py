"""The duplicates list and merge at size: run by hand on a database filled by bench/generate.py (see
docs/benchmarks.md), never from the test suite.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench .venv/bin/python bench/duplicates.py

It plants --pairs look-alike pairs (same USCC as another's tax number, full-width twin names, shared phones)
among the generated parties, then times, in this process, one client at a time:
- the duplicates list for an administrator (every party) and for a sales manager (their team's customers);
- the create-time duplicate check (find_duplicates) of a new party;
- the merge of a party holding --activities activities, opportunities, notes … into its twin, and its undo.
Planted rows are removed at the end (the generated data stays as it was).
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

PREFIX = "基准重复"


def _time(label: str, fn, n: int = 10) -> None:
    times = []
    for i in range(n + 2):
        t = time.perf_counter()
        fn()
        if i >= 2:
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"  {label:<52} p50 {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms")


def _plant(admin, pairs: int) -> list:
    from guanxi.parties.tests.factories import make_org

    made = []
    for i in range(pairs):
        code = f"91440300MA{i:07d}X"
        a = make_org(admin, f"{PREFIX}科技{i:05d}有限公司", phones=[f"+86 755 8{i:07d}"])
        b = make_org(
            admin, f"{PREFIX}科技{i:05d}有限公司".replace("科技", "ｋｊ科技"), invoice_tax_number=code
        )
        a.identifiers.create(scheme="cn_uscc", country="CN", value=code)
        made += [a, b]
    return made


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--activities", type=int, default=2000)
    args = parser.parse_args()
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone

    from guanxi.activities.models import Activity
    from guanxi.core.models import User
    from guanxi.parties.models import DuplicateSuggestion, Party, PartyMerge
    from guanxi.parties.selectors.duplicate_pairs import duplicate_pairs
    from guanxi.parties.selectors.duplicates import find_duplicates
    from guanxi.parties.services.duplicate_scan import duplicates_refresh
    from guanxi.parties.services.merge import party_merge, party_merge_undo
    from guanxi.parties.tests.factories import make_org

    admin = User.objects.filter(is_superuser=True).first()
    manager = User.objects.filter(groups__name="sales_manager").first()
    print(f"{Party.objects.count():,} parties; planting {args.pairs} look-alike pairs")
    planted = _plant(admin, args.pairs)
    try:
        _time("duplicate scan (every party; the nightly job)", duplicates_refresh, n=3)
        print(f"  (the scan found {DuplicateSuggestion.objects.count():,} pairs)")

        def page(actor) -> int:  # what the list page reads: the count for the pager and 25 pairs
            pairs = duplicate_pairs(actor=actor)
            return pairs.count() + len(list(pairs[:25]))

        _time("duplicates list page, administrator", lambda: page(admin), n=30)
        if manager is not None:
            _time("duplicates list page, sales manager (team scope)", lambda: page(manager), n=30)
        _time(
            "create-time duplicate check (find_duplicates)",
            lambda: find_duplicates(
                actor=admin,
                name="深圳华泰通安科技有限公司",
                identifiers=[],
                emails=[],
                phones_e164=["+8675580000001"],
            ),
            n=30,
        )
        kept, merged = make_org(admin, f"{PREFIX}保留有限公司"), make_org(admin, f"{PREFIX}合并有限公司")
        planted += [kept, merged]
        now = timezone.now()
        Activity.objects.bulk_create(
            Activity(
                record_type="parties.party",
                record_id=merged.pk,
                subject=f"call {i}",
                due_at=now,
                due_date=now.date() - dt.timedelta(days=i % 300),
            )
            for i in range(args.activities)
        )
        t = time.perf_counter()
        record = party_merge(actor=admin, kept=kept, merged=merged)
        print(
            f"  merge of a party with {args.activities:,} activities: {(time.perf_counter() - t) * 1000:8.1f} ms"
        )
        t = time.perf_counter()
        party_merge_undo(actor=admin, record=record)
        print(f"  its undo:                                   {(time.perf_counter() - t) * 1000:8.1f} ms")
    finally:
        ids = [p.pk for p in planted]
        Activity.objects.filter(record_type="parties.party", record_id__in=ids).delete()
        PartyMerge.objects.filter(kept_id__in=ids).delete()
        Party.objects.filter(pk__in=ids).delete()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
