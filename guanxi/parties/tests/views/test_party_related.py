"""Addresses, notes and contacts of a party, through the web pages."""

import pytest
from django.urls import reverse

from guanxi.core.models import AuditEntry
from guanxi.parties.models import Address, Employment, PartyNote
from guanxi.parties.services.addresses import address_update
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(admin_user):
    return make_org(
        admin_user,
        "Xiamen Ocean Foods",
        address={
            "kind": "office",
            "country": "CN",
            "province": "福建省",
            "city": "厦门市",
            "street": "1 Harbour Rd",
        },
    )


def address_data(**overrides):
    data = {
        "kind": "shipping",
        "country": "CN",
        "province_code": "440000",  # 广东省: the picker sends codes
        "city_code": "440300",  # 深圳市
        "district_code": "440305",  # 南山区
        "street": "科技园 9 号",
        "postal_code": "518057",
        "is_primary": "on",
    }
    data.update(overrides)
    return data


def test_add_address(admin_client, org):
    url = reverse("parties:address_create", args=[org.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "New address · Xiamen Ocean Foods" in page.content.decode()

    response = admin_client.post(url, address_data())
    assert response.status_code == 302
    assert response["Location"] == f"{org.get_absolute_url()}?tab=addresses"
    assert org.addresses.count() == 2
    org.refresh_from_db()
    assert (org.province, org.city) == ("广东省", "深圳市")  # the new primary address sets the location
    tab = admin_client.get(response["Location"]).content.decode()
    assert "科技园 9 号" in tab and "Address saved." in tab


def test_add_address_with_errors_keeps_input(admin_client, org):
    url = reverse("parties:address_create", args=[org.pk])
    response = admin_client.post(url, address_data(street="", postal_code="保留"))
    assert response.status_code == 200
    assert "street" in response.context["form"].errors
    html = response.content.decode()
    assert 'value="保留"' in html and '<option value="440305" selected>' in html

    response = admin_client.post(url, address_data(country="ZZ"))
    assert response.status_code == 200
    assert response.context["form"].errors["country"] == ["Use a two-letter country code such as CN or US."]
    assert org.addresses.count() == 1


def test_edit_address(admin_client, org):
    address = org.addresses.get()
    url = reverse("parties:address_edit", args=[org.pk, address.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Edit address" in html and 'value="1 Harbour Rd"' in html

    response = admin_client.post(
        url, address_data(kind="office", street="2 Harbour Rd", version=address.version)
    )
    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.street, address.city, address.version) == ("2 Harbour Rd", "深圳市", 2)
    history = admin_client.get(org.get_absolute_url(), {"tab": "history"}).content.decode()
    assert "1 Harbour Rd" in history and "2 Harbour Rd" in history


def test_edit_address_with_a_stale_version_is_refused(admin_client, admin_user, org):
    address = org.addresses.get()
    url = reverse("parties:address_edit", args=[org.pk, address.pk])
    address_update(actor=admin_user, address=address, version=1, data={"street": "Changed meanwhile"})
    response = admin_client.post(url, address_data(street="Mine", version=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record after you opened it." in html
    assert 'value="Mine"' in html
    assert 'name="version" value="2"' in html
    address.refresh_from_db()
    assert address.street == "Changed meanwhile"
    # Saving the kept input again goes through.
    response = admin_client.post(url, address_data(street="Mine", version=2))
    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.street, address.version) == ("Mine", 3)


def test_address_of_another_party_is_404(admin_client, admin_user, org):
    other = make_org(admin_user, "Other Co", address={"country": "CN", "street": "Elsewhere 1"})
    foreign = other.addresses.get()
    assert admin_client.get(reverse("parties:address_edit", args=[org.pk, foreign.pk])).status_code == 404
    response = admin_client.post(reverse("parties:address_delete", args=[org.pk, foreign.pk]))
    assert response.status_code == 404
    assert Address.objects.filter(pk=foreign.pk).exists()


def test_delete_address(admin_client, org):
    address = org.addresses.get()
    url = reverse("parties:address_delete", args=[org.pk, address.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert "Address deleted." in response.content.decode()
    assert not org.addresses.exists()
    org.refresh_from_db()
    assert (org.country, org.city) == ("", "")
    assert AuditEntry.objects.filter(action="delete", target_type="parties.address").exists()


def test_add_note(admin_client, org):
    url = reverse("parties:note_add", args=[org.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, {"body": "Called about the Q3 order.\nCall back Monday."}, follow=True)
    assert response.redirect_chain[-1][0] == f"{org.get_absolute_url()}?tab=timeline"
    html = response.content.decode()
    assert "Note added." in html and "Called about the Q3 order.\nCall back Monday." in html


def test_empty_note_is_refused(admin_client, org):
    response = admin_client.post(reverse("parties:note_add", args=[org.pk]), {"body": "  "}, follow=True)
    assert "Write a note first." in response.content.decode()
    assert not PartyNote.objects.filter(party=org).exists()


def test_unlink_contact(admin_client, admin_user, org):
    person = make_person(admin_user, "Chen Jing", organization=org, job_title="Sales")
    employment = Employment.objects.get(person=person)
    url = reverse("parties:employment_remove", args=[org.pk, employment.pk])
    response = admin_client.post(url, follow=True)
    assert "Chen Jing is no longer a contact of Xiamen Ocean Foods." in response.content.decode()
    assert not Employment.objects.filter(pk=employment.pk).exists()
