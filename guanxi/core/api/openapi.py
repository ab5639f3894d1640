"""The OpenAPI document says what the API really does: errors as problem+json, the answers every operation
may give (400, 401, 414 for a URL too long, 422 for an unknown query parameter), 409/413/415 on POSTs
with a body, and the Idempotency-Key header exactly as the server accepts it."""

from __future__ import annotations

from django.conf import settings

from guanxi.core.api.errors import PROBLEM
from guanxi.core.api.idempotency import KEY_PATTERN, RETRY_AFTER_SECONDS

PROBLEM_REF = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    409: "Conflict",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
}


def idempotency_header() -> dict:
    hours = settings.IDEMPOTENCY_KEY_HOURS
    return {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": (
            "Send a new key (1 to 255 visible ASCII characters, no spaces; a UUID is a good choice) to "
            f"make a POST safe to retry. Keys are kept per user for {hours} hours. A retry with the same "
            "key, path and body gets the first response again, with `Idempotent-Replayed: true`; while "
            f"the first request is still running it gets 409 with `Retry-After: {RETRY_AFTER_SECONDS}`. "
            "The same key with another path or body is refused with 422. A request refused for its "
            "credentials or permissions (401, 403), a malformed one (400, 413, 415) and one that failed "
            "on the server (5xx) do not keep the key: retrying it is carried out. Answered only after "
            "the caller is authenticated and authorized, like the operation itself."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
    }


def _ensure(responses: dict, code: int) -> None:
    if str(code) not in responses and code not in responses:
        responses[code] = {"description": TEXT[code], "content": PROBLEM_REF}


def document_problems(schema: dict) -> dict:
    header = idempotency_header()
    for path in schema.get("paths", {}).values():
        for method, op in path.items():
            responses = op.setdefault("responses", {})
            params = op.setdefault("parameters", [])
            for code in (400, 401, 414, 422):
                _ensure(responses, code)
            if "requestBody" in op:
                _ensure(responses, 413)
                _ensure(responses, 415)
            for code, resp in responses.items():
                content = resp.get("content") or {}
                if int(code) >= 400 and "application/json" in content:
                    resp["content"] = {PROBLEM: content["application/json"]}
            if method == "post":
                _ensure(responses, 409)
                if not any(p.get("name") == header["name"] for p in params):
                    params.append(dict(header))
            if not params:
                del op["parameters"]
    return schema
