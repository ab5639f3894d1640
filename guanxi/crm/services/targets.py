"""Sales targets (目标) per rep and month, set by those who manage pipelines for the reps their scope reaches.
An empty amount removes the target. Each change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.models import User
from guanxi.core.models.audit import AuditAction
from guanxi.core.money import clean_amount, currency_check
from guanxi.core.services.audit import audit_record
from guanxi.crm.models import SalesTarget
from guanxi.crm.selectors.totals import home_currency
from guanxi.crm.services.cleaning import in_edit_scope
from guanxi.crm.services.pipelines import require_manager
from guanxi.parties.services.common import default_team_id


@transaction.atomic
def sales_targets_save(*, actor, year: int, entries: list[dict[str, Any]]) -> int:
    """`entries`: {"owner": user or id, "month": 1…12, "amount": "…" or "" (none), "currency": code}. Returns
    how many targets changed. Every problem is reported at once ("owner-3-month-5" style keys: "targets")."""
    require_manager(actor)
    if not 1900 <= int(year) <= 2200:
        raise ValidationError({"year": _("Enter a year between 1900 and 2200.")})
    errors: dict[str, str] = {}
    users = {
        u.pk: u for u in User.objects.filter(pk__in=[_pk(e.get("owner")) for e in entries], is_active=True)
    }
    default_currency = home_currency()
    changed = 0
    for e in entries:
        owner_id = _pk(e.get("owner"))
        owner = users.get(owner_id) if owner_id is not None else None
        try:
            month = dt.date(int(year), int(e.get("month") or 0), 1)
        except (TypeError, ValueError):
            errors[f"targets[{len(errors)}]"] = _("Choose a month from 1 to 12.")
            continue
        if owner is None:
            errors[f"targets[{len(errors)}]"] = _("Choose an active user.")
            continue
        if not in_edit_scope(actor, owner=owner, team_id=default_team_id(owner)):
            errors[f"targets[{len(errors)}]"] = _("%(name)s is outside your team.") % {"name": owner}
            continue
        raw = e.get("amount")
        current = SalesTarget.objects.select_for_update().filter(owner=owner, month=month).first()
        if raw in (None, ""):
            if current is not None:
                audit_record(
                    actor=actor,
                    action=AuditAction.DELETE,
                    target=current,
                    changes={"amount": [str(current.amount), None]},
                )
                current.delete()
                changed += 1
            continue
        try:
            # Not given (the grid): the target keeps its currency; a new one is in the home currency.
            code = e.get("currency") or (current.currency_id if current is not None else default_currency)
            currency = currency_check(code, field="currency")
            amount = clean_amount(raw, currency=currency.code, field="amount")
        except ValidationError as exc:
            for m in exc.messages:
                errors[f"targets[{len(errors)}]"] = f"{owner} {month:%Y-%m}: {m}"
            continue
        if current is None:
            current = SalesTarget.objects.create(owner=owner, month=month, amount=amount, currency=currency)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                target=current,
                changes={"amount": [None, str(amount)]},
            )
            changed += 1
        elif current.amount != amount or current.currency_id != currency.code:
            before = f"{current.currency_id} {current.amount}"
            current.amount, current.currency, current.version = amount, currency, current.version + 1
            current.save()
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=current,
                changes={"amount": [before, f"{currency.code} {amount}"]},
            )
            changed += 1
    if errors:
        raise ValidationError(errors)
    return changed


def _pk(value) -> int | None:
    try:
        return value.pk if isinstance(value, User) else int(value)
    except (TypeError, ValueError):
        return None
