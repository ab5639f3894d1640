"""Idempotency-Key on API POSTs: a retried request gets the first answer back, never a second record.

Part of the API layer (guanxi.core.api.operations), not a middleware: it runs after the operation's own
authentication and authorization (token valid, token scope allows the method, session + CSRF), so a
stored answer is only replayed to a caller the operation itself would serve. Keys are kept per user.

1. `claim()`, before the operation: reserve the key in its own committed transaction, a row "in progress"
   with the request's fingerprint (method, path, body). A concurrent or later duplicate finds that row:
   409 "in progress" (with Retry-After) while the first still runs, the stored answer once it is done,
   and 422 when the same key came with a different request.
2. The operation runs.
3. `finish()`: keep the answer, or let go of the key (delete the reservation) after a 5xx, an exception
   or a 401/403, so that a retry is carried out.

Keys are kept for settings.IDEMPOTENCY_KEY_HOURS; a periodic job (and `guanxi manage purge_idempotency_keys`)
drops older ones, and an expired key still in the table counts as unused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.api.errors import PROBLEM, problem, too_large
from guanxi.core.models import IdempotencyRecord
from guanxi.core.services.idempotency import idempotency_keys_purge, key_lifetime

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEY_PATTERN = "^[!-~]{1,255}$"  # 1 to 255 visible ASCII characters: what the OpenAPI document says
_KEY = re.compile(r"[!-~]{1,255}")
RETRY_AFTER_SECONDS = 1
# A reservation still "in progress" after this long was left by a worker that was killed (the server's
# request timeout is 60 s): a retry may then take the key over instead of waiting for it to expire.
ABANDONED_AFTER = timedelta(minutes=5)
_RESERVED = "_guanxi_idempotency_record"
State = IdempotencyRecord.State


def purge_expired(*, now=None) -> int:
    """Delete the keys older than their lifetime; returns how many (the periodic job's service)."""
    return idempotency_keys_purge(now=now)


def _keyed():
    """HMAC-SHA256 under a key derived from SECRET_KEY: a plain hash stored beside the Idempotency-Key would let
    whoever reads the database confirm a guessed body — a sealed quote's prices, say — offline."""
    key = hashlib.sha256(b"guanxi.idempotency-fingerprint\0" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def body_fingerprint(method: str, path: str, body: bytes) -> str:
    """What a record keeps of a request with a plain body (JSON): a keyed hash of method, path and body."""
    digest = _keyed()
    digest.update(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _fingerprint(request) -> str:
    if request.content_type != "multipart/form-data":
        return body_fingerprint(request.method, request.path, request.body)
    # An upload: its files may be far larger than what Django reads into memory (and a session's CSRF check
    # has parsed the body already), so the parsed fields and files are what is compared.
    digest = _keyed()
    digest.update(f"{request.method} {request.path}\n".encode())
    for key, values in sorted(request.POST.lists()):
        digest.update(json.dumps(["field", key, values]).encode())
    for key, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(json.dumps(["file", key, upload.name, upload.size]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
    return digest.hexdigest()


def _in_progress() -> HttpResponse:
    resp = problem(
        409,
        _("A request with this Idempotency-Key is still in progress."),
        _("Retry shortly: you will get its response."),
    )
    resp["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return resp


def _replay(record: IdempotencyRecord) -> HttpResponse:
    status = record.status_code or 200
    ctype = record.content_type or (PROBLEM if status >= 400 else "application/json")
    resp = HttpResponse(bytes(record.body), status=status, content_type=ctype)
    resp["Idempotent-Replayed"] = "true"
    return resp


def _reserve(user, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """The new reservation, committed at once (its own transaction); None if the key is taken."""
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=user, key=key, fingerprint=fingerprint, state=State.IN_PROGRESS
            )
    except IntegrityError:
        return None


def _take_over(record: IdempotencyRecord, now) -> bool:
    """Claim an abandoned reservation; only one of several concurrent retries succeeds."""
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, state=State.IN_PROGRESS, created_at=record.created_at
    ).update(created_at=now)
    record.created_at = now
    return taken == 1


def claim(request) -> HttpResponse | None:
    """Called once the caller is authenticated and authorized. None: go ahead (the key, if any, is now
    reserved for this request); otherwise the answer to send instead of running the operation."""
    if request.method != "POST" or HEADER not in request.headers:
        return None
    key = request.headers[HEADER].strip(" \t")
    if not _KEY.fullmatch(key):
        return problem(
            400, _("The Idempotency-Key header must be 1 to 255 visible ASCII characters, without spaces.")
        )
    user = getattr(request, "auth", None)
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        fingerprint = _fingerprint(request)
    except RequestDataTooBig:
        return too_large()
    except MultiPartParserError:  # e.g. multipart/form-data without a boundary: a bad request, not a 500
        return problem(400, _("The request body could not be read as multipart/form-data."))
    for _attempt in range(3):
        record = _reserve(user, key, fingerprint)
        if record is not None:
            setattr(request, _RESERVED, record)
            return None
        found = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if found is None:
            continue  # the first request failed and let go of the key in between: reserve again
        now = timezone.now()
        if found.created_at < now - key_lifetime():
            IdempotencyRecord.objects.filter(pk=found.pk, created_at__lt=now - key_lifetime()).delete()
            continue  # expired (not purged yet): the key is free again
        if found.fingerprint != fingerprint:
            return problem(422, _("This Idempotency-Key was already used for a different request."))
        if found.state == State.DONE:
            return _replay(found)
        if found.created_at < now - ABANDONED_AFTER and _take_over(found, now):
            setattr(request, _RESERVED, found)
            return None
        return _in_progress()
    return _in_progress()


def release(request) -> None:
    """Let go of this request's reservation (the operation failed): a retry will be carried out."""
    record = request.__dict__.pop(_RESERVED, None)
    if record is None:
        return
    try:
        IdempotencyRecord.objects.filter(pk=record.pk, state=State.IN_PROGRESS).delete()
    except DatabaseError:  # the database is why the request failed; the reservation expires on its own
        log.exception("Could not release the Idempotency-Key %r", record.key)


def finish(request, response: HttpResponseBase) -> HttpResponseBase:
    """Keep the answer of the request that holds the key, for retries to get. Not kept: server errors,
    and refusals of the credentials or permissions (401/403), which did nothing and may be retried."""
    record = request.__dict__.get(_RESERVED)
    if record is None:
        return response
    # A streamed answer (StreamingHttpResponse: not an HttpResponse) has no content to keep either.
    if (
        response.status_code >= 500
        or response.status_code in (401, 403)
        or not isinstance(response, HttpResponse)
    ):
        release(request)
        return response
    request.__dict__.pop(_RESERVED)
    IdempotencyRecord.objects.filter(pk=record.pk, state=State.IN_PROGRESS).update(
        state=State.DONE,
        status_code=response.status_code,
        content_type=response.get("Content-Type", "")[:100],
        body=response.content,
    )
    return response
