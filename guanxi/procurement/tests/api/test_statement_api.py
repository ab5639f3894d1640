"""/api/v1/reconciliation-statements: the same services as the pages — a statement (对账单) for a supplier and a
period lists the goods accepted and returned and the invoices entered, with the difference; it is sent, and the
supplier's answer recorded line by line (a dispute needs a note) until every line is confirmed and it is locked:
a confirmed statement is never changed. Problem+json naming each field, 404 for what the caller may not see,
403 for what he may not do, 409 for a stale version, and a list whose cost does not grow with its rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import ReconciliationStatement
from guanxi.procurement.services.invoices import invoice_enter
from guanxi.procurement.services.receipts import return_post
from guanxi.procurement.services.statements import statement_create

from .settlement_support import invoice_body, received

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = timezone.localdate()
PERIOD = {"period_start": TODAY.replace(day=1).isoformat(), "period_end": TODAY.isoformat()}


@pytest.fixture
def goods(shop):
    """800 resistors and 200 cartons accepted this month, 100 resistors returned, 450 invoiced."""
    _o, resistor, carton = received(shop)
    return_post(
        actor=shop.buyer,
        data={"kind": "quality", "reason": "虚焊", "lines": [{"order_line": resistor.pk, "quantity": "100"}]},
    )
    invoice_enter(actor=shop.buyer, data=invoice_body({"order_line": resistor.pk, "quantity": "450"}))
    return resistor, carton


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def create(api, shop, status=201, **extra):
    resp = api.post("/reconciliation-statements", {"supplier": shop.huaqiang.pk, **PERIOD, **extra})
    return ok(resp, status) if status < 400 else fields(problem(resp, status))


def op(api, s: dict, name: str, status: int = 200, **extra):
    resp = api.post(f"/reconciliation-statements/{s['id']}/{name}", {"version": s["version"], **extra})
    return ok(resp, status) if status < 400 else fields(problem(resp, status))


def test_a_statement_lists_what_was_received_returned_and_invoiced(buyer_api, shop, goods):
    s = create(buyer_api, shop)
    assert s["number"].startswith("ST") and s["state"] == "draft" and s["version"] == 1 and not s["locked"]
    assert s["supplier"] == {"id": shop.huaqiang.pk, "name": shop.huaqiang.name} and s["currency"] == "CNY"
    assert s["owner"]["id"] == shop.buyer.pk and s["team"]["id"] == shop.east.pk
    assert (s["period_start"], s["period_end"]) == (PERIOD["period_start"], PERIOD["period_end"])
    assert sorted((x["kind"], D(x["amount"])) for x in s["lines"]) == [
        ("invoice", D("-1017")),
        ("receipt", D("678")),  # 200 cartons × 3 + 13 %
        ("receipt", D("1808")),  # 800 resistors accepted × 2 + 13 %
        ("return", D("-226")),
    ]
    assert all(x["answer"] == "" for x in s["lines"])
    totals = [D(s[k]) for k in ("received_total", "returned_total", "invoiced_total", "difference")]
    assert totals == [D("2486"), D("226"), D("1017"), D("1243")]
    assert ok(buyer_api.get(f"/reconciliation-statements/{s['id']}")) == s


def test_sent_answered_line_by_line_and_locked_once_confirmed(buyer_api, shop, goods):
    s = create(buyer_api, shop)
    assert op(buyer_api, s, "answer", confirm_all=True, status=422) == {"state"}  # not sent yet
    s = op(buyer_api, s, "send")
    assert s["state"] == "sent" and s["sent_at"] and s["version"] == 2
    assert op(buyer_api, s, "send", status=422) == {"state"}
    ids = {x["kind"]: x["id"] for x in s["lines"]}
    s = op(buyer_api, s, "answer", answers={str(ids["invoice"]): {"answer": "confirmed"}})
    assert s["state"] == "sent" and s["answered_at"]
    returned = str(ids["return"])
    assert op(buyer_api, s, "answer", answers={returned: {"answer": "disputed"}}, status=422) == {
        f"answers.{returned}.note"
    }
    s = op(buyer_api, s, "answer", answers={returned: {"answer": "disputed", "note": "退货单未签收"}})
    assert s["state"] == "disputed"
    line = next(x for x in s["lines"] if x["kind"] == "return")
    assert (line["answer"], line["answer_note"]) == ("disputed", "退货单未签收")
    assert op(buyer_api, {**s, "version": 1}, "answer", confirm_all=True, status=409) == set()
    s = op(buyer_api, s, "answer", answers={returned: {"answer": "confirmed"}}, confirm_all=True)
    assert s["state"] == "confirmed" and s["locked"] and {x["answer"] for x in s["lines"]} == {"confirmed"}
    locked = {returned: {"answer": "disputed", "note": "改主意"}}
    assert op(buyer_api, s, "answer", answers=locked, status=422) == {"state"}
    assert op(buyer_api, s, "send", status=422) == {"state"}
    assert ReconciliationStatement.objects.get(pk=s["id"]).state == "confirmed"


def test_bad_answers_name_each_field(buyer_api, shop, goods):
    s = op(buyer_api, create(buyer_api, shop), "send")
    line = str(s["lines"][0]["id"])
    assert op(buyer_api, s, "answer", status=422) == {"answers"}
    assert op(buyer_api, s, "answer", answers={"987654": {"answer": "confirmed"}}, status=422) == {
        "answers.987654"
    }
    assert op(buyer_api, s, "answer", answers={line: {"answer": "maybe"}}, status=422) == {
        f"answers.{line}.answer"
    }
    not_an_id = op(buyer_api, s, "answer", answers={"x": {"answer": "confirmed"}}, status=422)
    assert {f.split(".")[:2] == ["answers", "x"] for f in not_an_id} == {True}
    assert op(buyer_api, s, "answer", answers={line: "confirmed"}, status=422) == {f"answers.{line}"}
    assert op(buyer_api, s, "answer", confirm_all=True, colour="red", status=422) == {"colour"}
    assert ok(buyer_api.get(f"/reconciliation-statements/{s['id']}"))["version"] == s["version"]


def test_bad_input_of_a_new_statement_names_each_field(buyer_api, shop, goods):
    assert create(buyer_api, shop, status=422, supplier=987654) == {"supplier"}
    backwards = {"period_start": "2031-02-01", "period_end": "2031-01-01"}
    assert create(buyer_api, shop, status=422, **backwards) == {"period_end"}
    too_long = {"period_start": "2030-01-01", "period_end": "2031-06-01"}
    assert create(buyer_api, shop, status=422, **too_long) == {"period_end"}
    assert create(buyer_api, shop, status=422, currency="XXX") == {"currency"}
    assert create(buyer_api, shop, status=422, period_start="2031-13-01") == {"period_start"}
    assert create(buyer_api, shop, status=422, colour="red") == {"colour"}
    # Nothing received, returned or invoiced: in an empty period, and last month (the default period).
    empty = {"period_start": "2020-01-01", "period_end": "2020-01-31"}
    assert create(buyer_api, shop, status=422, **empty) == {"period_end"}
    resp = buyer_api.post("/reconciliation-statements", {"supplier": shop.huaqiang.pk})
    assert fields(problem(resp, 422)) == {"period_end"}
    assert not ReconciliationStatement.objects.exists()


def test_who_sees_and_who_changes(buyer_api, shop, goods, api_as):
    s = create(buyer_api, shop)
    url, v = f"/reconciliation-statements/{s['id']}", {"version": s["version"]}
    rep = api_as(shop.rep)
    for resp in (
        rep.get("/reconciliation-statements"),
        rep.get(url),
        rep.post("/reconciliation-statements", {"supplier": shop.huaqiang.pk, **PERIOD}),
        rep.post(f"{url}/send", v),
    ):
        problem(resp, 403)
    boss = api_as(shop.executive)
    assert ok(boss.get(url))["id"] == s["id"]
    assert [x["id"] for x in ok(boss.get("/reconciliation-statements"))["items"]] == [s["id"]]
    for resp in (
        boss.post(f"{url}/send", v),
        boss.post("/reconciliation-statements", {"supplier": shop.huaqiang.pk, **PERIOD}),
    ):
        problem(resp, 403)
    west = api_as(shop.buyer_west)
    assert ok(west.get("/reconciliation-statements"))["items"] == []
    for resp in (
        west.get(url),
        west.post(f"{url}/send", v),
        west.post(f"{url}/answer", {**v, "confirm_all": True}),
    ):
        problem(resp, 404)
    # West's buyer has no order with the supplier: nothing to put on a statement of his.
    resp = west.post("/reconciliation-statements", {"supplier": shop.huaqiang.pk, **PERIOD})
    assert fields(problem(resp, 422)) <= {"supplier", "period_end"}
    problem(api_as(shop.buyer, scope="read").post(f"{url}/send", v), 403)
    assert ok(api_as(shop.mate).post(f"{url}/send", v))["state"] == "sent"  # the same team


def test_list_filters_and_pages(buyer_api, shop, goods):
    a = create(buyer_api, shop)
    b = op(buyer_api, create(buyer_api, shop), "send")
    c = create(buyer_api, shop)
    ids = lambda **q: [x["id"] for x in ok(buyer_api.get("/reconciliation-statements", q))["items"]]  # noqa: E731
    everyone = ids()
    assert everyone == [c["id"], b["id"], a["id"]]  # the same period: the newest first
    assert ids(state="sent") == [b["id"]] and ids(state="draft") == [c["id"], a["id"]]
    assert ids(supplier=shop.huaqiang.pk) == everyone and ids(supplier=shop.preferred.pk) == []
    first = ok(buyer_api.get("/reconciliation-statements", {"limit": 2}))
    assert [x["id"] for x in first["items"]] == everyone[:2] and first["next_cursor"]
    rest = ok(buyer_api.get("/reconciliation-statements", {"limit": 2, "cursor": first["next_cursor"]}))
    assert [x["id"] for x in rest["items"]] == everyone[2:] and rest["next_cursor"] is None
    assert fields(problem(buyer_api.get("/reconciliation-statements", {"state": "lost"}), 422)) == {"state"}
    assert fields(problem(buyer_api.get("/reconciliation-statements", {"cursor": "x"}), 422)) == {"cursor"}
    problem(buyer_api.get("/reconciliation-statements/987654"), 404)


def _queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get("/reconciliation-statements", {"limit": 50}))
    return len(ctx), len(page["items"])


def test_the_list_costs_the_same_for_3_and_30_statements(buyer_api, shop, goods):
    def add(n: int) -> None:
        for i in range(n):
            statement_create(
                actor=shop.buyer if i % 2 else shop.mate, data={"supplier": shop.huaqiang.pk, **PERIOD}
            )

    add(3)
    _queries(buyer_api)  # the token's first use writes its last-used time: not the list's cost
    few = _queries(buyer_api)
    add(27)
    many = _queries(buyer_api)
    assert few[1] == 3 and many[1] == 30
    assert many[0] == few[0] <= 8, (few, many)
