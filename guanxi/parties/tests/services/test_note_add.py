import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import NotFoundError
from guanxi.core.roles import SALES_REP, SERVICE_AGENT
from guanxi.parties.models import PartyNote
from guanxi.parties.services.notes import note_add
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_anyone_who_sees_the_party_may_add_a_multiline_note(admin_user, make_user):
    party = make_org(admin_user, "Acme")
    agent = make_user(roles=[SERVICE_AGENT])  # read-only on customers, but may write on the timeline
    note = note_add(actor=agent, party=party, body="  Called about the invoice.\nWill call back.  ")
    assert (note.author, note.body) == (agent, "Called about the invoice.\nWill call back.")


def test_a_party_the_actor_cannot_see_is_not_found(admin_user, make_user, other_team):
    party = make_org(admin_user, "Acme", team=other_team)
    with pytest.raises(NotFoundError):
        note_add(actor=make_user(roles=[SALES_REP]), party=party, body="hello")
    assert not PartyNote.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n ", "bell\x07", "x" * 10001])
def test_empty_long_or_control_character_notes_are_refused(admin_user, body):
    party = make_org(admin_user, "Acme")
    with pytest.raises(ValidationError):
        note_add(actor=admin_user, party=party, body=body)
    assert not PartyNote.objects.exists()
