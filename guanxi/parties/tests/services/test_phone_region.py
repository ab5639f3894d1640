import pytest

from guanxi.parties.services.parties import phone_region
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
