"""Checking and normalizing what users type: identifiers, phones, emails, free text."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum import get_cc_module
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from guanxi.parties.choices import IdentifierScheme

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Strip surrounding space; refuse control characters (newlines only where multi-line text is allowed)."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value)).strip()
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        raise ValidationError(_("Remove the control characters from this text."), code="control_chars")
    return value


def validate_identifier(scheme: str, country: str, value: str) -> tuple[str, str]:
    """Validate and compact an identifier; returns (country, compact value)."""
    value = clean_text(value)
    country = (country or "").upper()
    if country and not re.fullmatch(
        r"[A-Z]{2}", country
    ):  # the column holds two letters (NUL would be a 500)
        raise ValidationError(_("Use a two-letter country code such as CN or US."))
    if scheme not in IdentifierScheme.values:
        raise ValidationError(_("Unknown identifier type."))
    if not value:
        raise ValidationError(_("Enter the number."))
    try:
        if scheme == IdentifierScheme.CN_USCC:
            return "CN", uscc.validate(value)
        if scheme == IdentifierScheme.VAT:
            if not country:
                raise ValidationError(_("Choose the country of this VAT number."))
            module = _stdnum_module(country, "vat")
            if module is None:
                return country, _compact(value)
            return country, module.validate(value)
        # A tax id: use the country's stdnum module when there is one (e.g. CN -> USCC rules do not apply).
        module = _stdnum_module(country, "tin") or _stdnum_module(country, "vat") if country else None
        if module is not None:
            return country, module.validate(value)
        compact = _compact(value)
        if not re.fullmatch(r"[A-Z0-9]{4,30}", compact):
            raise ValidationError(_("A tax ID has 4 to 30 letters and digits."))
        return country, compact
    except StdnumError as exc:
        raise ValidationError(
            _("This %(scheme)s is not valid: %(reason)s")
            % {"scheme": IdentifierScheme(scheme).label, "reason": _stdnum_reason(exc)}
        ) from exc


def _compact(value: str) -> str:
    return re.sub(r"[\s\-./]", "", value).upper()


def _stdnum_module(country: str, kind: str):
    try:
        return get_cc_module(country.lower(), kind)
    except Exception:  # stdnum raises plain errors for unknown countries  # noqa: BLE001
        return None


def _stdnum_reason(exc: StdnumError) -> str:
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

    if isinstance(exc, InvalidChecksum):
        return _("the check digit is wrong")
    if isinstance(exc, InvalidLength):
        return _("it has the wrong length")
    if isinstance(exc, InvalidFormat):
        return _("it has characters that do not belong")
    if isinstance(exc, InvalidComponent):
        return _("a part of it is not valid")
    return _("it is not a valid number")


def normalize_phone(value: str, default_region: str = "CN") -> tuple[str, str]:
    """Returns (display value, E.164). Refuses numbers that cannot exist."""
    value = clean_text(value)
    if not value:
        raise ValidationError(_("Enter a phone number."))
    if len(value) > 40:
        raise ValidationError(_("This phone number is too long."))
    try:
        number = phonenumbers.parse(value, (default_region or "CN").upper())
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This phone number is not possible: check the digits and the country code."))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == (default_region or "CN").upper()
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt), e164


def normalize_email(value: str) -> str:
    value = clean_text(value)
    if len(value) > 254:
        raise ValidationError(_("This email address is too long."))
    validate_email(value)
    local, _sep, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


# Free-mail domains are not a sign that two organizations are the same.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "sohu.com",
        "foxmail.com",
        "aliyun.com",
        "yeah.net",
        "139.com",
        "live.com",
        "msn.com",
        "example.com",
        "example.org",
        "example.net",
    }
)
