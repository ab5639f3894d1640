"""/api/v1/product-categories and /units: the category tree (create, move with everything below, no cycles,
sibling names unique however they are written) and units of measure (create, convert, round half up)."""

import pytest

from guanxi.catalog.models import Category, Unit
from guanxi.catalog.tests.factories import make_product
from guanxi.core.tests.api.helpers import fields, ok, problem

pytestmark = pytest.mark.django_db


def _tree(api) -> dict[str, dict]:
    return {c["name_en"] or c["name_zh"]: c for c in ok(api.get("/product-categories"))}


# Categories -------------------------------------------------------------------------------------------------


def test_create_a_category_tree(api_as, staff):
    api = api_as(staff.manager)
    top = ok(api.post("/product-categories", {"name_en": "Electronics", "name_zh": "电子"}), 201)
    assert (
        top["parent_id"] is None
        and top["depth"] == 0
        and top["path"] == "Electronics"
        and top["version"] == 1
    )
    child = ok(api.post("/product-categories", {"name_en": "Resistors", "parent_id": top["id"]}), 201)
    assert child["parent_id"] == top["id"] and child["depth"] == 1
    assert child["path"] == "Electronics / Resistors"
    zh = ok(api.get("/product-categories", headers={"Accept-Language": "zh-hans"}))
    assert [c["path"] for c in zh] == ["电子", "电子 / Resistors"]
    assert [c["name"] for c in ok(api_as(staff.rep).get("/product-categories"))] == [
        "Electronics",
        "Resistors",
    ]


def test_a_category_needs_a_name_and_a_real_parent(api_as, staff):
    api = api_as(staff.manager)
    assert "name_en" in fields(problem(api.post("/product-categories", {"name_en": "  "}), 422))
    assert fields(problem(api.post("/product-categories", {"name_en": "X", "parent_id": 999999}), 422)) == {
        "parent"
    }
    assert not Category.objects.exists()


def test_move_a_category_with_everything_below_it(api_as, staff):
    api = api_as(staff.manager)
    a = ok(api.post("/product-categories", {"name_en": "Electronics"}), 201)
    b = ok(api.post("/product-categories", {"name_en": "Components", "parent_id": a["id"]}), 201)
    c = ok(api.post("/product-categories", {"name_en": "Resistors", "parent_id": b["id"]}), 201)
    parts = ok(api.post("/product-categories", {"name_en": "Parts"}), 201)
    product = make_product(
        staff.manager, "R-1", name_en="Resistor", category=Category.objects.get(pk=c["id"])
    )

    moved = ok(api.patch(f"/product-categories/{b['id']}", {"version": 1, "parent_id": parts["id"]}))
    assert (
        moved["parent_id"] == parts["id"] and moved["version"] == 2 and moved["path"] == "Parts / Components"
    )
    tree = _tree(api)
    assert tree["Resistors"]["path"] == "Parts / Components / Resistors" and tree["Resistors"]["depth"] == 2
    # The products below follow: filtering by the new parent finds them, the old one no longer.
    found = ok(api.get("/products", {"category": parts["id"]}))
    assert [p["code"] for p in found["items"]] == [product.code]
    assert ok(api.get("/products", {"category": a["id"]}))["items"] == []
    # Back to the top level with an explicit null.
    top = ok(api.patch(f"/product-categories/{b['id']}", {"version": 2, "parent_id": None}))
    assert top["parent_id"] is None and top["depth"] == 0
    assert _tree(api)["Resistors"]["path"] == "Components / Resistors"


def test_a_category_cannot_go_under_itself_or_below_it(api_as, staff):
    api = api_as(staff.manager)
    a = ok(api.post("/product-categories", {"name_en": "Electronics"}), 201)
    b = ok(api.post("/product-categories", {"name_en": "Components", "parent_id": a["id"]}), 201)
    c = ok(api.post("/product-categories", {"name_en": "Resistors", "parent_id": b["id"]}), 201)
    for target in (a, b, c):
        refused = problem(
            api.patch(f"/product-categories/{a['id']}", {"version": 1, "parent_id": target["id"]}), 422
        )
        assert fields(refused) == {"parent"}
    tree = _tree(api)
    assert tree["Electronics"]["parent_id"] is None and tree["Electronics"]["version"] == 1
    assert tree["Resistors"]["path"] == "Electronics / Components / Resistors"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"name_zh": "电子元件"}, {"name_zh": "電子元件"}),  # traditional
        ({"name_en": "Resistors"}, {"name_en": "ＲＥＳＩＳＴＯＲＳ"}),  # full-width, other case
        ({"name_en": "Power supplies"}, {"name_en": "power  supplies"}),
        ({"name_zh": "电子元件"}, {"name_zh": "电子元件", "name_en": "Other"}),
    ],
)
def test_sibling_names_are_unique_however_written(api_as, staff, first, second):
    api = api_as(staff.manager)
    parent = ok(api.post("/product-categories", {"name_en": "Top"}), 201)
    ok(api.post("/product-categories", {**first, "parent_id": parent["id"]}), 201)
    refused = problem(api.post("/product-categories", {**second, "parent_id": parent["id"]}), 422)
    assert fields(refused) & {"name_en", "name_zh"}
    # Under another parent (or at the top) the same name is fine.
    ok(api.post("/product-categories", second), 201)
    assert Category.objects.count() == 3


def test_renaming_onto_a_sibling_is_refused(api_as, staff):
    api = api_as(staff.manager)
    ok(api.post("/product-categories", {"name_zh": "电子元件"}), 201)
    other = ok(api.post("/product-categories", {"name_zh": "机械"}), 201)
    problem(api.patch(f"/product-categories/{other['id']}", {"version": 1, "name_zh": "電子元件"}), 422)
    assert Category.objects.get(pk=other["id"]).name_zh == "机械"


def test_moving_next_to_a_namesake_is_refused(api_as, staff):
    api = api_as(staff.manager)
    a = ok(api.post("/product-categories", {"name_en": "A"}), 201)
    ok(api.post("/product-categories", {"name_en": "Cables", "parent_id": a["id"]}), 201)
    loose = ok(api.post("/product-categories", {"name_en": "CABLES"}), 201)
    problem(api.patch(f"/product-categories/{loose['id']}", {"version": 1, "parent_id": a["id"]}), 422)
    assert Category.objects.get(pk=loose["id"]).parent_id is None


def test_a_stale_category_version_is_409(api_as, staff):
    api = api_as(staff.manager)
    a = ok(api.post("/product-categories", {"name_en": "Tools"}), 201)
    ok(api.patch(f"/product-categories/{a['id']}", {"version": 1, "name_zh": "工具"}))
    problem(api.patch(f"/product-categories/{a['id']}", {"version": 1, "name_zh": "器具"}), 409)
    assert Category.objects.get(pk=a["id"]).name_zh == "工具"


# Units ------------------------------------------------------------------------------------------------------


def test_the_shipped_units_are_listed_by_category(api_as, staff):
    units = ok(api_as(staff.rep).get("/units"))
    codes = [u["code"] for u in units]
    for code in ("pcs", "box12", "kg", "g", "t", "m", "l", "h"):
        assert code in codes
    by_code = {u["code"]: u for u in units}
    assert by_code["box12"]["factor"] == "12" and by_code["box12"]["category"] == "count"
    assert by_code["g"]["factor"] == "0.001" and by_code["t"]["decimal_places"] == 3
    weight = [u["code"] for u in units if u["category"] == "weight"]
    assert weight[:4] == ["g", "jin", "kg", "t"]  # smallest first within a category


def test_create_a_unit_and_convert_with_it(api_as, staff):
    api = api_as(staff.manager)
    box6 = ok(
        api.post(
            "/units",
            {
                "code": "box6",
                "name_en": "box of 6",
                "name_zh": "箱（6个）",
                "category": "count",
                "factor": "6",
            },
        ),
        201,
    )
    assert box6["factor"] == "6" and box6["category"] == "count" and box6["active"] is True
    conv = ok(api.get("/units/convert", {"quantity": "2", "from": "box6", "to": "box12"}))
    assert conv["result"] == "1" and conv["exact"] == "1"
    dup = problem(
        api.post("/units", {"code": "BOX6", "name_en": "again", "category": "count", "factor": "6"}), 422
    )
    assert fields(dup) == {"code"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"factor": "0"}, "factor"),
        ({"factor": "-2"}, "factor"),
        ({"factor": "lots"}, "factor"),
        ({"category": "colour"}, "category"),
        ({"code": "箱"}, "code"),
    ],
)
def test_bad_units_are_422_with_the_field_named(api_as, staff, body, field):
    base = {"code": "box6", "name_en": "box of 6", "category": "count", "factor": "6"}
    assert field in fields(problem(api_as(staff.manager).post("/units", {**base, **body}), 422))
    assert not Unit.objects.filter(name_en="box of 6").exists()


def test_convert_boxes_to_pieces(api_as, staff):
    conv = ok(api_as(staff.rep).get("/units/convert", {"quantity": "2", "from": "box12", "to": "pcs"}))
    assert conv == {"quantity": "2", "from_unit": "box12", "to_unit": "pcs", "result": "24", "exact": "24"}


def test_convert_kilograms_to_tonnes_rounds_half_up(api_as, staff):
    api = api_as(staff.rep)
    conv = ok(api.get("/units/convert", {"quantity": "1234.5", "from": "kg", "to": "t"}))
    assert conv["exact"] == "1.2345" and conv["result"] == "1.235"  # half up, not half even (1.234)
    assert ok(api.get("/units/convert", {"quantity": "1500", "from": "KG", "to": "t"}))["result"] == "1.500"
    assert ok(api.get("/units/convert", {"quantity": "1.5", "from": "t", "to": "kg"}))["result"] == "1500.000"


def test_convert_across_categories_is_422(api_as, staff):
    api = api_as(staff.rep)
    refused = problem(api.get("/units/convert", {"quantity": "1", "from": "kg", "to": "pcs"}), 422)
    assert fields(refused) == {"unit"}
    assert fields(
        problem(api.get("/units/convert", {"quantity": "1", "from": "furlong", "to": "m"}), 422)
    ) == {"from"}
    assert "quantity" in fields(
        problem(api.get("/units/convert", {"quantity": "many", "from": "kg", "to": "t"}), 422)
    )
    assert "quantity" in fields(
        problem(api.get("/units/convert", {"quantity": "NaN", "from": "kg", "to": "t"}), 422)
    )


def test_a_unit_in_use_keeps_its_category(api_as, staff):
    api = api_as(staff.manager)
    box6 = ok(
        api.post("/units", {"code": "box6", "name_en": "box of 6", "category": "count", "factor": "6"}), 201
    )
    make_product(staff.manager, "B-6", name_en="Eggs", unit="box6")
    refused = problem(api.patch(f"/units/{box6['id']}", {"version": 1, "category": "weight"}), 422)
    assert fields(refused) == {"category"}
    renamed = ok(api.patch(f"/units/{box6['id']}", {"version": 1, "name_zh": "盒（6个）"}))
    assert renamed["name_zh"] == "盒（6个）" and renamed["version"] == 2 and renamed["factor"] == "6"
    problem(api.patch(f"/units/{box6['id']}", {"version": 1, "name_zh": "x"}), 409)


def test_a_turned_off_unit_cannot_be_picked_for_a_new_product(api_as, staff):
    api = api_as(staff.manager)
    jin = Unit.objects.get(code="jin")
    ok(api.patch(f"/units/{jin.pk}", {"version": jin.version, "active": False}))
    refused = problem(api.post("/products", {"code": "J-1", "name_zh": "大米", "unit": "jin"}), 422)
    assert fields(refused) == {"unit"}
