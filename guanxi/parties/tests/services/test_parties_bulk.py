import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.roles import EXECUTIVE, SALES_REP
from guanxi.parties.models import Party
from guanxi.parties.services.bulk import parties_bulk_archive, parties_bulk_assign, parties_bulk_tag
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(admin_user, make_user, team, other_team):
    """A rep in East with two own parties; one party of team West that the rep cannot touch."""
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    rep_west = make_user("rep_west", roles=[SALES_REP], teams=[other_team])
    mine = [make_org(rep, "Mine 1"), make_org(rep, "Mine 2")]
    theirs = make_org(rep_west, "Theirs")
    return rep, rep_west, mine, theirs


def ids(*parties):
    return [p.pk for p in parties]


def audited(action):
    return sorted(
        AuditEntry.objects.filter(action=action, target_type="parties.party").values_list(
            "target_repr", flat=True
        )
    )


def test_bulk_tag_tags_editable_rows_once(admin_user, setup):
    rep, _rep_west, mine, theirs = setup
    vip = tag_create(actor=admin_user, name="VIP")
    assert parties_bulk_tag(actor=rep, ids=ids(*mine, theirs), tag=vip) == 2
    assert sorted(vip.parties.values_list("name", flat=True)) == ["Mine 1", "Mine 2"]
    assert parties_bulk_tag(actor=rep, ids=ids(*mine, theirs), tag=vip) == 0  # already tagged
    assert audited("update") == ["Mine 1", "Mine 2"]
    assert AuditEntry.objects.filter(action="update").first().changes == {"tags": [None, "VIP"]}
    assert list(Party.objects.filter(pk__in=ids(*mine)).values_list("version", flat=True)) == [2, 2]
    assert Party.objects.get(pk=theirs.pk).version == 1


def test_bulk_assign_moves_editable_rows_to_the_new_owner_and_team(setup, other_team):
    rep, rep_west, mine, theirs = setup
    assert parties_bulk_assign(actor=rep, ids=ids(*mine, theirs), owner=rep_west) == 2
    moved = Party.objects.filter(pk__in=ids(*mine))
    assert {(p.owner, p.team) for p in moved} == {(rep_west, other_team)}
    assert audited("update") == ["Mine 1", "Mine 2"]
    assert AuditEntry.objects.filter(action="update").first().changes == {"owner": ["rep", "rep_west"]}
    # The rep no longer reaches them: a second call touches nothing.
    assert parties_bulk_assign(actor=rep, ids=ids(*mine), owner=rep) == 0


def test_bulk_assign_skips_rows_the_owner_already_has(admin_user, setup):
    rep, _rep_west, mine, theirs = setup
    assert parties_bulk_assign(actor=admin_user, ids=ids(*mine, theirs), owner=rep) == 1
    assert Party.objects.get(pk=theirs.pk).owner == rep


def test_bulk_assign_refuses_an_inactive_owner(admin_user, setup, make_user):
    _rep, _rep_west, mine, _theirs = setup
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError):
        parties_bulk_assign(actor=admin_user, ids=ids(*mine), owner=gone)


def test_bulk_archive_archives_editable_active_rows(setup):
    rep, _rep_west, mine, theirs = setup
    assert parties_bulk_archive(actor=rep, ids=ids(*mine, theirs)) == 2
    assert set(Party.objects.filter(archived_at__isnull=False).values_list("name", flat=True)) == {
        "Mine 1",
        "Mine 2",
    }
    assert parties_bulk_archive(actor=rep, ids=ids(*mine, theirs)) == 0
    assert audited("archive") == ["Mine 1", "Mine 2"]


def test_read_only_roles_are_refused(admin_user, setup, make_user):
    _rep, _rep_west, mine, _theirs = setup
    executive = make_user(roles=[EXECUTIVE])
    vip = tag_create(actor=admin_user, name="VIP")
    for call in (
        lambda: parties_bulk_tag(actor=executive, ids=ids(*mine), tag=vip),
        lambda: parties_bulk_assign(actor=executive, ids=ids(*mine), owner=executive),
        lambda: parties_bulk_archive(actor=executive, ids=ids(*mine)),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    assert not vip.parties.exists()
