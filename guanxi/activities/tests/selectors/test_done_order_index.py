"""My activities' "done" tab across assignees (a manager's team, everyone) is read in order from an index.

Without activity_closed_idx (migration 0002) PostgreSQL read every closed activity of the team and sorted them:
1.9–4.7 s at 5M activities (docs/benchmarks.md, "My activities"). With it, a walk back over the index stops
after one page. The guard: with sequential scans and sorts priced out, the page's plan has no Sort node, so
an index gives the order. PostgreSQL only (SQLite plans differently and is not the 5M case).
"""

import pytest
from django.db import connection, transaction

from guanxi.activities.selectors import activities as sel
from guanxi.activities.services.activities import activity_complete
from guanxi.activities.tests.factories import make_activity

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan"),
]


def _plan(actor) -> str:
    qs, ordering = sel.activity_list(actor=actor, filters=sel.ActivityFilters(when="done", assignee="any"))
    sql, params = qs.order_by(*ordering)[:26].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_sort = off")
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


@pytest.mark.parametrize("who", ["manager", "executive"])  # team scope; all scope
def test_done_across_assignees_needs_no_sort(world, who):
    for user in (world.rep, world.mate):
        activity_complete(actor=user, activity=make_activity(user, world.huawei, assignee=user))
    plan = _plan(getattr(world, who))
    assert "Sort" not in plan, plan
    assert "activity_closed_idx" in plan, plan
