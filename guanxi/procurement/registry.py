"""What the purchasing app adds to core's registry: its permission actions, the "purchasing" record area and
what the shipped roles get, menu items, purchase orders as a document (numbers, approvals by amount, the
printed order, attachments), and on a supplier's page the Purchase orders and Price information tabs, an "Open
purchase orders" card and a "New purchase order" button. Imported by ProcurementConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, register_approvable
from guanxi.core.numbering import register_numbered_document
from guanxi.core.registry import (
    DocumentType,
    HeaderAction,
    NavItem,
    OverviewCard,
    PermissionAction,
    Printable,
    RecordArea,
    RecordTab,
)
from guanxi.core.roles import Scope
from guanxi.procurement import party_page
from guanxi.procurement.permissions import AREA, Action

registry.register_actions(
    PermissionAction(
        Action.ORDER_VIEW,
        _("View purchase orders"),
        "procurement",
        _("As far as the purchasing scope reaches"),
    ),
    PermissionAction(
        Action.ORDER_CHANGE,
        _("Change purchase orders"),
        "procurement",
        _("Create, edit, submit, send, record the supplier's confirmation, change, cancel and close"),
    ),
    PermissionAction(
        Action.PRICE_VIEW,
        _("View supplier prices"),
        "procurement",
        _("Supplier price information (供应商价格) and its history"),
    ),
    PermissionAction(
        Action.PRICE_CHANGE,
        _("Record supplier prices"),
        "procurement",
        _("A new price ends the earlier one; the history is kept"),
    ),
)
registry.register_area(
    RecordArea(
        AREA,
        _("Purchasing"),
        30,
        _(
            "Purchase orders: own = the user is the buyer or in the order's team, team = bought by the user's teams"
        ),
    )
)
_ALL = {Action.ORDER_VIEW, Action.ORDER_CHANGE, Action.PRICE_VIEW, Action.PRICE_CHANGE}
registry.grant_shipped_role(
    roles.PROCUREMENT_MANAGER, actions=_ALL, view={AREA: Scope.ALL}, edit={AREA: Scope.ALL}
)
registry.grant_shipped_role(roles.BUYER, actions=_ALL, view={AREA: Scope.TEAM}, edit={AREA: Scope.OWN})
registry.grant_shipped_role(
    roles.EXECUTIVE, actions={Action.ORDER_VIEW, Action.PRICE_VIEW}, view={AREA: Scope.ALL}
)

registry.register_nav_item(
    NavItem(
        "purchase_orders",
        _("Purchase orders"),
        "procurement:orders",
        "srm",
        order=40,
        action=Action.ORDER_VIEW,
    )
)
registry.register_nav_item(
    NavItem(
        "supplier_prices",
        _("Supplier prices"),
        "procurement:prices",
        "srm",
        order=45,
        action=Action.PRICE_VIEW,
    )
)


def _order_reach(mode: str):
    def check(user, order) -> bool:
        from guanxi.procurement.selectors.orders import order_visible

        return order_visible(actor=user, mode=mode).filter(pk=order.pk).exists()

    return check


registry.register_document_type(
    DocumentType(
        "procurement.purchaseorder",
        _("Purchase order"),
        _("Purchase orders"),
        may_view=_order_reach("view"),
        may_change=_order_reach("edit"),
        url=lambda o: o.get_absolute_url(),
        title=lambda o: f"{o.number} {o.supplier.name}",
        features=frozenset({"attachments", "activities", "approvals"}),
    )
)
register_numbered_document(
    "procurement.purchase_order", label=_("Purchase order"), default_pattern="PO{YYYY}{MM}-{seq:05}"
)


def _order_values(o) -> dict:
    from guanxi.crm.selectors.totals import cny

    return {"gross_cny": cny(o.gross_total, o.currency_id), "gross": o.gross_total}


def _service(name: str):
    """An approvals hook calling guanxi.procurement.services.orders.<name> (imported when called)."""

    def hook(order, *args) -> None:
        from guanxi.procurement.services import orders

        getattr(orders, name)(order)

    return hook


register_approvable(
    ApprovalSpec(
        document="procurement.purchaseorder",
        fields={
            "gross_cny": FieldSpec(_("Total with tax (CNY)"), "decimal", suffix="CNY"),
            "gross": FieldSpec(_("Total with tax (order currency)"), "decimal"),
        },
        values=_order_values,
        on_approved=_service("order_approved"),
        on_rejected=_service("order_rejected"),
        on_withdrawn=_service("order_rejected"),
        requester=lambda o: o.owner,
        team=lambda o: o.team,
        optional=True,
    )
)
registry.register_printable(
    Printable(
        "procurement.purchaseorder",
        "purchase_order",
        _("Purchase order"),
        "procurement/print/order.html",
        context=lambda o, user: {"lines": list(o.lines.select_related("unit", "product"))},
        language=lambda o: o.language or o.supplier.preferred_language or None,
        company=lambda o: o.company,
        filename=lambda o: o.number,
    )
)
registry.register_header_action(
    HeaderAction(
        "procurement.purchaseorder",
        "print",
        _("Print"),
        lambda o: reverse("core:print_preview", args=["procurement.purchaseorder", o.pk, "purchase_order"]),
        order=90,
    )
)
registry.register_header_action(
    HeaderAction(
        "parties.party",
        "new_purchase_order",
        _("New purchase order"),
        lambda party: reverse("procurement:order_create") + f"?supplier={party.pk}",
        35,
        visible=party_page.may_order,
    )
)
registry.register_tab(
    RecordTab(
        "parties.party",
        "purchase_orders",
        _("Purchase orders"),
        "procurement/tabs/orders.html",
        62,
        context=party_page.orders_context,
        visible=party_page.may_see_orders,
    )
)
registry.register_tab(
    RecordTab(
        "parties.party",
        "supplier_prices",
        _("Price information"),
        "procurement/tabs/prices.html",
        64,
        context=party_page.prices_context,
        visible=party_page.may_see_prices,
    )
)
registry.register_overview_card(
    OverviewCard(
        "parties.party",
        "open_purchase_orders",
        _("Open purchase orders"),
        "procurement/tabs/open_orders_card.html",
        40,
        context=party_page.open_orders_context,
        visible=party_page.may_see_orders,
    )
)
registry.register_overview_card(
    OverviewCard(
        "parties.party",
        "supplier_spend",
        _("Spend this year"),
        "procurement/tabs/spend_card.html",
        41,
        context=party_page.spend_context,
        visible=party_page.may_see_orders,
    )
)
