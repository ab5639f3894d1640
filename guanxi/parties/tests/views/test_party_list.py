"""The party list: search, filters, sort, keyset pages, htmx partial, bad input, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.core.roles import BUYER, SALES_REP
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.parties import party_archive
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db

LIST = reverse("parties:list")
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def names(response) -> list[str]:
    assert response.context["page"] is not None, response.context.get("error")
    return [p.name for p in response.context["page"].items]


@pytest.fixture
def world(admin_user, make_user):
    """A small, varied set of parties."""
    other = make_user("olga", roles=[BUYER])
    vip = tag_create(actor=admin_user, name="VIP", color="#b91c1c")
    alpha = make_org(
        admin_user,
        "Alpha Trading",
        customer_status="active",
        industry="software",
        address={"country": "CN", "province": "上海市", "city": "上海市", "street": "1 Nanjing Rd"},
    )
    beta = make_org(
        admin_user,
        "Beta Supplies",
        customer=False,
        supplier=True,
        supplier_status="approved",
        industry="logistics",
        owner=other,
        address={"country": "CN", "province": "北京市", "city": "北京市", "street": "2 Chang'an Ave"},
    )
    gamma = make_org(
        admin_user,
        "Gamma Both",
        supplier=True,
        address={"country": "DE", "province": "Berlin", "city": "Berlin", "street": "Unter den Linden 1"},
    )
    delta = make_org(admin_user, "Delta Nobody", customer=False)
    huawei = make_org(admin_user, "华为技术有限公司", short_name="华为")
    eve = make_person(admin_user, "Eve Contact", organization=alpha, emails=["eve@acme-mail.cn"])
    zeta = make_org(admin_user, "Zeta Gone")
    party_archive(actor=admin_user, party=zeta)
    parties_bulk_tag(actor=admin_user, ids=[alpha.pk, gamma.pk], tag=vip)
    return {
        "other": other,
        "vip": vip,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "delta": delta,
        "huawei": huawei,
        "eve": eve,
        "zeta": zeta,
    }


def test_list_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_shows_active_parties_sorted_by_name(admin_client, world):
    response = admin_client.get(LIST)
    assert response.status_code == 200
    assert names(response) == [
        "Alpha Trading",
        "Beta Supplies",
        "Delta Nobody",
        "Eve Contact",
        "Gamma Both",
        "华为技术有限公司",
    ]
    html = response.content.decode()
    assert "6 records" in html
    assert "Zeta Gone" not in html
    assert 'id="results"' in html and "<html" in html
    assert "VIP" in html  # tags shown on the row


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("alpha", ["Alpha Trading"]),
        ("ALPHA trad", ["Alpha Trading"]),
        ("华为", ["华为技术有限公司"]),
        ("huawei", ["华为技术有限公司"]),
        ("hwjs", ["华为技术有限公司"]),
        ("eve@acme", ["Eve Contact"]),
        ("nothing-like-this", []),
    ],
)
def test_search(admin_client, world, q, expected):
    response = admin_client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert names(response) == expected


def test_search_without_match_says_so(admin_client, world):
    response = admin_client.get(LIST, {"q": "nothing-like-this"})
    assert "Nothing matches “nothing-like-this”" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "person"}, ["Eve Contact"]),
        ({"kind": "organization", "role": "supplier"}, ["Beta Supplies", "Gamma Both"]),
        ({"role": "customer", "kind": "organization"}, ["Alpha Trading", "Gamma Both", "华为技术有限公司"]),
        ({"role": "both"}, ["Gamma Both"]),
        ({"role": "none"}, ["Delta Nobody", "Eve Contact"]),
        ({"customer_status": "active"}, ["Alpha Trading"]),
        ({"supplier_status": "approved"}, ["Beta Supplies"]),
        ({"supplier_status": "candidate"}, ["Gamma Both"]),
        ({"industry": "logistics"}, ["Beta Supplies"]),
        ({"country": "de"}, ["Gamma Both"]),
        ({"province": "北京市"}, ["Beta Supplies"]),
        ({"city": "上海市"}, ["Alpha Trading"]),
        ({"state": "archived"}, ["Zeta Gone"]),
        ({"state": "all", "q": "zeta"}, ["Zeta Gone"]),
    ],
)
def test_filters(admin_client, world, params, expected):
    response = admin_client.get(LIST, params)
    assert response.status_code == 200
    assert names(response) == expected


def test_filter_by_owner_and_tag(admin_client, world):
    assert names(admin_client.get(LIST, {"owner": world["other"].pk})) == ["Beta Supplies"]
    assert names(admin_client.get(LIST, {"tag": world["vip"].pk})) == ["Alpha Trading", "Gamma Both"]
    # The chosen values are shown as selected in the filter form.
    html = admin_client.get(LIST, {"tag": world["vip"].pk}).content.decode()
    assert f'<option value="{world["vip"].pk}" selected>VIP</option>' in html


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("name", "Alpha Trading", "华为技术有限公司"),
        ("-name", "华为技术有限公司", "Alpha Trading"),
        ("created", "Alpha Trading", "Eve Contact"),
        ("-created", "Eve Contact", "Alpha Trading"),
    ],
)
def test_sort(admin_client, world, sort, first, last):
    got = names(admin_client.get(LIST, {"sort": sort}))
    assert (got[0], got[-1]) == (first, last)


def test_sort_recently_changed(admin_client, world):
    # Tagging touched Alpha and Gamma last (Gamma has the higher id on a tie).
    got = names(admin_client.get(LIST, {"sort": "-updated"}))
    assert set(got[:2]) == {"Alpha Trading", "Gamma Both"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"role": "boss"}, "Unknown role."),
        ({"kind": "robot"}, "Unknown kind."),
        ({"customer_status": "happy"}, "Unknown customer status."),
        ({"supplier_status": "meh"}, "Unknown supplier status."),
        ({"industry": "piracy"}, "Unknown industry."),
        ({"state": "gone"}, "Unknown state."),
        ({"sort": "random"}, "Unknown sort order."),
        ({"q": "x" * 101}, "Search with at most 100 characters."),
        ({"cursor": "not-a-cursor"}, "This page link is not valid any more."),
    ],
)
def test_unknown_filter_values_are_a_400_with_a_message(admin_client, world, params, message):
    response = admin_client.get(LIST, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<html" in html  # still the full page, with the filter form to fix it
    htmx = admin_client.get(LIST, params, headers=HTMX)
    assert htmx.status_code == 400
    assert message in htmx.content.decode()


def test_htmx_request_gets_the_results_partial(admin_client, world):
    response = admin_client.get(LIST, {"q": "beta"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="filters"' not in html
    assert "Beta Supplies" in html and "Alpha Trading" not in html
    assert "<table" in html


def test_htmx_request_for_another_target_gets_the_full_page(admin_client, world):
    response = admin_client.get(LIST, headers={"HX-Request": "true", "HX-Target": "main"})
    assert "<html" in response.content.decode()


def test_cursor_pages(admin_client, admin_user):
    for i in range(30):
        make_org(admin_user, f"Org {i:02d}")
    first = admin_client.get(LIST, {"kind": "organization"})
    page = first.context["page"]
    assert names(first) == [f"Org {i:02d}" for i in range(25)]
    assert page.next_cursor and page.prev_cursor is None
    html = first.content.decode()
    assert f"cursor={page.next_cursor}" in html and "kind=organization" in html

    second = admin_client.get(LIST, {"kind": "organization", "cursor": page.next_cursor})
    assert names(second) == [f"Org {i:02d}" for i in range(25, 30)]
    assert second.context["page"].next_cursor is None

    back = admin_client.get(LIST, {"kind": "organization", "cursor": second.context["page"].prev_cursor})
    assert names(back) == [f"Org {i:02d}" for i in range(25)]
    assert back.context["page"].prev_cursor is None

    # Pages follow the chosen sort and stay partial under htmx.
    desc = admin_client.get(LIST, {"sort": "-created"})
    nxt = admin_client.get(
        LIST, {"sort": "-created", "cursor": desc.context["page"].next_cursor}, headers=HTMX
    )
    assert names(nxt) == [f"Org {i:02d}" for i in range(4, -1, -1)]
    assert "<html" not in nxt.content.decode()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"sort": "name"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(
    admin_client, admin_user, make_user, django_assert_max_num_queries
):
    owners = [make_user(f"owner{i}", roles=[SALES_REP]) for i in range(3)]
    tags = [tag_create(actor=admin_user, name=f"Tag {i}") for i in range(3)]
    orgs = [make_org(admin_user, f"Company {i:02d}", owner=owners[i % 3]) for i in range(3)]
    for t in tags:
        parties_bulk_tag(actor=admin_user, ids=[o.pk for o in orgs], tag=t)
    few = _list_queries(admin_client)

    more = [make_org(admin_user, f"Company {i:02d}", owner=owners[i % 3]) for i in range(3, 30)]
    for t in tags:
        parties_bulk_tag(actor=admin_user, ids=[o.pk for o in more], tag=t)
    # 8, and the "Views" menu: the user's saved views (one query) and their teams (one, shared per request).
    with django_assert_max_num_queries(10):
        response = admin_client.get(LIST, {"sort": "name"})
    assert len(response.context["page"].items) == 25
    assert _list_queries(admin_client) == few
