"""The 360° page of a party and its tabs, full page and htmx partial."""

import pytest
from django.urls import reverse

from guanxi.parties.services.notes import note_add
from guanxi.parties.services.parties import party_update
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db

TABPANEL = {"HX-Request": "true", "HX-Target": "tabpanel"}


@pytest.fixture
def org(admin_user):
    org = make_org(
        admin_user,
        "Acme Trading Co., Ltd.",
        legal_name="Acme Trading Company Limited",
        industry="wholesale",
        phones=["021 6888 8888"],
        emails=["sales@acme-trading.cn"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": "91350100M000100Y43"}],
        invoice_title="Acme Trading Co., Ltd.",
        invoice_tax_number="91350100M000100Y43",
        address={
            "kind": "billing",
            "country": "CN",
            "province": "上海市",
            "city": "上海市",
            "street": "88 Century Ave",
        },
    )
    make_person(admin_user, "Lily Wang", organization=org, job_title="Buyer", phones=["13800138000"])
    party_update(
        actor=admin_user, party=org, version=org.version, data={"website": "https://acme.example.cn"}
    )
    note_add(actor=admin_user, party=org, body="Met at Canton Fair.\nWants samples.")
    return org


def test_overview(admin_client, org):
    response = admin_client.get(org.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Acme Trading Co., Ltd." in html
    for text in [
        "Acme Trading Company Limited",
        "Wholesale &amp; distribution",
        "91350100M000100Y43",
        "sales@acme-trading.cn",
        "021 6888 8888",
        "88 Century Ave",
        "Lily Wang",
        "Invoicing details (开票信息)",
        'href="https://acme.example.cn"',
    ]:
        assert text in html, text
    # Tabs, with the overview selected; the actions an editor may take.
    for key in ["overview", "contacts", "addresses", "timeline", "history"]:
        assert f'href="?tab={key}"' in html
    assert 'href="?tab=organizations"' not in html
    assert reverse("parties:edit", args=[org.pk]) in html
    assert f"{reverse('parties:create', args=['person'])}?organization={org.pk}" in html


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        ("overview", ["Acme Trading Company Limited"]),
        ("contacts", ["Lily Wang", "Buyer", "138 0013 8000", "Unlink"]),
        ("addresses", ["88 Century Ave", "Billing", "Add address"]),
        ("timeline", ["Met at Canton Fair.", "Save note", "https://acme.example.cn"]),
        (
            "history",
            ["Created", "Updated", "<strong>Website</strong>", "https://acme.example.cn", "Lily Wang"],
        ),
    ],
)
def test_tabs_full_page_and_htmx_partial(admin_client, org, tab, expected):
    url = f"{org.get_absolute_url()}?tab={tab}"
    full = admin_client.get(url)
    assert full.status_code == 200
    html = full.content.decode()
    assert "<html" in html and 'aria-selected="true"' in html
    for text in expected:
        assert text in html, text

    partial = admin_client.get(url, headers=TABPANEL)
    assert partial.status_code == 200
    html = partial.content.decode()
    assert "<html" not in html and 'role="tablist"' not in html
    for text in expected:
        assert text in html, text


def test_person_has_organizations_tab_not_contacts(admin_client, org):
    person = org.staff.get().person
    response = admin_client.get(person.get_absolute_url(), {"tab": "organizations"})
    assert response.status_code == 200
    assert "Acme Trading Co., Ltd." in response.content.decode()
    assert admin_client.get(person.get_absolute_url(), {"tab": "contacts"}).status_code == 404


def test_unknown_tab_is_404(admin_client, org):
    assert admin_client.get(org.get_absolute_url(), {"tab": "secrets"}).status_code == 404


def test_missing_party_is_404_page(admin_client, org):
    response = admin_client.get(reverse("parties:detail", args=[org.pk + 1000]))
    assert response.status_code == 404
    assert "This page does not exist, or you do not have access to it." in response.content.decode()


def test_detail_query_count_is_bounded(admin_client, admin_user, org, django_assert_max_num_queries):
    for i in range(10):
        make_person(admin_user, f"Staff {i}", organization=org, phones=[f"1380013800{i}"])
    with django_assert_max_num_queries(20):
        response = admin_client.get(org.get_absolute_url(), {"tab": "contacts"})
    assert "Staff 9" in response.content.decode()
