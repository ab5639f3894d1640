"""/api/v1/rfqs refusals: problem+json naming each field (the schema's and the services'), 404 for an RFQ the
caller may not see, 403 for one he sees but may not change (an Executive reads, never writes; a sales rep
reaches nothing), 409 for a stale version; an Idempotency-Key on a quote; the list's filters, pages and a cost
that does not grow with its rows (nor the detail's with its quotes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import Rfq, SupplierQuote
from guanxi.procurement.services import rfqs
from guanxi.procurement.tests.api.rfq_helpers import created, later, op, post, quote_body
from guanxi.procurement.tests.conftest import supplier
from guanxi.procurement.tests.sourcing.support import opened, past_deadline, published, quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def test_refusals_name_their_fields(buyer_api, shop):
    assert fields(problem(buyer_api.post("/rfqs", {"title": "x", "deadline": later()}), 422)) == {"lines"}
    past = created(buyer_api, shop, 422, deadline=(timezone.now() - dt.timedelta(hours=1)).isoformat())
    assert fields(past) == {"deadline"}
    assert fields(created(buyer_api, shop, 422, criteria=[{"kind": "price", "weight": 90}])) == {"criteria"}
    bad_kind = created(buyer_api, shop, 422, criteria=[{"kind": "luck", "weight": 100}])
    assert fields(bad_kind) == {"criteria.0.kind"}
    assert fields(created(buyer_api, shop, 422, lines=[{"product": shop.sold_only.pk}])) == {
        "lines[0].product"
    }
    assert fields(created(buyer_api, shop, 422, sealed="x")) == {"sealed"}
    assert not Rfq.objects.exists()
    r = created(buyer_api, shop)
    for party, field in ((shop.blocked, "supplier"), (shop.candidate, "supplier")):
        assert fields(problem(post(buyer_api, r, "invitations", supplier=party.pk), 422)) == {field}
    r = op(buyer_api, r, "invitations", 201, supplier=shop.candidate.pk, reason="唯一能做的厂家")
    assert r["invitations"][0]["override_reason"] == "唯一能做的厂家"
    assert fields(problem(post(buyer_api, r, "cancel"), 422)) == {"reason"}
    r = ok(buyer_api.patch(f"/rfqs/{r['id']}", {"version": r["version"], "title": "纸箱"}))
    assert r["title"] == "纸箱" and r["version"] == 3 and len(r["lines"]) == 2
    stale = buyer_api.patch(f"/rfqs/{r['id']}", {"version": 1, "title": "late"})
    problem(stale, 409)
    problem(post(buyer_api, {**r, "version": 1}, "publish"), 409)
    inv = r["invitations"][0]["id"]
    problem(buyer_api.delete(f"/rfqs/{r['id']}/invitations/987654?version={r['version']}"), 404)
    problem(buyer_api.delete(f"/rfqs/{r['id']}/invitations/{inv}?version=1"), 409)
    r = ok(buyer_api.delete(f"/rfqs/{r['id']}/invitations/{inv}?version={r['version']}"))
    assert r["invitations"] == [] and r["version"] == 4
    assert fields(problem(post(buyer_api, r, "publish"), 422)) == {"supplier"}  # no one invited


def test_quote_refusals(buyer_api, shop):
    rfq = published(shop)
    r = ok(buyer_api.get(f"/rfqs/{rfq.pk}"))
    url = f"/rfqs/{rfq.pk}/quotes"
    assert fields(problem(buyer_api.post(url, quote_body(r, shop.candidate, ["1"])), 422)) == {"supplier"}
    foreign = {"supplier": shop.huaqiang.pk, "lines": [{"rfq_line": 987654, "unit_price": "1"}]}
    assert fields(problem(buyer_api.post(url, foreign), 422)) == {"lines[0].rfq_line"}
    negative = quote_body(r, shop.huaqiang, ["-1"])
    assert fields(problem(buyer_api.post(url, negative), 422)) == {"lines.0.unit_price"}
    stale_validity = quote_body(r, shop.huaqiang, ["1"], valid_until="2020-01-01")
    assert fields(problem(buyer_api.post(url, stale_validity), 422)) == {"valid_until"}
    assert not SupplierQuote.objects.exists()
    key = {"Idempotency-Key": "rfq-quote-0001"}
    body = quote_body(r, shop.huaqiang, ["1", "2"])
    first, again = buyer_api.post(url, body, headers=key), buyer_api.post(url, body, headers=key)
    assert ok(first, 201) == ok(again, 201) and again["Idempotent-Replayed"] == "true"
    assert SupplierQuote.objects.count() == 1
    replaced = ok(buyer_api.post(url, quote_body(r, shop.huaqiang, ["0.9", "2"])), 201)
    states = dict(SupplierQuote.objects.values_list("pk", "state"))
    assert states == {ok(first, 201)["id"]: "replaced", replaced["id"]: "sealed"}
    problem(post(buyer_api, r, "award", whole=replaced["id"]), 422)  # not opened: no award
    past_deadline(rfq)
    late = buyer_api.post(url, quote_body(r, shop.preferred, ["1"]))
    assert fields(problem(late, 422)) == {"state"}
    r = op(buyer_api, r, "open")
    both = post(buyer_api, r, "award", whole=replaced["id"], lines={str(r["lines"][0]["id"]): replaced["id"]})
    assert fields(problem(both, 422)) == {"lines"}
    assert fields(problem(post(buyer_api, r, "award", lines={}), 422)) == {"lines"}
    assert Rfq.objects.get(pk=rfq.pk).state == "opened"


def test_who_sees_and_who_changes(buyer_api, shop, api_as):
    rfq = published(shop)
    url = f"/rfqs/{rfq.pk}"
    r = ok(buyer_api.get(url))
    v = {"version": r["version"]}
    q = quote_body(r, shop.huaqiang, ["1", "2"])
    rep = api_as(shop.rep)
    new = {"title": "x", "deadline": later(), "lines": [{"description": "x"}]}
    for resp in (rep.get("/rfqs"), rep.get(url), rep.post("/rfqs", new), rep.post(f"{url}/open", v)):
        problem(resp, 403)
    problem(api_as(shop.executive).post("/rfqs", new), 403)
    boss = api_as(shop.executive)
    assert ok(boss.get(url))["id"] == rfq.pk and [x["id"] for x in ok(boss.get("/rfqs"))["items"]] == [rfq.pk]
    for resp in (
        boss.patch(url, v),
        boss.post(f"{url}/quotes", q),
        boss.post(f"{url}/extend", {**v, "deadline": later(96)}),
        boss.post(f"{url}/cancel", {**v, "reason": "x"}),
        boss.post(f"{url}/open", {**v, "reason": "x"}),
    ):
        problem(resp, 403)
    problem(boss.get(f"{url}/comparison"), 409)  # readable, but sealed
    west = api_as(shop.buyer_west)
    assert ok(west.get("/rfqs"))["items"] == []
    for resp in (
        west.get(url),
        west.get(f"{url}/comparison"),
        west.patch(url, v),
        west.post(f"{url}/quotes", q),
        west.post(f"{url}/open", v),
        west.get("/rfqs/987654"),
    ):
        problem(resp, 404)
    problem(api_as(shop.buyer, scope="read").post(f"{url}/quotes", q), 403)
    mate = api_as(shop.mate)  # the same team: his to run
    assert ok(mate.post(f"{url}/extend", {**v, "deadline": later(96)}))["version"] == r["version"] + 1
    assert not SupplierQuote.objects.exists() and Rfq.objects.get(pk=rfq.pk).state == "open"


def test_list_filters_and_pages(buyer_api, shop, api_as):
    a = created(buyer_api, shop, title="电阻")
    b = created(buyer_api, shop, title="纸箱")
    c = created(api_as(shop.mate), shop, title="螺丝")
    b = op(buyer_api, op(buyer_api, b, "invitations", 201, supplier=shop.huaqiang.pk), "publish")
    ids = lambda **q: [x["id"] for x in ok(buyer_api.get("/rfqs", q))["items"]]  # noqa: E731
    assert ids() == [c["id"], b["id"], a["id"]]
    assert ids(state="open") == [b["id"]] and ids(owner="me") == [b["id"], a["id"]]
    assert ids(q="纸箱") == [b["id"]] and ids(q=a["number"]) == [a["id"]]
    row = ok(buyer_api.get("/rfqs", {"state": "open"}))["items"][0]
    assert (row["invited"], row["answered"], row["state"]) == (1, 0, "open") and "quotes" not in row
    first = ok(buyer_api.get("/rfqs", {"limit": 2}))
    assert [x["id"] for x in first["items"]] == [c["id"], b["id"]] and first["next_cursor"]
    rest = ok(buyer_api.get("/rfqs", {"limit": 2, "cursor": first["next_cursor"]}))
    assert [x["id"] for x in rest["items"]] == [a["id"]] and rest["next_cursor"] is None
    assert fields(problem(buyer_api.get("/rfqs", {"state": "lost"}), 422)) == {"state"}
    assert fields(problem(buyer_api.get("/rfqs", {"cursor": "nonsense"}), 422)) == {"cursor"}
    assert fields(problem(buyer_api.get("/rfqs", {"owner": "you"}), 422)) == {"owner"}
    assert fields(problem(buyer_api.get("/rfqs", {"sort": "title"}), 422)) == {"sort"}


def _list_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get("/rfqs", {"limit": 50}))
    return len(ctx), len(page["items"])


def test_the_list_costs_the_same_for_1_and_20_rfqs(buyer_api, shop):
    def add(n: int) -> None:
        for i in range(n):
            actor = shop.buyer if i % 2 else shop.mate
            r = rfqs.rfq_create(
                actor=actor, data={"title": f"询价 {i}", "deadline": later(), "lines": [{"description": "x"}]}
            )
            rfqs.rfq_invite(actor=actor, rfq=r, version=r.version, supplier=shop.huaqiang.pk)

    add(1)
    _list_queries(buyer_api)  # the token's first use writes its last-used time: not the list's cost
    few = _list_queries(buyer_api)
    add(19)
    many = _list_queries(buyer_api)
    assert few[1] == 1 and many[1] == 20
    assert many[0] == few[0], (few, many)


def test_the_detail_costs_the_same_for_2_and_6_quotes(buyer_api, shop):
    def queries(rfq) -> int:
        ok(buyer_api.get(f"/rfqs/{rfq.pk}"))
        with CaptureQueriesContext(connection) as ctx:
            ok(buyer_api.get(f"/rfqs/{rfq.pk}"))
        return len(ctx)

    small = opened(shop, _quoted(shop, published(shop, suppliers=[shop.huaqiang, shop.preferred])))
    extra = [supplier(shop.admin, f"第{i}电子有限公司", "approved") for i in range(4)]
    large = opened(shop, _quoted(shop, published(shop, suppliers=[shop.huaqiang, shop.preferred, *extra])))
    assert queries(small) == queries(large)


def _quoted(shop, rfq):
    for inv in rfq.invitations.select_related("supplier"):
        quote(shop, rfq, inv.supplier, ["1", "2"])
    return past_deadline(rfq)
