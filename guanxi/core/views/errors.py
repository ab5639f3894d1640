"""Error pages; under /api/ the same errors are problem+json in the caller's language."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt

from guanxi.core.api.errors import csrf_problem, problem
from guanxi.core.api.operations import url_too_long


def _api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _api(request):
        return problem(400, _("The request could not be read."))
    return render(request, "core/error.html", {"code": 400}, status=400)


def permission_denied(request, exception=None):
    if _api(request):
        return problem(403, _("You do not have permission to do this."))
    return render(request, "core/error.html", {"code": 403}, status=403)


def page_not_found(request, exception=None):
    if _api(request):
        return problem(404, _("Not found."))
    return render(request, "core/error.html", {"code": 404}, status=404)


def server_error(request):
    if _api(request):
        return problem(500, _("Something went wrong on our side. It has been logged."))
    return render(request, "core/error.html", {"code": 500}, status=500)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: problem+json under /api/ (the session API's check uses it too)."""
    if _api(request):
        return csrf_problem(reason)
    return django_csrf_failure(request, reason)


@csrf_exempt  # nothing is done here: an unknown path is a 404 whatever the method
def api_not_found(request):
    return url_too_long(request) or problem(404, _("Not found."))
