"""Phones and emails as Chinese users type them: extensions, several in one entry, full-width characters."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.parties.validation import (
    normalize_email,
    normalize_phone,
    phone_without_extension,
    split_contact_list,
)

XIAMEN = ("0592 555 6666 ext. 8001", "+865925556666;ext=8001")


@pytest.mark.parametrize(
    "typed, region, expected",
    [
        ("0592-5556666-8001", "CN", XIAMEN),  # an extension after a dash
        ("0592-5556666 转 8001", "CN", XIAMEN),  # 转: "put through to"
        ("0592-5556666转8001", "CN", XIAMEN),
        ("0592 5556666 分机 8001", "CN", XIAMEN),
        ("０５９２－５５５６６６６－８００１", "CN", XIAMEN),  # full-width digits and dash
        ("０５９２－５５５６６６６　转　８００１", "CN", XIAMEN),  # and a full-width space
        ("13900139444 转 8001", "CN", ("139 0013 9444 ext. 8001", "+8613900139444;ext=8001")),
        ("0592-5556666 ext. 12", "CN", ("0592 555 6666 ext. 12", "+865925556666;ext=12")),
        ("0592-5556666 x12", "CN", ("0592 555 6666 ext. 12", "+865925556666;ext=12")),
        ("0592-5556666 #12", "CN", ("0592 555 6666 ext. 12", "+865925556666;ext=12")),
        ("+86 592 5556666;ext=8001", "CN", XIAMEN),  # RFC 3966, as another system exports it
        ("(650) 253-0000 x 42", "US", ("(650) 253-0000 ext. 42", "+16502530000;ext=42")),
        ("0592-555-6666", "CN", ("0592 555 6666", "+865925556666")),  # dashes inside stay a number
    ],
)
def test_extensions_are_accepted_and_kept(typed, region, expected):
    assert normalize_phone(typed, region) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "0592-5556666-12345678",  # too long for an extension
        "0592-555666-12",  # the number before the dash is not a number either
        "转 8001",
        "0592-5556666 转",
    ],
)
def test_what_is_still_not_a_phone(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed, "CN")


def test_without_extension_is_what_search_and_duplicates_compare():
    assert phone_without_extension("+865925556666;ext=8001") == "+865925556666"
    assert phone_without_extension("+865925556666") == "+865925556666"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "info@example.com"),  # full-width letters, ＠ and dot
        ("Sales＠Huawei．COM", "Sales@huawei.com"),
        ("info@example。com", "info@example.com"),  # the ideographic full stop of a Chinese input method
        ("li.na@例子。中国", "li.na@例子.中国"),
    ],
)
def test_full_width_emails_are_accepted(typed, expected):
    assert normalize_email(typed) == expected


@pytest.mark.parametrize(
    "typed, spaces, expected",
    [
        ("13900139444，0592-5556666", False, ["13900139444", "0592-5556666"]),
        ("13900139444；0592-5556666、010-65529988", False, ["13900139444", "0592-5556666", "010-65529988"]),
        (
            "139 0013 9444, 0592 555 6666; 010 6552 9988",
            False,
            ["139 0013 9444", "0592 555 6666", "010 6552 9988"],
        ),
        ("+86 592 5556666;ext=8001", False, ["+86 592 5556666;ext=8001"]),
        (["a@x.cn，b@y.cn", "", "  ", "c@z.cn"], True, ["a@x.cn", "b@y.cn", "c@z.cn"]),
        ("a@x.cn b@y.cn\nc@z.cn；d@w.cn", True, ["a@x.cn", "b@y.cn", "c@z.cn", "d@w.cn"]),
        (None, False, []),
        ("", True, []),
    ],
)
def test_several_in_one_entry_are_split(typed, spaces, expected):
    assert split_contact_list(typed, on_spaces=spaces) == expected
