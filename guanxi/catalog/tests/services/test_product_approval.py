import pytest
from django.core.exceptions import ValidationError

from guanxi.catalog.choices import ApprovalState
from guanxi.catalog.models import Product
from guanxi.catalog.selectors import catalog as sel
from guanxi.catalog.services import products as svc
from guanxi.catalog.tests.factories import make_product
from guanxi.core import roles as R
from guanxi.core.exceptions import GuanxiError
from guanxi.core.models import ApprovalRequest, Role
from guanxi.core.services.approval_rules import approval_rule_create
from guanxi.core.services.approvals import approval_approve, approval_reject

pytestmark = pytest.mark.django_db
DOC = "catalog.product"


@pytest.fixture
def rules(staff, make_user):
    """Bought products need a Procurement Manager; everything else needs no approval."""
    pm = make_user("pm", roles=[R.PROCUREMENT_MANAGER])
    approval_rule_create(
        actor=staff.admin,
        document_type=DOC,
        name="Bought products",
        conditions=[{"field": "can_buy", "op": "is", "value": True}],
        levels=[{"kind": "role", "role_id": Role.objects.get(code=R.PROCUREMENT_MANAGER).pk, "mode": "any"}],
    )
    approval_rule_create(actor=staff.admin, document_type=DOC, name="The rest", no_approval=True)
    return pm


def test_without_rules_new_products_are_in_use_at_once(staff):
    p = make_product(staff.buyer, "X-1", name_en="Thing", can_buy=True)
    assert p.approval_status == ApprovalState.APPROVED
    assert sel.usable_products(actor=staff.rep, bought=True).filter(pk=p.pk).exists()


def test_with_rules_a_new_product_waits_until_approved_and_documents_cannot_use_it(staff, rules):
    p = make_product(staff.buyer, "X-1", name_en="Steel", can_buy=True)
    assert p.approval_status == ApprovalState.DRAFT
    request = svc.product_submit(actor=staff.buyer, product=p)
    p.refresh_from_db()
    assert (request.status, p.approval_status) == ("pending", ApprovalState.PENDING)
    assert not sel.usable_products(actor=staff.rep, bought=True).filter(pk=p.pk).exists()
    with pytest.raises(ValidationError):
        svc.product_submit(actor=staff.buyer, product=p)  # already waiting
    approval_approve(actor=rules, request=request, comment="ok")
    p.refresh_from_db()
    assert p.approval_status == ApprovalState.APPROVED
    assert sel.usable_products(actor=staff.rep, bought=True).filter(pk=p.pk).exists()


def test_a_rejected_product_can_be_submitted_again(staff, rules):
    p = make_product(staff.buyer, "X-1", name_en="Steel", can_buy=True)
    request = svc.product_submit(actor=staff.buyer, product=p)
    approval_reject(actor=rules, request=request, comment="wrong category")
    p.refresh_from_db()
    assert p.approval_status == ApprovalState.REJECTED
    again = svc.product_submit(actor=staff.buyer, product=p)
    assert again.status == "pending" and ApprovalRequest.objects.filter(object_id=str(p.pk)).count() == 2


def test_a_rule_that_needs_no_approval_puts_the_product_in_use(staff, rules):
    p = make_product(staff.manager, "X-2", name_en="Service", can_buy=False)
    request = svc.product_submit(actor=staff.manager, product=p)
    p.refresh_from_db()
    assert (request.status, p.approval_status) == ("approved", ApprovalState.APPROVED)


def test_no_matching_rule_is_an_error_never_a_silent_pass(staff):
    approval_rule_create(
        actor=staff.admin,
        document_type=DOC,
        name="Services only",
        conditions=[{"field": "kind", "op": "in", "value": ["service"]}],
        no_approval=True,
    )
    p = make_product(staff.manager, "X-3", name_en="Bolt")
    with pytest.raises(GuanxiError):
        svc.product_submit(actor=staff.manager, product=p)
    assert Product.objects.get(pk=p.pk).approval_status == ApprovalState.DRAFT
