"""Quotes (报价单) through their services: create with the defaults a rep expects, change only a draft, submit
(with and without approval rules), send (the PDF e-mailed after the commit, in the customer's language),
revise, accept (a sales order; the prospect becomes an active customer), reject, expire, and who may do what."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.catalog.models import Unit
from guanxi.catalog.tests.factories import make_product
from guanxi.core import roles as R
from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Role, TaxRate
from guanxi.core.selectors.approvals import inbox_steps
from guanxi.core.services.approval_common import ApprovalSetupError
from guanxi.core.services.approval_rules import approval_rule_create
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.core.tests.factories import make_company
from guanxi.crm.models import Quote, SalesOrder
from guanxi.crm.selectors.quotes import QuoteFilters, quote_get, quote_list, quote_visible
from guanxi.crm.services import orders, quotes
from guanxi.crm.services.lifecycle import customers_mark_inactive
from guanxi.crm.tasks import quotes_expire_task
from guanxi.crm.tests.factories import make_opportunity
from guanxi.parties.models import Party
from guanxi.parties.services.parties import party_update

pytestmark = pytest.mark.django_db
D = Decimal
LINE = ("product_id", "description", "quantity", "unit_id", "unit_price", "discount_percent", "tax_rate_id")
AMOUNTS = ("tax_percent", "net", "tax", "gross")


@pytest.fixture
def shop(world):
    """Our company (CNY), a switch sold at ¥3999.99 with 13 % VAT, and a part that is only bought."""
    company = make_company(
        name_zh="关系示范科技有限公司", name_en="Guanxi Demo", default_currency="CNY", is_default=True
    )
    vat13 = TaxRate.objects.get(code="vat13")
    prices = [{"currency": "CNY", "amount": "3999.99"}]
    switch = make_product(
        world.admin, "SW-48", "48口交换机", "48-port switch", tax_rate=vat13.pk, prices=prices
    )
    part = make_product(world.admin, "P-1", name_en="Spare part", can_sell=False, can_buy=True)
    vat6 = TaxRate.objects.get(code="vat6")
    line = {"product": switch.pk, "quantity": "3", "discount_percent": "5"}  # 3 switches at 5 % off
    return SimpleNamespace(company=company, vat13=vat13, vat6=vat6, switch=switch, part=part, line=line)


def new(actor, customer, *lines, **data):
    return quotes.quote_create(actor=actor, data={"customer": customer.pk, "lines": list(lines), **data})


def item(price="100", **extra):
    return {"description": "Installation", "quantity": "1", "unit_price": price, **extra}


def refused(change, error=ValidationError) -> dict:
    with pytest.raises(error) as exc:
        change()
    return getattr(exc.value, "message_dict", {})


def chinese(world) -> None:
    party_update(actor=world.admin, party=world.huawei, version=1, data={"preferred_language": "zh-hans"})


def lines_of(doc, fields=LINE) -> list:
    return [[getattr(x, f) for f in fields] for x in doc.lines.all()]


def state_of(q) -> str:
    return Quote.objects.get(pk=q.pk).state


def do(op: str, actor, q, **kw):
    """A state change through its service, with the version the user saw."""
    service = orders.quote_accept if op == "accept" else getattr(quotes, f"quote_{op}")
    return service(actor=actor, quote=q, version=q.version, **kw)


def sent(world, shop, **data):
    return do("send", world.rep, do("submit", world.rep, new(world.rep, world.huawei, shop.line, **data)))


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "q.pdf").write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", tmp_path / "q.pdf", "-"], capture_output=True, text=True, check=True
    ).stdout


def rule_over_10_percent(world):
    over = [{"field": "max_discount", "op": "gt", "value": "10"}]
    level = {"kind": "role", "role_id": Role.objects.get(code=R.SALES_MANAGER).pk, "mode": "any"}
    return approval_rule_create(
        actor=world.admin, document_type="crm.quote", name="Big discounts", conditions=over, levels=[level]
    )


def test_create_fills_in_the_defaults(world, shop):
    chinese(world)
    q = new(world.rep, world.huawei, shop.line)
    year = timezone.localdate().year
    assert re.fullmatch(rf"QT-{year}-\d{{5}}", q.number), q.number
    assert (q.owner, q.team, q.company, q.currency_id) == (world.rep, world.east, shop.company, "CNY")
    assert q.valid_until == timezone.localdate() + dt.timedelta(days=30)
    assert q.language == "zh-hans" and q.state == "draft" and q.revision == 0 and q.version == 1
    line = q.lines.get()
    assert line.description == "48口交换机"  # the product's name in the customer's language
    assert line.unit_price == Decimal("3999.99") and line.unit == shop.switch.unit and line.unit.code
    assert line.tax_rate == shop.vat13 and line.tax_percent == Decimal(13)
    assert q.net_total == D("11399.97") and q.gross_total == D("12881.97")
    assert q.tax_total == D("1482.00") and q.max_discount == 5
    entry = AuditEntry.objects.get(target_type="crm.quote", target_id=str(q.pk), action="create")
    assert entry.actor == world.rep and entry.links.filter(subject_id=str(world.huawei.pk)).exists()
    second = new(world.rep, world.huawei, item())
    assert int(second.number[-5:]) == int(q.number[-5:]) + 1 and second.language == "zh-hans"


def test_english_customer_and_explicit_values(world, shop):
    pcs = Unit.objects.get(code="pcs")
    switch = {"product": shop.switch.pk, "quantity": "2", "unit_price": "3500", "tax_rate": shop.vat6.pk}
    lines = [{**switch, "unit": pcs.pk}, item("800", description="Training")]
    extra = {
        "valid_until": "2027-01-31",
        "language": "en",
        "notes": "Delivery in 2 weeks",
        "contact": world.zhang.pk,
    }
    q = new(world.rep, world.huawei, *lines, **extra)
    a, b = q.lines.all()
    assert a.description == "48-port switch" and a.unit_price == Decimal(3500) and a.tax_percent == Decimal(6)
    assert b.product is None and b.tax_rate is None and b.tax_percent == 0 and b.net == Decimal("800.00")
    assert (q.net_total, q.tax_total, q.gross_total) == (7800, 420, 8220) and a.unit == pcs
    assert (q.valid_until, q.contact, q.notes) == (dt.date(2027, 1, 31), world.zhang, "Delivery in 2 weeks")


def test_currency_comes_from_the_opportunity_or_the_company(world, shop):
    deal = make_opportunity(world.rep, world.huawei, "Switches", amount="5000", currency="USD")
    errors = refused(lambda: new(world.rep, world.huawei, {"product": shop.switch.pk}, opportunity=deal.pk))
    assert "USD" in errors["lines[0].unit_price"][0]  # the switch has no USD price
    q = new(world.rep, world.huawei, {"product": shop.switch.pk, "unit_price": "560"}, opportunity=deal.pk)
    assert q.currency_id == "USD" and q.opportunity == deal and q.gross_total == Decimal("632.80")
    euro = make_company(name_zh="欧洲子公司", default_currency="EUR")
    assert new(world.rep, world.huawei, item(), company=euro.pk).currency_id == "EUR"
    other = make_opportunity(world.rep_west, world.west_co, "West deal")
    assert set(refused(lambda: new(world.rep, world.huawei, item(), opportunity=other.pk))) == {"opportunity"}


def test_every_bad_line_is_named(world, shop):
    with pytest.raises(ValidationError) as exc:
        new(
            world.rep,
            world.huawei,
            {"product": shop.part.pk},
            {"description": "Cable", "quantity": "0", "unit_price": "12", "discount_percent": "100.5"},
            {"description": "Rack", "quantity": "1.2345", "unit_price": "-1"},
            {"description": "Fan", "quantity": "abc", "unit_price": "1", "discount_percent": "5.555"},
            {"quantity": "1", "unit_price": "1"},
        )
    assert set(exc.value.message_dict) == {
        "lines[0].product", "lines[1].quantity", "lines[1].discount_percent", "lines[2].quantity",
        "lines[2].unit_price", "lines[3].quantity", "lines[3].discount_percent", "lines[4].description",
    }  # fmt: skip
    assert set(refused(lambda: new(world.rep, world.huawei))) == {"lines"}
    assert set(refused(lambda: new(world.rep, world.west_co, item()))) == {"customer"}  # not the rep's
    assert not Quote.objects.exists()


def test_only_a_draft_is_changed_and_a_stale_version_is_a_conflict(world, shop):
    q = new(world.rep, world.huawei, item("100"))
    q = quotes.quote_update(actor=world.rep, quote=q, version=1, data={"lines": [item("200", quantity="2")]})
    assert q.version == 2 and q.net_total == Decimal("400.00") and q.lines.get().quantity == 2
    with pytest.raises(ConflictError):
        quotes.quote_update(actor=world.rep, quote=q, version=1, data={"notes": "late"})
    # A free-text line has no price to take in the new currency: the change needs it (its lines with it).
    assert "lines[0].unit_price" in refused(
        lambda: quotes.quote_update(actor=world.rep, quote=q, version=2, data={"currency": "USD"})
    )
    q = quotes.quote_update(
        actor=world.rep, quote=q, version=2, data={"currency": "USD", "lines": [item("200", quantity="2")]}
    )
    assert q.currency_id == "USD" and q.net_total == Decimal("400.00")
    q = do("submit", world.rep, q)
    assert q.state == "approved"  # no approval rule: ready at once
    assert "state" in refused(
        lambda: quotes.quote_update(actor=world.rep, quote=q, version=q.version, data={})
    )
    assert "state" in refused(lambda: do("submit", world.rep, q))


def test_a_big_discount_waits_for_the_sales_manager(world, shop):
    rule_over_10_percent(world)
    q = new(world.rep, world.huawei, item("1000", discount_percent="12"))
    q = do("submit", world.rep, q)
    assert q.state == "pending" and state_of(q) == "pending"
    step = inbox_steps(actor=world.manager).get()
    assert step.request.object_id == str(q.pk) and step.request.values["max_discount"] == "12.00"
    assert not inbox_steps(actor=world.rep).exists()  # the requester never approves
    with pytest.raises(ValidationError):  # waiting: not sent, not changed
        do("send", world.rep, q)
    approval_approve(actor=world.manager, request=step.request)
    q = Quote.objects.get(pk=q.pk)
    assert q.state == "approved"
    assert do("send", world.rep, q).state == "sent"


def test_a_rejected_quote_goes_back_to_draft(world, shop):
    rule_over_10_percent(world)
    q = new(world.rep, world.huawei, item("1000", discount_percent="15"))
    q = do("submit", world.rep, q)
    approval_reject(
        actor=world.manager, request=inbox_steps(actor=world.manager).get().request, comment="Too much"
    )
    q = Quote.objects.get(pk=q.pk)
    assert q.state == "draft"
    q = quotes.quote_update(
        actor=world.rep, quote=q, version=q.version, data={"lines": [item("1000", discount_percent="8")]}
    )
    assert q.max_discount == Decimal(8)
    # Only the "over 10 %" rule: a quote that matches no rule is refused, never passed silently.
    with pytest.raises(ApprovalSetupError):
        do("submit", world.rep, q)
    assert state_of(q) == "draft"


def test_a_rule_that_needs_no_approval_makes_the_quote_ready(world, shop):
    approval_rule_create(actor=world.admin, document_type="crm.quote", name="Small", no_approval=True)
    q = new(world.rep, world.huawei, item())
    q = do("submit", world.rep, q)
    assert state_of(q) == "approved"


def test_send_only_an_approved_quote_to_a_valid_address(
    world, shop, django_capture_on_commit_callbacks, tmp_path, caplog
):
    chinese(world)
    q = new(world.rep, world.huawei, shop.line)
    assert "state" in refused(lambda: do("send", world.rep, q))
    q = do("submit", world.rep, q)
    assert "email" in refused(lambda: do("send", world.rep, q, email="not an address"))
    assert state_of(q) == "approved"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        q = do("send", world.rep, q, email="buyer@huawei.example")
    assert len(callbacks) == 1 and mail.outbox == []  # nothing is e-mailed before the commit
    with caplog.at_level("WARNING", logger="weasyprint"):
        callbacks[0]()
    assert not [r.getMessage() for r in caplog.records if r.name == "weasyprint"]  # its CSS is all PDF-able
    assert q.state == "sent" and q.sent_to == "buyer@huawei.example" and q.sent_at
    message = mail.outbox[0]
    assert message.to == ["buyer@huawei.example"] and message.reply_to == [world.rep.email]
    assert q.number in message.subject
    name, pdf, mime = message.attachments[0]
    assert (name, mime) == (f"{q.number}.pdf", "application/pdf")
    text = pdf_text(pdf, tmp_path)
    assert "大写" in text and "壹万贰仟捌佰捌拾壹元玖角柒分" in text and "48口交换机" in text


def test_an_english_quote_has_no_capitals(world, shop, django_capture_on_commit_callbacks, tmp_path):
    q = new(world.rep, world.huawei, {"product": shop.switch.pk}, language="en")
    q = do("submit", world.rep, q)
    with django_capture_on_commit_callbacks(execute=True):
        q = do("send", world.rep, q, email="ops@huawei.example")
    text = pdf_text(mail.outbox[0].attachments[0][1], tmp_path)
    assert "48-port switch" in text and "4,519.99" in text and "大写" not in text
    assert mail.outbox[0].subject == f"Quote {q.number}"
    with django_capture_on_commit_callbacks(execute=True):  # sent without an address: no e-mail
        q = do("send", world.rep, q)
    assert len(mail.outbox) == 1 and q.sent_to == "ops@huawei.example"


def test_revise_keeps_the_sent_quote_and_copies_its_lines(world, shop):
    q = sent(world, shop, notes="Net 30")
    r1 = do("revise", world.rep, q)
    q.refresh_from_db()
    assert q.state == "superseded" and r1.state == "draft" and r1.previous == q
    assert r1.number == f"{q.number}-R1" and r1.revision == 1 and r1.notes == "Net 30"
    assert lines_of(r1, LINE + AMOUNTS) == lines_of(q, LINE + AMOUNTS) and r1.gross_total == q.gross_total
    with pytest.raises(ValidationError):  # a draft is changed, not revised
        do("revise", world.rep, r1)
    r1 = do("submit", world.rep, r1)
    r2 = do("revise", world.rep, r1)
    assert r2.number == f"{q.number}-R2" and r2.previous_id == r1.pk and r2.revision == 2
    assert Quote.objects.get(pk=r1.pk).state == "superseded"
    current = quote_list(actor=world.rep, filters=QuoteFilters())
    assert list(current) == [r2]  # superseded ones are left out of the current list
    assert quote_list(actor=world.rep, filters=QuoteFilters(state="all")).count() == 3


def test_accept_makes_a_sales_order_and_an_active_customer(world, shop):
    assert world.huawei.customer_status == "prospect"
    q = sent(world, shop)
    order = do("accept", world.rep, q)
    q.refresh_from_db()
    assert q.state == "accepted" and q.decided_at and order.quote == q and order.state == "confirmed"
    assert re.fullmatch(r"SO\d{6}-\d{4}", order.number), order.number
    assert (order.net_total, order.tax_total, order.gross_total) == (q.net_total, q.tax_total, q.gross_total)
    header = ("customer", "owner", "team", "currency_id", "company")
    assert [getattr(order, f) for f in header] == [getattr(q, f) for f in header]
    assert lines_of(order, LINE + AMOUNTS) == lines_of(q, LINE + AMOUNTS) and len(lines_of(order)) == 1
    assert Party.objects.get(pk=world.huawei.pk).customer_status == "active"
    status_changes = AuditEntry.objects.filter(
        target_type="parties.party", action="update", changes__has_key="customer_status"
    )
    audit = status_changes.get(target_id=str(world.huawei.pk))
    assert audit.changes["customer_status"] == ["prospect", "active"]
    assert order.number in audit.changes["reason"][1]
    assert AuditEntry.objects.filter(target_type="crm.salesorder", target_id=str(order.pk)).exists()
    with pytest.raises(ValidationError):
        do("accept", world.rep, q)
    # A second order leaves an active customer as it is.
    again = sent(world, shop)
    do("accept", world.rep, again)
    assert SalesOrder.objects.count() == 2
    assert status_changes.count() == 1


def test_an_order_wakes_a_dormant_customer(world, shop):
    do("accept", world.rep, sent(world, shop))
    assert customers_mark_inactive(today=timezone.localdate() + dt.timedelta(days=3650)) == 1
    assert Party.objects.get(pk=world.huawei.pk).customer_status == "inactive"  # no order for ten years
    do("accept", world.rep, sent(world, shop))
    assert Party.objects.get(pk=world.huawei.pk).customer_status == "active"


def test_reject_only_a_sent_quote(world, shop):
    draft = new(world.rep, world.huawei, item())
    with pytest.raises(ValidationError):
        do("reject", world.rep, draft)
    q = do("reject", world.rep, sent(world, shop))
    assert q.state == "rejected" and q.decided_at and not SalesOrder.objects.exists()
    with pytest.raises(ValidationError):
        do("accept", world.rep, q)
    assert do("revise", world.rep, q).state == "draft"


def test_the_expiry_job_expires_sent_quotes_past_their_date_once(world, shop):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    old = sent(world, shop, valid_until=yesterday)
    fresh = sent(world, shop, valid_until=timezone.localdate().isoformat())  # its last valid day is today
    ready = do("submit", world.rep, new(world.rep, world.huawei, item(), valid_until=yesterday))
    assert quotes_expire_task.enqueue().return_value == 1
    assert quotes.quotes_expire() == 0  # run twice: nothing more
    states = dict(Quote.objects.values_list("pk", "state"))
    assert (states[old.pk], states[fresh.pk], states[ready.pk]) == ("expired", "sent", "approved")
    assert Quote.objects.get(pk=old.pk).version == old.version + 1
    expired = AuditEntry.objects.filter(target_type="crm.quote", changes__state__1="Expired")
    assert list(expired.values_list("target_id", flat=True)) == [str(old.pk)]
    assert do("revise", world.rep, Quote.objects.get(pk=old.pk)).number == f"{old.number}-R1"


def test_reps_reach_their_own_and_their_teams_quotes(world, shop):
    q = new(world.rep, world.huawei, item())
    assert quote_get(actor=world.manager, pk=q.pk) == q
    q = quotes.quote_update(actor=world.manager, quote=q, version=q.version, data={"notes": "checked"})
    # A rep of the same team reaches it through the quote's team ("own" = mine or my team's).
    assert list(quote_visible(actor=world.mate, mode="edit")) == [q]
    q = quotes.quote_update(actor=world.mate, quote=q, version=q.version, data={"notes": "seen"})
    assert list(quote_visible(actor=world.rep_west)) == []
    for change in (
        lambda: quote_get(actor=world.rep_west, pk=q.pk),
        lambda: quotes.quote_update(actor=world.rep_west, quote=q, version=q.version, data={"notes": "x"}),
        lambda: do("submit", world.rep_west, q),
    ):
        with pytest.raises(NotFoundError):
            change()
    assert Quote.objects.get(pk=q.pk).notes == "seen"


def test_an_executive_reads_and_a_buyer_sees_nothing(world, shop):
    q = sent(world, shop)
    assert quote_get(actor=world.executive, pk=q.pk) == q
    assert list(quote_list(actor=world.executive, filters=QuoteFilters())) == [q]
    for change in (
        lambda: quotes.quote_update(actor=world.executive, quote=q, version=q.version, data={"notes": "x"}),
        lambda: do("reject", world.executive, q),
        lambda: do("accept", world.executive, q),
        lambda: do("revise", world.executive, q),
        lambda: new(world.executive, world.huawei, item()),
    ):
        with pytest.raises(PermissionDeniedError):
            change()
    assert state_of(q) == "sent"
    assert not quote_visible(actor=world.buyer).exists()
    refused(lambda: quote_list(actor=world.buyer, filters=QuoteFilters()), PermissionDeniedError)
    refused(lambda: quote_get(actor=world.buyer, pk=q.pk), PermissionDeniedError)
