import pytest

from guanxi.parties.services.common import phone_region
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "region"), [("US", "US"), ("de", "DE"), ("XX", "CN"), ("", "CN"), (None, "CN")]
)
def test_phone_region(country, region):
    assert phone_region(country) == region


def test_national_numbers_are_read_in_the_address_country(admin_user):
    us = make_org(admin_user, phones=["(415) 555-2671"], address={"country": "US", "street": "1 Market St"})
    assert us.contact_points.get().normalized == "+14155552671"
    cn = make_org(admin_user, phones=["13912345678"], address={"country": "CN", "street": "坂田"})
    assert cn.contact_points.get().normalized == "+8613912345678"


def test_international_number_with_trunk_zero_is_found(admin_user):
    from guanxi.parties.selectors.parties import PartyFilters, party_list

    org = make_org(admin_user, phones=["0755 2878 0808"])
    for q in ["+86 0755 2878 0808", "+86 755 2878", "0755-2878-0808", "28780808"]:
        assert list(party_list(actor=admin_user, filters=PartyFilters(q=q))) == [org], q


def test_unticking_the_only_primary_address_keeps_one_primary(admin_user):
    from guanxi.parties.services.addresses import address_create, address_update

    org = make_org(admin_user, address={"country": "CN", "city": "深圳市", "street": "坂田"})
    first = org.addresses.get()
    address_update(actor=admin_user, address=first, version=first.version, data={"is_primary": False})
    first.refresh_from_db()
    assert first.is_primary
    second = address_create(
        actor=admin_user, party=org, data={"country": "CN", "city": "上海市", "street": "外滩"}
    )
    address_update(actor=admin_user, address=first, version=first.version, data={"is_primary": False})
    second.refresh_from_db()
    org.refresh_from_db()
    assert second.is_primary and org.city == "上海市"


def test_inactive_owner_is_refused(admin_user, make_user):
    from django.core.exceptions import ValidationError

    gone = make_user()
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError) as exc:
        make_org(admin_user, owner=gone)
    assert "owner" in exc.value.message_dict
