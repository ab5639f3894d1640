"""Purchase requisitions (请购单): anyone asks; small ones are approved at once, larger ones wait for a Procurement
Manager (never the requester); buyers combine approved ones into one RFQ or one purchase order, each line
linked to where it went, and a sourced requisition is never sourced again."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.procurement.choices import RequisitionState
from guanxi.procurement.models import RequisitionLine
from guanxi.procurement.selectors.requisitions import requisition_get
from guanxi.procurement.services import requisitions as svc
from guanxi.procurement.services.approval_rules import requisition_rules_ensure

pytestmark = pytest.mark.django_db


def _ask(shop, who, qty="100", price="2", product=None, **extra):
    return svc.requisition_create(
        actor=who,
        data={
            "needed_by": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "justification": "样品生产需要",
            "lines": [{"product": (product or shop.carton).pk, "quantity": qty, "estimated_price": price}],
            **extra,
        },
    )


def test_small_is_approved_at_once_large_waits_for_a_manager(shop):
    requisition_rules_ensure()
    small = _ask(shop, shop.rep)
    small = svc.requisition_submit(actor=shop.rep, requisition=small, version=small.version)
    assert small.state == RequisitionState.APPROVED
    large = _ask(shop, shop.rep, qty="10000", price="3")
    large = svc.requisition_submit(actor=shop.rep, requisition=large, version=large.version)
    assert large.state == RequisitionState.PENDING
    approval_approve(actor=shop.pm, request=approval_status_of(large))
    large.refresh_from_db()
    assert large.state == RequisitionState.APPROVED


def test_a_manager_never_approves_their_own(shop):
    requisition_rules_ensure()
    mine = _ask(shop, shop.pm, qty="10000", price="3")
    mine = svc.requisition_submit(actor=shop.pm, requisition=mine, version=mine.version)
    with pytest.raises(PermissionDeniedError):
        approval_approve(actor=shop.pm, request=approval_status_of(mine))


def test_bad_input_is_refused_with_every_field(shop):
    with pytest.raises(ValidationError) as exc:
        svc.requisition_create(
            actor=shop.rep,
            data={
                "needed_by": "2001-01-01",
                "justification": "",
                "lines": [{"description": "x", "quantity": "-2"}],
            },
        )
    keys = set(exc.value.message_dict)
    assert {"needed_by", "justification", "lines[0].quantity"} <= keys


def test_others_cannot_see_a_reps_requisition_but_buyers_can(shop, make_user):
    req = _ask(shop, shop.rep)
    from guanxi.core import roles

    other = make_user("other_rep", roles=[roles.SALES_REP])
    with pytest.raises(NotFoundError):
        requisition_get(actor=other, pk=req.pk)
    assert requisition_get(actor=shop.buyer, pk=req.pk) == req
    with pytest.raises(PermissionDeniedError):
        requisition_get(actor=shop.buyer, pk=req.pk, mode="edit")


def test_combined_into_one_rfq_then_never_sourced_again(shop):
    requisition_rules_ensure()
    a = _ask(shop, shop.rep, qty="100")
    b = _ask(shop, shop.mate, qty="50")
    for r, who in ((a, shop.rep), (b, shop.mate)):
        svc.requisition_submit(actor=who, requisition=r, version=r.version)
    with pytest.raises(PermissionDeniedError):
        svc.requisitions_to_rfq(actor=shop.rep, requisitions=[a.pk, b.pk])
    rfq = svc.requisitions_to_rfq(actor=shop.buyer, requisitions=[a.pk, b.pk])
    line = rfq.lines.get()
    assert line.quantity == 150 and line.product == shop.carton
    assert set(RequisitionLine.objects.values_list("rfq_line", flat=True)) == {line.pk}
    a.refresh_from_db()
    assert a.state == RequisitionState.SOURCED
    with pytest.raises(ValidationError):
        svc.requisitions_to_order(actor=shop.buyer, requisitions=[a.pk], supplier=shop.huaqiang.pk)


def test_to_a_purchase_order_at_the_estimate_when_the_supplier_has_no_price(shop):
    requisition_rules_ensure()
    # A requester who sees suppliers (another buyer) may suggest one; a sales rep sees none to suggest.
    with pytest.raises(ValidationError):
        _ask(shop, shop.rep, supplier=shop.huaqiang.pk)
    r = _ask(shop, shop.mate, price="2.5", supplier=shop.huaqiang.pk)
    svc.requisition_submit(actor=shop.mate, requisition=r, version=r.version)
    order = svc.requisitions_to_order(actor=shop.buyer, requisitions=[r.pk], supplier="")
    assert order.supplier == shop.huaqiang and order.lines.get().unit_price == 2.5
    assert RequisitionLine.objects.get().order_line == order.lines.get()
