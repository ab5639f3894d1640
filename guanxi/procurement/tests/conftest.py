"""A small procurement department: buyers in two teams, two Procurement Managers, a sales rep and an
executive; our company; suppliers at several lifecycle stages; products we buy (VAT 13 %)."""

from types import SimpleNamespace

import pytest

from guanxi.catalog.tests.factories import make_product
from guanxi.core import roles as R
from guanxi.core.models import TaxRate, Team
from guanxi.core.tests.api.helpers import anon_api, api, api_as  # noqa: F401  (fixtures)
from guanxi.core.tests.factories import make_company
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.parties.tests.factories import make_org, make_person
from guanxi.procurement.services.approval_rules import order_rules_ensure


def api_tokens(shop) -> list[str]:
    """Bearer tokens of the schemathesis runs: a buyer's write and read ones, a Procurement Manager's, a sales
    rep's (who reaches nothing of purchasing)."""
    from guanxi.core.services.tokens import token_create

    return [
        token_create(actor=shop.buyer, name="schemathesis-write", scope="write")[1],
        token_create(actor=shop.buyer, name="schemathesis-read", scope="read")[1],
        token_create(actor=shop.pm, name="schemathesis-pm", scope="write")[1],
        token_create(actor=shop.rep, name="schemathesis-rep", scope="write")[1],
    ]


def supplier(admin, name, status, owner=None):
    party = make_org(admin, name, customer=False, supplier=True, owner=owner)
    if status != "candidate":
        party_set_supplier_status(actor=admin, party=party, status=status)
    return party


@pytest.fixture
def shop(make_user, admin_user):
    order_rules_ensure()
    east, west = Team.objects.create(name="采购一组"), Team.objects.create(name="采购二组")
    buyer = make_user("buyer", roles=[R.BUYER], teams=[east])
    company = make_company(admin_user, name_zh="深圳关系科技有限公司", name_en="Guanxi Technology Ltd")
    vat13 = TaxRate.objects.filter(rate=13).first()
    huaqiang = supplier(admin_user, "深圳华强电子有限公司", "approved", owner=buyer)
    return SimpleNamespace(
        admin=admin_user,
        east=east,
        west=west,
        buyer=buyer,
        mate=make_user("mate", roles=[R.BUYER], teams=[east]),
        buyer_west=make_user("buyer_west", roles=[R.BUYER], teams=[west]),
        pm=make_user("pm", roles=[R.PROCUREMENT_MANAGER]),
        pm2=make_user("pm2", roles=[R.PROCUREMENT_MANAGER]),
        rep=make_user("rep", roles=[R.SALES_REP], teams=[east]),
        executive=make_user("exec", roles=[R.EXECUTIVE]),
        company=company,
        vat13=vat13,
        huaqiang=huaqiang,
        wang=make_person(
            admin_user,
            "王芳",
            organization=huaqiang,
            job_title="销售经理",
            is_customer=False,
            is_supplier=True,
        ),
        preferred=supplier(admin_user, "东莞精密五金有限公司", "preferred"),
        candidate=supplier(admin_user, "苏州新材料有限公司", "candidate"),
        blocked=supplier(admin_user, "宁波劣质包装有限公司", "blocked"),
        resistor=make_product(
            admin_user,
            "R-0603-10K",
            "贴片电阻 0603 10kΩ",
            "SMD resistor 0603 10k",
            can_sell=False,
            can_buy=True,
            tax_rate=vat13.code if vat13 else None,
        ),
        carton=make_product(
            admin_user,
            "BOX-A4",
            "瓦楞纸箱 A4",
            "Corrugated carton A4",
            can_sell=False,
            can_buy=True,
            tax_rate=vat13.code if vat13 else None,
        ),
        sold_only=make_product(admin_user, "SW-01", "软件许可", "Software licence"),
    )
