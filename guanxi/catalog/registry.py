"""What the catalogue adds to core's registry (guanxi.core.registry): its permission actions and what the
shipped roles get, its menu items, its document type (attachments: data sheets) and its numbering.
Imported by CatalogConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.catalog.choices import ApprovalState, ProductKind
from guanxi.catalog.permissions import Action
from guanxi.core import registry, roles
from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, register_approvable
from guanxi.core.numbering import register_numbered_document
from guanxi.core.registry import DocumentType, NavItem, PermissionAction
from guanxi.core.roles import grants_for

registry.register_actions(
    PermissionAction(
        Action.PRODUCT_VIEW, _("View the catalogue"), "catalog", _("Products, services and prices")
    ),
    PermissionAction(
        Action.PRODUCT_CHANGE, _("Change products"), "catalog", _("Create, edit, import, archive and restore")
    ),
    PermissionAction(Action.PRODUCT_EXPORT, _("Export the catalogue"), "catalog"),
    PermissionAction(Action.CATALOG_MANAGE, _("Manage categories and units"), "catalog"),
)

# Everyone who sells, buys or serves reads the catalogue; those who run sales or purchasing keep it.
_ALL = {Action.PRODUCT_VIEW, Action.PRODUCT_CHANGE, Action.PRODUCT_EXPORT, Action.CATALOG_MANAGE}
for role, actions in (
    (roles.EXECUTIVE, {Action.PRODUCT_VIEW, Action.PRODUCT_EXPORT}),
    (roles.SALES_MANAGER, _ALL),
    (roles.SALES_REP, {Action.PRODUCT_VIEW}),
    (roles.MARKETING, {Action.PRODUCT_VIEW, Action.PRODUCT_EXPORT}),
    (roles.SERVICE_AGENT, {Action.PRODUCT_VIEW}),
    (roles.PROCUREMENT_MANAGER, _ALL),
    (roles.BUYER, {Action.PRODUCT_VIEW, Action.PRODUCT_CHANGE, Action.PRODUCT_EXPORT}),
):
    registry.grant_shipped_role(role, actions=actions)

for item in (
    NavItem("products", _("Products"), "catalog:list", "master", order=40, action=Action.PRODUCT_VIEW),
    NavItem(
        "product_categories",
        _("Product categories"),
        "catalog:categories",
        "settings",
        order=53,
        action=Action.PRODUCT_VIEW,
    ),
    NavItem(
        "units", _("Units of measure"), "catalog:units", "settings", order=54, action=Action.PRODUCT_VIEW
    ),
):
    registry.register_nav_item(item)


def _may_view(user, product) -> bool:
    return grants_for(user).can(Action.PRODUCT_VIEW)


def _may_change(user, product) -> bool:
    return grants_for(user).can(Action.PRODUCT_CHANGE)


registry.register_document_type(
    DocumentType(
        "catalog.product",
        _("Product"),
        _("Products"),
        may_view=_may_view,
        may_change=_may_change,
        url=lambda p: p.get_absolute_url(),
        title=lambda p: f"{p.code} {p.name}",
        features=frozenset({"attachments", "approvals"}),
    )
)


# Approvals of new products (only when an administrator sets up rules for them): one call. Rules may test
# the kind, whether it is sold or bought, and its CNY sale price; a decision puts it in use or rejects it.
def _decided(state):
    def apply(product, actor, *comment):
        from guanxi.catalog.services.products import product_set_approval

        product_set_approval(product, state)

    return apply


def _approval_tab_visible(product, user) -> bool:
    """The Approval tab of a product that was never submitted (in use without approval) would be empty."""
    from guanxi.core.models import ApprovalRequest

    if product.approval_status != ApprovalState.APPROVED:
        return True
    return ApprovalRequest.objects.filter(document_type="catalog.product", object_id=str(product.pk)).exists()


def _values(product) -> dict:
    cny = next((p.amount for p in product.prices.all() if p.currency_id == "CNY"), None)
    return {"kind": product.kind, "can_sell": product.can_sell, "can_buy": product.can_buy, "price_cny": cny}


register_approvable(
    ApprovalSpec(
        document="catalog.product",
        fields={
            "kind": FieldSpec(_("Kind"), "choice", choices=ProductKind.choices),
            "can_sell": FieldSpec(_("Can be sold"), "boolean"),
            "can_buy": FieldSpec(_("Can be bought"), "boolean"),
            "price_cny": FieldSpec(_("Sale price (CNY)"), "decimal", suffix="CNY"),
        },
        values=_values,
        on_approved=_decided(ApprovalState.APPROVED),
        on_rejected=_decided(ApprovalState.REJECTED),
        on_withdrawn=_decided(ApprovalState.DRAFT),
        team=lambda p: None,  # products have no team: "the requester's team manager" finds none
        tab_visible=_approval_tab_visible,
        optional=True,  # without rules, new products are in use at once
    )
)
# A new product without a code takes the next number (Settings → Document numbering changes the pattern).
register_numbered_document("catalog.product", label=_("Product"), default_pattern="P{seq:05}", reset="never")
