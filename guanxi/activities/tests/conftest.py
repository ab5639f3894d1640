from dataclasses import dataclass

import pytest

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.api.helpers import anon_api, api, api_as  # noqa: F401  (fixtures)
from guanxi.parties.tests.factories import make_org, make_person


@dataclass
class World:
    east: Team
    west: Team
    admin: object
    rep: object  # Sales Representative, East: owns Huawei
    mate: object  # another Sales Representative in East
    rep_west: object  # Sales Representative, West: owns West Co
    manager: object  # Sales Manager of East
    marketing: object
    executive: object
    buyer: object
    huawei: object
    zhang: object  # a contact of Huawei
    west_co: object


@pytest.fixture
def world(make_user, admin_user) -> World:
    east, west = Team.objects.create(name="East"), Team.objects.create(name="West")
    rep = make_user("rep", roles=[R.SALES_REP], teams=[east])
    rep_west = make_user("rep_west", roles=[R.SALES_REP], teams=[west])
    huawei = make_org(admin_user, "华为技术有限公司", owner=rep)
    return World(
        east=east,
        west=west,
        admin=admin_user,
        rep=rep,
        mate=make_user("mate", roles=[R.SALES_REP], teams=[east]),
        rep_west=rep_west,
        manager=make_user("boss", roles=[R.SALES_MANAGER], manager_of=[east]),
        marketing=make_user("mkt", roles=[R.MARKETING]),
        executive=make_user("exec", roles=[R.EXECUTIVE]),
        buyer=make_user("buyer", roles=[R.BUYER]),
        huawei=huawei,
        zhang=make_person(admin_user, "张伟", organization=huawei, job_title="采购总监"),
        west_co=make_org(admin_user, "West Co", owner=rep_west),
    )
