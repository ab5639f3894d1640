"""Reading currencies and tax rates. Any user with a role may read them; changing them is
services.money (Settings → manage)."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import Currency, TaxRate
from guanxi.core.money.tax import percent_text
from guanxi.core.roles import grants_for


def require_reader(actor) -> None:
    """Currencies, rates and taxes are for every user with a role (a user without one sees nothing)."""
    if not grants_for(actor).actions:
        raise PermissionDeniedError()


def currency_list(*, actor, active: bool | None = None) -> QuerySet[Currency]:
    require_reader(actor)
    qs = Currency.objects.order_by("-active", "code")
    return qs if active is None else qs.filter(active=active)


def currency_get(*, actor, code: str) -> Currency:
    require_reader(actor)
    currency = Currency.objects.filter(code=str(code).strip().upper()[:3]).first()
    if currency is None:
        raise NotFoundError()
    return currency


def currency_choices(*, include: str | None = None) -> list[tuple[str, str]]:
    """Active currencies for a picker, as (code, "CNY · 人民币"), plus `include` (the saved value of a
    record, even if its currency has been turned off since)."""
    rows = Currency.objects.filter(active=True) | Currency.objects.filter(code=include or "")
    return [(c.code, f"{c.code} · {c.name}") for c in rows.order_by("code")]


def tax_rate_list(*, actor, active: bool | None = None) -> QuerySet[TaxRate]:
    require_reader(actor)
    qs = TaxRate.objects.order_by("-active", "-rate", "-kind", "code")
    return qs if active is None else qs.filter(active=active)


def tax_rate_get(*, actor, pk: int) -> TaxRate:
    require_reader(actor)
    tax = TaxRate.objects.filter(pk=pk).first()
    if tax is None:
        raise NotFoundError()
    return tax


def tax_rate_by_code(code: str) -> TaxRate | None:
    """A tax rate by its code ("vat13"), for a later app's import or defaults; None if there is none."""
    return TaxRate.objects.filter(code=code).first()


def tax_rate_choices(*, include: int | None = None) -> list[tuple[int, str]]:
    """Active tax rates for a picker, as (id, "增值税 13%"), plus `include` (a record's saved rate)."""
    rows = TaxRate.objects.filter(active=True) | TaxRate.objects.filter(pk=include or 0)
    return [(t.pk, t.name or percent_text(t.rate)) for t in rows.order_by("-rate", "-kind", "code")]
