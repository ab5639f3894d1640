"""The Forecast page: a year by month or quarter, per owner (as far as the user's scope reaches), with a bar
chart drawn on the server (SVG: no script, no inline style), each figure a link to the opportunities behind
it; and the targets page, where a manager sets the monthly targets of the reps of their team."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.models import Team
from guanxi.crm.forms import owners_for
from guanxi.crm.models import SalesTarget
from guanxi.crm.selectors import forecast as sel
from guanxi.crm.services.pipelines import require_manager
from guanxi.crm.services.targets import sales_targets_save
from guanxi.crm.views.common import can, error_text

CHART_H, BAR_W, GAP = 160, 12, 14


@dataclass
class Bar:
    x: int
    y: int
    h: int
    kind: str
    value: Decimal


def _int(value, default):
    try:
        n = int(value)
    except (TypeError, ValueError):
        return default
    return n if 0 < n < 2**53 else default


def _year(value) -> int:
    """The year asked for, or this year when it is missing or outside 1900–2200."""
    year = _int(value, None)
    return year if year is not None and 1900 <= year <= 2200 else timezone.localdate().year


def chart(f: sel.Forecast) -> dict:
    """Bars (won, commit, best case) and a target mark per period, scaled to the highest figure."""
    cells = f.total.cells
    top = max(
        [c.best_case for c in cells] + [c.won for c in cells] + [c.target for c in cells] + [Decimal(1)]
    )
    step = 3 * BAR_W + GAP
    bars, marks, labels = [], [], []
    for i, (p, c) in enumerate(zip(f.periods, cells, strict=True)):
        x0 = GAP + i * step
        for j, kind in enumerate(("won", "commit", "best_case")):
            value = getattr(c, kind)
            h = int(value * CHART_H / top)
            bars.append(Bar(x0 + j * BAR_W, CHART_H - h, h, kind, value))
        if c.target:
            y = CHART_H - int(c.target * CHART_H / top)
            marks.append({"x1": x0 - 2, "x2": x0 + 3 * BAR_W + 2, "y": y, "value": c.target})
        labels.append({"x": x0 + 3 * BAR_W // 2, "text": p.label})
    return {
        "bars": bars,
        "marks": marks,
        "labels": labels,
        "width": GAP + len(cells) * step,
        "height": CHART_H + 18,
    }


@login_required
def forecast_page(request):
    sel.require_reader(request.user)
    year = _int(request.GET.get("year"), timezone.localdate().year)  # out of range: the selector says so
    by = request.GET.get("by") or "quarter"
    owner = request.GET.get("owner", "")[:20]
    # A team id that cannot exist finds nothing (rather than everything).
    team = _int(request.GET.get("team"), -1) if request.GET.get("team") else None
    error, f = None, None
    try:
        f = sel.forecast(actor=request.user, year=year, by=by, owner=owner, team=team)
    except ValidationError as exc:
        error = error_text(exc)
    ctx = {
        "f": f,
        "chart": chart(f) if f else None,
        "year": year,
        "years": range(timezone.localdate().year - 3, timezone.localdate().year + 3),
        "by": by,
        "owner": owner,
        "team": team,
        "teams": Team.objects.order_by("name"),
        "error": error,
        "can": can(request.user),
        "nav": "forecast",
    }
    return render(request, "crm/forecast.html", ctx)


@login_required
def targets_page(request):
    require_manager(request.user)
    year = _year(request.GET.get("year") or request.POST.get("year"))
    reps = owners_for(request.user)
    months = range(1, 13)
    if request.method == "POST":
        entries = [
            {"owner": u.pk, "month": m, "amount": request.POST.get(f"t-{u.pk}-{m}", "").strip()}
            for u in reps
            for m in months
        ]
        try:
            changed = sales_targets_save(actor=request.user, year=year, entries=entries)
            messages.success(request, _("%(n)d targets changed.") % {"n": changed})
            return redirect(f"{request.path}?year={year}")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    have = {
        (t.owner_id, t.month.month): f"{t.amount.normalize():f}"
        for t in SalesTarget.objects.filter(owner__in=reps, month__year=year)
    }
    rows = [
        (
            u,
            [
                (m, request.POST.get(f"t-{u.pk}-{m}") if request.method == "POST" else have.get((u.pk, m)))
                for m in months
            ],
        )
        for u in reps
    ]
    ctx = {"rows": rows, "year": year, "months": months, "nav": "forecast"}
    return render(request, "crm/targets.html", ctx)
