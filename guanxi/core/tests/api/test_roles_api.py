from __future__ import annotations

import pytest

from guanxi.core.roles import SALES_REP
from guanxi.core.tests.api.helpers import ApiClient

pytestmark = pytest.mark.django_db


def test_administrators_read_the_roles(admin_user):
    api = ApiClient(admin_user)
    roles = {r["code"]: r for r in api.get("/roles").json()}
    assert roles["sales_rep"]["name"] == "Sales Representative" and roles["sales_rep"]["shipped"]
    assert "party.create" in roles["sales_rep"]["actions"]
    assert roles["sales_rep"]["view_scopes"]["customers"] == 1
    assert roles["administrator"]["all_access"] and "settings.manage" in roles["administrator"]["actions"]


def test_others_get_403_on_roles_but_read_the_actions(make_user):
    api = ApiClient(make_user(roles=[SALES_REP]))
    response = api.get("/roles")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    codes = {a["code"] for a in api.get("/permissions").json()}
    assert {"party.view", "settings.manage"} <= codes
