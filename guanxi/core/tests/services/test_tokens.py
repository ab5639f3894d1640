import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import ApiToken, AuditEntry
from guanxi.core.roles import SALES_REP
from guanxi.core.services.tokens import token_authenticate, token_create, token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep(make_user):
    return make_user("rep", roles=[SALES_REP])


def test_create_stores_a_hash_and_never_the_secret(rep):
    token, secret = token_create(actor=rep, name=" CI import ", scope="write")
    assert secret.startswith("gx_") and len(secret) > 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (token.name, token.scope, token.user, token.prefix) == ("CI import", "write", rep, secret[:10])
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(v) for v in stored.values())
    entry = AuditEntry.objects.get(target_type="core.apitoken")
    assert entry.changes == {"api_token": [None, "CI import (write)"]}
    assert (entry.subject_type, entry.subject_id) == ("core.user", str(rep.pk))
    assert secret[10:] not in str(entry.changes)


def test_each_token_has_its_own_secret(rep):
    secrets = {token_create(actor=rep, name=f"t{i}", scope="read")[1] for i in range(3)}
    assert len(secrets) == 3


@pytest.mark.parametrize(
    "name, scope, field",
    [("", "read", "name"), ("   ", "read", "name"), ("x" * 101, "read", "name"), ("ok", "admin", "scope")],
)
def test_invalid_tokens_are_refused(rep, name, scope, field):
    with pytest.raises(ValidationError) as exc:
        token_create(actor=rep, name=name, scope=scope)
    assert field in exc.value.message_dict
    assert not ApiToken.objects.exists()


def test_authenticate_finds_the_token_and_touches_last_used(rep):
    token, secret = token_create(actor=rep, name="CLI", scope="read")
    assert token.last_used_at is None
    found = token_authenticate(secret)
    assert found == token and found.user == rep
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    assert token_authenticate(secret).last_used_at == first_use  # at most one write a minute
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=an_hour_ago)
    token_authenticate(secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > an_hour_ago + dt.timedelta(minutes=59)


@pytest.mark.parametrize(
    "raw",
    ["", None, "gx_", "gx_wrong-secret", "not-a-token", "gx_" + "a" * 200],
)
def test_unknown_secrets_authenticate_nobody(rep, raw):
    token_create(actor=rep, name="CLI", scope="read")
    assert token_authenticate(raw) is None


def test_a_secret_without_its_prefix_is_refused(rep):
    _token, secret = token_create(actor=rep, name="CLI", scope="read")
    assert token_authenticate(secret[3:]) is None
    assert token_authenticate(secret.upper()) is None


def test_revoked_tokens_authenticate_nobody(rep):
    token, secret = token_create(actor=rep, name="CLI", scope="read")
    token_revoke(actor=rep, token=token)
    token_revoke(actor=rep, token=token)  # twice: one audit entry
    assert token_authenticate(secret) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    revokes = AuditEntry.objects.filter(target_type="core.apitoken", action="update")
    assert [e.changes for e in revokes] == [{"api_token_revoked": [None, "CLI"]}]


def test_a_deactivated_users_tokens_stop_working(rep):
    _token, secret = token_create(actor=rep, name="CLI", scope="read")
    rep.is_active = False
    rep.save()
    assert token_authenticate(secret) is None


def test_only_the_owner_or_an_administrator_revokes_a_token(rep, make_user, admin_user):
    token, secret = token_create(actor=rep, name="CLI", scope="read")
    with pytest.raises(PermissionDeniedError):
        token_revoke(actor=make_user("colleague", roles=[SALES_REP]), token=token)
    assert token_authenticate(secret) == token
    token_revoke(actor=admin_user, token=token)
    assert token_authenticate(secret) is None


def test_an_expired_token_is_refused(rep):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    token, secret = token_create(actor=rep, name="Short", scope="read", expires_on=tomorrow)
    assert token_authenticate(secret) == token and not token.is_expired
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert token_authenticate(secret) is None
    assert ApiToken.objects.get(pk=token.pk).is_expired


def test_expiry_is_the_start_of_the_chosen_day_and_is_audited(rep):
    day = timezone.localdate() + dt.timedelta(days=10)
    token, _secret = token_create(actor=rep, name="Ten days", scope="read", expires_on=day)
    assert timezone.localtime(token.expires_at).date() == day
    assert timezone.localtime(token.expires_at).time() == dt.time.min
    entry = AuditEntry.objects.get(target_type="core.apitoken")
    assert entry.changes == {
        "api_token": [None, "Ten days (read)"],
        "api_token_expires": [None, day.isoformat()],
    }


@pytest.mark.parametrize("days", [0, -1])
def test_expiry_must_be_after_today(rep, days):
    with pytest.raises(ValidationError) as exc:
        token_create(
            actor=rep, name="x", scope="read", expires_on=timezone.localdate() + dt.timedelta(days=days)
        )
    assert "expires_on" in exc.value.message_dict
    assert not ApiToken.objects.exists()
