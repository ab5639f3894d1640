"""Entering, changing and deleting exchange rates (Settings → manage); every change is audited.

One rate per pair and day, in one direction: 1 USD = 7.1234 CNY on 2026-11-25 also answers CNY → USD
that day, so a rate the other way round for the same day is refused rather than left to disagree.
A document that used a rate keeps its own copy of the rate and date (see Conversion), so changing or
deleting a rate later does not change an issued document.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from guanxi.core.models import Currency, ExchangeRate
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.money import RateSource
from guanxi.core.money.amounts import currency_code, quantize_half_up, to_decimal
from guanxi.core.services.audit import audit_record
from guanxi.core.services.money import lock, require_manager

RATE_PLACES = 10
RATE_DIGITS = 15  # significant digits kept exactly by both databases (SQLite keeps 15)
RATE_LIMIT = Decimal(10) ** 9
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


def rate_text(rate: Decimal) -> str:
    """7.1234000000 → '7.1234' (as audited and shown)."""
    return f"{Decimal(rate).normalize():f}"


def clean_rate(value: Any, *, unit: Any = None) -> tuple[Decimal | None, str | None]:
    """(rate, None) or (None, message). `unit`: the rate is quoted per that many units of the base
    (banks quote JPY per 100), so the stored rate is value / unit, rounded to 10 places."""
    if isinstance(value, str) and "," in value:
        return None, _("Write the rate with a decimal point and no commas, e.g. 7.1234.")
    try:
        rate = to_decimal(value if value not in (None, "") else "x")
    except (TypeError, ValueError):
        return None, _("Enter the rate as a number, e.g. 7.1234.")
    if unit not in (None, ""):
        try:
            per = to_decimal(unit)
        except (TypeError, ValueError):
            per = Decimal(0)
        if per <= 0:
            return None, _("The unit must be a number above 0, e.g. 100.")
        rate = quantize_half_up(rate / per, RATE_PLACES)
    if rate <= 0:
        return None, _("A rate must be above 0.")
    if rate >= RATE_LIMIT:
        return None, _("The rate is too large.")
    digits = rate.normalize().as_tuple()
    if isinstance(digits.exponent, int) and -digits.exponent > RATE_PLACES:
        return None, _("At most %(n)d decimal places.") % {"n": RATE_PLACES}
    if len(digits.digits) > RATE_DIGITS:
        return None, _("At most %(n)d significant digits.") % {"n": RATE_DIGITS}
    return rate, None


def clean_rate_date(value: Any) -> tuple[dt.date | None, str | None]:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return None, _("Enter a date, e.g. 2026-11-25.")
    if not EARLIEST <= value <= LATEST:
        return None, _("Enter a date between 1900 and 2200.")
    return value, None


def _currency(errors: dict, field: str, value: Any, known: dict[str, bool]) -> str:
    try:
        code = currency_code(value, field=field)
    except ValidationError as exc:
        errors[field] = exc.message_dict[field][0]
        return ""
    if code not in known:
        errors[field] = _(
            "Unknown currency “%(code)s”: use an ISO 4217 code set up under Settings → Currencies."
        ) % {"code": code}
    elif not known[code]:
        errors[field] = _("%(code)s is not in use: turn it on under Settings → Currencies.") % {"code": code}
    return code


def known_currencies() -> dict[str, bool]:
    """Every currency code and whether it is active (one query)."""
    return dict(Currency.objects.values_list("code", "active"))


def clean_rate_row(
    data: dict, *, known: dict[str, bool] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check date, base, quote, rate (and optional unit) of one rate: (clean values, {field: message})."""
    known = known_currencies() if known is None else known
    errors: dict[str, str] = {}
    day, problem = clean_rate_date(data.get("date"))
    if problem:
        errors["date"] = problem
    base = _currency(errors, "base", data.get("base"), known)
    quote = _currency(errors, "quote", data.get("quote"), known)
    if base and base == quote and "quote" not in errors:
        errors["quote"] = _("Choose two different currencies.")
    rate, problem = clean_rate(data.get("rate"), unit=data.get("unit"))
    if problem:
        errors["rate"] = problem
    return {"date": day, "base": base, "quote": quote, "rate": rate}, errors


def pair_taken_message(row: ExchangeRate) -> str:
    if row.base_id and row.quote_id:
        return _("There is already a rate for %(base)s → %(quote)s on %(date)s: change that one instead.") % {
            "base": row.base_id,
            "quote": row.quote_id,
            "date": row.date.isoformat(),
        }
    return ""


def _existing(base: str, quote: str, day: dt.date, exclude: int | None = None) -> ExchangeRate | None:
    """A rate for this pair and day, in either direction."""
    qs = ExchangeRate.objects.filter(date=day, base_id__in=[base, quote], quote_id__in=[base, quote])
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.first()


def _snapshot(rate: ExchangeRate) -> dict:
    return {
        "date": rate.date.isoformat(),
        "base": rate.base_id,
        "quote": rate.quote_id,
        "rate": rate_text(rate.rate),
    }


def exchange_rate_create(
    *, actor, date: Any, base: Any, quote: Any, rate: Any, unit: Any = None, source: str = RateSource.MANUAL
) -> ExchangeRate:
    """1 `base` = `rate` `quote` on `date`. Refused: an unknown or inactive currency, the same currency
    twice, a rate of 0 or below, a second rate for the pair and day (either direction)."""
    require_manager(actor)
    values, errors = clean_rate_row({"date": date, "base": base, "quote": quote, "rate": rate, "unit": unit})
    if not errors:
        taken = _existing(values["base"], values["quote"], values["date"])
        if taken is not None:
            errors["date"] = pair_taken_message(taken)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            row = ExchangeRate.objects.create(
                date=values["date"],
                base_id=values["base"],
                quote_id=values["quote"],
                rate=values["rate"],
                source=source,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                target=row,
                changes={k: [None, v] for k, v in _snapshot(row).items()},
            )
    except IntegrityError:  # entered at the same moment by someone else
        raise ValidationError(
            {"date": _("A rate for this pair and day was entered meanwhile: reload the page.")}
        ) from None
    return row


@transaction.atomic
def exchange_rate_update(*, actor, exchange_rate: ExchangeRate, version: Any, rate: Any) -> ExchangeRate:
    """Correct a rate's value (its pair and day stay: delete it and enter another to change them)."""
    require_manager(actor)
    current = lock(ExchangeRate, exchange_rate, version)
    value, problem = clean_rate(rate)
    if problem or value is None:
        raise ValidationError({"rate": problem})
    old = rate_text(current.rate)
    if rate_text(value) != old:
        current.rate = value
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=current, changes={"rate": [old, rate_text(value)]}
        )
    return current


@transaction.atomic
def exchange_rate_delete(*, actor, exchange_rate: ExchangeRate) -> None:
    """Delete a mistaken rate. Conversions already made keep the rate they copied."""
    require_manager(actor)
    pk = exchange_rate.pk
    changes = {k: [v, None] for k, v in _snapshot(exchange_rate).items()}
    ExchangeRate.objects.filter(pk=pk).delete()
    exchange_rate.pk = pk  # the audit entry names the row that was deleted
    audit_record(actor=actor, action=AuditAction.DELETE, target=exchange_rate, changes=changes)
