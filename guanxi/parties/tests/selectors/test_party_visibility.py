"""Record rules through the selectors: which parties each shipped role lists, opens and may open for editing."""

import pytest

from guanxi.core import roles as R
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import User
from guanxi.parties.selectors.parties import (
    PartyFilters,
    party_can_edit,
    party_detail,
    party_export_rows,
    party_get,
    party_list,
)
from guanxi.parties.tests.selectors.roles_world import ALL_ROLES, VISIBILITY, world_once_per_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from world_once_per_module(django_db_blocker)


# Roles that may export a list (CSV/XLSX).
EXPORTERS = {R.ADMINISTRATOR, R.EXECUTIVE, R.SALES_MANAGER, R.MARKETING, R.PROCUREMENT_MANAGER}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_record_rules(world, role):
    """The list, the detail page and the edit form each show exactly what the role may reach."""
    sees, edits = VISIBILITY[role]
    actor = world.actors[role]
    assert world.letters(party_list(actor=actor, filters=PartyFilters())) == sees
    for letter, party in world.parties.items():
        if letter in sees:
            assert party_get(actor=actor, pk=party.pk) == party
            assert party_detail(actor=actor, pk=party.pk).name == party.name
        else:  # invisible: not found, so its existence does not leak
            with pytest.raises(NotFoundError):
                party_get(actor=actor, pk=party.pk)
            with pytest.raises(NotFoundError):
                party_detail(actor=actor, pk=party.pk)
        if letter in edits:
            assert party_get(actor=actor, pk=party.pk, mode="edit") == party
        elif letter in sees:  # visible but read-only
            with pytest.raises(PermissionDeniedError):
                party_get(actor=actor, pk=party.pk, mode="edit")
        else:
            with pytest.raises(NotFoundError):
                party_get(actor=actor, pk=party.pk, mode="edit")
        assert party_can_edit(actor=actor, party=party) == (letter in edits)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_export_is_limited_to_some_roles_and_to_visible_rows(world, role):
    sees, _edits = VISIBILITY[role]
    actor = world.actors[role]
    if role in EXPORTERS:
        assert world.letters(party_export_rows(actor=actor, filters=PartyFilters())) == sees
    else:
        with pytest.raises(PermissionDeniedError):
            list(party_export_rows(actor=actor, filters=PartyFilters()))


def test_a_user_without_roles_sees_nothing(world):
    nobody = world.actors["no role"]
    with pytest.raises(PermissionDeniedError):
        party_list(actor=nobody, filters=PartyFilters())
    with pytest.raises(PermissionDeniedError):
        party_get(actor=nobody, pk=world.parties["A"].pk)


def test_the_other_teams_rep_sees_the_other_teams_parties(world):
    rows = party_list(actor=world.users["rep_west"], filters=PartyFilters())
    assert world.letters(rows) == "BCF"  # Bravo is owned by an East rep but belongs to team West


def test_a_buyer_changes_own_team_suppliers_only(world):
    buyer_west = world.users["buyer_west"]
    assert world.letters(party_list(actor=buyer_west, filters=PartyFilters())) == "DEF"
    assert party_get(actor=buyer_west, pk=world.parties["E"].pk, mode="edit").name == "Echo"
    with pytest.raises(PermissionDeniedError):
        party_get(actor=buyer_west, pk=world.parties["D"].pk, mode="edit")


def test_a_superuser_is_an_administrator(world, make_user):
    root = make_user("root", superuser=True)
    assert world.letters(party_list(actor=root, filters=PartyFilters())) == "ABCDEFG"


def test_an_inactive_user_sees_nothing(world):
    User.objects.filter(pk=world.users["rep"].pk).update(is_active=False)
    rep = User.objects.get(pk=world.users["rep"].pk)  # as the next request loads them
    with pytest.raises(PermissionDeniedError):
        party_list(actor=rep, filters=PartyFilters())


@pytest.mark.parametrize("pk", ["abc", None, "", "1.5"])
def test_a_malformed_id_is_not_found(world, pk):
    with pytest.raises(NotFoundError):
        party_get(actor=world.actors[R.ADMINISTRATOR], pk=pk)
