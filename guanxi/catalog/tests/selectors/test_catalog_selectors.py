from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.catalog.models import Unit
from guanxi.catalog.selectors import catalog as sel
from guanxi.catalog.services import products as svc
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.exceptions import PermissionDeniedError

pytestmark = pytest.mark.django_db


def _codes(actor, **filters) -> list[str]:
    results = sel.product_results(actor=actor, filters=sel.ProductFilters(**filters))
    return [p.code for p in results.qs.order_by(*results.ordering)]


@pytest.fixture
def goods(staff):
    screws = make_category(staff.admin, "Screws", "螺丝")
    m3 = make_category(staff.admin, "M3", parent=screws.pk)
    return {
        "screw": make_product(staff.manager, "GX-1001", "不锈钢螺丝", "Stainless screw", category=m3.pk),
        "bolt": make_product(staff.manager, "GX-10", "螺栓", "Bolt", category=screws.pk, can_buy=True),
        "install": make_product(
            staff.manager, "SV-1", "安装服务", "Installation", kind="service", can_sell=False, can_buy=True
        ),
        "gear": make_product(staff.manager, "AB-7", "齿轮", "Gear GX-1001 compatible"),
        "screws": screws,
        "m3": m3,
    }


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("GX-1001", "GX-1001"),
        ("ｇｘ－１００１", "GX-1001"),
        ("不銹鋼", "GX-1001"),  # traditional characters
        ("bxg", "GX-1001"),  # pinyin initials
        ("buxiugang", "GX-1001"),  # pinyin
        ("stainless", "GX-1001"),
        ("安装", "SV-1"),
    ],
)
def test_search_finds_a_product_by_code_name_pinyin_and_initials(staff, goods, q, first):
    assert _codes(staff.rep, q=q)[0] == first


def test_the_exact_code_comes_first_then_codes_and_names_that_start_with_it_then_the_rest(staff, goods):
    # "gx-10": GX-10 exactly, GX-1001 by its code's start, the gear only because its name contains it.
    assert _codes(staff.rep, q="gx-10") == ["GX-10", "GX-1001", "AB-7"]
    assert _codes(staff.rep, q="gx1001") == ["GX-1001", "AB-7"]


def test_filters_narrow_the_list(staff, goods):
    assert set(_codes(staff.rep, category=goods["screws"].pk)) == {"GX-1001", "GX-10"}  # and below it
    assert _codes(staff.rep, category=goods["m3"].pk) == ["GX-1001"]
    assert _codes(staff.rep, kind="service") == ["SV-1"]
    assert set(_codes(staff.rep, sold="no")) == {"SV-1"}
    assert set(_codes(staff.rep, bought="yes")) == {"GX-10", "SV-1"}
    svc.product_archive(actor=staff.manager, product=goods["gear"])
    assert "AB-7" not in _codes(staff.rep)
    assert _codes(staff.rep, state="archived") == ["AB-7"]
    assert len(_codes(staff.rep, state="all")) == 4


def test_names_sort_chinese_by_pinyin_among_latin(staff, goods):
    # 安装 (anzhuang) < 不锈钢 (buxiugang) < 齿轮 (chilun) < 螺栓 (luoshuan)
    assert _codes(staff.rep, sort="name") == ["SV-1", "GX-1001", "AB-7", "GX-10"]
    assert _codes(staff.rep, sort="code") == ["AB-7", "GX-10", "GX-1001", "SV-1"]


@pytest.mark.parametrize("bad", [{"sort": "price"}, {"state": "gone"}, {"sold": "maybe"}, {"q": "x" * 101}])
def test_bad_filters_are_refused(staff, bad):
    with pytest.raises(ValidationError):
        sel.product_list(actor=staff.rep, filters=sel.ProductFilters(**bad))


def test_a_user_without_a_role_reads_nothing(staff, goods):
    with pytest.raises(PermissionDeniedError):
        sel.product_list(actor=staff.nobody, filters=sel.ProductFilters())
    with pytest.raises(PermissionDeniedError):
        sel.product_get(actor=staff.nobody, pk=goods["screw"].pk)


def test_the_category_tree_is_depth_first_with_labels(staff, goods):
    make_category(staff.admin, "Adhesives", "胶粘剂")
    labels = [c.label for c in sel.category_tree(actor=staff.rep)]
    assert labels == ["Adhesives", "Screws", "Screws › M3"]
    assert sel.category_paths()[goods["m3"].pk] == "Screws / M3"


def test_units_convert_within_their_category_and_round_to_the_target(staff):
    u = {x.code: x for x in Unit.objects.all()}
    assert sel.convert(2, u["box12"], u["pcs"]) == 24
    assert sel.convert(30, u["pcs"], u["box12"]) == Decimal("3")  # 2.5 boxes, whole boxes: half up
    assert sel.convert(30, u["pcs"], u["box12"], rounded=False) == Decimal("2.5")
    assert sel.convert("1500", u["kg"], u["t"]) == Decimal("1.500")
    assert sel.convert(1, u["jin"], u["g"]) == Decimal("500.00")
    with pytest.raises(ValidationError) as exc:
        sel.convert(1, u["kg"], u["pcs"])
    assert "cannot be converted" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError):
        sel.convert("abc", u["kg"], u["t"])


@settings(max_examples=60, deadline=None)
@given(
    qty=st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
    pair=st.sampled_from([("kg", "t"), ("g", "kg"), ("jin", "kg"), ("mm", "m"), ("ml", "l"), ("h", "day")]),
)
def test_converting_there_and_back_gives_the_quantity_again(qty, pair):
    a, b = Unit.objects.get(code=pair[0]), Unit.objects.get(code=pair[1])
    there = sel.convert(qty, a, b, rounded=False)
    back = sel.convert(there, b, a, rounded=False)
    assert abs(back - qty) <= Decimal("1e-15") * max(qty, 1)
    # rounded to the target's places: never further from the exact value than half a step
    step = Decimal(1).scaleb(-b.decimal_places)
    assert abs(sel.convert(qty, a, b) - there) <= step / 2
