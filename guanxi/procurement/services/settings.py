"""The purchasing settings (one row, guanxi.procurement.models.PurchasingSettings), changed by administrators:
how far a receipt may go above the open quantity, how many days back it may be dated, and the invoice match's
tolerances. One save checks every field, refuses a stale version (ConflictError, 409) and audits what changed."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_number
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.procurement.models import PurchasingSettings

# The fields an administrator edits: (name, decimal places, highest value).
FIELDS = (
    ("over_delivery_percent", 2, Decimal(100)),
    ("backdate_days", 0, Decimal(365)),
    ("price_tolerance_percent", 2, Decimal(100)),
    ("price_tolerance_amount", 2, Decimal(10**9)),
    ("quantity_tolerance_percent", 2, Decimal(100)),
    ("rfq_min_quotes", 0, Decimal(20)),
    ("rfq_min_quotes_above", 2, Decimal(10**12)),
)
EDITABLE = tuple(name for name, _places, _high in FIELDS)


def require_admin(actor) -> None:
    if actor is None or not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


@transaction.atomic
def purchasing_settings_save(*, actor, data: dict) -> PurchasingSettings:
    """data: the fields of EDITABLE that change (a field left out keeps its value) and "version", the version
    the user saw."""
    require_admin(actor)
    errors: dict = {}
    values: dict = {}
    for key in sorted(set(data) - {*EDITABLE, "version"}):
        errors[key] = _("Unknown field.")
    for name, places, high in FIELDS:
        if name not in data:
            continue
        value = data[name]
        if value in (None, ""):
            errors[name] = _("This field is required.")
            continue
        number = clean_number(errors, name, value, places=places, low=Decimal(0), high=high)
        if number is not None:
            values[name] = int(number) if places == 0 else number.quantize(Decimal(1).scaleb(-places))
    version = str(data.get("version") or "").strip()
    if not version:
        errors["version"] = _("Reload the page and try again: the version is missing.")
    if errors:
        raise ValidationError(errors)
    PurchasingSettings.current()  # the row exists before it is locked
    current = PurchasingSettings.objects.select_for_update().get(pk=1)
    if str(current.version) != version:
        raise ConflictError()
    before = snapshot(current, EDITABLE)
    for name, value in values.items():
        setattr(current, name, value)
    changes = diff(before, snapshot(current, EDITABLE))
    if not changes:
        return current
    current.save(update_fields=list(values))
    PurchasingSettings.objects.filter(pk=current.pk).update(version=F("version") + 1)
    audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
    current.refresh_from_db()
    return current
