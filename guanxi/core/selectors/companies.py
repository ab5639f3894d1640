"""Reading our companies. Everyone with a role may see them (they head every document); only
administrators change them (guanxi.core.services.companies)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import translation

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import Company
from guanxi.core.models.companies import logo_storage
from guanxi.core.roles import grants_for

LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


def require_role(actor) -> None:
    """Refuse (403) a user with no role: company details are for the staff."""
    if not grants_for(actor).actions:
        raise PermissionDeniedError()


def company_list(*, actor, include_archived: bool = True) -> QuerySet[Company]:
    """Our companies, the default first."""
    require_role(actor)
    qs = Company.objects.all()
    if not include_archived:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_default", "id")


def company_get(pk: int, *, actor=None) -> Company:
    """One of our companies (NotFoundError if there is none). With `actor`, refused to a user with no role;
    code that prints a document for a user already allowed to see it passes none."""
    if actor is not None:
        require_role(actor)
    company = Company.objects.filter(pk=pk).first()
    if company is None:
        raise NotFoundError()
    return company


def company_default() -> Company | None:
    """The default issuing company (documents that name none are issued by it); None before any exists."""
    return Company.objects.filter(is_default=True, is_active=True).first()


def company_choices() -> list[tuple[int, str]]:
    """Active companies for a document form's "issued by" picker, the default first."""
    return [(c.pk, c.label) for c in Company.objects.filter(is_active=True).order_by("-is_default", "id")]


def logo_content_type(name: str) -> str:
    return LOGO_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def logo_data_uri(company: Company) -> str:
    """The logo as a data: URI ('' without one): what a PDF renderer embeds without fetching anything."""
    if not company.logo.name:
        return ""
    try:
        with logo_storage().open(company.logo.name, "rb") as f:
            data = f.read()
    except OSError:  # the file is gone from the storage: print without it
        return ""
    return f"data:{logo_content_type(company.logo.name)};base64,{base64.b64encode(data).decode()}"


@dataclass(frozen=True)
class Letterhead:
    """What a printed document's head shows, in one language (the recipient's)."""

    name: str
    other_name: str  # the name in the other language, '' if it has none
    address: str
    phone: str
    email: str
    uscc: str
    bank_name: str
    bank_account: str
    logo: str  # a data: URI, '' without a logo
    language: str


def letterhead_of(company: Company, *, language: str | None = None, with_logo: bool = True) -> Letterhead:
    """The letterhead of `company` in `language` (default: the active one); render it with the template
    core/letterhead.html (``{% include "core/letterhead.html" with letterhead=... %}``)."""
    language = language or translation.get_language() or "en"
    return Letterhead(
        name=company.name_in(language),
        other_name=company.other_name(language),
        address=company.address_in(language),
        phone=company.phone,
        email=company.email,
        uscc=company.uscc,
        bank_name=company.bank_name,
        bank_account=company.bank_account,
        logo=logo_data_uri(company) if with_logo else "",
        language=language,
    )
