"""Writes to parties. Each function is one atomic change with its audit entry.

Services validate everything (a ValidationError maps field -> message) before writing anything,
so a bad request never half-saves; role and record rules are checked here, so web and API agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.exceptions import ConflictError, GuanxiError, NotFoundError, PermissionDeniedError
from guanxi.core.models import Team, TeamMembership, User
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.parties.choices import (
    ContactPointKind,
    CustomerStatus,
    IdentifierScheme,
    PartyKind,
    SupplierStatus,
)
from guanxi.parties.models import ContactPoint, Employment, Party, PartyIdentifier, PartyNote, Tag
from guanxi.parties.search import build_search_fields
from guanxi.parties.selectors.duplicates import DuplicateHit, find_duplicates
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.selectors.visibility import can_edit_roles, party_scope_q
from guanxi.parties.services.addresses import address_create, refresh_location
from guanxi.parties.validation import (
    clean_text,
    normalize_email,
    normalize_phone,
    phone_without_extension,
    split_contact_list,
    validate_identifier,
)

TEXT_FIELDS = [
    "name",
    "legal_name",
    "short_name",
    "website",
    "invoice_title",
    "invoice_tax_number",
    "invoice_bank_name",
    "invoice_bank_account",
    "invoice_address",
    "invoice_phone",
    "wechat_id",
    "consent_source",
]
CHOICE_FIELDS = ["industry", "size", "preferred_language", "customer_status", "supplier_status"]
FLAG_FIELDS = ["is_customer", "is_supplier", "marketing_consent"]
EDITABLE = TEXT_FIELDS + CHOICE_FIELDS + FLAG_FIELDS + ["notes", "consent_at", "owner", "team"]
AUDITED = EDITABLE


class DuplicatesFound(GuanxiError):
    status = 409
    default_message = gettext_lazy("This looks like a party that already exists.")

    def __init__(self, hits: list[DuplicateHit]):
        super().__init__()
        self.hits = hits


@dataclass
class PartyExtras:
    """The lists that belong to a party. None leaves that list as it is on update."""

    identifiers: list[dict] | None = None  # [{"scheme", "country", "value"}]
    phones: list[str] | None = None
    emails: list[str] | None = None
    tag_ids: list[int] | None = None
    clean: dict = field(default_factory=dict)


def _clean_fields(data: dict, errors: dict) -> dict:
    out = {}
    for name, value in data.items():
        if name not in EDITABLE:
            errors[name] = _("This field cannot be set.")
            continue
        try:
            if name in TEXT_FIELDS:
                out[name] = clean_text(value or "")
            elif name == "notes":
                out[name] = clean_text(value or "", multiline=True)
            elif name in FLAG_FIELDS:
                out[name] = bool(value)
            elif name in CHOICE_FIELDS:
                out[name] = value or ""
            else:
                out[name] = value
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    return out


def _clean_extras(extras: PartyExtras, errors: dict, default_region: str) -> None:
    clean = extras.clean
    if extras.identifiers is not None:
        idents, seen = [], set()
        for i, ident in enumerate(extras.identifiers):
            try:
                country, value = validate_identifier(
                    ident.get("scheme", ""), ident.get("country", ""), ident.get("value", "")
                )
            except ValidationError as exc:
                errors[f"identifiers[{i}]"] = exc.messages[0]
                continue
            if (ident["scheme"], value) not in seen:
                seen.add((ident["scheme"], value))
                idents.append({"scheme": ident["scheme"], "country": country, "value": value})
        clean["identifiers"] = idents
    if extras.phones is not None:
        phones = []
        for i, raw in enumerate(split_contact_list(extras.phones)):
            try:
                display, e164 = normalize_phone(raw, default_region)
            except ValidationError as exc:
                errors[f"phones[{i}]"] = f"{raw[:40]}: {exc.messages[0]}"
                continue
            if e164 not in {p[1] for p in phones}:
                phones.append((display, e164))
        clean["phones"] = phones
    if extras.emails is not None:
        emails = []
        for i, raw in enumerate(split_contact_list(extras.emails, on_spaces=True)):
            try:
                email = normalize_email(raw)
            except ValidationError as exc:
                errors[f"emails[{i}]"] = f"{raw[:60]}: {exc.messages[0]}"
                continue
            if email.lower() not in {e.lower() for e in emails}:
                emails.append(email)
        clean["emails"] = emails
    if extras.tag_ids is not None:
        tags = list(Tag.objects.filter(pk__in=extras.tag_ids))
        if len(tags) != len(set(extras.tag_ids)):
            errors["tags"] = _("Unknown tag.")
        clean["tags"] = tags


def phone_region(country: str | None) -> str:
    """The region to read national phone numbers in: the party's country when it is a real one, else CN."""
    country = (country or "").upper()
    return country if country in phonenumbers.SUPPORTED_REGIONS else "CN"


def _apply_role_defaults(party: Party) -> None:
    if party.is_customer and not party.customer_status:
        party.customer_status = CustomerStatus.PROSPECT
    if not party.is_customer:
        party.customer_status = ""
    if party.is_supplier and not party.supplier_status:
        party.supplier_status = SupplierStatus.CANDIDATE
    if not party.is_supplier:
        party.supplier_status = ""


def _validate_model(party: Party, errors: dict) -> None:
    try:
        party.full_clean(
            exclude=["owner", "team", "created_by", "tags", *[k.split("[")[0] for k in errors]],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, msgs in exc.message_dict.items():
            errors.setdefault(name, msgs[0])


def _validate_owner(data: dict, errors: dict) -> None:
    owner = data.get("owner")
    if isinstance(owner, User) and not owner.is_active:
        errors["owner"] = _("Choose an active user.")
        del data["owner"]
    elif owner is not None and not isinstance(owner, User):
        try:
            data["owner"] = User.objects.get(pk=int(owner), is_active=True)
        except (User.DoesNotExist, TypeError, ValueError):
            errors["owner"] = _("Choose an active user.")
            del data["owner"]  # not set on the party: it is refused as a whole below
    team = data.get("team")
    if team is not None and not isinstance(team, Team):
        try:
            data["team"] = Team.objects.get(pk=int(team))
        except (Team.DoesNotExist, TypeError, ValueError):
            errors["team"] = _("Choose a team.")
            del data["team"]


def default_team(user: User | None) -> Team | None:
    if user is None:
        return None
    m = TeamMembership.objects.filter(user=user).select_related("team").order_by("id").first()
    return m.team if m else None


def _extras_snapshot(party: Party) -> dict:
    return {
        "identifiers": sorted(f"{i.scheme}:{i.value}" for i in party.identifiers.all()),
        "phones": sorted(c.value for c in party.contact_points.all() if c.kind == ContactPointKind.PHONE),
        "emails": sorted(c.value for c in party.contact_points.all() if c.kind == ContactPointKind.EMAIL),
        "tags": sorted(t.name for t in party.tags.all()),
    }


def _write_extras(party: Party, clean: dict) -> None:
    if "identifiers" in clean:
        party.identifiers.all().delete()
        PartyIdentifier.objects.bulk_create(PartyIdentifier(party=party, **i) for i in clean["identifiers"])
    for kind, key in ((ContactPointKind.PHONE, "phones"), (ContactPointKind.EMAIL, "emails")):
        if key in clean:
            party.contact_points.filter(kind=kind).delete()
            rows = []
            for n, item in enumerate(clean[key]):
                value, norm = item if kind == ContactPointKind.PHONE else (item, item.lower())
                rows.append(
                    ContactPoint(party=party, kind=kind, value=value, normalized=norm, is_primary=n == 0)
                )
            ContactPoint.objects.bulk_create(rows)
    if "tags" in clean:
        party.tags.set(clean["tags"])


def refresh_search(party: Party) -> None:
    """Recompute the search columns from the party's names, identifiers, emails and phones."""
    points = list(party.contact_points.values_list("kind", "normalized"))
    doc, short = build_search_fields(
        names=[party.name, party.short_name, party.legal_name],
        identifiers=list(party.identifiers.values_list("value", flat=True)),
        emails=[n for k, n in points if k == ContactPointKind.EMAIL],
        phones_e164=[phone_without_extension(n) for k, n in points if k == ContactPointKind.PHONE],
    )
    Party.objects.filter(pk=party.pk).update(search_doc=doc, search_short=short)
    party.search_doc, party.search_short = doc, short


def _dup_inputs(clean: dict) -> dict:
    return {
        "identifiers": [i["value"] for i in clean.get("identifiers", [])],
        "emails": clean.get("emails", []),
        "phones_e164": [phone_without_extension(p[1]) for p in clean.get("phones", [])],
    }


@transaction.atomic
def party_create(
    *,
    actor,
    data: dict,
    extras: PartyExtras | None = None,
    address: dict | None = None,
    organization: Party | None = None,
    job_title: str = "",
    allow_duplicates: bool = False,
) -> Party:
    """Create an organization or person (with its identifiers, phones, emails, tags, first address)."""
    grants = grants_for(actor)
    if not grants.can(Action.PARTY_CREATE):
        raise PermissionDeniedError()
    extras = extras or PartyExtras()
    errors: dict = {}
    data = dict(data)
    kind = data.pop("kind", PartyKind.ORGANIZATION)
    if kind not in PartyKind.values:
        errors["kind"] = _("Choose organization or person.")
    values = _clean_fields(data, errors)
    _validate_owner(values, errors)
    _clean_extras(extras, errors, default_region=phone_region((address or {}).get("country")))
    party = Party(kind=kind, created_by=actor if getattr(actor, "pk", None) else None)
    for k, v in values.items():
        setattr(party, k, v)
    if organization is not None:
        party.owner = party.owner or organization.owner
        party.team = party.team or organization.team
    if "owner" not in values and party.owner is None:
        party.owner = actor
    if party.team is None:
        party.team = default_team(party.owner)
    _apply_role_defaults(party)
    _validate_model(party, errors)
    if errors:
        raise ValidationError(errors)
    if not can_edit_roles(actor, is_customer=party.is_customer, is_supplier=party.is_supplier):
        raise PermissionDeniedError(_("Your role may not create a party with these roles."))
    if not allow_duplicates:
        hits = find_duplicates(actor=actor, name=party.name, **_dup_inputs(extras.clean))
        if hits:
            raise DuplicatesFound(hits)
    party.save()
    _write_extras(party, extras.clean)
    if address:
        address_create(actor=actor, party=party, data=address, audit=False)
    if organization is not None:
        Employment.objects.create(
            person=party, organization=organization, job_title=clean_text(job_title)[:100]
        )
    refresh_search(party)
    refresh_location(party)
    changes = {k: [None, v] for k, v in snapshot(party, AUDITED).items() if v not in ("", None, False)}
    changes.update({k: [None, v] for k, v in _extras_snapshot(party).items() if v})
    if organization is not None:
        changes["organization"] = [None, organization.name]
    audit_record(actor=actor, action=AuditAction.CREATE, target=party, changes=changes)
    if organization is not None:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=organization,
            changes={"contacts": [None, party.name]},
        )
    return party


def _check_can_change(actor, party: Party) -> None:
    if not grants_for(actor).can(Action.PARTY_CHANGE):
        raise PermissionDeniedError()
    q = party_scope_q(actor, mode="edit")
    if q is not None and not Party.objects.filter(q, pk=party.pk).exists():
        raise PermissionDeniedError(_("You may see this record but not change it."))


def _lock(party: Party, version: int | None) -> Party:
    current = Party.objects.select_for_update().get(pk=party.pk)
    if version is not None and current.version != int(version):
        raise ConflictError()
    return current


@transaction.atomic
def party_update(
    *, actor, party: Party, version: int | None, data: dict, extras: PartyExtras | None = None
) -> Party:
    """Change a party. `version` is the version the user saw: a stale one is refused (ConflictError)."""
    _check_can_change(actor, party)
    extras = extras or PartyExtras()
    party = _lock(party, version)
    errors: dict = {}
    data = dict(data)
    data.pop("kind", None)
    values = _clean_fields(data, errors)
    _validate_owner(values, errors)
    _clean_extras(extras, errors, default_region=phone_region(party.country))
    before = {**snapshot(party, AUDITED), **_extras_snapshot(party)}
    was_customer = (party.is_customer, party.customer_status)
    was_supplier = (party.is_supplier, party.supplier_status)
    for k, v in values.items():
        setattr(party, k, v)
    if "owner" in values and "team" not in values and party.owner_id:
        party.team = default_team(party.owner) or party.team
    _apply_role_defaults(party)
    _validate_model(party, errors)
    if errors:
        raise ValidationError(errors)
    # A side's role and status (e.g. an approved supplier) change only by someone who may edit that side.
    customer_changed = (party.is_customer, party.customer_status) != was_customer
    supplier_changed = (party.is_supplier, party.supplier_status) != was_supplier
    if (customer_changed or supplier_changed) and not can_edit_roles(
        actor, is_customer=customer_changed, is_supplier=supplier_changed
    ):
        gained = (party.is_customer and not was_customer[0]) or (party.is_supplier and not was_supplier[0])
        raise PermissionDeniedError(_("Your role may not give a party this role.") if gained else None)
    party.version = F("version") + 1
    party.save()
    party.refresh_from_db()
    _write_extras(party, extras.clean)
    refresh_search(party)
    after = {**snapshot(party, AUDITED), **_extras_snapshot(party)}
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=party, changes=changes)
    return party


def _set_archived(actor, party: Party, archived: bool) -> Party:
    if not grants_for(actor).can(Action.PARTY_ARCHIVE):
        raise PermissionDeniedError()
    _check_can_change(actor, party)
    party = _lock(party, None)
    if (party.archived_at is not None) != archived:
        party.archived_at = timezone.now() if archived else None
        party.version += 1
        party.save(update_fields=["archived_at", "version", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ARCHIVE if archived else AuditAction.RESTORE,
            target=party,
            changes={"archived": [not archived, archived]},
        )
    return party


@transaction.atomic
def party_archive(*, actor, party: Party) -> Party:
    """Soft delete: hidden from lists by default, kept for the documents that reference it."""
    return _set_archived(actor, party, True)


@transaction.atomic
def party_restore(*, actor, party: Party) -> Party:
    return _set_archived(actor, party, False)


@transaction.atomic
def note_add(*, actor, party: Party, body: str) -> PartyNote:
    if not party_visible(actor=actor).filter(pk=party.pk).exists():
        raise NotFoundError()
    body = clean_text(body, multiline=True)
    if not body:
        raise ValidationError({"body": _("Write a note first.")})
    if len(body) > 10000:
        raise ValidationError({"body": _("Use at most 10,000 characters.")})
    return PartyNote.objects.create(party=party, author=actor, body=body)


@transaction.atomic
def employment_add(*, actor, person: Party, organization: Party, job_title: str = "") -> Employment:
    _check_can_change(actor, organization)
    if not party_visible(actor=actor).filter(pk=person.pk).exists():
        raise NotFoundError()
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
    _check_can_change(actor, employment.organization)
    person, org = employment.person, employment.organization
    employment.delete()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=org, changes={"contacts": [person.name, None]}
    )
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=person, changes={"organizations": [org.name, None]}
    )


__all__ = [
    "DuplicatesFound",
    "IdentifierScheme",
    "PartyExtras",
    "party_archive",
    "party_create",
    "party_restore",
    "party_update",
]
