"""Issue 5, items 3, 13, 14, 17, 18, 21: one company one party; Chinese text matched however it is typed;
exact matches first; pinyin order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from guanxi.core.roles import BUYER, SALES_REP
from guanxi.parties.models import Party, PartyIdentifier
from guanxi.parties.selectors.duplicates import find_duplicates
from guanxi.parties.selectors.parties import PartyFilters, party_results
from guanxi.parties.selectors.search import ranked_matches
from guanxi.parties.services.parties import DuplicatesFound, party_create, party_update
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db

USCC = "914403001922038216"


def listed(actor, q, **filters):
    results = party_results(actor=actor, filters=PartyFilters(q=q, **filters))
    return [p.name for p in results.qs.order_by(*results.ordering)]


# --- 3: one company, one party ---------------------------------------------------------------------------


def test_the_database_refuses_a_second_party_with_the_same_uscc(admin_user):
    a = make_org(admin_user, "A", identifiers=[{"scheme": "cn_uscc", "value": USCC}])
    b = make_org(admin_user, "B")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyIdentifier.objects.create(party=b, scheme="cn_uscc", country="CN", value=USCC)
    # A VAT number is unique within its country; a tax ID is not a registration.
    PartyIdentifier.objects.create(party=a, scheme="vat", country="DE", value="136695976")
    PartyIdentifier.objects.create(party=b, scheme="vat", country="AT", value="136695976")
    PartyIdentifier.objects.create(party=a, scheme="tax_id", country="US", value="123456789")
    PartyIdentifier.objects.create(party=b, scheme="tax_id", country="US", value="123456789")


def test_a_buyer_onboarding_an_existing_customer_is_told_who_owns_it(admin_user, make_user, team, other_team):
    rep = make_user("wang.wei", roles=[SALES_REP], teams=[team])
    rep.first_name, rep.last_name = "伟", "王"
    rep.save()
    buyer = make_user("buyer", roles=[BUYER], teams=[other_team])
    make_org(rep, "华为技术有限公司", identifiers=[{"scheme": "cn_uscc", "value": USCC}])
    with pytest.raises(ValidationError) as exc:
        party_create(
            actor=buyer,
            data={"name": "华为技术有限公司", "is_customer": False, "is_supplier": True},
            extras=_extras(identifiers=[{"scheme": "cn_uscc", "value": USCC}]),
            allow_duplicates=True,
        )
    message = exc.value.message_dict["identifiers[0]"][0]
    assert "already registered" in message and "王伟" in message
    assert Party.objects.count() == 1


def test_adding_someone_elses_uscc_on_edit_is_refused(admin_user):
    make_org(admin_user, "Holder", identifiers=[{"scheme": "cn_uscc", "value": USCC}])
    other = make_org(admin_user, "Other")
    with pytest.raises(ValidationError):
        party_update(
            actor=admin_user,
            party=other,
            version=other.version,
            data={},
            extras=_extras(identifiers=[{"scheme": "cn_uscc", "value": USCC}]),
        )
    assert not other.identifiers.exists()


def _extras(**kw):
    from guanxi.parties.services.cleaning import PartyExtras

    return PartyExtras(**kw)


# --- 13: full-width / half-width, traditional / simplified -----------------------------------------------


@pytest.mark.parametrize(
    "existing, typed",
    [
        ("腾讯科技（深圳）有限公司", "腾讯科技(深圳)有限公司"),
        ("腾讯科技(深圳)有限公司", "腾讯科技（深圳）有限公司"),
        ("腾讯科技（深圳）有限公司", "騰訊科技（深圳）有限公司"),
        ("ＡＢＣ Trading Co., Ltd.", "ABC Trading Co., Ltd."),
    ],
)
def test_full_width_half_width_and_traditional_names_are_the_same_name(admin_user, existing, typed):
    make_org(admin_user, existing)
    hits = find_duplicates(actor=admin_user, name=typed, identifiers=[], emails=[], phones_e164=[])
    assert [(h.party.name, str(h.reason)) for h in hits] == [(existing, "same name")]
    assert listed(admin_user, typed) == [existing]


@pytest.mark.parametrize("typed", ["huawei", "hua wei", "hua'wei", "HuaWei", "hw", "ＨＷ", "ｈｕａｗｅｉ"])
def test_pinyin_however_typed_finds_huawei(admin_user, typed):
    make_org(admin_user, "华为技术有限公司")
    make_org(admin_user, "Acme")
    assert listed(admin_user, typed) == ["华为技术有限公司"]


# --- 14: colleagues are not duplicates; renaming checks too -----------------------------------------------


def test_a_new_contact_is_not_a_duplicate_of_the_employer_or_colleagues(admin_user):
    org = make_org(admin_user, "Ningbo Port", emails=["info@nbport.example.cn"], phones=["0574 8765 4321"])
    make_person(admin_user, "Colleague One", organization=org, emails=["one@nbport.example.cn"])
    person = party_create(
        actor=admin_user,
        data={"kind": "person", "name": "Colleague Two", "is_customer": True},
        extras=_extras(emails=["two@nbport.example.cn"]),
        organization=org,
    )
    assert person.pk


def test_renaming_to_an_existing_name_warns(admin_user):
    make_org(admin_user, "Acme Trading Co., Ltd.")
    other = make_org(admin_user, "Beta")
    with pytest.raises(DuplicatesFound):
        party_update(actor=admin_user, party=other, version=other.version, data={"name": "ACME Trading Ltd."})
    other.refresh_from_db()
    assert other.name == "Beta"
    party_update(
        actor=admin_user,
        party=other,
        version=other.version,
        data={"name": "ACME Trading Ltd."},
        allow_duplicates=True,
    )
    # Saving it again without renaming does not warn every time.
    other.refresh_from_db()
    party_update(actor=admin_user, party=other, version=other.version, data={"notes": "ok"})


def test_renaming_in_the_web_form_shows_the_warning_and_save_anyway(client, admin_user):
    make_org(admin_user, "Acme Trading Co., Ltd.")
    other = make_org(admin_user, "Beta")
    client.force_login(admin_user)
    data = {"name": "Acme Trading Co., Ltd.", "is_customer": "on", "version": other.version}
    response = client.post(f"/parties/{other.pk}/edit/", data)
    assert response.status_code == 200 and "This may already exist:" in response.content.decode()
    response = client.post(f"/parties/{other.pk}/edit/", {**data, "allow_duplicates": "on"})
    assert response.status_code == 302


# --- 17, 18: order and rank ------------------------------------------------------------------------------


def test_an_exact_name_is_always_in_the_bound_and_first(admin_user):
    """With more matches than the bound, the exact name must not be lost among them (it was: the bound
    kept the first 200 in storage order)."""
    for i in range(12):
        make_org(admin_user, f"阿{i:02d}双敏电子信息有限公司")  # sorts before the exact one (pinyin a…)
    exact = make_org(admin_user, "双敏电子信息有限公司")
    make_org(admin_user, "双敏电子信息有限公司深圳分公司")  # a prefix match
    qs = Party.objects.all()
    matches = ranked_matches(qs, "双敏电子信息有限公司", limit=5)
    assert matches.truncated
    assert matches.ids[0] == exact.pk
    assert Party.objects.get(pk=matches.ids[1]).name == "双敏电子信息有限公司深圳分公司"
    assert listed(admin_user, "双敏电子信息有限公司")[0] == "双敏电子信息有限公司"


@pytest.mark.parametrize(
    "typed", [USCC, "0755-2878 0808", "+86 755 2878 0808", "0086 755 2878 0808", "info@x.cn"]
)
def test_an_exact_identifier_phone_or_email_comes_first(admin_user, typed):
    target = make_org(
        admin_user,
        "Zzz Target",  # sorts last by name
        identifiers=[{"scheme": "cn_uscc", "value": USCC}],
        phones=["0755 2878 0808"],
        emails=["info@x.cn"],
    )
    make_org(admin_user, "Aaa " + typed.replace("@", " at "))  # contains the digits or the text too
    names = listed(admin_user, typed)
    assert names[0] == target.name


def test_name_order_is_pinyin_and_pages_follow_it(admin_user, client):
    for name in ["中兴通讯", "阿里巴巴", "Beta", "北京燕山", "Zeta"]:
        make_org(admin_user, name)
    client.force_login(admin_user)
    first = client.get("/parties/", {"sort": "name", "kind": "organization"}).context["page"]
    assert [p.name for p in first.items] == ["阿里巴巴", "北京燕山", "Beta", "Zeta", "中兴通讯"]  # bei < bet


@pytest.mark.parametrize("term", ["科技", "科技有限", "kj"])
def test_the_rest_comes_in_name_order_from_the_postings(admin_user, term):
    """A common term fills the bound from the postings of its rarest piece, in name order (pinyin)."""
    names = [f"{city}{brand}科技有限公司" for city in ("深圳", "北京", "安庆") for brand in ("华泰", "中兴")]
    for name in names:
        make_org(admin_user, name)
    make_org(admin_user, "Acme Trading")  # no Chinese: no postings, never a match
    matches = ranked_matches(Party.objects.all(), term, limit=3)
    found = [Party.objects.get(pk=pk).name for pk in matches.ids]
    expected = sorted(
        (n for n in names if term in n or term == "kj"), key=lambda n: Party.objects.get(name=n).sort_key
    )
    assert matches.truncated and found == expected[:3]


def test_a_number_with_an_extension_is_the_same_phone_both_ways(admin_user):
    """Duplicates and exact matches compare the number without its extension, whichever side has one."""
    stored = make_org(admin_user, "Switchboard Ltd", phones=["0592-5556666 转 8001"])
    hits = find_duplicates(
        actor=admin_user, name="", identifiers=[], emails=[], phones_e164=["+865925556666"]
    )
    assert [h.party.pk for h in hits] == [stored.pk]
    assert listed(admin_user, "0592 555 6666")[0] == "Switchboard Ltd"
    plain = make_org(admin_user, "Plain Ltd", phones=["0755 2878 0808"])
    hits = find_duplicates(
        actor=admin_user, name="", identifiers=[], emails=[], phones_e164=["+8675528780808"]
    )
    assert [h.party.pk for h in hits] == [plain.pk]
