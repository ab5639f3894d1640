"""Issue 5, items 6-12: one rule per change, whatever the path (web, API, service)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.roles import BUYER, EXECUTIVE, PROCUREMENT_MANAGER, SALES_MANAGER, SALES_REP
from guanxi.core.tests.api.helpers import ApiClient
from guanxi.parties.models import Employment, Party, PartyNote
from guanxi.parties.services.bulk import parties_bulk_assign
from guanxi.parties.services.employment import employment_add, employment_remove
from guanxi.parties.services.notes import note_add
from guanxi.parties.services.parties import party_create, party_update
from guanxi.parties.services.tags import tag_create, tag_update
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, team, other_team):
    return {
        "rep": make_user("rep", roles=[SALES_REP], teams=[team]),
        "manager": make_user("manager", roles=[SALES_MANAGER], manager_of=[team]),
        "buyer": make_user("buyer", roles=[BUYER], teams=[other_team]),
        "procurement": make_user("procurement", roles=[PROCUREMENT_MANAGER]),
        "executive": make_user("executive", roles=[EXECUTIVE]),
    }


# --- 6: bank details of a supplier ------------------------------------------------------------------------


def test_a_sales_rep_cannot_change_the_bank_account_of_a_party_that_is_also_a_supplier(admin_user, people):
    rep = people["rep"]
    both = make_org(
        admin_user, "Both Ways Ltd", supplier=True, owner=rep, invoice_bank_account="6222 0000 1111"
    )
    with pytest.raises(ValidationError) as exc:
        party_update(
            actor=rep, party=both, version=both.version, data={"invoice_bank_account": "6222 9999 9999"}
        )
    assert "bank" in exc.value.message_dict["invoice_bank_account"][0]
    both.refresh_from_db()
    assert both.invoice_bank_account == "6222 0000 1111"
    # Other invoicing details, and the bank of a customer-only party, stay the rep's to change.
    party_update(actor=rep, party=both, version=both.version, data={"invoice_title": "新抬头"})
    customer = make_org(admin_user, "Only Customer", owner=rep)
    party_update(actor=rep, party=customer, version=customer.version, data={"invoice_bank_account": "1"})
    # Someone who may edit suppliers may.
    both.refresh_from_db()
    party_update(
        actor=people["procurement"], party=both, version=both.version, data={"invoice_bank_account": "6222 1"}
    )


def test_the_edit_form_shows_a_suppliers_bank_details_to_a_rep_but_does_not_send_them(
    client, admin_user, people
):
    rep = people["rep"]
    both = make_org(
        admin_user, "Both Ways Ltd", supplier=True, owner=rep, invoice_bank_account="6222 0000 1111"
    )
    client.force_login(rep)
    page = client.get(f"/parties/{both.pk}/edit/").content.decode()
    assert 'name="invoice_bank_account"' in page and "disabled" in page
    response = client.post(
        f"/parties/{both.pk}/edit/",
        {
            "name": "Both Ways Ltd",
            "is_customer": "on",
            "invoice_bank_account": "hacked",
            "version": both.version,
        },
    )
    assert response.status_code == 302
    both.refresh_from_db()
    assert both.invoice_bank_account == "6222 0000 1111"


# --- 7: contact created under an organization ------------------------------------------------------------


def test_creating_a_contact_of_an_organization_needs_the_same_right_as_linking_one(admin_user, people):
    buyer = people["buyer"]
    supplier = make_org(admin_user, "Someone Else's Supplier", customer=False, supplier=True)  # admin owns it
    with pytest.raises(PermissionDeniedError):
        party_create(
            actor=buyer, data={"kind": "person", "name": "林静", "is_supplier": True}, organization=supplier
        )
    assert not Employment.objects.exists() and not Party.objects.filter(name="林静").exists()


def test_a_contact_under_an_organization_the_user_cannot_edit_is_refused_on_opening(
    client, admin_user, people
):
    supplier = make_org(admin_user, "Someone Else's Supplier", customer=False, supplier=True)
    client.force_login(people["buyer"])
    response = client.get("/parties/new/person/", {"organization": supplier.pk})
    assert response.status_code == 403


# --- 8: tags ---------------------------------------------------------------------------------------------


def test_only_tag_managers_rename_or_recolour_shared_tags(admin_user, people, client):
    tag = tag_create(actor=admin_user, name="VIP")
    with pytest.raises(PermissionDeniedError):
        tag_update(actor=people["rep"], tag=tag, name="Very Important", color="#000000")
    tag.refresh_from_db()
    assert tag.name == "VIP"
    client.force_login(people["rep"])
    assert client.get(f"/parties/tags/{tag.pk}/").status_code == 403  # refused on opening
    tag_update(actor=people["manager"], tag=tag, name="Very Important", color="#000000")


def test_tags_api_is_403_without_a_role(make_user, admin_user):
    tag_create(actor=admin_user, name="VIP")
    nobody = make_user("nobody")
    assert ApiClient(nobody).get("/tags").status_code == 403
    assert ApiClient(admin_user).get("/tags").status_code == 200


# --- 9: read-only roles ----------------------------------------------------------------------------------


def test_the_executive_cannot_add_notes_and_is_not_offered_the_form(client, admin_user, people):
    org = make_org(admin_user, "Read Only Corp")
    with pytest.raises(PermissionDeniedError):
        note_add(actor=people["executive"], party=org, body="I was here")
    assert not PartyNote.objects.exists()
    client.force_login(people["executive"])
    page = client.get(f"/parties/{org.pk}/", {"tab": "timeline"}).content.decode()
    assert 'name="body"' not in page
    assert client.post(f"/parties/{org.pk}/notes/", {"body": "x"}).status_code == 403


def test_forms_that_could_never_be_saved_are_refused_on_opening(client, people):
    client.force_login(people["executive"])
    assert client.get("/parties/new/organization/").status_code == 403
    assert client.get("/parties/new/person/").status_code == 403


# --- 10: owners who may hold the party -------------------------------------------------------------------


def test_a_customer_cannot_be_handed_to_a_buyer(admin_user, people):
    rep, buyer = people["rep"], people["buyer"]
    org = make_org(admin_user, "Customer Co", owner=rep)
    with pytest.raises(ValidationError) as exc:
        party_update(actor=rep, party=org, version=org.version, data={"owner": buyer.pk})
    assert "cannot hold" in exc.value.message_dict["owner"][0]
    org.refresh_from_db()
    assert org.owner == rep
    assert parties_bulk_assign(actor=admin_user, ids=[org.pk], owner=buyer) == 0
    # A party that is customer and supplier may be held from either side.
    both = make_org(admin_user, "Both Co", supplier=True, owner=rep)
    party_update(actor=admin_user, party=both, version=both.version, data={"owner": buyer.pk})


def test_the_owner_picker_offers_only_users_who_may_hold_the_party(client, admin_user, people):
    org = make_org(admin_user, "Customer Co", owner=people["rep"])
    client.force_login(people["rep"])
    form = client.get(f"/parties/{org.pk}/edit/").context["form"]
    offered = set(form.fields["owner"].queryset.values_list("username", flat=True))
    assert {"rep", "manager", "admin"} <= offered
    assert not offered & {"buyer", "procurement", "executive"}


# --- 11: links --------------------------------------------------------------------------------------------


def test_linking_needs_the_right_to_change_the_person_too(admin_user, people):
    """A Buyer sees every supplier but changes only their own: linking someone else's supplier contact to
    the Buyer's own supplier would change that person's record, so it is refused; unlinking too."""
    buyer, procurement = people["buyer"], people["procurement"]
    own_supplier = make_org(admin_user, "Buyer's Supplier", customer=False, supplier=True, owner=buyer)
    theirs = make_person(admin_user, "Their Contact", is_supplier=True, owner=procurement)
    with pytest.raises(PermissionDeniedError):
        employment_add(actor=buyer, person=theirs, organization=own_supplier, job_title="CEO")
    assert not Employment.objects.exists()
    emp = Employment.objects.create(person=theirs, organization=own_supplier)
    with pytest.raises(PermissionDeniedError):
        employment_remove(actor=buyer, employment=emp)
    assert Employment.objects.filter(pk=emp.pk).exists()


def test_unlinking_from_an_invisible_organization_is_404_whether_or_not_linked(admin_user, people):
    rep = people["rep"]
    hidden_org = make_org(admin_user, "Hidden Org", owner=people["manager"])
    Party.objects.filter(pk=hidden_org.pk).update(team=None)
    linked = make_person(rep, "Mine, linked", organization=None)
    Employment.objects.create(person=linked, organization=hidden_org)
    unlinked = make_person(rep, "Mine, not linked")
    api = ApiClient(rep)
    a = api.delete(f"/contacts/{linked.pk}/organizations/{hidden_org.pk}")
    b = api.delete(f"/contacts/{unlinked.pk}/organizations/{hidden_org.pk}")
    assert (a.status_code, b.status_code) == (404, 404)
    assert Employment.objects.filter(person=linked).exists()


# --- 12: offer only what the role may do -----------------------------------------------------------------


def test_a_sales_rep_is_not_offered_the_supplier_tick_box(client, people):
    client.force_login(people["rep"])
    page = client.get("/parties/new/organization/").content.decode()
    assert 'name="is_supplier"' not in page and 'name="is_customer"' in page


def test_a_refusal_from_the_service_is_shown_inline_and_the_input_kept(client, admin_user, people):
    rep = people["rep"]
    org = make_org(admin_user, "Customer Co", owner=rep)
    client.force_login(rep)
    response = client.post(
        f"/parties/{org.pk}/edit/",
        {
            "name": "Customer Co",
            "is_customer": "on",
            "owner": people["buyer"].pk,
            "notes": "kept",
            "version": 1,
        },
    )
    assert response.status_code == 200  # not a dead-end 403 page
    html = response.content.decode()
    assert "kept</textarea>" in html
    assert "Select a valid choice" in html or "cannot hold" in html
