"""The products of an opportunity (guanxi.crm.services.opportunity_lines): the whole list set at once, every
bad row named, version and permission checks, audit; the page keeps what was typed; a quote made from the
opportunity starts with these products; the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.crm.models import Opportunity
from guanxi.crm.services.opportunity_lines import opportunity_set_lines
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def opp(world, goods):
    return make_opportunity(world.rep, world.huawei, amount="50000")


def test_products_are_set_as_a_whole_list_and_audited(world, goods, opp):
    opportunity_set_lines(
        actor=world.rep,
        opportunity=opp,
        version=opp.version,
        lines=[
            {"product": goods.switch.pk, "quantity": "10", "unit_price": "3800"},
            {"product": goods.cable.pk, "quantity": "200", "note": "六类线"},
        ],
    )
    opp = Opportunity.objects.get(pk=opp.pk)
    lines = list(opp.lines.all())
    assert [(x.product_id, x.quantity, x.unit_price) for x in lines] == [
        (goods.switch.pk, Decimal("10"), Decimal("3800")),
        (goods.cable.pk, Decimal("200"), None),
    ]
    assert lines[0].amount == Decimal("38000") and lines[1].amount is None
    entry = AuditEntry.objects.filter(target_type="crm.opportunity", target_id=str(opp.pk)).latest("id")
    assert "SW-48 × 10 @ 3800" in entry.changes["products"][1]
    opportunity_set_lines(actor=world.rep, opportunity=opp, version=opp.version, lines=[])
    assert not Opportunity.objects.get(pk=opp.pk).lines.exists()


def test_every_bad_row_is_named_and_nothing_is_saved(world, goods, opp):
    with pytest.raises(ValidationError) as exc:
        opportunity_set_lines(
            actor=world.rep,
            opportunity=opp,
            version=opp.version,
            lines=[
                {"product": goods.part.pk, "quantity": "1"},  # not sold
                {"product": goods.switch.pk, "quantity": "0"},
                {"product": goods.switch.pk, "quantity": "1", "unit_price": "-5"},
                {"product": goods.switch.pk, "quantity": "abc"},
            ],
        )
    assert set(exc.value.message_dict) == {
        "lines[0].product",
        "lines[1].quantity",
        "lines[2].unit_price",
        "lines[3].quantity",
    }
    assert not opp.lines.exists()


def test_a_stale_version_and_someone_without_rights_are_refused(world, goods, opp):
    opportunity_set_lines(
        actor=world.rep,
        opportunity=opp,
        version=opp.version,
        lines=[{"product": goods.switch.pk, "quantity": "1"}],
    )
    with pytest.raises(ConflictError):
        opportunity_set_lines(actor=world.rep, opportunity=opp, version=opp.version, lines=[])
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        opportunity_set_lines(actor=world.rep_west, opportunity=opp, version=opp.version + 1, lines=[])
    with pytest.raises(PermissionDeniedError):
        opportunity_set_lines(actor=world.executive, opportunity=opp, version=opp.version + 1, lines=[])


def test_the_page_saves_products_and_keeps_a_refused_row(world, goods, opp, client):
    client.force_login(world.rep)
    page = client.get(opp.get_absolute_url()).content.decode()
    assert "Change the products" in page and 'name="lines-0-product"' in page
    refused = client.post(
        f"/sales/opportunities/{opp.pk}/products/",
        {
            "version": opp.version,
            "lines-0-product": goods.switch.pk,
            "lines-0-quantity": "-2",
            "lines-0-unit_price": "3700",
            "lines-0-note": "含安装",
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 422 and "Enter a quantity above 0." in html
    assert 'value="3700"' in html and 'value="含安装"' in html  # nothing typed is lost
    saved = client.post(
        f"/sales/opportunities/{opp.pk}/products/",
        {
            "version": opp.version,
            "lines-0-product": goods.switch.pk,
            "lines-0-quantity": "2",
            "lines-1-product": "",
        },
        follow=True,
    )
    assert "The products are saved." in saved.content.decode() and opp.lines.count() == 1
    quote_form = client.get(f"/sales/quotes/new/?opportunity={opp.pk}").content.decode()
    assert f'<option value="{goods.switch.pk}" selected' in quote_form
    client.force_login(world.executive)
    assert "Change the products" not in client.get(opp.get_absolute_url()).content.decode()


def test_the_api_reads_and_replaces_the_products(world, goods, opp, api_as):
    api = api_as(world.rep)
    put = api.put(
        f"/opportunities/{opp.pk}/products",
        {
            "version": opp.version,
            "lines": [{"product": goods.cable.pk, "quantity": "5", "unit_price": "18.5"}],
        },
    )
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["lines"][0]["product_code"] == "CAB-5" and body["version"] == opp.version + 1
    assert api.get(f"/opportunities/{opp.pk}/products").json() == body
    stale = api.put(f"/opportunities/{opp.pk}/products", {"version": opp.version, "lines": []})
    assert stale.status_code == 409
    bad = api.put(
        f"/opportunities/{opp.pk}/products",
        {"version": body["version"], "lines": [{"product": goods.part.pk, "quantity": "1"}]},
    )
    assert bad.status_code == 422
