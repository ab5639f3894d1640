"""Reads of activities, always permission-scoped.

Who sees which activity (docs/subsystems/activities.md):

* **On a record** (its tab, timeline, card; the API's `record_type` + `record_id` filter): everyone with
  `activity.view` who may see the record (its document type's `may_view`) sees all of its activities.
* **Across records** (My activities, the API list without a record): the role's scope on the "activities"
  area, over the assignee (guanxi.core.selectors.record_rules): own = assigned to the user, team = assigned
  to anyone in the user's teams, all = every activity.
* **One activity** is visible when either holds. Changing it needs `activity.change` and either the edit
  scope reaching its assignee or the right to change its record (`may_change`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.activities.choices import ActivityKind, ActivityStatus
from guanxi.activities.models import Activity
from guanxi.activities.permissions import AREA, Action
from guanxi.activities.selectors import records
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import TeamMembership, User
from guanxi.core.roles import Scope, grants_for
from guanxi.core.selectors.record_rules import reach_q
from guanxi.core.selectors.users import team_ids_of

WHEN = ("overdue", "today", "upcoming", "done")
OPEN_ORDER = ["due_at", "id"]
CLOSED_ORDER = ["-closed_at", "-id"]


def scope_q(actor, *, mode: str = "view") -> Q | None:
    """The activities whose assignee `actor` reaches with the role's scope on the area (None: all)."""
    scope = grants_for(actor).reaches(AREA, mode=mode)
    return reach_q(actor, scope, owner_field="assignee", team_field="")


def require_view(actor) -> None:
    if not grants_for(actor).can(Action.ACTIVITY_VIEW):
        raise PermissionDeniedError()


def activity_visible(*, actor, mode: str = "view") -> QuerySet[Activity]:
    """Every activity `actor` reaches across records (by assignee). 403 without `activity.view`."""
    require_view(actor)
    q = scope_q(actor, mode=mode)
    return Activity.objects.all() if q is None else Activity.objects.filter(q)


def reaches(actor, activity: Activity, *, mode: str = "view") -> bool:
    scope = grants_for(actor).reaches(AREA, mode=mode)
    if scope >= Scope.ALL:
        return True
    if scope <= Scope.NONE or activity.assignee_id is None:
        return False
    if activity.assignee_id == actor.pk:
        return True
    if scope >= Scope.TEAM:
        teams = team_ids_of(actor)
        return (
            bool(teams)
            and TeamMembership.objects.filter(team_id__in=teams, user_id=activity.assignee_id).exists()
        )
    return False


def activity_get(*, actor, pk) -> Activity:
    """One activity `actor` may see (404 otherwise), with its record as `activity.record` (None if gone)."""
    require_view(actor)
    try:
        activity = (
            Activity.objects.select_related("assignee", "created_by", "closed_by", "follow_up_of")
            .filter(pk=int(pk))
            .first()
        )
    except (TypeError, ValueError, OverflowError):
        activity = None
    if activity is None:
        raise NotFoundError()
    record = records.load_record(activity.record_type, activity.record_id)
    if not (reaches(actor, activity) or (record is not None and records.may_view(actor, record))):
        raise NotFoundError()
    activity.record = record
    return activity


def can_change(actor, activity: Activity, record=None) -> bool:
    """May `actor` edit, complete, cancel or reopen `activity` (which they may see)?"""
    if not grants_for(actor).can(Action.ACTIVITY_CHANGE):
        return False
    if reaches(actor, activity, mode="edit"):
        return True
    record = record if record is not None else getattr(activity, "record", None)
    return record is not None and records.may_change(actor, record)


def can_add(actor, record) -> bool:
    """May `actor` schedule or log an activity on `record`: `activity.add` and the right to change it."""
    return grants_for(actor).can(Action.ACTIVITY_ADD) and records.may_change(actor, record)


def activities_of_record(*, actor, record, checked: bool = False) -> QuerySet[Activity]:
    """All activities of a record `actor` may see (`checked`: the caller has just checked `may_view`)."""
    require_view(actor)
    if not checked and not records.may_view(actor, record):
        raise NotFoundError()
    return Activity.objects.filter(record_type=records.code_of(record), record_id=record.pk)


# --- Buckets: overdue / today / upcoming / done -----------------------------------------------------------


def day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The start of today and of tomorrow in the current time zone."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def overdue_q(now: dt.datetime) -> Q:
    """Open and past due: a timed one after its time, an all-day one after its day."""
    start, _end = day_bounds(now)
    return Q(status=ActivityStatus.OPEN) & (
        Q(all_day=False, due_at__lt=now) | Q(all_day=True, due_at__lt=start)
    )


def bucket_q(when: str, now: dt.datetime) -> Q:
    _start, end = day_bounds(now)
    if when == "overdue":
        return overdue_q(now)
    if when == "today":  # what is due today and everything overdue: what to do now
        return Q(status=ActivityStatus.OPEN, due_at__lt=end)
    if when == "upcoming":
        return Q(status=ActivityStatus.OPEN, due_at__gte=end)
    return ~Q(status=ActivityStatus.OPEN)  # done (and cancelled), newest first


def is_overdue(activity: Activity, now: dt.datetime | None = None) -> bool:
    if activity.status != ActivityStatus.OPEN:
        return False
    now = now or timezone.now()
    if activity.all_day:
        return activity.due_date < timezone.localtime(now).date()
    return activity.due_at < now


@dataclass
class ActivityFilters:
    """What My activities or the API list asks for. Unknown values are refused, not ignored."""

    when: str = ""  # one of WHEN, or "" (the API: every status, by due time)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    record_type: str = ""
    record_id: int | None = None
    assignee: str = "me"  # "me", "any" (everyone the scope reaches) or a user id
    overdue: bool = False

    def validate(self) -> ActivityFilters:
        errors = {}
        if self.when and self.when not in WHEN:
            errors["when"] = _("Unknown view.")
        if set(self.kinds) - set(ActivityKind.values):
            errors["kind"] = _("Unknown kind.")
        if set(self.statuses) - set(ActivityStatus.values):
            errors["status"] = _("Unknown status.")
        if self.record_type and records.record_type(self.record_type) is None:
            errors["record_type"] = _("Activities cannot be attached to this kind of record.")
        if self.record_id is not None and not self.record_type:
            errors["record_type"] = _("Say which kind of record the id is of.")
        if self.assignee not in ("me", "any") and not str(self.assignee).isdigit():
            errors["assignee"] = _("Unknown user.")
        if errors:
            raise ValidationError(errors)
        return self


def activity_list(*, actor, filters: ActivityFilters, now: dt.datetime | None = None):
    """(queryset, ordering) of the activities matching `filters` that `actor` may see."""
    f = filters.validate()
    now = now or timezone.now()
    if f.record_id is not None:
        record = records.get_record(actor=actor, code=f.record_type, pk=f.record_id)
        qs = activities_of_record(actor=actor, record=record, checked=True)
    else:
        qs = activity_visible(actor=actor)
        if f.record_type:
            qs = qs.filter(record_type=f.record_type)
    if f.assignee == "me":
        qs = qs.filter(assignee=actor)
    elif f.assignee != "any":
        qs = qs.filter(assignee_id=int(f.assignee))
    if f.kinds:
        qs = qs.filter(kind__in=f.kinds)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.overdue:
        qs = qs.filter(overdue_q(now))
    if f.when:
        qs = qs.filter(bucket_q(f.when, now))
    ordering = CLOSED_ORDER if f.when == "done" else OPEN_ORDER
    if f.when == "done":
        qs = qs.filter(closed_at__isnull=False)
    return qs.select_related("assignee"), ordering


def assignee_choices(actor) -> QuerySet[User] | None:
    """Whose activities `actor` may list besides their own (a manager's team; everyone for "all"); None when
    the scope reaches only the user's own."""
    scope = grants_for(actor).reaches(AREA)
    if scope >= Scope.ALL:
        return User.objects.filter(is_active=True).order_by("username")
    if scope >= Scope.TEAM and team_ids_of(actor):
        members = TeamMembership.objects.filter(team_id__in=team_ids_of(actor)).values("user_id")
        return User.objects.filter(is_active=True, pk__in=members).order_by("username")
    return None


ASSIGNEE_CHECK_LIMIT = 200  # above this many candidates the form offers them all and the service checks one


def assignable_users(record) -> list[User]:
    """Users an activity of `record` may be assigned to: active, with `activity.view`, who may see it."""
    from guanxi.core.models import Role

    codes = [
        code
        for code, all_access, actions in Role.objects.values_list("code", "all_access", "actions")
        if all_access or Action.ACTIVITY_VIEW in actions
    ]
    users = list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=codes))
        .distinct()
        .order_by("username")
    )
    if len(users) > ASSIGNEE_CHECK_LIMIT:
        return users
    return [u for u in users if records.may_view(u, record)]


def may_be_assigned(user, record) -> bool:
    return (
        user is not None
        and user.is_active
        and grants_for(user).can(Action.ACTIVITY_VIEW)
        and records.may_view(user, record)
    )


def records_with_open_activities(*, record_type: str, record_ids) -> set[int]:
    """Which of these records (of one document type) have an open activity: what a board's "no next
    activity" badge needs, in one indexed query (activity_record_idx)."""
    ids = list(record_ids)
    if not ids:
        return set()
    return set(
        Activity.objects.filter(record_type=record_type, record_id__in=ids, status=ActivityStatus.OPEN)
        .values_list("record_id", flat=True)
        .distinct()
    )


def activity_since_q(*, record_type: str, since) -> Exists:
    """An Exists() for a queryset of records (of `record_type`, compared on their pk): the record has an
    activity due (or done) at or after `since`. What a pool's "no follow-up activity" rule tests, in SQL."""
    done_or_due = Q(due_at__gte=since) | Q(closed_at__gte=since)  # an overdue call done today counts
    return Exists(Activity.objects.filter(done_or_due, record_type=record_type, record_id=OuterRef("pk")))
