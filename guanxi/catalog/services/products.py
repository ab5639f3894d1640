"""Writes of products: create, update (with their sale prices), archive, restore.

Each is one transaction with its audit entry; edits carry the version the user saw (optimistic locking,
409). A change names only the fields it changes: what a form or an API call does not send stays as it is.
A blank code on a new product takes the next number of "catalog.product" (Settings → Document numbering).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.catalog.choices import ApprovalState, ProductKind
from guanxi.catalog.fields import EDITABLE
from guanxi.catalog.models import Category, Product, ProductPrice, Unit
from guanxi.catalog.permissions import Action
from guanxi.catalog.search import code_key, search_fields
from guanxi.catalog.selectors.catalog import approval_needed, unit_default
from guanxi.catalog.services.cleaning import flag, text
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import TaxRate
from guanxi.core.models.audit import AuditAction
from guanxi.core.money.amounts import clean_price, currency_check
from guanxi.core.roles import grants_for
from guanxi.core.selectors.companies import company_default
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.core.services.numbering import number_next
from guanxi.core.text import fold

DOC_TYPE = "catalog.product"
_SCALAR = ["code", "kind", "name_en", "name_zh", "description", "can_sell", "can_buy"]


def require_changer(actor) -> None:
    if not grants_for(actor).can(Action.PRODUCT_CHANGE):
        raise PermissionDeniedError()


def product_snapshot(product: Product) -> dict:
    data = snapshot(product, _SCALAR)
    data["category"] = str(product.category) if product.category_id else None
    data["unit"] = product.unit.code if product.unit else None
    data["purchase_unit"] = product.purchase_unit.code if product.purchase_unit else None
    data["tax_rate"] = product.tax_rate.code if product.tax_rate else None
    if product.pk:
        data["prices"] = {p.currency_id: str(p.amount.normalize()) for p in product.prices.all()}
    return data


def _by_pk_or_code(model, value, *, code_field: str = "code"):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    if isinstance(value, int) or str(value).isdigit():
        found = model.objects.filter(pk=int(value)).first()
        if found is not None:
            return found
    # Codes of units and tax rates are lower-case ASCII: ＫＧ, KG and kg are one code.
    return model.objects.filter(**{code_field: fold(str(value))}).first() if code_field else None


def _clean_prices(errors: dict, value, kept: set[str]) -> dict[str, Any] | None:
    """{currency code: Decimal}; None when `value` is None (prices not given). A currency turned off since is
    accepted for a price the product already has in it (`kept`): a new price needs a currency in use."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = [{"currency": k, "amount": v} for k, v in value.items()]
    if not isinstance(value, list | tuple):
        errors["prices"] = _("Give the prices as a list of currency and amount.")
        return {}
    out: dict[str, Any] = {}
    for i, row in enumerate(value):
        if not isinstance(row, dict):
            errors["prices"] = _("Give the prices as a list of currency and amount.")
            break
        if row.get("amount") in (None, "") and not row.get("currency"):
            continue  # an empty row of the form
        try:
            code = str(row.get("currency") or "").strip().upper()
            currency = currency_check(row.get("currency"), field="prices", active=code not in kept)
            amount = clean_price(row.get("amount"), field="prices")
        except ValidationError as exc:
            msg = exc.message_dict.get("prices", exc.messages)[0]
            errors["prices"] = _("Price %(n)d: %(message)s") % {"n": i + 1, "message": msg}
            break
        if currency.code in out:
            errors["prices"] = _("%(code)s has two prices: keep one.") % {"code": currency.code}
            break
        out[currency.code] = amount
    return out


def _values(errors: dict, data: dict, current: Product | None) -> dict:
    """The cleaned values of the fields in `data` (all fields for a new product)."""
    given = {k: data[k] for k in EDITABLE if k in data}
    if current is None:
        given = {k: given.get(k) for k in EDITABLE}
    v: dict[str, Any] = {}
    if "code" in given:
        v["code"] = text(errors, "code", given["code"], max_length=64)
        if current is not None and not v["code"] and "code" not in errors:
            errors["code"] = _("A product keeps its code: enter one.")
    if "kind" in given:
        v["kind"] = given["kind"] or ProductKind.PRODUCT
        if v["kind"] not in ProductKind.values:
            errors["kind"] = _("Choose product or service.")
    for name, limit in (("name_en", 200), ("name_zh", 200)):
        if name in given:
            v[name] = text(errors, name, given[name], max_length=limit)
    if "description" in given:
        v["description"] = text(errors, "description", given["description"], max_length=5000, multiline=True)
    if "category" in given:
        v["category"] = _by_pk_or_code(Category, given["category"], code_field="")
        if given["category"] not in (None, "") and v["category"] is None:
            errors["category"] = _("Choose a category from the list.")
    for name in ("unit", "purchase_unit"):
        if name in given:
            v[name] = _by_pk_or_code(Unit, given[name])
            if given[name] not in (None, "") and v[name] is None:
                errors[name] = _("Unknown unit: choose one from the list.")
            elif (
                v[name] is not None
                and not v[name].active
                and getattr(current, f"{name}_id", None) != v[name].pk
            ):
                errors[name] = _("This unit is turned off: choose another one.")
    if "tax_rate" in given:
        v["tax_rate"] = _by_pk_or_code(TaxRate, given["tax_rate"])
        if given["tax_rate"] not in (None, "") and v["tax_rate"] is None:
            errors["tax_rate"] = _("Unknown tax rate: choose one from the list.")
    for name, default in (("can_sell", True), ("can_buy", False)):
        if name in given:
            v[name] = flag(errors, name, default if given[name] is None else given[name])
    if "prices" in given:
        kept = {p.currency_id for p in current.prices.all()} if current is not None else set()
        v["prices"] = _clean_prices(errors, given["prices"], kept)
    return v


def _check(errors: dict, product: Product) -> None:
    """Rules across fields, on the product as it would be saved."""
    if not product.name_en and not product.name_zh and "name_en" not in errors:
        errors["name_en"] = _("Give the product a name, in English or in Chinese.")
    if product.unit_id is None and "unit" not in errors:
        errors["unit"] = _("Choose the unit the product is counted in.")
    if not product.can_sell and not product.can_buy and "can_sell" not in errors:
        errors["can_sell"] = _("A product is sold, bought or both: tick at least one.")
    if (
        product.purchase_unit
        and product.unit
        and product.purchase_unit.category_id != product.unit.category_id
        and "purchase_unit" not in errors
    ):
        errors["purchase_unit"] = _(
            "The purchase unit must measure what the unit measures (%(category)s)."
        ) % {"category": product.unit.category}


def _apply(product: Product, values: dict) -> dict | None:
    prices = values.pop("prices", None)
    for k, val in values.items():
        setattr(product, k, val)
    if "code" in values:
        product.code_key = code_key(product.code)
    product.search_doc, product.sort_key = search_fields(
        code=product.code, name_en=product.name_en, name_zh=product.name_zh
    )
    return prices


def _save(product: Product) -> None:
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        raise ValidationError(
            {"code": _("Another product has the code %(code)s.") % {"code": product.code}}
        ) from None


def _set_prices(product: Product, prices: dict | None) -> None:
    if prices is None:
        return
    stored = {p.currency_id: p for p in product.prices.all()}
    for code, p in stored.items():
        if code not in prices:
            p.delete()
    for code, amount in prices.items():
        if code in stored:
            if stored[code].amount != amount:
                ProductPrice.objects.filter(pk=stored[code].pk).update(amount=amount)
        else:
            ProductPrice.objects.create(product=product, currency_id=code, amount=amount)
    if hasattr(product, "_prefetched_objects_cache"):
        product._prefetched_objects_cache.pop("prices", None)


def _code_taken(errors: dict, key: str, exclude: int | None) -> None:
    others = Product.objects.filter(code_key=key)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if key and others.exists():
        errors["code"] = _("Another product has this code.")


@transaction.atomic
def product_create(*, actor, data: dict) -> Product:
    """A product or service. Without a code it takes the next catalogue number of the default company."""
    require_changer(actor)
    errors: dict[str, str] = {}
    values = _values(errors, data, None)
    if values.get("unit") is None and "unit" not in errors:
        values["unit"] = unit_default()
    product = Product(created_by=actor if getattr(actor, "pk", None) else None)
    prices = _apply(product, values)
    _check(errors, product)
    company = company_default()
    if not product.code and "code" not in errors and company is None:
        errors["code"] = _("Enter a code (numbers are given once our company is set up in Settings).")
    _code_taken(errors, product.code_key, None)
    if errors:
        raise ValidationError(errors)
    if not product.code and company is not None:
        product.code = number_next(doc_type=DOC_TYPE, company=company)
        product.code_key = code_key(product.code)
        product.search_doc, product.sort_key = search_fields(
            code=product.code, name_en=product.name_en, name_zh=product.name_zh
        )
    if approval_needed():
        product.approval_status = ApprovalState.DRAFT  # documents may use it once approved
    _save(product)
    _set_prices(product, prices)
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=product, changes=diff({}, product_snapshot(product))
    )
    return product


def _lock(product: Product, version) -> Product:
    if version is None:
        raise ValidationError({"version": _("Reload the product and try again: the version is missing.")})
    try:
        seen = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("Reload the product and try again.")}) from None
    # Only the product's row is locked (PostgreSQL refuses FOR UPDATE on the nullable side of a join).
    current = (
        Product.objects.select_for_update(of=("self",))
        .select_related("unit", "purchase_unit", "tax_rate")
        .get(pk=product.pk)
    )
    if current.version != seen:
        raise ConflictError()
    return current


@transaction.atomic
def product_update(*, actor, product: Product, version: Any, data: dict) -> Product:
    """Change the fields in `data` (the others stay); `prices`, when given, is the whole new set."""
    require_changer(actor)
    current = _lock(product, version)
    before = product_snapshot(current)
    errors: dict[str, str] = {}
    values = _values(errors, data, current)
    prices = _apply(current, values)
    _check(errors, current)
    if "code" in values:
        _code_taken(errors, current.code_key, current.pk)
    if errors:
        raise ValidationError(errors)
    _set_prices(current, prices)
    after = product_snapshot(current)
    changes = diff(before, after)
    if changes:
        current.version = F("version") + 1
        _save(current)
        current.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
    return current


def _set_archived(actor, product: Product, version, archived: bool) -> Product:
    require_changer(actor)
    current = (
        _lock(product, version)
        if version is not None
        else Product.objects.select_for_update().get(pk=product.pk)
    )
    if (current.archived_at is not None) == archived:
        return current  # already so: nothing to record
    current.archived_at = timezone.now() if archived else None
    current.version = F("version") + 1
    current.save(update_fields=["archived_at", "version", "updated_at"])
    current.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.ARCHIVE if archived else AuditAction.RESTORE,
        target=current,
        changes={"archived": [not archived, archived]},
    )
    return current


@transaction.atomic
def product_archive(*, actor, product: Product, version: Any = None) -> Product:
    """Take a product out of use: it stays on the documents that have it, new ones cannot pick it."""
    return _set_archived(actor, product, version, True)


@transaction.atomic
def product_restore(*, actor, product: Product, version: Any = None) -> Product:
    return _set_archived(actor, product, version, False)


@transaction.atomic
def product_submit(*, actor, product: Product):
    """Submit a new (or rejected) product for approval through the approvals block; returns the request.
    A rule that needs no approval puts the product in use at once."""
    from guanxi.core.services.approvals import approval_submit

    require_changer(actor)
    current = Product.objects.select_for_update().get(pk=product.pk)
    if current.approval_status not in (ApprovalState.DRAFT, ApprovalState.REJECTED):
        raise ValidationError(
            {"approval_status": _("Only a product that is not submitted, or was rejected, can be submitted.")}
        )
    request = approval_submit(actor=actor, obj=current)
    if request.status == "pending":
        Product.objects.filter(pk=current.pk).update(approval_status=ApprovalState.PENDING)
    return request


def product_set_approval(product: Product, state: str) -> None:
    """What a decision does (called by the approvals block inside the decision's transaction, which audits
    the decision on the product's history)."""
    Product.objects.filter(pk=product.pk).update(approval_status=state, version=F("version") + 1)
