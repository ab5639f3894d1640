from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.catalog.models import Category, Unit
from guanxi.catalog.services import setup
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_shipped_units_are_seeded_and_an_administrators_rename_is_kept(staff):
    assert Unit.objects.get(code="box12").factor == 12
    assert Unit.objects.get(code="t").category.code == "weight"
    Unit.objects.filter(code="pcs").update(name_zh="件")
    setup.unit_presets_ensure()
    assert Unit.objects.get(code="pcs").name_zh == "件"


@pytest.mark.parametrize("name", ["Screws", "ＳＣＲＥＷＳ", " screws "])
def test_sibling_categories_have_different_names(staff, name):
    top = make_category(staff.admin, "Fasteners")
    make_category(staff.admin, "Screws", parent=top.pk)
    with pytest.raises(ValidationError):
        make_category(staff.admin, name, parent=top.pk)
    make_category(staff.admin, name)  # at another place in the tree: fine


def test_a_traditional_chinese_name_is_the_same_name(staff):
    make_category(staff.admin, name_zh="紧固件")
    with pytest.raises(ValidationError):
        make_category(staff.admin, name_zh="緊固件")


def test_moving_a_category_moves_everything_below_it(staff):
    a = make_category(staff.admin, "A")
    b = make_category(staff.admin, "B", parent=a.pk)
    c = make_category(staff.admin, "C", parent=b.pk)
    other = make_category(staff.admin, "Other")
    b = setup.category_update(actor=staff.admin, category=b, version=b.version, data={"parent": other.pk})
    c.refresh_from_db()
    assert (b.path, b.depth) == (f"/{other.pk}/{b.pk}/", 1)
    assert (c.path, c.depth) == (f"/{other.pk}/{b.pk}/{c.pk}/", 2)
    b = setup.category_update(actor=staff.admin, category=b, version=b.version, data={"parent": None})
    c.refresh_from_db()
    assert (b.path, c.path, c.depth) == (f"/{b.pk}/", f"/{b.pk}/{c.pk}/", 1)
    entry = AuditEntry.objects.filter(
        subject_type="catalog.category", subject_id=b.pk, action="update"
    ).first()
    assert entry is not None and "parent" in entry.changes


def test_a_category_cannot_move_under_itself_or_below_it(staff):
    a = make_category(staff.admin, "A")
    b = make_category(staff.admin, "B", parent=a.pk)
    for target in (a, b):
        with pytest.raises(ValidationError):
            setup.category_update(
                actor=staff.admin, category=a, version=a.version, data={"parent": target.pk}
            )
    assert Category.objects.get(pk=a.pk).path == f"/{a.pk}/"


def test_categories_go_at_most_eight_levels_deep(staff):
    parent = None
    for i in range(setup.MAX_DEPTH):
        parent = make_category(staff.admin, f"L{i}", parent=parent.pk if parent else None)
    with pytest.raises(ValidationError):
        make_category(staff.admin, "too deep", parent=parent.pk)


def test_a_unit_has_a_positive_factor_and_a_code_of_its_own(staff):
    bad = [
        {"code": "pcs", "name_en": "again", "category": "count", "factor": "1"},
        {"code": "bag", "name_en": "bag", "category": "count", "factor": "0"},
        {"code": "bag", "name_en": "bag", "category": "count", "factor": "-2"},
        {"code": "bag", "name_en": "bag", "category": "nothing", "factor": "2"},
        {"code": "b a g", "name_en": "bag", "category": "count", "factor": "2"},
        {"code": "bag", "name_en": "bag", "category": "count", "factor": "2", "decimal_places": 9},
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            setup.unit_create(actor=staff.manager, data=data)
    unit = setup.unit_create(
        actor=staff.manager,
        data={"code": "bag25", "name_en": "bag of 25 kg", "category": "weight", "factor": "25"},
    )
    assert unit.factor == Decimal("25") and unit.category.code == "weight"


def test_a_unit_that_products_use_keeps_its_category(staff):
    kg = Unit.objects.get(code="kg")
    make_product(staff.manager, "RICE", name_en="Rice", unit="kg")
    with pytest.raises(ValidationError) as exc:
        setup.unit_update(actor=staff.manager, unit=kg, version=kg.version, data={"category": "count"})
    assert "category" in exc.value.message_dict
    kg = setup.unit_update(actor=staff.manager, unit=kg, version=kg.version, data={"name_zh": "公斤"})
    assert kg.name_zh == "公斤" and kg.version == 2


def test_only_managers_of_the_catalogue_change_its_setup(staff):
    for actor in (staff.buyer, staff.rep, staff.nobody):
        with pytest.raises(PermissionDeniedError):
            make_category(actor, "X")
        with pytest.raises(PermissionDeniedError):
            setup.unit_create(
                actor=actor, data={"code": "x", "name_en": "x", "category": "count", "factor": "2"}
            )
