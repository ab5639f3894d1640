"""/api/v1/delivery-notes, /receipts and /supplier-returns keep the receiving pages' rules: more than is open
(beyond the over-delivery tolerance), a negative or zero quantity, a rejection without a reason, a date ahead
or too far back, unknown fields, a line not on the note — each refused by its field with nothing written; a
sales rep reaches nothing (403), West's buyer sees nothing of East's (404, empty lists, East's lines refused),
an executive reads but does not receive; and each list costs the same queries for 3 rows as for 30."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import DeliveryNote, PurchasingSettings, Receipt, SupplierReturn
from guanxi.procurement.services.delivery_notes import delivery_note_create
from guanxi.procurement.services.receipts import receipt_post, return_post
from guanxi.procurement.tests.services.receiving_support import sent_order

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def order_lines(o) -> list[int]:
    return list(o.lines.order_by("position").values_list("pk", flat=True))


def refused(resp, status: int = 422) -> set[str]:
    return fields(problem(resp, status))


def note(shop, o, quantity="10"):
    return delivery_note_create(
        actor=shop.buyer, data={"lines": [{"order_line": i, "quantity": quantity} for i in order_lines(o)]}
    )


def test_too_much_is_refused_unless_within_the_tolerance(buyer_api, shop):
    o = sent_order(shop)
    resistor = order_lines(o)[0]

    def post(*rows):
        return buyer_api.post("/receipts", {"lines": [{"order_line": resistor, **r} for r in rows]})

    answer = problem(post({"received": "1001"}), 422)
    assert fields(answer) == {"lines[0].received"} and "1000" in answer["errors"][0]["message"]
    assert refused(post({"received": "600"}, {"received": "600"})) == {"lines[1].received"}  # together
    too_much = {"lines": [{"order_line": resistor, "quantity": "1000.001"}]}
    assert refused(buyer_api.post("/delivery-notes", too_much)) == {"lines[0].quantity"}
    assert not Receipt.objects.exists() and not DeliveryNote.objects.exists()
    PurchasingSettings.objects.update_or_create(pk=1, defaults={"over_delivery_percent": D(5)})
    assert refused(post({"received": "1051"})) == {"lines[0].received"}
    ok(post({"received": "1060", "rejected": "10", "reject_reason": "excess"}), 201)  # rejected: not counted


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"received": "-1"}, "lines.0.received"),
        ({"received": "0"}, "lines.0.received"),
        ({"received": "1.0001"}, "lines.0.received"),
        ({"received": "abc"}, "lines.0.received"),
        ({"received": "10", "rejected": "-1"}, "lines.0.rejected"),
        ({"received": "10", "rejected": "3"}, "lines[0].reject_reason"),
        ({"received": "10", "rejected": "3", "reject_reason": "late"}, "lines.0.reject_reason"),
        ({"received": "10", "accepted": "9"}, "lines[0].accepted"),
        ({"received": "10", "reject_note": "断\x00线"}, "lines[0].reject_note"),
        ({}, "lines.0.received"),
        ({"received": "1", "order_line": 0}, "lines.0.order_line"),
        ({"received": "1", "order_line": 987654}, "lines[0].order_line"),
        ({"received": "1", "qty": "1"}, "lines.0.qty"),
    ],
)
def test_bad_receipt_lines_are_refused_by_field(buyer_api, shop, row, field):
    o = sent_order(shop)
    answer = problem(buyer_api.post("/receipts", {"lines": [{"order_line": order_lines(o)[0], **row}]}), 422)
    assert field in fields(answer)
    assert not Receipt.objects.exists()


def test_bad_headers_are_refused_by_field(buyer_api, shop):
    o = sent_order(shop)
    lines = [{"order_line": order_lines(o)[0], "received": "1"}]
    today = timezone.localdate()
    for day, words in (
        (today + dt.timedelta(days=1), "on or before today"),
        (today - dt.timedelta(days=8), "7"),
    ):
        answer = problem(buyer_api.post("/receipts", {"lines": lines, "received_on": day.isoformat()}), 422)
        assert fields(answer) == {"received_on"} and words in answer["errors"][0]["message"]
    assert refused(buyer_api.post("/receipts", {"lines": []})) == {"lines"}
    assert refused(buyer_api.post("/receipts", {"lines": lines, "posted_by": "me"})) == {"posted_by"}
    assert refused(buyer_api.post("/receipts", [])) == {"body"}
    note_lines = [{"order_line": order_lines(o)[0], "quantity": "1"}]
    bad = {"lines": note_lines, "ship_date": "2026-11-20", "expected_on": "2026-11-19", "vessel": "x"}
    assert refused(buyer_api.post("/delivery-notes", bad)) == {"vessel"}
    del bad["vessel"]
    assert refused(buyer_api.post("/delivery-notes", bad)) == {"expected_on"}
    back = {"kind": "gift", "reason": " ", "lines": [{"order_line": order_lines(o)[0], "quantity": "1"}]}
    assert refused(buyer_api.post("/supplier-returns", back)) == {"kind"}
    assert refused(buyer_api.post("/supplier-returns", {**back, "kind": "quality"})) == {
        "reason",
        "lines[0].quantity",  # nothing accepted yet
    }
    assert not (Receipt.objects.exists() or DeliveryNote.objects.exists() or SupplierReturn.objects.exists())


def test_receiving_a_note_names_the_lines_as_they_were_given(buyer_api, shop):
    o = sent_order(shop)
    n = note(shop, o)
    first, second = n.lines.order_by("id").values_list("pk", flat=True)
    url = f"/delivery-notes/{n.pk}/receive"
    # Given in the other order: the second line given (the note's first) is the one refused.
    rows = [{"note_line": second, "received": "5"}, {"note_line": first, "received": "5", "rejected": "1"}]
    assert refused(buyer_api.post(url, {"lines": rows})) == {"lines[1].reject_reason"}
    rows = [{"note_line": second, "received": "201"}, {"note_line": first}]
    answer = problem(buyer_api.post(url, {"lines": rows}), 422)
    assert fields(answer) == {"lines[0].received"} and "200" in answer["errors"][0]["message"]
    other = note(shop, sent_order(shop)).lines.first()
    assert other is not None
    rows = [{"note_line": first}, {"note_line": other.pk}, {"note_line": first}]
    assert refused(buyer_api.post(url, {"lines": rows})) == {"lines[1].note_line", "lines[2].note_line"}
    assert refused(buyer_api.post(url, {"lines": []})) == {"lines"}
    assert refused(buyer_api.post(url, {"lines": [{"note_line": first, "order_line": 1}]})) == {
        "lines.0.order_line"
    }
    assert refused(buyer_api.post(url, {"received_on": "2026-13-01"})) == {"received_on"}
    assert not Receipt.objects.exists()
    n.refresh_from_db()
    assert n.state == "open"
    r = ok(
        buyer_api.post(url, {"lines": [{"note_line": second, "received": "4"}, {"note_line": first}]}), 201
    )
    got = sorted((x["note_line"], D(x["received_quantity"])) for x in r["lines"])
    assert got == [(first, 10), (second, 4)]


def test_a_sales_rep_reaches_nothing(shop, api_as):
    o = sent_order(shop)
    n = note(shop, o)
    receipt = receipt_post(
        actor=shop.buyer, data={"lines": [{"order_line": order_lines(o)[0], "received": "5"}]}
    )
    back = return_post(
        actor=shop.buyer,
        data={
            "kind": "quality",
            "reason": "虚焊",
            "lines": [{"order_line": order_lines(o)[0], "quantity": "1"}],
        },
    )
    rep = api_as(shop.rep)
    line = {"order_line": order_lines(o)[0], "received": "1"}
    for resp in (
        rep.get("/delivery-notes"),
        rep.get("/receipts"),
        rep.get("/supplier-returns"),
        rep.get(f"/delivery-notes/{n.pk}"),
        rep.get(f"/delivery-notes/by-code/{n.code}"),
        rep.get(f"/receipts/{receipt.pk}"),
        rep.get(f"/supplier-returns/{back.pk}"),
        rep.post("/receipts", {"lines": [line]}),
        rep.post("/delivery-notes", {"lines": [{"order_line": line["order_line"], "quantity": "1"}]}),
        rep.post(f"/delivery-notes/{n.pk}/receive", {}),
        rep.post(f"/delivery-notes/{n.pk}/cancel", {"version": n.version}),
        rep.post(
            "/supplier-returns",
            {
                "kind": "quality",
                "reason": "x",
                "lines": [{"order_line": line["order_line"], "quantity": "1"}],
            },
        ),
    ):
        problem(resp, 403)
    assert Receipt.objects.count() == 1 and SupplierReturn.objects.count() == 1
    # An executive reads everything and receives nothing; a read token receives nothing either.
    boss = api_as(shop.executive)
    assert [x["id"] for x in ok(boss.get("/receipts"))["items"]] == [receipt.pk]
    assert ok(boss.get(f"/delivery-notes/{n.pk}"))["id"] == n.pk
    problem(boss.post(f"/delivery-notes/{n.pk}/receive", {}), 403)
    problem(boss.post("/receipts", {"lines": [line]}), 403)
    problem(boss.get(f"/delivery-notes/by-code/{n.code}"), 403)  # looking a code up is for who receives
    problem(api_as(shop.buyer, scope="read").post("/receipts", {"lines": [line]}), 403)
    assert Receipt.objects.count() == 1


def test_west_sees_nothing_of_easts_and_receives_none_of_its_lines(shop, api_as):
    o = sent_order(shop)
    n = note(shop, o)
    receipt = receipt_post(
        actor=shop.buyer, data={"lines": [{"order_line": order_lines(o)[0], "received": "5"}]}
    )
    back = return_post(
        actor=shop.buyer,
        data={
            "kind": "quality",
            "reason": "虚焊",
            "lines": [{"order_line": order_lines(o)[0], "quantity": "1"}],
        },
    )
    west = api_as(shop.buyer_west)
    for path in ("/delivery-notes", "/receipts", "/supplier-returns"):
        assert ok(west.get(path))["items"] == ok(west.get(path, {"order": o.pk}))["items"] == []
    for resp in (
        west.get(f"/delivery-notes/{n.pk}"),
        west.get(f"/delivery-notes/by-code/{n.code}"),
        west.get(f"/receipts/{receipt.pk}"),
        west.get(f"/supplier-returns/{back.pk}"),
        west.get("/receipts/987654"),
        west.post(f"/delivery-notes/{n.pk}/receive", {}),
        west.post(f"/delivery-notes/{n.pk}/cancel", {"version": n.version}),
    ):
        problem(resp, 404)
    line = order_lines(o)[0]
    assert refused(west.post("/receipts", {"lines": [{"order_line": line, "received": "1"}]})) == {
        "lines[0].order_line"
    }
    assert refused(west.post("/delivery-notes", {"lines": [{"order_line": line, "quantity": "1"}]})) == {
        "lines[0].order_line"
    }
    back_again = {"kind": "quality", "reason": "x", "lines": [{"order_line": line, "quantity": "1"}]}
    assert refused(west.post("/supplier-returns", back_again)) == {"lines[0].order_line"}
    assert (Receipt.objects.count(), SupplierReturn.objects.count(), DeliveryNote.objects.count()) == (
        1,
        1,
        1,
    )
    n.refresh_from_db()
    assert n.state == "open"


def _documents(shop, o, n: int) -> None:
    """n delivery notes, n receipts and n returns of the order (one unit each), by the buyer and a mate."""
    line = order_lines(o)[0]
    for i in range(n):
        actor = shop.buyer if i % 2 else shop.mate
        delivery_note_create(actor=actor, data={"lines": [{"order_line": line, "quantity": "1"}]})
        receipt_post(actor=actor, data={"lines": [{"order_line": line, "received": "2"}]})
        return_post(
            actor=actor,
            data={"kind": "commercial", "reason": "多订", "lines": [{"order_line": line, "quantity": "1"}]},
        )


@pytest.mark.parametrize("path", ["/delivery-notes", "/receipts", "/supplier-returns"])
def test_each_list_costs_the_same_for_3_and_30_rows(buyer_api, shop, path, django_assert_max_num_queries):
    o = sent_order(shop)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            page = ok(buyer_api.get(path, {"limit": 50, "order": o.pk, "supplier": shop.huaqiang.pk}))
        return len(ctx), len(page["items"])

    _documents(shop, o, 3)
    ok(buyer_api.get(path))  # the token's first use writes its last-used time: not the list's cost
    few = count()
    _documents(shop, o, 27)
    with django_assert_max_num_queries(6):
        many = count()
    assert (few[1], many[1]) == (3, 30)
    assert many[0] == few[0], (few, many)
