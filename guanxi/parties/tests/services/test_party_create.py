import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.roles import BUYER, SALES_REP
from guanxi.parties.models import Party
from guanxi.parties.services.parties import DuplicatesFound, PartyExtras, party_create
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def test_create_organization_with_everything(admin_user):
    org = make_org(
        admin_user,
        "华为技术有限公司",
        short_name="华为",
        supplier=True,
        phones=["0755 2878 0808"],
        emails=["Info@Huawei.example.CN"],
        identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": "91440300192203821-6"}],
        address={
            "kind": "registered",
            "country": "CN",
            "province": "广东省",
            "city": "深圳市",
            "street": "坂田华为基地",
        },
    )
    org.refresh_from_db()
    assert org.customer_status == "prospect" and org.supplier_status == "candidate"
    assert org.identifiers.get().value == "914403001922038216"
    assert org.contact_points.get(kind="phone").normalized == "+8675528780808"
    assert org.contact_points.get(kind="email").value == "Info@huawei.example.cn"
    assert (org.country, org.province, org.city) == ("CN", "广东省", "深圳市")
    assert "huaweijishu" in org.search_doc and "hwjs" in org.search_short
    assert org.owner == admin_user
    entry = AuditEntry.objects.get(target_type="parties.party", target_id=str(org.pk), action="create")
    assert entry.changes["name"] == [None, "华为技术有限公司"]


def test_invalid_input_is_refused_whole(admin_user):
    with pytest.raises(ValidationError) as exc:
        party_create(
            actor=admin_user,
            data={"kind": "organization", "name": "X\x00Y", "website": "not a url"},
            extras=PartyExtras(
                phones=["123"],
                emails=["nope"],
                identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": "914403001922038217"}],
            ),
        )
    errors = exc.value.message_dict
    assert {"name", "website", "phones[0]", "emails[0]", "identifiers[0]"} <= set(errors)
    assert "check digit" in errors["identifiers[0]"][0]
    assert Party.objects.count() == 0


def test_duplicates_are_reported_unless_allowed(admin_user):
    make_org(admin_user, "Acme Trading Co., Ltd.", emails=["sales@acme.example.com"])
    with pytest.raises(DuplicatesFound) as exc:
        party_create(
            actor=admin_user,
            data={"name": "ACME Trading Ltd"},
            extras=PartyExtras(emails=["ceo@acme.example.com"]),
        )
    assert exc.value.hits[0].party.name == "Acme Trading Co., Ltd."
    party_create(actor=admin_user, data={"name": "ACME Trading Ltd"}, allow_duplicates=True)
    assert Party.objects.count() == 2


def test_sales_rep_cannot_create_a_supplier(make_user, team):
    rep = make_user(roles=[SALES_REP], teams=[team])
    with pytest.raises(PermissionDeniedError):
        make_org(rep, customer=False, supplier=True)
    org = make_org(rep)
    assert org.owner == rep and org.team == team


def test_buyer_cannot_create_a_customer(make_user):
    buyer = make_user(roles=[BUYER])
    with pytest.raises(PermissionDeniedError):
        make_org(buyer, customer=True)
    assert make_org(buyer, customer=False, supplier=True).is_supplier


def test_contact_of_organization_inherits_owner(admin_user, make_user, team):
    rep = make_user(roles=[SALES_REP], teams=[team])
    org = make_org(admin_user, owner=rep)
    person = make_person(admin_user, "张伟", organization=org, job_title="采购总监", phones=["13912345678"])
    assert person.owner == rep and person.team == team
    assert org.staff.get().job_title == "采购总监"
