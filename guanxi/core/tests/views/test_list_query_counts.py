"""Settings lists cost a fixed number of queries, however many rows they show (no N+1): a page of 3 rows
costs exactly what a page of 30 does, and no more than the bound written here (issue 5, item 34)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.core.models import Team, TeamMembership, UserSession
from guanxi.core.roles import BUYER, SALES_MANAGER, SALES_REP
from guanxi.core.services.tokens import token_create

pytestmark = pytest.mark.django_db

# Every page of a signed-in user reads the session and the user, the user's roles unless a superuser
# (for the menu), and counts their unread notifications (the bell in the top bar); the session's last-seen time is written once a minute: a warm-up request keeps that
# write out of the counts. The bounds below are what the pages cost today, on SQLite and PostgreSQL.


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _guarded(client, url, grow, *, rows, maximum) -> tuple[int, int]:
    """(queries for 3 rows, queries for 30 rows) of the page at `url`; `grow(start, stop)` adds rows
    start..stop-1 and `rows(response)` says how many the page shows."""
    grow(0, 3)
    client.get(url)  # warm-up: the session's last-seen time is written once a minute
    few = _queries(client, url)
    assert rows(client.get(url)) == 3
    grow(3, 30)
    many = _queries(client, url)
    assert rows(client.get(url)) == 30
    assert many == few, f"{url}: {few} queries for 3 rows, {many} for 30"
    assert many <= maximum, f"{url}: {many} queries, at most {maximum} expected"
    return few, many


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_users_list(admin_client, admin_user, make_user):
    teams = [Team.objects.create(name=f"Team {i}") for i in range(3)]

    def grow(start, stop):
        for i in range(start, stop):
            roles = [SALES_REP, SALES_MANAGER, BUYER][: 1 + i % 3]
            make_user(f"user{i:02d}", roles=roles, teams=teams[: 1 + i % 3])

    # Session, user, unread notifications; the count, the page of users, their roles, their teams.
    _guarded(
        admin_client,
        reverse("core:users"),
        grow,
        rows=lambda r: len([u for u in r.context["page"] if u != admin_user]),
        maximum=7,
    )


def test_teams_list(admin_client, make_user):
    people = [make_user(f"member{i}", roles=[SALES_REP]) for i in range(3)]

    def grow(start, stop):
        for i in range(start, stop):
            team = Team.objects.create(name=f"Team {i:02d}")
            for j, person in enumerate(people[: 1 + i % 3]):
                TeamMembership.objects.create(team=team, user=person, is_manager=j == 0)

    # Session, user, unread notifications; the teams, their memberships, the members.
    _guarded(admin_client, reverse("core:teams"), grow, rows=lambda r: len(r.context["teams"]), maximum=6)


def test_own_tokens_list(make_user):
    dev = make_user("dev", roles=[SALES_REP])
    client = Client()
    client.force_login(dev)

    def grow(start, stop):
        for i in range(start, stop):
            token_create(actor=dev, name=f"Script {i:02d}", scope="read")

    # Session, user, the user's roles, unread notifications; the tokens.
    _guarded(client, reverse("core:tokens"), grow, rows=lambda r: len(r.context["tokens"]), maximum=5)


def test_administrators_view_of_every_token(admin_client, make_user):
    users = [make_user(f"dev{i}", roles=[SALES_REP]) for i in range(3)]

    def grow(start, stop):
        for i in range(start, stop):
            token_create(actor=users[i % 3], name=f"Script {i:02d}", scope="write")

    # Session, user, unread notifications; the count and the page of other users' tokens (with their users); the admin's own tokens.
    _guarded(admin_client, reverse("core:tokens"), grow, rows=lambda r: len(r.context["others"]), maximum=6)


def test_sessions_list(make_user):
    user = make_user("wang", roles=[SALES_REP])
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    client.force_login(user)

    def grow(start, stop):
        for _ in range(start, stop - (1 if start == 0 else 0)):  # the first is the client's own session
            Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1").force_login(user)

    # Session, user, the user's roles, unread notifications; the sessions; the sign-in activity (with actors).
    _guarded(
        client,
        reverse("core:sessions"),
        grow,
        rows=lambda r: len(r.context["user_sessions"]),
        maximum=6,
    )
    assert UserSession.objects.filter(user=user).count() == 30


def test_a_users_sessions_on_the_administrators_user_page(admin_client, make_user, team):
    user = make_user("li", roles=[SALES_REP], teams=[team])

    def grow(start, stop):
        for _ in range(start, stop):
            Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1").force_login(user)

    # Session, user, unread notifications; the user edited, their roles, their teams, the role and team choices; the sessions;
    # the sign-in activity (with actors).
    _guarded(
        admin_client,
        reverse("core:user_edit", args=[user.pk]),
        grow,
        rows=lambda r: len(r.context["user_sessions"]),
        maximum=10,
    )
