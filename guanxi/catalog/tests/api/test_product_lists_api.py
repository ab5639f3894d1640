"""GET /api/v1/products: filters, ranked search (the exact code first; names by pinyin, initials, traditional
and full-width forms), cursor pages, and a cost that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.catalog.services.products import product_archive
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.tests.api.helpers import ok, problem

pytestmark = pytest.mark.django_db


def _codes(resp_body) -> list[str]:
    return [p["code"] for p in resp_body["items"]]


# Lists ------------------------------------------------------------------------------------------------------


@pytest.fixture
def shelf(staff):
    """Products in a small category tree: Electronics › Resistors, and Services."""
    m = staff.manager
    electronics = make_category(m, "Electronics", "电子")
    resistors = make_category(m, "Resistors", "电阻", parent=electronics)
    services = make_category(m, "Services", "服务")
    make_product(m, "R-100", name_en="Resistor 100 Ω", category=resistors, can_buy=True)
    make_product(m, "E-1", name_en="Breadboard", category=electronics)
    make_product(m, "S-1", name_zh="安装服务", kind="service", category=services)
    make_product(m, "B-1", name_zh="铜线", can_sell=False, can_buy=True)
    old = make_product(m, "OLD-1", name_en="Old cable", category=electronics)
    product_archive(actor=m, product=old)
    return {"electronics": electronics, "resistors": resistors, "services": services}


def test_list_filters(api_as, staff, shelf):
    api = api_as(staff.rep)
    assert sorted(_codes(ok(api.get("/products")))) == ["B-1", "E-1", "R-100", "S-1"]
    assert sorted(_codes(ok(api.get("/products", {"category": shelf["electronics"].pk})))) == ["E-1", "R-100"]
    assert _codes(ok(api.get("/products", {"category": shelf["resistors"].pk}))) == ["R-100"]
    assert _codes(ok(api.get("/products", {"kind": "service"}))) == ["S-1"]
    assert _codes(ok(api.get("/products", {"sold": "false"}))) == ["B-1"]
    assert sorted(_codes(ok(api.get("/products", {"bought": "true"})))) == ["B-1", "R-100"]
    assert _codes(ok(api.get("/products", {"state": "archived"}))) == ["OLD-1"]
    assert sorted(
        _codes(ok(api.get("/products", {"state": "all", "category": shelf["electronics"].pk})))
    ) == [
        "E-1",
        "OLD-1",
        "R-100",
    ]
    assert _codes(ok(api.get("/products", {"category": 999999}))) == []
    # Names sort by pinyin among Latin names: 安装服务 (an…) before Breadboard, 铜线 (tong…) after Resistor.
    assert _codes(ok(api.get("/products", {"sort": "name"}))) == ["S-1", "E-1", "R-100", "B-1"]
    assert _codes(ok(api.get("/products", {"sort": "-code"}))) == ["S-1", "R-100", "E-1", "B-1"]
    first = ok(api.get("/products", {"category": shelf["resistors"].pk}))["items"][0]
    assert first["category"]["code"] == "Electronics / Resistors"


@pytest.mark.parametrize(
    "query",
    [
        {"state": "gone"},
        {"kind": "gadget"},
        {"sort": "price"},
        {"limit": 0},
        {"limit": 500},
        {"q": "x" * 101},
    ],
)
def test_bad_list_parameters_are_422(api_as, staff, query):
    problem(api_as(staff.rep).get("/products", query), 422)


def test_search_puts_the_exact_code_first(api_as, staff):
    m = staff.manager
    make_product(m, "AB-10", name_en="Alpha bracket")  # code starts with it
    make_product(m, "X-7", name_en="Adapter for AB-1")  # name contains it
    make_product(m, "AB-1", name_en="Zebra clamp")  # the exact code, last by name
    make_product(m, "AB-100", name_en="Beta bracket")
    make_product(m, "Q-1", name_en="Unrelated")
    found = ok(api_as(staff.rep).get("/products", {"q": "ab-1"}))
    assert _codes(found)[0] == "AB-1"
    assert set(_codes(found)[1:3]) == {"AB-10", "AB-100"}
    assert _codes(found)[3:] == ["X-7"] and found["truncated"] is False
    assert _codes(ok(api_as(staff.rep).get("/products", {"q": "ＡＢ－１"})))[0] == "AB-1"


@pytest.mark.parametrize("typed", ["不锈钢", "不銹鋼螺絲", "buxiugang", "bxg", "ＢＸＧ", "BXGLS", "M4"])
def test_search_by_name_pinyin_initials_and_variants(api_as, staff, typed):
    make_product(staff.manager, "GX-1001", name_zh="不锈钢螺丝 M4", name_en="Stainless screw M4")
    make_product(staff.manager, "GX-2002", name_zh="铜线", name_en="Copper wire")
    assert _codes(ok(api_as(staff.rep).get("/products", {"q": typed}))) == ["GX-1001"]


def test_cursor_pages_walk_the_list_forwards_and_back(api_as, staff):
    for i in range(7):
        make_product(staff.manager, f"P-{i}", name_en=f"Part {i:02d}")
    api = api_as(staff.rep)
    seen, cursor, pages = [], None, []
    while True:
        page = ok(api.get("/products", {"limit": 3, **({"cursor": cursor} if cursor else {})}))
        pages.append(page)
        seen += _codes(page)
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert seen == [f"P-{i}" for i in range(7)]
    assert pages[0]["prev_cursor"] is None
    back = ok(api.get("/products", {"limit": 3, "cursor": pages[2]["prev_cursor"]}))
    assert _codes(back) == _codes(pages[1])
    problem(api.get("/products", {"cursor": "not-a-cursor"}), 422)


def test_list_queries_do_not_grow_with_rows(api_as, staff, django_assert_max_num_queries):
    cat = make_category(staff.manager, "Fasteners")
    api = api_as(staff.rep)

    def add(n, start):
        for i in range(start, start + n):
            make_product(
                staff.manager,
                f"Q-{i:03d}",
                name_en=f"Part {i}",
                category=cat,
                tax_rate="vat13",
                purchase_unit="box12",
                prices=[{"currency": "CNY", "amount": "1.5"}, {"currency": "USD", "amount": "0.2"}],
            )

    add(3, 0)
    with CaptureQueriesContext(connection) as small:
        assert len(ok(api.get("/products"))["items"]) == 3
    add(27, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(ok(api.get("/products"))["items"]) == 30
    assert len(small.captured_queries) <= 12
