"""A small sales department: two teams, reps and their manager, customers owned by the reps, the shipped
pipeline (New business: Qualification 10 % … Won, Lost) and lost reasons."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from guanxi.catalog.tests.factories import make_product
from guanxi.core import roles as R
from guanxi.core.models import TaxRate, Team
from guanxi.core.tests.api.helpers import anon_api, api, api_as  # noqa: F401  (fixtures)
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import LostReason, Pipeline
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
    service: object  # Service Agent: no opportunity rights
    huawei: object
    zhang: object  # a contact of Huawei
    west_co: object
    pipeline: Pipeline
    stages: dict  # by English name: "Qualification", "Proposal", "Won", "Lost" …
    reason: LostReason


@pytest.fixture
def world(make_user, admin_user) -> World:
    east, west = Team.objects.create(name="East"), Team.objects.create(name="West")
    rep = make_user("rep", roles=[R.SALES_REP], teams=[east])
    rep_west = make_user("rep_west", roles=[R.SALES_REP], teams=[west])
    huawei = make_org(admin_user, "华为技术有限公司", owner=rep)
    pipeline = Pipeline.objects.get(name_en="New business")
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
        service=make_user("agent", roles=[R.SERVICE_AGENT]),
        huawei=huawei,
        zhang=make_person(admin_user, "张伟", organization=huawei, job_title="采购总监"),
        west_co=make_org(admin_user, "West Co", owner=rep_west),
        pipeline=pipeline,
        stages={s.name_en: s for s in pipeline.stages.all()},
        reason=LostReason.objects.order_by("position").first(),
    )


@pytest.fixture
def goods(world):
    """Our company, a switch sold at ¥3999.99 (US$560) with 13 % VAT, a cable at ¥20, a part only bought."""
    company = make_company(
        name_zh="关系示范科技有限公司", name_en="Guanxi Demo", default_currency="CNY", is_default=True
    )
    vat13 = TaxRate.objects.get(code="vat13")
    prices = [{"currency": "CNY", "amount": "3999.99"}, {"currency": "USD", "amount": "560"}]
    switch = make_product(
        world.admin, "SW-48", "48口交换机", "48-port switch", tax_rate=vat13.pk, prices=prices
    )
    cable = make_product(world.admin, "CAB-5", "网线", "Cable", prices=[{"currency": "CNY", "amount": "20"}])
    part = make_product(world.admin, "P-1", name_en="Spare part", can_sell=False, can_buy=True)
    return SimpleNamespace(company=company, switch=switch, cable=cable, part=part, vat13=vat13)
