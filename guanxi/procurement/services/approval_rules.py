"""The shipped approval rules of the purchasing app, made at `migrate` (ProcurementConfig) when a document type
has none; an administrator changes them in Settings → Approval rules."""

from __future__ import annotations

from django.db import transaction

DOC_ORDER = "procurement.purchaseorder"
DOC_INVOICE = "procurement.supplierinvoice"
NO_APPROVAL_BELOW = 10000  # CNY: the shipped rule of purchase orders


def order_rules_ensure() -> None:
    """The shipped approval rules of purchase orders, when there are none: under 10,000 CNY no approval is
    needed; from there any Procurement Manager approves (never the buyer who asks). An administrator changes
    them in Settings → Approval rules."""
    from guanxi.core import roles
    from guanxi.core.models import ApprovalRule, ApprovalRuleLevel, Role

    if ApprovalRule.objects.filter(document_type=DOC_ORDER).exists():
        return
    role = Role.objects.filter(code=roles.PROCUREMENT_MANAGER).first()
    if role is None:
        return
    with transaction.atomic():
        ApprovalRule.objects.create(
            document_type=DOC_ORDER,
            name="采购订单 < 10,000 CNY / Purchase orders under 10,000 CNY",
            position=1,
            conditions=[{"field": "gross_cny", "op": "lt", "value": str(NO_APPROVAL_BELOW)}],
            no_approval=True,
        )
        rule = ApprovalRule.objects.create(
            document_type=DOC_ORDER, name="采购订单 / Purchase orders", position=2
        )
        ApprovalRuleLevel.objects.create(rule=rule, position=1, kind="role", role=role, mode="any")


def invoice_rule_ensure() -> None:
    """The shipped approval rule of releasing held invoices: any Procurement Manager (never who entered it)."""
    from guanxi.core import roles
    from guanxi.core.models import ApprovalRule, ApprovalRuleLevel, Role

    if ApprovalRule.objects.filter(document_type=DOC_INVOICE).exists():
        return
    role = Role.objects.filter(code=roles.PROCUREMENT_MANAGER).first()
    if role is None:
        return
    with transaction.atomic():
        rule = ApprovalRule.objects.create(
            document_type=DOC_INVOICE, name="发票例外放行 / Releasing held invoices", position=1
        )
        ApprovalRuleLevel.objects.create(rule=rule, position=1, kind="role", role=role, mode="any")


DOC_REQUISITION = "procurement.requisition"
REQUISITION_NO_APPROVAL_BELOW = 5000  # CNY


def requisition_rules_ensure() -> None:
    """The shipped rules of purchase requisitions, when there are none: under 5,000 CNY (estimated) no approval;
    from there any Procurement Manager (never the requester)."""
    from guanxi.core import roles
    from guanxi.core.models import ApprovalRule, ApprovalRuleLevel, Role

    if ApprovalRule.objects.filter(document_type=DOC_REQUISITION).exists():
        return
    role = Role.objects.filter(code=roles.PROCUREMENT_MANAGER).first()
    if role is None:
        return
    with transaction.atomic():
        ApprovalRule.objects.create(
            document_type=DOC_REQUISITION,
            name="请购单 < 5,000 CNY / Requisitions under 5,000 CNY",
            position=1,
            conditions=[{"field": "estimated_cny", "op": "lt", "value": str(REQUISITION_NO_APPROVAL_BELOW)}],
            no_approval=True,
        )
        rule = ApprovalRule.objects.create(
            document_type=DOC_REQUISITION, name="请购单 / Requisitions", position=2
        )
        ApprovalRuleLevel.objects.create(rule=rule, position=1, kind="role", role=role, mode="any")
