"""A party's editable fields, listed once.

This list feeds the service's cleaning and audit diff, the web form, the API serializer and the
conflict view, so adding a field is one edit here plus the model column. Labels, lengths and choices
come from the model field (`Party._meta.get_field(name)`), so they are not repeated either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from guanxi.parties.choices import PartyKind

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

TEXT = "text"
MULTILINE = "multiline"
CHOICE = "choice"
FLAG = "flag"
USER = "user"
TEAM = "team"

ORG = frozenset({PartyKind.ORGANIZATION})
PERSON = frozenset({PartyKind.PERSON})
BOTH = ORG | PERSON

# Which side of the business may change a field. Bank details are the supplier-payment fraud path: on a
# party that is also a supplier only users who may edit the supplier side change them.
SUPPLIER_WHEN_SUPPLIER = "supplier"


@dataclass(frozen=True)
class PartyField:
    name: str
    kind: str
    applies_to: frozenset[str]
    group: str  # the form's fieldset
    in_form: bool = True
    guarded_by: str | None = None
    # Set only by named actions of a higher app (the supplier lifecycle), never by editing the party: the
    # form leaves it out and the service refuses a new value (the same value is accepted, for round trips).
    read_only: bool = False
    help_text: StrOrPromise = ""


PARTY_FIELDS: tuple[PartyField, ...] = (
    PartyField("name", TEXT, BOTH, "identity"),
    PartyField("short_name", TEXT, BOTH, "identity"),
    PartyField("legal_name", TEXT, ORG, "identity"),
    PartyField("is_customer", FLAG, BOTH, "roles"),
    PartyField("customer_status", CHOICE, BOTH, "roles"),
    PartyField("is_supplier", FLAG, ORG, "roles"),
    PartyField("supplier_status", CHOICE, ORG, "roles", in_form=False, read_only=True),
    PartyField("owner", USER, BOTH, "roles"),
    PartyField("team", TEAM, BOTH, "roles", in_form=False),
    PartyField("industry", CHOICE, ORG, "profile"),
    PartyField("size", CHOICE, ORG, "profile"),
    PartyField("website", TEXT, ORG, "profile"),
    PartyField("wechat_id", TEXT, PERSON, "contact"),
    PartyField("preferred_language", CHOICE, PERSON, "contact"),
    PartyField("marketing_consent", FLAG, PERSON, "contact"),
    PartyField(
        "consent_source",
        TEXT,
        PERSON,
        "contact",
        help_text=_("Where the consent was given, e.g. “trade fair form”"),
    ),
    PartyField("invoice_title", TEXT, ORG, "invoicing"),
    PartyField("invoice_tax_number", TEXT, ORG, "invoicing"),
    PartyField("invoice_bank_name", TEXT, ORG, "invoicing", guarded_by=SUPPLIER_WHEN_SUPPLIER),
    PartyField("invoice_bank_account", TEXT, ORG, "invoicing", guarded_by=SUPPLIER_WHEN_SUPPLIER),
    PartyField("invoice_address", TEXT, ORG, "invoicing"),
    PartyField("invoice_phone", TEXT, ORG, "invoicing"),
    PartyField("notes", MULTILINE, BOTH, "notes"),
)

FIELDS_BY_NAME = {f.name: f for f in PARTY_FIELDS}
EDITABLE = tuple(f.name for f in PARTY_FIELDS)
# What the history records for a party: every editable field, and when consent was given.
AUDITED = (*EDITABLE, "consent_at")
# The lists that belong to a party (PartyExtras) and are audited with it.
EXTRA_LISTS = ("identifiers", "phones", "emails", "tags")


def fields_for(kind: str, *, form: bool = False) -> list[PartyField]:
    return [f for f in PARTY_FIELDS if kind in f.applies_to and (f.in_form or not form)]


def names_of(kind: str) -> list[str]:
    return [f.name for f in fields_for(kind)]


GROUP_LABELS = {
    "identity": _("Name"),
    "roles": _("Roles and ownership"),
    "contact": _("Contact details"),
    "profile": _("Profile"),
    "identifiers": _("Identifiers"),
    "invoicing": _("Invoicing details (开票信息)"),
    "notes": _("Notes"),
}
