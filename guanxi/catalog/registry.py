"""What the catalogue adds to core's registry (guanxi.core.registry): its permission actions and what the
shipped roles get, its menu items, its document type (attachments: data sheets) and its numbering.
Imported by CatalogConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.catalog.permissions import Action
from guanxi.core import registry, roles
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
        features=frozenset({"attachments"}),
    )
)
# A new product without a code takes the next number (Settings → Document numbering changes the pattern).
register_numbered_document("catalog.product", label=_("Product"), default_pattern="P{seq:05}", reset="never")
