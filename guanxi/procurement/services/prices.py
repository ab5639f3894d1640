"""Recording supplier price information. A price is never edited: a new one for the same supplier, product
and currency ends the earlier ones whose validity it overlaps — an earlier start is cut short the day before,
a start on or after the new one's is replaced — so every price that was ever quoted stays in the history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.cleaning import clean_date, clean_number, clean_text, small_int
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_price, currency_check
from guanxi.core.services.audit import audit_record
from guanxi.procurement.models import SupplierPrice, SupplierPriceBreak
from guanxi.procurement.selectors.prices import may_record
from guanxi.suppliers.selectors.suppliers import supplier_scope

MAX_BREAKS = 20
MAX_QUANTITY = Decimal(10**9)


def _breaks(errors: dict, raw, moq: Decimal | None) -> list[tuple[Decimal, Decimal]]:
    out: list[tuple[Decimal, Decimal]] = []
    if len(raw) > MAX_BREAKS:
        errors["breaks"] = _("At most %(n)d quantity breaks.") % {"n": MAX_BREAKS}
        return out
    for i, row in enumerate(raw):
        key = f"breaks[{i}]"
        qty = clean_number(
            errors,
            f"{key}.min_quantity",
            row.get("min_quantity"),
            places=3,
            low=Decimal(0),
            high=MAX_QUANTITY,
            positive=True,
        )
        try:
            price = clean_price(row.get("unit_price"), field=f"{key}.unit_price")
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if qty is None:
            continue
        if moq is not None and qty <= moq:
            errors[f"{key}.min_quantity"] = _("A break starts above the minimum order quantity.")
        elif any(qty == q for q, _p in out):
            errors[f"{key}.min_quantity"] = _("Two breaks start at the same quantity.")
        else:
            out.append((qty, price))
    return out


@transaction.atomic
def supplier_price_record(*, actor, data: dict) -> SupplierPrice:
    """A new price of a supplier for a product; the earlier ones it overlaps end (kept in the history)."""
    if not may_record(actor):
        raise PermissionDeniedError()
    errors: dict = {}
    supplier = (
        supplier_scope(actor=actor, mode="edit").filter(pk=small_int(data.get("supplier")) or 0).first()
    )
    if supplier is None or supplier.archived_at:
        errors["supplier"] = _("Choose a supplier you may change.")
    product = usable_products(actor=actor, bought=True).filter(pk=small_int(data.get("product")) or 0).first()
    if product is None:
        errors["product"] = _("Choose a product that may be bought.")
    try:
        currency = currency_check(data.get("currency") or "CNY", field="currency")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        currency = None
    try:
        unit_price = clean_price(data.get("unit_price"), field="unit_price")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        unit_price = None
    moq = clean_number(
        errors,
        "min_quantity",
        data.get("min_quantity") or 1,
        places=3,
        low=Decimal(0),
        high=MAX_QUANTITY,
        positive=True,
    )
    lead = clean_number(
        errors,
        "lead_time_days",
        data.get("lead_time_days") or 0,
        places=0,
        low=Decimal(0),
        high=Decimal(3650),
    )
    valid_from = clean_date(errors, "valid_from", data.get("valid_from")) or timezone.localdate()
    valid_until = clean_date(errors, "valid_until", data.get("valid_until"))
    if valid_until and valid_until < valid_from:
        errors["valid_until"] = _("The last valid day comes on or after the first.")
    code = clean_text(errors, "supplier_code", data.get("supplier_code"), max_length=64)
    note = clean_text(errors, "note", data.get("note"), max_length=500)
    breaks = _breaks(errors, data.get("breaks") or [], moq)
    if errors:
        raise ValidationError(errors)
    assert (
        supplier and product and currency and unit_price is not None and moq is not None and lead is not None
    )
    ended = _end_overlapping(supplier.pk, product.pk, currency.pk, valid_from, valid_until)
    price = SupplierPrice.objects.create(
        supplier=supplier,
        product=product,
        currency=currency,
        unit_price=unit_price,
        min_quantity=moq,
        lead_time_days=int(lead),
        valid_from=valid_from,
        valid_until=valid_until,
        supplier_code=code,
        note=note,
        created_by=actor,
    )
    SupplierPriceBreak.objects.bulk_create(
        SupplierPriceBreak(price=price, min_quantity=q, unit_price=p) for q, p in breaks
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=price,
        subject=supplier,
        changes={
            "product": [None, product.code],
            "unit_price": [None, f"{unit_price} {currency.pk}"],
            "valid_from": [None, valid_from.isoformat()],
            **({"replaced": [None, ", ".join(ended)]} if ended else {}),
        },
    )
    return price


def _end_overlapping(supplier_id, product_id, currency, start: dt.date, end: dt.date | None) -> list[str]:
    """End the current prices that overlap [start, end]: those starting earlier stop the day before `start`,
    those starting within the new range are replaced. What was ended, as text for the audit entry."""
    rows = (
        SupplierPrice.objects.select_for_update()
        .filter(
            supplier_id=supplier_id, product_id=product_id, currency_id=currency, replaced_at__isnull=True
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    )
    if end is not None:
        rows = rows.filter(valid_from__lte=end)
    ended = []
    now = timezone.now()
    for row in rows:
        if row.valid_from < start:
            row.valid_until = start - dt.timedelta(days=1)
            row.save(update_fields=["valid_until"])
            ended.append(f"{row.unit_price.normalize():f} → {row.valid_until.isoformat()}")
        else:
            row.replaced_at = now
            row.save(update_fields=["replaced_at"])
            ended.append(f"{row.unit_price.normalize():f} ({row.valid_from.isoformat()})")
    return ended
