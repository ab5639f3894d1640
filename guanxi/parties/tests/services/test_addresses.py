import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.roles import EXECUTIVE
from guanxi.core.selectors.users import history_for
from guanxi.parties.models import Address
from guanxi.parties.services.addresses import address_create, address_delete, address_update
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

SHENZHEN = {"kind": "registered", "country": "cn", "province": "广东省", "city": "深圳市", "street": "坂田"}
SHANGHAI = {
    "kind": "office",
    "country": "CN",
    "province": "上海市",
    "city": "上海市",
    "street": "世纪大道 1 号",
}
MUNICH = {
    "kind": "shipping",
    "country": "DE",
    "province": "Bayern",
    "city": "München",
    "street": "Hauptstr. 1",
}


@pytest.fixture
def party(admin_user):
    return make_org(admin_user, "Acme")


def location(party):
    party.refresh_from_db()
    return party.country, party.province, party.city


def primaries(party):
    return list(Address.objects.filter(party=party, is_primary=True).values_list("city", flat=True))


def test_the_first_address_is_primary_and_sets_the_party_location(admin_user, party):
    first = address_create(actor=admin_user, party=party, data=SHENZHEN)
    assert first.is_primary and first.country == "CN"
    assert location(party) == ("CN", "广东省", "深圳市")
    second = address_create(actor=admin_user, party=party, data=SHANGHAI)
    assert not second.is_primary
    assert location(party) == ("CN", "广东省", "深圳市")


def test_a_new_primary_address_takes_over(admin_user, party):
    address_create(actor=admin_user, party=party, data=SHENZHEN)
    address_create(actor=admin_user, party=party, data={**MUNICH, "is_primary": True})
    assert primaries(party) == ["München"]
    assert location(party) == ("DE", "Bayern", "München")


def test_update_keeps_the_party_location_in_step(admin_user, party):
    primary = address_create(actor=admin_user, party=party, data=SHENZHEN)
    other = address_create(actor=admin_user, party=party, data=SHANGHAI)
    primary = address_update(actor=admin_user, address=primary, version=1, data={"city": "广州市"})
    assert primary.version == 2 and location(party) == ("CN", "广东省", "广州市")
    address_update(actor=admin_user, address=other, version=1, data={"is_primary": True})
    assert primaries(party) == ["上海市"]
    assert location(party) == ("CN", "上海市", "上海市")


def test_a_stale_address_version_is_refused(admin_user, party):
    addr = address_create(actor=admin_user, party=party, data=SHENZHEN)
    address_update(actor=admin_user, address=addr, version=1, data={"street": "坂田华为基地"})
    with pytest.raises(ConflictError):
        address_update(actor=admin_user, address=addr, version=1, data={"city": "广州市"})
    addr.refresh_from_db()
    assert (addr.street, addr.city, addr.version) == ("坂田华为基地", "深圳市", 2)
    assert location(party) == ("CN", "广东省", "深圳市")


def test_deleting_the_primary_promotes_another(admin_user, party):
    primary = address_create(actor=admin_user, party=party, data=SHENZHEN)
    address_create(actor=admin_user, party=party, data=SHANGHAI)
    address_create(actor=admin_user, party=party, data=MUNICH)
    address_delete(actor=admin_user, address=primary)
    assert primaries(party) == ["上海市"]
    assert location(party) == ("CN", "上海市", "上海市")


def test_deleting_the_last_address_clears_the_location(admin_user, party):
    addr = address_create(actor=admin_user, party=party, data=SHENZHEN)
    address_delete(actor=admin_user, address=addr)
    assert location(party) == ("", "", "")


def test_changes_are_audited_with_the_party_as_subject(admin_user, party):
    addr = address_create(actor=admin_user, party=party, data=SHENZHEN)
    addr = address_update(actor=admin_user, address=addr, version=1, data={"city": "广州市"})
    addr = address_update(actor=admin_user, address=addr, version=2, data={"city": "广州市"})  # no change
    address_delete(actor=admin_user, address=addr)
    entries = list(AuditEntry.objects.filter(target_type="parties.address").order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert {(e.subject_type, e.subject_id, e.target_id) for e in entries} == {
        ("parties.party", str(party.pk), str(addr.pk))
    }
    assert entries[0].changes["city"] == [None, "深圳市"]
    assert entries[1].changes == {"city": ["深圳市", "广州市"]}
    assert entries[2].changes == {"address": ["广东省广州市坂田", None]}
    history = history_for(subject_type="parties.party", subject_id=party.pk)
    assert {e.target_type for e in history} == {"parties.party", "parties.address"}


@pytest.mark.parametrize(
    "data, field",
    [
        ({**SHENZHEN, "country": "XX"}, "country"),
        ({**SHENZHEN, "kind": "moon"}, "kind"),
        ({**SHENZHEN, "street": ""}, "street"),
        ({**SHENZHEN, "street": "line\nbreak"}, "street"),
        ({**SHENZHEN, "city": "x" * 61}, "city"),
        ({**SHENZHEN, "party": 1}, "party"),
    ],
)
def test_invalid_addresses_are_refused(admin_user, party, data, field):
    with pytest.raises(ValidationError) as exc:
        address_create(actor=admin_user, party=party, data=data)
    assert field in exc.value.message_dict
    assert not Address.objects.exists()
    assert location(party) == ("", "", "")


def test_read_only_roles_cannot_touch_addresses(admin_user, party, make_user):
    addr = address_create(actor=admin_user, party=party, data=SHENZHEN)
    executive = make_user(roles=[EXECUTIVE])
    with pytest.raises(PermissionDeniedError):
        address_create(actor=executive, party=party, data=SHANGHAI)
    with pytest.raises(PermissionDeniedError):
        address_update(actor=executive, address=addr, version=1, data={"city": "广州市"})
    with pytest.raises(PermissionDeniedError):
        address_delete(actor=executive, address=addr)
    assert list(Address.objects.values_list("city", flat=True)) == ["深圳市"]
