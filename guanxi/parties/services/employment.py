"""People as contacts of organizations (employment links)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.audit import audit_record
from guanxi.parties.choices import PartyKind
from guanxi.parties.models import Employment, Party
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.services.common import require_change
from guanxi.parties.validation import clean_text


@transaction.atomic
def employment_add(*, actor, person: Party, organization: Party, job_title: str = "") -> Employment:
    """Link a person to an organization (or change the job title there). The link changes both records,
    so the user must be allowed to change both."""
    if not party_visible(actor=actor).filter(pk=person.pk).exists():
        raise NotFoundError()
    require_change(actor, organization)
    require_change(actor, person)
    if person.kind != PartyKind.PERSON or organization.kind != PartyKind.ORGANIZATION:
        raise ValidationError({"organization": _("A person can only be linked to an organization.")})
    job_title = clean_text(job_title)
    if len(job_title) > 100:
        raise ValidationError({"job_title": _("Use at most 100 characters.")})
    emp, created = Employment.objects.get_or_create(
        person=person, organization=organization, defaults={"job_title": job_title}
    )
    if not created and emp.job_title != job_title:
        old, emp.job_title = emp.job_title, job_title
        emp.save(update_fields=["job_title"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=person,
            changes={f"job_title@{organization.name}": [old, job_title]},
        )
    elif created:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=person,
            changes={"organizations": [None, organization.name]},
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=organization,
            changes={"contacts": [None, person.name]},
        )
    return emp


@transaction.atomic
def employment_remove(*, actor, employment: Employment) -> None:
    require_change(actor, employment.organization)
    require_change(actor, employment.person)
    person, org = employment.person, employment.organization
    employment.delete()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=org, changes={"contacts": [person.name, None]}
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=person, changes={"organizations": [org.name, None]}
    )
