"""Quotes priced from price lists: a product line left without a unit price takes the quantity break of the
customer's list and the quote records the list; a typed price stays; a chosen list must be in the quote's
currency ("currencies must match the price list"), in use, valid and for this customer; an update keeps the
recorded list; a revision keeps it; the API shows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.tests.api.helpers import ok, problem
from guanxi.crm.services import quotes
from guanxi.crm.services.pricelists import customer_price_list_set, pricelist_archive
from guanxi.crm.tests.pricing_support import make_list

pytestmark = pytest.mark.django_db
D = Decimal


def new(world, *lines, **data):
    return quotes.quote_create(
        actor=world.rep, data={"customer": world.huawei.pk, "lines": list(lines), **data}
    )


def refused(change) -> dict:
    with pytest.raises(ValidationError) as exc:
        change()
    return exc.value.message_dict


@pytest.fixture
def volume(world, goods):
    """Huawei's assigned list: the switch at 3800 from 1, 3500 from 10."""
    pl = make_list(world.manager, (goods.switch, 1, "3800"), (goods.switch, 10, "3500"), name="Volume")
    customer_price_list_set(actor=world.rep, party=world.huawei, price_list=pl)
    return pl


def test_a_line_takes_the_break_price_and_the_quote_records_the_list(world, goods, volume):
    q = new(
        world,
        {"product": goods.switch.pk, "quantity": "12"},
        {"product": goods.switch.pk, "quantity": "2", "discount_percent": "5"},
        {"product": goods.switch.pk, "quantity": "20", "unit_price": "3333"},  # typed: stays
        {"product": goods.cable.pk, "quantity": "3"},  # not on the list: the catalogue's
    )
    assert [x.unit_price for x in q.lines.all()] == [D(3500), D(3800), D(3333), D(20)]
    assert q.price_list == volume and not q.price_list_chosen
    assert q.max_discount == 5  # what approval rules test is unchanged
    # the form sends the prices back as typed: the quote keeps the list that gave them
    same = quotes.quote_update(
        actor=world.rep,
        quote=q,
        version=q.version,
        data={"lines": [{"product": goods.switch.pk, "quantity": "12", "unit_price": "3500"}]},
    )
    assert same.price_list == volume and same.gross_total == D("47460.00")  # 42000 + 13 % VAT


def test_a_chosen_list_in_another_currency_is_refused(world, goods, volume):
    dollars = make_list(world.manager, (goods.switch, 0, "500"), name="Dollar dealers", currency="USD")
    errors = refused(lambda: new(world, {"product": goods.switch.pk}, price_list=dollars.pk))
    assert errors == {
        "price_list": [
            "The currencies must match the price list: the quote is in CNY, Dollar dealers in USD."
        ]
    }
    q = new(world, {"product": goods.switch.pk, "quantity": "2"}, price_list=dollars.pk, currency="USD")
    assert q.price_list == dollars and q.price_list_chosen and q.lines.get().unit_price == 500
    # changing only the currency would leave the chosen list behind: refused with the same words
    errors = refused(
        lambda: quotes.quote_update(actor=world.rep, quote=q, version=q.version, data={"currency": "CNY"})
    )
    assert "currencies must match the price list" in errors["price_list"][0]
    q = quotes.quote_update(
        actor=world.rep,
        quote=q,
        version=q.version,
        data={"currency": "CNY", "price_list": "", "lines": [{"product": goods.switch.pk, "quantity": "2"}]},
    )
    assert (q.price_list, q.price_list_chosen, q.lines.get().unit_price) == (volume, False, 3800)


def test_a_chosen_list_must_be_in_use_valid_and_for_this_customer(world, goods):
    west = make_list(world.admin, (goods.switch, 0, "1"), name="West", customer=world.west_co.pk)
    expired = make_list(world.manager, (goods.switch, 0, "1"), name="Last year", valid_until="2020-12-31")
    archived = make_list(world.manager, (goods.switch, 0, "1"), name="Old")
    pricelist_archive(actor=world.manager, price_list=archived)
    line = {"product": goods.switch.pk}
    assert refused(lambda: new(world, line, price_list=west.pk)) == {
        "price_list": ["Choose a price list in use."]
    }
    assert "not valid on" in refused(lambda: new(world, line, price_list=expired.pk))["price_list"][0]
    assert refused(lambda: new(world, line, price_list=archived.pk)) == {
        "price_list": ["Choose a price list in use."]
    }
    assert refused(
        lambda: quotes.quote_create(
            actor=world.admin, data={"customer": world.huawei.pk, "lines": [line], "price_list": west.pk}
        )
    ) == {"price_list": ["This price list is for another customer only."]}


def test_a_revision_keeps_the_list(world, goods, volume):
    q = new(world, {"product": goods.switch.pk, "quantity": "10"})
    q = quotes.quote_submit(actor=world.rep, quote=q, version=q.version)
    q = quotes.quote_send(actor=world.rep, quote=q, version=q.version)
    revision = quotes.quote_revise(actor=world.rep, quote=q, version=q.version)
    assert revision.price_list == volume and revision.lines.get().unit_price == 3500


def test_the_quote_api_takes_and_shows_the_list(world, goods, volume, api_as):
    api = api_as(world.rep)
    dollars = make_list(world.manager, (goods.switch, 0, "500"), name="Dollar dealers", currency="USD")
    body = {"customer_id": world.huawei.pk, "lines": [{"product_id": goods.switch.pk, "quantity": "10"}]}
    q = ok(api.post("/quotes", body), 201)
    assert q["price_list"] == {"id": volume.pk, "name": "Volume"} and q["price_list_chosen"] is False
    assert D(q["lines"][0]["unit_price"]) == 3500
    data = problem(api.post("/quotes", {**body, "price_list_id": dollars.pk}), 422)
    assert [e["field"] for e in data["errors"]] == ["price_list"]
    assert "currencies must match the price list" in data["errors"][0]["message"]
    q = ok(api.patch(f"/quotes/{q['id']}", {"version": q["version"], "price_list_id": volume.pk}))
    assert q["price_list_chosen"] is True
    q = ok(api.patch(f"/quotes/{q['id']}", {"version": q["version"], "price_list_id": None}))
    assert q["price_list_chosen"] is False and q["price_list"]["id"] == volume.pk
