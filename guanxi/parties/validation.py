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


# Words Chinese users put before an extension (0592-5556666 转 8001); phonenumbers knows ext., x and #.
_EXTENSION_WORD = re.compile(r"\s*(?:转|轉|分机|分機|内线|內線)\s*")
# 0592-5556666-8001: an extension after a dash, tried only when the whole is not a number.
_DASH_EXTENSION = re.compile(r"(.*\d)\s*[-‐‑–—]\s*(\d{1,6})")
# Between items of one entry: newline, comma, semicolon (ASCII and full-width), enumeration comma.
# A semicolon before "ext=" is part of a phone number (RFC 3966: +86-592-555-6666;ext=8001).
_LIST_SEPARATOR = re.compile(r"[\n\r,，;；、](?!ext=)")
EXTENSION_MARK = ";ext="


def split_contact_list(value: str | list[str] | None, *, on_spaces: bool = False) -> list[str]:
    """The phones or emails in what was typed: one per line or separated by ，；、 , ; (emails: spaces too).

    Accepts one text or a list of texts (each may hold several). Empty items are dropped.
    """
    if value is None:
        return []
    texts = [value] if isinstance(value, str) else [v for v in value if v]
    items: list[str] = []
    for text in texts:
        for item in _LIST_SEPARATOR.split(str(text)):
            items.extend(item.split() if on_spaces else [item])
    return [i.strip() for i in items if i and i.strip()]


def _parse_phone(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(value: str, default_region: str = "CN") -> tuple[str, str]:
    """Returns (display value, normalized). Refuses numbers that cannot exist.

    Normalized is E.164, with the extension after ";ext=" when there is one: +865925556666;ext=8001.
    Full-width digits and punctuation are read as ASCII (NFKC); 转 / 分机 mark an extension as ext. does.
    """
    value = clean_text(value)
    if not value:
        raise ValidationError(_("Enter a phone number."))
    if len(value) > 40:
        raise ValidationError(_("This phone number is too long."))
    region = (default_region or "CN").upper()
    text = _EXTENSION_WORD.sub(" ext. ", unicodedata.normalize("NFKC", value)).strip()
    number = _parse_phone(text, region)
    if number is None and (m := _DASH_EXTENSION.fullmatch(text)):
        number = _parse_phone(m[1], region)
        if number is not None and not number.extension:
            number.extension = m[2]
        else:
            number = None
    if number is None:
        try:
            phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(_("This is not a phone number.")) from exc
        raise ValidationError(_("This phone number is not possible: check the digits and the country code."))
    if number.extension and not re.fullmatch(r"\d{1,7}", number.extension):
        raise ValidationError(_("An extension has at most 7 digits."))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    normalized = f"{e164}{EXTENSION_MARK}{number.extension}" if number.extension else e164
    return phonenumbers.format_number(number, fmt), normalized


def phone_without_extension(normalized: str) -> str:
    """+865925556666;ext=8001 → +865925556666: what search and duplicate checks compare."""
    return normalized.split(EXTENSION_MARK, 1)[0]


# Dots that Chinese input methods type in an address: full-width (NFKC reads it) and ideographic 。 ｡.
_EMAIL_DOTS = str.maketrans({"。": ".", "｡": "."})


def normalize_email(value: str) -> str:
    """An email as typed, checked; full-width letters, ＠ and dots (ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｃｏｍ) read as ASCII."""
    value = unicodedata.normalize("NFKC", clean_text(value)).translate(_EMAIL_DOTS).strip()
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
