"""Receivables (回款) and fapiao requests (开票申请) through the services: the collection plan, collections and
how they pay the instalments earliest due first, what is overdue, fapiao requests (with and without an
approval rule) and their issue, the reminder job, and who may change what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry, AuditLink
from guanxi.core.models.notifications import Notification
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approval_rules import approval_rule_create
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Collection, CollectionAllocation, Instalment
from guanxi.crm.selectors.receivables import order_receivable
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import receivables as rec
from guanxi.parties.tests.factories import make_org

TODAY = dt.date.today()
D = Decimal


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def make_order(actor, customer, amount="1000", currency=None):
    lines = [{"description": "服务", "quantity": "1", "unit_price": amount}]
    data = {"customer": customer.pk, "lines": lines}
    if currency:
        data["currency"] = currency
    q = quotes.quote_create(actor=actor, data=data)
    q = quotes.quote_submit(actor=actor, quote=q, version=q.version)
    q = quotes.quote_send(actor=actor, quote=q, version=q.version)
    return orders.quote_accept(actor=actor, quote=q, version=q.version)


@pytest.fixture
def company(world):
    return make_company(name_zh="关系示范", default_currency="CNY", is_default=True)


@pytest.fixture
def order(world, company):
    return make_order(world.rep, world.huawei)


def plan(world, order, *rows, actor=None):
    return rec.plan_set(
        actor=actor or world.rep,
        order=order,
        instalments=[{"due_date": d, "amount": a, **(x[0] if x else {})} for d, a, *x in rows],
    )


def collect(world, order, amount, actor=None, **data):
    return rec.collection_record(actor=actor or world.rep, order=order, data={"amount": amount, **data})


def fapiao(world, order, **data):
    return rec.fapiao_request_create(actor=world.rep, order=order, data=data)


def issue(world, r, **data):
    return rec.fapiao_issue(actor=world.rep, request=r, data=data)


def paid(order) -> list[Decimal]:
    return [i.paid for i in Instalment.objects.filter(order=order).order_by("due_date", "position")]


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def audits(order, key: str) -> list[AuditEntry]:
    rows = AuditEntry.objects.filter(target_type="crm.salesorder", target_id=str(order.pk)).order_by("id")
    return [e for e in rows if key in e.changes]


def on_customer(entry, customer) -> bool:
    return AuditLink.objects.filter(
        entry=entry, subject_id=str(customer.pk), subject_type="parties.party"
    ).exists()


# --- The plan ---------------------------------------------------------------------------------------------


def test_a_plan_is_sorted_by_due_date_and_audited(world, order):
    made = plan(world, order, (day(60), "500"), (day(10), "200", {}), (day(30), "300"))
    expected = [(1, day(10), 200), (2, day(30), 300), (3, day(60), 500)]
    assert [(i.position, i.due_date, i.amount) for i in made] == expected
    assert order_receivable(order).planned == D("1000")
    [entry] = audits(order, "collection_plan")
    assert str(day(10)) in entry.changes["collection_plan"][1] and on_customer(entry, world.huawei)


def test_a_plan_above_the_order_total_is_refused(world, order):
    plan(world, order, (day(5), "400"))
    errors = errors_of(lambda: plan(world, order, (day(5), "600"), (day(9), "400.01")))
    assert list(errors) == ["instalments"] and "1000.01" in errors["instalments"][0]
    assert [i.amount for i in Instalment.objects.filter(order=order)] == [D("400")]


def test_bad_instalments_are_refused_each_by_its_key(world, order):
    rows = [(day(1), "10"), (day(2), "0"), (day(3), "1.005"), ("2025-02-30", "10"), (day(4), "-5"), ("", "x")]
    errors = errors_of(lambda: plan(world, order, *rows, ("1800-01-01", "1", {"remind_days_before": 400})))
    keys = "1.amount 2.amount 3.due_date 4.amount 5.due_date 5.amount 6.due_date 6.remind_days_before"
    assert set(errors) == {f"instalments[{k[0]}]{k[1:]}" for k in keys.split()}
    assert "2" in errors["instalments[2].amount"][0]  # "CNY amounts have at most 2 decimal places."
    assert not Instalment.objects.filter(order=order).exists()


def test_a_plan_below_what_is_collected_is_refused(world, order):
    plan(world, order, (day(5), "500"), (day(20), "500"))
    collect(world, order, "600")
    errors = errors_of(lambda: plan(world, order, (day(5), "400")))
    assert "600" in errors["instalments"][0]
    assert paid(order) == [D("500"), D("100")]
    plan(world, order, (day(1), "300"), (day(2), "300"))  # exactly what is collected: fine
    assert paid(order) == [D("300"), D("300")]


def test_a_first_plan_below_what_is_collected_is_refused_too(world, order):
    collect(world, order, "600")  # collected before any plan
    with pytest.raises(ValidationError):
        plan(world, order, (day(5), "400"))


def test_replanning_keeps_collections_allocated_earliest_due_first(world, order):
    plan(world, order, (day(10), "300"), (day(40), "700"))
    first = collect(world, order, "250", received_on=day(-3))
    collect(world, order, "150")
    assert paid(order) == [D("300"), D("100")]
    plan(world, order, (day(60), "300"), (day(-5), "200"), (day(20), "500"))
    assert paid(order) == [D("200"), D("200"), D("0")]
    # The earlier collection pays first: all of the 200 due first, then 50 of the next.
    assert sorted(a.amount for a in CollectionAllocation.objects.filter(collection=first)) == [D(50), D(200)]
    assert sum(a.amount for a in CollectionAllocation.objects.filter(instalment__order=order)) == D("400")


# --- Collections ------------------------------------------------------------------------------------------


def test_more_than_open_is_refused_with_the_open_amount(world, order):
    collect(world, order, "400")
    errors = errors_of(lambda: collect(world, order, "600.01"))
    assert "600" in errors["amount"][0]
    assert Collection.objects.filter(order=order).count() == 1
    collect(world, order, "600")
    assert order_receivable(order).open == 0
    assert "0" in errors_of(lambda: collect(world, order, "0.01"))["amount"][0]


def test_collections_pay_instalments_partly_and_fully(world, order):
    plan(world, order, (day(30), "400"), (day(10), "300"), (day(20), "300"))
    collect(world, order, "250")
    assert paid(order) == [D("250"), D("0"), D("0")]
    second = collect(world, order, "100")
    assert paid(order) == [D("300"), D("50"), D("0")]
    assert sorted(a.amount for a in second.allocations.all()) == [D("50"), D("50")]
    collect(world, order, "650")
    assert paid(order) == [D("300"), D("300"), D("400")]
    assert order_receivable(order).open == 0


def test_money_beyond_the_plan_is_taken_within_the_order_total(world, order):
    plan(world, order, (day(10), "300"))
    c = collect(world, order, "800", method="cash", bank_reference="现金-1")
    assert (c.method, c.bank_reference, c.created_by) == ("cash", "现金-1", world.rep)
    assert paid(order) == [D("300")] and sum(a.amount for a in c.allocations.all()) == D("300")
    r = order_receivable(order)
    assert (r.planned, r.collected, r.open) == (D("300"), D("800"), D("200"))
    assert "200" in errors_of(lambda: collect(world, order, "201"))["amount"][0]


def test_bad_collections_are_refused(world, order):
    errors = errors_of(lambda: collect(world, order, "1.001", method="bitcoin", received_on="2025-13-01"))
    assert set(errors) == {"amount", "method", "received_on"}
    assert set(errors_of(lambda: collect(world, order, "0"))) == {"amount"}
    assert set(errors_of(lambda: collect(world, order, "abc"))) == {"amount"}
    assert not Collection.objects.filter(order=order).exists()


def test_a_collection_is_audited_on_the_order_and_the_customer(world, order):
    collect(world, order, "123.45", received_on=day(-1))
    [entry] = audits(order, "collection")
    assert entry.actor == world.rep and entry.changes["collection"] == [None, f"{day(-1)} CNY 123.45"]
    assert on_customer(entry, world.huawei)


CENTS = st.integers(min_value=1, max_value=40_000)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.integers(-30, 30), CENTS), min_size=1, max_size=5),
    takes=st.lists(st.integers(1, 90_000), max_size=6),
    planned_at=st.integers(0, 6),
)
def test_collections_pay_the_plan_in_due_order(world, company, rows, takes, planned_at):
    order = make_order(world.rep, world.huawei, amount="2000")
    total, taken = D("2000"), D(0)
    for i, cents in enumerate([*takes, None]):
        if i == min(planned_at, len(takes)):
            if sum(D(c) for _n, c in rows) / 100 < taken:  # a plan below what is collected is refused
                with pytest.raises(ValidationError):
                    plan(world, order, *[(day(n), D(c) / 100) for n, c in rows])
                rows = [(0, int(taken * 100))]  # the smallest plan allowed instead
            plan(world, order, *[(day(n), D(c) / 100) for n, c in rows])
        if cents is None:
            break
        amount = D(cents) / 100
        if taken + amount > total:
            with pytest.raises(ValidationError):
                collect(world, order, amount)
        else:
            collect(world, order, amount)
            taken += amount
    insts = list(Instalment.objects.filter(order=order).order_by("due_date", "position"))
    planned = sum(D(c) for _n, c in rows) / 100
    assert sum(i.paid for i in insts) == min(taken, planned)
    assert all(0 <= i.paid <= i.amount for i in insts)
    for earlier, later in zip(insts, insts[1:], strict=False):
        assert later.paid == 0 or earlier.paid == earlier.amount, (earlier, later)
    for i in insts:
        assert sum(a.amount for a in i.allocations.all()) == i.paid
    assert order_receivable(order).open == total - taken


def test_overdue_is_what_is_unpaid_on_instalments_past_due(world, order):
    plan(world, order, (day(-10), "300"), (day(-1), "200"), (day(0), "100"), (day(5), "400"))
    assert order_receivable(order).overdue == D("500")
    collect(world, order, "350")
    assert order_receivable(order).overdue == D("150")  # 300 paid; 50 of the 200
    collect(world, order, "400")  # the overdue ones and 100 due today: nothing overdue
    assert order_receivable(order).overdue == 0


# --- Fapiao requests --------------------------------------------------------------------------------------


INVOICE = {
    "invoice_title": "深圳客户有限公司（开票）",
    "invoice_tax_number": "914403001922038216",
    "invoice_bank_name": "招商银行深圳分行",
    "invoice_bank_account": "755900012310001",
    "invoice_address": "深圳市龙岗区",
    "invoice_phone": "0755-28780808",
}


def test_a_fapiao_request_is_prefilled_from_the_customer(world, order):
    customer = make_org(world.admin, "深圳客户有限公司", owner=world.rep, **INVOICE)
    other = make_order(world.rep, customer)
    r = fapiao(world, other, kind="special", amount="600")
    assert {k: getattr(r, k.removeprefix("invoice_")) for k in INVOICE} == INVOICE
    assert (r.state, r.requested_by, r.team) == ("approved", world.rep, world.east)
    r2 = fapiao(world, other, amount="1", title="另一个抬头")
    assert (r2.kind, r2.title, r2.tax_number) == ("electronic", "另一个抬头", "914403001922038216")
    [entry, _second] = audits(other, "fapiao_request")
    assert on_customer(entry, customer)


def test_a_special_fapiao_needs_a_taxpayer_number(world, order):
    assert set(errors_of(lambda: fapiao(world, order, kind="special", amount="100"))) == {"tax_number"}
    r = fapiao(world, order, kind="special", amount="100", tax_number="91110000X")
    assert r.tax_number == "91110000X" and r.title == world.huawei.name


def test_requests_with_a_rule_wait_and_rejected_ones_do_not_count(world, order):
    approval_rule_create(
        actor=world.admin,
        document_type="crm.fapiaorequest",
        name="Fapiao",
        levels=[{"kind": "user", "mode": "any", "user_id": world.manager.pk}],
    )
    r = fapiao(world, order, kind="normal", amount="600")
    assert r.state == "pending" and approval_status_of(r).status == "pending"
    assert "400" in errors_of(lambda: fapiao(world, order, amount="400.01"))["amount"][0]
    with pytest.raises(ValidationError, match="approved"):
        issue(world, r, fapiao_number="N1")
    approval_reject(actor=world.manager, request=approval_status_of(r), comment="金额不对")
    r.refresh_from_db()
    assert r.state == "rejected" and order_receivable(order).invoiced == 0
    again = fapiao(world, order, amount="1000")
    assert again.state == "pending"
    approval_approve(actor=world.manager, request=approval_status_of(again))
    again.refresh_from_db()
    assert again.state == "approved" and order_receivable(order).not_invoiced == 0


def test_an_issued_fapiao_needs_a_number_and_is_audited(world, order):
    r = fapiao(world, order, amount="1000")
    assert set(errors_of(lambda: issue(world, r, fapiao_number=" "))) == {"fapiao_number"}
    r.refresh_from_db()
    assert r.state == "approved" and r.fapiao_number == ""
    issue(world, r, fapiao_number="24442000000012345678", tracking_number="SF1")
    r.refresh_from_db()
    assert (r.state, r.fapiao_number, r.tracking_number) == ("issued", "24442000000012345678", "SF1")
    assert r.issued_on == timezone.localdate()
    [entry] = audits(order, "fapiao_issued")
    assert "24442000000012345678" in entry.changes["fapiao_issued"][1] and on_customer(entry, world.huawei)
    with pytest.raises(ValidationError):  # issued once
        issue(world, r, fapiao_number="OTHER")


# --- Reminders --------------------------------------------------------------------------------------------


def told(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(recipient=user, in_app=True).values_list("event", "url"))


def test_reminders_before_due_and_overdue_are_sent_once(world, order, django_capture_on_commit_callbacks):
    plan(
        world,
        order,
        (day(-5), "100"),  # paid: never told
        (day(-2), "200"),  # overdue: told once
        (day(2), "100", {"remind_days_before": 0}),  # not yet
        (day(3), "100"),  # due in 3 days, remind 3 days before: told
        (day(10), "100"),  # not yet
    )
    collect(world, order, "100")
    with django_capture_on_commit_callbacks(execute=True):
        assert rec.instalments_remind() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert rec.instalments_remind() == 0
    url = order.get_absolute_url() + "?tab=receivables"
    assert told(world.rep) == [("instalment.due", url), ("instalment.overdue", url)]
    titles = list(Notification.objects.filter(recipient=world.rep).values_list("title", flat=True))
    assert any(order.number in t and "200" in t for t in titles)
    later = timezone.now() + dt.timedelta(days=8)  # day(10) is due in 2 days; day(2) and day(3) overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert rec.instalments_remind(now=later) == 3
        assert rec.instalments_remind(now=later) == 0
    events = [e for e, _u in told(world.rep)]
    assert (events.count("instalment.due"), events.count("instalment.overdue")) == (2, 3)


def test_saving_the_plan_again_does_not_repeat_reminders(world, order, django_capture_on_commit_callbacks):
    rows = [(day(-2), "200"), (day(30), "800")]
    plan(world, order, *rows)
    with django_capture_on_commit_callbacks(execute=True):
        assert rec.instalments_remind() == 1
    plan(world, order, *rows)  # the same plan saved again (e.g. the tab's form re-posts every row)
    with django_capture_on_commit_callbacks(execute=True):
        assert rec.instalments_remind() == 0


def test_overdue_told_behind_many_paid_on_time(world, company, django_capture_on_commit_callbacks):
    late = make_order(world.rep, world.huawei)
    plan(world, late, (day(-3), "100"))  # overdue, never paid
    busy = make_order(world.rep, world.huawei)  # newer: its instalments come first (orders newest first)
    rec.plan_set(actor=world.rep, order=busy, instalments=[{"due_date": day(-10), "amount": "0.01"}] * 5000)
    collect(world, busy, "50")  # all 5000 paid (on time, so never told about)
    with django_capture_on_commit_callbacks(execute=True):
        assert rec.instalments_remind() == 1
    assert told(world.rep) == [("instalment.overdue", late.get_absolute_url() + "?tab=receivables")]


# --- Who may -----------------------------------------------------------------------------------------------


def _changes(world, order, r):
    return [
        lambda a: rec.plan_set(actor=a, order=order, instalments=[{"due_date": day(1), "amount": "1"}]),
        lambda a: rec.collection_record(actor=a, order=order, data={"amount": "1"}),
        lambda a: rec.fapiao_request_create(actor=a, order=order, data={"amount": "1"}),
        lambda a: rec.fapiao_issue(actor=a, request=r, data={"fapiao_number": "N"}),
    ]


def test_out_of_scope_is_not_found_and_read_only_is_refused(world, order):
    r = fapiao(world, order, amount="10")
    for change in _changes(world, order, r):
        with pytest.raises(NotFoundError):
            change(world.rep_west)
        with pytest.raises(PermissionDeniedError):
            change(world.executive)
    assert not Instalment.objects.filter(order=order).exists() and not Collection.objects.exists()
    collect(world, order, "5", actor=world.mate)  # a rep of the same team may
    assert order_receivable(order).collected == D("5")
