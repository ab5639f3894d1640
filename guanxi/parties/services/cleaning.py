"""Turning what a user or client sent into clean party values, collecting every error before anything is
written (a ValidationError maps field -> message; list items as `phones[2]`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.core.models import Team, User
from guanxi.parties.choices import CustomerStatus, SupplierStatus
from guanxi.parties.fields import CHOICE, FIELDS_BY_NAME, FLAG, MULTILINE, TEXT
from guanxi.parties.models import Party, Tag
from guanxi.parties.validation import (
    clean_text,
    normalize_email,
    normalize_phone,
    split_contact_list,
    validate_identifier,
)


@dataclass
class PartyExtras:
    """The lists that belong to a party. None leaves that list as it is on update."""

    identifiers: list[dict] | None = None  # [{"scheme", "country", "value"}]
    phones: list[str] | None = None
    emails: list[str] | None = None
    tag_ids: list[int] | None = None
    clean: dict = field(default_factory=dict)


def clean_fields(data: dict, errors: dict) -> dict:
    out: dict[str, object] = {}
    for name, value in data.items():
        spec = FIELDS_BY_NAME.get(name)
        if spec is None:
            errors[name] = _("This field cannot be set.")
            continue
        try:
            if name == "invoice_tax_number":  # 税号: compared with identifiers, so kept as they are
                out[name] = re.sub(r"[\s\-./]", "", clean_text(value or "")).upper()
            elif spec.kind == TEXT:
                out[name] = clean_text(value or "")
            elif spec.kind == MULTILINE:
                out[name] = clean_text(value or "", multiline=True)
            elif spec.kind == FLAG:
                out[name] = bool(value)
            elif spec.kind == CHOICE:
                out[name] = value or ""
            else:
                out[name] = value
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    return out


def clean_extras(extras: PartyExtras, errors: dict, default_region: str) -> None:
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
            if (ident["scheme"], country, value) not in seen:
                seen.add((ident["scheme"], country, value))
                idents.append({"scheme": ident["scheme"], "country": country, "value": value})
        clean["identifiers"] = idents
    if extras.phones is not None:
        phones: list[tuple[str, str]] = []
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
        emails: list[str] = []
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


def resolve_owner_and_team(data: dict, errors: dict) -> None:
    """Turn owner / team ids into rows; refuse inactive or unknown users and unknown teams."""
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


READ_ONLY_MESSAGES = {
    "supplier_status": _(
        "The supplier status changes only through the supplier's lifecycle actions (qualify, approve, block …), "
        "each with a reason."
    ),
}


def drop_read_only(values: dict, errors: dict, party: Party | None) -> None:
    """Fields set only by named actions (FIELDS_BY_NAME[...].read_only): the value the record has (a new one:
    its default) is accepted and dropped, so a client may send back what it read; another value is refused."""
    for name in [n for n in values if FIELDS_BY_NAME[n].read_only]:
        value = values.pop(name)
        current = getattr(party, name) if party is not None else ""
        if value not in ("", current) and not (party is None and value == SupplierStatus.CANDIDATE):
            errors[name] = READ_ONLY_MESSAGES.get(name, _("This field cannot be set."))


def apply_role_defaults(party: Party) -> None:
    if party.is_customer and not party.customer_status:
        party.customer_status = CustomerStatus.PROSPECT
    if not party.is_customer:
        party.customer_status = ""
    if party.is_supplier and not party.supplier_status:
        party.supplier_status = SupplierStatus.CANDIDATE
    if not party.is_supplier:
        party.supplier_status = ""


def validate_model(party: Party, errors: dict) -> None:
    try:
        party.full_clean(
            exclude=["owner", "team", "created_by", "tags", *[k.split("[")[0] for k in errors]],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, msgs in exc.message_dict.items():
            errors.setdefault(name, msgs[0])
