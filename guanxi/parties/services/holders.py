"""Who holds a party, changed by a higher app after its own rules (the sales pools: a rep claims a customer
from a pool, a manager assigns one, a scheduled job returns one to the pool). The caller has checked who may
do it; this checks only that the new owner can hold the party, writes the change with its audit entry, and
says why. Parties' own edits (the form, bulk assign) keep their rules in services.parties and services.bulk."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.models import User
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.parties.models import Party
from guanxi.parties.selectors.visibility import may_own
from guanxi.parties.services.common import default_team_id


def party_set_holder(*, actor, party: Party, owner: User | None, reason: str = "") -> Party:
    """Give `party` to `owner` (their first team), or to nobody (owner and team cleared: it sits in a pool).
    Call inside the caller's transaction, with the party's row locked or freshly read. Returns the party."""
    if owner is not None and not may_own(owner, is_customer=party.is_customer, is_supplier=party.is_supplier):
        raise ValidationError({"owner": _("%(name)s cannot hold this party.") % {"name": owner}})
    before = str(party.owner) if party.owner_id else None
    team_id = default_team_id(owner) if owner is not None else None
    Party.objects.filter(pk=party.pk).update(
        owner=owner, team_id=team_id, version=F("version") + 1, updated_at=timezone.now()
    )
    party.owner, party.team_id, party.version = owner, team_id, party.version + 1
    changes: dict = {"owner": [before, str(owner) if owner else None]}
    if reason:
        changes["reason"] = [None, reason]
    audit_record(actor=actor, action=AuditAction.UPDATE, target=party, changes=changes)
    return party


def party_set_supplier_status(*, actor, party: Party, status: str, reason: str = "") -> bool:
    """The supplier lifecycle, moved by the suppliers app's named actions (qualify, approve, block …) after its
    own rules and approvals. Returns whether it changed; audited with the reason."""
    from guanxi.parties.choices import SupplierStatus

    if status not in SupplierStatus.values:
        raise ValidationError({"supplier_status": _("Choose a supplier status from the list.")})
    before = party.supplier_status
    changed = (
        Party.objects.filter(pk=party.pk, is_supplier=True)
        .exclude(supplier_status=status)
        .update(supplier_status=status, version=F("version") + 1, updated_at=timezone.now())
    )
    if not changed:
        return False
    party.supplier_status = status
    party.version += 1
    changes: dict = {"supplier_status": [before, status]}
    if reason:
        changes["reason"] = [None, reason]
    audit_record(actor=actor, action=AuditAction.UPDATE, target=party, changes=changes)
    return True


def party_add_supplier_role(*, actor, party: Party, reason: str = "") -> bool:
    """The party becomes a supplier too (a candidate), after the suppliers app's consent rules. The owner and
    everything else stay. Returns whether it changed; audited with the reason."""
    changed = Party.objects.filter(pk=party.pk, is_supplier=False).update(
        is_supplier=True, supplier_status="candidate", version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        return False
    party.is_supplier, party.supplier_status = True, "candidate"
    party.version += 1
    changes: dict = {"is_supplier": [False, True], "supplier_status": ["", "candidate"]}
    if reason:
        changes["reason"] = [None, reason]
    audit_record(actor=actor, action=AuditAction.UPDATE, target=party, changes=changes)
    return True


def party_set_customer_status(*, actor, party: Party, status: str, reason: str = "") -> bool:
    """The customer lifecycle, moved by a higher app's events (the first confirmed order makes a prospect an
    active customer; a scheduled job makes it inactive). Returns whether it changed; audited with the reason."""
    from guanxi.parties.choices import CustomerStatus

    if status not in CustomerStatus.values:
        raise ValidationError({"customer_status": _("Choose a customer status from the list.")})
    before = party.customer_status
    changed = (
        Party.objects.filter(pk=party.pk, is_customer=True)
        .exclude(customer_status=status)
        .update(customer_status=status, version=F("version") + 1, updated_at=timezone.now())
    )
    if not changed:
        return False
    party.customer_status = status
    changes: dict = {"customer_status": [before, status]}
    if reason:
        changes["reason"] = [None, reason]
    audit_record(actor=actor, action=AuditAction.UPDATE, target=party, changes=changes)
    return True
