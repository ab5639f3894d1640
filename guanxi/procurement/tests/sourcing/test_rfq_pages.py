"""The RFQ pages: the list, the form (errors kept beside their fields), the page with invitations and sealed
answers (never a price before opening), the quote entry, the comparison with the award and the orders."""

import pytest

from guanxi.procurement.models import Rfq
from guanxi.procurement.tests.sourcing.support import draft, later, opened, published, quote

pytestmark = pytest.mark.django_db


def test_list_and_empty_state(client, shop):
    client.force_login(shop.buyer)
    html = client.get("/purchasing/rfqs/").content.decode()
    assert "No requests for quotation yet." in html and 'id="rfq-new"' in html
    draft(shop)
    html = client.get("/purchasing/rfqs/").content.decode()
    assert "电阻和纸箱" in html


def test_the_form_keeps_input_and_shows_each_error(client, shop):
    client.force_login(shop.buyer)
    resp = client.post(
        "/purchasing/rfqs/new/",
        {
            "title": "",
            "deadline": later(),
            "currency": "CNY",
            "lines-0-description": "纸箱",
            "lines-0-quantity": "-1",
            "weight_price": "50",
            "weight_lead_time": "20",
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "This field is required." in html
    assert "Enter a quantity above zero." in html and "make them 100%" in html and 'value="纸箱"' in html
    resp = client.post(
        "/purchasing/rfqs/new/",
        {
            "title": "纸箱",
            "deadline": later(),
            "currency": "CNY",
            "lines-0-description": "纸箱",
            "lines-0-quantity": "500",
            "weight_price": "80",
            "weight_quality": "20",
        },
    )
    rfq = Rfq.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/purchasing/rfqs/{rfq.pk}/"
    assert sorted(rfq.criteria.values_list("kind", "weight")) == [("price", 80), ("quality", 20)]


def test_sealed_until_opened_then_compared_awarded_and_ordered(client, shop):
    rfq = published(shop)
    quote(shop, rfq, shop.huaqiang, ["0.0123", "3.21"])
    client.force_login(shop.pm)
    page = client.get(f"/purchasing/rfqs/{rfq.pk}/").content.decode()
    assert "Quoted (sealed)" in page and "0.0123" not in page
    compare = client.get(f"/purchasing/rfqs/{rfq.pk}/compare/").content.decode()
    assert "sealed until" in compare and "0.0123" not in compare
    history = client.get(f"/purchasing/rfqs/{rfq.pk}/?tab=history").content.decode()
    assert "0.0123" not in history and "3.21" not in history
    client.force_login(shop.buyer)
    form = client.get(f"/purchasing/rfqs/{rfq.pk}/quote/{shop.preferred.pk}/").content.decode()
    assert "sealed when you save it" in form
    lines = list(rfq.lines.order_by("position"))
    resp = client.post(
        f"/purchasing/rfqs/{rfq.pk}/quote/{shop.preferred.pk}/",
        {
            "currency": "CNY",
            "payment_days": "60",
            f"price-{lines[0].pk}": "0.0110",
            f"lead-{lines[0].pk}": "5",
            f"price-{lines[1].pk}": "-3",
        },
    )
    assert resp.status_code == 200 and 'value="0.0110"' in resp.content.decode()
    resp = client.post(
        f"/purchasing/rfqs/{rfq.pk}/quote/{shop.preferred.pk}/",
        {
            "currency": "CNY",
            "payment_days": "60",
            f"price-{lines[0].pk}": "0.0110",
            f"price-{lines[1].pk}": "3.50",
        },
    )
    assert resp.status_code == 302
    rfq = opened(shop, rfq)
    compare = client.get(f"/purchasing/rfqs/{rfq.pk}/compare/").content.decode()
    assert "0.0123" in compare and "Weighted score" in compare and "lowest" in compare
    resp = client.post(
        f"/purchasing/rfqs/{rfq.pk}/compare/award/",
        {"version": rfq.version, "whole": rfq.quotes.get(supplier=shop.preferred).pk},
    )
    assert resp.status_code == 200 and "lowest total" in resp.content.decode()
    resp = client.post(
        f"/purchasing/rfqs/{rfq.pk}/compare/award/",
        {"version": rfq.version, "whole": rfq.quotes.get(supplier=shop.huaqiang).pk},
    )
    assert resp.status_code == 302
    rfq.refresh_from_db()
    resp = client.post(f"/purchasing/rfqs/{rfq.pk}/compare/orders/", {"version": rfq.version})
    assert resp.status_code == 302
    page = client.get(f"/purchasing/rfqs/{rfq.pk}/").content.decode()
    assert "PO" in page and "深圳华强电子有限公司" in page


def test_early_opening_is_a_managers_with_a_reason(client, shop):
    rfq = published(shop)
    client.force_login(shop.buyer)
    page = client.get(f"/purchasing/rfqs/{rfq.pk}/").content.decode()
    assert "open-early-form" not in page
    assert client.post(f"/purchasing/rfqs/{rfq.pk}/open/", {"version": rfq.version}).status_code == 403
    client.force_login(shop.pm)
    resp = client.post(f"/purchasing/rfqs/{rfq.pk}/open/", {"version": rfq.version})
    assert "Say why" in resp.content.decode()
    resp = client.post(f"/purchasing/rfqs/{rfq.pk}/open/", {"version": rfq.version, "reason": "紧急插单"})
    assert resp.status_code == 302
    assert "紧急插单" in client.get(f"/purchasing/rfqs/{rfq.pk}/").content.decode()


def test_other_roles(client, shop):
    rfq = published(shop)
    client.force_login(shop.rep)
    assert client.get("/purchasing/rfqs/").status_code == 403
    assert client.get(f"/purchasing/rfqs/{rfq.pk}/").status_code == 403
    client.force_login(shop.buyer_west)
    assert client.get(f"/purchasing/rfqs/{rfq.pk}/").status_code == 404
    client.force_login(shop.executive)
    page = client.get(f"/purchasing/rfqs/{rfq.pk}/").content.decode()
    assert "invite-form" not in page and "rfq-publish" not in page
    assert (
        client.post(f"/purchasing/rfqs/{rfq.pk}/cancel/", {"version": rfq.version, "reason": "x"}).status_code
        == 403
    )
