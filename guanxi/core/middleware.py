from django.shortcuts import render

from guanxi.core.exceptions import GuanxiError, NotFoundError, PermissionDeniedError


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
        if isinstance(exception, GuanxiError) and callable(getattr(exception, "after_rollback", None)):
            # An error that leaves a trace once its transaction is rolled back (an approval rule problem).
            exception.after_rollback()  # type: ignore[attr-defined]  # checked just above
            context = {"code": exception.status, "message": exception.message}
            return render(request, "core/error.html", context, status=exception.status)
        return None
