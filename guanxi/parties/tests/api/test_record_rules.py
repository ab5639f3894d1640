"""Record rules through the API: the same rows as the web UI, and 404 (not 403) for what one may not see."""

from __future__ import annotations

import pytest

from guanxi.core.roles import MARKETING, SALES_MANAGER
from guanxi.core.tests.api.helpers import ok, problem
from guanxi.parties.models import Address, Party
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(admin_user, rep_a, rep_a2, rep_b):
    """Customers owned by each rep, a supplier, a party of both roles, and one with no role."""
    return {
        "own": make_org(admin_user, "A Own Customer", owner=rep_a),
        "team": make_org(admin_user, "B Team Customer", owner=rep_a2),
        "west": make_org(admin_user, "C West Customer", owner=rep_b),
        "supplier": make_org(admin_user, "D Supplier", customer=False, supplier=True),
        "both": make_org(admin_user, "E Both", customer=True, supplier=True, owner=rep_b),
        "none": make_org(admin_user, "F No Role", customer=False, owner=rep_b),
        "west_person": make_person(admin_user, "G West Person", owner=rep_b),
    }


def names(api, path="/organizations", **params) -> list[str]:
    return [i["name"] for i in ok(api.get(path, {"state": "all", **params}))["items"]]


def test_sales_rep_sees_own_and_team_customers_only(api_as, rep_a, world):
    api = api_as(rep_a)
    assert names(api) == ["A Own Customer", "B Team Customer"]
    assert names(api, "/contacts") == []
    ok(api.get(f"/organizations/{world['own'].pk}"))
    ok(api.get(f"/organizations/{world['team'].pk}"))


@pytest.mark.parametrize("key", ["west", "supplier", "both", "none"])
def test_sales_rep_gets_404_for_what_they_may_not_see(api_as, rep_a, world, key):
    api, pk = api_as(rep_a), world[key].pk
    data = problem(api.get(f"/organizations/{pk}"), 404)
    assert data["title"] == problem(api.get("/organizations/99999999"), 404)["title"]  # no hint it exists
    problem(api.patch(f"/organizations/{pk}", {"version": 1, "name": "Taken over"}), 404)
    problem(api.post(f"/organizations/{pk}/archive", {"archived": True}), 404)
    problem(api.get(f"/parties/{pk}/addresses"), 404)
    problem(api.post(f"/parties/{pk}/addresses", {"street": "1 Rd"}), 404)
    party = Party.objects.get(pk=pk)
    assert party.name != "Taken over" and party.archived_at is None and party.version == 1


def test_sales_rep_gets_404_for_another_teams_contact_and_address(api, api_as, rep_a, world):
    problem(api_as(rep_a).get(f"/contacts/{world['west_person'].pk}"), 404)
    addr = ok(api.post(f"/parties/{world['west'].pk}/addresses", {"street": "West Rd 1"}), 201)
    rep = api_as(rep_a)
    problem(rep.get(f"/addresses/{addr['id']}"), 404)
    problem(rep.patch(f"/addresses/{addr['id']}", {"version": 1, "street": "Mine now"}), 404)
    problem(rep.delete(f"/addresses/{addr['id']}"), 404)
    assert Address.objects.get(pk=addr["id"]).street == "West Rd 1"


def test_sales_rep_changes_own_and_team_customers(api_as, rep_a, world):
    api = api_as(rep_a)
    assert (
        ok(api.patch(f"/organizations/{world['own'].pk}", {"version": 1, "short_name": "Own"}))["version"]
        == 2
    )
    assert (
        ok(api.patch(f"/organizations/{world['team'].pk}", {"version": 1, "short_name": "Tm"}))["version"]
        == 2
    )
    addr = ok(api.post(f"/parties/{world['own'].pk}/addresses", {"street": "East Rd 1"}), 201)
    ok(api.patch(f"/addresses/{addr['id']}", {"version": 1, "city": "杭州市"}))


def test_sales_rep_creates_customers_they_then_own(api_as, rep_a, team):
    api = api_as(rep_a)
    created = ok(api.post("/organizations", {"name": "New Lead Ltd", "is_customer": True}), 201)
    assert created["owner"]["username"] == "rep.a"
    assert Party.objects.get(pk=created["id"]).team == team
    assert names(api) == ["New Lead Ltd"]
    # A rep may not create a supplier: the supplier side is not theirs.
    problem(api.post("/organizations", {"name": "Supplier Co", "is_supplier": True}), 403)
    assert not Party.objects.filter(name="Supplier Co").exists()


def test_sales_rep_list_filters_cannot_widen_the_scope(api_as, rep_a, rep_b, world):
    api = api_as(rep_a)
    assert names(api, owner=rep_b.pk) == []
    assert names(api, q="west") == []
    assert names(api, role="supplier") == []


def test_sales_manager_sees_everything_owned_in_the_team(api_as, make_user, team, world):
    manager = make_user("mgr", roles=[SALES_MANAGER], teams=[team])
    assert names(api_as(manager)) == ["A Own Customer", "B Team Customer"]


def test_buyer_sees_suppliers_not_customer_only_parties(api_as, buyer, world):
    api = api_as(buyer)
    assert names(api) == ["D Supplier", "E Both"]
    ok(api.get(f"/organizations/{world['supplier'].pk}"))
    ok(api.get(f"/organizations/{world['both'].pk}"))
    for key in ("own", "west", "none"):
        problem(api.get(f"/organizations/{world[key].pk}"), 404)
    problem(api.get(f"/contacts/{world['west_person'].pk}"), 404)


def test_buyer_creates_suppliers_but_not_customers(api_as, buyer):
    api = api_as(buyer)
    created = ok(api.post("/organizations", {"name": "Parts Supplier", "is_supplier": True}), 201)
    assert created["supplier_status"] == "candidate"
    problem(api.post("/organizations", {"name": "A Customer", "is_customer": True}), 403)
    problem(api.post("/organizations", {"name": "No Role"}), 403)
    assert list(Party.objects.values_list("name", flat=True)) == ["Parts Supplier"]


def test_buyer_may_see_a_supplier_owned_by_others_but_not_change_it(api_as, buyer, world):
    api = api_as(buyer)
    data = problem(api.patch(f"/organizations/{world['supplier'].pk}", {"version": 1, "name": "X"}), 403)
    assert data["title"]
    assert Party.objects.get(pk=world["supplier"].pk).name == "D Supplier"


def test_executive_reads_everything_but_writes_nothing(api_as, executive, world):
    api = api_as(executive)
    assert names(api) == [
        "A Own Customer",
        "B Team Customer",
        "C West Customer",
        "D Supplier",
        "E Both",
        "F No Role",
    ]
    pk = world["west"].pk
    ok(api.get(f"/organizations/{pk}"))
    ok(api.get(f"/parties/{pk}/addresses"))
    problem(api.post("/organizations", {"name": "Exec Co"}), 403)
    problem(api.post("/contacts", {"name": "Exec Person"}), 403)
    problem(api.patch(f"/organizations/{pk}", {"version": 1, "name": "Renamed"}), 403)
    problem(api.post(f"/organizations/{pk}/archive", {"archived": True}), 403)
    problem(api.post(f"/parties/{pk}/addresses", {"street": "1 Rd"}), 403)
    problem(api.post("/tags", {"name": "Exec tag"}), 403)
    party = Party.objects.get(pk=pk)
    assert party.name == "C West Customer" and party.archived_at is None
    assert not Party.objects.filter(name__startswith="Exec").exists()


def test_marketing_reads_customers_only(api_as, make_user, world):
    api = api_as(make_user("mkt", roles=[MARKETING]))
    assert "D Supplier" not in names(api) and "C West Customer" in names(api)
    problem(api.post("/organizations", {"name": "Mkt Co"}), 403)


def test_user_without_a_role_is_403_everywhere(api_as, make_user, world):
    api = api_as(make_user("norole"))
    problem(api.get("/organizations"), 403)
    problem(api.get(f"/organizations/{world['own'].pk}"), 403)
    problem(api.post("/organizations", {"name": "X"}), 403)


def test_handing_a_party_to_another_team_answers_with_the_record(api_as, rep_a, rep_b, other_team):
    """The write succeeds, so the answer is the record as written, not a 404 that invites a retry."""
    api = api_as(rep_a)
    created = ok(
        api.post("/organizations", {"name": "For the West", "is_customer": True, "owner_id": rep_b.pk}), 201
    )
    assert created["owner"]["username"] == "rep.b"
    party = Party.objects.get(pk=created["id"])
    assert party.team == other_team and party.created_by == rep_a
    problem(api.get(f"/organizations/{party.pk}"), 404)  # out of the rep's sight from now on

    mine = ok(api.post("/contacts", {"name": "Li Na"}), 201)
    handed = ok(api.patch(f"/contacts/{mine['id']}", {"version": 1, "owner_id": rep_b.pk}))
    assert handed["owner"]["username"] == "rep.b" and handed["version"] == 2
    problem(api.get(f"/contacts/{mine['id']}"), 404)
    assert Party.objects.filter(name__in=["For the West", "Li Na"]).count() == 2
