"""Supplier invoices and the three-way match (guanxi.procurement.services.invoices): a line matches when its
quantity was accepted and its price and tax are the order's (within the tolerances); otherwise it is an
exception that an approval — never by whoever entered it — releases. What cannot be right is refused whole."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.procurement.models import PurchasingSettings, SupplierInvoice
from guanxi.procurement.services.invoices import invoice_cancel, invoice_enter, invoice_release, price_problem
from guanxi.procurement.services.receipts import receipt_post, return_post

from .receiving_support import sent_order


@pytest.fixture
def received(shop):
    """1000 resistors at 2.00 and 200 cartons at 3.00 ordered; 800 resistors accepted (50 rejected), all cartons."""
    o = sent_order(shop)
    resistor, carton = o.lines.order_by("position")
    receipt_post(
        actor=shop.buyer,
        data={
            "lines": [
                {"order_line": resistor.pk, "received": "850", "rejected": "50", "reject_reason": "quality"},
                {"order_line": carton.pk, "received": "200"},
            ]
        },
    )
    return o, resistor, carton


def _enter(shop, rows, actor=None, **data):
    base = {"fapiao_number": "24442000000012345678", "invoice_date": "2026-11-25", "currency": "CNY"}
    gross = data.pop("stated_gross", None)
    if gross is None:  # what the lines come to, as the supplier would state it
        gross = sum(
            Decimal(r["quantity"]) * Decimal(r.get("unit_price", "2")) * Decimal("1.13") for r in rows
        ).quantize(Decimal("0.01"))
    return invoice_enter(
        actor=actor or shop.buyer, data={**base, "stated_gross": str(gross), "lines": rows, **data}
    )


def test_an_invoice_of_what_was_accepted_at_the_order_price_matches(shop, received):
    _o, resistor, carton = received
    inv = _enter(
        shop,
        [
            {"order_line": resistor.pk, "quantity": "800"},
            {"order_line": carton.pk, "quantity": "200", "unit_price": "3"},
        ],
    )
    assert inv.state == "matched" and inv.number.startswith("PI")
    assert (inv.net_total, inv.tax_total, inv.gross_total) == (
        Decimal("2200"),
        Decimal("286"),
        Decimal("2486"),
    )
    assert all(x.matched for x in inv.lines.all())
    resistor.refresh_from_db()
    assert (resistor.invoiced_quantity, resistor.to_invoice) == (Decimal("800"), Decimal("0"))


def test_more_than_was_accepted_is_refused(shop, received):
    _o, resistor, _carton = received
    with pytest.raises(ValidationError) as exc:
        _enter(shop, [{"order_line": resistor.pk, "quantity": "801"}])
    assert "800" in exc.value.message_dict["lines[0].quantity"][0]
    _enter(shop, [{"order_line": resistor.pk, "quantity": "500"}])
    with pytest.raises(ValidationError) as exc:  # 300 left to invoice
        _enter(shop, [{"order_line": resistor.pk, "quantity": "301"}], fapiao_number="24442000000012345679")
    assert "300" in exc.value.message_dict["lines[0].quantity"][0]
    # Goods sent back are not invoiced either.
    return_post(
        actor=shop.buyer,
        data={"kind": "quality", "reason": "虚焊", "lines": [{"order_line": resistor.pk, "quantity": "100"}]},
    )
    with pytest.raises(ValidationError):
        _enter(shop, [{"order_line": resistor.pk, "quantity": "201"}], fapiao_number="24442000000012345679")


def test_a_dearer_price_is_an_exception_released_by_someone_else(shop, received):
    _o, resistor, _carton = received
    inv = _enter(shop, [{"order_line": resistor.pk, "quantity": "800", "unit_price": "2.20"}])
    line = inv.lines.get()
    assert inv.state == "exception" and line.problems == ["price"] and line.price_difference == Decimal("160")
    inv = invoice_release(actor=shop.buyer, invoice=inv, version=inv.version)
    assert inv.state == "pending"
    request = approval_status_of(inv)
    with pytest.raises(Exception):  # noqa: B017  whoever entered it does not release it
        approval_approve(actor=shop.buyer, request=request)
    approval_reject(actor=shop.pm, request=request, comment="先找供应商确认")
    inv.refresh_from_db()
    assert inv.state == "exception"
    inv = invoice_release(actor=shop.buyer, invoice=inv, version=inv.version)
    approval_approve(actor=shop.pm, request=approval_status_of(inv))
    inv.refresh_from_db()
    assert inv.state == "released"


def test_other_tax_and_a_wrong_total_are_exceptions(shop, received):
    _o, resistor, carton = received
    inv = _enter(
        shop, [{"order_line": resistor.pk, "quantity": "10", "tax_percent": "9"}], stated_gross="21.80"
    )
    assert inv.lines.get().problems == ["tax"] and inv.problems == []
    inv2 = _enter(
        shop,
        [{"order_line": carton.pk, "quantity": "10", "unit_price": "3"}],
        stated_gross="500",
        fapiao_number="12345678",
    )
    assert inv2.state == "exception" and inv2.problems == ["total"] and inv2.lines.get().matched


def test_bad_input_is_refused_whole(shop, received):
    _o, resistor, _carton = received
    for data, key in (
        ({"fapiao_number": "12ab"}, "fapiao_number"),
        ({"fapiao_code": "123"}, "fapiao_code"),
        ({"invoice_date": ""}, "invoice_date"),
        ({"currency": "USD"}, "lines[0].order_line"),
        ({"stated_gross": "-5"}, "stated_gross"),
    ):
        with pytest.raises(ValidationError) as exc:
            _enter(shop, [{"order_line": resistor.pk, "quantity": "1"}], **data)
        assert key in exc.value.message_dict, (data, exc.value.message_dict)
    assert not SupplierInvoice.objects.exists()


def test_an_amount_too_large_for_its_column_is_refused_not_a_500(shop, received):
    _o, resistor, _carton = received  # 800 × 999,999,999,999 would overflow the line's amount on PostgreSQL
    row = {"order_line": resistor.pk, "quantity": "800", "unit_price": "999999999999"}
    with pytest.raises(ValidationError) as exc:
        _enter(shop, [row], stated_gross="1")
    assert exc.value.message_dict == {"lines[0].unit_price": ["This line's amount is too large."]}
    assert not SupplierInvoice.objects.exists()


def test_a_fapiao_is_entered_once_and_cancelling_frees_it(shop, received):
    _o, resistor, _carton = received
    inv = _enter(shop, [{"order_line": resistor.pk, "quantity": "100"}])
    with pytest.raises(ValidationError) as exc:
        _enter(shop, [{"order_line": resistor.pk, "quantity": "100"}])
    assert "fapiao_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # the same number typed in full-width digits
        _enter(
            shop,
            [{"order_line": resistor.pk, "quantity": "100"}],
            fapiao_number="２４４４２０００００００１２３４５６７８",
        )
    assert "fapiao_number" in exc.value.message_dict
    with pytest.raises(ValidationError):
        invoice_cancel(actor=shop.buyer, invoice=inv, version=inv.version, reason="")
    invoice_cancel(actor=shop.buyer, invoice=inv, version=inv.version, reason="录错了数量")
    resistor.refresh_from_db()
    assert resistor.invoiced_quantity == 0
    assert _enter(shop, [{"order_line": resistor.pk, "quantity": "800"}]).state == "matched"


def test_the_same_fapiao_entered_at_the_same_moment_is_refused_not_a_500(shop, received, monkeypatch):
    # Two clerks: both pass the "entered already?" check before either saves; the unique index decides.
    from guanxi.procurement.services import invoices

    _o, resistor, _carton = received
    _enter(shop, [{"order_line": resistor.pk, "quantity": "100"}])
    monkeypatch.setattr(invoices, "fapiao_taken", lambda *args: False)
    with pytest.raises(ValidationError) as exc:
        _enter(shop, [{"order_line": resistor.pk, "quantity": "100"}])
    assert "entered already" in exc.value.message_dict["fapiao_number"][0]
    assert SupplierInvoice.objects.count() == 1


def test_a_sales_rep_enters_no_invoice(shop, received):
    from guanxi.core.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        _enter(shop, [{"order_line": received[1].pk, "quantity": "1"}], actor=shop.rep)


prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=2)
quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3)


@settings(max_examples=300, deadline=None)
@given(
    order_price=prices,
    price=prices,
    quantity=quantities,
    pct=st.decimals(0, 20, places=2),
    amount=st.decimals(0, 1000, places=2),
)
def test_the_price_tolerance_is_the_stricter_of_percent_and_amount(order_price, price, quantity, pct, amount):
    rules = PurchasingSettings(price_tolerance_percent=pct, price_tolerance_amount=amount)
    problem = price_problem(order_price=order_price, price=price, quantity=quantity, rules=rules)
    diff = price - order_price
    if diff <= 0:
        assert not problem  # cheaper or equal is never an exception
    elif diff / order_price * 100 > pct or diff * quantity > amount:
        assert problem
    else:
        assert not problem
    # Raising the invoice price never turns an exception into a match.
    if problem:
        assert price_problem(
            order_price=order_price, price=price + Decimal("0.01"), quantity=quantity, rules=rules
        )
