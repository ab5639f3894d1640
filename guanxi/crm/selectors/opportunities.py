"""Reads of opportunities, permission-scoped: a user reaches those of the "customers" area by owner and team
(own / team / all, as customers), and those where they are a team member (协作人)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import TeamMembership
from guanxi.core.roles import Scope, grants_for
from guanxi.core.selectors.record_rules import NOTHING
from guanxi.core.selectors.users import team_ids_of
from guanxi.crm.choices import ForecastCategory, OpportunityState
from guanxi.crm.models import Opportunity
from guanxi.crm.permissions import AREA, Action


def require_reader(actor) -> None:
    if not grants_for(actor).can(Action.OPPORTUNITY_VIEW):
        raise PermissionDeniedError()


def reach_q(actor, *, mode: str = "view") -> Q | None:
    """The opportunities `actor` may see (mode="view") or change ("edit"); None: all of them.

    Own / team / all as customers (guanxi.core.selectors.record_rules), plus those where the actor is a team
    member (协作人). The ids (the actor's teams, their members, the opportunities the actor is a member of) are
    read first, as short lists: `owner_id IN (…) OR team_id IN (…) OR id IN (…)` lets PostgreSQL combine three
    index scans, where the same rule with sub-queries read every open opportunity (130 ms at 70k open)."""
    scope = grants_for(actor).reaches(AREA, mode=mode)
    if scope >= Scope.ALL:
        return None
    if scope <= Scope.NONE or not getattr(actor, "pk", None):
        return NOTHING
    team_ids = team_ids_of(actor)
    owners = {actor.pk}
    if team_ids and scope >= Scope.TEAM:
        owners |= set(TeamMembership.objects.filter(team_id__in=team_ids).values_list("user_id", flat=True))
    q = Q(owner_id__in=sorted(owners))
    if team_ids:
        q |= Q(team_id__in=team_ids)
    member_of = list(
        Opportunity.members.through.objects.filter(user_id=actor.pk).values_list("opportunity_id", flat=True)
    )
    return q | Q(pk__in=member_of) if member_of else q


def opportunity_visible(*, actor, mode: str = "view") -> QuerySet[Opportunity]:
    if not grants_for(actor).can(Action.OPPORTUNITY_VIEW if mode == "view" else Action.OPPORTUNITY_CHANGE):
        return Opportunity.objects.none()
    q = reach_q(actor, mode=mode)
    return Opportunity.objects.all() if q is None else Opportunity.objects.filter(q)


def opportunity_get(*, actor, pk, mode: str = "view") -> Opportunity:
    """One opportunity the actor may see (or change): 404 when invisible, 403 when only visible."""
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < pk < 2**63:
        raise NotFoundError()
    row = (
        opportunity_visible(actor=actor, mode=mode)
        .select_related("customer", "pipeline", "stage", "owner", "team", "currency", "lost_reason")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        if mode == "edit" and opportunity_visible(actor=actor).filter(pk=pk).exists():
            raise PermissionDeniedError(_("You may see this opportunity but not change it."))
        raise NotFoundError()
    return row


def can_change(*, actor, opportunity: Opportunity) -> bool:
    return opportunity_visible(actor=actor, mode="edit").filter(pk=opportunity.pk).exists()


@dataclass(frozen=True)
class OpportunityFilters:
    pipeline: int | None = None
    stage: int | None = None
    state: str = ""  # "" = open; "won", "lost", "closed", "all"
    owner: str = ""  # "" = anyone visible, "me", or a user id
    team: int | None = None
    close_month: str = ""  # expected to close in "2026-12" or "2026-Q4"
    closed_in: str = ""  # closed (won or lost) in "2026-12" or "2026-Q4"
    category: str = ""  # forecast category; "best_case" includes commit
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    customer: int | None = None
    q: str = ""
    sort: str = ""


SORTS = {
    "": ["expected_close", "id"],
    "close": ["expected_close", "id"],
    "-close": ["-expected_close", "-id"],
    "-updated": ["-updated_at", "-id"],
    "name": ["name", "id"],
}


def month_range(value: str, field: str = "close_month") -> tuple[dt.date, dt.date]:
    """ "2026-12" → (1 Dec, 31 Dec), "2026-Q4" → (1 Oct, 31 Dec); a ValidationError on `field` otherwise."""
    try:
        year_text, part = value.split("-")
        year = int(year_text)
        if part.upper().startswith("Q"):
            quarter = int(part[1:])
            if not 1 <= quarter <= 4:
                raise ValueError
            first, last_month = dt.date(year, 3 * quarter - 2, 1), 3 * quarter
        else:
            first = dt.date(year, int(part), 1)
            last_month = first.month
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: _("Give a month as YYYY-MM or a quarter as YYYY-Q1.")}) from exc
    return first, dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def parse_amount(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not d.is_finite() or d < 0 or d >= 10**13:
        raise ValidationError({field: _("Enter an amount from 0 up to 10,000,000,000,000.")})
    return d


def opportunity_list(*, actor, filters: OpportunityFilters) -> QuerySet[Opportunity]:
    require_reader(actor)
    qs = opportunity_visible(actor=actor)
    f = filters
    if f.pipeline:
        qs = qs.filter(pipeline_id=f.pipeline)
    if f.stage:
        qs = qs.filter(stage_id=f.stage)
    states = {
        "": [OpportunityState.OPEN],
        "won": [OpportunityState.WON],
        "lost": [OpportunityState.LOST],
        "closed": [OpportunityState.WON, OpportunityState.LOST],
    }
    if f.state != "all":
        if f.state not in states:
            raise ValidationError({"state": _("Choose open, won, lost, closed or all.")})
        qs = qs.filter(state__in=states[f.state])
    if f.owner == "me":
        qs = qs.filter(owner_id=actor.pk)
    elif f.owner:
        try:
            owner = int(f.owner)
        except ValueError as exc:
            raise ValidationError({"owner": _("Choose a user.")}) from exc
        if not 0 < owner < 2**53:
            raise ValidationError({"owner": _("Choose a user.")})
        qs = qs.filter(owner_id=owner)
    if f.team:
        qs = qs.filter(team_id=f.team)
    if f.close_month:
        first, last = month_range(f.close_month)
        qs = qs.filter(expected_close__range=(first, last))
    if f.closed_in:
        first, last = month_range(f.closed_in, "closed_in")
        qs = qs.filter(closed_on__range=(first, last))
    if f.category == "forecast":  # what the forecast's pipeline counts: every category but omitted
        qs = qs.exclude(forecast_category=ForecastCategory.OMITTED)
    elif f.category:
        if f.category not in ForecastCategory.values:
            raise ValidationError({"category": _("Choose a forecast category from the list.")})
        wanted = (
            [f.category, ForecastCategory.COMMIT]
            if f.category == ForecastCategory.BEST_CASE
            else [f.category]
        )
        qs = qs.filter(forecast_category__in=wanted)
    if f.amount_min is not None:
        qs = qs.filter(amount__gte=f.amount_min)
    if f.amount_max is not None:
        qs = qs.filter(amount__lte=f.amount_max)
    if f.customer:
        qs = qs.filter(customer_id=f.customer)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(customer__name__icontains=f.q))
    if f.sort not in SORTS:
        raise ValidationError({"sort": _("Unknown sort order.")})
    return qs.order_by(*SORTS[f.sort])


def ordering_of(filters: OpportunityFilters) -> list[str]:
    return SORTS.get(filters.sort, SORTS[""])


def opportunity_rows(qs: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """What a list row or a card shows, in one query."""
    return qs.select_related("customer", "stage", "owner", "currency").only(
        "name",
        "amount",
        "currency_id",
        "currency__code",
        "currency__decimal_places",
        "expected_close",
        "probability",
        "state",
        "stage_changed_at",
        "version",
        "pipeline_id",
        "stage__name_en",
        "stage__name_zh",
        "stage__kind",
        "customer__name",
        "customer__kind",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
        "updated_at",
    )
