"""An app plugs in without editing core: guanxi.tests.plugin_app (installed by the test settings only)
registers an action, an area with shipped-role grants, a menu item, a tab, a header action and an overview
card on the party page, a timeline provider, audit labels and a document type. Each is checked here as a
user meets it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from guanxi.core import registry
from guanxi.core.models import Role, Team
from guanxi.core.roles import BUYER, SALES_MANAGER, SALES_REP, Scope, grants_for
from guanxi.core.selectors.users import history_for
from guanxi.parties.selectors.timeline import party_timeline
from guanxi.parties.tests.factories import make_org
from guanxi.tests.plugin_app.models import Widget
from guanxi.tests.plugin_app.services import widget_change_amount, widget_create, widgets_visible

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user):
    north, south = Team.objects.create(name="North"), Team.objects.create(name="South")
    rep = make_user("rep", roles=[SALES_REP], teams=[north])
    mate = make_user("mate", roles=[SALES_REP], teams=[north])
    other = make_user("other", roles=[SALES_REP], teams=[south])
    manager = make_user("boss", roles=[SALES_MANAGER], teams=[north])
    buyer = make_user("buyer", roles=[BUYER])
    customer = make_org(admin_user, "Acme Widgets Ltd", owner=rep)
    return {
        "rep": rep,
        "mate": mate,
        "other": other,
        "manager": manager,
        "buyer": buyer,
        "admin": admin_user,
        "customer": customer,
        "north": north,
    }


def test_the_shipped_roles_get_what_the_app_declares():
    rep = Role.objects.get(code=SALES_REP)
    assert {"widget.view", "widget.change"} <= set(rep.actions)
    assert rep.view_scopes["widgets"] == Scope.OWN and rep.edit_scopes["widgets"] == Scope.OWN
    assert "widget.view" not in Role.objects.get(code=BUYER).actions
    assert {"widget.view", "widget.change"} <= registry.action_codes()


def test_the_menu_shows_the_apps_item_to_whom_may_use_it(client, world):
    client.force_login(world["rep"])
    html = client.get("/parties/").content.decode()
    nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S).group(0)
    assert 'href="/widgets/"' in nav and "Widgets" in nav
    client.force_login(world["buyer"])
    nav = re.search(r'<nav class="sidenav".*?</nav>', client.get("/parties/").content.decode(), re.S).group(0)
    assert "/widgets/" not in nav


def test_the_generic_record_rule_scopes_by_owner_and_team(world):
    mine = widget_create(actor=world["rep"], name="mine")
    mates = widget_create(actor=world["mate"], name="mate's")
    theirs = widget_create(actor=world["other"], name="theirs")
    in_team = widget_create(actor=world["admin"], name="team's", owner=world["other"], team=world["north"])
    seen = {w.name for w in widgets_visible(actor=world["rep"])}
    assert seen == {mine.name, in_team.name}  # own: owned, or of one of the user's teams
    seen = {w.name for w in widgets_visible(actor=world["manager"])}
    assert seen == {mine.name, mates.name, in_team.name}  # team: also owned by team mates
    assert set(widgets_visible(actor=world["admin"])) == set(Widget.objects.all())  # all
    assert theirs not in widgets_visible(actor=world["manager"])


def test_the_party_page_shows_the_apps_tab_button_card_and_timeline(client, world):
    widget_create(actor=world["rep"], name="Gizmo", customer=world["customer"], amount=Decimal("12.50"))
    client.force_login(world["rep"])
    url = f"/parties/{world['customer'].pk}/"
    html = client.get(url).content.decode()
    assert "?tab=widgets" in html  # the tab
    assert f'href="/widgets/new/?customer={world["customer"].pk}"' in html  # the header action
    assert 'id="widget-card"' in html and "1 widgets" in html  # the overview card
    tab = client.get(url + "?tab=widgets").content.decode()
    assert "Gizmo · 12.50" in tab
    assert f'data-record="{world["customer"].pk}"' in tab  # a tab is given its record as `object`
    timeline = client.get(url + "?tab=timeline").content.decode()
    assert "Widget Gizmo" in timeline
    kinds = {e.kind for e in party_timeline(party=world["customer"], user=world["rep"])}
    assert {"widget", "change"} <= kinds


def test_the_party_page_hides_them_from_whom_may_not_use_them(client, world, make_user):
    from guanxi.core.roles import EXECUTIVE

    exec_ = make_user("exec", roles=[EXECUTIVE])  # sees parties, not widgets
    client.force_login(exec_)
    url = f"/parties/{world['customer'].pk}/"
    html = client.get(url).content.decode()
    assert "?tab=widgets" not in html and "widget-card" not in html and "/widgets/new/" not in html
    assert client.get(url + "?tab=widgets").status_code == 404


def test_a_change_on_a_document_shows_in_its_customers_history(world):
    widget = widget_create(actor=world["rep"], name="Gizmo", customer=world["customer"])
    widget_change_amount(actor=world["rep"], widget=widget, amount=Decimal("99"))
    on_customer = history_for(subject_type="parties.party", subject_id=world["customer"].pk)
    assert [(e.target_type, e.action) for e in on_customer.filter(target_type="plugin_app.widget")] == [
        ("plugin_app.widget", "update"),
        ("plugin_app.widget", "create"),
    ]
    on_widget = history_for(subject_type="plugin_app.widget", subject_id=widget.pk)
    assert on_widget.count() == 2  # and in the widget's own


def test_the_audit_labels_and_the_history_tab(client, world):
    widget = widget_create(actor=world["rep"], name="Gizmo", customer=world["customer"])
    widget_change_amount(actor=world["rep"], widget=widget, amount=Decimal("99"))
    client.force_login(world["rep"])
    history = client.get(f"/parties/{world['customer'].pk}/?tab=history").content.decode()
    assert "Widget amount" in history and "99.00" in history


def test_the_document_type_answers_for_the_building_blocks(world):
    widget = widget_create(actor=world["rep"], name="Gizmo")
    doc = registry.document_type_of(widget)
    assert doc is not None and doc.model is Widget and "attachments" in doc.features
    assert doc.may_view(world["rep"], widget) and not doc.may_view(world["buyer"], widget)
    assert doc.url(widget) == f"/widgets/{widget.pk}/"
    codes = [d.code for d in registry.document_types("attachments")]
    assert {"parties.party", "plugin_app.widget"} <= set(codes) and codes[-1] == "plugin_app.widget"


def test_the_permission_matrix_lists_the_apps_actions_and_area(client, world):
    client.force_login(world["admin"])
    html = client.get("/settings/roles/").content.decode()
    assert "Widgets (test app)" in html and "Change widgets" in html and "Widgets · sees" in html
    assert grants_for(world["rep"]).can("widget.change")


def test_the_apps_event_type_and_its_notifications(client, world):
    from guanxi.core.models import Notification

    widget_create(actor=world["rep"], name="Mine")  # one's own: nobody is told
    widget = widget_create(actor=world["admin"], name="Gizmo", owner=world["rep"])
    [n] = Notification.objects.all()
    assert (n.recipient, n.event, n.url, n.title) == (
        world["rep"],
        "widget.assigned",
        f"/widgets/{widget.pk}/",
        "admin assigned you the widget Gizmo",
    )
    widget_create(actor=world["admin"], name="Hidden", owner=world["buyer"])  # may not see widgets
    assert Notification.objects.count() == 1
    client.force_login(world["rep"])
    page = client.get("/account/notifications/").content.decode()
    assert "A widget was assigned to you" in page
    assert client.get(f"/notifications/{n.pk}/")["Location"] == f"/widgets/{widget.pk}/"
