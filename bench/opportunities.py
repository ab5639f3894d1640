"""The pipeline board benchmark: fill a database with opportunities and time the board (selector and the
rendered partial, as the page sends it) for a Sales Manager whose team holds N open opportunities in one
pipeline, and a card move (the service call behind a drop).

Run by hand, never from the test suite (see docs/benchmarks.md):

    createdb -h 127.0.0.1 -U postgres guanxi_bench_crm
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench_crm .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench_crm .venv/bin/python bench/opportunities.py \
        --organizations 20000 --opportunities 200000 --team-open 10000

Rows go in with bulk_create (no audit entries: a benchmark data set, not user data); then ANALYZE. The board
is timed in this process, one client at a time (the 10-client figures need bench/run.py scenarios: not yet).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def _fill(orgs: int, opportunities: int, team_open: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from guanxi.core import roles
    from guanxi.core.models import Team, TeamMembership, User
    from guanxi.crm.models import LostReason, Opportunity, Pipeline
    from guanxi.parties.models import Party

    rng = random.Random(1)
    team, _ = Team.objects.get_or_create(name="Bench East")
    others, _ = Team.objects.get_or_create(name="Bench West")
    from django.contrib.auth.models import Group

    def user(name, role, t, manager=False):
        u, _ = User.objects.get_or_create(username=name)
        u.groups.set(Group.objects.filter(name=role))
        TeamMembership.objects.get_or_create(user=u, team=t, defaults={"is_manager": manager})
        return u

    manager = user("bench.manager", roles.SALES_MANAGER, team, manager=True)
    reps = [user(f"bench.rep{i}", roles.SALES_REP, team) for i in range(10)]
    west = [user(f"bench.west{i}", roles.SALES_REP, others) for i in range(10)]
    have = Party.objects.count()
    Party.objects.bulk_create(
        (
            Party(name=f"Bench customer {i:07d}", is_customer=True, customer_status="active")
            for i in range(have, orgs)
        ),
        batch_size=5000,
    )
    parties = list(Party.objects.values_list("pk", flat=True)[:orgs])
    pipeline = Pipeline.objects.order_by("position", "id").first()
    stages = list(pipeline.stages.order_by("position"))
    open_stages = [s for s in stages if s.kind == "open"]
    won = next(s for s in stages if s.kind == "won")
    lost = next(s for s in stages if s.kind == "lost")
    reason = LostReason.objects.first()
    now, today = timezone.now(), timezone.localdate()
    start = Opportunity.objects.count()

    def row(i):
        mine = i - start < team_open
        stage = rng.choice(open_stages) if mine or rng.random() < 0.3 else rng.choice([won, lost])
        owner = rng.choice(reps) if mine else rng.choice(west)
        closed = stage.kind != "open"
        return Opportunity(
            name=f"Deal {i:08d}",
            customer_id=rng.choice(parties),
            pipeline=pipeline,
            stage=stage,
            state=stage.kind,
            owner=owner,
            team=team if mine else others,
            amount=Decimal(rng.randint(1, 2000) * 1000),
            currency_id="CNY",
            expected_close=today + dt.timedelta(days=rng.randint(-200, 300)),
            probability=stage.probability,
            lost_reason=reason if stage == lost else None,
            closed_on=today if closed else None,
            stage_changed_at=now - dt.timedelta(days=rng.randint(0, 90)),
        )

    t = time.perf_counter()
    batch = []
    for i in range(start, opportunities):
        batch.append(row(i))
        if len(batch) == 10000:
            Opportunity.objects.bulk_create(batch)
            batch = []
    Opportunity.objects.bulk_create(batch)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(
        f"{Opportunity.objects.count():,} opportunities ({time.perf_counter() - t:.0f} s to add); manager {manager}"
    )


def _time(label: str, fn, n: int = 30) -> None:
    times = []
    for i in range(n + 5):
        t = time.perf_counter()
        fn()
        if i >= 5:
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"  {label:<44} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organizations", type=int, default=20000)
    parser.add_argument("--opportunities", type=int, default=200000)
    parser.add_argument("--team-open", type=int, default=10000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from guanxi.core.models import User
    from guanxi.crm.models import Opportunity
    from guanxi.crm.selectors import board as board_sel
    from guanxi.crm.selectors.opportunities import OpportunityFilters
    from guanxi.crm.services.opportunities import opportunity_move

    if Opportunity.objects.count() < args.opportunities:
        _fill(args.organizations, args.opportunities, args.team_open)
    manager = User.objects.get(username="bench.manager")
    pipeline = board_sel.pipelines_in_use().first()
    print(
        f"{connection.vendor}; {Opportunity.objects.count():,} opportunities; load {Path('/proc/loadavg').read_text().split()[0]}"
    )
    request = RequestFactory().get("/sales/pipeline/")
    request.user = manager

    def board():
        return board_sel.board(actor=manager, pipeline=pipeline, filters=OpportunityFilters())

    def page():
        from guanxi.crm.views.board import _context

        ctx = _context(request, pipeline, OpportunityFilters())
        return render_to_string("crm/partials/board.html", ctx, request=request)

    _time("board selector (manager, whole team)", board)
    _time("board rendered (what the page sends)", page)
    _time(
        "board, one owner",
        lambda: board_sel.board(
            actor=manager,
            pipeline=pipeline,
            filters=OpportunityFilters(owner=str(User.objects.get(username="bench.rep3").pk)),
        ),
    )
    cards = [c for col in board().columns for c in col.cards]
    stages = [col.stage for col in board().columns]
    moves = iter(range(10_000))

    def move():
        o = cards[next(moves) % len(cards)]
        o.refresh_from_db()
        target = next(s for s in stages if s.pk != o.stage_id)
        opportunity_move(actor=manager, opportunity=o, stage=target, version=o.version)

    _time("move a card (service: lock, audit, save)", move)
    _more(manager)
    print(f"load {Path('/proc/loadavg').read_text().split()[0]}")
    return 0


def _more(manager) -> None:
    """The forecast of a year, 查重, a 50-line quote as a PDF, and the pools' nightly recycling."""
    import datetime as dt

    from django.utils import timezone

    from guanxi.core.models import Company, User
    from guanxi.core.selectors.companies import company_default
    from guanxi.core.services.printing import print_job, render_pdf
    from guanxi.crm.models import Pool, Quote
    from guanxi.crm.selectors.check import duplicate_check
    from guanxi.crm.selectors.forecast import forecast
    from guanxi.crm.services.pools import pool_save, pools_recycle
    from guanxi.crm.services.quotes import quote_create
    from guanxi.parties.models import Party

    year = timezone.localdate().year
    _time(
        "forecast of a year, by month (manager's team)",
        lambda: forecast(actor=manager, year=year, by="month"),
    )
    admin = User.objects.get(username="admin")
    _time(
        "forecast of a year, by quarter (everyone: admin)",
        lambda: forecast(actor=admin, year=year, by="quarter"),
    )
    _time("查重 by a company name", lambda: duplicate_check(actor=manager, q="Bench customer 0012345"))
    _time("查重 by a phone number", lambda: duplicate_check(actor=manager, q="138 0013 8000"))
    # Quotes, orders and receivables (bench/generate_sales.py fills them): the selectors behind the Receivables,
    # Sales orders and Quotes pages with their first page of 25, and the pages as the views render them.
    from django.test import RequestFactory

    from guanxi.core.pagination import keyset_page
    from guanxi.crm.models import Collection, SalesOrder
    from guanxi.crm.selectors import quotes as quote_sel
    from guanxi.crm.selectors.receivables import open_orders, receivable_totals
    from guanxi.crm.views.quotes import order_list, quote_list
    from guanxi.crm.views.receivables import receivables

    if SalesOrder.objects.filter(number__startswith="BSO").exists():
        rep = User.objects.get(username="bench.rep3")
        print(
            f"  sales documents: {Quote.objects.count():,} quotes, {SalesOrder.objects.count():,} orders, "
            f"{Collection.objects.count():,} collections; {rep}'s team: "
            f"{quote_sel.order_visible(actor=rep).count():,} orders, {open_orders(actor=rep).count():,} with money open"
        )

        def overview(user, owner=""):
            qs = open_orders(actor=user, owner=owner).select_related("customer", "owner")
            page = keyset_page(qs, ordering=["-ordered_on", "-id"], cursor=None, limit=25)
            return page.items, receivable_totals(qs)

        def rendered(view, path, username):
            request = RequestFactory().get(path)
            request.user = User.objects.get(username=username)  # a fresh user, as each request loads it
            request.session = {}
            response = view(request)
            assert response.status_code == 200, response.status_code
            return response.content

        _time("receivables, rep (selector: page + totals)", lambda: overview(rep))
        _time("receivables, rep, mine only (owner=me)", lambda: overview(rep, owner="me"))
        _time("receivables, manager's team (selector)", lambda: overview(manager))
        _time(
            "receivables page rendered, rep",
            lambda: rendered(receivables, "/sales/receivables/", "bench.rep3"),
        )
        _time(
            "receivables page rendered, manager",
            lambda: rendered(receivables, "/sales/receivables/", "bench.manager"),
        )
        _time(
            "order list, rep (selector, first page)",
            lambda: (
                keyset_page(
                    quote_sel.order_list(actor=rep), ordering=quote_sel.ORDER_ORDERING, cursor=None, limit=25
                ).items
            ),
        )
        _time("order list page rendered, rep", lambda: rendered(order_list, "/sales/orders/", "bench.rep3"))
        _time(
            "quote list, rep (selector, first page)",
            lambda: (
                keyset_page(
                    quote_sel.quote_list(actor=rep, filters=quote_sel.QuoteFilters()),
                    ordering=quote_sel.ORDERING,
                    cursor=None,
                    limit=25,
                ).items
            ),
        )
        _time("quote list page rendered, rep", lambda: rendered(quote_list, "/sales/quotes/", "bench.rep3"))
    else:
        print(
            "  (no generated sales orders: run bench/generate_sales.py for the receivables and order lists)"
        )
    if company_default() is None and not Company.objects.exists():
        return
    customer = Party.objects.filter(is_customer=True).order_by("id").first()
    quote = Quote.objects.filter(lines__position=50).first() or quote_create(
        actor=admin,
        data={
            "customer": customer.pk,
            "language": "zh-hans",
            "lines": [
                {
                    "description": f"服务项目 {i}",
                    "quantity": "3",
                    "unit_price": "1234.56",
                    "discount_percent": "5",
                }
                for i in range(50)
            ],
        },
    )
    job = print_job(actor=admin, document="crm.quote", pk=quote.pk, key="quote")
    _time("a 50-line quote as a PDF (Chinese, 大写)", lambda: render_pdf(job, user=admin), n=10)
    if not Pool.objects.filter(name_en="Bench pool").exists():
        pool_save(
            actor=admin,
            pool=None,
            data={"name_en": "Bench pool", "no_activity_days": 30, "exempt_open_opportunity": True},
        )
    # The generated customers have no owner: give them to the team's reps, created long ago, so that the
    # "no follow-up for 30 days" rule reaches the ones without an open opportunity.
    from guanxi.core.models import TeamMembership

    rep = User.objects.get(username="bench.rep3")
    team_id = TeamMembership.objects.filter(user=rep).values_list("team_id", flat=True).first()
    Party.objects.filter(is_customer=True, owner__isnull=True, name__startswith="Bench customer").update(
        owner=rep, team_id=team_id, created_at=timezone.now() - dt.timedelta(days=400)
    )
    held = Party.objects.filter(is_customer=True, owner__isnull=False).count()
    t = time.perf_counter()
    returned = pools_recycle()
    print(
        f"  pools' nightly recycling over {held:,} held customers: {returned:,} returned in {time.perf_counter() - t:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
