"""The products of an opportunity (商机产品), set as a whole list: each a catalogue product that may be sold, a
quantity above 0, an expected unit price (≥ 0, or empty) and a note. One transaction on the locked opportunity,
checked against the version the user saw, audited on the opportunity and its customer; every bad row is named
at once (`lines[2].quantity`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.cleaning import clean_text
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_price
from guanxi.crm.models import Opportunity, OpportunityLine
from guanxi.crm.services.opportunities import _audit, _editable, _lock

MAX_LINES = 100


def _describe(lines) -> list[str]:
    return [
        f"{x.product.code} × {x.quantity.normalize():f}"
        + (f" @ {x.unit_price.normalize():f}" if x.unit_price is not None else "")
        for x in lines
    ]


def _quantity(errors: dict, key: str, value) -> Decimal | None:
    try:
        qty = Decimal(str(value if value is not None else "").strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        errors[key] = _("Enter a number.")
        return None
    if not qty.is_finite() or qty <= 0:
        errors[key] = _("Enter a quantity above 0.")
    elif qty.as_tuple().exponent < -3 or qty >= 10**12:  # type: ignore[operator]
        errors[key] = _("At most 3 decimal places.") if qty < 10**12 else _("This quantity is too large.")
    else:
        return qty
    return None


@transaction.atomic
def opportunity_set_lines(*, actor, opportunity: Opportunity, version: Any, lines: list[dict]) -> Opportunity:
    """Replace the opportunity's products with `lines` ([{product, quantity, unit_price?, note?}])."""
    _editable(actor, opportunity)
    o = _lock(opportunity, version)
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d items.") % {"n": MAX_LINES}})
    products = {
        p.pk: p
        for p in usable_products(actor=actor, sold=True).filter(
            pk__in=[int(x["product"]) for x in lines if str(x.get("product") or "").isdigit()]
        )
    }
    errors: dict = {}
    made = []
    for i, row in enumerate(lines):
        key = f"lines[{i}]"
        product = products.get(int(row["product"])) if str(row.get("product") or "").isdigit() else None
        if product is None:
            errors[f"{key}.product"] = _("Choose a product that may be sold.")
        qty = _quantity(errors, f"{key}.quantity", row.get("quantity"))
        price = None
        if str(row.get("unit_price") or "").strip():
            try:
                price = clean_price(row["unit_price"], currency=o.currency_id, field=f"{key}.unit_price")
            except ValidationError as exc:
                errors.update(exc.message_dict)
        note = clean_text(errors, f"{key}.note", row.get("note") or "", max_length=200)
        if product is not None and qty is not None:
            made.append(
                OpportunityLine(
                    opportunity=o, position=i + 1, product=product, quantity=qty, unit_price=price, note=note
                )
            )
    if errors:
        raise ValidationError(errors)
    before = _describe(OpportunityLine.objects.filter(opportunity=o).select_related("product"))
    OpportunityLine.objects.filter(opportunity=o).delete()
    OpportunityLine.objects.bulk_create(made)
    after = _describe(made)
    if before != after:
        o.version += 1
        o.save(update_fields=["version", "updated_at"])
        _audit(actor, AuditAction.UPDATE, o, {"products": ["; ".join(before), "; ".join(after)]})
    return o
