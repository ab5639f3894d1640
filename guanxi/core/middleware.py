from django.shortcuts import render

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError


class GuanxiErrorMiddleware:
    """Service errors raised in a web view become the proper page: 404 hides existence, 403 explains."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFoundError):
            return render(request, "core/error.html", {"code": 404}, status=404)
        if isinstance(exception, PermissionDeniedError):
            return render(request, "core/error.html", {"code": 403, "message": exception.message}, status=403)
        return None
