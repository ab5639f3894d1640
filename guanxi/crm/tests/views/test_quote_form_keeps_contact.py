"""The quote form has no contact field: saving it keeps the contact set through the API (it cleared it)."""

from django.urls import reverse

from guanxi.core.tests.factories import make_company
from guanxi.crm.services import quotes


def test_editing_a_quote_in_the_browser_keeps_its_contact(client, world):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    q = quotes.quote_create(
        actor=world.rep,
        data={
            "customer": world.huawei.pk,
            "contact": world.zhang.pk,
            "lines": [{"description": "服务", "quantity": "1", "unit_price": "100"}],
        },
    )
    client.force_login(world.rep)
    r = client.post(
        reverse("crm:quote_edit", args=[q.pk]),
        {
            "version": q.version,
            "currency": "CNY",
            "notes": "含税",
            "lines-0-description": "服务",
            "lines-0-quantity": "2",
            "lines-0-unit_price": "100",
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    q.refresh_from_db()
    assert q.contact == world.zhang and q.gross_total == 200 and q.notes == "含税"
