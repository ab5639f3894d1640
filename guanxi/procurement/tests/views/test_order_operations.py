"""A purchase order's operations on its page: submit, approve on the page (the decision comes back to it),
send with an e-mail address (the PDF goes there), the supplier's confirmation, a change order, close and
cancel — each refusal shown on the page with what was typed kept, a stale page a message; the printed order
in its language and its PDF."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.procurement.models import PurchaseOrder
from guanxi.procurement.tests.views.support import buttons, messages_of, new, page

pytestmark = pytest.mark.django_db


def test_submit_approve_send_confirm(client, priced, django_capture_on_commit_callbacks):
    shop = priced
    o = new(shop)
    client.force_login(shop.buyer)
    act = lambda op, **data: client.post(reverse("procurement:order_action", args=[o.pk, op]),  # noqa: E731
                                         {"version": PurchaseOrder.objects.get(pk=o.pk).version, **data})  # fmt: skip
    assert act("submit").status_code == 302
    assert messages_of(client) == f"Purchase order {o.number} waits for approval."
    client.force_login(shop.pm)  # approves on the order's page, and comes back to it
    decide = form_data(page(client, o.get_absolute_url()), "decide")
    action = re.search(
        r'<form method="post" action="([^"]+)" class="decide', page(client, o.get_absolute_url())
    ).group(1)
    resp = client.post(action, {**decide, "decision": "approve"})
    assert resp.status_code == 302 and resp["Location"] == o.get_absolute_url()
    assert PurchaseOrder.objects.get(pk=o.pk).state == "approved"
    client.force_login(shop.buyer)
    resp = act("send", email="not an address")
    assert resp.status_code == 200 and "Enter a valid email address." in resp.content.decode()
    assert form_data(resp.content.decode(), "send-form")["email"] == "not an address"
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes after the commit
        assert act("send", email="sales@huaqiang.example").status_code == 302
    assert (
        messages_of(client) == f"Purchase order {o.number} is sent: the PDF goes to sales@huaqiang.example."
    )
    sent = [m for m in mail.outbox if m.to == ["sales@huaqiang.example"]]
    assert len(sent) == 1 and sent[0].attachments[0][0] == f"{o.number}.pdf"
    first, second = PurchaseOrder.objects.get(pk=o.pk).lines.all()
    url = reverse("procurement:order_confirm", args=[o.pk])
    version = PurchaseOrder.objects.get(pk=o.pk).version
    resp = client.post(url, {"version": version, f"date-{first.pk}": "2030-01-12"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "Give the promised date of every line." in html
    assert form_data(html, "confirm-form")[f"date-{first.pk}"] == "2030-01-12"  # kept
    resp = client.post(
        url, {"version": version, f"date-{first.pk}": "2030-01-12", f"date-{second.pk}": "2030-01-25"}
    )
    assert resp.status_code == 302
    first.refresh_from_db()
    o = PurchaseOrder.objects.get(pk=o.pk)
    assert (o.state, first.first_confirmed_date.isoformat(), first.planned_date.isoformat()) == (
        "confirmed",
        "2030-01-12",
        "2030-01-12",
    )
    assert "2030-01-25" in page(client, o.get_absolute_url())


def test_a_change_order_then_close(client, priced):
    shop = priced
    o = new(shop, "submit", "approve", "send", "confirm")
    client.force_login(shop.buyer)
    url = reverse("procurement:order_change", args=[o.pk])
    form = form_data(page(client, url), "change-form")
    first = o.lines.order_by("position").first()
    assert form["lines-0-id"] == str(first.pk) and form["reason"] == ""
    form["lines-1-quantity"] = "1"
    html = client.post(url, form).content.decode()
    assert "This field is required." in html and form_data(html, "change-form")["lines-1-quantity"] == "1"
    form["reason"] = "供应商产能不足，改为1卷"
    assert client.post(url, form).status_code == 302
    o = PurchaseOrder.objects.get(pk=o.pk)
    assert (o.revision, o.state, str(o.gross_total)) == (
        1,
        "confirmed",
        "5067.8000",
    )  # below the approved total
    html = page(client, o.get_absolute_url())
    assert (
        "供应商产能不足，改为1卷" in html and "R1" in html and "2030-01-12" in html
    )  # the confirmed date stays
    close = reverse("procurement:order_action", args=[o.pk, "close"])
    html = client.post(close, {"version": o.version}).content.decode()
    assert "Say why the order is closed before everything arrived." in html and 'id="close-form"' in html
    assert client.post(close, {"version": o.version, "reason": "不再需要"}).status_code == 302
    assert PurchaseOrder.objects.get(pk=o.pk).state == "closed"
    assert buttons(page(client, o.get_absolute_url())) == set()


def test_cancel_keeps_the_reason_typed(client, priced):
    shop = priced
    o = new(shop, "submit", "approve", "send")
    client.force_login(shop.buyer)
    url = reverse("procurement:order_action", args=[o.pk, "cancel"])
    html = client.post(url, {"version": o.version, "reason": "  "}).content.decode()
    assert "Say why the order is cancelled: the supplier has it." in html
    assert client.post(url, {"version": 1, "reason": "重复下单"}).status_code == 302  # stale: a message
    assert "Someone changed this purchase order meanwhile" in messages_of(client)
    assert client.post(url, {"version": o.version, "reason": "重复下单"}).status_code == 302
    assert PurchaseOrder.objects.get(pk=o.pk).state == "cancelled"
    assert client.post(reverse("procurement:order_action", args=[o.pk, "explode"]), {}).status_code == 404


def test_the_printed_order_and_its_pdf(client, priced):
    shop = priced
    o = new(
        shop,
        "submit",
        "approve",
        "send",
        "confirm",
        language="zh-hans",
        delivery_address="深圳市南山区科技园",
    )
    client.force_login(shop.buyer)
    html = page(
        client, reverse("core:print_preview", args=["procurement.purchaseorder", o.pk, "purchase_order"])
    )
    for text in (o.number, "深圳关系科技有限公司", "深圳华强电子有限公司", "深圳市南山区科技园",
                 "壹万零陆拾柒元捌角", "2030-01-12", "RC0603FR-0710KL", "¥0.0030"):  # fmt: skip
        assert text in html, text
    english = page(
        client,
        reverse("core:print_preview", args=["procurement.purchaseorder", o.pk, "purchase_order"])
        + "?lang=en",
    )
    assert "Purchase order" in english and "壹万" not in english
    resp = client.get(reverse("core:print_pdf", args=["procurement.purchaseorder", o.pk, "purchase_order"]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF") and f"{o.number}.pdf" in resp["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=resp.content, capture_output=True, check=True
    ).stdout.decode()
    assert o.number in text and "壹万零陆拾柒元捌角" in text


def test_a_supplier_blocked_since_is_refused_on_submit(client, priced):
    from guanxi.parties.services.holders import party_set_supplier_status

    shop = priced
    o = new(shop)
    party_set_supplier_status(actor=shop.admin, party=shop.huaqiang, status="blocked")
    client.force_login(shop.buyer)
    resp = client.post(reverse("procurement:order_action", args=[o.pk, "submit"]), {"version": o.version})
    html = resp.content.decode()
    assert resp.status_code == 200 and PurchaseOrder.objects.get(pk=o.pk).state == "draft"
    assert re.search(r'id="op-errors"><p>([^<]*)</p>', html).group(1) == (
        "深圳华强电子有限公司 is Blocked: purchase orders go only to approved or preferred suppliers."
    )
    assert "New purchase order" not in page(client, shop.huaqiang.get_absolute_url())  # no button either


def test_the_suppliers_orders_tab_and_open_orders_card(client, priced):
    shop = priced
    client.force_login(shop.buyer)
    party = shop.huaqiang.get_absolute_url()
    html = page(client, party + "?tab=purchase_orders")
    assert "No purchase orders to this supplier yet." in html and 'id="tab-order-new"' in html
    assert "No open purchase order." in page(client, party)
    draft, sent = new(shop), new(shop, "submit", "approve", "send", "confirm")
    html = page(client, party + "?tab=purchase_orders")
    assert draft.number in html and sent.number in html
    html = page(client, party)
    assert "1 open order: ¥10,067.80" in html
    assert f"/purchasing/orders/?supplier={shop.huaqiang.pk}&amp;state=open" in html
    assert "past its planned date" not in html  # confirmed for 2030
