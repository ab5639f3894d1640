"""Fixtures shared by the suppliers tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture
def qualifying(make_user, admin_user, team) -> SimpleNamespace:
    """A candidate supplier held by a buyer of East, two Procurement Managers, a sales rep of East, and a
    category of the catalogue ("Metal parts", 金属件)."""
    from guanxi.core.roles import BUYER, PROCUREMENT_MANAGER, SALES_REP
    from guanxi.parties.tests.factories import make_org
    from guanxi.suppliers.services.lifecycle import lifecycle_rule_ensure
    from guanxi.suppliers.tests.qualification_support import category

    lifecycle_rule_ensure()
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    return SimpleNamespace(
        admin=admin_user,
        buyer=buyer,
        pm=make_user("pm", roles=[PROCUREMENT_MANAGER]),
        pm2=make_user("pm2", roles=[PROCUREMENT_MANAGER]),
        rep=make_user("rep", roles=[SALES_REP], teams=[team]),
        supplier=make_org(admin_user, "苏州精密五金有限公司", customer=False, supplier=True, owner=buyer),
        metal=category(admin_user, "Metal parts", name_zh="金属件"),
    )
