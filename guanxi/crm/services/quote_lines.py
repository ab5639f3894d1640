"""Checking a quote's lines (form or API): catalogue products that may be sold, or free text; quantity,
unit, unit price (default: the product's sale price in the quote's currency), discount and VAT (default: the
product's tax rate). Every problem at once, keyed "lines[3].quantity"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.catalog.models import Unit
from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.cleaning import clean_number, clean_text, small_int
from guanxi.core.models import TaxRate
from guanxi.core.money import clean_price
from guanxi.core.money.amounts import AMOUNT_LIMIT
from guanxi.crm.services.quote_totals import line_amounts

MAX_LINES = 200


def clean_lines(*, actor, lines: list[dict], currency: str, language: str, prices=None) -> list[dict]:
    """Checked lines with their amounts, ready to store; a ValidationError with every problem otherwise.
    `prices` (a PriceBook of guanxi.crm.selectors.pricelists) prices a product's line left without a unit
    price; without it, the product's sale price in the currency."""
    errors: dict = {}
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": MAX_LINES}})
    product_ids = {n for n in (small_int(x.get("product")) for x in lines) if n is not None}
    products = {
        p.pk: p
        for p in usable_products(actor=actor, sold=True)
        .filter(pk__in=product_ids)
        .select_related("unit", "tax_rate")
        .prefetch_related("prices")
    }
    units = {u.pk: u for u in Unit.objects.filter(active=True)}
    taxes = {t.pk: t for t in TaxRate.objects.filter(active=True)}
    out: list[dict[str, Any]] = []
    for i, raw in enumerate(lines):
        key = f"lines[{i}]"
        product = None
        if raw.get("product") not in (None, ""):
            product = products.get(small_int(raw["product"]) or 0)
            if product is None:
                errors[f"{key}.product"] = _("Choose a product that may be sold.")
                continue
        zh = language.startswith("zh")
        default_text = (
            (product.name_zh or product.name_en)
            if product and zh
            else (product.name_en or product.name_zh)
            if product
            else ""
        )
        description = clean_text(
            errors, f"{key}.description", raw.get("description") or default_text, max_length=500
        )
        if not description:
            errors[f"{key}.description"] = _("Describe what is offered, or choose a product.")
        quantity = clean_number(
            errors,
            f"{key}.quantity",
            raw.get("quantity", 1),
            places=3,
            low=Decimal(0),
            high=Decimal(10**9),
            positive=True,
        )
        price_raw = raw.get("unit_price")
        if price_raw in (None, "") and product is not None:
            if prices is not None:
                price_raw = prices.price(product, quantity if quantity is not None else Decimal(1))[0]
            else:
                price_raw = next((p.amount for p in product.prices.all() if p.currency_id == currency), None)
        if price_raw in (None, ""):
            errors[f"{key}.unit_price"] = _("Enter the unit price: the product has none in %(currency)s.") % {
                "currency": currency
            }
            unit_price = None
        else:
            try:
                unit_price = clean_price(price_raw, field=f"{key}.unit_price")
            except ValidationError as exc:
                errors.update(exc.message_dict)
                unit_price = None
        discount = clean_number(
            errors,
            f"{key}.discount_percent",
            raw.get("discount_percent") or 0,
            places=2,
            low=Decimal(0),
            high=Decimal(100),
        )
        unit = None
        if raw.get("unit") not in (None, ""):
            unit = units.get(small_int(raw["unit"]) or 0)
            if unit is None:
                errors[f"{key}.unit"] = _("Choose a unit in use.")
        elif product is not None:
            unit = product.unit
        tax = None
        if raw.get("tax_rate") not in (None, ""):
            tax = taxes.get(small_int(raw["tax_rate"]) or 0)
            if tax is None:
                errors[f"{key}.tax_rate"] = _("Choose a tax rate in use.")
        elif product is not None:
            tax = product.tax_rate
        if quantity is None or unit_price is None or discount is None or f"{key}.description" in errors:
            continue
        tax_percent = tax.rate if tax else Decimal(0)
        amounts = line_amounts(
            quantity=quantity,
            unit_price=unit_price,
            discount_percent=discount,
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
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_price": unit_price,
                "discount_percent": discount,
                "tax_rate": tax,
                "tax_percent": tax_percent,
                "net": amounts.net,
                "tax": amounts.tax,
                "gross": amounts.gross,
            }
        )
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError({"lines": _("Add at least one line.")})
    if sum((x["gross"] for x in out), Decimal(0)) >= AMOUNT_LIMIT:
        raise ValidationError({"lines": _("The quote's total is too large.")})
    return out
