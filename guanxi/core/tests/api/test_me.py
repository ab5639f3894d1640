"""GET /api/v1/me: who the caller is and what their roles allow."""

from __future__ import annotations

import pytest

from guanxi.core.registry import action_codes
from guanxi.core.roles import BUYER, EXECUTIVE, SALES_REP, Action
from guanxi.core.tests.api.helpers import ApiClient, ok

pytestmark = pytest.mark.django_db


def test_me_for_an_administrator(admin_user):
    me = ok(ApiClient(admin_user).get("/me"))
    assert me["id"] == admin_user.pk
    assert me["username"] == "admin"
    assert me["roles"] == ["Administrator"]
    assert me["actions"] == sorted(action_codes())


def test_me_for_a_sales_rep(make_user):
    user = make_user("li.wei", roles=[SALES_REP], language="zh-hans")
    user.first_name, user.last_name = "Wei", "Li"
    user.save()
    me = ok(ApiClient(user, scope="read").get("/me"))
    assert me["username"] == "li.wei"
    assert me["language"] == "zh-hans"
    assert me["name"] == str(user)
    assert me["roles"] == ["Sales Representative"]
    assert "party.create" in me["actions"] and "party.export" not in me["actions"]
    assert me["actions"] == sorted(me["actions"])


def test_me_combines_roles(make_user):
    user = make_user("both", roles=[EXECUTIVE, BUYER])
    me = ok(ApiClient(user).get("/me"))
    assert sorted(me["roles"]) == ["Buyer", "Executive"]
    assert {"party.export", "party.create"} <= set(me["actions"])
    assert Action.SETTINGS_MANAGE not in me["actions"]


def test_me_without_roles_has_no_actions(make_user):
    me = ok(ApiClient(make_user("nobody")).get("/me"))
    assert me["roles"] == [] and me["actions"] == []
