"""/api/v1/supplier-prices: record a supplier's price with its quantity breaks (never edited: a new price ends the
earlier ones it overlaps, and the history keeps them), the current prices and every one not replaced, the
history of a supplier's price for a product; field errors, who may read and who may record, pages whose
cost does not grow with their rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.procurement.models import SupplierPrice
from guanxi.procurement.services.prices import supplier_price_record

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def buyer_api(shop, api_as):
    return api_as(shop.buyer)


def price(shop, **data) -> dict:
    return {"supplier_id": shop.huaqiang.pk, "product_id": shop.resistor.pk, "unit_price": "0.05", **data}


def recorded(api, shop, **data) -> dict:
    return ok(api.post("/supplier-prices", price(shop, **data)), 201)


def test_record_a_price_with_its_breaks(buyer_api, shop):
    p = recorded(
        buyer_api,
        shop,
        supplier_code="HQ-R10K",
        min_quantity="1000",
        lead_time_days=14,
        valid_until="2099-12-31",
        note="含税13%",
        breaks=[
            {"min_quantity": "50000", "unit_price": "0.03"},
            {"min_quantity": "10000", "unit_price": "0.04"},
        ],
    )
    assert p["supplier"] == {"id": shop.huaqiang.pk, "name": shop.huaqiang.name} and p["currency"] == "CNY"
    assert p["product"]["id"] == shop.resistor.pk and p["product"]["code"] == "R-0603-10K"
    assert D(p["unit_price"]) == D("0.05") and D(p["min_quantity"]) == 1000 and p["lead_time_days"] == 14
    assert p["valid_from"] == timezone.localdate().isoformat() and p["valid_until"] == "2099-12-31"
    assert p["supplier_code"] == "HQ-R10K" and p["note"] == "含税13%" and p["replaced_at"] is None
    assert p["created_by"]["id"] == shop.buyer.pk
    assert [(D(b["min_quantity"]), D(b["unit_price"])) for b in p["breaks"]] == [
        (10000, D("0.04")),
        (50000, D("0.03")),
    ]
    assert ok(buyer_api.get("/supplier-prices"))["items"] == [p]


def test_a_new_price_ends_the_earlier_and_the_history_keeps_it(buyer_api, shop):
    today = timezone.localdate()
    first = recorded(buyer_api, shop, unit_price="0.05")
    second = recorded(buyer_api, shop, unit_price="0.045")  # the same start: the first is replaced
    later = (today + dt.timedelta(days=30)).isoformat()
    third = recorded(buyer_api, shop, unit_price="0.04", valid_from=later)  # cuts the second short
    usd = recorded(buyer_api, shop, unit_price="0.007", currency="USD")  # another currency: untouched
    current = ok(buyer_api.get("/supplier-prices", {"product": shop.resistor.pk}))["items"]
    assert {(x["id"], x["valid_until"]) for x in current} == {
        (second["id"], (today + dt.timedelta(days=29)).isoformat()),
        (usd["id"], None),
    }
    not_replaced = ok(buyer_api.get("/supplier-prices", {"current": "false"}))["items"]
    assert {x["id"] for x in not_replaced} == {second["id"], third["id"], usd["id"]}
    history = ok(
        buyer_api.get("/supplier-prices/history", {"supplier": shop.huaqiang.pk, "product": shop.resistor.pk})
    )["items"]
    assert [x["id"] for x in history] == [usd["id"], third["id"], second["id"], first["id"]]
    replaced = history[-1]
    assert replaced["replaced_at"] and D(replaced["unit_price"]) == D("0.05")
    assert SupplierPrice.objects.count() == 4  # nothing deleted, nothing edited but its end


def test_filters_and_pages(buyer_api, shop, api_as):
    a = recorded(buyer_api, shop)
    b = recorded(buyer_api, shop, product_id=shop.carton.pk, unit_price="2.5")
    c = recorded(api_as(shop.pm), shop, supplier_id=shop.preferred.pk, unit_price="0.06")  # not the buyer's
    ids = lambda **q: [x["id"] for x in ok(buyer_api.get("/supplier-prices", q))["items"]]  # noqa: E731
    assert set(ids()) == {a["id"], b["id"], c["id"]}
    assert ids(supplier=shop.preferred.pk) == [c["id"]] and set(ids(product=shop.resistor.pk)) == {
        a["id"],
        c["id"],
    }
    first = ok(buyer_api.get("/supplier-prices", {"limit": 2}))
    rest = ok(buyer_api.get("/supplier-prices", {"limit": 2, "cursor": first["next_cursor"]}))
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert {x["id"] for x in first["items"] + rest["items"]} == {a["id"], b["id"], c["id"]}
    back = ok(buyer_api.get("/supplier-prices", {"limit": 2, "cursor": rest["prev_cursor"]}))
    assert back["items"] == first["items"]
    assert fields(problem(buyer_api.get("/supplier-prices", {"cursor": "x"}), 422)) == {"cursor"}
    assert fields(
        problem(buyer_api.get("/supplier-prices/history", {"supplier": shop.huaqiang.pk}), 422)
    ) == {"product"}
    assert fields(problem(buyer_api.get("/supplier-prices", {"current": "maybe"}), 422)) == {"current"}


def test_bad_input_is_named_by_field(buyer_api, shop):
    def refused(**data) -> set[str]:
        return fields(problem(buyer_api.post("/supplier-prices", price(shop, **data)), 422))

    assert refused(product_id=shop.sold_only.pk) == {"product"}
    assert refused(product_id=987654) == {"product"}
    assert refused(supplier_id=987654) == {"supplier"}
    assert refused(unit_price="-1") == {"unit_price"}
    assert refused(currency="XYZ") == {"currency"}
    assert refused(valid_from="2031-05-02", valid_until="2031-05-01") == {"valid_until"}
    assert refused(min_quantity="0") == {"min_quantity"}
    low = [{"min_quantity": "100", "unit_price": "0.04"}]
    assert refused(min_quantity="100", breaks=low) == {"breaks[0].min_quantity"}
    twice = [{"min_quantity": "500", "unit_price": "0.04"}, {"min_quantity": "500", "unit_price": "0.03"}]
    assert refused(breaks=twice) == {"breaks[1].min_quantity"}
    assert refused(breaks=[{"min_quantity": "500"}]) == {"breaks.0.unit_price"}
    assert refused(breaks=[{"min_quantity": "1", "unit_price": "1"}] * 21) == {"breaks"}
    assert refused(note="a\x00b") == {"note"}
    assert refused(price_per_kg="1") == {"price_per_kg"}
    assert not SupplierPrice.objects.exists()


def test_who_reads_and_who_records(buyer_api, shop, api_as):
    p = recorded(buyer_api, shop)
    history = {"supplier": shop.huaqiang.pk, "product": shop.resistor.pk}
    rep = api_as(shop.rep)
    for resp in (
        rep.get("/supplier-prices"),
        rep.get("/supplier-prices/history", history),
        rep.post("/supplier-prices", price(shop)),
    ):
        problem(resp, 403)
    boss = api_as(shop.executive)
    assert [x["id"] for x in ok(boss.get("/supplier-prices"))["items"]] == [p["id"]]
    assert [x["id"] for x in ok(boss.get("/supplier-prices/history", history))["items"]] == [p["id"]]
    problem(boss.post("/supplier-prices", price(shop)), 403)
    problem(api_as(shop.buyer, scope="read").post("/supplier-prices", price(shop)), 403)
    # West's buyer may not change East's supplier (the suppliers' edit scope): named, not a 500.
    assert fields(problem(api_as(shop.buyer_west).post("/supplier-prices", price(shop)), 422)) == {"supplier"}
    assert SupplierPrice.objects.count() == 1


def _queries(api, path: str, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = ok(api.get(path, params))
    return len(ctx), len(page["items"])


def test_the_lists_cost_the_same_for_1_and_20_prices(buyer_api, shop):
    history = {"supplier": shop.huaqiang.pk, "product": shop.resistor.pk, "limit": 50}

    def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            supplier_price_record(
                actor=shop.buyer,
                data={
                    "supplier": shop.huaqiang.pk,
                    "product": shop.resistor.pk,
                    "unit_price": f"0.0{i % 9 + 1}",
                    "valid_from": (timezone.localdate() - dt.timedelta(days=40 - i)).isoformat(),
                    "breaks": [{"min_quantity": "1000", "unit_price": "0.01"}],
                },
            )

    add(0, 1)
    _queries(
        buyer_api, "/supplier-prices", {"current": "false"}
    )  # the token's first use writes its last-used time
    few = (
        _queries(buyer_api, "/supplier-prices", {"current": "false"}),
        _queries(buyer_api, "/supplier-prices/history", history),
    )
    add(1, 19)
    many = (
        _queries(buyer_api, "/supplier-prices", {"current": "false"}),
        _queries(buyer_api, "/supplier-prices/history", history),
    )
    assert few[0][1] == few[1][1] == 1 and many[0][1] == many[1][1] == 20  # each cut the one before short
    assert [q for q, _n in many] == [q for q, _n in few], (few, many)
