"""Expired API Idempotency-Keys (guanxi.core.api.idempotency keeps them): a periodic job deletes them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from guanxi.core.models import IdempotencyRecord


def key_lifetime() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def idempotency_keys_purge(*, now=None) -> int:
    """Delete the keys older than their lifetime; returns how many. Safe to run at any time."""
    cutoff = (now or timezone.now()) - key_lifetime()
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
