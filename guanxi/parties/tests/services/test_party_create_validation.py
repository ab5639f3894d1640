"""party_create refuses bad references and identifiers as field errors (never a database error)."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.parties.models import Party
from guanxi.parties.services.parties import PartyExtras, party_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("owner", [999999, "x", -1])
def test_an_unknown_owner_is_a_field_error(admin_user, owner):
    with pytest.raises(ValidationError) as exc:
        party_create(actor=admin_user, data={"name": "Acme", "owner": owner})
    assert "owner" in exc.value.message_dict
    assert not Party.objects.exists()


def test_an_inactive_owner_is_a_field_error(admin_user, make_user):
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError) as exc:
        party_create(actor=admin_user, data={"name": "Acme", "owner": gone.pk})
    assert "owner" in exc.value.message_dict


def test_an_unknown_team_is_a_field_error(admin_user):
    with pytest.raises(ValidationError) as exc:
        party_create(actor=admin_user, data={"name": "Acme", "team": 999999})
    assert "team" in exc.value.message_dict


@pytest.mark.parametrize("country", ["DEU", "D", "1X"])
def test_an_identifier_country_must_be_two_letters(admin_user, country):
    with pytest.raises(ValidationError) as exc:
        party_create(
            actor=admin_user,
            data={"name": "Acme"},
            extras=PartyExtras(identifiers=[{"scheme": "tax_id", "country": country, "value": "AB1234"}]),
        )
    assert "two-letter country code" in exc.value.message_dict["identifiers[0]"][0]
    assert not Party.objects.exists()
