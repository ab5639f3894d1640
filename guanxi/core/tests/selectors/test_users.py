import pytest

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.roles import EXECUTIVE
from guanxi.core.selectors.users import (
    assignable_users,
    history_for,
    team_ids_of,
    team_list,
    token_list,
    user_list,
)
from guanxi.core.services.tokens import token_create
from guanxi.core.services.users import team_create, user_update

pytestmark = pytest.mark.django_db


def test_user_and_team_lists_are_for_administrators(admin_user, make_user, team):
    executive = make_user("boss", roles=[EXECUTIVE], teams=[team])
    assert [u.username for u in user_list(actor=admin_user)] == ["admin", "boss"]
    assert [t.name for t in team_list(actor=admin_user)] == ["East"]
    for selector in (user_list, team_list):
        with pytest.raises(PermissionDeniedError):
            selector(actor=executive)


def test_users_list_with_their_groups_and_teams_in_three_queries(
    admin_user, make_user, team, other_team, django_assert_num_queries
):
    for i in range(5):
        make_user(f"u{i}", roles=[EXECUTIVE], teams=[team, other_team])
    with django_assert_num_queries(3):
        rows = [
            (u.username, [g.name for g in u.groups.all()], [t.name for t in u.teams.all()])
            for u in user_list(actor=admin_user)
        ]
    assert rows[1] == ("u0", [EXECUTIVE], ["East", "West"])


def test_only_active_users_can_be_assigned(admin_user, make_user):
    gone = make_user("gone")
    make_user("here")
    user_update(actor=admin_user, user=gone, is_active=False)
    assert [u.username for u in assignable_users()] == ["admin", "here"]


def test_team_ids_of(make_user, team, other_team):
    assert sorted(team_ids_of(make_user(teams=[team, other_team]))) == sorted([team.pk, other_team.pk])
    assert team_ids_of(make_user()) == []


def test_token_list_shows_only_the_users_own_tokens(make_user):
    li, wang = make_user("li"), make_user("wang")
    token_create(actor=li, name="li's", scope="read")
    token_create(actor=wang, name="wang's", scope="read")
    assert [t.name for t in token_list(actor=li)] == ["li's"]


def test_history_for_a_subject_newest_first(admin_user):
    north = team_create(actor=admin_user, name="North")
    team_create(actor=admin_user, name="South")
    user_update(actor=admin_user, user=admin_user, first_name="Ada")
    entries = history_for(subject_type="core.team", subject_id=north.pk)
    assert [e.changes for e in entries] == [{"name": [None, "North"]}]
    assert [e.target_type for e in history_for(subject_type="core.user", subject_id=str(admin_user.pk))] == [
        "core.user"
    ]
    assert User.objects.count() == 1
