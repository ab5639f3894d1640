"""Phones and emails typed the way Chinese users type them reach the party, normalized (issue 5, item 15)."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.parties.services.parties import DuplicatesFound, PartyExtras, party_create, party_update
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def points(party, kind):
    return list(party.contact_points.filter(kind=kind).values_list("value", "normalized", "is_primary"))


def test_an_extension_is_stored_with_the_number_and_shown(admin_user):
    org = make_org(admin_user, "厦门鹭岛贸易有限公司", phones=["0592-5556666 转 8001"])
    assert points(org, "phone") == [("0592 555 6666 ext. 8001", "+865925556666;ext=8001", True)]


def test_search_finds_the_number_without_its_extension(admin_user):
    org = make_org(admin_user, "厦门鹭岛贸易有限公司", phones=["0592-5556666-8001"])
    org.refresh_from_db()
    assert "865925556666" in org.search_doc
    assert ";ext" not in org.search_doc and "8001" not in org.search_doc


def test_several_numbers_in_one_entry_become_several(admin_user):
    org = make_org(admin_user, "Acme", phones=["13900139444，0592-5556666；010-65529988、13900139444"])
    assert [n for _v, n, _p in points(org, "phone")] == ["+8613900139444", "+865925556666", "+861065529988"]
    assert [p for _v, _n, p in points(org, "phone")] == [True, False, False]  # the first is the main one


def test_several_emails_in_one_entry_and_full_width_ones(admin_user):
    person = make_person(
        admin_user, "王芳", emails=["ｗａｎｇ．ｆａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ；wf@qq.com、fang@163.com"]
    )
    assert [v for v, _n, _p in points(person, "email")] == [
        "wang.fang@example.com",
        "wf@qq.com",
        "fang@163.com",
    ]


def test_a_bad_item_in_an_entry_is_named(admin_user):
    with pytest.raises(ValidationError) as exc:
        make_org(admin_user, "Acme", phones=["13900139444，123"])
    assert exc.value.message_dict["phones[1]"][0].startswith("123:")


def test_the_web_form_text_is_split_too(admin_user):
    """The form sends its textarea as lines; a line may still hold several numbers."""
    org = make_org(admin_user, "Acme")
    party_update(
        actor=admin_user,
        party=org,
        version=org.version,
        data={},
        extras=PartyExtras(phones=["0592-5556666-8001，13900139444", ""], emails=["a@acme.cn, b@acme.cn"]),
    )
    assert len(points(org, "phone")) == 2 and len(points(org, "email")) == 2


def test_a_number_with_an_extension_is_a_duplicate_of_the_switchboard(admin_user):
    make_org(admin_user, "鹭岛贸易", phones=["0592-5556666"])
    with pytest.raises(DuplicatesFound) as exc:
        party_create(
            actor=admin_user,
            data={"kind": "organization", "name": "Something Else", "is_customer": True},
            extras=PartyExtras(phones=["0592-5556666 转 8001"]),
        )
    assert [(h.party.name, h.reason) for h in exc.value.hits] == [("鹭岛贸易", "same phone")]
