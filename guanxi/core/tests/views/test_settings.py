"""Settings pages: users and teams (administrators only), API tokens (everyone, their own)."""

import pytest
from django.urls import reverse

from guanxi.core.models import ApiToken, AuditEntry, Team, User
from guanxi.core.roles import SALES_MANAGER, SALES_REP
from guanxi.core.services.tokens import token_authenticate, token_create

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("GET", reverse("core:users")),
    ("GET", reverse("core:user_create")),
    ("POST", reverse("core:user_create")),
    ("GET", reverse("core:teams")),
    ("POST", reverse("core:teams")),
]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_settings_are_for_administrators_only(client, make_user, team):
    manager = make_user("manager", roles=[SALES_MANAGER], manager_of=[team])
    client.force_login(manager)
    for method, url in [*ADMIN_PAGES, ("GET", reverse("core:user_edit", args=[manager.pk]))]:
        response = client.get(url) if method == "GET" else client.post(url, {"username": "x", "name": "x"})
        assert response.status_code == 403, (method, url)
        assert "You do not have permission to do this." in response.content.decode()
    assert not Team.objects.exclude(pk=team.pk).exists()
    assert User.objects.count() == 1
    # ... and the navigation does not offer them.
    html = client.get(reverse("core:tokens")).content.decode()
    assert reverse("core:users") not in html


def test_settings_need_login(client):
    response = client.get(reverse("core:users"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_user_list(admin_client, make_user, team):
    make_user("li.na", roles=[SALES_REP], teams=[team])
    response = admin_client.get(reverse("core:users"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "li.na" in html and "East" in html and "Sales Representative" in html
    searched = admin_client.get(reverse("core:users"), {"q": "li.na"})
    assert [u.username for u in searched.context["page"]] == ["li.na"]


def test_create_user_with_roles_and_teams(admin_client, team, other_team):
    url = reverse("core:user_create")
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "New user" in html and 'value="sales_rep"' in html and "East" in html

    response = admin_client.post(
        url,
        {
            "username": "zhang.wei",
            "first_name": "伟",
            "last_name": "张",
            "email": "zhang.wei@example.cn",
            "language": "zh-hans",
            "roles": [SALES_REP, SALES_MANAGER],
            "teams": [team.pk, other_team.pk],
            "password": "Tea-and-dumplings-88",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("core:users")
    assert "User zhang.wei created." in response.content.decode()
    user = User.objects.get(username="zhang.wei")
    assert user.check_password("Tea-and-dumplings-88")
    assert user.language == "zh-hans"
    assert set(user.groups.values_list("name", flat=True)) == {SALES_REP, SALES_MANAGER}
    assert set(user.teams.all()) == {team, other_team}
    assert AuditEntry.objects.filter(
        target_type="core.user", target_id=str(user.pk), action="create"
    ).exists()


def test_create_user_errors_keep_input(admin_client, make_user):
    make_user("taken")
    response = admin_client.post(
        reverse("core:user_create"),
        {"username": "taken", "email": "not-an-email", "first_name": "保留", "password": "123"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"email", "password"} <= set(errors)
    assert 'value="保留"' in response.content.decode()

    response = admin_client.post(
        reverse("core:user_create"), {"username": "taken", "password": "Tea-and-dumplings-88"}
    )
    assert response.status_code == 200
    assert "A user with this username already exists." in response.content.decode()
    assert User.objects.filter(username="taken").count() == 1


def test_edit_user(admin_client, make_user, team):
    user = make_user("wu", roles=[SALES_REP])
    url = reverse("core:user_edit", args=[user.pk])
    html = admin_client.get(url).content.decode()
    assert "User wu" in html and 'value="wu"' in html

    response = admin_client.post(url, {"username": "wu", "roles": [SALES_MANAGER], "teams": [team.pk]})
    assert response.status_code == 302
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [SALES_MANAGER]
    assert list(user.teams.all()) == [team]
    assert not user.is_active  # the box was not ticked
    assert user.check_password("correct-horse-battery-staple")  # empty password keeps the old one


def test_admin_cannot_deactivate_themselves(admin_client, admin_user):
    response = admin_client.post(reverse("core:user_edit", args=[admin_user.pk]), {"username": "admin"})
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_unknown_user_is_404(admin_client):
    assert admin_client.get(reverse("core:user_edit", args=[99999])).status_code == 404


def test_teams(admin_client, make_user, team):
    make_user("chief", manager_of=[team])
    html = admin_client.get(reverse("core:teams")).content.decode()
    assert "East" in html and "chief ★" in html

    response = admin_client.post(reverse("core:teams"), {"name": "North"}, follow=True)
    assert "Team North created." in response.content.decode()
    assert Team.objects.filter(name="North").exists()

    response = admin_client.post(reverse("core:teams"), {"name": "east"})
    assert response.status_code == 200
    assert "A team with this name already exists." in response.content.decode()


# --- API tokens ---------------------------------------------------------------------------------


def test_create_token_errors(client, make_user):
    client.force_login(make_user("dev"))
    response = client.post(reverse("core:tokens"), {"name": "", "scope": "root"})
    assert response.status_code == 200
    assert {"name", "scope"} <= set(response.context["form"].errors)
    assert not ApiToken.objects.exists()


def test_revoke_token(client, make_user):
    user = make_user("dev")
    token, secret = token_create(actor=user, name="CI", scope="write")
    client.force_login(user)
    url = reverse("core:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Token “CI” revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(secret) is None
    assert "Revoked" in response.content.decode()


def test_cannot_revoke_someone_elses_token(client, make_user):
    owner = make_user("owner")
    token, secret = token_create(actor=owner, name="Theirs", scope="read")
    client.force_login(make_user("intruder"))
    assert client.post(reverse("core:token_revoke", args=[token.pk])).status_code == 404
    assert "Theirs" not in client.get(reverse("core:tokens")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_html_in_user_and_token_names_is_escaped(admin_client, admin_user, make_user):
    xss = "<script>alert(1)</script>"
    user = make_user("plain")
    user.first_name = xss
    user.save()
    token_create(actor=admin_user, name=xss, scope="read")
    for url in [reverse("core:users"), reverse("core:tokens")]:
        html = admin_client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
