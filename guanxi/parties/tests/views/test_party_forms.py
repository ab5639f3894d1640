"""Create and edit parties through the forms: inline errors, kept input, duplicates, stale versions."""

import pytest
from django.urls import reverse

from guanxi.core.exceptions import ConflictError
from guanxi.core.models import AuditEntry
from guanxi.parties.models import Employment, Party
from guanxi.parties.services.parties import party_update
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db

NEW_ORG = reverse("parties:create", args=["organization"])
NEW_PERSON = reverse("parties:create", args=["person"])


def ident_rows(*rows, initial=0):
    """The identifier rows of the form (a formset with prefix "ident"): (scheme, country, value) tuples."""
    data = {"ident-TOTAL_FORMS": str(len(rows)), "ident-INITIAL_FORMS": str(initial)}
    for i, (scheme, country, value) in enumerate(rows):
        data.update({f"ident-{i}-scheme": scheme, f"ident-{i}-country": country, f"ident-{i}-value": value})
    return data


def org_form(uscc="91350100M000100Y43", **overrides):
    data = {
        "name": "Suzhou Precision Parts Co., Ltd.",
        "short_name": "苏州精密",
        "is_customer": "on",
        "customer_status": "prospect",
        "industry": "manufacturing",
        "size": "medium",
        "website": "https://szpp.example.cn",
        **ident_rows(("cn_uscc", "", uscc)),
        "phones": "0512 6666 8888",
        "emails": "info@szpp.example.cn",
        "invoice_title": "苏州精密零件有限公司",
        "addr-kind": "registered",
        "addr-country": "CN",
        "addr-province": "江苏省",
        "addr-city": "苏州市",
        "addr-street": "工业园区星湖街 328 号",
    }
    data.update(overrides)
    return data


def test_new_organization_form(admin_client):
    response = admin_client.get(NEW_ORG)
    assert response.status_code == 200
    html = response.content.decode()
    assert "New organization" in html
    assert 'name="ident-0-value"' in html and 'name="addr-street"' in html
    assert 'name="job_title"' not in html and 'name="allow_duplicates"' not in html


def test_new_supplier_form_starts_as_supplier(admin_client):
    response = admin_client.get(NEW_ORG, {"role": "supplier"})
    assert response.context["form"].initial == {"is_supplier": True}


def test_unknown_kind_is_404(admin_client):
    assert admin_client.get(reverse("parties:create", args=["robot"])).status_code == 404


def test_create_organization(admin_client, admin_user):
    response = admin_client.post(NEW_ORG, org_form())
    org = Party.objects.get(name="Suzhou Precision Parts Co., Ltd.")
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    assert org.kind == "organization" and org.is_customer and not org.is_supplier
    assert (org.industry, org.size, org.owner) == ("manufacturing", "medium", admin_user)
    assert org.identifiers.get().value == "91350100M000100Y43"
    assert org.contact_points.get(kind="phone").normalized == "+8651266668888"
    assert (org.country, org.province, org.city) == ("CN", "江苏省", "苏州市")
    assert org.addresses.get().kind == "registered"
    assert AuditEntry.objects.filter(target_id=str(org.pk), action="create").exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "“Suzhou Precision Parts Co., Ltd.” created." in page


def test_create_without_address(admin_client):
    data = {k: v for k, v in org_form().items() if not k.startswith("addr-")}
    response = admin_client.post(NEW_ORG, data)
    assert response.status_code == 302
    assert not Party.objects.get().addresses.exists()


def test_invalid_input_shows_inline_errors_and_keeps_input(admin_client):
    response = admin_client.post(
        NEW_ORG,
        org_form(
            name="",
            website="not a url",
            phones="123",
            emails="nobody-at-example",
            uscc="91350100M000100Y44",
            invoice_title="保留我",
        ),
    )
    assert response.status_code == 200
    assert Party.objects.count() == 0
    html = response.content.decode()
    assert "Please correct the fields marked below." in html
    form = response.context["form"]
    assert "name" in form.errors
    # The name is checked first; fix it to see what the service says about the rest.
    response = admin_client.post(
        NEW_ORG,
        org_form(
            website="not a url",
            phones="123",
            emails="nobody-at-example",
            uscc="91350100M000100Y44",
            invoice_title="保留我",
        ),
    )
    assert response.status_code == 200
    assert Party.objects.count() == 0
    form = response.context["form"]
    assert {"website", "phones", "emails"} <= set(form.errors)
    assert "check digit" in form.identifiers.forms[0].errors["value"][0]
    html = response.content.decode()
    assert html.count('class="error" role="alert"') >= 4
    # What the user typed is still there.
    assert 'value="保留我"' in html
    assert 'value="not a url"' in html
    assert "nobody-at-example</textarea>" in html
    assert 'value="工业园区星湖街 328 号"' in html


def test_invalid_address_is_reported_on_its_field(admin_client):
    response = admin_client.post(NEW_ORG, org_form(phones="", **{"addr-country": "XX"}))
    assert response.status_code == 200
    assert Party.objects.count() == 0
    assert response.context["addr_form"].errors["country"] == [
        "Use a two-letter country code such as CN or US."
    ]
    html = response.content.decode()
    assert "Please correct the fields marked below." in html
    assert 'value="XX"' in html and 'value="工业园区星湖街 328 号"' in html


def test_creator_owns_what_they_create_when_no_owner_is_chosen(client, make_user, team):
    from guanxi.core.roles import SALES_REP

    rep = make_user("creator", roles=[SALES_REP], teams=[team])
    client.force_login(rep)
    response = client.post(NEW_ORG, org_form(owner=""), follow=True)
    assert response.status_code == 200  # the rep lands on the new record, not on a 404
    org = Party.objects.get()
    assert (org.owner, org.team) == (rep, team)


def test_duplicate_warning_then_create_anyway(admin_client, admin_user):
    existing = make_org(admin_user, "Suzhou Precision Parts Co., Ltd.")
    response = admin_client.post(NEW_ORG, org_form())
    assert response.status_code == 200
    html = response.content.decode()
    assert "This may already exist:" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert 'name="allow_duplicates"' in html
    assert 'value="苏州精密"' in html  # input kept
    assert Party.objects.count() == 1

    response = admin_client.post(NEW_ORG, org_form(allow_duplicates="on"))
    assert response.status_code == 302
    assert Party.objects.filter(name="Suzhou Precision Parts Co., Ltd.").count() == 2


def test_create_contact_under_organization(admin_client, admin_user):
    org = make_org(admin_user, "Ningbo Port Logistics")
    response = admin_client.get(NEW_PERSON, {"organization": org.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "New contact · Ningbo Port Logistics" in html
    assert 'name="job_title"' in html and 'name="ident-0-value"' not in html

    response = admin_client.post(
        NEW_PERSON,
        {
            "organization": org.pk,
            "name": "张伟",
            "job_title": "采购经理",
            "phones": "13800138000",
            "emails": "zhang.wei@nbport.example.cn",
            "wechat_id": "zhangwei88",
            "is_customer": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    person = Party.objects.get(name="张伟")
    assert person.kind == "person" and person.wechat_id == "zhangwei88"
    employment = Employment.objects.get(person=person)
    assert (employment.organization, employment.job_title) == (org, "采购经理")
    contacts = admin_client.get(org.get_absolute_url(), {"tab": "contacts"}).content.decode()
    assert "张伟" in contacts and "采购经理" in contacts


def test_contact_cannot_be_put_under_a_person(admin_client, admin_user):
    person = make_person(admin_user, "Solo Person")
    assert admin_client.get(NEW_PERSON, {"organization": person.pk}).status_code == 404


def test_new_person_without_organization_has_no_job_title(admin_client):
    response = admin_client.get(NEW_PERSON)
    assert response.status_code == 200
    assert 'name="job_title"' not in response.content.decode()


# --- edit ---------------------------------------------------------------------------------------


def edit_form(org, **overrides):
    from guanxi.parties.forms import PartyForm

    initial = PartyForm.initial_for(org)
    idents = PartyForm.identifiers_initial_for(org)
    data = ident_rows(*[(i["scheme"], i["country"], i["value"]) for i in idents], initial=len(idents))
    for k, v in initial.items():
        if isinstance(v, bool):
            if v:
                data[k] = "on"
        elif k == "tags":
            data[k] = [t.pk for t in v]
        elif v is not None:
            data[k] = v
    data.update(overrides)
    return data


@pytest.fixture
def org(admin_user):
    return make_org(
        admin_user,
        "Hangzhou Tea House",
        phones=["0571 8888 6666"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": "91350100M000100Y43"}],
    )


def test_edit_form_shows_current_values(admin_client, org):
    response = admin_client.get(reverse("parties:edit", args=[org.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Edit Hangzhou Tea House" in html
    assert 'value="Hangzhou Tea House"' in html
    assert 'value="91350100M000100Y43"' in html
    assert "0571 8888 6666</textarea>" in html
    assert 'name="version" value="1"' in html


def test_edit_saves_and_records_history(admin_client, org):
    url = reverse("parties:edit", args=[org.pk])
    response = admin_client.post(url, edit_form(org, name="Hangzhou West Lake Tea", industry="food"))
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    org.refresh_from_db()
    assert (org.name, org.industry, org.version) == ("Hangzhou West Lake Tea", "food", 2)
    assert org.identifiers.get().value == "91350100M000100Y43"  # untouched lists stay
    history = admin_client.get(org.get_absolute_url(), {"tab": "history"}).content.decode()
    assert "Hangzhou Tea House" in history and "Hangzhou West Lake Tea" in history


def test_edit_with_invalid_input_keeps_it(admin_client, org):
    url = reverse("parties:edit", args=[org.pk])
    response = admin_client.post(url, edit_form(org, name="Renamed", emails="bad@@example"))
    assert response.status_code == 200
    assert "emails" in response.context["form"].errors
    assert 'value="Renamed"' in response.content.decode()
    org.refresh_from_db()
    assert org.name == "Hangzhou Tea House"


def test_edit_with_a_stale_version_is_409_and_keeps_input(admin_client, admin_user, org):
    url = reverse("parties:edit", args=[org.pk])
    seen = edit_form(org)  # the user opens the form at version 1 ...
    party_update(
        actor=admin_user, party=org, version=1, data={"name": "Changed Meanwhile"}
    )  # ... someone saves

    response = admin_client.post(url, {**seen, "name": "My Edit", "notes": "Typed with care"})
    assert response.status_code == 409
    html = response.content.decode()
    assert str(ConflictError.default_message) in html
    assert "The saved record now has:" in html
    assert "<dt>Name</dt><dd>Changed Meanwhile</dd>" in html  # labels and values a person can read
    assert "<dt>Owner</dt><dd>admin</dd>" in html and "<dt>Customer</dt><dd>Yes</dd>" in html
    assert 'value="My Edit"' in html and "Typed with care</textarea>" in html
    assert 'name="version" value="2"' in html
    org.refresh_from_db()
    assert org.name == "Changed Meanwhile"

    # Saving again (now against the current version) goes through.
    response = admin_client.post(url, {**seen, "version": 2, "name": "My Edit"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.version) == ("My Edit", 3)


def test_archive_and_restore(admin_client, org):
    url = reverse("parties:archive", args=[org.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == org.get_absolute_url()
    html = response.content.decode()
    assert "archived. You can restore it from this page." in html
    assert 'name="restore"' in html
    org.refresh_from_db()
    assert org.archived_at is not None
    assert "Hangzhou Tea House" not in admin_client.get(reverse("parties:list")).content.decode()

    response = admin_client.post(url, {"restore": "1"}, follow=True)
    assert "“Hangzhou Tea House” restored." in response.content.decode()
    org.refresh_from_db()
    assert org.archived_at is None
    actions = list(AuditEntry.objects.filter(target_id=str(org.pk)).values_list("action", flat=True))
    assert {"archive", "restore"} <= set(actions)
