"""Checking lines that say what is wanted, shared by RFQs and requisitions: a product that may be bought (its
name in the language of whoever types it, its purchase unit) or a description, a quantity above zero, a unit in
use. Every problem at once, keyed "lines[3].quantity"; `more` checks the fields a document adds (a date, an
estimated price) into the same errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.catalog.models import Unit
from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.cleaning import clean_number, clean_text, small_int


def clean_items(
    actor, raw: list[dict], *, limit: int, more: Callable[[dict, str, dict], dict[str, Any]]
) -> list[dict]:
    """[{position, product, description, quantity, unit, **more(errors, key, line)}]; a ValidationError with
    every problem otherwise (and when there is no line)."""
    if len(raw) > limit:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": limit}})
    ids = {n for n in (small_int(x.get("product")) for x in raw) if n is not None}
    products = {
        p.pk: p
        for p in usable_products(actor=actor, bought=True)
        .filter(pk__in=ids)
        .select_related("purchase_unit", "unit")
    }
    units = {u.pk: u for u in Unit.objects.filter(active=True)}
    errors: dict = {}
    out = []
    for i, x in enumerate(raw):
        key = f"lines[{i}]"
        product = None
        if x.get("product") not in (None, ""):
            product = products.get(small_int(x["product"]) or 0)
            if product is None:
                errors[f"{key}.product"] = _("Choose a product that may be bought.")
                continue
        text = product.name if product is not None else ""
        description = clean_text(errors, f"{key}.description", x.get("description") or text, max_length=500)
        if not description and f"{key}.description" not in errors:
            errors[f"{key}.description"] = _("Describe what is bought, or choose a product.")
        quantity = clean_number(
            errors,
            f"{key}.quantity",
            x.get("quantity", 1),
            places=3,
            low=Decimal(0),
            high=Decimal(10**9),
            positive=True,
        )
        unit = None
        if x.get("unit") not in (None, ""):
            unit = units.get(small_int(x["unit"]) or 0)
            if unit is None:
                errors[f"{key}.unit"] = _("Choose a unit in use.")
        elif product is not None:
            unit = product.purchase_unit or product.unit
        extra = more(errors, key, x)
        if quantity is not None and description:
            out.append(
                {
                    "position": i + 1,
                    "product": product,
                    "description": description,
                    "quantity": quantity,
                    "unit": unit,
                    **extra,
                }
            )
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError({"lines": _("Add at least one line.")})
    return out
