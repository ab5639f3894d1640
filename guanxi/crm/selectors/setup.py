"""Reads of the sales set-up: pipelines in use with their stages, lost reasons."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from guanxi.crm.models import LostReason, Pipeline, Stage
from guanxi.crm.selectors.opportunities import require_reader


def pipeline_list(*, actor, include_archived: bool = False) -> QuerySet[Pipeline]:
    """Pipelines (in use unless asked), each with `active_stages` in order (one extra query)."""
    require_reader(actor)
    qs = Pipeline.objects.all() if include_archived else Pipeline.objects.filter(archived_at__isnull=True)
    return qs.order_by("position", "id").prefetch_related(
        Prefetch(
            "stages",
            queryset=Stage.objects.filter(archived_at__isnull=True).order_by("position", "id"),
            to_attr="active_stages",
        )
    )


def lost_reason_list(*, actor, include_archived: bool = False) -> QuerySet[LostReason]:
    require_reader(actor)
    qs = LostReason.objects.all() if include_archived else LostReason.objects.filter(archived_at__isnull=True)
    return qs.order_by("position", "id")
