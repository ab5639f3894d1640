"""Generated demo data is plausible: real places, emails on the organization's own domain (issue 5, item 16)."""

import pytest

from guanxi.parties import regions
from guanxi.parties.demo_places import PUBLIC_EN, PUBLIC_ZH, US_PLACES
from guanxi.parties.generate import generate
from guanxi.parties.models import Address, ContactPoint, Employment, Party
from guanxi.parties.validation import normalize_email, normalize_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(admin_user):
    generate(organizations=120, seed=7, owners=[admin_user], tags=[], batch_size=60)


def test_chinese_addresses_are_real_divisions(generated):
    addresses = Address.objects.filter(country="CN")
    assert addresses.count() > 30
    for a in addresses:
        place = regions.locate(
            province_code=a.province_code, city_code=a.city_code, district_code=a.district_code
        )
        assert (a.province, a.city, a.district) == (
            place.fields()["province"],
            place.fields()["city"],
            a.district,
        )
        assert a.district == (place.district.name if place.district else "")
        assert a.province_code and a.city_code
        assert a.postal_code.isdigit() and len(a.postal_code) == 6
        assert a.street.endswith(("号", "层"))
        party = a.party
        assert (party.province_code, party.city_code, party.province, party.city) == (
            a.province_code,
            a.city_code,
            a.province,
            a.city,
        )
        assert party.invoice_address.startswith(regions.table().path(place.district or place.city))


def test_a_company_named_after_a_city_is_in_that_city(generated):
    from faker import Faker

    cities = Faker("zh_CN").provider("faker.providers.address").cities
    named = 0
    for party in Party.objects.filter(kind="organization", country="CN"):
        city = next((c for c in sorted(cities, key=len, reverse=True) if party.name.startswith(c)), None)
        match = regions.resolve(city, regions.CITY) if city else regions.Match([])
        if len(match.divisions) == 1:
            named += 1
            assert party.city_code == match.divisions[0].code, party.name
    assert named > 5


def test_us_addresses_are_real_city_state_pairs(generated):
    pairs = {(city, state) for city, state, _zip, _areas in US_PLACES}
    addresses = Address.objects.filter(country="US")
    assert addresses.count() > 30
    for a in addresses:
        assert (a.city, a.province) in pairs
        assert a.postal_code.isdigit() and len(a.postal_code) == 5
        assert a.province_code == "" and a.city_code == ""


def test_emails_are_on_the_organizations_domain_or_a_public_one(generated):
    domains = {}
    for party in Party.objects.filter(kind="organization"):
        domain = party.website.removeprefix("https://www.")
        assert domain not in domains.values(), "every organization has a domain of its own"
        domains[party.pk] = domain
        (email,) = ContactPoint.objects.filter(party=party, kind="email").values_list("value", flat=True)
        assert email.endswith("@" + domain) and normalize_email(email) == email
        assert domain.split(".")[0].isascii()
    public = set(PUBLIC_ZH + PUBLIC_EN)
    people = 0
    for emp in Employment.objects.select_related("person"):
        (email,) = ContactPoint.objects.filter(party=emp.person, kind="email").values_list("value", flat=True)
        assert normalize_email(email) == email
        assert email.rpartition("@")[2] in {domains[emp.organization_id]} | public
        people += 1
    assert people > 50


def test_phones_are_valid_and_us_ones_match_the_city(generated):
    area_codes = {city: areas for city, _state, _zip, areas in US_PLACES}
    for party in Party.objects.filter(kind="organization", country="US"):
        (number,) = ContactPoint.objects.filter(party=party, kind="phone").values_list("value", flat=True)
        assert normalize_phone(number, "US")
        assert number.split()[1] in area_codes[party.city]
