"""Personal access tokens: shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import ApiToken
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.tokens import TokenScope
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record

TOKEN_PREFIX = "gx_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_expiry(expires_on: dt.date | None) -> dt.datetime | None:
    """A token that "expires on" a date is refused from the start of that day, in the current time zone."""
    if expires_on is None:
        return None
    return timezone.make_aware(dt.datetime.combine(expires_on, dt.time.min))


@transaction.atomic
def token_create(*, actor, name: str, scope: str, expires_on: dt.date | None = None) -> tuple[ApiToken, str]:
    """Create a token for the acting user; returns the token and its secret (never stored)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose read or write.")})
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("Choose a date after today, or leave it empty.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=raw[:10],
        key_hash=token_hash(raw),
        scope=scope,
        expires_at=token_expiry(expires_on),
    )
    changes = {"api_token": [None, f"{name} ({scope})"]}
    if expires_on is not None:
        changes["api_token_expires"] = [None, expires_on.isoformat()]
    audit_record(actor=actor, action=AuditAction.CREATE, target=token, subject=actor, changes=changes)
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    if token.user_id != actor.pk and not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()  # users revoke their own tokens; administrators anyone's
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=token,
            subject=token.user,
            changes={"api_token_revoked": [None, token.name]},
        )


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token for this secret (not revoked, not expired, of an active user), with its
    last-used time touched (at most once a minute)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
