import datetime as dt

import pytest
from django.utils import timezone

from guanxi.core.models import AuditEntry
from guanxi.parties.models import PartyNote
from guanxi.parties.selectors.timeline import party_timeline
from guanxi.parties.services.addresses import address_create
from guanxi.parties.services.notes import note_add
from guanxi.parties.services.parties import party_update
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_notes_and_changes_newest_first(admin_user):
    party = make_org(admin_user, "Acme")
    other = make_org(admin_user, "Other")
    note_add(actor=admin_user, party=other, body="not on Acme's timeline")
    note = note_add(actor=admin_user, party=party, body="First call")
    party = party_update(actor=admin_user, party=party, version=1, data={"name": "Acme Ltd"})
    address_create(actor=admin_user, party=party, data={"country": "CN", "street": "世纪大道 1 号"})
    # Spread the times out so the order does not depend on clock resolution.
    start = timezone.now() - dt.timedelta(hours=1)
    entries = AuditEntry.objects.filter(subject_id=str(party.pk), subject_type="parties.party").order_by("id")
    for i, entry in enumerate(entries):
        AuditEntry.objects.filter(pk=entry.pk).update(at=start + dt.timedelta(minutes=2 * i))
    PartyNote.objects.filter(pk=note.pk).update(created_at=start + dt.timedelta(minutes=1))

    events = party_timeline(party=party)
    assert [(e.kind, e.obj.body if e.kind == "note" else e.obj.action) for e in events] == [
        ("change", "create"),  # the address
        ("change", "update"),
        ("note", "First call"),
        ("change", "create"),  # the party
    ]
    assert all(e.actor == admin_user for e in events)
    assert len(party_timeline(party=party, limit=2)) == 2
