"""The kanban board of one pipeline: a column per open stage with its first cards and its totals (count,
amount, weighted amount in the home currency), with badges for opportunities that have no next activity or
have not moved for the pipeline's number of days. Won and lost are drop zones, not columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils import timezone

from guanxi.activities.selectors.activities import records_with_open_activities
from guanxi.core.exceptions import NotFoundError
from guanxi.crm.choices import StageKind
from guanxi.crm.models import Opportunity, Pipeline, Stage
from guanxi.crm.selectors.opportunities import (
    OpportunityFilters,
    opportunity_list,
    opportunity_rows,
    require_reader,
)
from guanxi.crm.selectors.summaries import per_currency
from guanxi.crm.selectors.totals import Total, home_currency, in_one_currency

CARDS_PER_COLUMN = 30


@dataclass
class Column:
    stage: Stage
    cards: list[Opportunity]
    total: Total

    @property
    def more(self) -> int:
        return max(0, self.total.count - len(self.cards))


@dataclass
class Board:
    pipeline: Pipeline
    columns: list[Column]
    won: Stage | None
    lost: Stage | None
    total: Total


def pipelines_in_use():
    return Pipeline.objects.filter(archived_at__isnull=True).order_by("position", "id")


def pipeline_get(pk) -> Pipeline:
    try:
        return pipelines_in_use().get(pk=int(pk))
    except (Pipeline.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError() from exc


def mark_warnings(cards: list[Opportunity], pipeline: Pipeline, now: dt.datetime | None = None) -> None:
    """Set `no_next_activity` and `not_moving` on open opportunities (one query for all cards)."""
    now = now or timezone.now()
    open_cards = [o for o in cards if o.state == StageKind.OPEN]
    planned = records_with_open_activities(
        record_type="crm.opportunity", record_ids=[o.pk for o in open_cards]
    )
    stale_before = now - dt.timedelta(days=pipeline.stale_after_days)
    for o in open_cards:
        o.no_next_activity = o.pk not in planned
        o.not_moving = o.stage_changed_at < stale_before


def board(
    *, actor, pipeline: Pipeline, filters: OpportunityFilters, per_column: int = CARDS_PER_COLUMN
) -> Board:
    require_reader(actor)
    filters = replace(filters, pipeline=pipeline.pk, state="", stage=None, sort="")
    qs = opportunity_list(actor=actor, filters=filters)
    stages = list(pipeline.stages.filter(archived_at__isnull=True).order_by("position", "id"))
    sums: dict[int, list] = {}
    for stage_id, *row in per_currency(qs, "stage_id"):
        sums.setdefault(stage_id, []).append(row)
    currency = home_currency()
    columns, cards = [], []
    for stage in (s for s in stages if s.kind == StageKind.OPEN):
        column_cards = list(opportunity_rows(qs.filter(stage=stage))[:per_column]) if stage.pk in sums else []
        cards += column_cards
        columns.append(Column(stage, column_cards, in_one_currency(sums.get(stage.pk, []), currency)))
    mark_warnings(cards, pipeline)
    every = [row for rows in sums.values() for row in rows]
    return Board(
        pipeline=pipeline,
        columns=columns,
        won=next((s for s in stages if s.kind == StageKind.WON), None),
        lost=next((s for s in stages if s.kind == StageKind.LOST), None),
        total=in_one_currency(every, currency),
    )
