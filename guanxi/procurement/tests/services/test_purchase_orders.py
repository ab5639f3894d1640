"""Purchase orders (guanxi.procurement.services.orders): prices from the supplier's price information, approval
by amount (never by the buyer who asks), sending, the supplier's confirmation with the statistical promised
date kept apart from the planning date, cancel and close — and every refusal leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.procurement.models import PurchaseOrder
from guanxi.procurement.selectors.orders import OrderFilters, order_get, order_list
from guanxi.procurement.services.orders import (
    order_cancel,
    order_close,
    order_confirm,
    order_create,
    order_send,
    order_submit,
    order_update,
)
from guanxi.procurement.services.prices import supplier_price_record


def _order(shop, actor=None, supplier=None, **line):
    line = {"product": shop.resistor.pk, "quantity": "1000", "unit_price": "2", **line}
    return order_create(
        actor=actor or shop.buyer,
        data={"supplier": (supplier or shop.huaqiang).pk, "lines": [line], "payment_terms": "月结30天"},
    )


def _submit(o, actor):
    return order_submit(actor=actor, order=o, version=o.version)


def test_a_small_order_is_approved_at_once_with_the_suppliers_price(shop):
    supplier_price_record(
        actor=shop.buyer,
        data={
            "supplier": shop.huaqiang.pk,
            "product": shop.resistor.pk,
            "unit_price": "0.02",
            "supplier_code": "HQ-10K",
            "breaks": [{"min_quantity": "10000", "unit_price": "0.015"}],
        },
    )
    o = _order(shop, quantity="20000", unit_price="")
    line = o.lines.get()
    assert (line.unit_price, line.supplier_code, line.supplier_price is not None) == (
        Decimal("0.015"),
        "HQ-10K",
        True,
    )
    assert (o.net_total, o.tax_total, o.gross_total) == (Decimal("300"), Decimal("39"), Decimal("339"))
    assert o.number.startswith("PO") and o.state == "draft" and o.owner == shop.buyer
    o = _submit(o, shop.buyer)
    assert o.state == "approved" and o.approved_total == Decimal("339")


def test_a_large_order_waits_for_a_procurement_manager_never_the_buyer(shop):
    o = _order(shop, quantity="10000", unit_price="5")  # 56,500 CNY with VAT
    o = _submit(o, shop.buyer)
    assert o.state == "pending"
    request = approval_status_of(o)
    with pytest.raises(Exception):  # noqa: B017  the requester is never one of the approvers
        approval_approve(actor=shop.buyer, request=request)
    approval_approve(actor=shop.pm, request=request)
    o.refresh_from_db()
    assert o.state == "approved" and o.approved_total == Decimal("56500")


def test_a_rejected_order_returns_to_draft_and_may_be_submitted_again(shop):
    o = _submit(_order(shop, quantity="10000", unit_price="5"), shop.buyer)
    approval_reject(actor=shop.pm, request=approval_status_of(o), comment="价格太高")
    o.refresh_from_db()
    assert o.state == "draft"
    o = order_update(
        actor=shop.buyer,
        order=o,
        version=o.version,
        data={"lines": [{"product": shop.resistor.pk, "quantity": "1000", "unit_price": "4"}]},
    )
    assert _submit(o, shop.buyer).state == "approved"


def test_blocked_candidate_and_on_hold_suppliers_receive_no_orders(shop):
    for party in (shop.blocked, shop.candidate):
        with pytest.raises(ValidationError) as exc:
            _order(shop, actor=shop.admin, supplier=party)
        assert (
            "purchase orders go only to approved or preferred suppliers"
            in exc.value.message_dict["supplier"][0]
        )
    assert not PurchaseOrder.objects.exists()
    o = _order(shop)
    party_set_supplier_status(actor=shop.admin, party=shop.huaqiang, status="blocked")
    with pytest.raises(ValidationError) as exc:
        _submit(o, shop.buyer)
    assert "supplier" in exc.value.message_dict
    o.refresh_from_db()
    assert o.state == "draft"


def test_send_confirm_keeps_the_first_promised_date(shop, django_capture_on_commit_callbacks, mailoutbox):
    o = _submit(_order(shop, requested_date="2026-12-10"), shop.buyer)
    with django_capture_on_commit_callbacks(execute=True):
        o = order_send(actor=shop.buyer, order=o, version=o.version, email="wang@huaqiang.example")
    assert o.state == "sent" and o.sent_to == "wang@huaqiang.example"
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments[0][0] == f"{o.number}.pdf"
    line = o.lines.get()
    o = order_confirm(actor=shop.buyer, order=o, version=o.version, dates={line.pk: "2026-12-12"})
    line.refresh_from_db()
    assert o.state == "confirmed" and o.acknowledged_at is not None
    assert (line.requested_date, line.first_confirmed_date, line.planned_date) == (
        dt.date(2026, 12, 10),
        dt.date(2026, 12, 12),
        dt.date(2026, 12, 12),
    )
    # The supplier moves its date: only the planning date follows.
    o = order_confirm(actor=shop.buyer, order=o, version=o.version, dates={line.pk: "2026-12-20"})
    line.refresh_from_db()
    assert (line.first_confirmed_date, line.planned_date) == (dt.date(2026, 12, 12), dt.date(2026, 12, 20))


def test_a_confirmation_needs_every_lines_date_and_only_this_orders_lines(shop):
    o = _submit(_order(shop), shop.buyer)
    o = order_send(actor=shop.buyer, order=o, version=o.version)
    other = _submit(_order(shop), shop.buyer)
    with pytest.raises(ValidationError) as exc:
        order_confirm(actor=shop.buyer, order=o, version=o.version, dates={})
    assert "dates" in exc.value.message_dict
    with pytest.raises(ValidationError):
        order_confirm(
            actor=shop.buyer, order=o, version=o.version, dates={other.lines.get().pk: "2026-12-01"}
        )
    with pytest.raises(ValidationError):
        order_confirm(actor=shop.buyer, order=o, version=o.version, dates={o.lines.get().pk: "soon"})
    o.refresh_from_db()
    assert o.state == "sent"


def test_cancel_and_close_need_a_reason_once_the_supplier_has_the_order(shop):
    o = _submit(_order(shop), shop.buyer)
    o = order_send(actor=shop.buyer, order=o, version=o.version)
    with pytest.raises(ValidationError) as exc:
        order_cancel(actor=shop.buyer, order=o, version=o.version)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        order_close(actor=shop.buyer, order=o, version=o.version)
    assert "reason" in exc.value.message_dict
    o = order_cancel(actor=shop.buyer, order=o, version=o.version, reason="客户取消了订单")
    assert o.state == "cancelled" and o.close_reason == "客户取消了订单"
    with pytest.raises(ValidationError):
        order_send(actor=shop.buyer, order=o, version=o.version)


def test_cancelling_a_pending_order_withdraws_its_approval_request(shop):
    o = _submit(_order(shop, quantity="10000", unit_price="5"), shop.buyer)
    o = order_cancel(actor=shop.buyer, order=o, version=o.version)
    assert o.state == "cancelled"
    assert approval_status_of(o).status == "cancelled"


def test_lines_are_checked_all_at_once_and_nothing_is_written(shop):
    with pytest.raises(ValidationError) as exc:
        order_create(
            actor=shop.buyer,
            data={
                "supplier": shop.huaqiang.pk,
                "lines": [
                    {"product": shop.sold_only.pk, "quantity": "1"},
                    {"product": shop.resistor.pk, "quantity": "-5", "unit_price": "1"},
                    {"description": "运费", "quantity": "1"},
                    {
                        "product": shop.carton.pk,
                        "quantity": "1",
                        "unit_price": "1",
                        "requested_date": "2026-13-01",
                    },
                ],
            },
        )
    assert set(exc.value.message_dict) == {
        "lines[0].product",
        "lines[1].quantity",
        "lines[2].unit_price",
        "lines[3].requested_date",
    }
    assert not PurchaseOrder.objects.exists()


def test_who_may_see_and_change(shop):
    o = _order(shop)
    # A buyer of the same team stands in for a colleague (the team's orders are "own" for a buyer) …
    o = order_update(actor=shop.mate, order=o, version=o.version, data={"notes": "王芳请假，由同组跟进"})
    # … an executive sees every order but changes none …
    assert order_get(actor=shop.executive, pk=o.pk) == o
    with pytest.raises(PermissionDeniedError):
        order_update(actor=shop.executive, order=o, version=o.version, data={"notes": "x"})
    # … a buyer of another team does not see it.
    with pytest.raises(NotFoundError):
        order_get(actor=shop.buyer_west, pk=o.pk)
    with pytest.raises(PermissionDeniedError):
        order_get(actor=shop.rep, pk=o.pk)
    with pytest.raises(PermissionDeniedError):
        _order(shop, actor=shop.rep)
    assert list(order_list(actor=shop.pm, filters=OrderFilters(supplier=shop.huaqiang.pk))) == [o]
    assert list(order_list(actor=shop.buyer_west, filters=OrderFilters())) == []


def test_a_stale_version_is_refused(shop):
    o = _order(shop)
    order_update(actor=shop.buyer, order=o, version=o.version, data={"notes": "加急"})
    with pytest.raises(ConflictError):
        order_update(actor=shop.buyer, order=o, version=o.version, data={"notes": "x"})


def test_the_history_keeps_states_as_codes_read_in_the_readers_language(shop):
    from django.utils import translation

    from guanxi.core.audit_display import change_lines

    o = _submit(_order(shop, quantity="10000", unit_price="5"), shop.buyer)
    entry = AuditEntry.objects.filter(target_type="procurement.purchaseorder", target_id=str(o.pk)).latest(
        "id"
    )
    assert entry.changes["state"] == ["draft", "pending"]
    with translation.override("zh-hans"):
        assert "草稿 → 待审批" in [str(x) for x in change_lines(entry)][0]
