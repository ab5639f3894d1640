"""Merging two duplicate customers, seen from the sales app: every sales record of the merged customer (the
lead it came from, opportunities, quotes, orders with their collection plan, collections and fapiao
requests, pool entries) and the activities and attachments on it move to the kept customer; undo moves
exactly those back, and what was added to the kept customer after the merge stays with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from guanxi.activities.models import Activity
from guanxi.activities.services.activities import activity_create
from guanxi.core.models import Attachment
from guanxi.core.tests.attachments_support import attach
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import (
    Collection,
    FapiaoRequest,
    Instalment,
    Lead,
    Opportunity,
    PoolEntry,
    Quote,
    SalesOrder,
)
from guanxi.crm.selectors.receivables import open_orders
from guanxi.crm.services import leads as lead_svc
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import pools as pool_svc
from guanxi.crm.services import receivables as rec
from guanxi.crm.services.lead_conversion import NEW, Conversion, lead_convert
from guanxi.crm.tests.factories import make_opportunity
from guanxi.parties.models import Employment, Party
from guanxi.parties.services.merge import party_merge, party_merge_undo
from guanxi.parties.services.parties import party_create
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
LINES = [{"description": "交换机 S5735", "quantity": "2", "unit_price": "5000"}]


@pytest.fixture
def company(world):
    return make_company(name_zh="关系示范", default_currency="CNY", is_default=True)


def _order(actor, customer, opportunity=None) -> SalesOrder:
    data = {"customer": customer.pk, "lines": LINES}
    if opportunity is not None:
        data["opportunity"] = opportunity.pk
    q = quotes.quote_create(actor=actor, data=data)
    q = quotes.quote_submit(actor=actor, quote=q, version=q.version)
    q = quotes.quote_send(actor=actor, quote=q, version=q.version)
    return orders.quote_accept(actor=actor, quote=q, version=q.version)


def _converted_lead(world, organization) -> Lead:
    lead = lead_svc.lead_create(
        actor=world.rep,
        data={
            "company_name": organization.name,
            "person_name": "李雷",
            "phone": "13800138000",
            "job_title": "采购",
        },
    )
    lead = lead_svc.lead_set_status(actor=world.rep, lead=lead, version=lead.version, status="qualified")
    return lead_convert(
        actor=world.rep,
        lead=lead,
        version=lead.version,
        choice=Conversion(
            organization=organization.pk,
            contact=NEW,
            opportunity={"expected_close": dt.date(2027, 3, 31), "amount": "50000"},
        ),
    )


def _on(model, party) -> set[int]:
    """Ids of `model` rows (activities, attachments) that name `party` by document type and id."""
    if model is Activity:
        return set(
            Activity.objects.filter(record_type="parties.party", record_id=party.pk).values_list(
                "pk", flat=True
            )
        )
    return set(
        Attachment.objects.filter(document_type="parties.party", object_id=str(party.pk)).values_list(
            "pk", flat=True
        )
    )


def _customer_of(model, pk) -> int:
    return model.objects.filter(pk=pk).values_list("customer_id", flat=True).get()


def test_merge_moves_the_sales_records_and_undo_moves_exactly_those_back(world, company, attachments_dir):
    kept = world.huawei
    merged = make_org(world.admin, "华为技术股份有限公司", owner=world.rep)
    rep = world.rep

    # The merged customer's history, made as users make it.
    lead = _converted_lead(world, merged)
    lead.refresh_from_db()
    contact = lead.contact
    opp = make_opportunity(rep, merged, "核心交换机")
    draft = quotes.quote_create(
        actor=rep, data={"customer": merged.pk, "opportunity": opp.pk, "lines": LINES}
    )
    order = _order(rep, merged, opp)
    rec.plan_set(
        actor=rep,
        order=order,
        instalments=[
            {"due_date": TODAY + dt.timedelta(days=30), "amount": "6000"},
            {"due_date": TODAY + dt.timedelta(days=60), "amount": "4000"},
        ],
    )
    collection = rec.collection_record(actor=rep, order=order, data={"amount": "2000"})
    fapiao = rec.fapiao_request_create(actor=rep, order=order, data={"amount": "6000"})
    call = activity_create(
        actor=rep,
        record=merged,
        data={"kind": "call", "subject": "回访采购总监", "due_at": timezone.now() + dt.timedelta(days=1)},
    )
    offer = attach(rep, merged, "报价单.pdf")
    # The kept customer's own records before the merge.
    own_opp = make_opportunity(rep, kept, "存储扩容")
    own_call = activity_create(
        actor=rep,
        record=kept,
        data={"kind": "call", "subject": "Existing follow-up", "due_at": timezone.now()},
    )

    record = party_merge(actor=world.manager, kept=kept, merged=merged)

    moved_opps = {opp.pk, lead.opportunity_id}
    moved_quotes = {draft.pk, order.quote_id}
    assert Lead.objects.get(pk=lead.pk).organization_id == kept.pk
    assert set(Opportunity.objects.filter(customer=kept).values_list("pk", flat=True)) == moved_opps | {
        own_opp.pk
    }
    assert set(Quote.objects.filter(customer=kept).values_list("pk", flat=True)) == moved_quotes
    assert _customer_of(SalesOrder, order.pk) == kept.pk
    assert Employment.objects.filter(person=contact, organization=kept).exists()
    assert _on(Activity, kept) == {call.pk, own_call.pk} and _on(Activity, merged) == set()
    assert _on(Attachment, kept) == {offer.pk} and _on(Attachment, merged) == set()
    assert not Opportunity.objects.filter(customer=merged).exists()
    # The order's receivables follow the order: the kept customer's open orders show what is still due.
    (row,) = open_orders(actor=world.manager, customer=kept.pk)
    assert row.pk == order.pk
    assert Instalment.objects.filter(order=order).count() == 2
    assert Collection.objects.get(pk=collection.pk).order_id == order.pk
    assert FapiaoRequest.objects.get(pk=fapiao.pk).order_id == order.pk
    assert not open_orders(actor=world.manager, customer=merged.pk).exists()

    # The kept customer's 360° page shows the moved opportunity, to the manager who merged.
    client = Client()
    client.force_login(world.manager)
    page = client.get(f"{kept.get_absolute_url()}?tab=opportunities")
    assert page.status_code == 200
    html = page.content.decode()
    assert "核心交换机" in html and "存储扩容" in html

    # Work goes on with the kept customer; then the merge is undone.
    later_opp = make_opportunity(rep, kept, "合并后的新商机")
    later_call = activity_create(
        actor=rep,
        record=kept,
        data={"kind": "meeting", "subject": "After the merge", "due_at": timezone.now()},
    )
    later_file = attach(rep, kept, "contract.pdf")
    later_quote = quotes.quote_create(actor=rep, data={"customer": kept.pk, "lines": LINES})

    party_merge_undo(actor=world.manager, record=record)

    assert Lead.objects.get(pk=lead.pk).organization_id == merged.pk
    assert set(Opportunity.objects.filter(customer=merged).values_list("pk", flat=True)) == moved_opps
    assert set(Opportunity.objects.filter(customer=kept).values_list("pk", flat=True)) == {
        own_opp.pk,
        later_opp.pk,
    }
    assert set(Quote.objects.filter(customer=merged).values_list("pk", flat=True)) == moved_quotes
    assert set(Quote.objects.filter(customer=kept).values_list("pk", flat=True)) == {later_quote.pk}
    assert _customer_of(SalesOrder, order.pk) == merged.pk
    assert [o.pk for o in open_orders(actor=world.manager, customer=merged.pk)] == [order.pk]
    assert Employment.objects.filter(person=contact, organization=merged).exists()
    assert not Employment.objects.filter(person=contact, organization=kept).exists()
    assert _on(Activity, merged) == {call.pk} and _on(Activity, kept) == {own_call.pk, later_call.pk}
    assert _on(Attachment, merged) == {offer.pk} and _on(Attachment, kept) == {later_file.pk}
    assert Instalment.objects.filter(order=order).count() == 2
    assert sum(i.paid for i in Instalment.objects.filter(order=order)) == Decimal("2000")
    merged.refresh_from_db()
    assert merged.merged_into_id is None and merged.archived_at is None


def _unheld_customer(admin, name: str) -> Party:
    """A customer that nobody holds and that is in no pool (an administrator made it for nobody)."""
    return party_create(
        actor=admin,
        data={"kind": "organization", "name": name, "is_customer": True, "owner": None},
        allow_duplicates=True,
    )


def _pool(world):
    return pool_svc.pool_save(
        actor=world.manager, pool=None, data={"name_en": "East pool", "teams": [world.east.pk]}
    )


def test_a_pooled_duplicate_brings_its_pool_entry_and_undo_takes_it_back(world):
    _pool(world)
    kept = _unheld_customer(world.admin, "深圳新客户科技有限公司")
    merged = make_org(world.admin, "深圳新客户科技股份有限公司", owner=world.rep)
    entry = pool_svc.customer_release(actor=world.rep, party=merged)
    assert kept.owner_id is None and not PoolEntry.objects.filter(party=kept).exists()

    record = party_merge(actor=world.admin, kept=kept, merged=merged)
    assert PoolEntry.objects.get(pk=entry.pk).party_id == kept.pk
    assert record.moved["crm.poolentry"]["party_id"] == [entry.pk]
    # A rep of the pool's team claims the kept customer: the one that is in the pool now.
    claimed = pool_svc.pool_claim(actor=world.mate, entry=PoolEntry.objects.get(pk=entry.pk))
    assert claimed.pk == kept.pk and Party.objects.get(pk=kept.pk).owner_id == world.mate.pk

    # Undone once claimed: the entry is gone (claimed), nothing to take back; the claim stays with the kept one.
    party_merge_undo(actor=world.admin, record=record)
    assert not PoolEntry.objects.exists()
    assert Party.objects.get(pk=merged.pk).merged_into_id is None


def test_undo_puts_a_pool_entry_back_on_the_pooled_duplicate(world):
    _pool(world)
    kept = _unheld_customer(world.admin, "深圳新客户科技有限公司")
    merged = make_org(world.admin, "深圳新客户科技股份有限公司", owner=world.rep)
    entry = pool_svc.customer_release(actor=world.rep, party=merged)
    record = party_merge(actor=world.admin, kept=kept, merged=merged)
    party_merge_undo(actor=world.admin, record=record)
    assert PoolEntry.objects.get(pk=entry.pk).party_id == merged.pk
    assert not PoolEntry.objects.filter(party=kept).exists()


@pytest.mark.parametrize("pooled", ["merged", "kept"])
def test_a_merge_never_leaves_a_held_customer_in_the_pool(world, pooled):
    _pool(world)
    held = world.huawei  # held by world.rep
    other = make_org(world.admin, "华为技术股份有限公司", owner=world.mate)
    pool_svc.customer_release(actor=world.mate, party=other)
    kept, merged = (held, other) if pooled == "merged" else (other, held)
    party_merge(actor=world.admin, kept=kept, merged=merged)
    kept.refresh_from_db()
    assert kept.owner_id is not None  # held after the merge ...
    assert not PoolEntry.objects.filter(party=kept).exists()  # ... so not in the pool
