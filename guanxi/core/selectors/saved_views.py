"""Saved views a user may use: their own, and those shared with a team they are in."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guanxi.core.exceptions import NotFoundError
from guanxi.core.models import SavedView, TeamMembership


def saved_views_for(*, actor, list_key: str | None = None) -> QuerySet[SavedView]:
    if not actor.is_authenticated:
        return SavedView.objects.none()
    teams = TeamMembership.objects.filter(user=actor).values("team_id")  # a subquery: one query in all
    qs = SavedView.objects.filter(Q(owner=actor) | Q(team_id__in=teams)).select_related("owner", "team")
    return qs if list_key is None else qs.filter(list_key=list_key)


def saved_view_get(*, actor, pk) -> SavedView:
    try:
        return saved_views_for(actor=actor).get(pk=int(pk))
    except (TypeError, ValueError, SavedView.DoesNotExist) as exc:
        raise NotFoundError() from exc
