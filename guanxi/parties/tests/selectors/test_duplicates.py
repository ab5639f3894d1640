import pytest

from guanxi.core.roles import SALES_REP
from guanxi.parties.selectors.duplicates import find_duplicates, normalized_name
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

USCC = "914403001922038216"


def dupes(actor, name="Something Else Entirely", *, identifiers=(), emails=(), phones=(), **kw):
    hits = find_duplicates(
        actor=actor,
        name=name,
        identifiers=list(identifiers),
        emails=list(emails),
        phones_e164=list(phones),
        **kw,
    )
    return [(h.party.name, h.reason) for h in hits]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Acme Trading Co., Ltd.", "acmetrading"),
        ("ACME Trading Ltd", "acmetrading"),
        ("Siemens AG", "siemens"),
        ("华为技术有限公司", "华为技术"),
        ("深圳市腾讯计算机系统有限公司", "深圳市腾讯计算机系统"),
        ("腾讯科技（深圳）有限公司", "腾讯科技深圳"),
        ("騰訊科技(深圳)有限公司", "腾讯科技深圳"),
        ("  Co. Ltd.  ", "coltd"),  # nothing but a legal form: the whole name is its core
    ],
)
def test_normalized_name_drops_legal_forms_and_punctuation(name, expected):
    assert normalized_name(name) == expected


def test_same_identifier(admin_user):
    make_org(admin_user, "Huawei", identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC}])
    assert dupes(admin_user, identifiers=[USCC]) == [("Huawei", "same identifier")]


def test_same_name_ignoring_case(admin_user):
    make_org(admin_user, "Acme Trading Co., Ltd.")
    assert dupes(admin_user, "ACME TRADING CO., LTD.") == [("Acme Trading Co., Ltd.", "same name")]


@pytest.mark.parametrize(
    "existing, typed",
    [
        ("Acme Trading Co., Ltd.", "ACME Trading Ltd"),
        ("华为技术有限公司", "华为技术股份有限公司"),
    ],
)
def test_similar_name(admin_user, existing, typed):
    make_org(admin_user, existing)
    assert dupes(admin_user, typed) == [(existing, "similar name")]


def test_short_names_are_not_matched_by_similarity(admin_user):
    make_org(admin_user, "AB Logistics")
    assert dupes(admin_user, "AB Ltd") == []  # "ab" is too short to say anything


def test_same_company_email_domain_but_not_a_public_one(admin_user):
    make_org(admin_user, "Acme", emails=["sales@acme-trading.cn"])
    make_org(admin_user, "Gmail user", emails=["someone@gmail.com"])
    assert dupes(admin_user, emails=["ceo@ACME-trading.cn"]) == [("Acme", "same email domain")]
    assert dupes(admin_user, emails=["other@gmail.com"]) == []


def test_same_phone(admin_user):
    make_org(admin_user, "Acme", phones=["0755 2878 0808"])
    assert dupes(admin_user, phones=["+8675528780808"]) == [("Acme", "same phone")]
    assert dupes(admin_user, phones=["+8675528780809"]) == []


def test_each_party_is_reported_once_with_its_first_reason(admin_user):
    acme = make_org(admin_user, "Acme Trading", phones=["13912345678"], emails=["a@acme-trading.cn"])
    hits = dupes(admin_user, "Acme Trading", emails=["b@acme-trading.cn"], phones=["+8613912345678"])
    assert hits == [("Acme Trading", "same name")]
    assert dupes(admin_user, "Acme Trading", exclude_pk=acme.pk) == []


def test_invisible_parties_are_found_but_not_shown(admin_user, make_user, team, other_team):
    """One company, one party: the check spans every party; one the user may not see is reported only by
    its owner (the caller cannot open it)."""
    owner = make_user("west.rep", roles=[SALES_REP], teams=[other_team])
    make_org(admin_user, "Acme Trading", owner=owner)
    rep = make_user(roles=[SALES_REP], teams=[team])
    [hit] = find_duplicates(actor=rep, name="Acme Trading", identifiers=[], emails=[], phones_e164=[])
    assert (hit.visible, hit.owner, str(hit.reason)) == (False, "west.rep", "same name")
    [hit] = find_duplicates(actor=admin_user, name="Acme Trading", identifiers=[], emails=[], phones_e164=[])
    assert hit.visible and hit.party.name == "Acme Trading"


def test_limit(admin_user):
    for i in range(4):
        make_org(admin_user, f"Acme Trading {i}")
    assert len(dupes(admin_user, "Acme Trading", limit=3)) == 3
