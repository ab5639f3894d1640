"""Export pages: a job's progress and download, the user's exports, the top bar notice.

Jobs are started by the app that owns the list (e.g. parties' CSV/XLSX buttons), through
guanxi.core.services.exports.export_request; these pages work for any exporter.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_POST

from guanxi.core.export_formats import CONTENT_TYPES
from guanxi.core.exports import WATCH_SESSION_KEY
from guanxi.core.selectors import exports as sel
from guanxi.core.services import exports as svc

LIST_SIZE = 50
STOP_POLLING = 286  # htmx stops polling on this status


def login_required_polling(view):
    """login_required, except that a poll from a page whose session ended stops polling instead of
    swapping the login page into the top bar or the job card."""
    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            return HttpResponse(status=STOP_POLLING)
        return protected(request, *args, **kwargs)

    return wrapper


@login_required_polling
def export_list(request):
    jobs = list(sel.export_list(actor=request.user)[:LIST_SIZE])
    running = any(not job.finished for job in jobs)  # then the table refreshes itself until they are done
    return render(request, "core/exports/list.html", {"jobs": jobs, "limit": LIST_SIZE, "running": running})


@login_required_polling
def export_detail(request, pk):
    job = sel.export_get(actor=request.user, pk=pk)
    if job.finished:
        svc.export_mark_seen(actor=request.user, job=job)
    else:
        request.session[WATCH_SESSION_KEY] = (
            True  # if the user leaves, the top bar tells them when it is done
        )
    ctx = {"export_job": job}
    if request.htmx:
        return render(request, "core/exports/partials/job.html", ctx)
    return render(request, "core/exports/detail.html", ctx)


def download_name(job) -> str:
    stamp = timezone.localtime(job.finished_at or job.created_at).strftime("%Y%m%d-%H%M")
    return get_valid_filename(f"guanxi-{job.title}-{stamp}.{job.format}")


@login_required
def export_download(request, pk):
    job, file = sel.export_file(actor=request.user, pk=pk)
    svc.export_mark_seen(actor=request.user, job=job)
    return FileResponse(
        file, as_attachment=True, filename=download_name(job), content_type=CONTENT_TYPES[job.format]
    )


@login_required_polling
def export_notice(request):
    """The top bar's notice alone (htmx polls it while an export runs)."""
    return render(request, "core/partials/export_notice.html")


@login_required
@require_POST
def export_dismiss(request, pk):
    job = sel.export_get(actor=request.user, pk=pk)
    svc.export_mark_seen(actor=request.user, job=job)
    if request.htmx:
        return render(request, "core/partials/export_notice.html")
    return redirect("core:exports")
