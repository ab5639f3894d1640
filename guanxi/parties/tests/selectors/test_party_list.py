import pytest
from django.core.exceptions import ValidationError

from guanxi.core.roles import BUYER
from guanxi.parties.selectors.parties import SORTS, PartyFilters, party_list, party_results
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(admin_user, make_user):
    rep = make_user("rep", roles=[BUYER])
    acme = make_org(
        admin_user,
        "Acme",
        industry="retail",
        customer_status="active",
        address={"country": "CN", "province": "广东省", "city": "深圳市", "street": "1 号"},
    )
    make_org(admin_user, "Bolts", customer=False, supplier=True, supplier_status="approved", owner=rep)
    make_org(admin_user, "Both", supplier=True, address={"country": "DE", "city": "München", "street": "x"})
    make_org(admin_user, "Neither", customer=False)
    make_person(admin_user, "Li Na")
    vip = tag_create(actor=admin_user, name="VIP")
    parties_bulk_tag(actor=admin_user, ids=[acme.pk], tag=vip)
    return {"rep": rep, "vip": vip}


def names(actor, **filters):
    return sorted(p.name for p in party_list(actor=actor, filters=PartyFilters(**filters)))


def test_filters(admin_user, parties):
    assert names(admin_user, kind="person") == ["Li Na"]
    assert names(admin_user, role="customer") == ["Acme", "Both"]
    assert names(admin_user, role="supplier") == ["Bolts", "Both"]
    assert names(admin_user, role="both") == ["Both"]
    assert names(admin_user, role="none") == ["Li Na", "Neither"]
    assert names(admin_user, customer_status=["active"]) == ["Acme"]
    assert names(admin_user, customer_status=["prospect", "lost"]) == ["Both"]
    assert names(admin_user, supplier_status=["approved"]) == ["Bolts"]
    assert names(admin_user, owner=parties["rep"].pk) == ["Bolts"]
    assert names(admin_user, tags=[parties["vip"].pk]) == ["Acme"]
    assert names(admin_user, industry="retail") == ["Acme"]
    assert names(admin_user, country="de") == ["Both"]
    assert names(admin_user, country="CN", province="广东省", city="深圳市") == ["Acme"]
    assert names(admin_user, q="acme", role="supplier") == []


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_sort_is_accepted(admin_user, parties, sort):
    results = party_results(actor=admin_user, filters=PartyFilters(sort=sort))
    rows = list(results.qs.order_by(*results.ordering))
    assert len(rows) == 5
    if sort in ("name", "-name"):
        assert [p.name for p in rows] == sorted((p.name for p in rows), reverse=sort == "-name")


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"kind": "robot"}, "kind"),
        ({"role": "friend"}, "role"),
        ({"customer_status": ["active", "vip"]}, "customer_status"),
        ({"supplier_status": ["gold"]}, "supplier_status"),
        ({"industry": "piracy"}, "industry"),
        ({"state": "deleted"}, "state"),
        ({"sort": "random()"}, "sort"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_unknown_filter_values_are_refused(admin_user, filters, field):
    with pytest.raises(ValidationError) as exc:
        party_list(actor=admin_user, filters=PartyFilters(**filters))
    assert field in exc.value.message_dict


def test_chinese_names_sort_by_pinyin_among_latin_names(admin_user):
    for name in [
        "北京燕山石化",
        "Apple Asia",
        "阿里巴巴",
        "Zebra Tools",
        "华为技术",
        "Huber GmbH",
        "中兴通讯",
    ]:
        make_org(admin_user, name)
    results = party_results(actor=admin_user, filters=PartyFilters(sort="name"))
    names = [p.name for p in results.qs.order_by(*results.ordering)]
    assert names == [
        "阿里巴巴",
        "Apple Asia",
        "北京燕山石化",
        "华为技术",
        "Huber GmbH",
        "Zebra Tools",
        "中兴通讯",
    ]
