from types import SimpleNamespace

import pytest

from guanxi.core.models import Team
from guanxi.core.roles import EXECUTIVE, SALES_MANAGER, SALES_REP


@pytest.fixture
def world(make_user, admin_user):
    """North team: rep Anna (requester), rep Ben, manager Mia; South: rep Sam. A sales manager in South
    (Max) and an executive (Eve, sees no widgets)."""
    north, south = Team.objects.create(name="North"), Team.objects.create(name="South")
    return SimpleNamespace(
        admin=admin_user,
        north=north,
        south=south,
        anna=make_user("anna", roles=[SALES_REP], teams=[north]),
        ben=make_user("ben", roles=[SALES_REP], teams=[north]),
        mia=make_user("mia", roles=[SALES_MANAGER], manager_of=[north]),
        sam=make_user("sam", roles=[SALES_REP], teams=[south]),
        max=make_user("max", roles=[SALES_MANAGER], manager_of=[south]),
        eve=make_user("eve", roles=[EXECUTIVE]),
    )
