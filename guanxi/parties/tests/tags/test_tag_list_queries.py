"""The tag list (Tags page) costs a fixed number of queries, however many tags it shows: 3 tags cost
exactly what 30 do, and no more than the bound written here (issue 5, item 34)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.core.roles import SALES_REP
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

URL = reverse("parties:tags")


def _queries(client) -> tuple[int, int]:
    """(queries, tags shown) of the Tags page."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["tags"])


@pytest.mark.parametrize(
    ("who", "maximum"),
    [
        # Session, user, unread notifications; the tags with their counts (the visible parties a subquery).
        ("admin", 4),
        # Session, user, roles, teams (for the record rules), unread notifications; the tags with their counts.
        ("rep", 6),
    ],
)
def test_tag_list_queries_do_not_grow_with_tags(admin_user, make_user, team, who, maximum):
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    orgs = [make_org(admin_user, f"Company {i}", owner=rep) for i in range(3)]
    client = Client()
    client.force_login(admin_user if who == "admin" else rep)

    def grow(start, stop):
        for i in range(start, stop):
            tag = tag_create(actor=admin_user, name=f"Tag {i:02d}")
            parties_bulk_tag(actor=admin_user, ids=[o.pk for o in orgs[: 1 + i % 3]], tag=tag)

    grow(0, 3)
    client.get(URL)  # warm-up: the session's last-seen time is written once a minute
    few, shown = _queries(client)
    assert shown == 3
    grow(3, 30)
    many, shown = _queries(client)
    assert shown == 30
    assert many == few and many <= maximum, (few, many)
    html = client.get(URL).content.decode()
    assert "?tag=" in html and ">3</a>" in html  # the counts are there: Tag 02 is on all three
