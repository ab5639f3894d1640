"""Idempotency-Key on API POSTs: a retried request gets the first response back, not a second record.

A middleware (not a view decorator) so it sees the final response. The key is kept per user:
the session user, or the owner of the Bearer token.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from guanxi.core.api.errors import PROBLEM, problem, too_large
from guanxi.core.models import IdempotencyRecord
from guanxi.core.services.tokens import token_authenticate


def _acting_user(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        token = token_authenticate(header[7:].strip())
        return token.user if token else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > 255 or not key.isprintable():
            return problem(400, _("The Idempotency-Key header must be 1 to 255 printable characters."))
        user = _acting_user(request)
        if user is None:
            return self.get_response(request)
        try:
            payload = request.body
        except RequestDataTooBig:
            return too_large()
        digest = hashlib.sha256(request.path.encode() + b"\n" + payload).hexdigest()
        found = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if found is not None:
            if found.fingerprint != digest:
                return problem(422, _("This Idempotency-Key was already used for a different request."))
            ctype = PROBLEM if found.status_code >= 400 else "application/json"
            resp = HttpResponse(bytes(found.body), status=found.status_code, content_type=ctype)
            resp["Idempotent-Replayed"] = "true"
            return resp
        response = self.get_response(request)
        # Not kept: server errors, and refusals before the operation ran (credentials, CSRF), so a
        # retry after fixing those is carried out rather than answered with the old refusal.
        if response.status_code < 500 and response.status_code not in (401, 403) and not response.streaming:
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        fingerprint=digest,
                        status_code=response.status_code,
                        body=response.content,
                    )
            except IntegrityError:
                pass  # a concurrent retry stored it first; both responses describe the same outcome
        return response
