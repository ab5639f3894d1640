"""Receiving on the pages: a delivery note entered from a purchase order (its open lines, another order of the
same supplier added), received line by line with a rejection and then in one step, received against an order
without a note, dated back, cancelled, goods returned. Every refusal is the service's message beside its line
or field, with what was typed kept and nothing written."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.procurement.models import DeliveryNote, PurchaseOrder, Receipt, SupplierReturn
from guanxi.procurement.services.receipts import receipt_from_note, receipt_post
from guanxi.procurement.tests.views.receiving_support import delivered, sent_order
from guanxi.procurement.tests.views.support import messages_of, page

pytestmark = pytest.mark.django_db


def error_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    return found.group(1) if found else ""


def test_a_delivery_note_entered_from_the_order_page(client, shop):
    o = sent_order(shop)
    resistor, carton = o.lines.order_by("position")
    client.force_login(shop.buyer)
    url = reverse("procurement:delivery_note_create")
    form = form_data(page(client, f"{url}?order={o.pk}"), "note-form")
    assert (form["order"], form[f"qty-{resistor.pk}"], form[f"qty-{carton.pk}"]) == (str(o.pk), "1000", "200")
    assert form["ship_date"] == timezone.localdate().isoformat()
    form.update({f"qty-{resistor.pk}": "1200", f"qty-{carton.pk}": "", "carrier": "顺丰速运",
                 "tracking_number": "SF1234567890", "supplier_reference": "HQ-DN-0042"})  # fmt: skip
    resp = client.post(url, form)
    html = resp.content.decode()
    assert resp.status_code == 200 and not DeliveryNote.objects.exists()
    assert (
        "Some lines need correcting: see below." in html and "Only 1000 are still open on this line." in html
    )
    again = form_data(html, "note-form")
    assert (again[f"qty-{resistor.pk}"], again[f"qty-{carton.pk}"], again["carrier"]) == (
        "1200",
        "",
        "顺丰速运",
    )
    again.update({f"qty-{resistor.pk}": "0"})  # nothing left
    assert "Add at least one line." in client.post(url, again).content.decode()
    again.update({f"qty-{resistor.pk}": "600", "expected_on": "2000-01-01"})
    html = client.post(url, again).content.decode()
    assert error_of(html, "expected_on-error") == "Goods arrive on or after the day they are shipped."
    again["expected_on"] = ""
    resp = client.post(url, again)
    note = DeliveryNote.objects.get()
    assert resp.status_code == 302 and resp["Location"] == note.get_absolute_url()
    assert messages_of(client).startswith(f"Delivery note {note.number} is entered")
    assert [(x.order_line_id, x.quantity) for x in note.lines.all()] == [(resistor.pk, Decimal("600"))]
    assert (note.carrier, note.supplier_reference, note.state) == ("顺丰速运", "HQ-DN-0042", "open")
    html = page(client, note.get_absolute_url())
    assert error_of(html, "note-code") == note.code and "HQ-DN-0042" in html and o.number in html
    assert 'id="note-receive"' in html and 'id="note-cancel-form"' in html


def test_a_note_may_ship_lines_of_another_order_of_the_same_supplier(client, shop):
    o = sent_order(shop)
    o2 = sent_order(shop, {"description": "Reel", "quantity": "5", "unit_price": "50"})
    other = sent_order(
        shop, {"description": "Bolt", "quantity": "5", "unit_price": "1"}, supplier=shop.preferred
    )
    client.force_login(shop.buyer)
    url = reverse("procurement:delivery_note_create")
    html = page(client, f"{url}?order={o.pk}")
    assert o2.number in html and other.number not in html  # the same supplier's only
    form = form_data(html, "note-form")
    form.update({f"qty-{o.lines.first().pk}": "10", "another": str(o2.pk), "add_order": "1"})
    html = client.post(url, form).content.decode()
    form = form_data(html, "note-form")
    reel = o2.lines.get()
    assert form["order"] == [str(o.pk), str(o2.pk)] and form[f"qty-{reel.pk}"] == "5"
    assert form[f"qty-{o.lines.first().pk}"] == "10"  # what was typed is kept
    assert client.post(url, form).status_code == 302
    note = DeliveryNote.objects.get()
    assert {x.order_line.order_id for x in note.lines.all()} == {o.pk, o2.pk} and note.lines.count() == 3
    draft_page = client.get(f"{url}?order=999999")  # nothing receivable: back to the open orders
    assert draft_page.status_code == 302 and "state=open" in draft_page["Location"]


def test_receive_a_note_line_by_line_with_a_rejection_then_the_rest(client, shop):
    d = delivered(shop)
    first, second = d.note.lines.order_by("id")
    client.force_login(shop.buyer)
    url = reverse("procurement:delivery_note_receive", args=[d.note.pk])
    form = form_data(page(client, url), "receive-form")
    assert (form[f"received-{first.pk}"], form[f"received-{second.pk}"]) == ("1000", "200")
    assert form["received_on"] == timezone.localdate().isoformat()
    form.update({f"received-{first.pk}": "600", f"rejected-{first.pk}": "50", f"reason-{first.pk}": "quality",
                 f"rnote-{first.pk}": "引脚氧化", f"received-{second.pk}": ""})  # fmt: skip
    resp = client.post(url, form)
    receipt = Receipt.objects.get()
    assert resp.status_code == 302 and resp["Location"] == receipt.get_absolute_url()
    assert messages_of(client) == f"Goods receipt {receipt.number} is posted."
    html = page(client, receipt.get_absolute_url())
    assert (
        "Quality defect" in html and "引脚氧化" in html and d.note.number in html and d.order.number in html
    )
    o = PurchaseOrder.objects.get(pk=d.order.pk)
    assert o.state == "partial"
    html = page(client, o.get_absolute_url())
    assert error_of(html, "order-state") == "Partially received" and "50 rejected" in html
    form = form_data(page(client, url), "receive-form")  # what is still to come
    assert (form[f"received-{first.pk}"], form[f"received-{second.pk}"]) == ("400", "200")
    assert client.post(url, {**form, "all": "1"}).status_code == 302
    assert messages_of(client).endswith("is posted.")
    d.note.refresh_from_db()
    assert d.note.state == "received" and Receipt.objects.count() == 2
    assert sorted(x.received_quantity for x in Receipt.objects.order_by("id").last().lines.all()) == [
        200,
        400,
    ]
    resp = client.get(url)  # scanned again: the note's page says so
    assert resp.status_code == 302 and resp["Location"] == d.note.get_absolute_url()
    assert messages_of(client) == "This delivery note was received or cancelled already."


def test_receiving_too_much_shows_the_message_beside_the_line_and_writes_nothing(client, shop):
    d = delivered(shop)
    first, second = d.note.lines.order_by("id")
    client.force_login(shop.buyer)
    url = reverse("procurement:delivery_note_receive", args=[d.note.pk])
    form = form_data(page(client, url), "receive-form")
    form.update({f"received-{first.pk}": "1200", f"rejected-{second.pk}": "5"})
    resp = client.post(url, form)
    html = resp.content.decode()
    assert resp.status_code == 200 and not Receipt.objects.exists()
    assert error_of(html, f"received-{first.pk}-error") == (
        "Only 1000 piece are still open on this line (with the over-delivery tolerance: 1000)."
    )
    assert error_of(html, f"reason-{second.pk}-error") == "Say why goods were rejected."
    again = form_data(html, "receive-form")
    assert (again[f"received-{first.pk}"], again[f"rejected-{second.pk}"]) == ("1200", "5")
    d.note.refresh_from_db()
    assert d.note.state == "open" and d.order.lines.first().received_quantity == 0
    for key in again:  # nothing typed: nothing arrived (not "everything")
        if key.startswith(("received-", "rejected-")):
            again[key] = ""
    html = client.post(url, again).content.decode()
    assert "Receive at least one line." in html and not Receipt.objects.exists()


def test_a_receipt_dated_back_within_the_window(client, shop):
    d = delivered(shop)
    client.force_login(shop.buyer)
    url = reverse("procurement:delivery_note_receive", args=[d.note.pk])
    form = form_data(page(client, url), "receive-form")
    today = timezone.localdate()
    form["received_on"] = (today - dt.timedelta(days=8)).isoformat()
    html = client.post(url, {**form, "all": "1"}).content.decode()
    assert error_of(html, "received_on-error") == "A receipt may be dated back at most 7 days."
    assert form_data(html, "receive-form")["received_on"] == form["received_on"]
    form["received_on"] = (today - dt.timedelta(days=3)).isoformat()
    assert client.post(url, {**form, "all": "1"}).status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.backdated and receipt.received_on == today - dt.timedelta(days=3)
    assert 'id="receipt-backdated"' in page(client, receipt.get_absolute_url())
    assert "dated back" in page(client, reverse("procurement:receipts"))


def test_receive_against_an_order_without_a_note(client, shop):
    d = delivered(shop)  # a note in transit: the page points to it
    o = d.order
    resistor, carton = o.lines.order_by("position")
    client.force_login(shop.buyer)
    url = reverse("procurement:order_receive", args=[o.pk])
    html = page(client, url)
    assert 'id="notes-hint"' in html and d.note.number in html
    form = form_data(html, "receive-form")
    assert form[f"received-{resistor.pk}"] == ""
    form.update({f"received-{carton.pk}": "201"})
    html = client.post(url, form).content.decode()
    assert "Only 200 piece are still open" in error_of(html, f"received-{carton.pk}-error")
    assert not Receipt.objects.exists()
    form.update(
        {f"received-{carton.pk}": "200", f"rejected-{carton.pk}": "2", f"reason-{carton.pk}": "damaged"}
    )
    assert client.post(url, form).status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.delivery_note is None
    html = page(client, receipt.get_absolute_url())
    assert "Received without a delivery note" in html and "Damaged in transit" in html


def test_cancel_a_note_while_nothing_was_received(client, shop):
    d = delivered(shop)
    client.force_login(shop.buyer)
    url = reverse("procurement:delivery_note_cancel", args=[d.note.pk])
    assert client.post(url, {"version": d.note.version + 1}).status_code == 302
    assert "Someone changed this delivery note meanwhile" in messages_of(client)
    assert client.post(url, {"version": d.note.version}).status_code == 302
    assert messages_of(client) == f"Delivery note {d.note.number} is cancelled."
    html = page(client, d.note.get_absolute_url())
    assert error_of(html, "note-state") == "Cancelled" and 'id="note-receive"' not in html
    assert 'id="note-cancel-form"' not in html
    d2 = delivered(shop)
    first = d2.note.lines.first()
    receipt_from_note(
        actor=shop.buyer, note=d2.note, data={"lines": [{"note_line": first.pk, "received": "1"}]}
    )
    d2.note.refresh_from_db()
    assert 'id="note-cancel-form"' not in page(client, d2.note.get_absolute_url())
    url = reverse("procurement:delivery_note_cancel", args=[d2.note.pk])
    assert client.post(url, {"version": d2.note.version}).status_code == 302
    assert messages_of(client) == "Goods were received against this note: it stays."


def test_return_goods_from_the_order_page(client, shop):
    o = sent_order(shop)
    resistor, carton = o.lines.order_by("position")
    client.force_login(shop.buyer)
    url = reverse("procurement:order_return", args=[o.pk])
    resp = client.get(url)  # nothing accepted yet
    assert (
        resp.status_code == 302 and messages_of(client) == "Nothing accepted on this order is left to return."
    )
    receipt_post(actor=shop.buyer, data={"lines": [{"order_line": resistor.pk, "received": "600"}]})
    html = page(client, url)
    assert f'name="qty-{resistor.pk}"' in html and f'name="qty-{carton.pk}"' not in html
    form = form_data(html, "return-form")
    form.update({f"qty-{resistor.pk}": "601"})
    html = client.post(url, form).content.decode()
    assert not SupplierReturn.objects.exists()
    assert error_of(html, f"qty-{resistor.pk}-error") == "At most 600 were accepted and not yet returned."
    assert error_of(html, "kind-error") == "Choose a quality or a commercial return."
    assert error_of(html, "reason-error")
    assert form_data(html, "return-form")[f"qty-{resistor.pk}"] == "601"
    form.update({f"qty-{resistor.pk}": "100", "kind": "quality", "reason": "来料检验后发现虚焊"})
    resp = client.post(url, form)
    back = SupplierReturn.objects.get()
    assert resp.status_code == 302 and resp["Location"] == back.get_absolute_url()
    assert (
        messages_of(client) == f"Return {back.number} is recorded: the goods go back to 深圳华强电子有限公司."
    )
    html = page(client, back.get_absolute_url())
    assert "Quality return" in html and "来料检验后发现虚焊" in html and o.number in html
    resistor.refresh_from_db()
    assert (resistor.returned_quantity, resistor.open_quantity) == (Decimal("100"), Decimal("500"))
