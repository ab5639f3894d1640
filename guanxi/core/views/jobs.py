"""Settings → Scheduled jobs (administrators): the periodic jobs, their runs, "run now", the workers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.core.models.jobs import RunStatus
from guanxi.core.selectors import jobs as sel
from guanxi.core.services import jobs as svc
from guanxi.core.views.exports import login_required_polling

RUNS_PER_PAGE = 25
WORKERS_SHOWN = 20


@login_required_polling
def jobs(request):
    now = timezone.now()
    rows = sel.job_overview(actor=request.user, now=now)  # PermissionDeniedError (403) for non-administrators
    workers = list(sel.worker_list(actor=request.user)[:WORKERS_SHOWN])
    alive = {w.pk for w in workers if sel.worker_is_alive(w, now)}
    runs = Paginator(sel.run_list(actor=request.user), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    pending = any(r.pending for r in rows) or any(r.pending for r in runs)
    return render(
        request,
        "core/settings/jobs.html",
        {
            "rows": rows,
            "workers": workers,
            "alive": alive,
            "health": sel.worker_status(now=now),
            "alive_minutes": int(sel.WORKER_ALIVE.total_seconds() // 60),
            "page": runs,
            "pending": pending,
            "section": "jobs",
        },
    )


@login_required_polling
@require_POST
def job_run_now(request, name):
    try:
        run = svc.periodic_job_run_now(actor=request.user, name=name)
    except ConflictError as exc:
        messages.error(request, str(exc.message))
    else:
        run.refresh_from_db()  # a task backend that runs at once (tests, the demo's) has finished it already
        job = sel.job_get(actor=request.user, name=name).job
        if run.status == RunStatus.SUCCEEDED:
            messages.success(request, _("“%(job)s” ran.") % {"job": job.title})
        elif run.status == RunStatus.FAILED:
            messages.error(request, _("“%(job)s” failed. The error is shown below.") % {"job": job.title})
        else:
            messages.success(
                request, _("“%(job)s” is queued: a worker runs it shortly.") % {"job": job.title}
            )
    return redirect("core:jobs")
