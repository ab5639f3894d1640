"""The fapiao request form offers an electronic fapiao unless the customer has a taxpayer number: a 专票 needs
one, and the form sent as shown was refused for a customer without it."""

import re

import pytest
from django.urls import reverse

from guanxi.core.tests.factories import make_company
from guanxi.crm.services import orders, quotes
from guanxi.parties.models import Party


@pytest.fixture
def order(world):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    q = quotes.quote_create(
        actor=world.rep,
        data={
            "customer": world.huawei.pk,
            "lines": [{"description": "服务", "quantity": "1", "unit_price": "1000"}],
        },
    )
    q = quotes.quote_submit(actor=world.rep, quote=q, version=q.version)
    q = quotes.quote_send(actor=world.rep, quote=q, version=q.version)
    return orders.quote_accept(actor=world.rep, quote=q, version=q.version)


def _selected_kind(client, order) -> str:
    html = client.get(reverse("crm:order", args=[order.pk]) + "?tab=receivables").content.decode()
    select = re.search(r'<select id="f-kind" name="kind">(.*?)</select>', html, re.S).group(1)
    return re.search(r'<option value="(\w+)" selected>', select).group(1)


@pytest.mark.parametrize(("tax_number", "kind"), [("", "electronic"), ("91440300MA5F8K2L1H", "special")])
def test_the_default_kind_follows_the_taxpayer_number(client, world, order, tax_number, kind):
    Party.objects.filter(pk=world.huawei.pk).update(invoice_tax_number=tax_number)
    client.force_login(world.rep)
    assert _selected_kind(client, order) == kind
    # What the form sends as shown is accepted.
    r = client.post(reverse("crm:order_fapiao", args=[order.pk]), {"kind": kind, "amount": "100"})
    assert r.status_code == 302
    assert order.fapiao_requests.get().kind == kind
