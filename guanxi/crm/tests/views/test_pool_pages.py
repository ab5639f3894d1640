"""The pool pages: the list with its claim and assign buttons by role, claiming and assigning by POST, "Put in the
pool" from a customer's page, Settings → Pools, and 查重; 403 / 404 where the role or the team does not reach;
queries that do not grow with the entries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.crm.models import Pool, PoolEntry
from guanxi.crm.services import pools as svc
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db
POOLS = reverse("crm:pools")


def _pool(world, **data) -> Pool:
    data = {"name_en": "East pool", "teams": [world.east.pk], "cooldown_days": 0, **data}
    return svc.pool_save(actor=world.manager, pool=None, data=data)


def _in_pool(world, party=None) -> PoolEntry:
    return svc.customer_release(actor=world.rep, party=party or world.huawei)


def _page(client, user, url=POOLS, **kwargs) -> str:
    client.force_login(user)
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- the pool list ------------------------------------------------------------------------------------------


def test_a_rep_sees_the_entries_with_a_claim_button_and_no_assign(client, world):
    pool = _pool(world, max_per_rep=5)
    entry = _in_pool(world)
    page = _page(client, world.mate)
    assert f'id="entry-{entry.pk}"' in page and "华为技术有限公司" in page and "Released by its owner" in page
    assert reverse("crm:pool_claim", args=[entry.pk]) in page
    assert reverse("crm:pool_assign", args=[entry.pk]) not in page
    assert "You hold 0 customers; a rep may hold 5." in page and pool.name in page


def test_a_manager_also_assigns_to_the_reps_of_the_team(client, world):
    _pool(world)
    entry = _in_pool(world)
    page = _page(client, world.manager)
    assert reverse("crm:pool_assign", args=[entry.pk]) in page
    assert f'<option value="{world.mate.pk}">' in page and f'<option value="{world.rep_west.pk}">' not in page


def test_empty_pool_and_no_pool(client, world):
    assert "No pool is open to you yet." in _page(client, world.rep)
    _pool(world)
    page = _page(client, world.rep)
    assert "The pool is empty." in page and "East pool" in page


def test_another_teams_pool_is_not_found_and_a_role_without_pools_is_refused(client, world):
    pool = _pool(world)
    client.force_login(world.rep_west)
    assert client.get(reverse("crm:pool", args=[pool.pk])).status_code == 404
    client.force_login(world.marketing)
    assert client.get(POOLS).status_code == 403


def test_the_list_costs_the_same_queries_for_3_and_20_entries(client, world):
    _pool(world)
    customers = [make_org(world.admin, f"客户{i:02d}", owner=world.rep) for i in range(20)]
    for c in customers[:3]:
        _in_pool(world, c)
    client.force_login(world.manager)
    client.get(POOLS)  # warm the caches (roles, currencies…)
    with CaptureQueriesContext(connection) as few:
        assert client.get(POOLS).content.decode().count('id="entry-') == 3
    for c in customers[3:]:
        _in_pool(world, c)
    with CaptureQueriesContext(connection) as many:
        assert client.get(POOLS).content.decode().count('id="entry-') == 20
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- claim and assign ---------------------------------------------------------------------------------------


def test_a_claim_takes_the_rep_to_the_customer(client, world):
    _pool(world)
    entry = _in_pool(world)
    client.force_login(world.mate)
    response = client.post(reverse("crm:pool_claim", args=[entry.pk]), follow=True)
    assert response.redirect_chain[-1][0] == world.huawei.get_absolute_url()
    assert "华为技术有限公司 is yours now." in _messages(response)
    assert Party.objects.get(pk=world.huawei.pk).owner == world.mate


def test_a_refused_claim_says_why_on_the_pool_page(client, world):
    pool = _pool(world, max_per_rep=1)
    make_org(world.admin, "Mate's own", owner=world.mate)
    entry = _in_pool(world)
    client.force_login(world.mate)
    response = client.post(reverse("crm:pool_claim", args=[entry.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:pool", args=[pool.pk])
    assert "You hold 1 customers already, the most this pool allows." in response.content.decode()
    assert PoolEntry.objects.filter(pk=entry.pk).exists()
    gone = client.post(reverse("crm:pool_claim", args=[entry.pk + 999]), follow=True)
    assert "someone took it first" in _messages(gone)


def test_claiming_needs_a_post(client, world):
    _pool(world)
    client.force_login(world.mate)
    assert client.get(reverse("crm:pool_claim", args=[_in_pool(world).pk])).status_code == 405


def test_a_manager_assigns_and_a_rep_may_not(client, world):
    pool = _pool(world)
    entry = _in_pool(world)
    url = reverse("crm:pool_assign", args=[entry.pk])
    client.force_login(world.rep)
    assert client.post(url, {"owner": world.mate.pk}).status_code == 403
    client.force_login(world.manager)
    refused = client.post(url, {"owner": world.rep_west.pk}, follow=True)
    assert "Choose someone in your team." in _messages(refused)
    response = client.post(url, {"owner": world.mate.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("crm:pool", args=[pool.pk])
    assert "华为技术有限公司 is mate's now." in _messages(response)
    assert Party.objects.get(pk=world.huawei.pk).owner == world.mate


# --- "Put in the pool" --------------------------------------------------------------------------------------


def test_put_in_the_pool_is_offered_to_the_owner_and_a_manager_only(client, world):
    _pool(world)
    release = reverse("crm:pool_release", args=[world.huawei.pk])
    for user, offered in ((world.rep, True), (world.manager, True), (world.mate, False), (world.admin, True)):
        page = _page(client, user, world.huawei.get_absolute_url())
        assert (f'href="{release}" data-action="release_to_pool"' in page) is offered, user
    page = _page(client, world.rep_west, world.west_co.get_absolute_url())
    assert 'data-action="release_to_pool"' in page  # no pool for West yet: the page says so


def test_the_owner_puts_a_customer_in_the_pool(client, world):
    _pool(world)
    url = reverse("crm:pool_release", args=[world.huawei.pk])
    page = _page(client, world.rep, url)
    assert "It goes to the pool East pool" in page and 'id="release-form"' in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == POOLS
    assert "华为技术有限公司 is in the pool East pool now." in _messages(response)
    entry = PoolEntry.objects.get(party=world.huawei)
    assert entry.reason == "released" and f'id="entry-{entry.pk}"' in response.content.decode()


def test_release_without_a_pool_or_out_of_sight(client, world):
    url = reverse("crm:pool_release", args=[world.west_co.pk])
    assert "There is no pool for this customer" in _page(client, world.rep_west, url)
    response = client.post(url)
    assert response.status_code == 200 and "There is no pool for this customer" in response.content.decode()
    assert not PoolEntry.objects.exists()
    client.force_login(world.rep)
    assert client.get(url).status_code == 404


# --- Settings → Pools ---------------------------------------------------------------------------------------


def _form(**data) -> dict:
    return {
        "name_en": "East pool",
        "warn_days": 3,
        "cooldown_days": 30,
        "exempt_open_opportunity": "on",
        **data,
    }


def test_a_manager_sets_up_pools(client, world):
    client.force_login(world.manager)
    assert "No pools yet." in _page(client, world.manager, reverse("crm:pool_settings"))
    assert client.get(reverse("crm:pool_create")).status_code == 200
    response = client.post(
        reverse("crm:pool_create"), _form(teams=[world.east.pk], no_activity_days=30, max_per_rep=50)
    )
    assert response.status_code == 302 and response["Location"] == reverse("crm:pool_settings")
    pool = Pool.objects.get()
    assert (list(pool.teams.all()), pool.no_activity_days, pool.max_per_rep) == ([world.east], 30, 50)
    page = _page(client, world.manager, reverse("crm:pool_settings"))
    assert "East pool" in page and "30 days without a follow-up" in page
    edit = reverse("crm:pool_edit", args=[pool.pk])
    bad = client.post(edit, _form(name_en="", version=pool.version))
    assert bad.status_code == 200 and "Give a name in English or in Chinese." in bad.content.decode()
    stale = client.post(edit, _form(name_en="Renamed", version=pool.version + 5))
    assert stale.status_code == 200 and Pool.objects.get().name_en == "East pool"
    assert client.post(edit, _form(name_en="Renamed", version=pool.version)).status_code == 302
    assert Pool.objects.get().name_en == "Renamed"


def test_a_rep_may_not_set_up_pools(client, world):
    pool = _pool(world)
    client.force_login(world.rep)
    for url in (
        reverse("crm:pool_settings"),
        reverse("crm:pool_create"),
        reverse("crm:pool_edit", args=[pool.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("crm:pool_create"), _form(name_en="Mine")).status_code == 403
    assert Pool.objects.count() == 1


# --- 查重 -----------------------------------------------------------------------------------------------------


def test_the_check_page(client, world):
    _pool(world)
    check = reverse("crm:check")
    page = _page(client, world.rep, check, data={"q": "华为技术有限公司"})
    assert f'href="{world.huawei.get_absolute_url()}"' in page and "held by rep" in page
    page = _page(client, world.rep_west, check, data={"q": "华为技术有限公司"})
    assert "An organization you cannot open" in page and "held by rep" in page
    assert world.huawei.get_absolute_url() not in page
    _in_pool(world)
    assert "in the pool East pool" in _page(client, world.rep_west, check, data={"q": "华为技术有限公司"})
    assert 'id="check-none"' in _page(client, world.rep, check, data={"q": "完全不存在的公司"})
    assert 'id="check-results"' not in _page(client, world.rep, check)
    client.force_login(world.buyer)
    assert client.get(check, {"q": "华为"}).status_code == 403
