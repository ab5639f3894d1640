"""/api/v1/delivery-notes, /api/v1/receipts and /api/v1/supplier-returns: the same services as the receiving
pages — a delivery note entered against an order's open lines, found by its code however it is typed,
received in part with a rejection and then in one step, cancelled while nothing was received; goods received
against order lines without a note (dated back within the window, marked); accepted goods returned; the
lists' filters and pages; an Idempotency-Key honoured. Refusals, who sees what and the lists' cost:
test_receiving_api_rules.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import DeliveryNote, Receipt, SupplierReturn
from guanxi.procurement.tests.services.receiving_support import sent_order

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def order_lines(o) -> list[int]:
    return list(o.lines.order_by("position").values_list("pk", flat=True))


def note_of(api, o, *quantities, status=201, **data) -> dict:
    lines = [{"order_line": i, "quantity": q} for i, q in zip(order_lines(o), quantities, strict=False)]
    return ok(api.post("/delivery-notes", {"lines": lines, **data}), status)


def receive(api, *lines, status=201, **data) -> dict:
    return ok(api.post("/receipts", {"lines": list(lines), **data}), status)


def po_line(api, o, i: int = 0) -> dict:
    return ok(api.get(f"/purchase-orders/{o.pk}"))["lines"][i]


def test_a_delivery_note_is_entered_found_by_its_code_and_received_in_two_steps(buyer_api, shop):
    o = sent_order(shop)
    resistor, carton = order_lines(o)
    n = note_of(
        buyer_api,
        o,
        "1000",
        "100",
        ship_date="2026-11-20",
        expected_on="2026-11-22",
        carrier="顺丰速运",
        tracking_number="SF1234567890",
        supplier_reference="HQ-DN-0088",
    )
    assert (
        n["number"].startswith("DN") and n["state"] == "open" and len(n["code"]) == 10 and n["version"] == 1
    )
    assert n["supplier"] == {"id": shop.huaqiang.pk, "name": shop.huaqiang.name}
    assert (n["ship_date"], n["expected_on"], n["carrier"]) == ("2026-11-20", "2026-11-22", "顺丰速运")
    assert n["owner"]["id"] == shop.buyer.pk and n["team"]["id"] == shop.east.pk and n["receipts"] == []
    first, second = n["lines"]
    assert (first["order_line"], second["order_line"]) == (resistor, carton)
    assert first["order"] == {"id": o.pk, "number": o.number} and first["position"] == 1
    assert [D(first[k]) for k in ("quantity", "received_quantity", "to_come")] == [1000, 0, 1000]
    assert ok(buyer_api.get(f"/delivery-notes/{n['id']}")) == n
    typed = " ".join(n["code"][i : i + 2] for i in range(0, 10, 2)).lower()  # as a hand types it
    assert ok(buyer_api.get(f"/delivery-notes/by-code/{typed}")) == n
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in n["code"])
    assert ok(buyer_api.get(f"/delivery-notes/by-code/{full_width}"))["id"] == n["id"]
    # Part of the resistors arrives, some of them damaged.
    part = {"note_line": first["id"], "received": "400", "rejected": "20", "reject_reason": "damaged"}
    r = ok(buyer_api.post(f"/delivery-notes/{n['id']}/receive", {"lines": [part], "note": "外箱破损"}), 201)
    assert r["number"].startswith("GR") and r["delivery_note"] == {"id": n["id"], "number": n["number"]}
    assert r["note"] == "外箱破损" and r["received_on"] == timezone.localdate().isoformat()
    (line,) = r["lines"]
    assert (line["note_line"], line["order_line"], line["reject_reason"]) == (
        first["id"],
        resistor,
        "damaged",
    )
    assert [D(line[k]) for k in ("received_quantity", "accepted_quantity", "rejected_quantity")] == [
        400,
        380,
        20,
    ]
    n = ok(buyer_api.get(f"/delivery-notes/{n['id']}"))
    assert n["state"] == "partial" and n["version"] == 2 and [x["id"] for x in n["receipts"]] == [r["id"]]
    assert [D(x["to_come"]) for x in n["lines"]] == [600, 100]
    # The rest in one step (no lines: everything still to come, accepted).
    rest = ok(buyer_api.post(f"/delivery-notes/{n['id']}/receive", {}), 201)
    assert sorted(D(x["accepted_quantity"]) for x in rest["lines"]) == [100, 600]
    n = ok(buyer_api.get(f"/delivery-notes/{n['id']}"))
    assert n["state"] == "received" and [x["id"] for x in n["receipts"]] == [r["id"], rest["id"]]
    got = po_line(buyer_api, o)
    assert [D(got[k]) for k in ("received_quantity", "accepted_quantity", "rejected_quantity")] == [
        1000,
        980,
        20,
    ]
    assert D(got["open_quantity"]) == 20
    again = problem(buyer_api.post(f"/delivery-notes/{n['id']}/receive", {}), 422)
    assert fields(again) == {"delivery_note"}


def test_a_receipt_against_order_lines_with_inspection_dated_back(buyer_api, shop):
    o = sent_order(shop)
    resistor, carton = order_lines(o)
    day = timezone.localdate() - dt.timedelta(days=3)
    r = receive(
        buyer_api,
        {
            "order_line": resistor,
            "received": "600",
            "rejected": "50",
            "reject_reason": "quality",
            "reject_note": "引脚氧化",
        },
        {"order_line": carton, "received": "200"},
        received_on=day.isoformat(),
    )
    assert r["backdated"] is True and r["received_on"] == day.isoformat() and r["delivery_note"] is None
    assert r["created_by"]["id"] == shop.buyer.pk and r["owner"]["id"] == shop.buyer.pk
    a, b = r["lines"]
    assert [D(a[k]) for k in ("received_quantity", "accepted_quantity", "rejected_quantity")] == [
        600,
        550,
        50,
    ]
    assert (a["reject_reason"], a["reject_note"], a["note_line"]) == ("quality", "引脚氧化", None)
    assert (b["reject_reason"], D(b["accepted_quantity"])) == ("", 200)
    assert ok(buyer_api.get(f"/receipts/{r['id']}")) == r
    assert ok(buyer_api.get(f"/purchase-orders/{o.pk}"))["state"] == "partial"
    assert D(po_line(buyer_api, o)["open_quantity"]) == 450
    # Accepted given: what inspection kept, the rest rejected.
    r2 = receive(
        buyer_api,
        {
            "order_line": resistor,
            "received": "450",
            "accepted": "440",
            "rejected": "10",
            "reject_reason": "other",
        },
    )
    assert D(r2["lines"][0]["accepted_quantity"]) == 440 and r2["backdated"] is False
    assert ok(buyer_api.get(f"/purchase-orders/{o.pk}"))["state"] == "partial"  # 10 still open


def test_accepted_goods_go_back_to_the_supplier(buyer_api, shop):
    o = sent_order(shop)
    resistor, carton = order_lines(o)
    receive(
        buyer_api, {"order_line": resistor, "received": "1000"}, {"order_line": carton, "received": "200"}
    )
    assert ok(buyer_api.get(f"/purchase-orders/{o.pk}"))["state"] == "received"
    payload = {
        "kind": "quality",
        "reason": "来料检验后发现虚焊",
        "returned_on": "2026-11-25",
        "lines": [{"order_line": resistor, "quantity": "100"}],
    }
    b = ok(buyer_api.post("/supplier-returns", payload), 201)
    assert b["number"].startswith("RT") and b["kind"] == "quality" and b["reason"] == "来料检验后发现虚焊"
    assert b["returned_on"] == "2026-11-25" and b["supplier"]["id"] == shop.huaqiang.pk
    (line,) = b["lines"]
    assert line["order_line"] == resistor and D(line["quantity"]) == 100 and line["order"]["id"] == o.pk
    assert ok(buyer_api.get(f"/supplier-returns/{b['id']}")) == b
    po = ok(buyer_api.get(f"/purchase-orders/{o.pk}"))
    assert po["state"] == "partial" and D(po["lines"][0]["returned_quantity"]) == 100
    assert D(po["lines"][0]["open_quantity"]) == 100  # owed by the supplier again
    too_many = {**payload, "lines": [{"order_line": resistor, "quantity": "901"}]}
    assert fields(problem(buyer_api.post("/supplier-returns", too_many), 422)) == {"lines[0].quantity"}
    assert SupplierReturn.objects.count() == 1


def test_a_note_is_cancelled_while_nothing_was_received(buyer_api, shop):
    o = sent_order(shop)
    n = note_of(buyer_api, o, "10", "10")
    url = f"/delivery-notes/{n['id']}/cancel"
    problem(buyer_api.post(url, {"version": n["version"] + 1}), 409)
    cancelled = ok(buyer_api.post(url, {"version": n["version"]}))
    assert cancelled["state"] == "cancelled" and cancelled["version"] == n["version"] + 1
    assert fields(problem(buyer_api.post(f"/delivery-notes/{n['id']}/receive", {}), 422)) == {"delivery_note"}
    received = note_of(buyer_api, o, "10")
    line = received["lines"][0]["id"]
    ok(
        buyer_api.post(
            f"/delivery-notes/{received['id']}/receive", {"lines": [{"note_line": line, "received": "1"}]}
        ),
        201,
    )
    version = ok(buyer_api.get(f"/delivery-notes/{received['id']}"))["version"]
    refused = problem(buyer_api.post(f"/delivery-notes/{received['id']}/cancel", {"version": version}), 422)
    assert fields(refused) == {"state"}
    assert DeliveryNote.objects.get(pk=received["id"]).state == "partial"


def test_the_lists_filter_and_page(buyer_api, shop, api_as):
    a, b = sent_order(shop), sent_order(shop, supplier=shop.preferred)
    n1 = note_of(buyer_api, a, "10", ship_date="2026-11-01", tracking_number="SF0001")
    n2 = note_of(buyer_api, b, "10", ship_date="2026-11-02")
    n3 = note_of(api_as(shop.mate), a, "5", "5", ship_date="2026-11-03")
    ok(buyer_api.post(f"/delivery-notes/{n3['id']}/receive", {}), 201)
    ids = lambda path, **q: [x["id"] for x in ok(buyer_api.get(path, q))["items"]]  # noqa: E731
    assert ids("/delivery-notes") == [n3["id"], n2["id"], n1["id"]]
    assert ids("/delivery-notes", state="transit") == [n2["id"], n1["id"]]
    assert ids("/delivery-notes", state="received") == [n3["id"]]
    assert (
        ids("/delivery-notes", supplier=shop.preferred.pk) == ids("/delivery-notes", order=b.pk) == [n2["id"]]
    )
    assert ids("/delivery-notes", q="SF0001") == ids("/delivery-notes", q=n1["code"].lower()) == [n1["id"]]
    assert ids("/delivery-notes", q=n2["number"]) == [n2["id"]]
    first = ok(buyer_api.get("/delivery-notes", {"limit": 2}))
    assert [x["id"] for x in first["items"]] == [n3["id"], n2["id"]] and first["next_cursor"]
    rest = ok(buyer_api.get("/delivery-notes", {"limit": 2, "cursor": first["next_cursor"]}))
    assert (
        [x["id"] for x in rest["items"]] == [n1["id"]] and rest["next_cursor"] is None and rest["prev_cursor"]
    )
    r1 = receive(
        buyer_api, {"order_line": order_lines(b)[0], "received": "1"}
    )  # the same day: newest id first
    r3 = Receipt.objects.get(delivery_note_id=n3["id"])
    assert ids("/receipts") == [r1["id"], r3.pk]
    assert ids("/receipts", order=a.pk) == ids("/receipts", q=n3["number"]) == [r3.pk]
    assert ids("/receipts", supplier=shop.preferred.pk, limit=1) == [r1["id"]]
    back = {"reason": "多发", "lines": [{"order_line": order_lines(a)[0], "quantity": "1"}]}
    q1 = ok(buyer_api.post("/supplier-returns", {**back, "kind": "quality"}), 201)
    c1 = ok(buyer_api.post("/supplier-returns", {**back, "kind": "commercial"}), 201)
    assert ids("/supplier-returns") == [c1["id"], q1["id"]] and ids("/supplier-returns", order=b.pk) == []
    assert ids("/supplier-returns", kind="quality") == ids("/supplier-returns", q=q1["number"]) == [q1["id"]]
    for path in ("/delivery-notes", "/receipts", "/supplier-returns"):
        assert fields(problem(buyer_api.get(path, {"cursor": "nonsense"}), 422)) == {"cursor"}
        assert fields(problem(buyer_api.get(path, {"q": "a\x00b"}), 422)) == {"q"}
        assert fields(problem(buyer_api.get(path, {"sort": "number"}), 422)) == {"sort"}
    assert fields(problem(buyer_api.get("/delivery-notes", {"state": "lost"}), 422)) == {"state"}
    assert fields(problem(buyer_api.get("/supplier-returns", {"kind": "gift"}), 422)) == {"kind"}


def test_an_idempotency_key_posts_one_receipt(buyer_api, shop):
    o = sent_order(shop)
    key = {"Idempotency-Key": "gr-2026-0001"}
    payload = {"lines": [{"order_line": order_lines(o)[0], "received": "10"}]}
    first = buyer_api.post("/receipts", payload, headers=key)
    again = buyer_api.post("/receipts", payload, headers=key)
    assert ok(first, 201) == ok(again, 201) and again["Idempotent-Replayed"] == "true"
    assert Receipt.objects.count() == 1 and D(po_line(buyer_api, o)["received_quantity"]) == 10
    problem(buyer_api.post("/receipts", {**payload, "note": "other"}, headers=key), 422)
