"""Converting a qualified lead in one step: a customer organization (an existing one the user picks among the
duplicates found, or a new one), a contact (existing or new, linked to the organization) and, if asked, an
opportunity. One transaction: a refusal anywhere leaves nothing behind. The parties are made through the
parties app's services, with its rules (who may create or change what)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.crm.choices import LeadStatus
from guanxi.crm.models import Lead
from guanxi.crm.services.leads import _editable, _lock
from guanxi.crm.services.opportunities import opportunity_create
from guanxi.parties.choices import PartyKind
from guanxi.parties.models import Employment, Party
from guanxi.parties.selectors.parties import party_get
from guanxi.parties.services.cleaning import PartyExtras
from guanxi.parties.services.employment import employment_add
from guanxi.parties.services.parties import party_create

NEW = "new"


@dataclass
class Conversion:
    """What the user chose: `organization` / `contact` are a party id, NEW, or "" (none: a person buying for
    themselves has no organization); `opportunity` holds its fields, or is None for no opportunity."""

    organization: Any = NEW
    contact: Any = NEW
    opportunity: dict | None = field(default_factory=dict)


def _existing(actor, pk, kind: str, field_name: str) -> Party:
    try:
        party = party_get(actor=actor, pk=pk)
    except Exception as exc:  # NotFoundError: the same message whether it exists or not
        raise ValidationError({field_name: _("Choose a record you can see.")}) from exc
    if party.kind != kind:
        raise ValidationError({field_name: _("Choose a record of the right kind.")})
    return party


@transaction.atomic
def lead_convert(*, actor, lead: Lead, version: Any, choice: Conversion) -> Lead:
    _editable(actor, lead)
    current = _lock(lead, version)
    if current.status == LeadStatus.CONVERTED:
        raise ValidationError({"status": _("This lead is converted already.")})
    if current.status == LeadStatus.DISQUALIFIED:
        raise ValidationError({"status": _("Reopen the lead before converting it.")})
    owner = current.owner or actor
    org = None
    if choice.organization == NEW:
        if not current.company_name:
            raise ValidationError({"organization": _("The lead has no company name: choose one or none.")})
        org = party_create(
            actor=actor,
            data={
                "kind": PartyKind.ORGANIZATION,
                "name": current.company_name,
                "is_customer": True,
                "owner": owner.pk,
            },
            allow_duplicates=True,  # the user saw the duplicates and chose a new one
        )
    elif choice.organization not in (None, ""):
        org = _existing(actor, choice.organization, PartyKind.ORGANIZATION, "organization")
    contact = None
    if choice.contact == NEW:
        if not current.person_name:
            raise ValidationError({"contact": _("The lead has no person's name: choose a contact or none.")})
        extras = PartyExtras(
            phones=[current.phone] if current.phone else [], emails=[current.email] if current.email else []
        )
        data = {"kind": PartyKind.PERSON, "name": current.person_name, "owner": owner.pk}
        if current.wechat_id:
            data["wechat_id"] = current.wechat_id
        if org is None:
            data["is_customer"] = True
        contact = party_create(
            actor=actor,
            data=data,
            extras=extras,
            organization=org,
            job_title=current.job_title,
            allow_duplicates=True,
        )
    elif choice.contact not in (None, ""):
        contact = _existing(actor, choice.contact, PartyKind.PERSON, "contact")
        if org is not None and not Employment.objects.filter(person=contact, organization=org).exists():
            employment_add(actor=actor, person=contact, organization=org, job_title=current.job_title)
    customer = org or contact
    if customer is None:
        raise ValidationError(
            {"organization": _("Choose or create the customer: an organization or a person.")}
        )
    opportunity = None
    if choice.opportunity is not None:
        data = {"name": str(current), "customer": customer.pk, "owner": owner.pk, **choice.opportunity}
        if contact is not None and org is not None:
            data.setdefault("contacts", [{"contact": contact.pk, "role": "other"}])
        opportunity = opportunity_create(actor=actor, data=data)
    current.status, current.converted_at = LeadStatus.CONVERTED, timezone.now()
    current.organization, current.contact, current.opportunity = org, contact, opportunity
    current.version += 1
    current.save()
    changes: dict[str, list] = {"status": [str(LeadStatus.QUALIFIED.label), str(LeadStatus.CONVERTED.label)]}
    for key, obj in (("organization", org), ("contact", contact), ("opportunity", opportunity)):
        if obj is not None:
            changes[key] = [None, str(obj)]
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=current,
        changes=changes,
        also=[p for p in (org, contact) if p is not None],
    )
    return current
