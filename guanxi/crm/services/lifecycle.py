"""The customer lifecycle, driven by sales: prospect → active on the first confirmed order (services.orders);
active → inactive after the set number of days without an order (the daily job below); lost when someone
marks it, with a reason. Changes go through the parties app's hook (party_set_customer_status), audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.crm.choices import OrderState
from guanxi.crm.models import SalesOrder, SalesSettings
from guanxi.crm.services.pipelines import _number, require_manager
from guanxi.parties.choices import CustomerStatus
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import party_get
from guanxi.parties.services.common import require_change
from guanxi.parties.services.holders import party_set_customer_status


@transaction.atomic
def sales_settings_save(*, actor, data: dict) -> SalesSettings:
    require_manager(actor)
    s = SalesSettings.current()
    errors: dict = {}
    n = _number(errors, "inactive_after_days", data.get("inactive_after_days"), low=1, high=3650)
    if errors or n is None:
        raise ValidationError(errors)
    if n != s.inactive_after_days:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=s,
            changes={"inactive_after_days": [s.inactive_after_days, n]},
        )
        s.inactive_after_days, s.version = n, s.version + 1
        s.save()
    return s


def customers_mark_inactive(*, today: dt.date | None = None) -> int:
    """The daily job: active customers whose last confirmed order is older than the setting become inactive
    (each once: the status update is conditional)."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=SalesSettings.current().inactive_after_days)
    orders = SalesOrder.objects.filter(customer=OuterRef("pk")).exclude(state=OrderState.CANCELLED)
    due = (
        Party.objects.filter(
            is_customer=True, customer_status=CustomerStatus.ACTIVE, archived_at__isnull=True
        )
        .filter(Exists(orders))
        .exclude(Exists(orders.filter(ordered_on__gt=cutoff)))
    )
    done = 0
    for party in due.iterator():
        with transaction.atomic():
            if party_set_customer_status(
                actor=None,
                party=party,
                status=CustomerStatus.INACTIVE,
                reason=_("No order since %(day)s") % {"day": cutoff.isoformat()},
            ):
                done += 1
    return done


@transaction.atomic
def customer_mark_lost(*, actor, party: Party, reason: str) -> Party:
    """Someone who may change the customer marks it lost (流失客户), saying why."""
    party = party_get(actor=actor, pk=party.pk, mode="edit")
    require_change(actor, party)
    errors: dict = {}
    why = clean_text(errors, "reason", reason, max_length=200, required=True)
    if errors:
        raise ValidationError(errors)
    if not party.is_customer:
        raise ValidationError({"reason": _("Only a customer is marked lost.")})
    party_set_customer_status(actor=actor, party=party, status=CustomerStatus.LOST, reason=why)
    return party
