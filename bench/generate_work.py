"""Add activities and pending approvals to a benchmark database that bench/generate.py has filled (PostgreSQL).

Run by hand, never from the test suite (docs/benchmarks.md, "My activities and approvals"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench \
        .venv/bin/python bench/generate_work.py --activities 5000000 --approvals 100000

1. **Users** (ORM, a few hundred rows): 200 sales reps `rep.001`…`rep.200` — `rep.001`…`rep.020` join
   李娜's team (华东销售) with 王伟, the others nine teams of 20 under managers `mgr.01`…`mgr.09` — and two
   more executives `exec.01`, `exec.02` besides 赵磊. Password: --password.
2. **Activities** (set-based `INSERT … SELECT generate_series`, one statement per million rows, the secondary
   indexes dropped meanwhile and rebuilt at the end): assigned to every user with activities (王伟, the
   measured rep, four times as many as the others), on random organizations; 94 % done and 3 % cancelled
   over the past three years (more of them recent), 3 % open: about 45 % of those overdue (up to 120 days),
   3 % due today, the rest upcoming (up to 90 days). Kinds, subjects, outcomes, priorities, all-day tasks,
   reminders (sent for past ones), closing times and versions as the services write them.
3. **Approvals**, shaped as `approval_submit` makes them: parties are the approvable document
   (bench/approvable.py); two rules made through the rules service — "Large accounts" (size large or
   enterprise: level 1 赵磊, level 2 admin) and "Account review" (anything else: level 1 the role
   Executive, any one of 赵磊, exec.01, exec.02). --approvals pending requests on distinct customers submitted
   by their owners over the past 30 days (stages and steps of every level, the first pending, the submit
   audit entry with its link to the party), plus --decided approved/rejected ones with their decided paths;
   exec.02 is away and has delegated to exec.01 (through the delegation service).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

TEAM_PREFIX = "Bench team "


def bench_users(password: str) -> dict:
    """The extra users and teams (idempotent); returns {username: User} of everyone the data needs."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from guanxi.core import roles
    from guanxi.core.models import Team, TeamMembership, User

    hashed = make_password(password)
    groups = {g.name: g for g in Group.objects.all()}

    def user(username: str, first: str, last: str, role: str) -> User:
        u, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "password": hashed,
            },
        )
        if created:
            u.groups.set([groups[role]])
        return u

    east = Team.objects.get(name__startswith="华东销售")
    for i in range(1, 10):
        team, _ = Team.objects.get_or_create(name=f"{TEAM_PREFIX}{i:02d}")
        mgr = user(f"mgr.{i:02d}", f"Manager{i:02d}", "Bench", roles.SALES_MANAGER)
        TeamMembership.objects.get_or_create(team=team, user=mgr, defaults={"is_manager": True})
    for i in range(1, 201):
        rep = user(f"rep.{i:03d}", f"Rep{i:03d}", "Bench", roles.SALES_REP)
        team = east if i <= 20 else Team.objects.get(name=f"{TEAM_PREFIX}{(i - 21) // 20 + 1:02d}")
        TeamMembership.objects.get_or_create(team=team, user=rep)
    for i in (1, 2):
        user(f"exec.{i:02d}", f"Executive{i:02d}", "Bench", roles.EXECUTIVE)
    return {u.username: u for u in User.objects.all()}


# --- Activities -------------------------------------------------------------------------------------------

# One statement per chunk. :lo/:hi: the rows; %(users)s: assignee ids (王伟 4×); "now" is fixed for the run.
ACTIVITY_SQL = """
WITH base AS (
    SELECT g, random() AS r_state, random() AS r_time, random() AS r_kind, random() AS r_subj,
           random() AS r_misc, random() AS r_rem, random() AS r_rec, random() AS r_user,
           %(users)s::bigint[] AS users
    FROM generate_series(%(lo)s, %(hi)s) AS g
), shaped AS (
    SELECT b.*, o.id AS record_id,
        b.users[1 + floor(b.r_user * array_length(b.users, 1))::int] AS assignee_id,
        CASE WHEN b.r_state < 0.03 THEN 'open' WHEN b.r_state < 0.06 THEN 'cancelled' ELSE 'done' END AS status,
        CASE WHEN b.r_kind < 0.35 THEN 'call' WHEN b.r_kind < 0.60 THEN 'email' WHEN b.r_kind < 0.75 THEN 'meeting'
             WHEN b.r_kind < 0.90 THEN 'task' ELSE 'note' END AS kind
    FROM base b JOIN bench_orgs o ON o.rn = 1 + floor(b.r_rec * %(n_orgs)s)::bigint
), timed AS (
    SELECT s.*,
        to_timestamp(floor(extract(epoch FROM CASE
            WHEN s.status <> 'open' THEN %(now)s::timestamptz - (power(s.r_time, 1.5) * interval '1095 days')
            WHEN s.r_state / 0.03 < 0.45 THEN %(now)s::timestamptz - interval '1 hour'
                 - power(s.r_state / 0.03 / 0.45, 2) * interval '120 days'
            WHEN s.r_state / 0.03 < 0.48 THEN %(today)s::timestamptz + interval '8 hours'
                 + ((s.r_state / 0.03 - 0.45) / 0.03) * interval '11 hours'
            ELSE %(tomorrow)s::timestamptz + interval '8 hours'
                 + power((s.r_state / 0.03 - 0.48) / 0.52, 1.5) * interval '90 days'
        END) / 900) * 900) AS raw_due,
        (s.kind = 'task' AND s.r_subj < 0.3) AS all_day
    FROM shaped s
), dated AS (
    SELECT t.*, (t.raw_due AT TIME ZONE %(zone)s)::date AS due_date,
        CASE WHEN t.all_day THEN ((t.raw_due AT TIME ZONE %(zone)s)::date::timestamp AT TIME ZONE %(zone)s)
             ELSE t.raw_due END AS due_at
    FROM timed t
), closed AS (
    SELECT d.*,
        CASE WHEN d.status = 'open' THEN NULL
             ELSE LEAST(%(now)s::timestamptz, d.due_at + d.r_rem * interval '2 days') END AS closed_at,
        CASE WHEN d.kind = 'note' OR d.r_rem >= 0.4 THEN NULL
             ELSE (ARRAY[15, 30, 60, 1440])[1 + floor(d.r_rem * 10)::int %% 4] END AS remind_before
    FROM dated d
)
INSERT INTO activities_activity (
    uid, record_type, record_id, kind, subject, description, due_at, due_date, all_day, duration_minutes,
    location, priority, status, outcome, remind_before, remind_at, reminded_at, closed_at, version,
    created_at, updated_at, assignee_id, closed_by_id, created_by_id, follow_up_of_id)
SELECT
    gen_random_uuid(), 'parties.party', c.record_id, c.kind,
    CASE c.kind
        WHEN 'call' THEN (ARRAY['Follow-up call', '跟进电话', 'Call about the quote', '电话沟通报价',
                                'Check delivery date', '确认交货期'])[1 + floor(c.r_subj * 6)::int]
        WHEN 'email' THEN (ARRAY['Send the price list', '发送价格表', 'Reply to the enquiry', '回复询价'])
                          [1 + floor(c.r_subj * 4)::int]
        WHEN 'meeting' THEN (ARRAY['Visit the customer', '拜访客户', 'Quarterly review', '季度回顾'])
                            [1 + floor(c.r_subj * 4)::int]
        WHEN 'task' THEN (ARRAY['Prepare the contract', '准备合同', 'Update the account plan', '更新客户计划'])
                         [1 + floor(c.r_subj * 4)::int]
        ELSE (ARRAY['Notes from the call', '通话记录', 'Trade-fair contact', '展会接触'])[1 + floor(c.r_subj * 4)::int]
    END,
    '', c.due_at, c.due_date, c.all_day,
    CASE WHEN c.all_day THEN NULL WHEN c.kind = 'meeting' THEN 60 WHEN c.kind = 'call' THEN 15 END,
    CASE WHEN c.kind = 'meeting' THEN (ARRAY['', '会议室 A', 'Customer site', '客户现场'])[1 + floor(c.r_misc * 4)::int]
         ELSE '' END,
    CASE WHEN c.r_kind * 100 - floor(c.r_kind * 100) < 0.1 THEN 'high'
         WHEN c.r_kind * 100 - floor(c.r_kind * 100) < 0.2 THEN 'low' ELSE 'normal' END,
    c.status,
    CASE WHEN c.status = 'done' AND c.r_subj * 10 - floor(c.r_subj * 10) < 0.5
         THEN (ARRAY['Reached them; they will decide next week.', '已沟通，下周答复。', 'Sent.', '已发送。',
                     'Agreed on the next step.', '已约定下一步。'])[1 + floor(c.r_rem * 6)::int]
         ELSE '' END,
    c.remind_before,
    c.due_at - make_interval(mins => c.remind_before),
    CASE WHEN c.due_at - make_interval(mins => c.remind_before) < %(now)s::timestamptz
         THEN c.due_at - make_interval(mins => c.remind_before) END,
    c.closed_at,
    CASE WHEN c.status = 'open' THEN 1 ELSE 2 END,
    LEAST(c.due_at, %(now)s::timestamptz) - c.r_misc * interval '14 days',
    COALESCE(c.closed_at, LEAST(c.due_at, %(now)s::timestamptz) - c.r_misc * interval '14 days'),
    c.assignee_id,
    CASE WHEN c.status = 'open' THEN NULL ELSE c.assignee_id END,
    c.assignee_id,
    NULL
FROM closed c
"""


def _secondary_indexes(cur, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND schemaname = 'public' "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = indexname)",
        [table],
    )
    return cur.fetchall()


def _orgs_table(cur) -> int:
    cur.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_orgs AS SELECT row_number() OVER (ORDER BY id) AS rn, id "
        "FROM parties_party WHERE kind = 'organization' AND archived_at IS NULL"
    )
    cur.execute("CREATE UNIQUE INDEX IF NOT EXISTS bench_orgs_rn ON bench_orgs (rn)")
    cur.execute("ANALYZE bench_orgs")
    cur.execute("SELECT count(*) FROM bench_orgs")
    return cur.fetchone()[0]


def generate_activities(total: int, users: dict, *, chunk: int) -> None:
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from guanxi.activities.selectors.activities import day_bounds

    people = [
        u
        for name, u in sorted(users.items())
        if name.startswith(("rep.", "mgr."))
        or name in ("li.na", "wang.wei", "john.smith", "zhang.min", "chen.jie", "liu.yang", "emily.chen")
    ]
    ids = [u.pk for u in people] + [users["wang.wei"].pk] * 3  # 王伟: four times a typical share
    now = timezone.now()
    with timezone.override(settings.TIME_ZONE):
        today, tomorrow = day_bounds(now)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM activities_activity")
        before = cur.fetchone()[0]
        n_orgs = _orgs_table(cur)
        saved = _secondary_indexes(cur, "activities_activity")
        for name, _sql in saved:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'activities_activity'::regclass AND contype = 'u'"
        )
        uniques = cur.fetchall()
        for name, _def in uniques:
            cur.execute(f'ALTER TABLE activities_activity DROP CONSTRAINT "{name}"')
        # Rows consistent by construction: no FK triggers.
        cur.execute("SET session_replication_role = replica")
    print(
        f"activities: {before:,} already; adding {total:,} for {len(people)} users on {n_orgs:,} organizations; "
        f"dropped {len(saved)} indexes and {len(uniques)} unique constraint(s)",
        flush=True,
    )
    t0 = time.perf_counter()
    done = 0
    while done < total:
        n = min(chunk, total - done)
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                ACTIVITY_SQL,
                {
                    "lo": done + 1,
                    "hi": done + n,
                    "users": ids,
                    "n_orgs": n_orgs,
                    "now": now,
                    "today": today,
                    "tomorrow": tomorrow,
                    "zone": settings.TIME_ZONE,
                },
            )
        done += n
        print(
            f"  {done:>10,} activities  chunk {time.perf_counter() - t:6.1f}s  total {time.perf_counter() - t0:7.1f}s",
            flush=True,
        )
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in uniques:
            t = time.perf_counter()
            cur.execute(f'ALTER TABLE activities_activity ADD CONSTRAINT "{name}" {definition}')
            print(f"  constraint {name}: {time.perf_counter() - t:.1f}s", flush=True)
        for name, sql in saved:
            t = time.perf_counter()
            cur.execute(sql)
            print(f"  index {name}: {time.perf_counter() - t:.1f}s", flush=True)
        cur.execute("VACUUM ANALYZE activities_activity")
    print(
        f"activities: {total:,} rows in {t_load:.1f}s ({total / t_load / 1e6 * 60:.1f}M/min, "
        f"{t_load / total * 1e6:.0f}s per million); indexes + analyze {time.perf_counter() - t1:.1f}s",
        flush=True,
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activities", type=int, default=5_000_000)
    p.add_argument("--approvals", type=int, default=100_000, help="pending approval requests")
    p.add_argument("--decided", type=int, default=50_000, help="approved or rejected requests (history)")
    p.add_argument("--chunk", type=int, default=1_000_000)
    p.add_argument("--password", default="bench-password-1")
    args = p.parse_args()

    import django

    django.setup()
    from django.db import connection

    from bench import approvable
    from bench.generate_approvals import generate_approvals

    if connection.vendor != "postgresql":
        sys.exit(
            "bench/generate_work.py writes PostgreSQL SQL: point DATABASE_URL at the PostgreSQL database"
        )
    approvable.register()
    users = bench_users(args.password)
    if args.activities:
        generate_activities(args.activities, users, chunk=args.chunk)
    if args.approvals or args.decided:
        generate_approvals(args.approvals, args.decided, users)
    return 0


if __name__ == "__main__":
    sys.exit(main())
