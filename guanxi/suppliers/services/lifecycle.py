"""The supplier lifecycle: named actions, each with a reason, that move a supplier's status.

candidate → qualified → approved → preferred; approved or preferred → on hold (e.g. a required document
expired) → approved again; any → blocked; any → phased out → candidate (onboarded anew). The status field on
the party is read-only everywhere else (guanxi.parties.fields: read_only).

Actions that **widen** what a supplier may receive (approve, prefer, unblock) wait for approval in the
approvals block ("suppliers.supplierstatuschange"; first rule: any Procurement Manager, never the proposer);
the others (qualify, hold, block, phase out, reactivate, end preferred) apply at once. Every step is a
SupplierStatusChange row and an entry in the supplier's history with the reason; the supplier's owner is told
when someone else changed it. A blocked, phased-out or on-hold supplier may not receive RFQs or purchase
orders (`may_receive_orders`, for the purchasing app).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.cleaning import clean_text, small_int
from guanxi.core.exceptions import GuanxiError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.approvals import approval_submit
from guanxi.core.services.audit import audit_record
from guanxi.parties.choices import SupplierStatus as S
from guanxi.parties.models import Party
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.suppliers.models import ChangeState, SupplierCategory, SupplierStatusChange
from guanxi.suppliers.permissions import Action
from guanxi.suppliers.selectors.suppliers import supplier_scope
from guanxi.suppliers.services.changes import decided_hook, locked_pending, rule_ensure, withdraw

DOCUMENT = "suppliers.supplierstatuschange"
ACTIVE = {S.CANDIDATE, S.QUALIFIED, S.APPROVED, S.PREFERRED, S.ON_HOLD}


@dataclass(frozen=True)
class LifecycleAction:
    key: str
    label: object  # a lazy translation
    to: str
    sources: frozenset[str]
    needs_approval: bool


ACTIONS = {
    a.key: a
    for a in (
        LifecycleAction("qualify", gettext_lazy("Qualify"), S.QUALIFIED, frozenset({S.CANDIDATE}), False),
        LifecycleAction(
            "approve", gettext_lazy("Approve"), S.APPROVED, frozenset({S.QUALIFIED, S.ON_HOLD}), True
        ),
        LifecycleAction(
            "prefer", gettext_lazy("Make preferred"), S.PREFERRED, frozenset({S.APPROVED, S.PREFERRED}), True
        ),
        LifecycleAction(
            "unprefer", gettext_lazy("End preferred"), S.APPROVED, frozenset({S.PREFERRED}), False
        ),
        LifecycleAction(
            "hold", gettext_lazy("Put on hold"), S.ON_HOLD, frozenset({S.APPROVED, S.PREFERRED}), False
        ),
        LifecycleAction("block", gettext_lazy("Block"), S.BLOCKED, frozenset(ACTIVE), False),
        LifecycleAction("unblock", gettext_lazy("Unblock"), S.QUALIFIED, frozenset({S.BLOCKED}), True),
        LifecycleAction(
            "phase_out", gettext_lazy("Phase out"), S.PHASED_OUT, frozenset(ACTIVE | {S.BLOCKED}), False
        ),
        LifecycleAction(
            "reactivate", gettext_lazy("Onboard again"), S.CANDIDATE, frozenset({S.PHASED_OUT}), False
        ),
    )
}


def may_receive_orders(party: Party) -> bool:
    """Whether RFQs and purchase orders may go to this supplier (the purchasing app's services ask)."""
    return (
        party.is_supplier and party.archived_at is None and party.supplier_status in {S.APPROVED, S.PREFERRED}
    )


def may_change_lifecycle(actor, party: Party) -> bool:
    from guanxi.core.roles import grants_for

    return (
        grants_for(actor).can(Action.LIFECYCLE)
        and party.is_supplier
        and party.archived_at is None
        and supplier_scope(actor=actor, mode="edit", action=Action.LIFECYCLE).filter(pk=party.pk).exists()
    )


def actions_for(party: Party) -> list[LifecycleAction]:
    """The actions that apply to the supplier's status now, in lifecycle order."""
    return [a for a in ACTIONS.values() if party.supplier_status in a.sources]


def _category(errors: dict, spec: LifecycleAction, party: Party, raw: Any):
    """The category a "make preferred" / "end preferred" step is for (required when the supplier supplies
    categories: preferred is per category), and the status the step leads to."""
    if spec.key not in ("prefer", "unprefer"):
        return None, spec.to
    supplied = {
        s.category_id: s for s in SupplierCategory.objects.filter(party=party).select_related("category")
    }
    pk = small_int(raw) if raw not in (None, "") else None
    if raw not in (None, "") and pk not in supplied:
        errors["category"] = _("Choose one of the categories this supplier supplies.")
        return None, spec.to
    if pk is None:
        if supplied:
            errors["category"] = _("Say in which category.")
        elif spec.key == "prefer" and party.supplier_status == S.PREFERRED:
            errors["action"] = _("%(name)s is preferred already.") % {"name": party.name}
        return None, spec.to
    chosen = supplied[pk]
    others = any(s.preferred for k, s in supplied.items() if k != pk)
    if spec.key == "prefer" and chosen.preferred:
        errors["category"] = _("Preferred in %(category)s already.") % {"category": chosen.category}
    if spec.key == "unprefer" and not chosen.preferred:
        errors["category"] = _("Not preferred in %(category)s.") % {"category": chosen.category}
    to = S.PREFERRED if spec.key == "prefer" or others else S.APPROVED
    return chosen.category, to


@transaction.atomic
def supplier_status_change(
    *, actor, party: Party, action: str, reason: str, category: Any = None
) -> SupplierStatusChange:
    """Take one lifecycle action with a reason. Applies at once, or waits for approval (returned pending).
    `category`: for "make preferred" and "end preferred", the category (of those the supplier supplies)."""
    spec = ACTIONS.get(str(action or ""))
    if spec is None:
        raise ValidationError({"action": _("Choose one of the lifecycle actions.")})
    if not party.is_supplier:
        raise ValidationError({"party": _("This party is not a supplier.")})
    if not may_change_lifecycle(actor, party):
        raise PermissionDeniedError(
            _("Only procurement users who may change this supplier move its lifecycle.")
        )
    errors: dict = {}
    reason = clean_text(errors, "reason", reason, max_length=500, required=True)
    current = Party.objects.select_for_update().get(pk=party.pk)
    if current.supplier_status not in spec.sources:
        errors["action"] = _("“%(action)s” does not apply to a supplier that is %(status)s.") % {
            "action": spec.label,
            "status": current.get_supplier_status_display(),
        }
    else:
        chosen, to = _category(errors, spec, current, category)
        if spec.key == "approve" and "action" not in errors:
            _refuse_unqualified(current)
    if errors:
        raise ValidationError(errors)
    change = SupplierStatusChange(
        party=current,
        action=spec.key,
        from_status=current.supplier_status,
        to_status=to,
        category=chosen,
        reason=reason,
        team=current.team,
        proposed_by=actor,
    )
    if not spec.needs_approval:  # applied below, in this transaction: never "waiting", so a block is never
        change.state, change.decided_at = ChangeState.APPLIED, timezone.now()  # held up by a waiting step
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"action": _("Another step of this supplier waits for approval: decide or withdraw it first.")}
        ) from exc
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=change,
        changes={
            "supplier_status": [change.from_status, change.to_status],
            "reason": [None, reason],
            **({"category": [None, str(chosen)]} if chosen else {}),
        },
        also=[current],
    )
    if spec.needs_approval:
        approval_submit(actor=actor, obj=change)  # a rule that needs no approval applies it at once
        change.refresh_from_db()
    else:
        _apply(change, actor)
    return change


def _apply(change: SupplierStatusChange, actor) -> None:
    party = Party.objects.select_for_update().get(pk=change.party_id)
    if party.supplier_status != change.from_status:  # e.g. blocked while this step waited for approval
        raise GuanxiError(
            _(
                "The supplier's status changed meanwhile (now %(status)s): reject this step and propose it again."
            )
            % {"status": party.get_supplier_status_display()}
        )
    if change.action == "approve":
        _refuse_unqualified(party)  # e.g. a document expired while the step waited
    party_set_supplier_status(actor=actor, party=party, status=change.to_status, reason=change.reason)
    _set_preferred(party, change)
    if change.state != ChangeState.APPLIED:
        change.state, change.decided_at = ChangeState.APPLIED, timezone.now()
        change.save(update_fields=["state", "decided_at"])
    if party.owner_id and party.owner_id not in (getattr(actor, "pk", None), change.proposed_by_id):
        transaction.on_commit(lambda: _tell_owner(party, change))


def _refuse_unqualified(party: Party) -> None:
    from guanxi.suppliers.services.qualifications import approval_blockers

    blockers = approval_blockers(party)
    if blockers:
        raise ValidationError({"action": " ".join([_("Not yet:"), *blockers])})


def _set_preferred(party: Party, change: SupplierStatusChange) -> None:
    """Preferred is per category: the step's category gains or loses it; a status other than preferred (on hold,
    blocked, phased out …) ends it in every category."""
    supplied = SupplierCategory.objects.filter(party=party)
    if change.to_status != S.PREFERRED:
        supplied.filter(preferred=True).update(preferred=False, preferred_at=None)
    elif change.category_id and change.action == "prefer":
        supplied.filter(category_id=change.category_id).update(preferred=True, preferred_at=timezone.now())
    elif change.category_id and change.action == "unprefer":
        supplied.filter(category_id=change.category_id).update(preferred=False, preferred_at=None)


def supplier_status_change_approved(change: SupplierStatusChange, actor) -> None:
    """The approvals block's on_approved: apply the step, inside the approval's transaction. Segregation of
    duties: whoever entered the supplier's qualification documents or proposed a change of its bank accounts
    does not approve it (the whole approval is refused and rolled back)."""
    from guanxi.suppliers.services.documents import entered_by

    # (The proposer "approves" only where a rule needs no approval: that is the rule's choice.)
    if getattr(actor, "pk", None) != change.proposed_by_id and entered_by(change.party, actor):
        raise PermissionDeniedError(
            _(
                "You entered qualification documents or bank details of %(name)s: someone else approves its "
                "status."
            )
            % {"name": change.party.name}
        )
    _apply(locked_pending(SupplierStatusChange, change), actor)


supplier_status_change_rejected = decided_hook(SupplierStatusChange, ChangeState.REJECTED)
supplier_status_change_withdrawn = decided_hook(SupplierStatusChange, ChangeState.WITHDRAWN)


def supplier_status_change_withdraw(*, actor, change: SupplierStatusChange) -> SupplierStatusChange:
    return withdraw(actor=actor, change=change)


def _tell_owner(party: Party, change: SupplierStatusChange) -> None:
    from guanxi.core.services.notifications import notify

    name, to = party.name, change.to_status
    notify(
        event="supplier.status_changed",
        recipients=[party.owner],
        title=lambda: _("%(name)s is now %(status)s.") % {"name": name, "status": S(to).label},
        url=party.get_absolute_url(),
    )


def lifecycle_rule_ensure() -> None:
    rule_ensure(DOCUMENT, "供应商状态变更 / Supplier status changes")
