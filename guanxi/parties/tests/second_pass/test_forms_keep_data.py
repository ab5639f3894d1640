"""Issue 5, items 1, 4, 24: forms never drop what they do not show, never overwrite blindly, and an optional
section is not required."""

from __future__ import annotations

import pytest

from guanxi.core.models import AuditEntry
from guanxi.core.tests.api.helpers import ApiClient, ok
from guanxi.parties.forms import PartyForm
from guanxi.parties.models import Party

pytestmark = pytest.mark.django_db

FOUR_IDENTIFIERS = [
    {"scheme": "vat", "country": "DE", "value": "DE136695976"},
    {"scheme": "vat", "country": "FR", "value": "FR40303265045"},
    {"scheme": "tax_id", "country": "US", "value": "12-3456789"},
    {"scheme": "tax_id", "country": "", "value": "TAX99887766"},
]


def _edit_post(party, **changes) -> dict:
    """What the browser sends when the user changes only `changes` in the edit form as it was rendered."""
    form = PartyForm(
        initial=PartyForm.initial_for(party),
        identifiers_initial=PartyForm.identifiers_initial_for(party),
        kind=party.kind,
        creating=False,
    )
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name == "tags":
            data[name] = [t.pk for t in value or []]
        elif value is not None:
            data[name] = value
    mgmt = form.identifiers.management_form
    for name in mgmt.fields:
        data[mgmt.add_prefix(name)] = mgmt.initial[name]
    for row in form.identifiers.forms:
        for name in ("scheme", "country", "value"):
            data[row.add_prefix(name)] = row.initial.get(name, "")
    data.update(changes)
    return data


def test_the_edit_form_keeps_every_identifier_it_was_given_through_the_api(client, admin_user):
    created = ok(
        ApiClient(admin_user).post("/organizations", {"name": "Euro Parts", "identifiers": FOUR_IDENTIFIERS}),
        201,
    )
    party = Party.objects.get(pk=created["id"])
    assert party.identifiers.count() == 4
    client.force_login(admin_user)
    page = client.get(f"/parties/{party.pk}/edit/").content.decode()
    for ident in ("136695976", "40303265045", "123456789", "TAX99887766"):
        assert ident in page
    response = client.post(f"/parties/{party.pk}/edit/", _edit_post(party, short_name="EP"))
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.short_name == "EP"
    assert party.identifiers.count() == 4
    change = AuditEntry.objects.filter(target_id=str(party.pk), action="update").latest("at").changes
    assert set(change) == {"short_name"}  # nothing else changed


def test_identifier_rows_can_be_removed_and_added(client, admin_user):
    created = ok(
        ApiClient(admin_user).post("/organizations", {"name": "Euro Parts", "identifiers": FOUR_IDENTIFIERS}),
        201,
    )
    party = Party.objects.get(pk=created["id"])
    client.force_login(admin_user)
    data = _edit_post(party)
    row = next(k for k, v in data.items() if v == "40303265045").split("-")[1]
    data[f"ident-{row}-DELETE"] = "on"
    n = int(data["ident-TOTAL_FORMS"])
    data.update({f"ident-{n - 1}-scheme": "cn_uscc", f"ident-{n - 1}-value": "91350100M000100Y43"})
    assert client.post(f"/parties/{party.pk}/edit/", data).status_code == 302
    values = set(party.identifiers.values_list("value", flat=True))
    assert "40303265045" not in values and "91350100M000100Y43" in values and len(values) == 4


def test_a_post_without_the_version_never_overwrites(client, admin_user):
    from guanxi.parties.tests.factories import make_org

    party = make_org(admin_user, "Versioned")
    client.force_login(admin_user)
    data = _edit_post(party, name="Blind Overwrite")
    del data["version"]
    response = client.post(f"/parties/{party.pk}/edit/", data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The saved record now has:" in html and 'value="Blind Overwrite"' in html
    party.refresh_from_db()
    assert party.name == "Versioned"


def test_the_optional_address_is_not_required_when_the_form_comes_back(client, admin_user):
    client.force_login(admin_user)
    data = {
        "name": "No Address Ltd",
        "is_customer": "on",
        "ident-TOTAL_FORMS": "1",
        "ident-INITIAL_FORMS": "0",
        "ident-0-scheme": "cn_uscc",
        "ident-0-value": "91350100M000100Y44",  # a wrong check digit brings the form back
        "addr-country": "CN",
    }
    for lang in ("en", "zh-hans"):
        response = client.post("/parties/new/organization/", data, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200
        assert not response.context["addr_form"].errors
        html = response.content.decode()
        assert "This field is required" not in html and "这个字段是必填项" not in html


def test_consent_carries_its_date(admin_user):
    from guanxi.parties.services.parties import party_update
    from guanxi.parties.tests.factories import make_person

    person = make_person(admin_user, "Consenting", marketing_consent=True, consent_source="trade fair")
    assert person.consent_at is not None
    person = party_update(
        actor=admin_user, party=person, version=person.version, data={"marketing_consent": False}
    )
    assert person.consent_at is None
