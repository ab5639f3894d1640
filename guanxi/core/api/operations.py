"""The NinjaAPI of Guanxi, and how each of its operations runs beyond what django-ninja does:

- a URL longer than MAX_URL_LENGTH is a 414 problem;
- HEAD works wherever GET does (the same status and headers, no body);
- a method the path does not have is a 405 problem with an `Allow` header;
- after the operation's authentication and authorization (token, scope, session + CSRF) and before its
  input is read: unknown query parameters are a 422 naming them, and a POST's Idempotency-Key is claimed
  (guanxi.core.api.idempotency), so a stored answer is never replayed to a caller who may not have it;
- every operation's OpenAPI id is its view function's name (`organizations_list`), short and stable.

django-ninja has no setting for its operation classes: the bound operations and path views are given
these subclasses once, when the API builds its routes. The hooks used (`Operation._run_checks`,
`PathView._find_operation`, `_not_allowed`, `_sync_view`, `NinjaAPI._get_bound_routers`) are django-ninja
internals; guanxi/core/tests/api/ covers each behaviour, so an upgrade that moves them fails loudly.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ConfigError
from ninja.operation import Operation, PathView

from guanxi.core.api import idempotency
from guanxi.core.api.errors import problem
from guanxi.core.api.openapi import document_problems

# gunicorn refuses a request line over 4094 bytes with its own HTML page; below that the API answers.
MAX_URL_LENGTH = 4000
MAX_LISTED_UNKNOWN = 20


def url_too_long(request) -> HttpResponse | None:
    if len(request.get_full_path()) <= MAX_URL_LENGTH:
        return None
    return problem(
        414,
        _("The URL is too long."),
        _("Use at most %(count)d characters in the path and query.") % {"count": MAX_URL_LENGTH},
    )


def query_names(operation: Operation) -> frozenset[str]:
    """The query parameters the operation declares."""
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ == "query":
            flat = getattr(model, "__ninja_flatten_map__", None)
            names.update(flat or (field.alias or name for name, field in model.model_fields.items()))
    return frozenset(names)


class GuanxiOperation(Operation):
    _query_names: frozenset[str]

    def _run_checks(self, request):
        refused = super()._run_checks(request)  # authentication (token, scope, session + CSRF), throttles
        if refused is not None:
            return refused
        try:
            return self._unknown_parameters(request) or idempotency.claim(request)
        except Exception as exc:  # e.g. too many query parameters: a problem, like every other error
            return self.api.on_exception(request, exc)

    def _unknown_parameters(self, request) -> HttpResponse | None:
        unknown = [name for name in request.GET if name not in self._query_names]
        if not unknown:
            return None
        message = _("Unknown query parameter: check its name.")
        errors = [{"field": name, "message": message} for name in unknown[:MAX_LISTED_UNKNOWN]]
        return problem(422, _("Some fields are not valid."), errors=errors)

    def run(self, request, **kw):
        try:
            response = super().run(request, **kw)
        except BaseException:
            idempotency.release(request)
            raise
        response = idempotency.finish(request, response)
        if request.method == "HEAD" and isinstance(response, HttpResponse):  # not streamed
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class GuanxiPathView(PathView):
    def _sync_view(self, request, *args, **kwargs):
        return url_too_long(request) or super()._sync_view(request, *args, **kwargs)

    def _find_operation(self, request):
        method = "GET" if request.method == "HEAD" else request.method
        return next((op for op in self.operations if method in op.methods), None)

    def allowed_methods(self) -> list[str]:
        methods = {m for op in self.operations for m in op.methods}
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods)

    def _not_allowed(self):
        allowed = ", ".join(self.allowed_methods())
        resp = problem(
            405,
            _("This method is not allowed here."),
            _("Allowed methods: %(methods)s.") % {"methods": allowed},
        )
        resp["Allow"] = allowed
        return resp


class GuanxiAPI(NinjaAPI):
    def _get_bound_routers(self):
        routers = super()._get_bound_routers()
        for bound in routers:
            for path_view in bound.path_operations.values():
                if type(path_view) is PathView:
                    path_view.__class__ = GuanxiPathView
                for op in path_view.operations:
                    if type(op) is Operation:
                        op.__class__ = GuanxiOperation
                        cast(GuanxiOperation, op)._query_names = query_names(op)
                    elif not isinstance(op, GuanxiOperation):
                        raise ConfigError(f"{op.view_func.__name__}: async API operations are not supported")
        return routers

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs):
        """The OpenAPI document, built once per language (its descriptions are translated) and arguments: the
        operations are fixed once the routers are added, and building it takes seconds."""
        key = (get_language(), repr(sorted(kwargs.items())))
        cache = self.__dict__.setdefault("_openapi_documents", {})
        if key not in cache:
            cache[key] = document_problems(super().get_openapi_schema(**kwargs))
        return cache[key]
