"""Changing currencies and tax rates (Settings → manage). Each change is one transaction with its audit
entry. Exchange rates: services.exchange_rates."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import Currency, TaxRate
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.money import TaxKind
from guanxi.core.money import presets
from guanxi.core.money.amounts import currency_code, forget_currencies, to_decimal
from guanxi.core.money.tax import percent_text
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot

M = TypeVar("M", bound=models.Model)
CURRENCY_FIELDS = ["code", "name_en", "name_zh", "symbol", "decimal_places", "active"]
TAX_FIELDS = ["code", "name_en", "name_zh", "rate", "kind", "active"]


def require_manager(actor) -> None:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def lock(model: type[M], obj: M, version: Any) -> M:
    """The current row, locked; a `version` other than the stored one is a ConflictError (409)."""
    try:
        seen = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": _("Reload the page and try again.")}) from None
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    if getattr(current, "version", None) != seen:
        raise ConflictError()
    return current


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _text(errors: dict, field: str, value: Any, *, max_length: int, required: bool) -> str:
    raw = unicodedata.normalize("NFC", str(value or ""))
    text = " ".join(raw.split())
    if _CONTROL.search(raw.strip()):
        errors[field] = _("Remove the control characters from this text.")
    elif required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > max_length:
        errors[field] = _("At most %(n)d characters.") % {"n": max_length}
    return text


def _currency_names(errors: dict, data: dict) -> dict:
    out = {
        "name_en": _text(errors, "name_en", data.get("name_en"), max_length=60, required=True),
        "name_zh": _text(errors, "name_zh", data.get("name_zh"), max_length=60, required=False),
        "symbol": _text(errors, "symbol", data.get("symbol"), max_length=8, required=False),
    }
    return out


@transaction.atomic
def currency_create(
    *,
    actor,
    code: str,
    name_en: str,
    name_zh: str = "",
    symbol: str = "",
    decimal_places: int = 2,
    active: bool = True,
) -> Currency:
    """A currency by its ISO 4217 code. Its decimal places are fixed from now on (amounts are stored
    rounded to them)."""
    require_manager(actor)
    errors: dict[str, str] = {}
    try:
        clean_code = currency_code(code, field="code")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        clean_code = ""
    if clean_code and Currency.objects.filter(code=clean_code).exists():
        errors["code"] = _("%(code)s is already set up.") % {"code": clean_code}
    names = _currency_names(errors, {"name_en": name_en, "name_zh": name_zh, "symbol": symbol})
    if (
        isinstance(decimal_places, bool)
        or not isinstance(decimal_places, int)
        or not 0 <= decimal_places <= 4
    ):
        errors["decimal_places"] = _("Enter a whole number from 0 to 4.")
    if errors:
        raise ValidationError(errors)
    currency = Currency.objects.create(
        code=clean_code, decimal_places=decimal_places, active=bool(active), **names
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=currency,
        changes=diff({}, snapshot(currency, CURRENCY_FIELDS)),
    )
    forget_currencies()
    return currency


@transaction.atomic
def currency_update(
    *,
    actor,
    currency: Currency,
    version: Any,
    name_en: str | None = None,
    name_zh: str | None = None,
    symbol: str | None = None,
    active: bool | None = None,
) -> Currency:
    """Rename, change the symbol, turn on or off (None: unchanged). The code and decimal places stay."""
    require_manager(actor)
    current = lock(Currency, currency, version)
    before = snapshot(current, CURRENCY_FIELDS)
    errors: dict[str, str] = {}
    given = {
        "name_en": current.name_en if name_en is None else name_en,
        "name_zh": current.name_zh if name_zh is None else name_zh,
        "symbol": current.symbol if symbol is None else symbol,
    }
    names = _currency_names(errors, given)
    if errors:
        raise ValidationError(errors)
    for k, v in names.items():
        setattr(current, k, v)
    if active is not None:
        current.active = bool(active)
    changes = diff(before, snapshot(current, CURRENCY_FIELDS))
    if changes:
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
        forget_currencies()
    return current


def _tax_snapshot(tax: TaxRate) -> dict:
    """The audited fields; the rate as people write it (13, not 13.0000), whatever it was read from."""
    return {**snapshot(tax, TAX_FIELDS), "rate": percent_text(Decimal(tax.rate))}


def _tax_values(errors: dict, data: dict) -> dict:
    out: dict[str, Any] = {
        "name_en": _text(errors, "name_en", data.get("name_en"), max_length=60, required=True),
        "name_zh": _text(errors, "name_zh", data.get("name_zh"), max_length=60, required=False),
    }
    kind = data.get("kind")
    if kind not in TaxKind.values:
        errors["kind"] = _("Choose standard, zero-rated or exempt.")
    out["kind"] = kind
    try:
        rate = to_decimal(data.get("rate"))
    except (TypeError, ValueError):
        errors["rate"] = _("Enter a percentage, e.g. 13.")
        return out
    exponent = rate.normalize().as_tuple().exponent
    if rate < 0:
        errors["rate"] = _("A tax rate cannot be negative.")
    elif rate > 100:
        errors["rate"] = _("A tax rate cannot be above 100 %.")
    elif isinstance(exponent, int) and exponent < -4:
        errors["rate"] = _("At most %(n)d decimal places.") % {"n": 4}
    elif kind == TaxKind.STANDARD and rate == 0:
        errors["rate"] = _("A standard rate is above 0 %: choose zero-rated or exempt for 0 %.")
    elif kind in (TaxKind.ZERO, TaxKind.EXEMPT) and rate != 0:
        errors["rate"] = _("Zero-rated and exempt taxes have a rate of 0 %.")
    out["rate"] = rate
    return out


@transaction.atomic
def tax_rate_create(
    *, actor, code: str, name_en: str, name_zh: str = "", rate: Any, kind: str = TaxKind.STANDARD, active=True
) -> TaxRate:
    require_manager(actor)
    errors: dict[str, str] = {}
    clean_code = slugify(str(code or "").strip())[:20]
    if not clean_code:
        errors["code"] = _("Enter a short code of letters, digits and hyphens, e.g. vat13.")
    elif TaxRate.objects.filter(code=clean_code).exists():
        errors["code"] = _("A tax rate with the code “%(code)s” exists.") % {"code": clean_code}
    values = _tax_values(errors, {"name_en": name_en, "name_zh": name_zh, "rate": rate, "kind": kind})
    if errors:
        raise ValidationError(errors)
    tax = TaxRate.objects.create(code=clean_code, active=bool(active), **values)
    audit_record(actor=actor, action=AuditAction.CREATE, target=tax, changes=diff({}, _tax_snapshot(tax)))
    return tax


@transaction.atomic
def tax_rate_update(
    *,
    actor,
    tax_rate: TaxRate,
    version: Any,
    name_en: str | None = None,
    name_zh: str | None = None,
    rate: Any = None,
    kind: str | None = None,
    active: bool | None = None,
) -> TaxRate:
    """Change a tax rate (None: unchanged). Documents keep the rate they were made with: a later app copies
    the percent onto its lines rather than reading it through a foreign key at print time."""
    require_manager(actor)
    current = lock(TaxRate, tax_rate, version)
    before = _tax_snapshot(current)
    errors: dict[str, str] = {}
    values = _tax_values(
        errors,
        {
            "name_en": current.name_en if name_en is None else name_en,
            "name_zh": current.name_zh if name_zh is None else name_zh,
            "rate": current.rate if rate is None else rate,
            "kind": current.kind if kind is None else kind,
        },
    )
    if errors:
        raise ValidationError(errors)
    for k, v in values.items():
        setattr(current, k, v)
    if active is not None:
        current.active = bool(active)
    changes = diff(before, _tax_snapshot(current))
    if changes:
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
    return current


def money_presets_ensure() -> None:
    """Add the shipped currencies and tax rates that are missing (the migration does it once; tests that
    empty the database, and `guanxi demo`, call this)."""
    presets.seed(Currency, TaxRate)
    forget_currencies()
