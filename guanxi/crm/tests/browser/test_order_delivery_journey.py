"""Delivering a sales order (发货) in a real browser. The order (a switch ×10, an installation ×1, ordered ten days
ago) is made through the services; on its page the Executive (read-only) sees the delivery table and no
operation; the rep sets the lines' delivery dates (the installation's is passed: red), records a delivery of
4 switches (partially delivered), tries to deliver 7 of the 6 left and is refused, delivers the rest
(delivered) and closes the order. In English at 1280 px and in 简体中文 at 390 px (nothing wider than the
screen, no CSP violation, none of the feature's English left on a Chinese page). Screenshots:
/tmp/shots/delivery-*.

Then two short ones: a partly delivered order still takes a collection on its Collections tab (the delivery
operations' first route, orders/<pk>/<op>/, answered the receivables forms too: fixed since), and the delivery
forms' text fields look like the app's other fields on a phone (they once had no type, so no field style)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.browser.support import CASES, DESKTOP, PHONE, Journey, as_user, follow
from guanxi.core.tests.factories import make_company
from guanxi.crm.choices import OrderState
from guanxi.crm.models import Collection, OrderDelivery, SalesOrder
from guanxi.crm.services import order_delivery as svc
from guanxi.crm.services import orders, quotes
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAYBILL = "顺丰 SF1234567890"
# What the journey shows of the feature: on a Chinese page none of it may be left in English.
SHOWN = [
    "Delivery",
    "Ordered",
    "Delivered",
    "To deliver",
    "Record a delivery",
    "Close the order",
    "Cancel the order",
    "Deliveries",
    "Partially delivered",
    "to deliver",
    "Delivered on",
    "Note (courier",
    "Save delivery dates",
    "Record the delivery",
    "Reason",
    "is recorded",
    "saved",
    "At most",
    "closed",
]


def _order(admin, rep, customer, *, days_ago: int = 10) -> SalesOrder:
    """A confirmed order of two lines (quote made, submitted, sent and accepted by the rep), dated back."""
    make_company(admin, name_zh="关系示范", default_currency="CNY", is_default=True)
    lines = [
        {"description": "交换机", "quantity": "10", "unit_price": "100"},
        {"description": "安装服务", "quantity": "1", "unit_price": "500"},
    ]
    q = quotes.quote_create(actor=rep, data={"customer": customer.pk, "lines": lines})
    q = quotes.quote_submit(actor=rep, quote=q, version=q.version)
    q = quotes.quote_send(actor=rep, quote=q, version=q.version)
    order = orders.quote_accept(actor=rep, quote=q, version=q.version)
    SalesOrder.objects.filter(pk=order.pk).update(
        ordered_on=timezone.localdate() - dt.timedelta(days=days_ago)
    )
    return SalesOrder.objects.get(pk=order.pk)


@CASES
def test_a_rep_delivers_an_order_in_two_parts_and_closes_it(
    page, live_server, make_user, admin_user, lang, viewport
):
    east = Team.objects.create(name="East")
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[east], language=lang)
    executive = make_user("zhao.dong", roles=[R.EXECUTIVE], language=lang)
    customer = make_org(admin_user, "华为技术有限公司", owner=rep)
    order = _order(admin_user, rep, customer)
    switch, service = order.lines.order_by("position")
    today = timezone.localdate()
    url = f"{live_server.url}{order.get_absolute_url()}"

    j = Journey(page, live_server, lang, viewport, prefix="delivery", shown=SHOWN)
    T, check = j.T, j.check
    section = page.locator("#order-delivery")
    rows = section.locator("table.delivery-table tbody tr")
    state = page.locator("#order-state")

    def cell(row: int, col: int):
        return rows.nth(row).locator("td").nth(col)

    def operation(label: str):
        """Open one of the order's operations (folded under its button); its form."""
        op = section.locator("details.op").filter(has=page.locator("summary", has_text=label))
        op.locator("summary").click()
        form = op.locator("form")
        expect(form).to_be_visible()
        return form

    # 1. The Executive reads the order: the delivery table, but no operation.
    j.as_user(executive)
    page.goto(url)
    expect(state).to_have_text(T("Confirmed"))
    expect(rows).to_have_count(2)
    expect(section).to_contain_text(T("To deliver"))
    expect(section.locator("details.op")).to_have_count(0)
    expect(section.locator("form")).to_have_count(0)
    check("executive")

    # 2. The rep sets the delivery dates: the switches in two weeks, the installation yesterday (passed: red).
    j.as_user(rep)
    page.goto(url)
    expect(section.locator("details.op > summary")).to_have_text(
        [T("Record a delivery"), T("Delivery dates"), T("Close the order"), T("Cancel the order")]
    )
    soon, passed = today + dt.timedelta(days=14), today - dt.timedelta(days=1)
    form = operation(T("Delivery dates"))
    form.locator(f"#date-{switch.pk}").fill(soon.isoformat())
    form.locator(f"#date-{service.pk}").fill(passed.isoformat())
    check("dates-form")
    follow(page, form.get_by_role("button", name=T("Save delivery dates")))
    expect(page.locator(".msg.success")).to_have_text(T("Delivery dates saved."))
    expect(cell(0, 5)).to_have_text(soon.isoformat())
    expect(cell(1, 5)).to_have_text(passed.isoformat())
    expect(cell(0, 5)).not_to_have_class("overdue")
    expect(cell(1, 5)).to_have_class("overdue")
    switch.refresh_from_db()
    service.refresh_from_db()
    assert (switch.delivery_date, service.delivery_date) == (soon, passed)
    check("dates-saved")

    # 3. A first delivery: 4 of the 10 switches, nothing of the installation (left empty).
    form = operation(T("Record a delivery"))
    expect(form.locator(f"#qty-{switch.pk}")).to_have_value("10")
    expect(form.locator(f"#qty-{service.pk}")).to_have_value("1")
    expect(form.locator("#delivered_on")).to_have_value(today.isoformat())
    form.locator(f"#qty-{switch.pk}").fill("4")
    form.locator(f"#qty-{service.pk}").fill("")
    form.locator("#delivery-note").fill(WAYBILL)
    check("first-delivery-form")
    follow(page, form.get_by_role("button", name=T("Record the delivery")))
    expect(page.locator(".msg.success")).to_have_text(T("The delivery is recorded."))
    expect(state).to_have_text(T("Partially delivered"))
    expect(cell(0, 3)).to_have_text("4")
    expect(cell(0, 4)).to_have_text("6")
    expect(cell(1, 4)).to_have_text("1")
    expect(section.locator("ul.deliveries li")).to_have_count(1)
    expect(section.locator("ul.deliveries li")).to_contain_text(f"#1 × 4 · {WAYBILL}")
    assert SalesOrder.objects.get(pk=order.pk).state == OrderState.PARTIAL
    check("partial")

    # 4. 7 switches of the 6 left: refused, nothing recorded.
    form = operation(T("Record a delivery"))
    expect(form.locator(f"#qty-{switch.pk}")).to_have_value("6")
    form.locator(f"#qty-{switch.pk}").fill("7")
    follow(page, form.get_by_role("button", name=T("Record the delivery")))
    expect(page.locator(".msg.error")).to_contain_text(
        T("Line %(line)s: at most %(n)s is still to be delivered.") % {"line": 1, "n": "6"}
    )
    expect(state).to_have_text(T("Partially delivered"))
    expect(cell(0, 4)).to_have_text("6")
    assert OrderDelivery.objects.filter(order=order).count() == 1
    check("refused")

    # 5. The rest, as the form offers it: delivered; the dates and deliveries are done with, the red is gone.
    form = operation(T("Record a delivery"))
    follow(page, form.get_by_role("button", name=T("Record the delivery")))
    expect(page.locator(".msg.success")).to_have_text(T("The delivery is recorded."))
    expect(state).to_have_text(T("Delivered"))
    expect(cell(0, 4)).to_have_text("0")
    expect(cell(1, 4)).to_have_text("0")
    expect(cell(1, 5)).not_to_have_class("overdue")
    expect(section.locator("ul.deliveries li")).to_have_count(2)
    expect(section.locator("details.op > summary")).to_have_text([T("Close the order")])
    check("delivered")

    # 6. Closed, without a reason (all was delivered): no operation is left.
    form = operation(T("Close the order"))
    expect(form).not_to_contain_text(T("Not everything is delivered: say why the rest will not be."))
    follow(page, form.get_by_role("button", name=T("Close"), exact=True))
    expect(page.locator(".msg.success")).to_have_text(
        T("Order %(number)s closed.") % {"number": order.number}
    )
    expect(state).to_have_text(T("Closed"))
    expect(section.locator("details.op")).to_have_count(0)
    o = SalesOrder.objects.get(pk=order.pk)
    assert (o.state, o.close_reason) == (OrderState.CLOSED, "")
    assert [ln.delivered_quantity for ln in o.lines.order_by("position")] == [Decimal("10"), Decimal("1")]
    check("closed")
    j.finish()


def test_a_partly_delivered_order_still_takes_a_collection(page, live_server, make_user, admin_user):
    """Regression: the delivery operations' route (orders/<pk>/<op>/) once also took orders/<pk>/collections/,
    plan/ and fapiao/, which then ended in "Unknown operation."."""
    rep = make_user("wang.wei", roles=[R.SALES_REP], teams=[Team.objects.create(name="East")], language="en")
    order = _order(admin_user, rep, make_org(admin_user, "华为技术有限公司", owner=rep))
    switch = order.lines.order_by("position").first()
    svc.order_deliver(actor=rep, order=order, version=order.version, quantities={switch.pk: "4"})
    page.set_viewport_size(DESKTOP)
    page.set_default_timeout(15_000)
    as_user(page, live_server, rep, "en")
    page.goto(f"{live_server.url}{order.get_absolute_url()}?tab=receivables")
    expect(page.locator("#order-state")).to_have_text("Partially delivered")
    expect(page.locator("#receivable-open")).to_contain_text("1,500.00")
    page.fill("#c-amount", "400")
    page.fill("#c-ref", "TX-20240501")
    follow(page, page.get_by_role("button", name="Record the collection"))
    expect(page.locator(".msg.error")).to_have_count(0)
    expect(page.locator("#receivable-open")).to_contain_text("1,100.00")
    assert Collection.objects.get(order=order).amount == Decimal("400")


STYLE = "el => { const s = getComputedStyle(el); return [s.fontSize, s.borderRadius, s.borderTopColor]; }"


def test_the_delivery_forms_fields_look_like_the_others_on_a_phone(page, live_server, make_user, admin_user):
    rep = make_user(
        "wang.wei", roles=[R.SALES_REP], teams=[Team.objects.create(name="East")], language="zh-hans"
    )
    order = _order(admin_user, rep, make_org(admin_user, "华为技术有限公司", owner=rep))
    page.set_viewport_size(PHONE)
    page.set_default_timeout(15_000)
    as_user(page, live_server, rep, "zh-hans")
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    for summary in page.locator("#order-delivery details.op > summary").all():
        summary.click()
    styled = page.locator("#delivered_on").evaluate(STYLE)
    assert styled[0] == "16px"
    fields = page.locator("#order-delivery form input:not([type=hidden]):not([type=date])")
    expect(fields).to_have_count(5)  # two quantities, the note, two reasons
    found = {f.get_attribute("id"): f.evaluate(STYLE) for f in fields.all()}
    assert found == dict.fromkeys(found, styled)
