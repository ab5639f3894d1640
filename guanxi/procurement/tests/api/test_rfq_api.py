"""/api/v1/rfqs: a request for quotation from draft to purchase orders through the API — sealed quotes whose
contents are in no answer (not the quote's, not the RFQ's, not the comparison's) until they are opened; opening
after the deadline (earlier only a Procurement Manager, with a reason); the comparison, scores and further
rounds; an award that is not the cheapest with its justification; the orders. (Refusals, who may do what, the
list: test_rfq_api_rules.py.)"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import Rfq, SupplierQuoteLine
from guanxi.procurement.tests.api.rfq_helpers import CONTENTS, RECEIVED, created, later, op, post, quote_body
from guanxi.procurement.tests.conftest import supplier
from guanxi.procurement.tests.sourcing.support import opened, past_deadline, published, quote

pytestmark = pytest.mark.django_db
D = Decimal
# Prices and notes that appear nowhere else: none may be in an answer while the quotes are sealed.
SECRETS = ["0.013711", "3.213311", "0.012911", "3.471111", "0.015111", "含运费", "2031-01-31"]


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def text(resp) -> str:
    """The answer as text with its Chinese unescaped (the JSON has it as \\uXXXX)."""
    return json.dumps(json.loads(resp.content), ensure_ascii=False)


def sealed_nowhere(resp) -> None:
    assert [s for s in SECRETS if s in text(resp)] == []


def test_from_draft_to_orders_with_the_quotes_sealed_until_opened(buyer_api, shop):
    r = created(buyer_api, shop, notes="含税价请另列")
    assert r["number"].startswith("RFQ") and r["state"] == "draft" and r["version"] == 1 and r["round"] == 1
    assert r["owner"]["id"] == shop.buyer.pk and r["team"]["id"] == shop.east.pk and r["currency"] == "CNY"
    assert [(c["kind"], c["weight"]) for c in r["criteria"]] == [
        ("price", 70),
        ("lead_time", 15),
        ("payment_terms", 15),
    ]
    assert [x["product_id"] for x in r["lines"]] == [shop.resistor.pk, shop.carton.pk]
    assert r["lines"][1]["needed_by"] == "2031-03-02" and r["quotes"] == [] and r["invitations"] == []
    third = supplier(shop.admin, "上海第三电子有限公司", "approved")
    for party in (shop.huaqiang, shop.preferred, third):
        r = op(buyer_api, r, "invitations", 201, supplier=party.pk)
    assert r["version"] == 4 and {i["supplier"]["id"] for i in r["invitations"]} == {
        shop.huaqiang.pk,
        shop.preferred.pk,
        third.pk,
    }
    r = op(buyer_api, r, "publish")
    assert r["state"] == "open" and r["published_at"]
    url = f"/rfqs/{r['id']}"
    hq = buyer_api.post(
        f"{url}/quotes",
        quote_body(
            r,
            shop.huaqiang,
            ["0.013711", "3.213311"],
            payment_days=30,
            notes="含运费",
            valid_until="2031-01-31",
        ),
    )
    answered = ok(hq, 201)
    assert set(answered) == RECEIVED and answered["state"] == "sealed" and answered["round"] == 1
    assert answered["supplier"] == {"id": shop.huaqiang.pk, "name": shop.huaqiang.name}
    sealed_nowhere(hq)
    for party, prices in ((shop.preferred, ["0.012911", "3.471111"]), (third, ["0.015111", None])):
        resp = buyer_api.post(f"{url}/quotes", quote_body(r, party, prices, payment_days=60))
        assert set(ok(resp, 201)) == RECEIVED
        sealed_nowhere(resp)
    assert not SupplierQuoteLine.objects.filter(quote__rfq_id=r["id"]).exists()
    got = buyer_api.get(url)
    sealed_nowhere(got)
    r = ok(got)
    assert r["version"] == 5  # quotes leave the version alone
    assert len(r["quotes"]) == 3 and all(set(q) == RECEIVED and q["state"] == "sealed" for q in r["quotes"])
    assert all(i["answered_at"] and i["declined_at"] is None for i in r["invitations"])
    refused = buyer_api.get(f"{url}/comparison")
    assert "sealed" in problem(refused, 409)["title"]
    sealed_nowhere(refused)
    # The deadline passes; the buyer opens the quotes.
    past_deadline(Rfq.objects.get(pk=r["id"]))
    r = op(buyer_api, r, "open")
    assert r["state"] == "opened" and r["opened_by"]["id"] == shop.buyer.pk and r["opened_early_reason"] == ""
    readable = text(buyer_api.get(url))
    assert [s for s in SECRETS if s not in readable] == []  # what sealed_nowhere looks for is there now
    mine = next(q for q in r["quotes"] if q["supplier"]["id"] == shop.huaqiang.pk)
    assert set(mine) == RECEIVED | CONTENTS and mine["state"] == "opened"
    assert (mine["currency"], mine["payment_days"], mine["valid_until"], mine["notes"]) == (
        "CNY",
        30,
        "2031-01-31",
        "含运费",
    )
    assert [(x["rfq_line"], D(x["unit_price"])) for x in mine["lines"]] == [
        (r["lines"][0]["id"], D("0.013711")),
        (r["lines"][1]["id"], D("3.213311")),
    ]
    table = ok(buyer_api.get(f"{url}/comparison", {"round": 1}))
    by = {c["supplier"]["id"]: c for c in table["columns"]}
    assert D(by[shop.huaqiang.pk]["total"]) == D("137.11") + D("1606.66") and by[third.pk]["quoted"] == 1
    assert D(by[shop.preferred.pk]["total"]) == D("129.11") + D("1735.56")
    assert table["cheapest_complete"] == by[shop.huaqiang.pk]["quote_id"] and table["version"] == r["version"]
    first, second = table["rows"]
    best = [[c["quote_id"] for c in row["cells"] if c and c["best"]] for row in (first, second)]
    assert best == [[by[shop.preferred.pk]["quote_id"]], [by[shop.huaqiang.pk]["quote_id"]]]
    assert [c is None for c in second["cells"]].count(True) == 1  # the third quoted the first line only
    assert D(first["best_price"]) == D("0.012911") and D(second["best_price"]) == D("3.213311")
    assert sorted(c["rank"] for c in table["columns"]) == [1, 2, 3]
    # The whole to the dearer supplier: a justification is asked for.
    dearer = by[shop.preferred.pk]["quote_id"]
    no_reason = problem(post(buyer_api, r, "award", whole=dearer), 422)
    assert fields(no_reason) == {"reason"} and "lowest total" in no_reason["errors"][0]["message"]
    r = op(buyer_api, r, "award", whole=dearer, reason="华强交期不稳定")
    assert r["state"] == "awarded" and r["award_reason"] == "华强交期不稳定" and r["awarded_at"]
    assert [x["awarded_quote_id"] for x in r["lines"]] == [dearer, dearer]
    made = op(buyer_api, r, "orders", 201)
    assert made["state"] == "ordered" and made["version"] == r["version"] + 1
    (order,) = made["orders"]
    assert order["number"].startswith("PO") and order["supplier"]["id"] == shop.preferred.pk
    po = ok(buyer_api.get(f"/purchase-orders/{order['id']}"))
    assert po["state"] == "draft" and [D(x["unit_price"]) for x in po["lines"]] == [
        D("0.012911"),
        D("3.471111"),
    ]
    assert po["lines"][1]["requested_date"] == "2031-03-02"
    r = ok(buyer_api.get(url))
    assert [x["purchase_order"]["id"] for x in r["lines"]] == [order["id"], order["id"]]


def test_the_openapi_document_has_no_sealed_column(anon_api):
    doc = ok(anon_api.get("/openapi.json"))
    schemas = doc["components"]["schemas"]
    rfq_schemas = {n: s for n, s in schemas.items() if n.startswith("Rfq")}
    assert {"RfqOut", "RfqQuoteOut", "RfqQuoteReceivedOut", "RfqQuoteIn"} <= set(rfq_schemas)
    assert not any("sealed" in (s.get("properties") or {}) for s in rfq_schemas.values())
    assert set(schemas["RfqQuoteReceivedOut"]["properties"]) == RECEIVED


def test_opening_early_is_a_procurement_managers_with_a_reason(buyer_api, shop, api_as):
    rfq = published(shop)
    quote(shop, rfq, shop.huaqiang, ["0.0137", "3.21"])
    r = ok(buyer_api.get(f"/rfqs/{rfq.pk}"))
    denied = problem(post(buyer_api, r, "open", reason="急需"), 403)
    assert "Procurement Manager" in denied["title"]
    pm = api_as(shop.pm)
    assert fields(problem(post(pm, r, "open"), 422)) == {"reason"}
    assert Rfq.objects.get(pk=rfq.pk).state == "open"
    r = op(pm, r, "open", reason="供应商要求提前开标")
    assert r["state"] == "opened" and r["opened_early_reason"] == "供应商要求提前开标"
    assert r["opened_by"]["id"] == shop.pm.pk and set(r["quotes"][0]) == RECEIVED | CONTENTS


def test_a_further_round_keeps_the_first_readable_and_seals_the_second(buyer_api, shop):
    rfq = published(shop)
    quote(shop, rfq, shop.huaqiang, ["0.0137", "3.21"])
    quote(shop, rfq, shop.preferred, ["0.0129", "3.47"])
    rfq = opened(shop, rfq)
    url = f"/rfqs/{rfq.pk}"
    r = ok(buyer_api.get(url))
    problem(post(buyer_api, r, "rounds", deadline=(timezone.now() - dt.timedelta(hours=1)).isoformat()), 422)
    naive = post(buyer_api, r, "rounds", deadline="2031-03-02T17:00:00")
    assert fields(problem(naive, 422)) == {"deadline"}
    r = op(buyer_api, r, "rounds", 201, deadline=later())
    assert r["state"] == "open" and r["round"] == 2 and r["opened_at"] is None
    ok(buyer_api.post(f"{url}/quotes", quote_body(r, shop.huaqiang, ["0.011111", "3.033333"])), 201)
    declined = ok(
        buyer_api.post(f"{url}/declines", {"supplier": shop.preferred.pk, "reason": "产能已满"}), 201
    )
    assert declined["declined_at"] and declined["decline_reason"] == "产能已满"
    decline_again = buyer_api.post(f"{url}/declines", {"supplier": shop.huaqiang.pk})
    assert fields(problem(decline_again, 422)) == {"supplier"}  # it has quoted in this round
    got = buyer_api.get(url)
    assert "0.011111" not in text(got) and "3.033333" not in text(got)
    quotes_ = ok(got)["quotes"]
    assert [(q["round"], q["state"], set(q) >= CONTENTS) for q in quotes_] == [
        (1, "opened", True),
        (1, "opened", True),
        (2, "sealed", False),
    ]
    assert len(ok(buyer_api.get(f"{url}/comparison", {"round": 1}))["columns"]) == 2
    assert "round 2" in problem(buyer_api.get(f"{url}/comparison"), 409)["title"]
    problem(buyer_api.get(f"{url}/comparison", {"round": 2}), 409)
    assert fields(problem(buyer_api.get(f"{url}/comparison", {"round": 3}), 422)) == {"round"}
    assert fields(problem(buyer_api.get(f"{url}/comparison", {"round": 0}), 422)) == {"round"}


def test_scores_on_a_criterion_scored_by_hand(buyer_api, shop):
    rfq = published(shop)
    r = ok(buyer_api.get(f"/rfqs/{rfq.pk}"))
    quote(shop, rfq, shop.huaqiang, ["0.0137", "3.21"])
    quote(shop, rfq, shop.preferred, ["0.0129", "3.47"])
    rfq = opened(shop, rfq)
    r = ok(buyer_api.get(f"/rfqs/{rfq.pk}"))
    price = next(c for c in r["criteria"] if c["kind"] == "price")
    scores_url = f"/rfqs/{rfq.pk}/scores"
    q1, q2 = (q["id"] for q in r["quotes"])
    wrong = buyer_api.put(scores_url, {"version": r["version"], "scores": {str(q1): {str(price["id"]): 50}}})
    assert fields(problem(wrong, 422)) == {f"scores.{q1}.{price['id']}"}  # price is computed, not scored
    too_high = buyer_api.put(scores_url, {"version": r["version"], "scores": {str(q1): {"1": 101}}})
    assert fields(problem(too_high, 422)) == {f"scores.{q1}.1"}
    problem(buyer_api.put(scores_url, {"version": r["version"] - 1, "scores": {}}), 409)
    table = ok(buyer_api.put(scores_url, {"version": r["version"], "scores": {}}))
    assert table["version"] == r["version"] + 1 and {c["quote_id"] for c in table["columns"]} == {q1, q2}


def test_custom_criteria_are_scored_then_weighted(buyer_api, shop):
    criteria = [{"kind": "price", "weight": 60}, {"kind": "quality", "weight": 40}]
    r = created(buyer_api, shop, criteria=criteria)
    (quality,) = (c for c in r["criteria"] if c["kind"] == "quality")
    for party in (shop.huaqiang, shop.preferred):
        r = op(buyer_api, r, "invitations", 201, supplier=party.pk)
    r = op(buyer_api, r, "publish")
    for party, prices in ((shop.huaqiang, ["1", "1"]), (shop.preferred, ["1", "1"])):
        ok(buyer_api.post(f"/rfqs/{r['id']}/quotes", quote_body(r, party, prices)), 201)
    past_deadline(Rfq.objects.get(pk=r["id"]))
    r = op(buyer_api, r, "open")
    hq = next(q["id"] for q in r["quotes"] if q["supplier"]["id"] == shop.huaqiang.pk)
    body = {"version": r["version"], "scores": {str(hq): {str(quality["id"]): 100}}}
    table = ok(buyer_api.put(f"/rfqs/{r['id']}/scores", body))
    col = {c["quote_id"]: c for c in table["columns"]}
    assert {s["criterion_id"]: s["score"] for s in col[hq]["scores"]}[quality["id"]] == "100.0"
    assert col[hq]["rank"] == 1 and D(col[hq]["weighted"]) == 100
    other = next(c for c in table["columns"] if c["quote_id"] != hq)
    assert {s["criterion_id"]: s["score"] for s in other["scores"]}[quality["id"]] is None
