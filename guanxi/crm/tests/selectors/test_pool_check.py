"""查重 (check before entering): a name in full-width or half-width forms, a phone typed with spaces, an email, a
USCC find the party, visible or not (an invisible one without its name, with its owner), and say when it sits in
a pool; and which pools a user works with."""

import pytest
from django.utils import timezone, translation
from stdnum.cn import uscc

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.crm.models import Pool
from guanxi.crm.selectors.check import duplicate_check
from guanxi.crm.selectors.pools import pools_of
from guanxi.crm.services import pools as svc
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db

BODY = "91440300MA5F0XYD1"
USCC = BODY + uscc.calc_check_digit(BODY)


def _check(actor, q) -> dict:
    """{party name: hit} of what the check finds."""
    return {c.hit.party.name: c for c in duplicate_check(actor=actor, q=q)}


@pytest.fixture
def shenzhen(world):
    return make_org(
        world.admin,
        "华为技术有限公司（深圳）",
        owner=world.rep,
        phones=["0755 2878 0808"],
        emails=["sales@huawei-sz.example.cn"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC}],
    )


@pytest.mark.parametrize(
    "typed", ["华为技术有限公司(深圳)", "华为技术有限公司（深圳）", " 华为技术有限公司 (深圳) "]
)
def test_a_company_name_in_full_or_half_width_forms(world, shenzhen, typed):
    found = _check(world.mate, typed)
    assert found["华为技术有限公司（深圳）"].hit.reason == "same name"


@pytest.mark.parametrize(
    ("q", "reason"),
    [
        ("0755 2878 0808", "same phone"),
        ("+86 755 2878-0808", "same phone"),
        ("buyer@huawei-sz.example.cn", "same email domain"),
        (USCC, "same identifier"),
        (f"{USCC[:6]} {USCC[6:12]}-{USCC[12:].lower()}", "same identifier"),
    ],
    ids=["phone-spaces", "phone-international", "email", "uscc", "uscc-typed-loosely"],
)
def test_a_phone_an_email_or_a_uscc_finds_the_company(world, shenzhen, q, reason):
    hits = duplicate_check(actor=world.admin, q=q)
    assert [(c.hit.party, c.hit.reason) for c in hits] == [(shenzhen, reason)]


def test_a_persons_phone_finds_the_person(world):
    li = make_person(world.admin, "李娜", phones=["139 1234 5678"])
    assert _check(world.admin, "13912345678")["李娜"].hit.party == li


def test_a_persons_exact_email_finds_the_person(world):
    make_person(world.admin, "李娜", emails=["li.na@qq.com"])
    assert "李娜" in _check(world.admin, "li.na@qq.com")


def test_a_party_the_user_cannot_see_is_told_without_a_link_with_its_owner(world, shenzhen):
    hit = _check(world.rep_west, "0755 2878 0808")["华为技术有限公司（深圳）"].hit
    assert (hit.visible, hit.owner) == (False, "rep")
    assert _check(world.rep, "0755 2878 0808")["华为技术有限公司（深圳）"].hit.visible is True


def test_a_customer_in_a_pool_is_reported_in_the_pool(world, shenzhen):
    svc.pool_save(
        actor=world.manager,
        pool=None,
        data={"name_en": "East pool", "name_zh": "华东公海", "teams": [world.east]},
    )
    svc.customer_release(actor=world.rep, party=shenzhen)
    found = _check(world.rep_west, "华为技术有限公司（深圳）")["华为技术有限公司（深圳）"]
    assert (found.pool, found.hit.visible) == ("East pool", False)
    with translation.override("zh-hans"):
        assert _check(world.rep_west, USCC)["华为技术有限公司（深圳）"].pool == "华东公海"
    assert _check(world.rep_west, "华为技术有限公司")["华为技术有限公司"].pool == ""  # held by the rep


def test_a_pool_with_a_chinese_name_only_is_named_in_english_too(world, shenzhen):
    svc.pool_save(actor=world.manager, pool=None, data={"name_zh": "华东公海", "teams": [world.east]})
    svc.customer_release(actor=world.rep, party=shenzhen)
    assert _check(world.rep, USCC)["华为技术有限公司（深圳）"].pool == "华东公海"


@pytest.mark.parametrize("q", ["", " ", "华", "a ", "  x  "])
def test_too_short_input_finds_nothing(world, q):
    assert duplicate_check(actor=world.admin, q=q) == []


def test_the_check_needs_a_sales_role(world):
    with pytest.raises(PermissionDeniedError):
        duplicate_check(actor=world.buyer, q="华为技术有限公司")


def test_pools_of_own_teams_and_teamless_pools_an_administrator_all(world):
    def save(name, teams):
        return svc.pool_save(actor=world.admin, pool=None, data={"name_en": name, "teams": teams})

    east, west, everyone = save("East", [world.east]), save("West", [world.west]), save("Everyone", [])
    both = save("Both", [world.east, world.west])
    Pool.objects.filter(pk=save("Old", []).pk).update(archived_at=timezone.now())
    assert set(pools_of(world.rep)) == {east, everyone, both}
    assert list(pools_of(world.rep).filter(pk=both.pk)) == [both]  # once, not once per team
    assert set(pools_of(world.rep_west)) == {west, everyone, both}
    assert set(pools_of(world.manager)) == {east, everyone, both}
    assert set(pools_of(world.admin)) == {east, west, everyone, both}
    with pytest.raises(PermissionDeniedError):
        pools_of(world.marketing)
