"""List endpoints cost a fixed number of queries, however many rows a page has (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.roles import SALES_REP
from guanxi.core.tests.api.helpers import ok
from guanxi.parties.services.parties import PartyExtras, party_create
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

# The token (with its user), the caller's roles, the caller's teams, the page (with owners), the tags.
LIST_QUERIES = 5
# A search adds its ranked, bounded look-ups (selectors/search.py): identifiers/phones/e-mails, exact names,
# name prefixes and the contains walk; on PostgreSQL a walk that does not fill the page asks the search
# index in its own transaction (a savepoint here) with transaction-local settings. Constant, whatever the
# number of rows.
SEARCH_EXTRA = 8 if connection.vendor == "postgresql" else 4


def _populate(actor, owners, tags, n, *, kind="organization", start=0):
    for i in range(start, start + n):
        party_create(
            actor=actor,
            data={
                "kind": kind,
                "name": f"Party {i:03d}",
                "is_customer": True,
                "owner": owners[i % len(owners)],
            },
            extras=PartyExtras(tag_ids=[t["id"] for t in tags[: 1 + i % len(tags)]]),
            allow_duplicates=True,
        )


def _count(api, path, params=None) -> tuple[int, dict | list]:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get(path, params or {}))
    return len(ctx.captured_queries), page


@pytest.mark.parametrize(("path", "kind"), [("/organizations", "organization"), ("/contacts", "person")])
def test_list_queries_do_not_grow_with_rows(
    api, admin_user, make_user, make_tag, team, django_assert_max_num_queries, path, kind
):
    owners = [make_user(f"owner{i}", roles=[SALES_REP], teams=[team]) for i in range(3)]
    tags = [make_tag(f"Tag {i}") for i in range(3)]
    _populate(admin_user, owners, tags, 3, kind=kind)
    ok(api.get(path))  # the token's last-used time is stamped once a minute: keep it out of the count
    small, page = _count(api, path)
    assert len(page["items"]) == 3

    _populate(admin_user, owners, tags, 27, kind=kind, start=3)
    with django_assert_max_num_queries(LIST_QUERIES):
        page = ok(api.get(path))
    assert len(page["items"]) == 30
    assert all(item["owner"] and item["tags"] for item in page["items"])
    large, _page = _count(api, path)
    assert large == small

    # Filters and a later page cost no more than the first page.
    with django_assert_max_num_queries(LIST_QUERIES + SEARCH_EXTRA):
        first = ok(api.get(path, {"limit": 10, "tag": [tags[0]["id"]], "q": "party"}))
    with django_assert_max_num_queries(LIST_QUERIES + SEARCH_EXTRA):
        ok(api.get(path, {"limit": 10, "tag": [tags[0]["id"]], "q": "party", "cursor": first["next_cursor"]}))
    plain = ok(api.get(path, {"limit": 10}))
    with django_assert_max_num_queries(LIST_QUERIES):
        ok(api.get(path, {"limit": 10, "cursor": plain["next_cursor"]}))


def test_list_queries_for_a_rep_with_record_rules(
    api_as, admin_user, rep_a, make_tag, django_assert_max_num_queries
):
    tags = [make_tag("A"), make_tag("B")]
    _populate(admin_user, [rep_a], tags, 30)
    api = api_as(rep_a)
    ok(api.get("/organizations"))
    with django_assert_max_num_queries(LIST_QUERIES):
        page = ok(api.get("/organizations", {"limit": 50}))
    assert len(page["items"]) == 30


def test_detail_and_small_lists_have_fixed_costs(api, admin_user, make_tag, django_assert_max_num_queries):
    org = make_org(admin_user, "Acme", phones=["010 6552 9988"], emails=["a@acme.example.com"])
    for i in range(5):
        ok(api.post(f"/parties/{org.pk}/addresses", {"street": f"Road {i}"}), 201)
        make_tag(f"T{i}")
    ok(api.get("/tags"))
    with django_assert_max_num_queries(2):
        assert len(ok(api.get("/tags"))) == 5
    with django_assert_max_num_queries(3):
        assert len(ok(api.get(f"/parties/{org.pk}/addresses"))) == 5
    # The party, then one query each for tags, identifiers, phones/emails, addresses, both contact lists.
    with django_assert_max_num_queries(8):
        assert len(ok(api.get(f"/organizations/{org.pk}"))["addresses"]) == 5


@pytest.mark.parametrize(
    ("who", "maximum"),
    [
        ("admin", 2),  # the token (with its user); the tags
        ("rep", 3),  # the token (with its user), the caller's roles; the tags
    ],
)
def test_tag_list_queries_do_not_grow_with_tags(api, api_as, rep_a, make_tag, who, maximum):
    client = api if who == "admin" else api_as(rep_a)
    for i in range(3):
        make_tag(f"Tag {i:02d}")
    ok(client.get("/tags"))  # the token's last-used time is stamped once a minute: keep it out of the count
    few, tags = _count(client, "/tags")
    assert len(tags) == 3
    for i in range(3, 30):
        make_tag(f"Tag {i:02d}")
    many, tags = _count(client, "/tags")
    assert len(tags) == 30
    assert many == few and many <= maximum, (few, many)
