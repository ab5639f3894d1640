"""Record rules on the web pages (404 for what one may not see, 403 for what one may only see), and escaping."""

import pytest
from django.urls import reverse

from guanxi.core.roles import BUYER, SALES_REP
from guanxi.parties.models import Address, Party
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def setup(admin_user, make_user, team, other_team):
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    rival = make_user("rival", roles=[SALES_REP], teams=[other_team])
    mine = make_org(admin_user, "Shared Name Mine Ltd", owner=rep)
    theirs = make_org(
        admin_user,
        "Shared Name Theirs Ltd",
        owner=rival,
        address={"country": "CN", "city": "成都市", "street": "Rival Rd 1"},
    )
    return {"rep": rep, "rival": rival, "mine": mine, "theirs": theirs}


def test_rep_cannot_reach_another_teams_customer(client, setup):
    theirs = setup["theirs"]
    client.force_login(setup["rep"])
    address = theirs.addresses.get()
    gets = [
        theirs.get_absolute_url(),
        *[f"{theirs.get_absolute_url()}?tab={t}" for t in ["contacts", "addresses", "timeline", "history"]],
        reverse("parties:edit", args=[theirs.pk]),
        reverse("parties:address_create", args=[theirs.pk]),
        reverse("parties:address_edit", args=[theirs.pk, address.pk]),
        f"{reverse('parties:create', args=['person'])}?organization={theirs.pk}",
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Shared Name Theirs" not in response.content.decode(), url
    posts = [
        (reverse("parties:edit", args=[theirs.pk]), {"name": "Hijacked"}),
        (reverse("parties:archive", args=[theirs.pk]), {}),
        (reverse("parties:note_add", args=[theirs.pk]), {"body": "sneaky"}),
        (reverse("parties:address_create", args=[theirs.pk]), {"country": "CN", "street": "x"}),
        (reverse("parties:address_delete", args=[theirs.pk, address.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.name == "Shared Name Theirs Ltd" and theirs.archived_at is None
    assert Address.objects.filter(pk=address.pk).exists()


def test_rep_does_not_find_another_teams_customer_in_the_list(client, setup):
    client.force_login(setup["rep"])
    htmx = {"HX-Request": "true", "HX-Target": "results"}
    for params, mine_shown in [
        ({}, True),
        ({"q": "shared name"}, True),
        ({"q": "theirs"}, False),
        ({"city": "成都市"}, False),
        ({"owner": setup["rival"].pk}, False),
    ]:
        for headers in ({}, htmx):
            response = client.get(reverse("parties:list"), params, headers=headers)
            assert response.status_code == 200
            html = response.content.decode()
            assert "Shared Name Theirs" not in html, params
            assert ("Shared Name Mine" in html) is mine_shown, params


def test_rep_bulk_actions_skip_another_teams_customer(client, setup):
    client.force_login(setup["rep"])
    client.post(reverse("parties:bulk"), {"action": "archive", "ids": [setup["theirs"].pk]})
    assert Party.objects.get(pk=setup["theirs"].pk).archived_at is None


def test_rep_sees_own_customer(client, setup):
    client.force_login(setup["rep"])
    response = client.get(setup["mine"].get_absolute_url())
    assert response.status_code == 200
    assert reverse("parties:edit", args=[setup["mine"].pk]) in response.content.decode()


def test_see_but_not_change_is_403_with_a_reason(client, admin_user, make_user):
    buyer = make_user("buyer", roles=[BUYER])
    supplier = make_org(admin_user, "Steel Supplier", customer=False, supplier=True)
    client.force_login(buyer)
    page = client.get(supplier.get_absolute_url())
    assert page.status_code == 200
    assert reverse("parties:edit", args=[supplier.pk]) not in page.content.decode()
    response = client.get(reverse("parties:edit", args=[supplier.pk]))
    assert response.status_code == 403
    assert "You may see this record but not change it." in response.content.decode()


def test_user_without_party_access_gets_403(client, make_user):
    client.force_login(make_user("nobody"))
    response = client.get(reverse("parties:list"))
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.content.decode()


def test_html_in_names_is_escaped_everywhere(admin_client, admin_user):
    org = make_org(admin_user, XSS, short_name="<b>bold</b>")
    admin_client.post(reverse("parties:note_add", args=[org.pk]), {"body": "<i>note</i>" + XSS})
    pages = [
        admin_client.get(reverse("parties:list")),
        admin_client.get(reverse("parties:list"), {"q": "script"}),
        admin_client.get(org.get_absolute_url()),
        admin_client.get(org.get_absolute_url(), {"tab": "timeline"}),
        admin_client.get(org.get_absolute_url(), {"tab": "history"}),
        admin_client.get(reverse("parties:edit", args=[org.pk])),
        # The duplicate warning names the existing record, and the flash message names the new one.
        admin_client.post(
            reverse("parties:create", args=["organization"]), {"name": XSS, "is_customer": "on"}
        ),
        admin_client.post(
            reverse("parties:create", args=["organization"]),
            {"name": XSS, "is_customer": "on", "allow_duplicates": "on"},
            follow=True,
        ),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "<b>bold</b>" not in html and "<i>note</i>" not in html
