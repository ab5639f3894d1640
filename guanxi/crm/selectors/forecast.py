"""The sales forecast (销售预测) of a year, by month or quarter, per owner: won (closed in the period), commit,
best case (commit included), the open pipeline and its weighted amount (expected to close in the period;
"omitted" ones left out), against each rep's target. Amounts in the home currency at today's rates; a currency
without a rate is left out and named. Three GROUP BY queries whatever the number of opportunities.

Sales orders will add to "closed" when they exist (issue 7); today closed means won opportunities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.models import TeamMembership, User
from guanxi.core.money import round_money
from guanxi.core.selectors.exchange_rates import NoRateError, convert
from guanxi.crm.choices import ForecastCategory, OpportunityState
from guanxi.crm.models import SalesTarget
from guanxi.crm.selectors.opportunities import opportunity_visible, require_reader
from guanxi.crm.selectors.totals import home_currency

ZERO = Decimal(0)
MEASURES = ("won", "commit", "best_case", "pipeline", "weighted", "target")


@dataclass(frozen=True)
class Period:
    key: str  # "2026-03" or "2026-Q1": what the drill-down filters take
    label: str
    months: tuple[int, ...]


@dataclass
class Cell:
    won: Decimal = ZERO
    commit: Decimal = ZERO
    best_case: Decimal = ZERO
    pipeline: Decimal = ZERO
    weighted: Decimal = ZERO
    target: Decimal = ZERO
    count: int = 0  # open opportunities behind pipeline

    def add(self, other: Cell) -> None:
        for m in MEASURES:
            setattr(self, m, getattr(self, m) + getattr(other, m))
        self.count += other.count

    @property
    def attainment(self) -> int | None:
        """Won as a percentage of the target (None without a target)."""
        return int(self.won * 100 / self.target) if self.target else None


@dataclass
class Row:
    owner: User | None
    cells: list[Cell]
    total: Cell = field(default_factory=Cell)


@dataclass
class Forecast:
    year: int
    by: str
    currency: str
    periods: list[Period]
    rows: list[Row]
    total: Row
    missing_rates: list[str]


def periods_of(year: int, by: str) -> list[Period]:
    if by == "quarter":
        return [Period(f"{year}-Q{q}", f"Q{q}", tuple(range(3 * q - 2, 3 * q + 1))) for q in range(1, 5)]
    return [Period(f"{year}-{m:02d}", f"{m}", (m,)) for m in range(1, 13)]


def _rates(codes: set[str], currency: str, missing: list[str]) -> dict[str, Decimal]:
    today, out = timezone.localdate(), {}
    for code in codes:
        try:
            out[code] = convert(1, code, currency, on=today, via="CNY").rate
        except NoRateError:
            missing.append(code)
    return out


def forecast(*, actor, year: int, by: str = "month", owner: str = "", team: int | None = None) -> Forecast:
    require_reader(actor)
    if by not in ("month", "quarter"):
        raise ValidationError({"by": _("Choose month or quarter.")})
    if not 1900 <= year <= 2200:
        raise ValidationError({"year": _("Enter a year between 1900 and 2200.")})
    qs = opportunity_visible(actor=actor)
    owner_ids: set[int] | None = None
    if owner == "me":
        owner_ids = {actor.pk}
    elif owner:
        try:
            wanted = int(owner)
        except ValueError as exc:
            raise ValidationError({"owner": _("Choose a user.")}) from exc
        if not 0 < wanted < 2**53:
            raise ValidationError({"owner": _("Choose a user.")})
        owner_ids = {wanted}
    if owner_ids is not None:
        qs = qs.filter(owner_id__in=owner_ids)
    if team:
        qs = qs.filter(team_id=team)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    weighted_x100 = ExpressionWrapper(F("amount") * F("probability"), output_field=DecimalField())
    open_rows: list[Any] = list(
        qs.filter(state=OpportunityState.OPEN, expected_close__range=(first, last))
        .exclude(forecast_category=ForecastCategory.OMITTED)
        .annotate(m=TruncMonth("expected_close"))
        .values("owner_id", "m", "forecast_category", "currency_id")
        .annotate(n=Count("id"), total=Sum("amount"), wx100=Sum(weighted_x100))
        .order_by()
    )
    won_rows: list[Any] = list(
        qs.filter(state=OpportunityState.WON, closed_on__range=(first, last))
        .annotate(m=TruncMonth("closed_on"))
        .values("owner_id", "m", "currency_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    targets = SalesTarget.objects.filter(month__range=(first, last))
    if owner_ids is not None:
        targets = targets.filter(owner_id__in=owner_ids)
    elif team:
        targets = targets.filter(owner_id__in=TeamMembership.objects.filter(team_id=team).values("user_id"))
    reach = target_owners_in_reach(actor)
    target_rows = [
        t
        for t in targets.values("owner_id", "month", "amount", "currency_id")
        if reach is None or t["owner_id"] in reach
    ]

    currency, missing = home_currency(), list[str]()
    codes = {r["currency_id"] for r in (*open_rows, *won_rows, *target_rows)}
    rates = _rates(codes, currency, missing)
    periods = periods_of(year, by)
    index = {m: i for i, p in enumerate(periods) for m in p.months}
    cells: dict[int | None, list[Cell]] = {}

    def cell(owner_id, month) -> Cell | None:
        row = cells.setdefault(owner_id, [Cell() for _p in periods])
        return row[index[month.month]] if month is not None else None

    def money(value, code) -> Decimal:
        return (value or ZERO) * rates[code] if code in rates else ZERO

    for r in open_rows:
        c = cell(r["owner_id"], r["m"])
        if c is None:
            continue
        amount = money(r["total"], r["currency_id"])
        c.pipeline += amount
        c.weighted += money(r["wx100"], r["currency_id"]) / 100
        c.count += r["n"]
        if r["forecast_category"] in (ForecastCategory.COMMIT, ForecastCategory.BEST_CASE):
            c.best_case += amount
        if r["forecast_category"] == ForecastCategory.COMMIT:
            c.commit += amount
    for r in won_rows:
        c = cell(r["owner_id"], r["m"])
        if c is not None:
            c.won += money(r["total"], r["currency_id"])
    for t in target_rows:
        c = cell(t["owner_id"], t["month"])
        if c is not None:
            c.target += money(t["amount"], t["currency_id"])
    users = {u.pk: u for u in User.objects.filter(pk__in=[k for k in cells if k is not None])}
    rows = []
    for owner_id, row_cells in cells.items():
        for c in row_cells:
            for m in MEASURES:
                setattr(c, m, round_money(getattr(c, m), currency))
        row = Row(users.get(owner_id) if owner_id else None, row_cells)
        for c in row_cells:
            row.total.add(c)
        rows.append(row)
    rows.sort(key=lambda r: (r.owner is None, str(r.owner or "")))
    total = Row(None, [Cell() for _p in periods])
    for row in rows:
        for i, c in enumerate(row.cells):
            total.cells[i].add(c)
        total.total.add(row.total)
    return Forecast(year, by, currency, periods, rows, total, sorted(set(missing)))


def target_owners_in_reach(actor) -> set[int] | None:
    """Whose targets the actor may read: none but their own, their teams' members, or everyone's."""
    from guanxi.core.roles import Scope, grants_for
    from guanxi.core.selectors.users import team_ids_of
    from guanxi.crm.permissions import AREA

    scope = grants_for(actor).reaches(AREA, mode="view")
    if scope >= Scope.ALL:
        return None
    ids = {actor.pk}
    teams = team_ids_of(actor)
    if scope >= Scope.TEAM and teams:
        ids |= set(TeamMembership.objects.filter(team_id__in=teams).values_list("user_id", flat=True))
    return ids
