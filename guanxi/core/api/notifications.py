"""/api/v1/notifications, /api/v1/notification-preferences and (administrators) /api/v1/messenger-webhooks:
parse, call a selector or service, return. The same rules as the inbox and Settings pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.models import Team
from guanxi.core.models.notifications import MessengerKind
from guanxi.core.pagination import capped_count, keyset_page
from guanxi.core.selectors import notifications as sel
from guanxi.core.services import messenger_webhooks as webhook_svc
from guanxi.core.services import notifications as svc

router = Router()

Id = Annotated[int, Field(ge=1, le=2**53)]
EventCode = Annotated[str, Field(min_length=1, max_length=60)]
Language = Literal["en", "zh-hans"]  # settings.LANGUAGES (the service checks against it too)


# --- The inbox -------------------------------------------------------------------------------------------


class ActorOut(Schema):
    id: int
    username: str
    name: str


class NotificationOut(Schema):
    id: int
    event: str
    event_label: str
    title: str
    body: str
    url: str = Field(description="A path on this site: the record the notification is about ('' if none)")
    subject_type: str
    subject_id: str
    actor: ActorOut | None
    created_at: datetime
    read_at: datetime | None
    unread: bool


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    prev_cursor: str | None


class NotificationQuery(Schema):
    state: Literal["all", "unread"] = "all"
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class UnreadCountOut(Schema):
    unread: int
    truncated: bool = Field(description="More than `unread` (counting stops at 10,000)")


class MarkedOut(Schema):
    marked: int


def _notification(n) -> dict:
    return {
        "id": n.pk,
        "event": n.event,
        "event_label": str(n.event_label),
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "subject_type": n.subject_type,
        "subject_id": n.subject_id,
        "actor": {"id": n.actor.pk, "username": n.actor.username, "name": str(n.actor)} if n.actor else None,
        "created_at": n.created_at,
        "read_at": n.read_at,
        "unread": n.read_at is None,
    }


@router.get("/notifications", response={200: NotificationPage, **responses(*STD)}, tags=["notifications"])
def notifications_list(request, query: Query[NotificationQuery]):
    """The caller's notifications, newest first (keyset pages: follow `next_cursor`)."""
    qs = sel.notification_list(actor=request.user, unread_only=query.state == "unread")
    page = keyset_page(qs, ordering=["-created_at", "-id"], cursor=query.cursor, limit=query.limit)
    return {
        "items": [_notification(n) for n in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.get(
    "/notifications/unread-count", response={200: UnreadCountOut, **responses(*STD)}, tags=["notifications"]
)
def notifications_unread_count(request):
    qs = sel.notification_list(actor=request.user, unread_only=True)
    count, more = capped_count(qs)
    return {"unread": count, "truncated": more}


@router.post(
    "/notifications/read-all", response={200: MarkedOut, **responses(*STD, 409)}, tags=["notifications"]
)
def notifications_mark_all_read(request):
    """Mark every unread notification of the caller read; says how many were unread."""
    return {"marked": svc.notifications_mark_all_read(actor=request.user)}


@router.get("/notifications/{id}", response={200: NotificationOut, **responses(*STD)}, tags=["notifications"])
def notifications_get(request, id: Id):
    return _notification(sel.notification_get(actor=request.user, pk=id))


@router.post(
    "/notifications/{id}/read",
    response={200: NotificationOut, **responses(*STD, 409)},
    tags=["notifications"],
)
def notifications_mark_read(request, id: Id):
    notification = sel.notification_get(actor=request.user, pk=id)
    return _notification(svc.notification_mark_read(actor=request.user, notification=notification))


# --- Preferences -----------------------------------------------------------------------------------------


class PreferenceOut(Schema):
    event: str
    label: str
    help: str
    in_app: bool
    email: bool
    default_in_app: bool
    default_email: bool


class PreferenceIn(InputSchema):
    event: EventCode
    in_app: bool | None = Field(None, description="Left out or null: unchanged")
    email: bool | None = Field(None, description="Left out or null: unchanged")


class PreferencesIn(InputSchema):
    preferences: Annotated[list[PreferenceIn], Field(max_length=200)]


def _preferences(user) -> list[dict]:
    return [
        {
            "event": row.event_type.code,
            "label": str(row.event_type.label),
            "help": str(row.event_type.help),
            "in_app": row.in_app,
            "email": row.email,
            "default_in_app": row.default_in_app,
            "default_email": row.default_email,
        }
        for row in sel.preferences_for(user=user)
    ]


@router.get(
    "/notification-preferences",
    response={200: list[PreferenceOut], **responses(*STD)},
    tags=["notifications"],
)
def notification_preferences_get(request):
    """Per event type: whether the caller is told in the app and by e-mail (their choice, else the default)."""
    return _preferences(request.user)


@router.patch(
    "/notification-preferences",
    response={200: list[PreferenceOut], **responses(*STD)},
    tags=["notifications"],
)
def notification_preferences_update(request, payload: PreferencesIn):
    choices: dict[str, dict[str, bool]] = {}
    for item in payload.preferences:
        choice = choices.setdefault(item.event, {})
        choice.update({k: v for k, v in (("in_app", item.in_app), ("email", item.email)) if v is not None})
    svc.preferences_set(actor=request.user, user=request.user, choices=choices)
    return _preferences(request.user)


# --- Team messenger webhooks (administrators) ------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    team_id: int
    team_name: str
    name: str
    kind: str
    url_hint: str = Field(description="The URL's site and last characters: the whole URL is never shown")
    has_secret: bool
    secret_hint: str
    events: list[str]
    language: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class DeliveryOut(Schema):
    id: int
    title: str
    status: Literal["pending", "sent", "failed"]
    attempts: int
    last_error: str
    created_at: datetime
    finished_at: datetime | None


class WebhookDetailOut(WebhookOut):
    deliveries: list[DeliveryOut]


class WebhookQuery(Schema):
    team: Id | None = None


Url = Annotated[
    str, Field(min_length=1, max_length=500, examples=["https://oapi.dingtalk.com/robot/send?access_token=…"])
]
Secret = Annotated[str, Field(max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Events = Annotated[list[EventCode], Field(max_length=100)]


class WebhookIn(InputSchema):
    team_id: Id
    name: Name
    kind: MessengerKind
    url: Url
    secret: Secret = ""
    events: Events
    language: Language | None = None
    active: bool = True


class WebhookPatch(InputSchema):
    version: int | None = Field(None, description="The version you read: a stale one is a 409")
    name: Name | None = None
    kind: MessengerKind | None = None
    url: Url | None = Field(None, description="Left out or null: unchanged")
    secret: Secret | None = Field(None, description="Left out or null: unchanged; '' removes it")
    events: Events | None = None
    language: Language | None = None
    active: bool | None = None


def _webhook(h) -> dict:
    return {
        "id": h.pk,
        "team_id": h.team_id,
        "team_name": h.team.name,
        "name": h.name,
        "kind": h.kind,
        "url_hint": h.url_hint,
        "has_secret": bool(h.secret),
        "secret_hint": h.secret_hint,
        "events": list(h.events),
        "language": h.language,
        "active": h.active,
        "version": h.version,
        "created_at": h.created_at,
        "updated_at": h.updated_at,
    }


def _webhook_detail(request, hook) -> dict:
    deliveries = sel.webhook_deliveries(actor=request.user, webhook=hook)
    return {
        **_webhook(hook),
        "deliveries": [
            {
                "id": d.pk,
                "title": str(d.payload.get("title", "")),
                "status": d.status,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "created_at": d.created_at,
                "finished_at": d.finished_at,
            }
            for d in deliveries
        ],
    }


@router.get(
    "/messenger-webhooks", response={200: list[WebhookOut], **responses(*STD)}, tags=["notifications"]
)
def messenger_webhooks_list(request, query: Query[WebhookQuery]):
    """Every team's group chat robots (administrators); `team` keeps one team's."""
    qs = sel.webhook_list(actor=request.user).order_by("team__name", "name", "id")
    if query.team is not None:
        qs = qs.filter(team_id=query.team)
    return [_webhook(h) for h in qs[:500]]


@router.post(
    "/messenger-webhooks", response={201: WebhookDetailOut, **responses(*STD, 409)}, tags=["notifications"]
)
def messenger_webhooks_create(request, payload: WebhookIn):
    webhook_svc.require_admin(request.user)
    team = Team.objects.filter(pk=payload.team_id).first()
    if team is None:
        raise ValidationError({"team_id": _("No such team.")})
    data = payload.dict(exclude={"team_id"})
    data["language"] = data["language"] or ""
    hook = webhook_svc.webhook_create(actor=request.user, team=team, **data)
    return Status(201, _webhook_detail(request, hook))


@router.get(
    "/messenger-webhooks/{id}", response={200: WebhookDetailOut, **responses(*STD)}, tags=["notifications"]
)
def messenger_webhooks_get(request, id: Id):
    """One webhook with its latest posts and their status."""
    return _webhook_detail(request, sel.webhook_get(actor=request.user, pk=id))


@router.patch(
    "/messenger-webhooks/{id}",
    response={200: WebhookDetailOut, **responses(*STD, 409)},
    tags=["notifications"],
)
def messenger_webhooks_update(request, id: Id, payload: WebhookPatch):
    hook = sel.webhook_get(actor=request.user, pk=id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "secret"}
    version = data.pop("version", None)
    hook = webhook_svc.webhook_update(actor=request.user, webhook=hook, version=version, **data)
    return _webhook_detail(request, hook)


@router.delete("/messenger-webhooks/{id}", response={204: None, **responses(*STD)}, tags=["notifications"])
def messenger_webhooks_delete(request, id: Id):
    webhook_svc.webhook_delete(actor=request.user, webhook=sel.webhook_get(actor=request.user, pk=id))
    return Status(204, None)
