"""RFC 9457 problem details for every API error, in the user's language."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from guanxi.core.api.parser import UnsupportedMediaTypeError
from guanxi.core.exceptions import GuanxiError

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] = []


def problem(status: int, title: str, detail: str | None = None, errors: list[dict] | None = None, **extra):
    body = {"type": "about:blank", "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    body["errors"] = errors or []
    body.update(extra)
    resp = JsonResponse(body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False})
    return resp


def too_large():
    return problem(413, _("The request body is too large."))


def field_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [{"field": k, "message": str(m)} for k, msgs in exc.message_dict.items() for m in msgs[:1]]
    return [{"field": "", "message": str(m)} for m in exc.messages]


def _loc(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts)


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def schema_error(request: HttpRequest, exc: NinjaValidationError):
        errors = [{"field": _loc(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
        return problem(422, _("Some fields are not valid."), errors=errors)

    @api.exception_handler(DjangoValidationError)
    def validation_error(request, exc):
        return problem(422, _("Some fields are not valid."), errors=field_errors(exc))

    @api.exception_handler(GuanxiError)
    def guanxi_error(request, exc: GuanxiError):
        extra = {}
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
        return problem(401, _("Sign in or send a valid API token."))

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
            return problem(
                400,
                _("The request body is not valid JSON."),
                errors=[{"field": "body", "message": str(cause)}],
            )
        return problem(exc.status_code, str(exc) or _("The request could not be completed."))

    @api.exception_handler(RequestDataTooBig)
    def body_too_large(request, exc):
        return too_large()

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("API error", exc_info=exc)
        return problem(500, _("Something went wrong on our side. It has been logged."))


def responses(*codes: int) -> dict:
    return {c: Problem for c in codes}


STD = (400, 401, 403, 404, 422)


IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Send the same key to retry a POST safely: the first response is replayed "
    "(with `Idempotent-Replayed: true`); the same key with a different body is refused with 422.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def document_problems(schema: dict) -> dict:
    """Say in the OpenAPI document what the API really sends: errors as problem+json, 413/415 for a
    body that is too large or not JSON, and the Idempotency-Key header on POSTs."""
    for path in schema.get("paths", {}).values():
        for method, op in path.items():
            responses_ = op.get("responses", {})
            if "requestBody" in op:
                problem_ref = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
                for code, text in ((413, "Content Too Large"), (415, "Unsupported Media Type")):
                    responses_.setdefault(code, {"description": text, "content": problem_ref})
            for code, resp in responses_.items():
                content = resp.get("content") or {}
                if int(code) >= 400 and "application/json" in content:
                    resp["content"] = {PROBLEM: content["application/json"]}
            if method == "post":
                params = op.setdefault("parameters", [])
                if not any(p.get("name") == IDEMPOTENCY_HEADER["name"] for p in params):
                    params.append(dict(IDEMPOTENCY_HEADER))
    return schema
