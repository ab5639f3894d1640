import pytest
from django.core.exceptions import ValidationError

from guanxi.parties.validation import (
    PUBLIC_EMAIL_DOMAINS,
    clean_text,
    email_domain,
    normalize_email,
    normalize_phone,
    validate_identifier,
)

USCC = "914403001922038216"


@pytest.mark.parametrize(
    "scheme, country, value, expected",
    [
        ("cn_uscc", "CN", USCC, ("CN", USCC)),
        ("cn_uscc", "", "91440300192203821-6", ("CN", USCC)),  # typed with a dash, country implied
        ("cn_uscc", "CN", " 9144 0300 1922 0382 16 ", ("CN", USCC)),
        ("cn_uscc", "CN", "91110108ma01abc1d7", ("CN", "91110108MA01ABC1D7")),
        ("vat", "DE", "DE136695976", ("DE", "136695976")),
        ("vat", "de", "DE 136 695 976", ("DE", "136695976")),
        ("tax_id", "US", "12-3456789", ("US", "123456789")),
        ("tax_id", "XX", "ab-1234/5", ("XX", "AB12345")),  # no rules known for the country: letters/digits
        ("tax_id", "", "ab 1234", ("", "AB1234")),
    ],
)
def test_valid_identifiers_are_compacted(scheme, country, value, expected):
    assert validate_identifier(scheme, country, value) == expected


@pytest.mark.parametrize(
    "scheme, country, value, message",
    [
        ("cn_uscc", "CN", "914403001922038217", "check digit"),
        ("cn_uscc", "CN", "91440300192203821", "wrong length"),
        ("cn_uscc", "CN", "9144030019220382I6", "characters that do not belong"),
        ("vat", "DE", "DE136695977", "check digit"),
        ("vat", "DE", "DE13669597", "wrong length"),
        ("vat", "", "DE136695976", "country of this VAT number"),
        ("tax_id", "XX", "ab", "4 to 30 letters and digits"),
        ("tax_id", "XX", "ab_12345", "4 to 30 letters and digits"),
        ("tax_id", "DE", "12345678901", "wrong length"),  # Germany's rules apply
        ("tax_id", "DEU", "AB1234", "two-letter country code"),
        ("tax_id", "1X", "AB1234", "two-letter country code"),
        ("passport", "CN", "E12345678", "Unknown identifier type"),
        ("vat", "DE", "   ", "Enter the number"),
        ("vat", "DE", "DE136\x00695976", "control characters"),
    ],
)
def test_invalid_identifiers_are_refused_with_a_reason(scheme, country, value, message):
    with pytest.raises(ValidationError) as exc:
        validate_identifier(scheme, country, value)
    assert message in exc.value.messages[0]


@pytest.mark.parametrize(
    "typed, region, expected",
    [
        ("13912345678", "CN", ("139 1234 5678", "+8613912345678")),
        ("139-1234-5678", "", ("139 1234 5678", "+8613912345678")),  # no region: China
        ("+86 139 1234 5678", "CN", ("139 1234 5678", "+8613912345678")),
        ("0755 2878 0808", "CN", ("0755 2878 0808", "+8675528780808")),
        ("(010) 6552-9988", "cn", ("010 6552 9988", "+861065529988")),
        ("+1 650-253-0000", "CN", ("+1 650-253-0000", "+16502530000")),  # foreign: international format
        ("650 253 0000", "US", ("(650) 253-0000", "+16502530000")),
    ],
)
def test_valid_phones_are_normalized(typed, region, expected):
    assert normalize_phone(typed, region) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123",
        "13912345",  # a digit short of a mobile number
        "1391234567890",
        "+86 000 0000 0000",
        "+999 1234 5678",  # no such country code
        "call me",
        "1" * 41,
        "139\x001234 5678",
    ],
)
def test_impossible_phones_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed, "CN")


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Info@Huawei.Example.CN", "Info@huawei.example.cn"),  # the local part keeps its case
        ("  li.na+crm@qq.com ", "li.na+crm@qq.com"),
        ("zhang.wei@例子.中国", "zhang.wei@例子.中国"),  # an internationalized domain
    ],
)
def test_valid_emails_are_normalized(typed, expected):
    assert normalize_email(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "nope", "a@", "@example.com", "a b@example.com", "a@example..com", "a@b\n.com", "x" * 250 + "@a.cn"],
)
def test_invalid_emails_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_email(typed)


def test_email_domain_and_public_domains():
    assert email_domain("Sales@ACME-Trading.cn") == "acme-trading.cn"
    assert {"gmail.com", "qq.com", "163.com"} <= PUBLIC_EMAIL_DOMAINS


def test_clean_text_strips_and_composes():
    assert clean_text("  Cafe\u0301 ") == "Caf\u00e9"  # NFC: one code point, as other rows store it
    assert clean_text(None) == ""
    assert clean_text(42) == "42"
    assert clean_text("tab\tinside") == "tab\tinside"


@pytest.mark.parametrize(
    "text",
    [
        "nul\x00",
        "bell\x07",
        "esc\x1b[31m",
        "del\x7f",
        "zero\u200bwidth",
        "rlm\u200f",
        "bom\ufeff",
        "line\u2028sep",
        "rlo\u202eevil",
        "isolate\u2066x\u2069",
    ],
)
def test_control_characters_are_refused_everywhere(text):
    for multiline in (False, True):
        with pytest.raises(ValidationError) as exc:
            clean_text(text, multiline=multiline)
        assert exc.value.code == "control_chars"


@pytest.mark.parametrize("text", ["line one\nline two", "windows\r\nline", "old mac\rline"])
def test_line_breaks_only_in_multiline_text(text):
    with pytest.raises(ValidationError):
        clean_text(text)
    assert clean_text(text, multiline=True) == text
