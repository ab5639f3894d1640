"""Two people drag the same card at the same moment, both from the version they saw: the row is locked (SELECT …
FOR UPDATE) and its version checked, so exactly one move is made and the other is told about the conflict.
Each thread has its own connection and transaction, as under gunicorn.

To make "at the same moment" certain rather than likely, the first writer keeps its transaction open until
PostgreSQL reports the second one waiting for the row lock (pg_locks), then commits."""

from __future__ import annotations

import pytest
from django.db import connection

from guanxi.core.exceptions import ConflictError
from guanxi.core.models import AuditEntry
from guanxi.core.tests.races import race
from guanxi.crm.models import Opportunity
from guanxi.crm.services.opportunities import opportunity_move, opportunity_update
from guanxi.crm.tests.factories import make_opportunity

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks as PostgreSQL takes them"),
]


def _moves(o):
    return AuditEntry.objects.filter(target_type="crm.opportunity", target_id=str(o.pk), action="update")


def _move_from_version_1(actor, o, stage):
    return lambda: opportunity_move(actor=actor, opportunity=o, stage=stage, version=1)


@pytest.mark.parametrize(
    "overlap",
    [
        pytest.param(True, id="at-the-same-moment"),
        pytest.param(False, id="one-after-the-other"),
    ],
)
def test_two_moves_from_the_same_version_one_wins(world, overlap):
    o = make_opportunity(world.rep, world.huawei)
    proposal, negotiation = world.stages["Proposal"], world.stages["Negotiation"]
    results = race(
        _move_from_version_1(world.rep, o, proposal),
        _move_from_version_1(world.mate, o, negotiation),
        overlap=overlap,
    )
    assert isinstance(results[0], Opportunity) and results[0].stage == proposal, results
    assert isinstance(results[1], ConflictError), results
    o.refresh_from_db()
    assert (o.version, o.stage, o.probability) == (2, proposal, proposal.probability)
    assert [m.changes["stage"] for m in _moves(o)] == [["Qualification", "Proposal"]]


def test_an_edit_holding_the_row_makes_a_waiting_move_a_conflict(world):
    # The edit leaves the stage as it is: the waiting move's re-read row still joins, and its version is
    # checked — the outcome the moves above should have too.
    o = make_opportunity(world.rep, world.huawei)
    results = race(
        lambda: opportunity_update(actor=world.mate, opportunity=o, version=1, data={"name": "Renamed"}),
        _move_from_version_1(world.rep, o, world.stages["Proposal"]),
        overlap=True,
    )
    assert isinstance(results[0], Opportunity) and isinstance(results[1], ConflictError), results
    o.refresh_from_db()
    assert (o.version, o.name, o.stage) == (2, "Renamed", world.stages["Qualification"])
    assert [m.changes for m in _moves(o)] == [{"name": ["Core switches", "Renamed"]}]
