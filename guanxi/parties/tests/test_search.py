"""Search: what a party is found by (guanxi.parties.search) and finding it through party_list on either database."""

import pytest
from django.db import DatabaseError, connection

from guanxi.parties.search import build_search_fields, normalize_query, pinyin_forms
from guanxi.parties.selectors.parties import PartyFilters, party_list
from guanxi.parties.services.parties import party_archive
from guanxi.parties.tests.factories import make_org, make_person

USCC = "914403001922038216"
USCC_LETTERS = "91110108MA01ABC1D7"


@pytest.mark.parametrize(
    "typed, query",
    [
        ("  Huawei   Technologies ", "huaweitechnologies"),  # compact: spaces and punctuation do not count
        ("hua wei", "huawei"),
        ("hua'wei", "huawei"),
        ("ＨＷ", "hw"),  # full-width letters
        ("腾讯科技（深圳）", "腾讯科技深圳"),
        ("騰訊", "腾讯"),  # traditional characters
        ("0086 755 2878 0808", "8675528780808"),
        ("+86 (0)755 2878 0808", "8675528780808"),
        ("华为", "华为"),
        ("0755 2878 0808", "75528780808"),  # national trunk 0 dropped: stored as 86755...
        ("0755-2878-0808", "75528780808"),
        ("(0755) 28780808", "75528780808"),
        ("+86 139 1234 5678", "8613912345678"),
        ("139-1234-5678", "13912345678"),
        ("1234", "1234"),  # too short to be a phone: searched as typed
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_query(typed, query):
    assert normalize_query(typed) == query


def test_normalize_query_caps_the_length():
    assert len(normalize_query("x" * 500)) == 100


def test_pinyin_forms():
    assert pinyin_forms("华为技术") == ("huaweijishu", "hwjs")
    assert pinyin_forms("Acme 华为 Ltd") == ("huawei", "hw")
    assert pinyin_forms("Acme") == ("", "")


def test_build_search_fields():
    doc, short = build_search_fields(
        names=["华为技术有限公司", " 华为 ", ""],
        identifiers=[USCC_LETTERS],
        emails=["Info@Huawei.example.cn"],
        phones_e164=["+8675528780808"],
    )
    parts = doc.split("|")
    assert parts == [
        "华为技术有限公司",
        "华为",
        "huaweijishuyouxiangongsi",
        "huawei",
        "hwjsyxgs",
        "hw",
        USCC_LETTERS.lower(),
        "infohuaweiexamplecn",
        "8675528780808",
    ]
    assert short.split("|") == ["华为技术有限公司", "华为", "hwjsyxgs", "hw"]


@pytest.fixture
def parties(admin_user):
    huawei = make_org(
        admin_user,
        "华为技术有限公司",
        supplier=True,
        phones=["0755 2878 0808"],
        emails=["info@huawei-tech.cn"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC}],
    )
    make_org(admin_user, "腾讯科技（深圳）有限公司")
    make_org(
        admin_user,
        "Acme Trading Co., Ltd.",
        emails=["sales@acme-trading.cn"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC_LETTERS}],
    )
    make_person(admin_user, "Li Na", phones=["13912345678"], emails=["li.na@gmail.com"])
    party_archive(actor=admin_user, party=make_org(admin_user, "华为终端旧公司"))
    return huawei


def found(actor, q, state="active"):
    return sorted(p.name for p in party_list(actor=actor, filters=PartyFilters(q=q, state=state)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        "华为技术有限公司",
        "华为技术",
        "技术",
        "华为",  # 2 characters: the n-gram path on PostgreSQL
        "华",  # 1 character
        "hw",  # pinyin initials, 2 characters
        "HW",
        "hwjs",
        "hwjsyxgs",
        "huawei",
        "HuaWei",
        "huaweijishu",
        "info@huawei-tech.cn",
        "huawei-tech",
        USCC,
        "91440300192203821-6",
        "0755 2878 0808",
        "0755-2878-0808",
        "075528780808",
        "+86 755 2878 0808",
        "2878 0808",
    ],
)
def test_finds_huawei(admin_user, parties, q):
    assert found(admin_user, q) == ["华为技术有限公司"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q, names",
    [
        ("trading", ["Acme Trading Co., Ltd."]),
        ("ACME TRAD", ["Acme Trading Co., Ltd."]),
        ("acme-trading.cn", ["Acme Trading Co., Ltd."]),
        (USCC_LETTERS.lower(), ["Acme Trading Co., Ltd."]),
        ("腾讯", ["腾讯科技（深圳）有限公司"]),
        ("tx", ["腾讯科技（深圳）有限公司"]),
        ("139 1234 5678", ["Li Na"]),
        ("139-1234-5678", ["Li Na"]),
        ("+86 13912345678", ["Li Na"]),
        ("li.na@gmail.com", ["Li Na"]),
        ("公司", ["华为技术有限公司", "腾讯科技（深圳）有限公司"]),
        ("nothing like this", []),
        ("腾讯科技(深圳)", ["腾讯科技（深圳）有限公司"]),  # half-width brackets find full-width ones
        ("騰訊科技", ["腾讯科技（深圳）有限公司"]),
        ("teng xun", ["腾讯科技（深圳）有限公司"]),
        ("hua wei", ["华为技术有限公司"]),
        ("hua'wei", ["华为技术有限公司"]),
        ("ＨＷ", ["华为技术有限公司"]),
        ("0086 755 2878 0808", ["华为技术有限公司"]),
        ("@", []),
        ("100%", []),
        ("_", []),
    ],
)
def test_finds_other_parties(admin_user, parties, q, names):
    assert found(admin_user, q) == names


@pytest.mark.django_db
def test_archived_parties_are_hidden_unless_asked_for(admin_user, parties):
    assert found(admin_user, "华为") == ["华为技术有限公司"]
    assert found(admin_user, "华为", state="archived") == ["华为终端旧公司"]
    assert found(admin_user, "hw", state="all") == ["华为技术有限公司", "华为终端旧公司"]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["86", "cn", "@"])
def test_short_terms_look_in_names_and_initials_on_both_databases(admin_user, parties, q):
    """1-2 characters search names and pinyin initials only (Party.search_short): not phones or emails.

    PostgreSQL answers these from the n-gram index over search_short; SQLite must give the same rows.
    """
    assert found(admin_user, q) == [], f"{q!r} matched phone/email/identifier text"


@pytest.mark.django_db
def test_one_and_two_character_search_runs_on_this_database(admin_user, parties):
    try:
        names = found(admin_user, "华为")
    except DatabaseError as exc:
        pytest.fail(
            f"1-2 character search fails on {connection.vendor}: {exc}\n"
            "NGrams (guanxi/parties/selectors/parties.py) declares ArrayField(CharField()), so Django casts "
            "the searched term to varchar[], and gx_ngrams() returns text[]: declare ArrayField(TextField())."
        )
    assert names == ["华为技术有限公司"]
