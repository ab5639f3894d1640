"""/api/v1/products: list filters, ranked search, cursor pages, create (with and without a code), partial
changes with optimistic locking, archive/restore, field errors (problem+json) and who may do what."""

import re

import pytest

from guanxi.catalog.models import Product
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.core.tests.factories import make_company

pytestmark = pytest.mark.django_db


def _codes(resp_body) -> list[str]:
    return [p["code"] for p in resp_body["items"]]


def _full(api, **extra):
    body = {
        "code": "GX-1001",
        "kind": "product",
        "name_en": "Stainless steel screw M4",
        "name_zh": "不锈钢螺丝 M4",
        "description": "A2-70, DIN 912",
        "unit": "pcs",
        "purchase_unit": "box12",
        "tax_rate": "vat13",
        "can_sell": True,
        "can_buy": True,
        "prices": [{"currency": "CNY", "amount": "0.35"}, {"currency": "USD", "amount": "0.05"}],
        **extra,
    }
    return ok(api.post("/products", body), 201)


# Create and read ---------------------------------------------------------------------------------------------


def test_create_with_a_code_and_read_it_back(api_as, staff):
    api = api_as(staff.manager)
    cat = make_category(staff.manager, "Fasteners", "紧固件")
    p = _full(api, category_id=cat.pk)
    assert p["code"] == "GX-1001" and p["version"] == 1 and p["archived"] is False
    assert p["unit"]["code"] == "pcs" and p["purchase_unit"]["code"] == "box12"
    assert p["tax_rate"]["code"] == "vat13"
    assert p["category"] == {"id": cat.pk, "code": "Fasteners", "name": "Fasteners"}
    assert p["prices"] == [{"currency": "CNY", "amount": "0.35"}, {"currency": "USD", "amount": "0.05"}]
    assert p["url"] == f"/catalogue/{p['id']}/"
    again = ok(api.get(f"/products/{p['id']}"))
    assert again == p
    zh = ok(api.get(f"/products/{p['id']}", headers={"Accept-Language": "zh-hans"}))
    assert zh["name"] == "不锈钢螺丝 M4"


def test_a_new_product_starts_with_the_piece_sold_only(api_as, staff):
    p = ok(
        api_as(staff.manager).post("/products", {"code": "S-1", "name_zh": "安装服务", "kind": "service"}),
        201,
    )
    assert p["unit"]["code"] == "pcs" and p["can_sell"] is True and p["can_buy"] is False
    assert p["kind"] == "service" and p["prices"] == [] and p["category"] is None


def test_a_blank_code_takes_a_number_only_once_a_company_exists(api_as, staff):
    api = api_as(staff.manager)
    refused = problem(api.post("/products", {"name_zh": "螺母"}), 422)
    assert fields(refused) == {"code"}
    assert not Product.objects.exists()
    make_company(staff.admin)
    first = ok(api.post("/products", {"name_zh": "螺母"}), 201)
    second = ok(api.post("/products", {"name_en": "Washer", "code": "  "}), 201)
    assert re.fullmatch(r"P\d{5}", first["code"]), first["code"]
    assert re.fullmatch(r"P\d{5}", second["code"]) and second["code"] > first["code"]


def test_codes_are_unique_whatever_their_width_or_case(api_as, staff):
    api = api_as(staff.manager)
    ok(api.post("/products", {"code": "GX-1001", "name_en": "Screw"}), 201)
    dup = problem(api.post("/products", {"code": "ｇｘ－１００１", "name_en": "Other screw"}), 422)
    assert fields(dup) == {"code"}
    assert Product.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"prices": [{"currency": "XYZ", "amount": "1"}]}, "prices"),
        ({"prices": [{"currency": "CNY", "amount": "-1.00"}]}, "prices"),
        ({"prices": [{"currency": "CNY", "amount": "abc"}]}, "prices"),
        ({"prices": [{"currency": "CNY", "amount": "1"}, {"currency": "cny", "amount": "2"}]}, "prices"),
        ({"unit": "pcs", "purchase_unit": "kg"}, "purchase_unit"),
        ({"unit": "furlong"}, "unit"),
        ({"tax_rate": "vat99"}, "tax_rate"),
        ({"category_id": 999999}, "category"),
        ({"name_en": "", "name_zh": ""}, "name_en"),
        ({"can_sell": False, "can_buy": False}, "can_sell"),
        ({"kind": "gadget"}, "kind"),
        ({"name_en": "bad\x00name"}, "name_en"),
    ],
)
def test_bad_input_is_422_with_the_field_named(api_as, staff, change, field):
    body = {"code": "E-1", "name_en": "Thing", **change}
    data = problem(api_as(staff.manager).post("/products", body), 422)
    assert field in fields(data), data
    assert not Product.objects.exists()


def test_unknown_fields_are_refused(api_as, staff):
    data = problem(
        api_as(staff.manager).post("/products", {"code": "E-1", "name_en": "x", "colour": "red"}), 422
    )
    assert "colour" in fields(data)


# Change -----------------------------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_given(api_as, staff):
    api = api_as(staff.manager)
    cat = make_category(staff.manager, "Fasteners")
    p = _full(api, category_id=cat.pk)
    changed = ok(api.patch(f"/products/{p['id']}", {"version": 1, "name_en": "Screw M4 (A2)"}))
    assert changed["version"] == 2 and changed["name_en"] == "Screw M4 (A2)"
    for key in (
        "code",
        "kind",
        "name_zh",
        "description",
        "category",
        "unit",
        "purchase_unit",
        "tax_rate",
        "can_sell",
        "can_buy",
        "prices",
    ):
        assert changed[key] == p[key], key
    # Prices, when given, are the whole new set.
    priced = ok(
        api.patch(f"/products/{p['id']}", {"version": 2, "prices": [{"currency": "EUR", "amount": "0.04"}]})
    )
    assert (
        priced["prices"] == [{"currency": "EUR", "amount": "0.04"}]
        and priced["description"] == p["description"]
    )
    # An explicit null clears what may be empty; the rest stays.
    cleared = ok(api.patch(f"/products/{p['id']}", {"version": 3, "tax_rate": None, "category_id": None}))
    assert cleared["tax_rate"] is None and cleared["category"] is None
    assert cleared["purchase_unit"]["code"] == "box12" and cleared["prices"] == priced["prices"]


def test_a_patch_that_changes_nothing_keeps_the_version(api_as, staff):
    api = api_as(staff.manager)
    p = _full(api)
    same = ok(
        api.patch(f"/products/{p['id']}", {"version": 1, "name_en": p["name_en"], "prices": p["prices"]})
    )
    assert same["version"] == 1


def test_a_stale_version_is_409_and_changes_nothing(api_as, staff):
    api = api_as(staff.manager)
    p = _full(api)
    ok(api.patch(f"/products/{p['id']}", {"version": 1, "name_en": "First"}))
    problem(api.patch(f"/products/{p['id']}", {"version": 1, "name_en": "Second"}), 409)
    assert ok(api.get(f"/products/{p['id']}"))["name_en"] == "First"


def test_patch_errors_name_the_field(api_as, staff):
    api = api_as(staff.manager)
    p = _full(api)
    bad = problem(api.patch(f"/products/{p['id']}", {"version": 1, "purchase_unit": "t"}), 422)
    assert fields(bad) == {"purchase_unit"}
    other = _full(api, code="GX-2002")
    taken = problem(api.patch(f"/products/{other['id']}", {"version": 1, "code": "gx-1001"}), 422)
    assert fields(taken) == {"code"}
    missing = problem(api.patch(f"/products/{p['id']}", {"name_en": "no version"}), 422)
    assert "version" in fields(missing)
    assert ok(api.get(f"/products/{p['id']}"))["version"] == 1


def test_archive_and_restore(api_as, staff):
    api = api_as(staff.manager)
    p = _full(api)
    archived = ok(api.post(f"/products/{p['id']}/archive", {"version": 1}))
    assert archived["archived"] is True and archived["version"] == 2
    assert _codes(ok(api.get("/products"))) == []
    assert _codes(ok(api.get("/products", {"state": "archived"}))) == ["GX-1001"]
    assert _codes(ok(api.get("/products", {"state": "all"}))) == ["GX-1001"]
    problem(api.post(f"/products/{p['id']}/restore", {"version": 1}), 409)
    restored = ok(api.post(f"/products/{p['id']}/restore", {"version": 2}))
    assert restored["archived"] is False and restored["version"] == 3
    assert _codes(ok(api.get("/products"))) == ["GX-1001"]


def test_unknown_product_is_404(api_as, staff):
    api = api_as(staff.manager)
    problem(api.get("/products/999999"), 404)
    problem(api.patch("/products/999999", {"version": 1, "name_en": "x"}), 404)
    problem(api.post("/products/999999/archive", {"version": 1}), 404)


# Who may ----------------------------------------------------------------------------------------------------


def test_a_representative_reads_but_does_not_write(api_as, staff):
    p = make_product(staff.manager, "GX-1", name_en="Screw")
    rep = api_as(staff.rep)
    assert _codes(ok(rep.get("/products"))) == ["GX-1"]
    ok(rep.get(f"/products/{p.pk}"))
    problem(rep.post("/products", {"code": "GX-2", "name_en": "Nut"}), 403)
    problem(rep.patch(f"/products/{p.pk}", {"version": 1, "name_en": "Bolt"}), 403)
    problem(rep.post(f"/products/{p.pk}/archive", {"version": 1}), 403)
    problem(rep.post("/products/import", {"csv": "Code,Name (English)\nX-1,Nut\n", "apply": True}), 403)
    problem(rep.post("/product-categories", {"name_en": "Tools"}), 403)
    problem(
        rep.post("/units", {"code": "box6", "name_en": "box of 6", "category": "count", "factor": "6"}), 403
    )
    p.refresh_from_db()
    assert p.name_en == "Screw" and p.version == 1 and Product.objects.count() == 1


def test_a_buyer_changes_products_but_not_the_setup(api_as, staff):
    buyer = api_as(staff.buyer)
    ok(buyer.post("/products", {"code": "B-1", "name_zh": "钢板", "can_buy": True, "can_sell": False}), 201)
    problem(buyer.post("/product-categories", {"name_en": "Steel"}), 403)
    problem(
        buyer.post("/units", {"code": "box6", "name_en": "box of 6", "category": "count", "factor": "6"}), 403
    )


def test_a_user_without_a_role_is_403(api_as, staff):
    make_product(staff.manager, "GX-1", name_en="Screw")
    nobody = api_as(staff.nobody)
    problem(nobody.get("/products"), 403)
    problem(nobody.get("/product-categories"), 403)
    problem(nobody.get("/units"), 403)
    problem(nobody.post("/products", {"code": "GX-2", "name_en": "Nut"}), 403)


def test_without_credentials_is_401(anon_api, staff):
    p = make_product(staff.manager, "GX-1", name_en="Screw")
    problem(anon_api.get("/products"), 401)
    problem(anon_api.get(f"/products/{p.pk}"), 401)
    problem(anon_api.post("/products", {"code": "GX-2", "name_en": "Nut"}), 401)
    problem(anon_api.get("/units"), 401)


def test_a_read_token_cannot_write(api_as, staff):
    read = api_as(staff.manager, scope="read")
    ok(read.get("/products"))
    resp = read.post("/products", {"code": "GX-2", "name_en": "Nut"})
    assert resp.status_code == 403
    assert not Product.objects.exists()


def test_a_price_in_a_currency_no_longer_used_survives_a_round_trip(api_as, staff):
    """A product keeps its price in a currency turned off since: sending back the prices as read (with a
    change to another one) must not be refused. A new price in that currency is."""
    from guanxi.core.models import Currency
    from guanxi.core.services.money import currency_update

    api = api_as(staff.manager)
    p = _full(api, prices=[{"currency": "CNY", "amount": "5"}, {"currency": "EUR", "amount": "0.70"}])
    eur = Currency.objects.get(code="EUR")
    currency_update(actor=staff.admin, currency=eur, version=eur.version, active=False)
    read = ok(api.get(f"/products/{p['id']}"))
    assert read["prices"] == [{"currency": "CNY", "amount": "5"}, {"currency": "EUR", "amount": "0.7"}]
    # Without prices in the change, they stay.
    renamed = ok(api.patch(f"/products/{p['id']}", {"version": 1, "name_en": "Bracket"}))
    assert renamed["prices"] == read["prices"]
    # A new product cannot start with a price in it.
    refused = problem(
        api.post(
            "/products", {"code": "N-1", "name_en": "New", "prices": [{"currency": "EUR", "amount": "1"}]}
        ),
        422,
    )
    assert fields(refused) == {"prices"}
    # The whole set as read, with CNY changed: EUR is kept.
    prices = [{"currency": "CNY", "amount": "6"}, {"currency": "EUR", "amount": "0.7"}]
    changed = ok(api.patch(f"/products/{p['id']}", {"version": 2, "prices": prices}))
    assert changed["prices"] == prices
