"""The pools' nightly recycling (回收) over a million held customers: how long finding the due ones takes, and
what each return costs. Run by hand on the issue-7 database (docs/benchmarks.md), never from the tests:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench7 .venv/bin/python bench/pools.py --due 5000

It makes one pool "Bench recycle" for every team that holds generated customers, with the rule "back after 30
days without a follow-up" (customers with an open opportunity kept), backdates the customers' creation by 400
days (the generated ones were all made today, so none would be due), keeps all but `--due` of them fresh with a
recent claim (a PoolClaim today, which the rule counts as a follow-up window start), times the selection (the
count of due customers, as the job's batches read them), then runs the job and times the returns. It puts the
customers back where they were afterwards (owners, claims, pool entries).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--due", type=int, default=5000, help="customers left due for return")
    args = p.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from guanxi.core.models import Team, User
    from guanxi.crm.models import Pool, PoolClaim, PoolEntry
    from guanxi.crm.selectors.pools import due_for_return
    from guanxi.crm.services.pools import pool_save, pools_recycle
    from guanxi.parties.models import Party

    admin = User.objects.get(username="admin")
    now = timezone.now()
    customers = Party.objects.filter(
        is_customer=True, kind="organization", owner__isnull=False, archived_at=None
    )
    held = customers.count()
    teams = list(Team.objects.filter(pk__in=customers.values("team_id").distinct()))
    pool = Pool.objects.filter(name_en="Bench recycle").first() or pool_save(
        actor=admin,
        pool=None,
        data={
            "name_en": "Bench recycle",
            "no_activity_days": 30,
            "exempt_open_opportunity": True,
            "warn_days": 0,
        },
    )
    pool.teams.set(teams)
    Pool.objects.exclude(pk=pool.pk).update(archived_at=now)  # only this pool runs (restored below)
    print(
        f"{held:,} held customers (organizations) in {len(teams)} teams; load {Path('/proc/loadavg').read_text().split()[0]}"
    )
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE parties_party SET created_at = %s WHERE is_customer AND kind = 'organization' AND owner_id IS NOT NULL",
            [now - dt.timedelta(days=400)],
        )
    due = list(customers.order_by("pk").values_list("pk", "owner_id", "team_id")[: args.due])
    keep = list(customers.order_by("pk").values_list("pk", "owner_id")[args.due :])
    PoolClaim.objects.bulk_create(
        (PoolClaim(party_id=pk, owner_id=owner) for pk, owner in keep), batch_size=10000
    )
    print(
        f"  set-up: {held - len(keep):,} customers left without a follow-up window ({time.perf_counter() - t:.0f} s)"
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE parties_party; ANALYZE crm_poolclaim")
    try:
        for reason, qs in due_for_return(pool, on=now):
            times = []
            for _ in range(3):
                t = time.perf_counter()
                n = qs.count()
                times.append(time.perf_counter() - t)
            first = list(qs.order_by("pk").values_list("pk", flat=True)[:500])
            t = time.perf_counter()
            list(qs.order_by("pk").values_list("pk", flat=True)[:500])
            batch = time.perf_counter() - t
            print(
                f"  due ({reason}): {n:,}; counting them {min(times) * 1000:,.0f} ms; one batch of 500 ids {batch * 1000:,.0f} ms ({len(first)} read)"
            )
        t = time.perf_counter()
        returned = pools_recycle(now=now)
        took = time.perf_counter() - t
        print(
            f"  the job: {returned:,} returned in {took:.1f} s ({took * 1000 / max(returned, 1):.1f} ms per customer)"
        )
    finally:
        with transaction.atomic():
            entries = PoolEntry.objects.filter(pool=pool).count()
            for party_id, owner_id, team_id in due:
                Party.objects.filter(pk=party_id).update(owner_id=owner_id, team_id=team_id)
            PoolEntry.objects.filter(pool=pool).delete()
            PoolClaim.objects.filter(at__gte=now).delete()
            Pool.objects.exclude(pk=pool.pk).update(archived_at=None)
            pool.archived_at = now
            pool.save(update_fields=["archived_at"])
        print(f"  restored {entries:,} returned customers to their owners")
    return 0


if __name__ == "__main__":
    sys.exit(main())
