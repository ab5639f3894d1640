"""The duplicate scan and the list it feeds (guanxi.parties.services.duplicate_scan, guanxi.parties.selectors.
duplicate_pairs): each signal finds its pair, several signals
rank a pair first and are listed strongest first, and what is left out (archived, merged, dismissed, out of
the user's edit scope, values shared by too many parties, an organization beside a person)."""

from __future__ import annotations

import pytest

from guanxi.core.roles import SALES_REP
from guanxi.parties.selectors.duplicate_pairs import MAX_GROUP, duplicate_pairs
from guanxi.parties.services.duplicate_scan import duplicates_refresh
from guanxi.parties.services.merge import duplicate_dismiss, party_merge
from guanxi.parties.services.parties import party_archive
from guanxi.parties.tests.factories import make_org, make_person

USCC = "91350100M000100Y43"
PHONE = "+86 755 2878 0808"


@pytest.fixture
def admin(admin_user):
    return admin_user


def scanned(actor, limit: int = 500) -> list:
    """The pairs the actor is offered after a scan of every party."""
    duplicates_refresh()
    return list(duplicate_pairs(actor=actor)[:limit])


def found(actor, **kw) -> dict[frozenset, list[str]]:
    """{ {name, name}: reasons } of the pairs the actor is offered."""
    return {frozenset({p.first.name, p.second.name}): p.reasons for p in scanned(actor, **kw)}


def pair(a: str, b: str) -> frozenset:
    return frozenset({a, b})


# --- each signal ----------------------------------------------------------------------------------------------


def test_the_same_tax_id_on_two_organizations(admin):
    ident = [{"scheme": "tax_id", "value": "GX-4455-8899"}]
    make_org(admin, "Northwind Traders", identifiers=ident)
    make_org(admin, "Contoso Pharmaceuticals", identifiers=ident)
    make_org(admin, "Fabrikam Logistics", identifiers=[{"scheme": "tax_id", "value": "GX44558800"}])
    assert found(admin) == {pair("Northwind Traders", "Contoso Pharmaceuticals"): ["identifier"]}


def test_a_uscc_is_the_same_number_as_another_partys_invoice_tax_number(admin):
    # The holder of the USCC also prints it as its own tax number (as companies do): that is no pair by itself.
    make_org(
        admin,
        "福州恒信贸易有限公司",
        identifiers=[{"scheme": "cn_uscc", "value": USCC}],
        invoice_tax_number=USCC,
    )
    make_org(admin, "Hengxin Trading (Fuzhou)", invoice_tax_number=USCC)
    make_org(admin, "Unrelated Supplies Ltd", invoice_tax_number="914403001922038216")
    assert found(admin) == {pair("福州恒信贸易有限公司", "Hengxin Trading (Fuzhou)"): ["identifier"]}


def test_full_width_and_half_width_names_are_the_same_name(admin):
    make_org(admin, "ＡＣＭＥ Trading")
    make_org(admin, "ACME Trading")
    pairs = found(admin)
    assert list(pairs) == [pair("ＡＣＭＥ Trading", "ACME Trading")]
    # The same name is the stronger signal; the name without legal form is then the same as well.
    assert pairs[pair("ＡＣＭＥ Trading", "ACME Trading")] == ["name", "similar"]


def test_names_that_differ_only_by_legal_form_are_similar(admin):
    make_org(admin, "华为技术有限公司")
    make_org(admin, "华为技术股份有限公司")
    make_org(admin, "华为终端有限公司")  # another company of the group: another core
    # Cores shorter than four characters say nothing: "ABC Ltd" and "ABC Limited" are not suggested.
    make_org(admin, "ABC Ltd")
    make_org(admin, "ABC Limited")
    assert found(admin) == {pair("华为技术有限公司", "华为技术股份有限公司"): ["similar"]}


def test_the_same_phone_however_it_was_typed(admin):
    make_org(admin, "Shenzhen Bright Optics", phones=[PHONE])
    make_org(admin, "光明光学（深圳）", phones=["0755-28780808"])
    make_org(admin, "Other Optics", phones=["0755-28780809"])
    assert found(admin) == {pair("Shenzhen Bright Optics", "光明光学（深圳）"): ["phone"]}


def test_the_same_company_email_domain_between_organizations_only(admin):
    make_org(admin, "Lianhe Steel", emails=["sales@lianhe-steel.cn"])
    make_org(admin, "联合钢铁", emails=["li.na@LIANHE-STEEL.cn"])
    # Public mail domains say nothing about a company.
    make_org(admin, "Small Shop One", emails=["shop1@qq.com"])
    make_org(admin, "Small Shop Two", emails=["shop2@qq.com"])
    make_org(admin, "Startup One", emails=["founder.one@gmail.com"])
    make_org(admin, "Startup Two", emails=["founder.two@gmail.com"])
    # Two people of one company share its domain: colleagues, not duplicates.
    make_person(admin, "张伟", emails=["zhang.wei@bigcorp.cn"])
    make_person(admin, "李娜", emails=["li.na@bigcorp.cn"])
    assert found(admin) == {pair("Lianhe Steel", "联合钢铁"): ["domain"]}


# --- ranking ---------------------------------------------------------------------------------------------------


def test_a_pair_found_by_several_signals_comes_first_and_lists_them_strongest_first(admin):
    make_org(
        admin,
        "Acme Trading Co., Ltd.",
        phones=[PHONE],
        identifiers=[{"scheme": "tax_id", "value": "AT778899"}],
    )
    make_org(
        admin, "ACME Trading Limited", phones=[PHONE], identifiers=[{"scheme": "tax_id", "value": "AT778899"}]
    )
    make_org(admin, "Bolt Hardware", emails=["a@bolt-hw.cn"])
    make_org(admin, "Bolt Werkzeug", emails=["b@bolt-hw.cn"])
    make_org(admin, "Crane Parts Ltd", phones=["+86 21 5555 1234"])
    make_org(admin, "鹤牌配件", phones=["+86 21 5555 1234"])
    result = scanned(admin)
    assert [(frozenset({p.first.name, p.second.name}), p.reasons) for p in result] == [
        (pair("Acme Trading Co., Ltd.", "ACME Trading Limited"), ["identifier", "similar", "phone"]),
        (pair("Crane Parts Ltd", "鹤牌配件"), ["phone"]),  # a phone is stronger than a domain
        (pair("Bolt Hardware", "Bolt Werkzeug"), ["domain"]),
    ]
    assert result[0].reason_labels == ["same identifier", "similar name", "same phone"]
    assert result[0].first.pk < result[0].second.pk


# --- left out ---------------------------------------------------------------------------------------------------


def test_archived_and_merged_parties_are_left_out(admin):
    a, b, c, d = (make_org(admin, name, phones=[PHONE]) for name in ("Alpha", "Bravo", "Charlie", "Delta"))
    party_archive(actor=admin, party=c)
    party_merge(actor=admin, kept=a, merged=d)
    assert found(admin) == {pair("Alpha", "Bravo"): ["phone"]}


def test_a_dismissed_pair_is_left_out_and_the_others_stay(admin):
    a, b, c = (make_org(admin, name, phones=[PHONE]) for name in ("Alpha", "Bravo", "Charlie"))
    duplicate_dismiss(actor=admin, first=b, second=a)  # either order
    assert found(admin) == {pair("Alpha", "Charlie"): ["phone"], pair("Bravo", "Charlie"): ["phone"]}


def test_a_sales_rep_sees_only_pairs_of_parties_they_may_edit(make_user, admin, team, other_team):
    rep = make_user("rep.east", roles=[SALES_REP], teams=[team])
    rep_west = make_user("rep.west", roles=[SALES_REP], teams=[other_team])
    make_org(admin, "East One", owner=rep, phones=[PHONE])
    make_org(admin, "East Two", owner=rep, phones=[PHONE])
    make_org(admin, "West One", owner=rep_west, phones=[PHONE])
    assert found(rep) == {pair("East One", "East Two"): ["phone"]}
    assert found(rep_west) == {}
    assert len(found(admin)) == 3


def test_a_value_shared_by_more_than_max_group_parties_is_ignored(admin):
    switchboard, small = "+86 10 6666 0000", "+86 10 6666 0001"
    for i in range(MAX_GROUP + 1):
        make_org(admin, f"Tenant {chr(65 + i)} of the tower", phones=[switchboard])
    assert found(admin) == {}
    for i in range(MAX_GROUP):
        make_org(admin, f"Branch {chr(65 + i)} office", phones=[small])
    pairs = found(admin)
    assert len(pairs) == MAX_GROUP * (MAX_GROUP - 1) // 2
    assert all(reasons == ["phone"] for reasons in pairs.values())
    assert all(all(name.startswith("Branch") for name in names) for names in pairs)


def test_an_organization_is_never_paired_with_a_person(admin):
    # A sole trader: the business and its owner have the same name and phone.
    org = make_org(admin, "王建国", phones=[PHONE], emails=["wang@jianguo-shop.cn"])
    make_person(admin, "王建国", phones=[PHONE], emails=["boss@jianguo-shop.cn"])
    assert found(admin) == {}
    # Two people of the same name and phone are a pair of people.
    make_person(admin, "王建国", phones=[PHONE])
    pairs = scanned(admin)
    assert len(pairs) == 1
    assert {pairs[0].first.kind, pairs[0].second.kind} == {"person"}
    assert org.pk not in (pairs[0].first.pk, pairs[0].second.pk)


# --- once bugs -------------------------------------------------------------------------------------------------


def test_the_limit_counts_only_pairs_that_are_offered(admin):
    # A sole trader (organization) and its owner (person): same name and phone, two signals, ranked first.
    make_org(admin, "王建国", phones=[PHONE])
    make_person(admin, "王建国", phones=[PHONE])
    make_org(admin, "Lianhe Steel", emails=["sales@lianhe-steel.cn"])
    make_org(admin, "联合钢铁", emails=["li.na@lianhe-steel.cn"])
    assert found(admin, limit=1) == {pair("Lianhe Steel", "联合钢铁"): ["domain"]}


def test_a_tax_number_typed_in_lower_case_with_spaces_still_matches_the_uscc(admin):
    make_org(admin, "福州恒信贸易有限公司", identifiers=[{"scheme": "cn_uscc", "value": USCC}])
    make_org(admin, "Hengxin Trading (Fuzhou)", invoice_tax_number="9135 0100 m000 100y43")
    assert found(admin) == {pair("福州恒信贸易有限公司", "Hengxin Trading (Fuzhou)"): ["identifier"]}
