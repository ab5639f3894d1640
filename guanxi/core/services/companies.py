"""Our companies: create and change them (administrators), each change audited, with optimistic locking.

One active company is the default (the first one made is); making another the default takes the mark
from the old one in the same transaction. The default cannot be archived: make another the default first.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import Company
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.companies import logo_storage
from guanxi.core.money.amounts import currency_check
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot

# The fields a person edits, listed once: the form, the API and the audit read this list.
TEXT_FIELDS = ("name_zh", "name_en", "short_name", "phone", "email", "bank_name", "bank_account", "uscc")
MULTILINE_FIELDS = ("address_zh", "address_en")
EDITABLE = (
    *TEXT_FIELDS,
    *MULTILINE_FIELDS,
    "default_currency",
    "fiscal_year_start_month",
    "is_active",
    "is_default",
)
AUDITED = EDITABLE  # and the logo's file name (_snapshot)

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_PHONE = re.compile(r"[0-9+\-()（）.\s/]+(?:\s*(?:转|分机|ext\.?|x|#)\s*\d{1,7})?", re.IGNORECASE)
_ACCOUNT = re.compile(r"[0-9A-Za-z \-]+")
_CURRENCY = re.compile(r"[A-Z]{3}")


def _require_admin(actor) -> None:
    if actor is None or not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def _text(value, *, multiline: bool = False) -> str:
    value = unicodedata.normalize("NFC", str(value or "")).strip()
    if multiline:
        value = value.replace("\r\n", "\n")
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        raise ValidationError(_("Remove the control characters from this text."))
    return value


def _clean_value(name: str, value, errors: dict):
    field = Company._meta.get_field(name)
    try:
        if name in ("is_active", "is_default"):
            if not isinstance(value, bool):
                raise ValidationError(_("Choose yes or no."))
            return value
        if name == "fiscal_year_start_month":
            try:
                month = int(value)
            except (TypeError, ValueError):
                month = 0
            if not 1 <= month <= 12:
                raise ValidationError(_("Choose a month from 1 to 12."))
            return month
        text = _text(value, multiline=name in MULTILINE_FIELDS)
        max_length = getattr(field, "max_length", None)
        if max_length and len(text) > max_length:
            raise ValidationError(_("At most %(max)d characters.") % {"max": max_length})
        if not text:
            if name == "default_currency":
                raise ValidationError(_("Enter a currency code such as CNY."))
            return text
        return _CHECKS.get(name, lambda t: t)(text)
    except ValidationError as exc:
        errors[name] = exc.messages
        return None


def _uscc(text: str) -> str:
    try:
        return uscc.validate(text)
    except InvalidChecksum:
        raise ValidationError(
            _("This unified social credit code is not valid: the check digit is wrong.")
        ) from None
    except InvalidLength:
        raise ValidationError(_("A unified social credit code has 18 characters.")) from None
    except InvalidFormat:
        raise ValidationError(
            _(
                "This unified social credit code has characters that do not belong (I, O, S, V and Z are never used)."
            )
        ) from None
    except StdnumError:
        raise ValidationError(_("This is not a unified social credit code.")) from None


def _phone(text: str) -> str:
    normalized = unicodedata.normalize("NFKC", text)
    if not _PHONE.fullmatch(normalized) or sum(c.isdigit() for c in normalized) < 5:
        raise ValidationError(_("Enter a phone number, e.g. 0592-5556666 or +86 592 555 6666."))
    return text


def _email(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    validate_email(text)
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def _account(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not _ACCOUNT.fullmatch(text):
        raise ValidationError(_("A bank account has letters, digits, spaces and hyphens only."))
    return text


def _currency(text: str) -> str:
    text = text.upper()
    if not _CURRENCY.fullmatch(text):
        raise ValidationError(_("Use a three-letter ISO 4217 code such as CNY or USD."))
    try:  # one of the currencies in use (Settings → Currencies)
        return currency_check(text, field="default_currency").code
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


_CHECKS = {
    "uscc": _uscc,
    "phone": _phone,
    "email": _email,
    "bank_account": _account,
    "default_currency": _currency,
}


def clean_company_data(data: dict) -> dict:
    """The given fields, cleaned; a ValidationError naming every field that is wrong. Unknown keys refused."""
    errors: dict = {}
    unknown = set(data) - set(EDITABLE)
    for name in sorted(unknown):
        errors[name] = [_("Unknown field.")]
    values = {name: _clean_value(name, data[name], errors) for name in EDITABLE if name in data}
    if errors:
        raise ValidationError(errors)
    return values


def clean_logo(upload) -> tuple[bytes, str]:
    """The bytes and file extension of an uploaded logo: a PNG, JPEG or WebP image of at most 2 MB and at
    most 4000 pixels a side, checked by reading it (not by its name)."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is not None and size > LOGO_MAX_BYTES:
        raise ValidationError({"logo": _("The logo is too large: at most 2 MB.")})
    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError({"logo": _("The logo is too large: at most 2 MB.")})
    if not data:
        raise ValidationError({"logo": _("The file is empty.")})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
        if kind in LOGO_FORMATS and max(width, height) <= LOGO_MAX_SIDE:
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a truncated or corrupt image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"logo": _("This file is not an image that can be read.")}) from None
    if kind not in LOGO_FORMATS:
        raise ValidationError({"logo": _("Upload the logo as a PNG, JPEG or WebP image.")})
    if max(width, height) > LOGO_MAX_SIDE:
        raise ValidationError(
            {"logo": _("The logo is too large: at most %(max)d pixels a side.") % {"max": LOGO_MAX_SIDE}}
        )
    return data, LOGO_FORMATS[kind]


def _snapshot(company: Company) -> dict:
    return {**snapshot(company, AUDITED), "logo": company.logo.name or None}


def _make_default(company: Company) -> None:
    """Take the default mark from every other company (locked), so that this one can have it."""
    Company.objects.select_for_update().filter(is_default=True).exclude(pk=company.pk).update(
        is_default=False
    )


def company_create(*, actor, data: dict, logo: UploadedFile | None = None) -> Company:
    """A new company of ours. The first one becomes the default."""
    _require_admin(actor)
    values = clean_company_data(data)
    errors = _check_names(values, Company())
    if errors:
        raise ValidationError(errors)
    checked_logo = clean_logo(logo) if logo is not None else None
    with transaction.atomic():
        company = Company(**values)
        _check_uscc_free(company)
        if not Company.objects.select_for_update().filter(is_default=True).exists():
            company.is_default = True
        if company.is_default:
            if not company.is_active:
                raise ValidationError({"is_default": _("The default company must be active.")})
            _make_default(company)
        saved = _save_with_logo(company, checked_logo, remove=False)
        changes = {k: [None, v] for k, v in _snapshot(saved).items() if v not in ("", None, False)}
        audit_record(actor=actor, action=AuditAction.CREATE, target=saved, changes=changes)
    return saved


def company_update(
    *,
    actor,
    company: Company,
    version: int | None,
    data: dict,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Company:
    """Change a company. `version` is the version the user saw: a stale one is a ConflictError (409)."""
    _require_admin(actor)
    if version is None:
        raise ValidationError({"version": _("Reload the page and try again: the version is missing.")})
    data = dict(data)
    if str(data.get("default_currency") or "").strip().upper() == company.default_currency:
        data.pop("default_currency")  # unchanged: kept, even if that currency has been turned off since
    values = clean_company_data(data)
    checked_logo = clean_logo(logo) if logo is not None else None
    with transaction.atomic():
        current = Company.objects.select_for_update().get(pk=company.pk)
        try:
            seen = int(version)
        except (TypeError, ValueError):
            raise ValidationError({"version": _("Reload the page and try again.")}) from None
        if current.version != seen:
            raise ConflictError()
        before = _snapshot(current)
        was_default = current.is_default
        for k, v in values.items():
            setattr(current, k, v)
        errors = _check_names(values, current)
        if was_default and not current.is_default:
            errors["is_default"] = [_("Make another company the default instead: one must be.")]
        if current.is_default and not current.is_active:
            errors["is_active" if was_default else "is_default"] = [
                _("The default company cannot be archived: make another company the default first.")
                if was_default
                else _("The default company must be active.")
            ]
        if errors:
            raise ValidationError(errors)
        _check_uscc_free(current)
        if current.is_default and not was_default:
            _make_default(current)
        current.version = F("version") + 1
        saved = _save_with_logo(current, checked_logo, remove=remove_logo)
        saved.refresh_from_db(fields=["version"])
        changes = diff(before, _snapshot(saved))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, target=saved, changes=changes)
    return saved


def _save_with_logo(company: Company, logo: tuple[bytes, str] | None, *, remove: bool) -> Company:
    old = company.logo.name or None
    new = None
    if logo is not None:
        data, ext = logo
        new = logo_storage().save(f"companies/logos/{uuid.uuid4().hex}.{ext}", ContentFile(data))
        company.logo.name = new
    elif remove:
        company.logo.name = ""
    try:
        company.save()
    except Exception:
        if new:
            logo_storage().delete(new)
        raise
    if old and old != (company.logo.name or None):
        transaction.on_commit(lambda: logo_storage().delete(old))
    return company


def _check_names(values: dict, company: Company) -> dict:
    names = {k: values.get(k, getattr(company, k)) for k in ("name_zh", "name_en")}
    if not names["name_zh"] and not names["name_en"]:
        return {"name_zh": [_("Enter the company's name in Chinese, in English, or both.")]}
    return {}


def _check_uscc_free(company: Company) -> None:
    if company.uscc and Company.objects.filter(uscc=company.uscc).exclude(pk=company.pk).exists():
        raise ValidationError({"uscc": _("Another of our companies has this unified social credit code.")})
