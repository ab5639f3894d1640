"""Writes of price lists (价目表), by those who manage them (pricelist.manage): create, update (with the
version the user saw), archive and restore, set the items (the whole set at once: products that may be sold,
quantity breaks 阶梯价 and unit prices, every problem at once keyed "items[3].unit_price"), and assign a
customer its list (by who may change the customer and sees the list). Each is one transaction with its audit
entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.catalog.selectors.catalog import usable_products
from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_price, currency_check, to_decimal
from guanxi.core.money.amounts import AMOUNT_LIMIT
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.core.services.money import lock
from guanxi.crm.models import CustomerPriceList, PriceList, PriceListItem
from guanxi.crm.selectors import pricelists as sel
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import party_get, party_visible
from guanxi.parties.services.common import require_change

FIELDS = ["name_en", "name_zh", "currency", "valid_from", "valid_until", "customer", "is_default", "note"]
MAX_ITEMS = 2000
MAX_QUANTITY = Decimal(10**9)


def require_manager(actor) -> None:
    if not sel.may_manage(actor):
        raise PermissionDeniedError()


def _id(value) -> int | None:
    text = str(getattr(value, "pk", value) if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= 15 and int(text) > 0 else None


def _date(errors: dict, key: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors[key] = _("Enter a date (YYYY-MM-DD).")
            return None
    if not 1900 <= value.year <= 2200:
        errors[key] = _("Enter a date between 1900 and 2200.")
        return None
    return value


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "on", "yes")


def _apply(errors: dict, actor, data: dict, pl: PriceList) -> None:
    for name in ("name_en", "name_zh"):
        if name in data:
            setattr(pl, name, clean_text(errors, name, data[name], max_length=100))
    if not (pl.name_en or pl.name_zh) and "name_en" not in errors:
        errors["name_en"] = _("Give a name in English or in Chinese.")
    if "currency" in data or pl.currency_id is None:
        try:
            pl.currency = currency_check(data.get("currency") or "", field="currency")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for name in ("valid_from", "valid_until"):
        if name in data:
            setattr(pl, name, _date(errors, name, data[name]))
    if pl.valid_from and pl.valid_until and pl.valid_until < pl.valid_from and "valid_until" not in errors:
        errors["valid_until"] = _("The last valid day cannot be before the first.")
    if "customer" in data:
        pl.customer = None
        pk = _id(data["customer"])
        if data["customer"] not in (None, ""):
            party = party_visible(actor=actor).filter(pk=pk).first() if pk else None
            if party is None or party.archived_at or (party.is_supplier and not party.is_customer):
                errors["customer"] = _("Choose a customer you can see.")
            else:
                pl.customer = party
    if "is_default" in data:
        pl.is_default = _flag(data["is_default"])
    if pl.is_default and pl.customer_id:
        errors["is_default"] = _("A default price list is for every customer: leave the customer empty.")
    if "note" in data:
        pl.note = clean_text(errors, "note", data["note"], max_length=2000, multiline=True)


def _check_default(errors: dict, pl: PriceList) -> None:
    if not (pl.is_default and pl.archived_at is None and pl.currency_id):
        return
    other = (
        PriceList.objects.filter(currency_id=pl.currency_id, is_default=True, archived_at__isnull=True)
        .exclude(pk=pl.pk)
        .first()
    )
    if other is not None:
        errors["is_default"] = _("%(name)s is already the default price list in %(currency)s.") % {
            "name": other.name,
            "currency": pl.currency_id,
        }


def _check_assignments(errors: dict, pl: PriceList) -> None:
    """A list for one customer is assigned to that customer only."""
    if (
        pl.pk
        and pl.customer_id
        and CustomerPriceList.objects.filter(price_list=pl).exclude(party_id=pl.customer_id).exists()
    ):
        errors["customer"] = _("Other customers are assigned this price list: assign them another one first.")


def _save(pl: PriceList) -> None:
    try:
        with transaction.atomic():
            pl.save()
    except IntegrityError as exc:  # two managers made a default at the same moment
        raise ValidationError(
            {"is_default": _("Another price list has just become the default in this currency.")}
        ) from exc


def _number(errors: dict, key: str, value: Any, *, places: int, positive_price: bool = False):
    if positive_price:
        try:
            return clean_price(value, field=key)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            return None
    try:
        d = to_decimal(value)
    except (TypeError, ValueError, ArithmeticError):
        errors[key] = _("Enter a number.")
        return None
    exponent = d.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        errors[key] = _("At most %(n)d decimal places.") % {"n": places}
    elif d < 0 or d > MAX_QUANTITY:
        errors[key] = _("Enter a number from %(low)s to %(high)s.") % {"low": 0, "high": MAX_QUANTITY}
    else:
        return d
    return None


def clean_items(*, actor, items: list[dict]) -> list[dict]:
    """Checked items (product, min_quantity, unit_price), or a ValidationError with every row's problems."""
    if len(items) > MAX_ITEMS:
        raise ValidationError({"items": _("At most %(n)d items.") % {"n": MAX_ITEMS}})
    ids = {n for n in (_id(x.get("product")) for x in items) if n is not None}
    products = {p.pk: p for p in usable_products(actor=actor, sold=True).filter(pk__in=ids)}
    errors: dict = {}
    out: list[dict] = []
    seen: dict[tuple[int, Decimal], int] = {}
    for i, raw in enumerate(items):
        key = f"items[{i}]"
        product = products.get(_id(raw.get("product")) or 0)
        if product is None:
            errors[f"{key}.product"] = _("Choose a product that may be sold.")
        raw_quantity = raw.get("min_quantity")
        quantity = _number(
            errors, f"{key}.min_quantity", 0 if raw_quantity in (None, "") else raw_quantity, places=3
        )
        raw_price = raw.get("unit_price")
        price = None
        if raw_price in (None, ""):
            errors[f"{key}.unit_price"] = _("Enter the unit price.")
        else:
            price = _number(errors, f"{key}.unit_price", raw_price, places=6, positive_price=True)
            if price is not None and price >= AMOUNT_LIMIT:
                errors[f"{key}.unit_price"], price = _("The amount is too large."), None
        if product is None or quantity is None or price is None:
            continue
        first = seen.setdefault((product.pk, quantity.normalize()), i)
        if first != i:
            errors[f"{key}.min_quantity"] = _(
                "Row %(row)d already prices this product from this quantity."
            ) % {"row": first + 1}
            continue
        out.append({"product": product, "min_quantity": quantity, "unit_price": price})
    if errors:
        raise ValidationError(errors)
    return out


def _items_text(pl: PriceList) -> str:
    rows = pl.items.select_related("product").order_by("product__code", "min_quantity")
    text = "; ".join(
        f"{x.product.code} ≥{x.min_quantity.normalize():f}: {x.unit_price.normalize():f}" for x in rows
    )
    return text if len(text) <= 2000 else text[:1999] + "…"


def _put_items(pl: PriceList, items: list[dict]) -> dict:
    before = _items_text(pl)
    pl.items.all().delete()
    PriceListItem.objects.bulk_create(PriceListItem(price_list=pl, **x) for x in items)
    after = _items_text(pl)
    return {"items": [before, after]} if before != after else {}


def _audit(actor, action: str, pl: PriceList, changes: dict) -> None:
    audit_record(
        actor=actor, action=action, target=pl, changes=changes, also=[pl.customer] if pl.customer else []
    )


def _items(errors: dict, actor, data: dict) -> list[dict] | None:
    """The cleaned "items" of `data` (None: not given); raises every error gathered so far and theirs."""
    items = None
    if data.get("items") is not None:
        try:
            items = clean_items(actor=actor, items=list(data["items"]))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return items


@transaction.atomic
def pricelist_create(*, actor, data: dict) -> PriceList:
    """A new list; with "items", its items too (the same checks as pricelist_set_items)."""
    require_manager(actor)
    pl = PriceList(created_by=actor)
    errors: dict = {}
    _apply(errors, actor, {"currency": "", **data}, pl)
    _check_default(errors, pl)
    items = _items(errors, actor, data)
    _save(pl)
    changes = diff({}, snapshot(pl, FIELDS))
    if items is not None:
        changes.update(_put_items(pl, items))
    _audit(actor, AuditAction.CREATE, pl, changes)
    return pl


@transaction.atomic
def pricelist_update(*, actor, price_list: PriceList, version: Any, data: dict) -> PriceList:
    """Fields, and the whole set of items when "items" is given. A stale version is a ConflictError."""
    require_manager(actor)
    pl = lock(PriceList, price_list, version)
    before = snapshot(pl, FIELDS)
    errors: dict = {}
    _apply(errors, actor, data, pl)
    _check_default(errors, pl)
    _check_assignments(errors, pl)
    items = _items(errors, actor, data)
    changes = diff(before, snapshot(pl, FIELDS))
    if items is not None:
        changes.update(_put_items(pl, items))
    if changes:
        pl.version += 1
        _save(pl)
        _audit(actor, AuditAction.UPDATE, pl, changes)
    return pl


def pricelist_set_items(*, actor, price_list: PriceList, version: Any, items: list[dict]) -> PriceList:
    """Replace the list's items by `items` (the whole set)."""
    return pricelist_update(actor=actor, price_list=price_list, version=version, data={"items": items})


@transaction.atomic
def pricelist_archive(*, actor, price_list: PriceList, archived: bool = True) -> PriceList:
    """An archived list prices nothing (customers assigned it fall back to the next rule); restore brings it
    back, unless another list has become the default of its currency meanwhile."""
    require_manager(actor)
    pl = PriceList.objects.select_for_update().get(pk=price_list.pk)
    if bool(pl.archived_at) == archived:
        return pl
    pl.archived_at = timezone.now() if archived else None
    errors: dict = {}
    _check_default(errors, pl)
    if errors:
        raise ValidationError(errors)
    pl.version += 1
    _save(pl)
    action = AuditAction.ARCHIVE if archived else AuditAction.RESTORE
    _audit(actor, action, pl, {"archived": [not archived, archived]})
    return pl


@transaction.atomic
def customer_price_list_set(*, actor, party: Party, price_list: PriceList | int | None) -> Party:
    """Assign the customer a price list (None: no list). Who may change the customer and sees the list; a list
    for one customer goes to that customer only."""
    party = party_get(actor=actor, pk=party.pk, mode="edit")
    require_change(actor, party)
    if party.is_supplier and not party.is_customer:
        raise ValidationError({"price_list": _("Only a customer is assigned a price list.")})
    Party.objects.select_for_update().filter(pk=party.pk).first()
    pl = None
    if price_list not in (None, ""):
        pk = _id(price_list)
        pl = sel.pricelist_visible(actor=actor).filter(pk=pk).first() if pk else None
        if pl is None or pl.archived_at:
            raise ValidationError({"price_list": _("Choose a price list in use.")})
        if pl.customer_id and pl.customer_id != party.pk:
            raise ValidationError({"price_list": _("This price list is for another customer only.")})
    current = CustomerPriceList.objects.select_related("price_list").filter(party=party).first()
    old = current.price_list if current else None
    if (old.pk if old else None) == (pl.pk if pl else None):
        return party
    if pl is None:
        CustomerPriceList.objects.filter(party=party).delete()
    elif current is None:
        CustomerPriceList.objects.create(party=party, price_list=pl, assigned_by=actor)
    else:
        current.price_list, current.assigned_by = pl, actor
        current.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=party,
        changes={"price_list": [str(old) if old else None, str(pl) if pl else None]},
    )
    return party
