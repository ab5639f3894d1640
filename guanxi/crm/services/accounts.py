"""The sales app's own data about a customer: its level (客户等级). Set by whoever may change the customer;
audited on the customer; the pools' rules may depend on it (guanxi.crm.selectors.pools.due_for_return)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.crm.choices import CustomerLevel
from guanxi.crm.models import CustomerAccount
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import party_get
from guanxi.parties.services.common import require_change


@transaction.atomic
def customer_level_set(*, actor, party: Party, level: str) -> CustomerAccount:
    """Give the customer a level ("" for none)."""
    party = party_get(actor=actor, pk=party.pk, mode="edit")
    require_change(actor, party)
    level = str(level or "")
    if level and level not in CustomerLevel.values:
        raise ValidationError({"level": _("Choose a customer level from the list.")})
    if not party.is_customer:
        raise ValidationError({"level": _("Only a customer has a customer level.")})
    Party.objects.select_for_update().filter(pk=party.pk).first()  # one change at a time per customer
    account, _created = CustomerAccount.objects.get_or_create(party=party)
    if account.level != level:
        before = account.level or None
        account.level, account.updated_by = level, actor
        account.save()
        # The code, not its label: the History tab shows it in the reader's language (guanxi.crm.audit_display).
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=party,
            changes={"customer_level": [before, level or None]},
        )
    return account
