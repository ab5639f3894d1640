"""The demo has a living sales team: opportunities of the reps in every stage of the board (some won, some lost
with a reason, some in US dollars), a Renewals pipeline, a web form and leads in every state."""

import pytest

from guanxi.core.models import User
from guanxi.crm.demo import load_demo_leads, load_demo_opportunities, load_demo_pools, load_demo_quotes
from guanxi.crm.models import Lead, Opportunity, Pipeline, PoolEntry
from guanxi.crm.selectors.board import board
from guanxi.crm.selectors.opportunities import OpportunityFilters

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_sales_team_once(monkeypatch):
    from guanxi.parties import demo

    monkeypatch.setitem(demo.SIZES, "small", 40)
    demo.load_demo(size="small", password="demo-password-1")
    leads = load_demo_leads()
    opportunities = load_demo_opportunities()
    assert leads == Lead.objects.count() and set(Lead.objects.values_list("status", flat=True)) == {
        "new",
        "working",
        "qualified",
        "disqualified",
    }
    assert Lead.objects.filter(source="web_form", owner__username="wang.wei").exists()
    assert opportunities == Opportunity.objects.count() > 5
    states = set(Opportunity.objects.values_list("state", flat=True))
    assert states == {"open", "won", "lost"}
    assert Opportunity.objects.filter(state="lost", lost_reason__isnull=True).count() == 0
    assert Pipeline.objects.filter(name_zh="续约").exists()
    li = User.objects.get(username="li.na")  # the manager sees her team's board with cards in it
    b = board(actor=li, pipeline=Pipeline.objects.get(name_en="New business"), filters=OpportunityFilters())
    assert sum(len(c.cards) for c in b.columns) > 0
    from guanxi.catalog.demo import load_demo_catalog
    from guanxi.core.demo import load_demo_company
    from guanxi.crm.models import Quote, SalesOrder

    load_demo_company(actor=User.objects.get(username="admin"))
    load_demo_catalog(actor=User.objects.get(username="admin"))
    assert load_demo_quotes() == 3 and load_demo_quotes() == 0
    assert set(Quote.objects.values_list("state", flat=True)) == {"draft", "sent", "accepted"}
    order = SalesOrder.objects.get()
    assert order.customer.customer_status == "active"
    from guanxi.crm.selectors.receivables import order_receivable

    r = order_receivable(order)
    assert r.overdue > 0 and 0 < r.collected < r.total and r.invoiced > 0
    pooled = load_demo_pools()
    assert pooled == PoolEntry.objects.count() > 0
    assert PoolEntry.objects.filter(party__owner__isnull=False).count() == 0  # nobody holds a pool customer
    assert load_demo_leads() == 0 and load_demo_opportunities() == 0 and load_demo_pools() == 0
