"""Checking a purchase order's lines (form or API): catalogue products that may be bought, or free text;
quantity, unit, unit price — by default the supplier's price valid on the order date for that quantity (its
breaks), in the order's currency — VAT (default: the product's rate), the supplier's product code and the
date we need it. Every problem at once, keyed "lines[3].quantity"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.catalog.models import Unit
from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.cleaning import clean_date, clean_number, clean_text, small_int
from guanxi.core.models import TaxRate
from guanxi.core.money import clean_price
from guanxi.core.money.amounts import AMOUNT_LIMIT
from guanxi.crm.services.quote_totals import line_amounts
from guanxi.procurement.selectors.prices import prices_for_order

MAX_LINES = 500


def clean_order_lines(
    *, actor, lines: list[dict], supplier_id: int, currency: str, on: dt.date, language: str
) -> list[dict]:
    """Checked lines with their amounts, ready to store; a ValidationError with every problem otherwise."""
    errors: dict = {}
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": MAX_LINES}})
    ids = {n for n in (small_int(x.get("product")) for x in lines) if n is not None}
    products = {
        p.pk: p
        for p in usable_products(actor=actor, bought=True)
        .filter(pk__in=ids)
        .select_related("purchase_unit", "unit", "tax_rate")
    }
    prices = prices_for_order(supplier_id=supplier_id, currency=currency, product_ids=list(products), on=on)
    units = {u.pk: u for u in Unit.objects.filter(active=True)}
    taxes = {t.pk: t for t in TaxRate.objects.filter(active=True)}
    zh = language.startswith("zh")
    out: list[dict[str, Any]] = []
    for i, raw in enumerate(lines):
        key = f"lines[{i}]"
        product = None
        if raw.get("product") not in (None, ""):
            product = products.get(small_int(raw["product"]) or 0)
            if product is None:
                errors[f"{key}.product"] = _("Choose a product that may be bought.")
                continue
        default_text = ""
        if product is not None:
            default_text = (
                (product.name_zh or product.name_en) if zh else (product.name_en or product.name_zh)
            )
        description = clean_text(
            errors, f"{key}.description", raw.get("description") or default_text, max_length=500
        )
        if not description and f"{key}.description" not in errors:
            errors[f"{key}.description"] = _("Describe what is bought, or choose a product.")
        quantity = clean_number(
            errors,
            f"{key}.quantity",
            raw.get("quantity", 1),
            places=3,
            low=Decimal(0),
            high=Decimal(10**9),
            positive=True,
        )
        price = prices.get(product.pk) if product is not None else None
        price_raw = raw.get("unit_price")
        priced_by = price if price_raw in (None, "") else None
        if price_raw in (None, "") and price is not None:
            price_raw = price.price_for(quantity if quantity is not None else price.min_quantity)[0]
        unit_price = None
        if price_raw in (None, ""):
            errors[f"{key}.unit_price"] = _(
                "Enter the unit price: the supplier has no price for it in %(currency)s."
            ) % {"currency": currency}
        else:
            try:
                unit_price = clean_price(price_raw, field=f"{key}.unit_price")
            except ValidationError as exc:
                errors.update(exc.message_dict)
        unit = None
        if raw.get("unit") not in (None, ""):
            unit = units.get(small_int(raw["unit"]) or 0)
            if unit is None:
                errors[f"{key}.unit"] = _("Choose a unit in use.")
        elif product is not None:
            unit = product.purchase_unit or product.unit
        tax = None
        if raw.get("tax_rate") not in (None, ""):
            tax = taxes.get(small_int(raw["tax_rate"]) or 0)
            if tax is None:
                errors[f"{key}.tax_rate"] = _("Choose a tax rate in use.")
        elif product is not None:
            tax = product.tax_rate
        requested = clean_date(errors, f"{key}.requested_date", raw.get("requested_date"))
        code = clean_text(
            errors,
            f"{key}.supplier_code",
            raw.get("supplier_code") or (price.supplier_code if price else ""),
            max_length=64,
        )
        if quantity is None or unit_price is None or f"{key}.description" in errors:
            continue
        tax_percent = tax.rate if tax else Decimal(0)
        amounts = line_amounts(
            quantity=quantity,
            unit_price=unit_price,
            discount_percent=Decimal(0),
            tax_percent=tax_percent,
            currency=currency,
        )
        if amounts.gross >= AMOUNT_LIMIT:
            errors[f"{key}.quantity"] = _("This line's amount is too large.")
            continue
        out.append(
            {
                "position": i + 1,
                "product": product,
                "supplier_code": code,
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_price": unit_price,
                "tax_rate": tax,
                "tax_percent": tax_percent,
                "net": amounts.net,
                "tax": amounts.tax,
                "gross": amounts.gross,
                "supplier_price": priced_by,
                "requested_date": requested,
            }
        )
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError({"lines": _("Add at least one line.")})
    if sum((x["gross"] for x in out), Decimal(0)) >= AMOUNT_LIMIT:
        raise ValidationError({"lines": _("The order's total is too large.")})
    return out


def line_dict(line) -> dict:
    """A stored line as the cleaner takes it (to re-check a copy, or a change order's untouched lines)."""
    return {
        "id": line.pk,
        "product": line.product_id,
        "supplier_code": line.supplier_code,
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit_id,
        "unit_price": line.unit_price,
        "tax_rate": line.tax_rate_id,
        "requested_date": line.requested_date,
    }
