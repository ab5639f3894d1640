"""/api/v1/companies: our companies. Everyone with a role reads them; administrators create and change them.
Logos travel as base64 in JSON (the API takes JSON bodies only)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.exceptions import NotFoundError
from guanxi.core.models import Company
from guanxi.core.models.companies import logo_storage
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors.companies import company_get, company_list, logo_content_type
from guanxi.core.services import companies as svc

router = Router(tags=["companies"])

Id = Annotated[int, Field(ge=1, le=2**53)]
Name = Annotated[str, Field(max_length=200)]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", examples=["CNY"])]
Month = Annotated[int, Field(ge=1, le=12)]
# A USCC has 18 characters; a few more are let through so that spaces typed in it are not refused here.
Uscc = Annotated[str, Field(max_length=24, examples=["91350200MA2XYZ123X"])]
Address = Annotated[str, Field(max_length=300)]
ORDERING = ["-is_default", "id"]


class CompanyOut(Schema):
    id: int
    name: str = Field(description="The name in the request's language, else the other one")
    name_zh: str
    name_en: str
    short_name: str
    uscc: str
    address_zh: str
    address_en: str
    phone: str
    email: str
    bank_name: str
    bank_account: str
    default_currency: str = Field(description="ISO 4217 code")
    fiscal_year_start_month: int
    is_active: bool
    is_default: bool
    has_logo: bool
    version: int
    created_at: datetime
    updated_at: datetime


class CompanyPage(Schema):
    items: list[CompanyOut]
    next_cursor: str | None
    prev_cursor: str | None


class _Fields(InputSchema):
    name_zh: Name | None = None
    name_en: Name | None = None
    short_name: Annotated[str, Field(max_length=60)] | None = None
    uscc: Uscc | None = None
    address_zh: Address | None = None
    address_en: Address | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    bank_name: Annotated[str, Field(max_length=100)] | None = None
    bank_account: Annotated[str, Field(max_length=40)] | None = None
    default_currency: Currency | None = None
    fiscal_year_start_month: Month | None = None
    is_active: bool | None = None
    is_default: bool | None = None


class CompanyIn(_Fields):
    """A new company of ours: a name in Chinese, in English or both. The first company is the default."""


class CompanyPatch(_Fields):
    version: Id


class LogoIn(InputSchema):
    version: Id
    content_base64: Annotated[str, Field(min_length=1, max_length=2_800_000)] = Field(
        description="A PNG, JPEG or WebP image of at most 2 MB and 4000 pixels a side, base64-encoded"
    )


class LogoOut(Schema):
    content_type: str
    content_base64: str


class CompanyQuery(Schema):
    active: bool | None = Field(None, description="true: active companies only; false: archived only")
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


def company_json(c: Company) -> dict:
    data = {f: getattr(c, f) for f in CompanyOut.model_fields if f not in ("name", "has_logo")}
    return {**data, "name": c.name, "has_logo": bool(c.logo.name)}


def _data(payload: Schema) -> dict:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    for k, v in list(data.items()):
        if v is None:  # null: not given
            del data[k]
    return data


@router.get("/companies", response={200: CompanyPage, **responses(*STD)})
def companies_list(request, query: Query[CompanyQuery]):
    qs = company_list(actor=request.user)
    if query.active is not None:
        qs = qs.filter(is_active=query.active)
    page = keyset_page(qs, ordering=ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [company_json(c) for c in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/companies", response={201: CompanyOut, **responses(*STD)})
def companies_create(request, payload: CompanyIn):
    return Status(201, company_json(svc.company_create(actor=request.user, data=_data(payload))))


@router.get("/companies/{id}", response={200: CompanyOut, **responses(*STD)})
def companies_get(request, id: Id):
    return company_json(company_get(id, actor=request.user))


@router.patch("/companies/{id}", response={200: CompanyOut, **responses(*STD, 409)})
def companies_update(request, id: Id, payload: CompanyPatch):
    company = company_get(id, actor=request.user)
    saved = svc.company_update(
        actor=request.user, company=company, version=payload.version, data=_data(payload)
    )
    return company_json(saved)


@router.get("/companies/{id}/logo", response={200: LogoOut, **responses(*STD)})
def companies_logo_get(request, id: Id):
    company = company_get(id, actor=request.user)
    if not company.logo.name:
        raise NotFoundError(_("This company has no logo."))
    try:
        with logo_storage().open(company.logo.name, "rb") as f:
            data = f.read()
    except OSError:
        raise NotFoundError(_("The logo file is missing.")) from None
    return {
        "content_type": logo_content_type(company.logo.name),
        "content_base64": base64.b64encode(data).decode(),
    }


@router.put("/companies/{id}/logo", response={200: CompanyOut, **responses(*STD, 409)})
def companies_logo_put(request, id: Id, payload: LogoIn):
    company = company_get(id, actor=request.user)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": _("This is not base64.")}) from None
    upload = SimpleUploadedFile("logo", content)
    saved = svc.company_update(
        actor=request.user, company=company, version=payload.version, data={}, logo=upload
    )
    return company_json(saved)


class LogoDelete(Schema):
    version: Id


@router.delete("/companies/{id}/logo", response={200: CompanyOut, **responses(*STD, 409)})
def companies_logo_delete(request, id: Id, query: Query[LogoDelete]):
    company = company_get(id, actor=request.user)
    saved = svc.company_update(
        actor=request.user, company=company, version=query.version, data={}, remove_logo=True
    )
    return company_json(saved)
