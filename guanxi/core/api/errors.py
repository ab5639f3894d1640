"""RFC 9457 problem details for every API error, in the user's language."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from guanxi.core.api.messages import field_message
from guanxi.core.api.parser import UnsupportedMediaTypeError
from guanxi.core.exceptions import GuanxiError

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"
WWW_AUTHENTICATE = 'Bearer realm="guanxi"'


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] = []


def problem(
    status: int,
    title: StrOrPromise,
    detail: StrOrPromise | None = None,
    errors: list[dict] | None = None,
    **extra,
):
    body = {"type": "about:blank", "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    body["errors"] = errors or []
    body.update(extra)
    resp = JsonResponse(body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False})
    return resp


def too_large():
    return problem(413, _("The request body is too large."))


def unauthorized():
    resp = problem(401, _("Sign in or send a valid API token."))
    resp["WWW-Authenticate"] = WWW_AUTHENTICATE
    return resp


def csrf_problem(reason: str = ""):
    """Django's CSRF refusal as a problem, with its English reason said in the caller's language."""
    if reason.startswith("Origin checking failed"):
        detail = _("The request's Origin is not a trusted origin of this site.")
    elif reason.startswith("Referer checking failed"):
        detail = _("The request's Referer is missing or is not a trusted origin of this site.")
    elif reason == csrf.REASON_NO_CSRF_COOKIE:
        detail = _("The CSRF cookie is not set: load a page of this site first.")
    elif reason == csrf.REASON_CSRF_TOKEN_MISSING:
        detail = _("The CSRF token is missing: send the csrftoken cookie's value in the X-CSRFToken header.")
    else:
        detail = _(
            "The CSRF token is not valid: send the csrftoken cookie's value in the X-CSRFToken header."
        )
    return problem(403, _("CSRF check failed."), detail)


class ProblemResponse(Exception):  # noqa: N818  (not an error of ours: an answer already made)
    """Raised where only an exception can leave (an auth callback) to answer with a ready response."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response
        super().__init__(response.status_code)


def field_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [{"field": k, "message": str(m)} for k, msgs in exc.message_dict.items() for m in msgs[:1]]
    return [{"field": "", "message": str(m)} for m in exc.messages]


def _loc(loc) -> str:
    if loc and loc[0] in ("file", "form"):  # a multipart upload's fields: ("file", "file") is `file`
        loc = loc[1:]
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    if not parts and loc and loc[0] == "body":
        return "body"  # the body as a whole (e.g. a list where an object is expected)
    return ".".join(parts)


def _json_error(cause: Exception) -> str:
    if isinstance(cause, json.JSONDecodeError):
        return _("Invalid JSON at line %(line)d, column %(column)d.") % {
            "line": cause.lineno,
            "column": cause.colno,
        }
    if isinstance(cause, UnicodeDecodeError):
        return _("The body is not UTF-8 text.")
    if isinstance(cause, RecursionError):
        return _("The JSON is nested too deeply.")
    return _("The body could not be read as JSON.")


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def schema_error(request: HttpRequest, exc: NinjaValidationError):
        errors = [{"field": _loc(e.get("loc", [])), "message": field_message(e)} for e in exc.errors]
        return problem(422, _("Some fields are not valid."), errors=errors)

    @api.exception_handler(DjangoValidationError)
    def validation_error(request, exc):
        return problem(422, _("Some fields are not valid."), errors=field_errors(exc))

    @api.exception_handler(GuanxiError)
    def guanxi_error(request, exc: GuanxiError):
        after = getattr(exc, "after_rollback", None)
        if callable(after):  # an error that leaves a trace once its transaction is rolled back
            after()
        extra: dict[str, Any] = {}  # more members of the problem document
        hits = getattr(exc, "hits", None)
        if hits:
            # A duplicate the caller may not see is told only by its owner: no id, no name.
            extra["duplicates"] = [
                {
                    **({"id": h.party.pk, "name": h.party.name} if getattr(h, "visible", True) else {}),
                    "reason": str(h.reason),
                    "owner": str(getattr(h, "owner", "")),
                }
                for h in hits
            ]
        return problem(exc.status, exc.message, **extra)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return unauthorized()

    @api.exception_handler(ProblemResponse)
    def ready_response(request, exc: ProblemResponse):
        return exc.response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(404, _("Not found."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        cause = exc.__cause__  # ninja wraps what the body parser raised in a plain 400
        if isinstance(cause, UnsupportedMediaTypeError):
            message = _("Send the body as JSON, with Content-Type: application/json.")
            return problem(415, _("Unsupported media type."), errors=[{"field": "body", "message": message}])
        if isinstance(cause, (ValueError, RecursionError)):  # JSONDecodeError, UnicodeDecodeError
            message = _json_error(cause)
            return problem(
                400, _("The request body is not valid JSON."), errors=[{"field": "body", "message": message}]
            )
        return problem(exc.status_code, str(exc) or _("The request could not be completed."))

    @api.exception_handler(RequestDataTooBig)
    def body_too_large(request, exc):
        return too_large()

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):  # e.g. more query parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS
        return problem(400, _("The request could not be read."))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("API error", exc_info=exc)
        return problem(500, _("Something went wrong on our side. It has been logged."))


def responses(*codes: int) -> dict:
    return {c: Problem for c in codes}


STD = (400, 401, 403, 404, 422)
