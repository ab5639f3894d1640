"""/api/v1/activities: parse, call a selector or service, return. The same rules as the web pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from guanxi.activities.api.schemas import (
    ActivityCompleteIn,
    ActivityIn,
    ActivityOut,
    ActivityPage,
    ActivityPatch,
    ActivityQuery,
    ActivityTransitionIn,
    Id,
)
from guanxi.activities.models import Activity
from guanxi.activities.selectors import activities as sel
from guanxi.activities.selectors import records
from guanxi.activities.services import activities as svc
from guanxi.core.api.errors import STD, responses
from guanxi.core.models import User
from guanxi.core.pagination import keyset_page
from guanxi.parties.models import Party

router = Router(tags=["activities"])


def _user(u) -> dict | None:
    return {"id": u.pk, "username": u.username, "name": str(u)} if u else None


def activity_json(a: Activity, ref, now) -> dict:
    return {
        "id": a.pk,
        "uid": str(a.uid),
        "record": {
            "type": a.record_type,
            "id": a.record_id,
            "label": ref.label if ref else None,
            "title": ref.title if ref else None,
            "url": ref.url if ref else None,
        },
        **{
            f: getattr(a, f)
            for f in [
                "kind",
                "subject",
                "description",
                "due_at",
                "due_date",
                "all_day",
                "duration_minutes",
                "location",
                "priority",
                "status",
                "outcome",
                "remind_at",
                "reminded_at",
                "closed_at",
                "follow_up_of_id",
                "version",
                "created_at",
                "updated_at",
            ]
        },
        "overdue": sel.is_overdue(a, now),
        "remind_before_minutes": a.remind_before,
        "assignee": _user(a.assignee),
        "participants": [_user(u) for u in a.participants.all()],
        "contacts": [{"id": p.pk, "name": p.name} for p in a.contacts.all()],
        "created_by": _user(a.created_by),
    }


def _rows(qs):
    return qs.select_related("assignee", "created_by").prefetch_related(
        Prefetch("participants", queryset=User.objects.order_by("username")),
        Prefetch("contacts", queryset=Party.objects.only("pk", "name").order_by("name")),
    )


def _one(a: Activity) -> dict:
    a = _rows(Activity.objects.filter(pk=a.pk)).get()
    return activity_json(a, records.refs_for([a]).get((a.record_type, a.record_id)), timezone.now())


def _service_data(payload, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    renames = {
        "assignee_id": "assignee",
        "participant_ids": "participants",
        "contact_ids": "contacts",
        "remind_before_minutes": "remind_before",
    }
    for old, new in renames.items():
        if old in data:
            data[new] = data.pop(old)
    # null means "not given" where the field cannot be empty; it clears the assignee, duration and reminder.
    for key in (
        "all_day",
        "due_at",
        "due_date",
        "kind",
        "subject",
        "description",
        "location",
        "priority",
        "participants",
        "contacts",
        "outcome",
    ):
        if key in data and data[key] is None:
            data.pop(key)
    return data


@router.get("/activities", response={200: ActivityPage, **responses(*STD)})
def activities_list(request, query: Query[ActivityQuery]):
    if query.record_id is not None and not query.record_type:
        raise ValidationError({"record_type": _("Say which kind of record the id is of.")})
    filters = sel.ActivityFilters(
        kinds=list(query.kind),
        statuses=list(query.status),
        record_type=query.record_type or "",
        record_id=query.record_id,
        assignee="me" if query.mine else (str(query.assignee) if query.assignee else "any"),
        overdue=query.overdue,
    )
    if query.mine and query.assignee and query.assignee != request.user.pk:
        raise ValidationError({"assignee": _("Ask for your own activities or for someone's, not both.")})
    qs, ordering = sel.activity_list(actor=request.user, filters=filters)
    page = keyset_page(_rows(qs), ordering=ordering, cursor=query.cursor, limit=query.limit)
    refs, now = records.refs_for(page.items), timezone.now()
    return {
        "items": [activity_json(a, refs.get((a.record_type, a.record_id)), now) for a in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/activities", response={201: ActivityOut, **responses(*STD, 409)})
def activities_create(request, payload: ActivityIn):
    data = _service_data(payload, exclude_unset=False)
    code, pk = data.pop("record_type"), data.pop("record_id")
    if records.record_type(code) is None:
        raise ValidationError({"record_type": _("Activities cannot be attached to this kind of record.")})
    record = records.get_record(actor=request.user, code=code, pk=pk)
    if data.get("assignee") is None:
        data["assignee"] = request.user  # not given: the caller
    activity = svc.activity_create(actor=request.user, record=record, data=data)
    return Status(201, _one(activity))


@router.get("/activities/{id}", response={200: ActivityOut, **responses(*STD)})
def activities_get(request, id: Id):
    return _one(sel.activity_get(actor=request.user, pk=id))


@router.patch("/activities/{id}", response={200: ActivityOut, **responses(*STD, 409)})
def activities_update(request, id: Id, payload: ActivityPatch):
    activity = sel.activity_get(actor=request.user, pk=id)
    data = _service_data(payload, exclude_unset=True)
    version = data.pop("version")
    activity = svc.activity_update(actor=request.user, activity=activity, version=version, data=data)
    return _one(activity)


@router.post("/activities/{id}/complete", response={200: ActivityOut, **responses(*STD, 409)})
def activities_complete(request, id: Id, payload: ActivityCompleteIn):
    activity = sel.activity_get(actor=request.user, pk=id)
    done = svc.activity_complete(
        actor=request.user, activity=activity, outcome=payload.outcome, version=payload.version
    )
    return _one(done)


@router.post("/activities/{id}/cancel", response={200: ActivityOut, **responses(*STD, 409)})
def activities_cancel(request, id: Id, payload: ActivityTransitionIn):
    activity = sel.activity_get(actor=request.user, pk=id)
    return _one(svc.activity_cancel(actor=request.user, activity=activity, version=payload.version))


@router.post("/activities/{id}/reopen", response={200: ActivityOut, **responses(*STD, 409)})
def activities_reopen(request, id: Id, payload: ActivityTransitionIn):
    activity = sel.activity_get(actor=request.user, pk=id)
    return _one(svc.activity_reopen(actor=request.user, activity=activity, version=payload.version))
