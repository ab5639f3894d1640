"""/api/v1/price-lists, /customers/{id}/price-list and /price-lookup: the same services as the pages — create
with items, per-row problem+json fields, 409 for a stale version, archive and restore, 403 for a rep who
would manage lists, 404 for a list the caller may not see, the assignment and the price a line would take;
a list whose cost does not grow with its rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.crm.models import PriceList
from guanxi.crm.tests.pricing_support import make_list

pytestmark = pytest.mark.django_db
D = Decimal


def body(goods, **data) -> dict:
    items = [
        {"product_id": goods.switch.pk, "unit_price": "3800"},
        {"product_id": goods.switch.pk, "min_quantity": "10", "unit_price": "3500"},
    ]
    return {"name_en": "Dealers", "name_zh": "经销价", "currency": "CNY", "items": items, **data}


def test_a_manager_creates_reads_updates_and_archives_a_list(world, goods, api_as):
    api = api_as(world.manager)
    pl = ok(api.post("/price-lists", body(goods, valid_from="2026-01-01")), 201)
    assert (pl["name_en"], pl["currency"], pl["version"], pl["archived"]) == ("Dealers", "CNY", 1, False)
    assert [(x["product_code"], D(x["min_quantity"]), D(x["unit_price"])) for x in pl["items"]] == [
        ("SW-48", 0, 3800),
        ("SW-48", 10, 3500),
    ]
    assert ok(api.get(f"/price-lists/{pl['id']}"))["valid_from"] == "2026-01-01"
    changed = ok(api.patch(f"/price-lists/{pl['id']}", {"version": 1, "name_en": "Dealer prices"}))
    assert changed["version"] == 2 and len(changed["items"]) == 2  # items untouched when not given
    stale = problem(api.patch(f"/price-lists/{pl['id']}", {"version": 1, "name_en": "Lost"}), 409)
    assert stale["status"] == 409 and PriceList.objects.get().name_en == "Dealer prices"
    replaced = ok(api.patch(f"/price-lists/{pl['id']}", {"version": 2, "items": []}))
    assert replaced["items"] == []
    assert ok(api.post(f"/price-lists/{pl['id']}/archive"))["archived"] is True
    assert ok(api.get("/price-lists"))["items"] == []
    assert len(ok(api.get("/price-lists", {"state": "archived"}))["items"]) == 1
    assert ok(api.post(f"/price-lists/{pl['id']}/restore"))["archived"] is False


def test_bad_rows_are_named_field_by_field(world, goods, api_as):
    api = api_as(world.manager)
    items = [
        {"product_id": goods.part.pk, "unit_price": "1"},
        {"product_id": goods.switch.pk, "unit_price": "-1"},
        {"product_id": goods.switch.pk, "min_quantity": "5", "unit_price": "1"},
        {"product_id": goods.switch.pk, "min_quantity": "5", "unit_price": "2"},
    ]
    data = problem(api.post("/price-lists", body(goods, items=items)), 422)
    assert fields(data) == {"items.1.unit_price"}  # the schema refuses a negative price before the service
    data = problem(api.post("/price-lists", body(goods, items=[items[0], items[2], items[3]])), 422)
    assert fields(data) == {"items[0].product", "items[2].min_quantity"}
    data = problem(
        api.post(
            "/price-lists", body(goods, currency="EUR", valid_from="2026-02-01", valid_until="2026-01-01")
        ),
        422,
    )
    assert "valid_until" in fields(data)
    assert not PriceList.objects.exists()


def test_a_rep_reads_but_does_not_manage(world, goods, api_as):
    general = make_list(world.manager, (goods.switch, 0, "3800"), name="General")
    west = make_list(world.admin, (goods.switch, 0, "1"), name="West", customer=world.west_co.pk)
    api = api_as(world.rep)
    assert [x["name"] for x in ok(api.get("/price-lists"))["items"]] == ["General"]
    problem(api.get(f"/price-lists/{west.pk}"), 404)
    problem(api.post("/price-lists", body(goods)), 403)
    problem(api.patch(f"/price-lists/{general.pk}", {"version": 1, "name_en": "Mine"}), 403)
    problem(api.post(f"/price-lists/{general.pk}/archive"), 403)
    problem(api_as(world.service).get("/price-lists"), 403)


def test_assigning_and_looking_up_a_price(world, goods, api_as):
    pl = make_list(world.manager, (goods.switch, 1, "3800"), (goods.switch, 10, "3500"), name="Volume")
    api = api_as(world.rep)
    url = f"/customers/{world.huawei.pk}/price-list"
    assert ok(api.get(url)) == {"customer_id": world.huawei.pk, "price_list": None}
    assert ok(api.put(url, {"price_list_id": pl.pk}))["price_list"] == {"id": pl.pk, "name": "Volume"}
    query = {
        "customer_id": world.huawei.pk,
        "currency": "CNY",
        "product_id": goods.switch.pk,
        "quantity": "12",
    }
    assert ok(api.get("/price-lookup", query)) == {
        "unit_price": "3500.000000",
        "currency": "CNY",
        "source": "price_list",
        "price_list": {"id": pl.pk, "name": "Volume"},
    }
    found = ok(api.get("/price-lookup", {**query, "quantity": "0.5"}))
    assert (found["source"], D(found["unit_price"])) == ("catalogue", D("3999.99"))
    none = ok(api.get("/price-lookup", {**query, "currency": "EUR"}))
    assert (none["source"], none["unit_price"]) == ("none", None)
    assert "product_id" in fields(
        problem(api.get("/price-lookup", {**query, "product_id": goods.part.pk}), 422)
    )
    problem(api_as(world.rep_west).get("/price-lookup", query), 404)  # a customer West's rep cannot see
    problem(api_as(world.rep_west).put(url, {"price_list_id": None}), 404)
    problem(api_as(world.executive).put(url, {"price_list_id": None}), 403)
    assert ok(api.put(url, {"price_list_id": None}))["price_list"] is None


def test_the_list_costs_the_same_for_3_and_30_lists(world, goods, api_as, django_assert_max_num_queries):
    api = api_as(world.rep)
    ok(api.get("/price-lists"))  # the token's first use is written once
    for i in range(3):
        make_list(world.manager, (goods.switch, 0, "1"), (goods.cable, 5, "2"), name=f"List {i}")
    with django_assert_max_num_queries(12) as small:
        assert len(ok(api.get("/price-lists"))["items"]) == 3
    for i in range(3, 30):
        make_list(world.manager, (goods.switch, 0, "1"), (goods.cable, 5, "2"), name=f"List {i}")
    with django_assert_max_num_queries(12) as big:
        assert len(ok(api.get("/price-lists"))["items"]) == 30
    assert len(big.captured_queries) == len(small.captured_queries)
