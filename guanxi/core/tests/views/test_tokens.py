"""The API tokens page: post/redirect/get with the secret shown once, expiry, and administrators' view."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from guanxi.core.models import ApiToken, AuditEntry
from guanxi.core.roles import SALES_REP
from guanxi.core.services.tokens import token_authenticate, token_create

pytestmark = pytest.mark.django_db

URL = reverse("core:tokens")


@pytest.fixture
def dev(make_user):
    return make_user("dev", roles=[SALES_REP])


def test_create_redirects_and_shows_the_secret_once(client, dev):
    client.force_login(dev)
    assert "You have no API tokens." in client.get(URL).content.decode()

    response = client.post(URL, {"name": "ERP sync", "scope": "read"})
    assert response.status_code == 302 and response["Location"] == URL  # a reload cannot post again
    assert ApiToken.objects.filter(user=dev).count() == 1

    shown = client.get(URL)
    html = shown.content.decode()
    secret = shown.context["new_secret"]
    assert secret.startswith("gx_") and secret in html
    assert "It will not be shown again" in html
    assert 'data-copy="#new-token"' in html  # the copy button (guanxi.js shows it)
    assert "no-store" in shown["Cache-Control"]  # Back does not bring the secret back from a cache
    token = ApiToken.objects.get(user=dev)
    assert token.name == "ERP sync" and token_authenticate(secret) == token

    again = client.get(URL)  # reload: no second token, no secret
    assert secret not in again.content.decode() and again.context["new_secret"] is None
    assert "ERP sync" in again.content.decode() and f"{token.prefix}…" in again.content.decode()
    assert ApiToken.objects.filter(user=dev).count() == 1
    assert all(secret not in str(v) for v in client.session.values())  # gone from the session too
    assert AuditEntry.objects.filter(target_type="core.apitoken", action="create").count() == 1


def test_errors_keep_the_form_and_create_nothing(client, dev):
    client.force_login(dev)
    response = client.post(URL, {"name": "", "scope": "root", "expires_on": "someday"})
    assert response.status_code == 200
    assert {"name", "scope", "expires_on"} <= set(response.context["form"].errors)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(URL, {"name": "Old", "scope": "read", "expires_on": yesterday})
    assert response.status_code == 200
    assert "Choose a date after today" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_with_an_expiry_date(client, dev):
    client.force_login(dev)
    day = timezone.localdate() + dt.timedelta(days=30)
    client.post(URL, {"name": "Month", "scope": "write", "expires_on": day.isoformat()})
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at) == timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    html = client.get(URL).content.decode()
    assert "Month" in html and "Revoke" in html


def test_expired_tokens_are_shown_as_expired(client, dev):
    token, _secret = token_create(actor=dev, name="Old CI", scope="read")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(dev)
    html = client.get(URL).content.decode()
    assert "Old CI" in html and "Expired" in html
    assert reverse("core:token_revoke", args=[token.pk]) not in html


def test_every_user_reaches_the_page_from_the_menu(client, dev):
    client.force_login(dev)
    html = client.get(reverse("parties:list")).content.decode()
    assert f'<a href="{URL}">API tokens</a>' in html.split('<nav class="sidenav"')[1]


def test_administrators_see_and_revoke_everyones_tokens(client, admin_user, dev):
    theirs, secret = token_create(actor=dev, name="Dev laptop", scope="write")
    client.force_login(admin_user)
    html = client.get(URL).content.decode()
    assert "Other users' tokens" in html and "Dev laptop" in html and "<td>dev</td>" in html
    response = client.post(reverse("core:token_revoke", args=[theirs.pk]), follow=True)
    assert "Token “Dev laptop” revoked." in response.content.decode()
    assert token_authenticate(secret) is None
    entry = AuditEntry.objects.get(target_type="core.apitoken", action="update")
    assert entry.actor == admin_user and entry.changes == {"api_token_revoked": [None, "Dev laptop"]}


def test_others_do_not_see_or_revoke_someone_elses_tokens(client, make_user, dev):
    theirs, _secret = token_create(actor=dev, name="Dev laptop", scope="read")
    client.force_login(make_user("other", roles=[SALES_REP]))
    html = client.get(URL).content.decode()
    assert "Dev laptop" not in html and "Other users" not in html
    assert client.post(reverse("core:token_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_tokens_page_query_count_does_not_grow(client, admin_user, make_user, django_assert_max_num_queries):
    for i in range(3):
        token_create(actor=make_user(f"u{i}"), name=f"T{i}", scope="read")
        token_create(actor=admin_user, name=f"Mine {i}", scope="read")
    client.force_login(admin_user)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for i in range(3, 20):
        token_create(actor=make_user(f"u{i}"), name=f"T{i}", scope="read")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "T19" in client.get(URL).content.decode()
