"""The receiving pages: every page renders for a buyer and an administrator in English and Chinese; the hub's
scan box finds a note however its code is typed (lower case, spaces, full width) and says so beside the box
when it does not; the lists (empty, filtered, htmx) with queries that do not grow with their rows; the buttons
on a purchase order's page; 403 for a sales rep, for who may only read (on what changes something) and 404 for
who may not see. Entering, receiving, returning: test_receiving_operations.py."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guanxi.procurement.models import DeliveryNote, Receipt, SupplierReturn
from guanxi.procurement.services.receipts import receipt_post, return_post
from guanxi.procurement.tests.views.receiving_support import delivered, note_for, received, sent_order, urls
from guanxi.procurement.tests.views.support import PLAIN, new, page

pytestmark = pytest.mark.django_db

PO_BUTTONS = ("receive_goods", "new_delivery_note", "return_goods")


def numbers(html: str, kind: str, table: str = "") -> list[str]:
    """The documents a page lists (in the table with this id, if given) by their links' text."""
    if table:
        html = html[html.index(f'id="{table}"') :]
        html = html[: html.index("</table>")]
    return re.findall(rf'<a href="/purchasing/receiving/{kind}/\d+/">([^<]+)</a>', html)


def po_buttons(html: str) -> set[str]:
    return {b for b in PO_BUTTONS if f'data-action="{b}"' in html}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("who", ["buyer", "admin"])
def test_every_page_renders(client, shop, who, lang):
    d = received(shop)
    client.force_login(getattr(shop, who))
    client.cookies["django_language"] = lang
    with translation.override(lang):
        title, reason = translation.gettext("Receiving"), translation.gettext("Quality defect")
    for url in urls(d):
        html = page(client, url)
        assert f'lang="{lang}"' in html
    assert title in page(client, reverse("procurement:receiving"))
    html = page(client, d.receipt.get_absolute_url())
    assert reason in html and "600" in html and "550" in html
    html = page(client, d.note.get_absolute_url())
    assert d.note.code in html and d.receipt.number in html and 'data-action="print"' in html


def test_the_hub_shows_notes_in_transit_and_recent_receipts(client, shop):
    client.force_login(shop.buyer)
    html = page(client, reverse("procurement:receiving"))
    assert "No delivery notes in transit." in html and "No goods received yet." in html
    assert 'id="scan-code"' in html and "autofocus" in html
    d = received(shop)
    other = note_for(shop, sent_order(shop, actor=shop.mate), actor=shop.mate)  # the team's
    html = page(client, reverse("procurement:receiving"))
    assert numbers(html, "notes", "in-transit") == [d.note.number, other.number]
    assert numbers(html, "receipts", "recent-receipts") == [d.receipt.number]
    assert html.count(f"/purchasing/receiving/notes/{d.note.pk}/receive/") == 1
    client.force_login(shop.buyer_west)  # another team's: none of them
    html = page(client, reverse("procurement:receiving"))
    assert numbers(html, "notes") == [] and numbers(html, "receipts") == []


def test_a_code_is_found_however_it_is_typed(client, shop):
    note = delivered(shop).note
    client.force_login(shop.buyer)
    receive = reverse("procurement:delivery_note_receive", args=[note.pk])
    scan = reverse("procurement:receiving_scan")
    typed = " ".join(note.code[i : i + 3] for i in range(0, 10, 3)).lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in note.code)
    for code in (typed, full_width, f"{note.code[:5]}-{note.code[5:]}"):
        resp = client.get(scan, {"code": code})
        assert resp.status_code == 302 and resp["Location"] == receive, code
    html = page(client, f"{scan}?code=zz-not-a-code")
    assert re.search(r'id="scan-error"[^>]*>([^<]*)<', html).group(1) == "No delivery note has this code."
    assert 'value="zz-not-a-code"' in html  # kept, to correct
    client.force_login(shop.buyer_west)  # another team's note is not found either
    assert "No delivery note has this code." in page(client, f"{scan}?code={note.code}")
    client.force_login(shop.executive)  # may read, may not receive
    page(client, f"{scan}?code={note.code}", 403)


def test_the_lists_empty_then_filtered(client, shop):
    client.force_login(shop.buyer)
    notes, receipts, returns = (
        reverse(f"procurement:{x}") for x in ("delivery_notes", "receipts", "returns")
    )
    assert "No delivery notes yet" in page(client, notes)
    assert "No goods received yet." in page(client, receipts)
    assert "No goods returned to suppliers yet" in page(client, returns)
    d = received(shop)
    o2 = sent_order(
        shop, {"description": "Tooling", "quantity": "1", "unit_price": "10"}, supplier=shop.preferred
    )
    open_note = note_for(shop, o2, tracking_number="YT998877")
    done = receipt_post(
        actor=shop.buyer, data={"lines": [{"order_line": d.order.lines.last().pk, "received": "5"}]}
    )
    assert numbers(page(client, notes), "notes") == [open_note.number, d.note.number]
    assert numbers(page(client, notes + "?state=partial"), "notes") == [d.note.number]
    assert numbers(page(client, notes + "?state=transit"), "notes") == [open_note.number, d.note.number]
    assert numbers(page(client, notes + f"?supplier={shop.preferred.pk}"), "notes") == [open_note.number]
    assert numbers(page(client, notes + "?q=yt9988"), "notes") == [open_note.number]
    code = " ".join(open_note.code).lower()
    assert numbers(page(client, notes + f"?q={code}"), "notes") == [open_note.number]
    assert "No delivery note matches." in page(client, notes + "?q=nothing-like-it")
    html = page(client, notes + "?state=nonsense")
    assert 'role="alert"' in html and numbers(html, "notes") == []
    assert numbers(page(client, receipts), "receipts") == [done.number, d.receipt.number]
    assert numbers(page(client, receipts + f"?q={d.note.number}"), "receipts") == [d.receipt.number]
    assert "No goods receipt matches." in page(client, receipts + f"?supplier={shop.preferred.pk}")
    assert numbers(page(client, returns + "?kind=quality"), "returns") == [d.back.number]
    assert "No return matches." in page(client, returns + "?kind=commercial")
    partial = client.get(notes + "?state=open", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="notes-results")
    html = partial.content.decode()
    assert "<html" not in html and numbers(html, "notes") == [open_note.number]


def test_the_buttons_on_a_purchase_orders_page(client, shop):
    o = sent_order(shop)
    client.force_login(shop.buyer)
    assert po_buttons(page(client, o.get_absolute_url())) == {"receive_goods", "new_delivery_note"}
    receipt_post(actor=shop.buyer, data={"lines": [{"order_line": o.lines.first().pk, "received": "10"}]})
    assert po_buttons(page(client, o.get_absolute_url())) == set(PO_BUTTONS)
    client.force_login(shop.executive)  # reads, receives nothing
    assert po_buttons(page(client, o.get_absolute_url())) == set()
    html = page(client, reverse("procurement:receiving"))
    assert 'id="scan-code"' not in html and "/receive/" not in html
    client.force_login(shop.buyer)
    draft = new(shop, lines=PLAIN)
    assert po_buttons(page(client, draft.get_absolute_url())) == set()


def test_a_sales_rep_is_refused_who_may_only_read_too_and_who_may_not_see_finds_nothing(client, shop):
    d = received(shop)
    n, o = d.note, d.order
    posts = [
        (
            reverse("procurement:delivery_note_create") + f"?order={o.pk}",
            {"order": o.pk, f"qty-{o.lines.first().pk}": "1"},
        ),
        (reverse("procurement:delivery_note_receive", args=[n.pk]), {"all": "1"}),
        (reverse("procurement:order_receive", args=[o.pk]), {f"received-{o.lines.first().pk}": "1"}),
        (reverse("procurement:order_return", args=[o.pk]), {"kind": "quality", "reason": "x"}),
        (reverse("procurement:delivery_note_cancel", args=[n.pk]), {"version": n.version}),
    ]
    client.force_login(shop.rep)
    for url in urls(d)[:-2]:  # all but the printed note (the document's own check: 404) and the order
        page(client, url, 403)
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    client.force_login(shop.executive)
    for url in (reverse("procurement:receiving"), n.get_absolute_url(), d.receipt.get_absolute_url()):
        html = page(client, url)
        assert (
            'id="note-receive"' not in html
            and 'id="note-cancel-form"' not in html
            and "data-return" not in html
        )
    for url, data in posts:
        if not url.endswith("/cancel/"):  # a POST only
            page(client, url, 403)
        assert client.post(url, data).status_code == 403, url
    client.force_login(shop.buyer_west)
    for url in (n.get_absolute_url(), d.receipt.get_absolute_url(), d.back.get_absolute_url()):
        page(client, url, 404)
    page(client, reverse("procurement:delivery_note_receive", args=[n.pk]), 404)
    assert (
        client.post(reverse("procurement:delivery_note_receive", args=[n.pk]), {"all": "1"}).status_code
        == 404
    )
    assert (Receipt.objects.count(), SupplierReturn.objects.count()) == (1, 1)
    assert DeliveryNote.objects.get(pk=n.pk).state == "partial"


@pytest.mark.parametrize("kind", ["notes", "receipts", "returns", "hub"])
def test_list_queries_do_not_grow_with_rows(client, shop, kind):
    o = sent_order(shop, {"product": shop.resistor.pk, "quantity": "1000", "unit_price": "1"})
    line = o.lines.get()
    if kind == "returns":
        receipt_post(actor=shop.buyer, data={"lines": [{"order_line": line.pk, "received": "100"}]})
    model = {"notes": DeliveryNote, "hub": DeliveryNote, "receipts": Receipt, "returns": SupplierReturn}[kind]
    names = {"hub": "receiving", "notes": "delivery_notes"}
    url = reverse(f"procurement:{names.get(kind, kind)}")
    client.force_login(shop.buyer)
    counts = []
    for n in (1, 20):
        while model.objects.count() < n:
            if model is DeliveryNote:
                note_for(shop, o, "1")
            elif model is Receipt:
                receipt_post(actor=shop.buyer, data={"lines": [{"order_line": line.pk, "received": "1"}]})
            else:
                return_post(actor=shop.buyer, data={"kind": "commercial", "reason": "多订了",
                                                     "lines": [{"order_line": line.pk, "quantity": "1"}]})  # fmt: skip
        page(client, url)  # the currency table and the settings are read once per process
        with CaptureQueriesContext(connection) as ctx:
            html = page(client, url)
        assert (
            len(numbers(html, "notes" if kind == "hub" else kind, "" if kind != "hub" else "in-transit")) == n
        )
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts
