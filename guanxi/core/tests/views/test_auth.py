"""Log in, log out, change password, switch language; error pages."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from guanxi.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def test_home_sends_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_home_sends_users_to_the_first_page_of_their_menu(client, admin_user, make_user):
    client.force_login(admin_user)
    assert client.get("/")["Location"] == reverse("parties:list")
    client.force_login(make_user("nobody"))  # no role: nothing in the menu but the account pages
    response = client.get("/")
    assert response.status_code == 200 and "core/no_role.html" in [t.name for t in response.templates]


def test_login_page(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert '<html lang="en">' in html


def test_login_with_a_wrong_password(client, make_user):
    make_user("wang")
    response = client.post(LOGIN, {"username": "wang", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_and_logout(client, make_user):
    user = make_user("wang")
    response = client.post(LOGIN, {"username": "wang", "password": PASSWORD, "next": "/parties/?kind=person"})
    assert response.status_code == 302 and response["Location"] == "/parties/?kind=person"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # no language chosen yet

    assert client.get(reverse("logout")).status_code == 405  # logging out is a POST (CSRF-protected)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("parties:list")).status_code == 302


def test_login_ignores_an_outside_next_url(client, make_user):
    make_user("wang")
    response = client.post(LOGIN, {"username": "wang", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_login_restores_the_users_language(client, make_user):
    make_user("li", language="zh-hans")
    response = client.post(LOGIN, {"username": "li", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = client.get(reverse("core:password_change"))
    assert '<html lang="zh-hans">' in page.content.decode()


def test_logged_in_user_visiting_login_is_redirected(client, admin_user):
    client.force_login(admin_user)
    assert client.get(LOGIN).status_code == 302


def test_change_password(client, make_user):
    user = make_user("zhao")
    client.force_login(user)
    url = reverse("core:password_change")
    assert client.get(url).status_code == 200

    response = client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "y"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your old password was entered incorrectly." in html
    assert "The two password fields didn’t match." in html

    new = "Another-horse-2026!"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == reverse("core:password_change_done")
    assert "Your new password is in use." in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("core:tokens")).status_code == 200  # still logged in


def test_change_password_needs_login(client):
    response = client.get(reverse("core:password_change"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- language -----------------------------------------------------------------------------------


def test_switch_to_chinese(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/parties/?kind=person"})
    assert response.status_code == 302 and response["Location"] == "/parties/?kind=person"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    admin_user.refresh_from_db()
    assert admin_user.language == "zh-hans"

    html = client.get("/parties/?kind=person").content.decode()
    assert '<html lang="zh-hans">' in html
    with translation.override("zh-hans"):
        title, new_contact = gettext("Contacts"), gettext("New contact")
    assert title != "Contacts" and new_contact != "New contact", "the Chinese catalog is missing"
    assert f"<h1>{title}</h1>" in html and new_contact in html
    assert '<option value="zh-hans" selected>简体中文</option>' in html
    # Django's own strings are translated: the password form's labels.
    html = client.get(reverse("core:password_change")).content.decode()
    assert "旧密码" in html and "Old password" not in html

    client.post(reverse("set_language"), {"language": "en", "next": "/parties/"})
    admin_user.refresh_from_db()
    assert admin_user.language == "en"
    assert '<html lang="en">' in client.get("/parties/").content.decode()


def test_switch_language_before_login(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": LOGIN})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    html = client.get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in html and "用户名" in html and "密码" in html


def test_unknown_language_is_ignored(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/parties/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    admin_user.refresh_from_db()
    assert admin_user.language == ""


def test_language_switch_does_not_redirect_elsewhere(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_is_a_post(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_unknown_page_is_the_friendly_404(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "This page does not exist, or you do not have access to it." in response.content.decode()
