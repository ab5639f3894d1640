"""Team messenger webhooks (Settings → Teams): administrators add, change and remove a team's group chat
robots. The URL (it holds the robot's key) and the signing secret are checked here and never written to
the audit trail in full."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.messengers import SIGNED
from guanxi.core.models import MessengerWebhook, Team
from guanxi.core.models.audit import AuditAction
from guanxi.core.models.notifications import MessengerKind
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record, diff

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}  # plain http is allowed to these only (tests, a local relay)
AUDITED = ("name", "kind", "url", "secret", "events", "language", "active")


def require_admin(actor) -> None:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def clean_url(url: str) -> str:
    """A webhook URL: https (http only to this machine), with a host, no spaces, no user or password."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Enter the robot's webhook URL."))
    if len(url) > 500:
        raise ValidationError(_("Use at most %(count)d characters.") % {"count": 500})
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError as exc:
        raise ValidationError(_("Enter a full URL that starts with https://.")) from exc
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url)
    ):
        raise ValidationError(_("Enter a full URL that starts with https://."))
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise ValidationError(
            _("Use an https:// URL: the robot's key must not cross the network in clear text.")
        )
    if parts.username or parts.password:
        raise ValidationError(_("Leave user names and passwords out of the URL."))
    return url


def _printable(value) -> str:
    """Text without control characters (PostgreSQL refuses NUL; none belongs in a name or a secret)."""
    return "".join(c if ord(c) >= 32 and ord(c) != 127 else " " for c in str(value or ""))


def _clean(data: dict) -> dict:
    """Check every field given; all problems at once, by field."""
    errors: dict[str, str] = {}
    clean = dict(data)
    if "name" in data:
        clean["name"] = " ".join(_printable(data["name"]).split())
        if not clean["name"]:
            errors["name"] = _("This field is required.")
        elif len(clean["name"]) > 100:
            errors["name"] = _("Use at most %(count)d characters.") % {"count": 100}
    if "kind" in data and data["kind"] not in MessengerKind.values:
        errors["kind"] = _("Choose WeCom, DingTalk or Feishu.")
    if "url" in data:
        try:
            clean["url"] = clean_url(data["url"])
        except ValidationError as exc:
            errors["url"] = exc.messages[0]
    if "secret" in data:
        clean["secret"] = _printable(data["secret"]).strip()
        if len(clean["secret"]) > 200:
            errors["secret"] = _("Use at most %(count)d characters.") % {"count": 200}
    if "events" in data:
        codes = list(dict.fromkeys(data["events"] or []))
        unknown = [c for c in codes if registry.event_type(c) is None]
        if unknown:
            errors["events"] = _("Unknown kind of notification: %(codes)s.") % {"codes": ", ".join(unknown)}
        elif not codes:
            errors["events"] = _("Choose at least one kind of notification to post.")
        clean["events"] = codes
    if "language" in data:
        clean["language"] = data["language"] or settings.LANGUAGE_CODE
        if clean["language"] not in dict(settings.LANGUAGES):
            errors["language"] = _("Choose a language.")
    if "active" in data:
        clean["active"] = bool(data["active"])
    if errors:
        raise ValidationError(errors)
    return clean


def _check_secret(kind: str, secret: str) -> None:
    if secret and kind not in SIGNED:
        raise ValidationError(
            {"secret": _("WeCom group robots do not sign messages: leave the secret empty.")}
        )


def _audited(hook: MessengerWebhook) -> dict:
    return {
        "name": hook.name,
        "kind": hook.kind,
        "url": hook.url_hint,
        "secret": hook.secret_hint,
        "events": sorted(hook.events),
        "language": hook.language,
        "active": hook.active,
    }


@transaction.atomic
def webhook_create(
    *,
    actor,
    team: Team,
    name: str,
    kind: str,
    url: str,
    events: list[str],
    secret: str = "",
    language: str = "",
    active: bool = True,
) -> MessengerWebhook:
    require_admin(actor)
    data = _clean(
        {
            "name": name,
            "kind": kind,
            "url": url,
            "secret": secret,
            "events": events,
            "language": language,
            "active": active,
        }
    )
    _check_secret(data["kind"], data["secret"])
    hook = MessengerWebhook.objects.create(team=team, **data)
    changes = {k: [None, v] for k, v in _audited(hook).items()}
    audit_record(actor=actor, action=AuditAction.CREATE, target=hook, subject=team, changes=changes)
    return hook


@transaction.atomic
def webhook_update(
    *, actor, webhook: MessengerWebhook, version: int | None = None, **fields
) -> MessengerWebhook:
    """Change the fields given. `url` empty or None keeps the URL; `secret` None keeps it, "" removes it."""
    require_admin(actor)
    unknown = set(fields) - set(AUDITED)
    if unknown:
        raise TypeError(f"webhook_update: unknown fields {sorted(unknown)}")
    if not fields.get("url"):
        fields.pop("url", None)
    if fields.get("secret", "") is None:
        fields.pop("secret")
    data = _clean(fields)
    hook = MessengerWebhook.objects.select_for_update().get(pk=webhook.pk)
    if version is not None and hook.version != version:
        raise ConflictError()
    before, old_url, old_secret = _audited(hook), hook.url, hook.secret
    for key, value in data.items():
        setattr(hook, key, value)
    if "kind" in data and "secret" not in data and hook.kind not in SIGNED:
        hook.secret = ""  # a robot that does not sign has no secret
    _check_secret(hook.kind, hook.secret)
    changes = diff(before, _audited(hook))
    if hook.url != old_url and "url" not in changes:
        changes["url"] = [before["url"], _("(changed)")]
    if hook.secret != old_secret and "secret" not in changes:
        changes["secret"] = [before["secret"], _("(changed)")]
    if changes:
        hook.version += 1
        hook.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=hook, subject=hook.team, changes=changes)
    return hook


@transaction.atomic
def webhook_delete(*, actor, webhook: MessengerWebhook) -> None:
    require_admin(actor)
    changes = {k: [v, None] for k, v in _audited(webhook).items()}
    audit_record(
        actor=actor, action=AuditAction.DELETE, target=webhook, subject=webhook.team, changes=changes
    )
    webhook.delete()
