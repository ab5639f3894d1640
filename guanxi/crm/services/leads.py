"""Writes of leads (线索): create (by hand or API), the public web form's entry, update, status changes,
disqualify with a reason, reopen, and convert into a customer + contact + opportunity. Each is one
transaction with its audit entry; edits carry the version the user saw (409 otherwise)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.crm.choices import LeadSource, LeadStatus
from guanxi.crm.models import DisqualifyReason, Lead, WebForm
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import leads as sel
from guanxi.crm.services.cleaning import in_edit_scope
from guanxi.parties.selectors.visibility import may_own
from guanxi.parties.services.common import default_team_id
from guanxi.parties.validation import normalize_email, normalize_phone, phone_without_extension

EDITABLE = [
    "source",
    "campaign",
    "person_name",
    "company_name",
    "job_title",
    "phone",
    "email",
    "wechat_id",
    "interest",
    "owner",
]
AUDITED = [*EDITABLE, "team", "status", "disqualify_reason", "disqualify_note"]
# The web form: at most this many entries from one address in WINDOW (more are refused without a trace).
RATE_LIMIT, WINDOW = 5, dt.timedelta(minutes=10)


def require_changer(actor) -> None:
    if not grants_for(actor).can(Action.LEAD_CHANGE):
        raise PermissionDeniedError()


def _lock(lead: Lead, version: Any) -> Lead:
    try:
        seen = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("Reload the lead and try again.")}) from exc
    current = Lead.objects.select_for_update().get(pk=lead.pk)
    if current.version != seen:
        raise ConflictError()
    return current


def _owner(errors: dict, actor, value) -> User | None:
    try:
        pk = value.pk if isinstance(value, User) else int(value)
    except (TypeError, ValueError):
        errors["owner"] = _("Choose an active user.")
        return None
    owner = User.objects.filter(pk=pk, is_active=True).first()
    if owner is None:
        errors["owner"] = _("Choose an active user.")
    elif not may_own(owner, is_customer=True, is_supplier=False):
        errors["owner"] = _("%(name)s cannot hold customers' leads.") % {"name": owner}
    elif actor is not None and not in_edit_scope(actor, owner=owner, team_id=default_team_id(owner)):
        errors["owner"] = _("You cannot hand a lead to someone outside your team.")
    else:
        return owner
    return None


def clean_lead(errors: dict, lead: Lead, data: dict, *, actor, creating: bool) -> None:
    """Set the given fields on `lead`; problems go into `errors`, one per field."""
    for field, limit in (
        ("campaign", 100),
        ("person_name", 100),
        ("company_name", 200),
        ("job_title", 100),
        ("wechat_id", 40),
    ):
        if creating or field in data:
            setattr(lead, field, clean_text(errors, field, data.get(field, ""), max_length=limit))
    if creating or "interest" in data:
        lead.interest = clean_text(
            errors, "interest", data.get("interest", ""), max_length=2000, multiline=True
        )
    if "source" in data or creating:
        source = data.get("source") or LeadSource.MANUAL
        if source not in LeadSource.values:
            errors["source"] = _("Choose a source from the list.")
        else:
            lead.source = source
    if "phone" in data or creating:
        raw = clean_text(errors, "phone", data.get("phone", ""), max_length=40)
        lead.phone, lead.phone_e164 = raw, ""
        if raw:
            try:
                lead.phone, normalized = normalize_phone(raw)
                lead.phone_e164 = phone_without_extension(normalized)
            except ValidationError as exc:
                errors["phone"] = exc.messages[0]
    if "email" in data or creating:
        raw = clean_text(errors, "email", data.get("email", ""), max_length=254)
        lead.email = ""
        if raw:
            try:
                lead.email = normalize_email(raw)
            except ValidationError:
                errors["email"] = _("Enter a valid email address.")
    if not (lead.person_name or lead.company_name) and not {"person_name", "company_name"} & set(errors):
        errors["person_name"] = _("Give the person's name, the company's, or both.")
    if "owner" in data:
        if data["owner"] in (None, ""):
            lead.owner = None
        else:
            owner = _owner(errors, actor, data["owner"])
            if owner is not None and owner.pk != lead.owner_id:
                lead.owner, lead.team_id = owner, default_team_id(owner) or lead.team_id


def _audit(actor, action: str, lead: Lead, changes: dict) -> None:
    if changes:
        audit_record(actor=actor, action=action, target=lead, changes=changes)


@transaction.atomic
def lead_create(*, actor, data: dict) -> Lead:
    """A lead entered by hand or through the API; owned by the actor unless another owner is given."""
    require_changer(actor)
    lead = Lead(created_by=actor)
    errors: dict = {}
    data = {**data, "owner": actor.pk} if data.get("owner") in (None, "") else data
    clean_lead(errors, lead, data, actor=actor, creating=True)
    if errors:
        raise ValidationError(errors)
    if lead.team_id is None:
        lead.team_id = default_team_id(lead.owner) or default_team_id(actor)
    lead.save()
    _audit(actor, AuditAction.CREATE, lead, diff({}, snapshot(lead, AUDITED)))
    return lead


def recent_entries(form: WebForm, ip: str | None) -> int:
    return Lead.objects.filter(submitted_ip=ip, created_at__gte=timezone.now() - WINDOW).count() if ip else 0


@transaction.atomic
def lead_submit(*, form: WebForm, data: dict, ip: str | None) -> Lead | None:
    """An entry of a public web form. Returns None (and stores nothing) for an inactive form or beyond the
    rate limit; the visitor is thanked the same either way, and never told whether the company or person is
    known already. Bad input is a ValidationError for the form to show."""
    if not form.active or recent_entries(form, ip) >= RATE_LIMIT:
        return None
    lead = Lead(source=LeadSource.WEB_FORM, web_form=form, submitted_ip=ip, campaign=form.campaign)
    errors: dict = {}
    allowed = {
        k: v
        for k, v in data.items()
        if k in ("person_name", "company_name", "job_title", "phone", "email", "wechat_id", "interest")
    }
    clean_lead(
        errors,
        lead,
        {**allowed, "source": LeadSource.WEB_FORM, "campaign": form.campaign},
        actor=None,
        creating=True,
    )
    if not (lead.phone or lead.email or lead.wechat_id) and not {"phone", "email", "wechat_id"} & set(errors):
        errors["phone"] = _("Leave a phone number, an email address or a WeChat ID so that we can reply.")
    if errors:
        raise ValidationError(errors)
    lead.owner = form.owner if form.owner and form.owner.is_active else None
    lead.team_id = form.team_id or default_team_id(lead.owner)
    lead.save()
    audit_record(
        actor=None, action=AuditAction.CREATE, target=lead, changes=diff({}, snapshot(lead, AUDITED))
    )
    if lead.owner is not None:
        transaction.on_commit(lambda: _tell_owner(lead))
    return lead


def _tell_owner(lead: Lead) -> None:
    from guanxi.core.services.notifications import notify

    name = str(lead)
    notify(
        event="lead.new",
        recipients=[lead.owner],
        title=lambda: _("New lead from the web form: %(name)s") % {"name": name},
        url=lead.get_absolute_url(),
    )


def _editable(actor, lead: Lead) -> None:
    require_changer(actor)
    sel.lead_get(actor=actor, pk=lead.pk, mode="edit")


@transaction.atomic
def lead_update(*, actor, lead: Lead, version: Any, data: dict) -> Lead:
    _editable(actor, lead)
    current = _lock(lead, version)
    if current.status == LeadStatus.CONVERTED:
        raise ValidationError(
            {"status": _("This lead is converted: change the customer or the opportunity instead.")}
        )
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    before = snapshot(current, AUDITED)
    errors: dict = {}
    clean_lead(errors, current, data, actor=actor, creating=False)
    if errors:
        raise ValidationError(errors)
    changes = diff(before, snapshot(current, AUDITED))
    if changes:
        current.version += 1
        current.save()
        _audit(actor, AuditAction.UPDATE, current, changes)
    return current


@transaction.atomic
def lead_set_status(
    *, actor, lead: Lead, version: Any, status: str, reason: Any = None, note: str = ""
) -> Lead:
    """new / working / qualified, or disqualified with a reason (and a note); a disqualified lead reopens to
    working. A converted lead stays converted."""
    _editable(actor, lead)
    current = _lock(lead, version)
    if current.status == LeadStatus.CONVERTED:
        raise ValidationError({"status": _("This lead is converted already.")})
    if status not in (LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.QUALIFIED, LeadStatus.DISQUALIFIED):
        raise ValidationError({"status": _("Choose new, working, qualified or disqualified.")})
    before = snapshot(current, AUDITED)
    errors: dict = {}
    if status == LeadStatus.DISQUALIFIED:
        try:
            pk = int(reason.pk if isinstance(reason, DisqualifyReason) else reason)
            current.disqualify_reason = DisqualifyReason.objects.get(pk=pk, archived_at__isnull=True)
        except (TypeError, ValueError, DisqualifyReason.DoesNotExist):
            errors["disqualify_reason"] = _("Say why the lead is disqualified.")
        current.disqualify_note = clean_text(errors, "disqualify_note", note, max_length=500)
    else:
        current.disqualify_reason, current.disqualify_note = None, ""
    if errors:
        raise ValidationError(errors)
    current.status = status
    changes = diff(before, snapshot(current, AUDITED))
    if changes:
        current.version += 1
        current.save()
        _audit(actor, AuditAction.UPDATE, current, changes)
    return current
