"""What receiving and invoices add to core's registry: the permission actions, numbers of delivery notes
(送货单), goods receipts, returns (退货) and supplier invoices, their document types (history, attachments),
the printed delivery note with its QR code, releasing a held invoice as an approval. Imported by ProcurementConfig.ready() after guanxi.procurement.registry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, register_approvable
from guanxi.core.numbering import register_numbered_document
from guanxi.core.registry import DocumentType, HeaderAction, PermissionAction, Printable
from guanxi.procurement.permissions import Action

registry.register_actions(
    PermissionAction(
        Action.RECEIPT_POST,
        _("Receive goods"),
        "procurement",
        _(
            "Enter delivery notes (送货单) for suppliers, receive and inspect goods, return goods to suppliers"
        ),
    )
)
for role in (roles.PROCUREMENT_MANAGER, roles.BUYER):
    registry.grant_shipped_role(role, actions={Action.RECEIPT_POST})

register_numbered_document(
    "procurement.delivery_note", label=_("Delivery note"), default_pattern="DN{YYYY}{MM}-{seq:05}"
)
register_numbered_document(
    "procurement.receipt", label=_("Goods receipt"), default_pattern="GR{YYYY}{MM}-{seq:05}"
)
register_numbered_document(
    "procurement.supplier_return", label=_("Return to supplier"), default_pattern="RT{YYYY}{MM}-{seq:04}"
)


def _reach(user, doc) -> bool:
    from guanxi.procurement.selectors.receiving import receiving_visible

    return receiving_visible(type(doc), actor=user).filter(pk=doc.pk).exists()


for code, label, plural in (
    ("procurement.deliverynote", _("Delivery note"), _("Delivery notes")),
    ("procurement.receipt", _("Goods receipt"), _("Goods receipts")),
    ("procurement.supplierreturn", _("Return to supplier"), _("Returns to suppliers")),
):
    registry.register_document_type(
        DocumentType(
            code,
            label,
            plural,
            may_view=_reach,
            may_change=lambda user, doc: _reach(user, doc) and _may_receive(user),
            url=lambda d: d.get_absolute_url(),
            title=lambda d: f"{d.number} {d.supplier.name}",
            features=frozenset({"attachments"}),
        )
    )


def _may_receive(user) -> bool:
    from guanxi.core.roles import grants_for

    return grants_for(user).can(Action.RECEIPT_POST)


registry.register_nav_item(
    registry.NavItem(
        "receiving", _("Receiving"), "procurement:receiving", "srm", order=42, action=Action.RECEIPT_POST
    )
)


def _takes_goods(order, user) -> bool:
    from guanxi.procurement.selectors.receiving_pages import RECEIVABLE

    return order.state in RECEIVABLE and _may_receive(user)


def _gives_back(order, user) -> bool:
    from guanxi.procurement.selectors.receiving_pages import RETURNABLE, has_returnable

    return order.state in RETURNABLE and _may_receive(user) and has_returnable(order)


def _order_url(name: str):
    return lambda o: reverse(name, args=[o.pk])


def _new_note_url(order) -> str:
    return reverse("procurement:delivery_note_create") + f"?order={order.pk}"


# On a purchase order's page: receive goods (without a delivery note), enter a delivery note, return goods.
for _key, _label, _url, _visible, _order in (
    ("receive_goods", _("Receive goods"), _order_url("procurement:order_receive"), _takes_goods, 60),
    ("new_delivery_note", _("New delivery note"), _new_note_url, _takes_goods, 62),
    ("return_goods", _("Return goods"), _order_url("procurement:order_return"), _gives_back, 64),
):
    registry.register_header_action(
        HeaderAction("procurement.purchaseorder", _key, _label, _url, _order, visible=_visible)
    )

registry.register_printable(
    Printable(
        "procurement.deliverynote",
        "delivery_note",
        _("Delivery note"),
        "procurement/print/delivery_note.html",
        context=lambda note, user: {
            "lines": list(
                note.lines.select_related("order_line__order", "order_line__unit", "order_line__product")
            )
        },
        language=lambda note: note.supplier.preferred_language or None,
        company=lambda note: note.company,
        filename=lambda note: note.number,
    )
)
registry.register_header_action(
    HeaderAction(
        "procurement.deliverynote",
        "print",
        _("Print"),
        lambda note: reverse(
            "core:print_preview", args=["procurement.deliverynote", note.pk, "delivery_note"]
        ),
        order=90,
    )
)


# Supplier invoices (供应商发票): numbers, a document type, and releasing a held invoice as an approval.
registry.register_actions(
    PermissionAction(
        Action.INVOICE_ENTER,
        _("Enter supplier invoices"),
        "procurement",
        _(
            "Enter fapiao against order lines (matched at once), ask to release held ones, cancel wrong entries"
        ),
    )
)
for role in (roles.PROCUREMENT_MANAGER, roles.BUYER):
    registry.grant_shipped_role(role, actions={Action.INVOICE_ENTER})
register_numbered_document(
    "procurement.supplier_invoice", label=_("Supplier invoice"), default_pattern="PI{YYYY}{MM}-{seq:05}"
)
registry.register_document_type(
    DocumentType(
        "procurement.supplierinvoice",
        _("Supplier invoice"),
        _("Supplier invoices"),
        may_view=_reach,
        may_change=lambda user, doc: _reach(user, doc) and _may_enter(user),
        url=lambda d: d.get_absolute_url(),
        title=lambda d: f"{d.number} {d.supplier.name} ({d.fapiao_number})",
        features=frozenset({"attachments", "approvals"}),
    )
)


def _may_enter(user) -> bool:
    from guanxi.core.roles import grants_for

    return grants_for(user).can(Action.INVOICE_ENTER)


def _invoice_decided(state: str):
    def hook(invoice, *args) -> None:
        from guanxi.procurement.services.invoices import invoice_decided

        invoice_decided(invoice, state)

    return hook


register_approvable(
    ApprovalSpec(
        document="procurement.supplierinvoice",
        fields={"gross": FieldSpec(_("Total with tax"), "decimal")},
        values=lambda inv: {"gross": inv.gross_total},
        on_approved=_invoice_decided("released"),
        on_rejected=_invoice_decided("exception"),
        on_withdrawn=_invoice_decided("exception"),
        requester=lambda inv: inv.created_by,
        team=lambda inv: inv.team,
    )
)


# Reconciliation statements (对账单).
register_numbered_document(
    "procurement.statement", label=_("Reconciliation statement"), default_pattern="ST{YYYY}{MM}-{seq:04}"
)
registry.register_document_type(
    DocumentType(
        "procurement.reconciliationstatement",
        _("Reconciliation statement"),
        _("Reconciliation statements"),
        may_view=_reach,
        may_change=lambda user, doc: _reach(user, doc) and _may_enter(user),
        url=lambda d: d.get_absolute_url(),
        title=lambda d: f"{d.number} {d.supplier.name}",
        features=frozenset({"attachments"}),
    )
)


# The invoice and statement pages, the purchasing settings page, and "Enter invoice" on a purchase order.
def _order_to_invoice(order, user) -> bool:
    from guanxi.procurement.selectors.invoices import order_has_to_invoice

    return order_has_to_invoice(actor=user, order=order)


for _item in (
    registry.NavItem(
        "supplier_invoices",
        _("Supplier invoices"),
        "procurement:invoices",
        "srm",
        order=46,
        action=Action.INVOICE_ENTER,
    ),
    registry.NavItem(
        "statements", _("Statements"), "procurement:statements", "srm", order=47, action=Action.INVOICE_ENTER
    ),
    registry.NavItem(
        "purchasing_settings",
        _("Purchasing settings"),
        "procurement:settings",
        "settings",
        order=49,
        action=roles.Action.SETTINGS_MANAGE,
    ),
):
    registry.register_nav_item(_item)
registry.register_header_action(
    HeaderAction(
        "procurement.purchaseorder",
        "enter_invoice",
        _("Enter invoice"),
        lambda o: reverse("procurement:invoice_create") + f"?order={o.pk}",
        order=50,
        visible=_order_to_invoice,
    )
)
