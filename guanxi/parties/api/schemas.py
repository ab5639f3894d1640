"""API shapes for parties. Input schemas bound every field and refuse unknown ones, so junk is a 4xx, never
a 500 or a silent no-op."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from guanxi.core.api.schemas import InputSchema
from guanxi.parties.choices import (
    AddressKind,
    CompanySize,
    CustomerStatus,
    IdentifierScheme,
    Industry,
    Language,
    SupplierStatus,
)

Id = Annotated[int, Field(ge=1, le=2**53)]
Text = Annotated[str, Field(max_length=200)]
Short = Annotated[str, Field(max_length=60)]


class IdentifierIn(InputSchema):
    scheme: IdentifierScheme
    country: Annotated[str, Field(max_length=2, pattern=r"^([A-Za-z]{2})?$")] = ""
    value: Annotated[str, Field(min_length=1, max_length=40)]


class IdentifierOut(Schema):
    scheme: str
    country: str
    value: str


# A GB/T 2260 division code (China only): 440000 广东省, 440300 深圳市, 440305 南山区.
DivisionCode = Annotated[str, Field(pattern=r"^([0-9]{6})?$", examples=["440300"])]
_CODES = (
    "In China give the province, city and district as codes (province_code …, from the division table) or "
    "as names (广东, 广东省, guangdong): names are resolved to codes, or refused with what they could mean; "
    "a code wins over a name. Elsewhere the names are free text and the codes stay empty."
)


class AddressIn(InputSchema):
    __doc__ = _CODES

    kind: AddressKind = AddressKind.OFFICE
    country: Annotated[str, Field(min_length=2, max_length=2)] = "CN"
    province: Short = ""
    city: Short = ""
    district: Short = ""
    province_code: DivisionCode = ""
    city_code: DivisionCode = ""
    district_code: DivisionCode = ""
    street: Annotated[str, Field(min_length=1, max_length=200)]
    postal_code: Annotated[str, Field(max_length=12)] = ""
    is_primary: bool = False


class AddressPatch(InputSchema):
    __doc__ = _CODES + " Changing a level clears the levels below it that the change does not give."

    version: Id
    kind: AddressKind | None = None
    country: Annotated[str, Field(min_length=2, max_length=2)] | None = None
    province: Short | None = None
    city: Short | None = None
    district: Short | None = None
    province_code: DivisionCode | None = None
    city_code: DivisionCode | None = None
    district_code: DivisionCode | None = None
    street: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    postal_code: Annotated[str, Field(max_length=12)] | None = None
    is_primary: bool | None = None


class AddressOut(Schema):
    id: int
    party_id: int
    kind: str
    country: str
    province: str
    city: str
    district: str
    province_code: str
    city_code: str
    district_code: str
    street: str
    postal_code: str
    is_primary: bool
    version: int


class TagIn(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=50)]
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] = "#64748b"


class TagPatch(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    color: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None


class TagOut(Schema):
    id: int
    name: str
    color: str


class UserRef(Schema):
    id: int
    username: str


class _PartyCommon(InputSchema):
    legal_name: Text = ""
    short_name: Short = ""
    notes: Annotated[str, Field(max_length=10000)] = ""
    owner_id: Id | None = None
    tag_ids: Annotated[list[Id], Field(max_length=50)] = []
    phones: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=20)] = []
    emails: Annotated[list[Annotated[str, Field(max_length=254)]], Field(max_length=20)] = []
    is_customer: bool = False
    customer_status: CustomerStatus | None = None
    is_supplier: bool = False
    supplier_status: SupplierStatus | None = None


class OrganizationIn(_PartyCommon):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    industry: Industry | None = None
    size: CompanySize | None = None
    website: Text = ""
    invoice_title: Text = ""
    invoice_tax_number: Annotated[str, Field(max_length=30)] = ""
    invoice_bank_name: Annotated[str, Field(max_length=100)] = ""
    invoice_bank_account: Annotated[str, Field(max_length=40)] = ""
    invoice_address: Text = ""
    invoice_phone: Annotated[str, Field(max_length=30)] = ""
    identifiers: Annotated[list[IdentifierIn], Field(max_length=10)] = []
    address: AddressIn | None = None
    allow_duplicates: bool = False


class OrganizationPatch(InputSchema):
    """Send only what changes, with the version you read (a stale version is refused with 409)."""

    version: Id
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    legal_name: Text | None = None
    short_name: Short | None = None
    notes: Annotated[str, Field(max_length=10000)] | None = None
    owner_id: Id | None = None
    tag_ids: Annotated[list[Id], Field(max_length=50)] | None = None
    phones: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=20)] | None = None
    emails: Annotated[list[Annotated[str, Field(max_length=254)]], Field(max_length=20)] | None = None
    is_customer: bool | None = None
    customer_status: CustomerStatus | None = None
    is_supplier: bool | None = None
    supplier_status: SupplierStatus | None = None
    industry: Industry | None = None
    size: CompanySize | None = None
    website: Text | None = None
    invoice_title: Text | None = None
    invoice_tax_number: Annotated[str, Field(max_length=30)] | None = None
    invoice_bank_name: Annotated[str, Field(max_length=100)] | None = None
    invoice_bank_account: Annotated[str, Field(max_length=40)] | None = None
    invoice_address: Text | None = None
    invoice_phone: Annotated[str, Field(max_length=30)] | None = None
    identifiers: Annotated[list[IdentifierIn], Field(max_length=10)] | None = None


class ContactIn(_PartyCommon):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    organization_id: Id | None = None
    job_title: Annotated[str, Field(max_length=100)] = ""
    wechat_id: Annotated[str, Field(max_length=40)] = ""
    preferred_language: Language | None = None
    marketing_consent: bool = False
    consent_source: Annotated[str, Field(max_length=100)] = ""
    allow_duplicates: bool = False


class ContactPatch(InputSchema):
    version: Id
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    short_name: Short | None = None
    notes: Annotated[str, Field(max_length=10000)] | None = None
    owner_id: Id | None = None
    tag_ids: Annotated[list[Id], Field(max_length=50)] | None = None
    phones: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=20)] | None = None
    emails: Annotated[list[Annotated[str, Field(max_length=254)]], Field(max_length=20)] | None = None
    is_customer: bool | None = None
    customer_status: CustomerStatus | None = None
    wechat_id: Annotated[str, Field(max_length=40)] | None = None
    preferred_language: Language | None = None
    marketing_consent: bool | None = None
    consent_source: Annotated[str, Field(max_length=100)] | None = None


class EmploymentIn(InputSchema):
    organization_id: Id
    job_title: Annotated[str, Field(max_length=100)] = ""


class EmploymentOut(Schema):
    organization_id: int
    organization_name: str
    job_title: str


class PartyListItem(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    is_customer: bool
    customer_status: str
    is_supplier: bool
    supplier_status: str
    owner: UserRef | None
    country: str
    province: str
    city: str
    tags: list[TagOut]
    archived: bool
    merged_into: int | None = Field(None, description="Set when this party was merged into that one")
    created_at: datetime
    updated_at: datetime


class PartyOut(PartyListItem):
    legal_name: str
    industry: str
    size: str
    website: str
    notes: str
    invoice_title: str
    invoice_tax_number: str
    invoice_bank_name: str
    invoice_bank_account: str
    invoice_address: str
    invoice_phone: str
    wechat_id: str
    preferred_language: str
    marketing_consent: bool
    consent_at: datetime | None
    consent_source: str
    identifiers: list[IdentifierOut]
    phones: list[str]
    emails: list[str]
    addresses: list[AddressOut]
    organizations: list[EmploymentOut]
    version: int


class PartyPage(Schema):
    items: list[PartyListItem]
    next_cursor: str | None
    prev_cursor: str | None
    truncated: bool = Field(
        False,
        description="The search matched more than 200 parties: the pages hold 200 of them. Narrow the search.",
    )


class ArchiveIn(InputSchema):
    archived: bool
