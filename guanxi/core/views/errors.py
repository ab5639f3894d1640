from django.shortcuts import render
from django.utils.translation import gettext as _

from guanxi.core.api.errors import problem


def bad_request(request, exception=None):
    return render(request, "core/error.html", {"code": 400}, status=400)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"code": 403}, status=403)


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"code": 404}, status=404)


def server_error(request):
    return render(request, "core/error.html", {"code": 500}, status=500)


def api_not_found(request):
    return problem(404, _("Not found."))
