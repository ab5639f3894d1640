"""The approvals part of bench/generate_work.py (see its docstring): the rules and the delegation through the
services, then requests, stages, steps, audit entries and links in set-based SQL."""

from __future__ import annotations

import time

# --- Approvals ---------------------------------------------------------------------------------------------


def approval_setup(users: dict):
    """The two rules (through the rules service) and exec.02's delegation to exec.01 (idempotent)."""
    import datetime as dt

    from guanxi.core import roles
    from guanxi.core.models import ApprovalDelegation, ApprovalRule, Role
    from guanxi.core.selectors.approvals import today
    from guanxi.core.services.approval_delegations import approval_delegation_create
    from guanxi.core.services.approval_rules import approval_rule_create

    admin = users["admin"]
    rules = {r.name: r for r in ApprovalRule.objects.filter(document_type="parties.party")}
    if "Large accounts" not in rules:
        rules["Large accounts"] = approval_rule_create(
            actor=admin,
            document_type="parties.party",
            name="Large accounts",
            conditions=[{"field": "size", "op": "in", "value": ["large", "enterprise"]}],
            levels=[
                {"kind": "user", "user_id": users["zhao.lei"].pk, "mode": "any"},
                {"kind": "user", "user_id": admin.pk, "mode": "any"},
            ],
        )
    if "Account review" not in rules:
        rules["Account review"] = approval_rule_create(
            actor=admin,
            document_type="parties.party",
            name="Account review",
            levels=[{"kind": "role", "role_id": Role.objects.get(code=roles.EXECUTIVE).pk, "mode": "any"}],
        )
    if not ApprovalDelegation.objects.filter(delegator=users["exec.02"], status="active").exists():
        approval_delegation_create(
            actor=users["exec.02"],
            delegate=users["exec.01"],
            starts_on=today() - dt.timedelta(days=3),
            ends_on=today() + dt.timedelta(days=7),
            note="Away on business",
        )
    return rules["Large accounts"], rules["Account review"]


# Requests first (ids reserved from their sequences in a temp table), then stages, steps, audit entries and
# links, each one INSERT … SELECT from that table. %(…)s: ids and the time of the run.
APPROVAL_SQL = [
    # The requests to make: pending ones on distinct customers, then decided ones (any customer).
    """
    CREATE TEMP TABLE bench_req AS
    WITH picked AS (
        SELECT p.id AS party_id, p.name, p.size, p.customer_status, p.owner_id,
               row_number() OVER (ORDER BY random()) AS k
        FROM parties_party p
        WHERE p.kind = 'organization' AND p.is_customer AND p.archived_at IS NULL AND p.owner_id = ANY(%(owners)s)
          AND NOT EXISTS (SELECT 1 FROM core_approvalrequest r
                          WHERE r.document_type = 'parties.party' AND r.object_id = p.id::text AND r.status = 'pending')
    )
    SELECT nextval(pg_get_serial_sequence('core_approvalrequest', 'id')) AS id, party_id, name, size, customer_status,
           owner_id, (size IN ('large', 'enterprise')) AS large,
           CASE WHEN k <= %(pending)s THEN 'pending'
                WHEN random() < 0.85 THEN 'approved' ELSE 'rejected' END AS status,
           %(now)s::timestamptz - CASE WHEN k <= %(pending)s THEN random() * interval '30 days'
                                       ELSE interval '30 days' + random() * interval '700 days' END AS submitted_at,
           random() AS r
    FROM picked WHERE k <= %(pending)s + %(decided)s
    """,
    "ALTER TABLE bench_req ADD COLUMN decided_at timestamptz, ADD COLUMN decider bigint",
    """
    UPDATE bench_req SET decided_at = submitted_at + r * interval '3 days',
        decider = CASE WHEN large THEN CASE WHEN status = 'rejected' AND r < 0.5 THEN %(zhao)s ELSE %(admin)s END
                       ELSE (%(execs)s::bigint[])[1 + floor(r * 3)::int] END
    WHERE status <> 'pending'
    """,
    """
    INSERT INTO core_approvalrequest (id, document_type, object_id, title, rule_id, rule_name, values, requester_id,
        submitted_by_id, last_changed_by_id, status, current_level, level_count, submitted_at, decided_at,
        decided_by_id, version)
    SELECT id, 'parties.party', party_id::text, left(name, 200),
           CASE WHEN large THEN %(rule_large)s ELSE %(rule_review)s END,
           CASE WHEN large THEN %(rule_large_name)s ELSE %(rule_review_name)s END,
           jsonb_build_object('customer_status', customer_status, 'size', size),
           owner_id, owner_id, NULL, status,
           CASE WHEN status = 'approved' AND large THEN 2
                WHEN status = 'rejected' AND large AND decider = %(admin)s THEN 2 ELSE 1 END,
           CASE WHEN large THEN 2 ELSE 1 END, submitted_at, decided_at,
           decider, CASE status WHEN 'pending' THEN 1 WHEN 'approved' THEN CASE WHEN large THEN 3 ELSE 2 END
                                ELSE CASE WHEN large AND decider = %(admin)s THEN 3 ELSE 2 END END
    FROM bench_req
    """,
    # Stages: level 1 (and level 2 of "Large accounts"), each with how it ended: pending / waiting; decided
    # (approved or rejected, by whom, when); cancelled (level 2 after a rejection at level 1).
    """
    CREATE TEMP TABLE bench_stage AS
    WITH s AS (
        SELECT q.id AS request_id, lv.position, q.large, q.status AS req_status, q.decider, q.decided_at,
               q.submitted_at,
               CASE WHEN q.large AND q.decider = %(zhao)s THEN q.decided_at
                    ELSE q.submitted_at + (q.decided_at - q.submitted_at) / 2 END AS t1
        FROM bench_req q CROSS JOIN LATERAL (SELECT 1 AS position UNION ALL SELECT 2 WHERE q.large) lv
    )
    SELECT nextval(pg_get_serial_sequence('core_approvalstage', 'id')) AS stage_id, request_id, position, large,
        CASE WHEN req_status = 'pending' THEN CASE WHEN position = 1 THEN 'pending' ELSE 'waiting' END
             WHEN NOT large THEN req_status
             WHEN position = 1 THEN CASE WHEN decider = %(zhao)s THEN 'rejected' ELSE 'approved' END
             WHEN decider = %(zhao)s THEN 'cancelled' ELSE req_status END AS stage_status,
        CASE WHEN req_status = 'pending' THEN NULL
             WHEN NOT large THEN decided_at
             WHEN position = 1 THEN t1
             WHEN decider = %(zhao)s THEN NULL ELSE decided_at END AS stage_decided_at,
        CASE WHEN req_status = 'pending' THEN NULL
             WHEN NOT large THEN decider
             WHEN position = 1 THEN %(zhao)s
             WHEN decider = %(zhao)s THEN NULL ELSE %(admin)s END AS stage_decider,
        CASE WHEN position = 1 THEN submitted_at
             WHEN req_status <> 'pending' AND decider <> %(zhao)s THEN t1 END AS pending_since
    FROM s
    """,
    """
    INSERT INTO core_approvalstage (id, request_id, position, kind, role_id, team_id, user_id, mode, status, decided_at)
    SELECT stage_id, request_id, position,
           CASE WHEN large THEN 'user' ELSE 'role' END,
           CASE WHEN large THEN NULL ELSE %(exec_role)s END, NULL,
           CASE WHEN NOT large THEN NULL WHEN position = 1 THEN %(zhao)s ELSE %(admin)s END,
           'any', stage_status, stage_decided_at
    FROM bench_stage
    """,
    # Steps: one per approver of the level (赵磊 / admin for "Large accounts"; the three executives, in
    # user-name order as _candidates lists them, for "Account review").
    """
    INSERT INTO core_approvalstep (request_id, stage_id, approver_id, status, skip_reason, pending_since,
        decided_by_id, decided_at, comment)
    SELECT s.request_id, s.stage_id, a.approver,
           CASE WHEN s.stage_status IN ('pending', 'waiting') THEN s.stage_status
                WHEN a.approver = s.stage_decider THEN s.stage_status
                ELSE 'not_needed' END,
           '', s.pending_since,
           CASE WHEN a.approver = s.stage_decider THEN a.approver END,
           CASE WHEN a.approver = s.stage_decider THEN s.stage_decided_at END,
           CASE WHEN a.approver = s.stage_decider AND s.stage_status = 'rejected'
                THEN 'Credit terms need a second look.' ELSE '' END
    FROM bench_stage s
    CROSS JOIN LATERAL (
        SELECT unnest(CASE WHEN s.large THEN ARRAY[CASE WHEN s.position = 1 THEN %(zhao)s ELSE %(admin)s END]::bigint[]
                           ELSE %(execs)s::bigint[] END) AS approver
    ) a
    ORDER BY s.request_id, s.position, a.approver
    """,
    # The submit audit entry of each request (on the request, linked to the party) as audit_record writes it.
    """
    CREATE TEMP TABLE bench_audit AS
    SELECT nextval(pg_get_serial_sequence('core_auditentry', 'id')) AS entry_id, q.* FROM bench_req q
    """,
    """
    INSERT INTO core_auditentry (id, at, actor_id, action, target_type, target_id, target_repr, subject_type,
        subject_id, changes)
    SELECT entry_id, submitted_at, owner_id, 'submit', 'core.approvalrequest', id::text, left(name, 200),
           'core.approvalrequest', id::text,
           jsonb_build_object('rule', jsonb_build_array(NULL,
                                CASE WHEN large THEN %(rule_large_name)s ELSE %(rule_review_name)s END),
                              'values', jsonb_build_array(NULL,
                                jsonb_build_object('customer_status', customer_status, 'size', size)))
    FROM bench_audit
    """,
    """
    INSERT INTO core_auditlink (entry_id, subject_type, subject_id)
    SELECT entry_id, 'parties.party', party_id::text FROM bench_audit
    """,
]


def generate_approvals(pending: int, decided: int, users: dict) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from guanxi.core import roles
    from guanxi.core.models import Role

    large, review = approval_setup(users)
    execs = sorted((users["zhao.lei"], users["exec.01"], users["exec.02"]), key=lambda u: u.username)
    params = {
        "owners": [users[n].pk for n in ("li.na", "wang.wei", "john.smith")],
        "pending": pending,
        "decided": decided,
        "now": timezone.now(),
        "zhao": users["zhao.lei"].pk,
        "admin": users["admin"].pk,
        "execs": [u.pk for u in execs],
        "exec_role": Role.objects.get(code=roles.EXECUTIVE).pk,
        "rule_large": large.pk,
        "rule_review": review.pk,
        "rule_large_name": large.name,
        "rule_review_name": review.name,
    }
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for sql in APPROVAL_SQL:
            t = time.perf_counter()
            cur.execute(sql, params)
            print(
                f"  {sql.split()[0]} {sql.split()[2] if len(sql.split()) > 2 else ''}: "
                f"{cur.rowcount} rows, {time.perf_counter() - t:.1f}s",
                flush=True,
            )
        for table in ("bench_req", "bench_stage", "bench_audit"):
            cur.execute(f"DROP TABLE {table}")
    with connection.cursor() as cur:
        for table in (
            "core_approvalrequest",
            "core_approvalstage",
            "core_approvalstep",
            "core_auditentry",
            "core_auditlink",
        ):
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute(
            "SELECT approver_id, count(*) FROM core_approvalstep WHERE status = 'pending' GROUP BY 1 ORDER BY 1"
        )
        names = {u.pk: n for n, u in users.items()}
        print("pending steps per approver:", {names[a]: c for a, c in cur.fetchall()}, flush=True)
    print(
        f"approvals: {pending:,} pending + {decided:,} decided in {time.perf_counter() - t0:.1f}s", flush=True
    )
