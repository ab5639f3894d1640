"""The permission matrix through the services: each shipped role against each action and record rule.

The company is described in guanxi/parties/tests/selectors/roles_world.py (VISIBILITY says which of the
parties A-G each role sees and may change).
"""

import pytest
from django.db import transaction

from guanxi.core import roles as R
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.services.users import team_create, user_create, user_update
from guanxi.core.tests.factories import make_user
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import PartyFilters, party_export_rows, party_list
from guanxi.parties.services.bulk import parties_bulk_archive, parties_bulk_assign, parties_bulk_tag
from guanxi.parties.services.parties import party_archive, party_restore, party_update
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org
from guanxi.parties.tests.selectors.roles_world import ALL_ROLES, VISIBILITY, world_once_per_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from world_once_per_module(django_db_blocker)


DENIED = "denied"


def attempt(fn):
    """Run `fn` and roll its writes back: its result, or DENIED if refused for lack of permission."""
    try:
        with transaction.atomic():
            result = fn()
            transaction.set_rollback(True)
            return result
    except PermissionDeniedError:
        return DENIED


ACTIONS = {
    "view list": lambda w, a: party_list(actor=a, filters=PartyFilters()).exists(),
    "create customer": lambda w, a: make_org(a, "New customer", customer=True),
    "create supplier": lambda w, a: make_org(a, "New supplier", customer=False, supplier=True),
    "export": lambda w, a: list(party_export_rows(actor=a, filters=PartyFilters())),
    "create tag": lambda w, a: tag_create(actor=a, name="VIP"),
    "manage users": lambda w, a: user_create(actor=a, username="newbie", password="a-long-password-1"),
    "change roles": lambda w, a: user_update(actor=a, user=w.users["rep"], roles=[R.SALES_MANAGER]),
    "manage teams": lambda w, a: team_create(actor=a, name="North"),
}
# 1 = allowed, 0 = refused with PermissionDeniedError. Columns in the order of ACTIONS.
#                        list cust supp export tag users roles teams
MATRIX = {
    R.ADMINISTRATOR:       (1,   1,   1,   1,    1,   1,    1,    1),
    R.EXECUTIVE:           (1,   0,   0,   1,    0,   0,    0,    0),
    R.SALES_MANAGER:       (1,   1,   0,   1,    1,   0,    0,    0),
    R.SALES_REP:           (1,   1,   0,   0,    1,   0,    0,    0),
    R.MARKETING:           (1,   0,   0,   1,    1,   0,    0,    0),
    R.SERVICE_AGENT:       (1,   0,   0,   0,    0,   0,    0,    0),
    R.PROCUREMENT_MANAGER: (1,   0,   1,   1,    1,   0,    0,    0),
    R.BUYER:               (1,   0,   1,   0,    1,   0,    0,    0),
    "no role":             (0,   0,   0,   0,    0,   0,    0,    0),
}  # fmt: skip


@pytest.mark.parametrize("role", [*ALL_ROLES, "no role"])
def test_actions_by_role(world, role):
    actor = world.actors[role]
    outcome = {name: int(attempt(lambda fn=fn: fn(world, actor)) != DENIED) for name, fn in ACTIONS.items()}
    assert outcome == dict(zip(ACTIONS, MATRIX[role], strict=True))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_update_archive_and_restore_follow_the_record_rules(world, role):
    _sees, edits = VISIBILITY[role]
    actor = world.actors[role]
    updated, archived = "", ""
    for letter, party in world.parties.items():
        result = attempt(
            lambda p=party: party_update(actor=actor, party=p, version=p.version, data={"notes": "x"})
        )
        updated += "" if result == DENIED else letter

        def archive_and_restore(p=party):
            assert party_archive(actor=actor, party=p).archived_at is not None
            assert party_restore(actor=actor, party=p).archived_at is None

        archived += "" if attempt(archive_and_restore) == DENIED else letter
    assert updated == edits
    assert archived == edits


@pytest.mark.parametrize("role", ALL_ROLES)
def test_bulk_actions_touch_only_editable_rows(world, role):
    _sees, edits = VISIBILITY[role]
    actor = world.actors[role]
    all_ids = [p.pk for p in world.parties.values()]
    tag = tag_create(actor=world.actors[R.ADMINISTRATOR], name="Key account")
    new_owner = make_user("new_owner", roles=[R.ADMINISTRATOR])  # may hold either side

    def tag_all():
        n = parties_bulk_tag(actor=actor, ids=all_ids, tag=tag)
        return n, world.letters(tag.parties.all())

    def assign_all():
        n = parties_bulk_assign(actor=actor, ids=all_ids, owner=new_owner)
        return n, world.letters(Party.objects.filter(owner=new_owner))

    def archive_all():
        n = parties_bulk_archive(actor=actor, ids=all_ids)
        return n, world.letters(Party.objects.filter(archived_at__isnull=False))

    results = [attempt(tag_all), attempt(assign_all), attempt(archive_all)]
    if edits:
        assert results == [(len(edits), edits)] * 3
    else:  # roles that may not change parties at all are refused outright
        assert results == [DENIED] * 3
