"""Adding the supplier role to a company that is already registered (one party per company, ADR 0001).

A buyer onboarding a supplier gives its unified social credit code; when a party already holds it, creating a
second 华为技术有限公司 is refused (guanxi.parties.services.extras) and this asks instead. The code is looked
up among **every** party (not only those the buyer sees); the answer names the company only to someone who may
open it. The party's owner — or an administrator (always, and when it has no active owner) — consents or
declines; consenting makes the party a supplier too (a candidate: onboarding starts), the owner and the rest
stay. One request waits per party (a partial unique index: two buyers at once get one request). Everyone
concerned is told: the owner and the administrators when asked, the requester when decided."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.parties.choices import IdentifierScheme
from guanxi.parties.models import Party, PartyIdentifier
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.selectors.visibility import can_edit_roles
from guanxi.parties.services.holders import party_add_supplier_role
from guanxi.parties.validation import validate_identifier
from guanxi.suppliers.models import RoleRequestState, SupplierRoleRequest
from guanxi.suppliers.selectors.role_requests import administrators


def may_decide(actor, request: SupplierRoleRequest) -> bool:
    owner = request.party.owner
    if getattr(actor, "pk", None) is None:
        return False
    if owner is not None and owner.is_active and owner.pk == actor.pk:
        return True
    return administrators().filter(pk=actor.pk).exists()


def may_ask(actor) -> bool:
    return can_edit_roles(actor, is_customer=False, is_supplier=True)


def _named(actor, party: Party) -> str:
    return party.name if party_visible(actor=actor).filter(pk=party.pk).exists() else _("this company")


@transaction.atomic
def supplier_role_request(*, actor, uscc: Any, reason: Any) -> SupplierRoleRequest:
    """Ask to add the supplier role to the party that holds this unified social credit code."""
    if not may_ask(actor):
        raise PermissionDeniedError(_("Only users who may hold suppliers ask for the supplier role."))
    errors: dict = {}
    why = clean_text(errors, "reason", reason, max_length=500, required=True)
    code = ""
    try:
        _country, code = validate_identifier(IdentifierScheme.CN_USCC, "CN", str(uscc or ""))
    except ValidationError as exc:
        errors["uscc"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    holder = (
        PartyIdentifier.objects.filter(scheme=IdentifierScheme.CN_USCC, country="CN", value=code)
        .select_related("party", "party__owner")
        .first()
    )
    if holder is None:
        raise ValidationError({"uscc": _("No company has this code yet: create the supplier.")})
    party = Party.objects.select_for_update().get(pk=holder.party_id)
    if party.merged_into_id or party.archived_at:
        raise ValidationError({"uscc": _("The company with this code is archived: ask an administrator.")})
    if party.is_supplier:
        raise ValidationError(
            {"uscc": _("%(name)s is a supplier already (owner: %(owner)s).")
             % {"name": _named(actor, party), "owner": party.owner or _("nobody (unassigned)")}}
        )  # fmt: skip
    try:
        with transaction.atomic():
            request = SupplierRoleRequest.objects.create(party=party, reason=why, requested_by=actor)
    except IntegrityError as exc:
        raise ValidationError(
            {"uscc": _("Someone asked for this company already: the request waits for consent.")}
        ) from exc
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=request, changes={"reason": [None, why]}, also=[party]
    )
    recipients = {u.pk: u for u in administrators()}
    if party.owner is not None and party.owner.is_active:
        recipients[party.owner.pk] = party.owner
    transaction.on_commit(lambda: _tell(request, list(recipients.values()), asked=True))
    return request


@transaction.atomic
def supplier_role_decide(
    *, actor, request: SupplierRoleRequest, accept: bool, note: Any = ""
) -> SupplierRoleRequest:
    current = (
        SupplierRoleRequest.objects.select_for_update(of=("self",))
        .select_related("party__owner")
        .get(pk=request.pk)
    )
    if not may_decide(actor, current):
        raise PermissionDeniedError(_("The company's owner or an administrator decides."))
    if current.state != RoleRequestState.PENDING:
        raise ConflictError(_("This request was decided or withdrawn already."))
    errors: dict = {}
    why = clean_text(errors, "note", note, max_length=500, required=not accept)
    if errors:
        raise ValidationError(errors)
    current.state = RoleRequestState.ACCEPTED if accept else RoleRequestState.DECLINED
    current.decided_by, current.decided_at, current.decision_note = actor, timezone.now(), why
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    party = Party.objects.select_for_update().get(pk=current.party_id)
    if accept:
        party_add_supplier_role(actor=actor, party=party, reason=current.reason)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=current,
        changes={
            "state": [RoleRequestState.PENDING, current.state],
            **({"note": [None, why]} if why else {}),
        },
        also=[party],
    )
    if current.requested_by is not None and current.requested_by.pk != actor.pk:
        transaction.on_commit(lambda: _tell(current, [current.requested_by], asked=False))
    return current


@transaction.atomic
def supplier_role_withdraw(*, actor, request: SupplierRoleRequest) -> SupplierRoleRequest:
    current = SupplierRoleRequest.objects.select_for_update().get(pk=request.pk)
    if current.requested_by_id != getattr(actor, "pk", None):
        raise PermissionDeniedError(_("Only who asked withdraws the request."))
    if current.state != RoleRequestState.PENDING:
        raise ConflictError(_("This request was decided or withdrawn already."))
    current.state, current.decided_at = RoleRequestState.WITHDRAWN, timezone.now()
    current.save(update_fields=["state", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=current,
        changes={"state": [RoleRequestState.PENDING, current.state]},
    )
    return current


def _tell(request: SupplierRoleRequest, recipients: list, *, asked: bool) -> None:
    from guanxi.core.services.notifications import notify

    name, state = request.party.name, request.state

    def title() -> str:  # in each recipient's language
        if asked:
            return _("Add the supplier role to %(name)s? A buyer asks.") % {"name": name}
        return _("Your request for %(name)s: %(state)s") % {
            "name": name,
            "state": RoleRequestState(state).label,
        }

    notify(event="supplier.role_request", recipients=recipients, title=title, url=request.get_absolute_url())
