"""One activity: schedule or log it on a record, edit it, complete it (and offer the next step), cancel,
reopen, its page with its history, and its calendar file."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.activities import ics
from guanxi.activities.choices import CALENDAR_KINDS, ActivityKind
from guanxi.activities.contacts import contacts_for
from guanxi.activities.forms import ActivityForm, CompleteForm
from guanxi.activities.selectors import activities as sel
from guanxi.activities.selectors import records
from guanxi.activities.services import activities as svc
from guanxi.activities.views.common import prepare, safe_next, with_param
from guanxi.core.exceptions import ConflictError, GuanxiError, PermissionDeniedError
from guanxi.core.selectors.users import history_for


def _form_kwargs(record) -> dict:
    code = records.code_of(record)
    return {"users": sel.assignable_users(record), "contacts": contacts_for(code, record) or []}


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += dt.timedelta(days=1)
    return day


def _follow_up_initial(previous) -> dict:
    """The next step of a completed activity: the same kind, people and place, on the next working day."""
    initial = ActivityForm.initial_for(previous)
    initial.pop("version")
    initial.pop("outcome")
    initial["subject"] = _("Follow-up: %(subject)s") % {"subject": previous.subject}
    initial["due_date"] = _next_working_day(timezone.localdate())
    initial["description"] = ""  # the outcome it follows is shown above the form
    return initial


@login_required
def activity_create(request):
    params = request.POST if request.method == "POST" else request.GET
    follow_up_of = None
    if params.get("follow_up"):
        follow_up_of = sel.activity_get(actor=request.user, pk=params["follow_up"])
        record = follow_up_of.record
        if record is None:
            raise Http404
    else:
        record = records.get_record(
            actor=request.user, code=params.get("record_type", ""), pk=params.get("record_id")
        )
    if not sel.can_add(request.user, record):  # a form that could never be saved is refused on opening
        raise PermissionDeniedError(_("You may see this record but not add activities to it."))
    doc = records.type_of(record)
    back = safe_next(request, doc.url(record) if doc else reverse("activities:mine"))
    logging = params.get("status") == "done" and follow_up_of is None
    mode = "log" if logging else "schedule"
    if request.method == "POST":
        form = ActivityForm(request.POST, mode=mode, **_form_kwargs(record))
        if form.is_valid():
            try:
                activity = svc.activity_create(
                    actor=request.user, record=record, data=form.service_input(), follow_up_of=follow_up_of
                )
                messages.success(request, _("“%(subject)s” saved.") % {"subject": activity.subject})
                return redirect(back)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except GuanxiError as exc:
                form.add_error(None, str(exc.message))
    else:
        if follow_up_of is not None:
            initial = _follow_up_initial(follow_up_of)
        else:
            now = timezone.localtime()
            # The next full hour — tomorrow 00:00 after 23:00 (not today 00:00, which is already past).
            start = (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
            initial = {
                "kind": ActivityKind.CALL,
                "due_date": now.date() if logging else start.date(),
                "due_time": None if logging else start.time(),
                "assignee": request.user.pk,
                "remind_before": 15,
            }
            if logging:
                initial["due_time"] = now.time().replace(second=0, microsecond=0)
        form = ActivityForm(initial=initial, mode=mode, **_form_kwargs(record))
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "record": record,
            "record_ref": records.ref_of(record),
            "follow_up_of": follow_up_of,
            "logging": logging,
            "creating": True,
            "next": back,
            "nav": "activities",
        },
    )


@login_required
def activity_detail(request, pk):
    activity = sel.activity_get(actor=request.user, pk=pk)
    prepare([activity])
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "can_change": sel.can_change(request.user, activity),
            "participants": list(activity.participants.all()),
            "contacts": list(activity.contacts.all()),
            "follow_ups": list(activity.follow_ups.order_by("due_at", "id")),
            "entries": history_for(subject_type="activities.activity", subject_id=activity.pk)[:100],
            "calendar": activity.kind in CALENDAR_KINDS,
            "nav": "activities",
        },
    )


@login_required
def activity_edit(request, pk):
    activity = sel.activity_get(actor=request.user, pk=pk)
    if not sel.can_change(request.user, activity):
        raise PermissionDeniedError(_("You may see this activity but not change it."))
    record = activity.record
    if record is None:
        raise Http404
    kwargs = {**_form_kwargs(record), "mode": "edit", "closed": not activity.is_open}
    conflict = False
    if request.method == "POST":
        form = ActivityForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                svc.activity_update(
                    actor=request.user,
                    activity=activity,
                    version=form.cleaned_data.get("version"),
                    data=form.service_input(),
                )
                messages.success(
                    request, _("“%(subject)s” saved.") % {"subject": form.cleaned_data["subject"]}
                )
                return redirect(safe_next(request, activity.get_absolute_url()))
            except ConflictError as exc:
                conflict = True
                form.add_error(None, str(exc.message))
                activity = sel.activity_get(actor=request.user, pk=pk)
            except ValidationError as exc:
                form.add_service_errors(exc)
    else:
        form = ActivityForm(initial=ActivityForm.initial_for(activity), **kwargs)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "activity": activity,
            "record": record,
            "record_ref": records.ref_of(record),
            "conflict": conflict,
            "current": activity,
            "creating": False,
            "next": safe_next(request, activity.get_absolute_url()),
            "nav": "activities",
        },
    )


def follow_up_url(activity, back: str = "") -> str:
    """The next-step form of `activity`; saving it leads back to `back` (e.g. the list it was done in)."""
    query = {"follow_up": activity.pk, **({"next": back} if back else {})}
    return f"{reverse('activities:create')}?{urlencode(query)}"


@login_required
def activity_complete(request, pk):
    """GET: the form (outcome, next step). POST: done; with "next_step" on to the prefilled next step.
    From the list by htmx the answer is the row, now done, offering the next step."""
    activity = sel.activity_get(actor=request.user, pk=pk)
    if not sel.can_change(request.user, activity):
        raise PermissionDeniedError(_("You may see this activity but not change it."))
    back = safe_next(request, activity.get_absolute_url())
    in_list = bool(request.htmx) and request.POST.get("in_list") == "1"
    if request.method == "POST":
        form = CompleteForm(request.POST)
        if form.is_valid():
            try:
                activity = svc.activity_complete(
                    actor=request.user,
                    activity=activity,
                    outcome=form.cleaned_data["outcome"],
                    version=form.cleaned_data.get("version"),
                )
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                wants_next = bool(request.POST.get("next_step"))
                if wants_next:
                    target = follow_up_url(activity, back if request.POST.get("next") else "")
                    if request.htmx:
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = target
                        return response
                    return redirect(target)
                if in_list:
                    return _row(request, activity, back)
                if urlsplit(back).path == reverse("activities:mine"):  # the list offers the next step
                    return redirect(with_param(back, "done", activity.pk))
                messages.success(request, _("“%(subject)s” is done.") % {"subject": activity.subject})
                return redirect(back)
        if in_list:
            activity = sel.activity_get(actor=request.user, pk=pk)
            errors = [str(m) for msgs in form.errors.values() for m in msgs]
            return _row(request, activity, back, errors=errors)
    else:
        form = CompleteForm(initial={"version": activity.version})
    prepare([activity])
    return render(
        request,
        "activities/complete.html",
        {"form": form, "activity": activity, "next": back, "nav": "activities"},
    )


def _row(request, activity, back: str, errors=()):
    prepare([activity])
    return render(
        request,
        "activities/partials/item.html",
        {"a": activity, "next": back, "row_errors": list(errors), "just_completed": not activity.is_open},
    )


@login_required
@require_POST
def activity_cancel(request, pk):
    return _transition(request, pk, svc.activity_cancel, _("“%(subject)s” cancelled."))


@login_required
@require_POST
def activity_reopen(request, pk):
    return _transition(request, pk, svc.activity_reopen, _("“%(subject)s” is open again."))


def _transition(request, pk, service, message: str):
    activity = sel.activity_get(actor=request.user, pk=pk)
    try:
        activity = service(actor=request.user, activity=activity, version=request.POST.get("version") or None)
        messages.success(request, message % {"subject": activity.subject})
    except (ConflictError, ValidationError) as exc:
        text = exc.message if isinstance(exc, ConflictError) else " ".join(exc.messages)
        messages.error(request, str(text))
    return redirect(safe_next(request, activity.get_absolute_url()))


@login_required
def activity_ics(request, pk):
    activity = sel.activity_get(actor=request.user, pk=pk)
    if activity.kind not in CALENDAR_KINDS:
        raise Http404
    ref = records.refs_for([activity]).get((activity.record_type, activity.record_id))
    url = request.build_absolute_uri(activity.get_absolute_url())
    body = ics.activity_calendar(activity, record_title=ref.title if ref else "", url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = f"activity-{activity.pk}.ics"
    readable = f"{activity.subject[:60]}.ics"
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(readable)}"
    return response
