"""Lists with a search page over at most SEARCH_RESULT_LIMIT matches and say when there were more."""

import pytest

from guanxi.core.pagination import keyset_page
from guanxi.core.roles import SALES_REP
from guanxi.parties.selectors import parties as sel
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(sel, "SEARCH_RESULT_LIMIT", 3)
    monkeypatch.setattr(sel.bounded_search, "__defaults__", (3,))
    return 3


def _names(results):
    return [p.name for p in results.qs.order_by("name", "id")]


def test_few_matches_are_all_shown_exactly(admin_user, small_limit):
    for name in ["华为技术", "华泰证券", "Acme"]:
        make_org(admin_user, name)
    results = sel.party_results(actor=admin_user, filters=sel.PartyFilters(q="华"))
    assert _names(results) == ["华为技术", "华泰证券"] and not results.truncated


def test_many_matches_are_bounded_and_flagged(admin_user, small_limit):
    for i in range(5):
        make_org(admin_user, f"华夏贸易{i}")
    results = sel.party_results(actor=admin_user, filters=sel.PartyFilters(q="华夏", sort="-name"))
    assert results.truncated
    page = keyset_page(results.qs, ordering=sel.SORTS["-name"], cursor=None, limit=10)
    assert len(page.items) == 3 and all(p.name.startswith("华夏贸易") for p in page.items)
    assert [p.name for p in page.items] == sorted((p.name for p in page.items), reverse=True)
    # the export stays exact
    assert sel.party_list(actor=admin_user, filters=sel.PartyFilters(q="华夏")).count() == 5


def test_the_bound_applies_after_record_rules(make_user, team, other_team, admin_user, small_limit):
    rep = make_user(roles=[SALES_REP], teams=[team])
    other = make_user(roles=[SALES_REP], teams=[other_team])
    for i in range(5):
        make_org(admin_user, f"Acme Other {i}", owner=other)
    mine = [make_org(admin_user, f"Acme Mine {i}", owner=rep) for i in range(2)]
    results = sel.party_results(actor=rep, filters=sel.PartyFilters(q="acme"))
    assert set(results.qs) == set(mine) and not results.truncated


def test_list_page_and_api_say_when_results_are_bounded(client, admin_user, small_limit):
    for i in range(5):
        make_org(admin_user, f"Acme Trading {i}")
    client.force_login(admin_user)
    page = client.get("/parties/", {"q": "acme"}).content.decode()
    assert "More than 3 matches: showing 3 of them" in page
    body = client.get("/api/v1/organizations", {"q": "acme"}).json()
    assert body["truncated"] is True and len(body["items"]) == 3
    assert client.get("/api/v1/organizations", {"q": "acme trading 1"}).json()["truncated"] is False
