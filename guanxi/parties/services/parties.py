"""Create, change, archive and restore parties. Each function is one atomic change with its audit entry.

Services validate everything (a ValidationError maps field -> message) before writing anything,
so a bad request never half-saves; role and record rules are checked here, so web and API agree.
The fields a party has are listed once, in guanxi/parties/fields.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.exceptions import GuanxiError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.parties.choices import PartyKind
from guanxi.parties.fields import AUDITED, PARTY_FIELDS, SUPPLIER_WHEN_SUPPLIER
from guanxi.parties.models import Employment, Party
from guanxi.parties.permissions import Action
from guanxi.parties.selectors.duplicates import DuplicateHit, find_duplicates
from guanxi.parties.selectors.visibility import can_edit_roles, may_own, side_labels
from guanxi.parties.services.addresses import address_create
from guanxi.parties.services.cleaning import (
    PartyExtras,
    apply_role_defaults,
    clean_extras,
    clean_fields,
    drop_read_only,
    resolve_owner_and_team,
    validate_model,
)
from guanxi.parties.services.common import default_team_id, lock_party, phone_region, require_change
from guanxi.parties.services.extras import (
    clean_snapshot,
    duplicate_inputs,
    extras_snapshot,
    post_grams,
    refresh_search,
    registered_elsewhere,
    set_search_fields,
    write_extras,
)
from guanxi.parties.validation import clean_text, phone_without_extension


class DuplicatesFound(GuanxiError):
    status = 409
    default_message = gettext_lazy("This looks like a party that already exists.")

    def __init__(self, hits: list[DuplicateHit]):
        super().__init__()
        self.hits = hits


def _stamp_consent(party: Party, was_consenting: bool) -> None:
    """Marketing consent carries the moment it was given; withdrawing it clears the date."""
    if party.marketing_consent and not was_consenting:
        party.consent_at = timezone.now()
    elif not party.marketing_consent:
        party.consent_at = None


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
    if organization is not None:
        require_change(actor, organization)  # the same rule as linking an existing person later
    extras = extras or PartyExtras()
    errors: dict = {}
    data = dict(data)
    kind = data.pop("kind", PartyKind.ORGANIZATION)
    if kind not in PartyKind.values:
        errors["kind"] = _("Choose organization or person.")
    values = clean_fields(data, errors)
    drop_read_only(values, errors, None)
    resolve_owner_and_team(values, errors)
    clean_extras(extras, errors, default_region=phone_region((address or {}).get("country")))
    party = Party(kind=kind, created_by=actor if getattr(actor, "pk", None) else None)
    for k, v in values.items():
        setattr(party, k, v)
    if organization is not None:
        party.owner = party.owner or organization.owner
        party.team = party.team or organization.team
    if "owner" not in values and party.owner is None:
        party.owner = actor
    if party.team is None:
        party.team_id = default_team_id(party.owner)
    apply_role_defaults(party)
    _stamp_consent(party, was_consenting=False)
    validate_model(party, errors)
    if errors:
        raise ValidationError(errors)
    if not can_edit_roles(actor, is_customer=party.is_customer, is_supplier=party.is_supplier):
        raise PermissionDeniedError(_("Your role may not create a party with these roles."))
    _check_owner(party, owner_changed=True)
    registered_elsewhere(actor=actor, clean=extras.clean, exclude_pk=None)
    if not allow_duplicates:
        hits = find_duplicates(
            actor=actor, name=party.name, kind=party.kind, **duplicate_inputs(extras.clean)
        )
        if hits:
            raise DuplicatesFound(hits)
    grams = set_search_fields(party, extras.clean)  # computed here: nothing is read back after the insert
    party.save()
    write_extras(party, extras.clean, actor=actor, new=True)
    post_grams(party, grams)
    if organization is not None:
        employment = Employment.objects.create(
            person=party, organization=organization, job_title=clean_text(job_title)[:100]
        )
    changes = {k: [None, v] for k, v in snapshot(party, AUDITED).items() if v not in ("", None, False)}
    # The lists in the order given (the first phone is the main one, so it is not said twice).
    changes.update(
        {
            k: [None, v]
            for k, v in clean_snapshot(extras.clean).items()
            if v and k not in ("main_phone", "main_email")
        }
    )
    if organization is not None:
        changes["organization"] = [None, organization.name]
        if employment.job_title:
            changes[f"job_title@{organization.name}"] = [None, employment.job_title]
    audit_record(actor=actor, action=AuditAction.CREATE, target=party, changes=changes)
    if address:
        # The first address is a change of its own on the new party's history, as any later one.
        address_create(actor=actor, party=party, data=address)
    if organization is not None:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=organization,
            changes={"contacts": [None, party.name]},
        )
    return party


@transaction.atomic
def party_update(
    *,
    actor,
    party: Party,
    version: int | None,
    data: dict,
    extras: PartyExtras | None = None,
    allow_duplicates: bool = False,
) -> Party:
    """Change a party. `version` is the version the user saw: required; a stale one is a ConflictError."""
    require_change(actor, party)
    extras = extras or PartyExtras()
    party = lock_party(party, version)
    errors: dict = {}
    data = dict(data)
    data.pop("kind", None)
    values = clean_fields(data, errors)
    drop_read_only(values, errors, party)
    resolve_owner_and_team(values, errors)
    clean_extras(extras, errors, default_region=phone_region(party.country))
    before = {**snapshot(party, AUDITED), **extras_snapshot(party)}
    was_customer = (party.is_customer, party.customer_status)
    was_supplier = (party.is_supplier, party.supplier_status)
    was_consenting = party.marketing_consent
    was_supplier_party = party.is_supplier
    old_owner_id = party.owner_id
    for k, v in values.items():
        setattr(party, k, v)
    if "owner" in values and "team" not in values and party.owner_id:
        party.team_id = default_team_id(party.owner) or party.team_id
    apply_role_defaults(party)
    _stamp_consent(party, was_consenting)
    validate_model(party, errors)
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
    _check_guarded_fields(actor, party, before, was_supplier_party)
    _check_owner(party, owner_changed=party.owner_id != old_owner_id or customer_changed or supplier_changed)
    registered_elsewhere(actor=actor, clean=extras.clean, exclude_pk=party.pk)
    if not allow_duplicates:
        _check_duplicates_on_edit(actor, party, before, extras.clean)
    party.version = F("version") + 1
    party.save()
    party.refresh_from_db()
    write_extras(party, extras.clean, actor=actor)
    refresh_search(party)
    after = {**snapshot(party, AUDITED), **extras_snapshot(party)}
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=party, changes=changes)
    return party


def _check_guarded_fields(actor, party: Party, before: dict, was_supplier: bool) -> None:
    """Bank details of a party that is (or was) a supplier change only by users who may edit suppliers."""
    if not (was_supplier or party.is_supplier):
        return
    changed = [
        f.name
        for f in PARTY_FIELDS
        if f.guarded_by == SUPPLIER_WHEN_SUPPLIER and before.get(f.name) != getattr(party, f.name)
    ]
    if changed and not can_edit_roles(actor, is_customer=False, is_supplier=True):
        raise ValidationError(
            {
                name: _(
                    "This party is also a supplier: only users who may edit suppliers change its bank details."
                )
                for name in changed
            }
        )


def _check_owner(party: Party, *, owner_changed: bool) -> None:
    """The owner must be someone who may hold every side of the party, or nobody could work on it."""
    if not owner_changed or party.owner is None:
        return
    if not may_own(party.owner, is_customer=party.is_customer, is_supplier=party.is_supplier):
        raise ValidationError(
            {
                "owner": _(
                    "%(user)s cannot hold this record: their role does not reach its side (%(sides)s)."
                )
                % {"user": party.owner, "sides": side_labels(party)}
            }
        )


def _check_duplicates_on_edit(actor, party: Party, before: dict, clean: dict) -> None:
    """Renaming to an existing name, or adding another party's identifier, phone or email, warns as on
    create. Only what this edit adds is checked: what the party already had was checked before."""
    inputs = duplicate_inputs(clean)
    inputs["identifiers"] = sorted(
        set(inputs["identifiers"]) - set(party.identifiers.values_list("value", flat=True))
    )
    existing_points = set(party.contact_points.values_list("normalized", flat=True))
    existing_points |= {phone_without_extension(p) for p in existing_points}  # +86…;ext=8001 → +86…
    inputs["phones_e164"] = [p for p in inputs["phones_e164"] if p not in existing_points]
    inputs["emails"] = [e for e in inputs["emails"] if e.lower() not in existing_points]
    name_changed = before.get("name") != party.name
    if not (name_changed or any(inputs.values())):
        return
    hits = find_duplicates(
        actor=actor,
        name=party.name if name_changed else "",
        kind=party.kind,
        exclude_pk=party.pk,
        **inputs,
    )
    if hits:
        raise DuplicatesFound(hits)


def _set_archived(actor, party: Party, archived: bool) -> Party:
    if not grants_for(actor).can(Action.PARTY_ARCHIVE):
        raise PermissionDeniedError()
    require_change(actor, party)
    party = lock_party(party, None, required=False)
    if not archived and party.merged_into_id is not None:
        raise ValidationError(
            {"archived": _("This record was merged into another one: undo the merge to bring it back.")}
        )
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


__all__ = [
    "DuplicatesFound",
    "PartyExtras",
    "party_archive",
    "party_create",
    "party_restore",
    "party_update",
]
