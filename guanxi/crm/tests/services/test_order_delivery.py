"""A sales order after it is confirmed (guanxi.crm.services.order_delivery): delivery dates per line, deliveries
that move it to partially delivered and delivered, close (short only with a reason), cancel (only when nothing
was delivered, collected or invoiced), versions, permissions, audit, the order page and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.tests.factories import make_company
from guanxi.crm.choices import OrderState
from guanxi.crm.models import OrderDelivery, SalesOrder
from guanxi.crm.services import order_delivery as svc
from guanxi.crm.services import orders, quotes
from guanxi.crm.services import receivables as rec

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def order(world):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    lines = [
        {"description": "交换机", "quantity": "10", "unit_price": "100"},
        {"description": "安装服务", "quantity": "1", "unit_price": "500"},
    ]
    q = quotes.quote_create(actor=world.rep, data={"customer": world.huawei.pk, "lines": lines})
    q = quotes.quote_submit(actor=world.rep, quote=q, version=q.version)
    q = quotes.quote_send(actor=world.rep, quote=q, version=q.version)
    return orders.quote_accept(actor=world.rep, quote=q, version=q.version)


def fresh(order) -> SalesOrder:
    return SalesOrder.objects.get(pk=order.pk)


def lines(order):
    return list(order.lines.order_by("position", "id"))


def errors(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def test_deliveries_move_the_order_to_partial_then_delivered(world, order):
    switch, service = lines(order)
    svc.order_deliver(
        actor=world.rep, order=order, version=order.version, quantities={switch.pk: "4"}, note="顺丰 SF123"
    )
    order = fresh(order)
    assert order.state == OrderState.PARTIAL
    switch.refresh_from_db()
    assert (switch.delivered_quantity, switch.to_deliver) == (Decimal("4"), Decimal("6"))
    svc.order_deliver(
        actor=world.rep, order=order, version=order.version, quantities={switch.pk: "6", service.pk: "1"}
    )
    order = fresh(order)
    assert order.state == OrderState.DELIVERED and OrderDelivery.objects.filter(order=order).count() == 2
    states = [
        e.changes.get("state")
        for e in AuditEntry.objects.filter(target_type="crm.salesorder", target_id=str(order.pk)).order_by(
            "id"
        )
    ]
    assert ["Partially delivered", "Delivered"] in states


def test_a_delivery_above_what_is_left_or_not_positive_is_refused(world, order):
    switch, service = lines(order)
    found = errors(
        lambda: svc.order_deliver(
            actor=world.rep,
            order=order,
            version=order.version,
            quantities={switch.pk: "11", service.pk: "-1"},
        )
    )
    assert set(found) == {f"lines.{switch.pk}", f"lines.{service.pk}"}
    assert "10" in found[f"lines.{switch.pk}"][0]
    assert "lines" in errors(
        lambda: svc.order_deliver(actor=world.rep, order=order, version=order.version, quantities={})
    )
    assert "delivered_on" in errors(
        lambda: svc.order_deliver(
            actor=world.rep,
            order=order,
            version=order.version,
            quantities={switch.pk: "1"},
            delivered_on=TODAY + dt.timedelta(days=5),
        )
    )
    assert fresh(order).state == OrderState.CONFIRMED and not OrderDelivery.objects.exists()


def test_a_line_of_another_order_is_not_delivered(world, order):
    found = errors(
        lambda: svc.order_deliver(
            actor=world.rep, order=order, version=order.version, quantities={"999999": "1"}
        )
    )
    assert "lines.999999" in found


def test_a_stale_version_is_a_conflict(world, order):
    switch, _service = lines(order)
    svc.order_deliver(actor=world.rep, order=order, version=order.version, quantities={switch.pk: "1"})
    with pytest.raises(ConflictError):
        svc.order_deliver(actor=world.rep, order=order, version=order.version, quantities={switch.pk: "1"})


def test_delivery_dates_are_set_per_line_and_not_before_the_order(world, order):
    switch, service = lines(order)
    svc.order_set_delivery_dates(
        actor=world.rep, order=order, version=order.version, dates={switch.pk: TODAY + dt.timedelta(days=7)}
    )
    switch.refresh_from_db()
    assert switch.delivery_date == TODAY + dt.timedelta(days=7)
    order = fresh(order)
    found = errors(
        lambda: svc.order_set_delivery_dates(
            actor=world.rep,
            order=order,
            version=order.version,
            dates={service.pk: TODAY - dt.timedelta(days=30)},
        )
    )
    assert f"lines.{service.pk}" in found


def test_closing_short_needs_a_reason_and_a_closed_order_takes_no_delivery(world, order):
    switch, _service = lines(order)
    assert "reason" in errors(lambda: svc.order_close(actor=world.rep, order=order, version=order.version))
    svc.order_close(actor=world.rep, order=order, version=order.version, reason="客户取消剩余部分")
    order = fresh(order)
    assert order.state == OrderState.CLOSED and order.closed_at and order.close_reason == "客户取消剩余部分"
    assert "state" in errors(
        lambda: svc.order_deliver(
            actor=world.rep, order=order, version=order.version, quantities={switch.pk: "1"}
        )
    )


def test_a_delivered_order_closes_without_a_reason(world, order):
    switch, service = lines(order)
    svc.order_deliver(
        actor=world.rep, order=order, version=order.version, quantities={switch.pk: "10", service.pk: "1"}
    )
    order = fresh(order)
    svc.order_close(actor=world.rep, order=order, version=order.version)
    assert fresh(order).state == OrderState.CLOSED


def test_cancel_needs_a_reason_and_an_untouched_order(world, order):
    assert "reason" in errors(
        lambda: svc.order_cancel(actor=world.rep, order=order, version=order.version, reason="")
    )
    rec.collection_record(actor=world.rep, order=order, data={"amount": "100"})
    order = fresh(order)
    assert "state" in errors(
        lambda: svc.order_cancel(actor=world.rep, order=order, version=order.version, reason="客户撤单")
    )


def test_a_cancelled_order_takes_no_collection(world, order):
    svc.order_cancel(actor=world.rep, order=order, version=order.version, reason="客户撤单")
    order = fresh(order)
    assert order.state == OrderState.CANCELLED and order.cancelled_at
    assert "state" in errors(
        lambda: rec.collection_record(actor=world.rep, order=order, data={"amount": "100"})
    )


def test_who_may_change_an_order(world, order):
    switch, _service = lines(order)
    with pytest.raises(PermissionDeniedError):
        svc.order_deliver(
            actor=world.executive, order=order, version=order.version, quantities={switch.pk: "1"}
        )
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        svc.order_deliver(
            actor=world.rep_west, order=order, version=order.version, quantities={switch.pk: "1"}
        )
    svc.order_deliver(actor=world.manager, order=order, version=order.version, quantities={switch.pk: "1"})
    assert fresh(order).state == OrderState.PARTIAL


def test_the_order_page_records_a_delivery(world, order, client):
    switch, service = lines(order)
    client.force_login(world.rep)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Record a delivery" in page and f'name="qty-{switch.pk}"' in page
    response = client.post(
        f"/sales/orders/{order.pk}/deliver/",
        {
            "version": order.version,
            f"qty-{switch.pk}": "10",
            f"qty-{service.pk}": "1",
            "delivered_on": str(TODAY),
        },
        follow=True,
    )
    assert "The delivery is recorded." in response.content.decode()
    assert fresh(order).state == OrderState.DELIVERED
    refused = client.post(
        f"/sales/orders/{order.pk}/cancel/", {"version": fresh(order).version, "reason": "x"}, follow=True
    )
    assert "Only an order nothing of which was delivered is cancelled." in refused.content.decode()
    client.force_login(world.executive)
    assert "Record a delivery" not in client.get(order.get_absolute_url()).content.decode()


def test_the_api_delivers_sets_dates_and_closes(world, order, api_as):
    switch, service = lines(order)
    api = api_as(world.rep)
    got = api.post(
        f"/orders/{order.pk}/deliveries",
        {"version": order.version, "lines": [{"line": switch.pk, "quantity": "3"}], "note": "德邦"},
    )
    assert got.status_code == 200, got.content
    body = got.json()
    assert body["state"] == "partial"
    assert [x["delivered_quantity"] for x in body["lines"]] == ["3.000", "0.000"]
    stale = api.post(f"/orders/{order.pk}/close", {"version": order.version, "reason": "x"})
    assert stale.status_code == 409
    dates = api.put(
        f"/orders/{order.pk}/delivery-dates",
        {"version": body["version"], "lines": [{"line": service.pk, "delivery_date": str(TODAY)}]},
    )
    assert dates.status_code == 200 and dates.json()["lines"][1]["delivery_date"] == str(TODAY)
    closed = api.post(
        f"/orders/{order.pk}/close", {"version": dates.json()["version"], "reason": "余量不再发货"}
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert (
        api.post(
            f"/orders/{order.pk}/cancel", {"version": closed.json()["version"], "reason": "x"}
        ).status_code
        == 422
    )
