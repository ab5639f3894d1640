"""Changing the catalogue's setup: units of measure and the category tree (catalog.manage). Each change is
one transaction with its audit entry; the shipped units are seeded after every migrate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from guanxi.catalog.models import Category, Product, Unit, UnitCategory
from guanxi.catalog.permissions import Action
from guanxi.catalog.services.cleaning import flag, text
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.core.services.money import lock
from guanxi.core.text import compact, sort_key

UNIT_FIELDS = ["code", "name_en", "name_zh", "category", "factor", "decimal_places", "active"]
CATEGORY_FIELDS = ["name_en", "name_zh", "parent", "active"]
MAX_DEPTH = 8

# The shipped units: (category code, English, Chinese, [(code, English, Chinese, factor, decimal places)]).
# The first unit of each category is its reference (factor 1).
PRESETS = [
    ("count", "Count", "计数", [
        ("pcs", "piece", "个", "1", 0),
        ("dozen", "dozen", "打", "12", 0),
        ("box12", "box of 12", "箱（12个）", "12", 0),
    ]),
    ("weight", "Weight", "重量", [
        ("kg", "kilogram", "千克", "1", 3),
        ("g", "gram", "克", "0.001", 2),
        ("jin", "jin (500 g)", "斤", "0.5", 2),
        ("t", "tonne", "吨", "1000", 3),
    ]),
    ("length", "Length", "长度", [
        ("m", "metre", "米", "1", 2),
        ("mm", "millimetre", "毫米", "0.001", 0),
        ("cm", "centimetre", "厘米", "0.01", 1),
        ("km", "kilometre", "千米", "1000", 3),
    ]),
    ("volume", "Volume", "体积", [
        ("l", "litre", "升", "1", 2),
        ("ml", "millilitre", "毫升", "0.001", 0),
        ("m3", "cubic metre", "立方米", "1000", 3),
    ]),
    ("time", "Working time", "工时", [
        ("h", "hour", "小时", "1", 2),
        ("day", "working day (8 h)", "工作日（8小时）", "8", 2),
    ]),
]  # fmt: skip


def unit_presets_ensure() -> None:
    """The shipped unit categories and units, created when missing (found by code); never overwritten, so an
    administrator's renames and deactivations stay."""
    with transaction.atomic():
        for cat_code, cat_en, cat_zh, units in PRESETS:
            category, _created = UnitCategory.objects.get_or_create(
                code=cat_code, defaults={"name_en": cat_en, "name_zh": cat_zh}
            )
            for code, en, zh, factor, places in units:
                Unit.objects.get_or_create(
                    code=code,
                    defaults={
                        "category": category,
                        "name_en": en,
                        "name_zh": zh,
                        "factor": Decimal(factor),
                        "decimal_places": places,
                    },
                )


def require_manager(actor) -> None:
    if not grants_for(actor).can(Action.CATALOG_MANAGE):
        raise PermissionDeniedError()


# Units ------------------------------------------------------------------------------------------------------


def _unit_values(errors: dict, data: dict, *, current: Unit | None) -> dict:
    values: dict[str, Any] = {}
    if current is None:
        code = str(data.get("code") or "").strip().lower()
        if not code or len(code) > 20 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
            errors["code"] = _("Use 1 to 20 letters, digits, - or _.")
        elif Unit.objects.filter(code=code).exists():
            errors["code"] = _("A unit with this code already exists.")
        values["code"] = code
    values["name_en"] = text(errors, "name_en", data.get("name_en"), max_length=60)
    values["name_zh"] = text(errors, "name_zh", data.get("name_zh"), max_length=60)
    if not values["name_en"] and "name_en" not in errors:
        errors["name_en"] = _("This field is required.")
    given = data.get("category")
    category = given if isinstance(given, UnitCategory) else None
    if category is None and given is not None:
        if str(given).isdigit():
            category = UnitCategory.objects.filter(pk=int(given)).first()
        if category is None:
            category = UnitCategory.objects.filter(code=str(given)).first()
    if category is None:
        errors["category"] = _("Choose what the unit measures.")
    values["category"] = category
    try:
        factor = Decimal(str(data.get("factor")).strip())
        if not factor.is_finite() or factor <= 0 or factor >= Decimal("1e12"):
            raise ValueError
        if factor != factor.quantize(Decimal("1e-12")):
            errors["factor"] = _("At most 12 decimal places.")
        values["factor"] = factor
    except (ArithmeticError, ValueError):
        errors["factor"] = _("Enter a number above 0: how many of the reference unit one of this is.")
    places = data.get("decimal_places", 0)
    if isinstance(places, bool) or not str(places).strip().isdigit() or int(places) > 6:
        errors["decimal_places"] = _("Enter a whole number from 0 to 6.")
    else:
        values["decimal_places"] = int(places)
    values["active"] = flag(errors, "active", data.get("active", True))
    return values


def _unit_snapshot(unit: Unit) -> dict:
    data = snapshot(unit, UNIT_FIELDS)
    data["factor"] = str(unit.factor.normalize()) if unit.factor is not None else None
    return data


@transaction.atomic
def unit_create(*, actor, data: dict) -> Unit:
    """A unit of measure in a unit category: code, names, factor to the category's reference unit and the
    decimal places of quantities in it."""
    require_manager(actor)
    errors: dict[str, str] = {}
    values = _unit_values(errors, data, current=None)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            unit = Unit.objects.create(**values)
    except IntegrityError:
        raise ValidationError({"code": _("A unit with this code already exists.")}) from None
    audit_record(actor=actor, action=AuditAction.CREATE, target=unit, changes=diff({}, _unit_snapshot(unit)))
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, version: Any, data: dict) -> Unit:
    """Rename, change the factor or decimal places, turn on or off. A unit that products use keeps its
    category (a product sold by the piece cannot start being weighed)."""
    require_manager(actor)
    current = lock(Unit, unit, version)
    before = _unit_snapshot(current)
    errors: dict[str, str] = {}
    merged = {f: getattr(current, f) for f in UNIT_FIELDS if f != "code"} | {
        k: v for k, v in data.items() if k in UNIT_FIELDS and k != "code"
    }
    values = _unit_values(errors, merged, current=current)
    category = values.get("category")
    if category is not None and category.pk != current.category_id and _unit_used(current):
        errors["category"] = _("Products use this unit: it keeps measuring what it measures.")
    if errors:
        raise ValidationError(errors)
    for k, v in values.items():
        setattr(current, k, v)
    changes = diff(before, _unit_snapshot(current))
    if changes:
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
    return current


def _unit_used(unit: Unit) -> bool:
    return Product.objects.filter(unit=unit).exists() or Product.objects.filter(purchase_unit=unit).exists()


# Categories -------------------------------------------------------------------------------------------------


def _parent(errors: dict, value) -> Category | None:
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, Category):
        return value
    parent = Category.objects.filter(pk=value).first() if str(value).isdigit() else None
    if parent is None:
        errors["parent"] = _("Choose a category from the list.")
    return parent


def _category_values(errors: dict, data: dict) -> dict:
    values = {
        "name_en": text(errors, "name_en", data.get("name_en"), max_length=100),
        "name_zh": text(errors, "name_zh", data.get("name_zh"), max_length=100),
        "parent": _parent(errors, data.get("parent")),
        "active": flag(errors, "active", data.get("active", True)),
    }
    if not values["name_en"] and not values["name_zh"] and "name_en" not in errors:
        errors["name_en"] = _("Give the category a name, in English or in Chinese.")
    return values


def _apply_keys(category: Category) -> None:
    category.key_en = compact(category.name_en)[:100]
    category.key_zh = compact(category.name_zh)[:100]
    category.parent_key = category.parent_id or 0
    category.sort_key = sort_key(category.name_zh or category.name_en)


def _save_unique(category: Category) -> None:
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError:
        raise ValidationError(
            {"name_en": _("A category with this name already exists at this place in the tree.")}
        ) from None


def _category_snapshot(category: Category) -> dict:
    data = snapshot(category, CATEGORY_FIELDS)
    data["parent"] = str(category.parent) if category.parent_id else None
    return data


@transaction.atomic
def category_create(*, actor, data: dict) -> Category:
    """A category at the top of the tree or under `parent`. Sibling names are unique (folded)."""
    require_manager(actor)
    errors: dict[str, str] = {}
    values = _category_values(errors, data)
    parent = values["parent"]
    if parent is not None and parent.depth + 1 >= MAX_DEPTH:
        errors["parent"] = _("Categories go at most %(n)d levels deep.") % {"n": MAX_DEPTH}
    if errors:
        raise ValidationError(errors)
    category = Category(**values, path="", depth=(parent.depth + 1) if parent else 0)
    _apply_keys(category)
    _save_unique(category)
    category.path = f"{parent.path if parent else '/'}{category.pk}/"
    category.save(update_fields=["path"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=category,
        changes=diff({}, _category_snapshot(category)),
    )
    return category


@transaction.atomic
def category_update(*, actor, category: Category, version: Any, data: dict) -> Category:
    """Rename, move under another parent (with everything below it), turn on or off. A category cannot
    move under itself or anything below it."""
    require_manager(actor)
    current = lock(Category, category, version)
    before = _category_snapshot(current)
    errors: dict[str, str] = {}
    merged = {f: getattr(current, f) for f in CATEGORY_FIELDS} | {
        k: v for k, v in data.items() if k in CATEGORY_FIELDS
    }
    values = _category_values(errors, merged)
    parent = values["parent"]
    old_path = current.path
    moved = (parent.pk if parent else None) != current.parent_id
    if moved and parent is not None:
        if parent.path.startswith(old_path):
            errors["parent"] = _("A category cannot go under itself or a category below it.")
        else:
            below = Category.objects.filter(path__startswith=old_path).order_by("-depth").first()
            height = (below.depth - current.depth) if below else 0
            if parent.depth + 1 + height >= MAX_DEPTH:
                errors["parent"] = _("Categories go at most %(n)d levels deep.") % {"n": MAX_DEPTH}
    if errors:
        raise ValidationError(errors)
    for k, v in values.items():
        setattr(current, k, v)
    _apply_keys(current)
    changes = diff(before, _category_snapshot(current))
    if not changes:
        return current
    if moved:
        new_path = f"{parent.path if parent else '/'}{current.pk}/"
        shift = (parent.depth + 1 if parent else 0) - current.depth
        current.path, current.depth = new_path, current.depth + shift
        # Everything below follows: its path starts with the new one, its depth shifts with it.
        list(Category.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=current.pk))
        Category.objects.filter(path__startswith=old_path).exclude(pk=current.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + shift
        )
    current.version = F("version") + 1
    _save_unique(current)
    current.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
    return current
