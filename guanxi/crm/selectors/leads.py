"""Reads of leads, permission-scoped like customers (own / team / all on owner and team): a lead without an
owner is reached through its team. And the duplicates a lead's conversion should offer."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.core.selectors.record_rules import scope_q
from guanxi.crm.choices import LeadSource, LeadStatus
from guanxi.crm.models import Lead
from guanxi.crm.permissions import AREA, Action
from guanxi.parties.choices import PartyKind
from guanxi.parties.selectors.duplicates import DuplicateHit, find_duplicates


def require_reader(actor) -> None:
    if not grants_for(actor).can(Action.LEAD_VIEW):
        raise PermissionDeniedError()


def lead_visible(*, actor, mode: str = "view") -> QuerySet[Lead]:
    if not grants_for(actor).can(Action.LEAD_VIEW if mode == "view" else Action.LEAD_CHANGE):
        return Lead.objects.none()
    q = scope_q(actor, area=AREA, mode=mode)
    return Lead.objects.all() if q is None else Lead.objects.filter(q)


def lead_get(*, actor, pk, mode: str = "view") -> Lead:
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < pk < 2**63:
        raise NotFoundError()
    lead = (
        lead_visible(actor=actor, mode=mode)
        .select_related(
            "owner", "team", "disqualify_reason", "web_form", "organization", "contact", "opportunity"
        )
        .filter(pk=pk)
        .first()
    )
    if lead is None:
        if mode == "edit" and lead_visible(actor=actor).filter(pk=pk).exists():
            raise PermissionDeniedError(_("You may see this lead but not change it."))
        raise NotFoundError()
    return lead


@dataclass(frozen=True)
class LeadFilters:
    status: str = ""  # "" = open (new, working, qualified); a status; "all"
    source: str = ""
    owner: str = ""  # "me", "none" (unassigned) or a user id
    q: str = ""


OPEN = [LeadStatus.NEW, LeadStatus.WORKING, LeadStatus.QUALIFIED]
ORDERING = ["-created_at", "-id"]


def lead_list(*, actor, filters: LeadFilters) -> QuerySet[Lead]:
    require_reader(actor)
    qs = lead_visible(actor=actor)
    f = filters
    if f.status == "":
        qs = qs.filter(status__in=OPEN)
    elif f.status in LeadStatus.values:
        qs = qs.filter(status=f.status)
    elif f.status != "all":
        raise ValidationError({"status": _("Choose a status from the list.")})
    if f.source:
        if f.source not in LeadSource.values:
            raise ValidationError({"source": _("Choose a source from the list.")})
        qs = qs.filter(source=f.source)
    if f.owner == "me":
        qs = qs.filter(owner_id=actor.pk)
    elif f.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif f.owner:
        try:
            owner = int(f.owner)
        except ValueError as exc:
            raise ValidationError({"owner": _("Choose a user.")}) from exc
        if not 0 < owner < 2**53:
            raise ValidationError({"owner": _("Choose a user.")})
        qs = qs.filter(owner_id=owner)
    if f.q:
        digits = "".join(ch for ch in f.q if ch.isdigit())
        by_phone = Q(phone_e164__contains=digits) if len(digits) >= 5 else Q(pk__in=[])
        qs = qs.filter(
            by_phone
            | Q(company_name__icontains=f.q)
            | Q(person_name__icontains=f.q)
            | Q(email__icontains=f.q)
            | Q(phone__icontains=f.q)
        )
    return qs.select_related("owner").order_by(*ORDERING)


@dataclass
class LeadDuplicates:
    organizations: list[DuplicateHit]
    people: list[DuplicateHit]


def lead_duplicates(*, actor, lead: Lead) -> LeadDuplicates:
    """Existing organizations and people that look like the lead's (every party, visible or not; an invisible
    one is shown only as "a record you cannot open, owned by …")."""
    emails = [lead.email] if lead.email else []
    phones = [lead.phone_e164] if lead.phone_e164 else []
    orgs = (
        find_duplicates(actor=actor, name=lead.company_name, identifiers=[], emails=emails, phones_e164=[])
        if lead.company_name or emails
        else []
    )
    people = (
        find_duplicates(
            actor=actor,
            name=lead.person_name,
            identifiers=[],
            emails=emails,
            phones_e164=phones,
            kind=PartyKind.PERSON,
        )
        if lead.person_name or emails or phones
        else []
    )
    return LeadDuplicates(orgs, people)
