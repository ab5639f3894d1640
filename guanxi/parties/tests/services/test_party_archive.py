import pytest

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.roles import MARKETING
from guanxi.parties.selectors.parties import PartyFilters, party_list
from guanxi.parties.services.parties import party_archive, party_restore
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


def audit_actions(party):
    entries = AuditEntry.objects.filter(target_id=str(party.pk), target_type="parties.party").order_by("id")
    return [(e.action, e.changes.get("archived")) for e in entries]


def listed(actor, state="active"):
    return [p.name for p in party_list(actor=actor, filters=PartyFilters(state=state))]


def test_archive_and_restore_write_audit_rows_and_bump_the_version(admin_user):
    party = make_org(admin_user, "Acme")
    party = party_archive(actor=admin_user, party=party)
    assert party.is_archived and party.version == 2
    assert listed(admin_user) == [] and listed(admin_user, "archived") == ["Acme"]
    party = party_restore(actor=admin_user, party=party)
    assert not party.is_archived and party.version == 3
    assert listed(admin_user) == ["Acme"] and listed(admin_user, "archived") == []
    assert audit_actions(party) == [("create", None), ("archive", [False, True]), ("restore", [True, False])]


def test_archiving_twice_or_restoring_an_active_party_changes_nothing(admin_user):
    party = make_org(admin_user, "Acme")
    party_restore(actor=admin_user, party=party)
    party_archive(actor=admin_user, party=party)
    party = party_archive(actor=admin_user, party=party)
    assert party.version == 2
    assert [a for a, _ in audit_actions(party)] == ["create", "archive"]


def test_read_only_roles_cannot_archive(admin_user, make_user):
    party = make_org(admin_user, "Acme")
    with pytest.raises(PermissionDeniedError):
        party_archive(actor=make_user(roles=[MARKETING]), party=party)
    party.refresh_from_db()
    assert not party.is_archived


def test_all_state_lists_both(admin_user):
    make_org(admin_user, "Active one")
    party_archive(actor=admin_user, party=make_org(admin_user, "Archived one"))
    assert sorted(listed(admin_user, "all")) == ["Active one", "Archived one"]
