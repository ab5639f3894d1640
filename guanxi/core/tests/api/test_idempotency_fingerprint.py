"""What an Idempotency-Key record keeps of the request is a keyed hash: a plain SHA-256 of the body stored in the
database would let whoever reads it confirm a guessed body offline (a sealed quote's prices, say)."""

import hashlib
import json

import pytest

from guanxi.core.models import IdempotencyRecord
from guanxi.core.tests.api.helpers import ok

pytestmark = pytest.mark.django_db


def test_the_stored_fingerprint_is_not_a_plain_hash_of_the_body(api, settings):
    body = {"name": "VIP"}
    ok(api.post("/tags", body, headers={"Idempotency-Key": "fp-1"}), 201)
    record = IdempotencyRecord.objects.get(key="fp-1")
    raw = json.dumps(body).encode()
    for plain in (hashlib.sha256(raw), hashlib.sha256(b"POST /api/v1/tags\n" + raw)):
        assert record.fingerprint != plain.hexdigest()
    # The same request under the same key is still recognised (a replay), another body is not.
    assert api.post("/tags", body, headers={"Idempotency-Key": "fp-1"}).status_code == 201
    assert api.post("/tags", {"name": "Other"}, headers={"Idempotency-Key": "fp-1"}).status_code == 422
