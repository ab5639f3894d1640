"""The list says why it is empty, and what surrounds the results follows the URL after an htmx swap."""

import re

import pytest
from django.urls import reverse

from guanxi.core.roles import BUYER, SALES_REP
from guanxi.parties.models import Party
from guanxi.parties.services.parties import party_archive
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

LIST = reverse("parties:list")
BULK = reverse("parties:bulk")
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def html_of(response) -> str:
    return response.content.decode()


def test_filters_that_match_nothing_say_so_and_offer_to_clear_them(admin_client, admin_user):
    make_org(admin_user, "Alpha Trading", industry="software")
    response = admin_client.get(LIST, {"role": "customer", "industry": "logistics"})
    html = html_of(response)
    assert "No records match these filters." in html
    assert "No records yet" not in html
    # "Clear filters" keeps what the menu item (Customers) implies, nothing else.
    assert re.search(r'<a href="/parties/\?role=customer">Clear filters</a>', html)


def test_a_search_that_matches_nothing_offers_to_clear_it(admin_client, admin_user):
    make_org(admin_user, "Alpha Trading")
    html = html_of(admin_client.get(LIST, {"kind": "organization", "q": "zzz"}))
    assert "Nothing matches “zzz”" in html
    assert '<a href="/parties/?kind=organization">Clear filters</a>' in html


def test_no_records_yet_only_when_there_is_really_nothing(admin_client):
    html = html_of(admin_client.get(LIST, {"role": "supplier"}))
    assert "No records yet." in html and "No records match" not in html
    assert '<a href="/parties/new/organization/?role=supplier">Create the first one</a>' in html


def test_only_archived_records_are_not_nothing(admin_client, admin_user):
    party_archive(actor=admin_user, party=make_org(admin_user, "Old Co"))
    html = html_of(admin_client.get(LIST, {"kind": "organization"}))
    assert "No records yet" not in html
    assert "There are only archived records here." in html
    assert "/parties/?kind=organization&amp;state=archived" in html


def test_htmx_results_bring_heading_title_menu_and_role_filter_along(admin_client, admin_user):
    make_org(admin_user, "Beta Supplies", customer=False, supplier=True)
    # Started from "Customers", the user picks "Suppliers" in the Role filter.
    response = admin_client.get(LIST, {"role": "supplier"}, headers=HTMX)
    html = html_of(response)
    assert "<html" not in html and "Beta Supplies" in html
    assert "<title>Suppliers · Guanxi</title>" in html
    assert re.search(r'<div class="pagehead" id="listhead" hx-swap-oob="true">\s*<h1>Suppliers</h1>', html)
    nav = re.search(r'<nav class="sidenav" id="sidenav"[^>]*hx-swap-oob="true">(.*?)</nav>', html, re.S)
    assert nav and re.findall(r'<a [^>]*aria-current="page">([^<]*)</a>', nav.group(1)) == ["Suppliers"]
    role = re.search(
        r'<select name="role" id="filter-role"[^>]*hx-swap-oob="true">(.*?)</select>', html, re.S
    )
    assert role and re.findall(r'<option value="(\w*)" selected>', role.group(1)) == ["supplier"]
    # The export links follow the filters too (they are in the swapped heading).
    assert reverse("parties:export", args=["csv"]) + "?role=supplier" in html


def test_full_page_and_history_restore_render_the_whole_page(admin_client):
    page = admin_client.get(LIST, {"role": "customer"})
    assert "<title>Customers · Guanxi</title>" in html_of(page)
    assert "hx-swap-oob" not in html_of(page)
    # htmx's Back/Forward (history restore) asks without a target: the whole page, never the partial.
    restore = admin_client.get(
        LIST, {"role": "customer"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in html_of(restore) and "<title>Customers · Guanxi</title>" in html_of(restore)


def test_partial_and_page_are_kept_apart_by_caches(admin_client):
    vary = admin_client.get(LIST)["Vary"]
    assert "HX-Request" in vary and "HX-Target" in vary


def menu_of(client) -> str:
    html = html_of(client.get(reverse("core:tokens")))
    return re.search(r'<nav class="sidenav".*?</nav>', html, re.S).group(0)


@pytest.mark.parametrize(("roles", "crm", "srm"), [([SALES_REP], True, False), ([BUYER], False, True)])
def test_menu_offers_only_the_sides_the_role_reaches(client, make_user, roles, crm, srm):
    client.force_login(make_user("u", roles=roles))
    menu = menu_of(client)
    assert ("<h4>CRM</h4>" in menu) is crm and ("?role=customer" in menu) is crm
    assert ("<h4>SRM</h4>" in menu) is srm and ("?role=supplier" in menu) is srm
    assert "Settings</h4>" in menu and "API tokens" in menu  # every user has settings: their tokens
    assert "/settings/users/" not in menu


def test_administrator_menu_has_both_sides_and_user_settings(admin_client):
    menu = menu_of(admin_client)
    for text in ["<h4>CRM</h4>", "<h4>SRM</h4>", "/settings/users/", "/settings/teams/", "/settings/tokens/"]:
        assert text in menu


# --- bulk archive asks first ------------------------------------------------------------------------


def test_bulk_archive_asks_for_confirmation_first(admin_client, admin_user):
    orgs = [make_org(admin_user, name) for name in ["Alpha", "Beta"]]
    ids = [o.pk for o in orgs]
    response = admin_client.post(
        BULK, {"action": "archive", "ids": ids, "next": "/parties/?kind=organization"}
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "Archive 2 records?" in html and "<li>Alpha</li>" in html and "<li>Beta</li>" in html
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert '<a href="/parties/?kind=organization">Cancel</a>' in html
    assert not Party.objects.filter(archived_at__isnull=False).exists()  # nothing archived yet

    done = admin_client.post(BULK, {"action": "archive", "ids": ids, "confirmed": "1"}, follow=True)
    assert "2 records archived." in [str(m) for m in done.context["messages"]]
    assert Party.objects.filter(archived_at__isnull=False).count() == 2


def test_bulk_archive_confirmation_counts_only_what_will_be_archived(client, make_user, admin_user):
    rep = make_user("rep", roles=[SALES_REP])
    mine = make_org(admin_user, "Mine", owner=rep)
    other = make_org(admin_user, "Not mine")
    client.force_login(rep)
    html = html_of(client.post(BULK, {"action": "archive", "ids": [mine.pk, other.pk]}))
    assert "Archive 1 record?" in html and "<li>Mine</li>" in html and "Not mine" not in html
    assert "1 selected record is already archived or not yours to change" in html


def test_bulk_archive_with_nothing_archivable_goes_back(admin_client, admin_user):
    gone = make_org(admin_user, "Gone")
    party_archive(actor=admin_user, party=gone)
    response = admin_client.post(BULK, {"action": "archive", "ids": [gone.pk]}, follow=True)
    assert any("None of the selected records can be archived" in str(m) for m in response.context["messages"])
