"""What core itself adds to the registry (guanxi.core.registry): its actions, the sections of the menu
that every app shares, and the Settings pages. Imported by CoreConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from guanxi.core import registry
from guanxi.core.registry import (
    NavItem,
    NavSection,
    PermissionAction,
    register_actions,
    register_nav_item,
    register_nav_section,
)
from guanxi.core.roles import Action

register_actions(
    PermissionAction(
        Action.SETTINGS_MANAGE,
        _("Manage settings"),
        "core",
        _("Users, teams, roles and the other settings of the whole system"),
    ),
)

# The menu's areas, in order. Apps add items to them (or sections of their own).
for key, label, order in (
    ("master", _("Master data"), 10),
    ("crm", _("CRM"), 20),
    ("srm", _("SRM"), 30),
    ("analytics", _("Analytics"), 40),
    ("settings", _("Settings"), 90),
):
    register_nav_section(NavSection(key, label, order))


def _has_a_role(grants) -> bool:
    return bool(grants.actions)


for item in (
    NavItem("tokens", _("API tokens"), "core:tokens", "settings", order=10),
    NavItem(
        "notification_preferences", _("Notifications"), "core:notification_preferences", "settings", order=15
    ),
    NavItem("users", _("Users"), "core:users", "settings", order=20, action=Action.SETTINGS_MANAGE),
    NavItem("teams", _("Teams"), "core:teams", "settings", order=30, action=Action.SETTINGS_MANAGE),
    NavItem("roles", _("Roles"), "core:roles", "settings", order=40, action=Action.SETTINGS_MANAGE),
    NavItem("jobs", _("Scheduled jobs"), "core:jobs", "settings", order=45, action=Action.SETTINGS_MANAGE),
    NavItem("companies", _("Our companies"), "core:companies", "settings", order=46, visible=_has_a_role),
    NavItem(
        "numbering",
        _("Document numbering"),
        "core:numbering",
        "settings",
        order=47,
        action=Action.SETTINGS_MANAGE,
    ),
    # Money: everyone with a role reads currencies, rates and taxes; changing them needs settings.manage.
    NavItem("currencies", _("Currencies"), "core:currencies", "settings", order=50, visible=_has_a_role),
    NavItem(
        "exchange_rates",
        _("Exchange rates"),
        "core:exchange_rates",
        "settings",
        order=51,
        visible=_has_a_role,
    ),
    NavItem("tax_rates", _("Tax rates"), "core:tax_rates", "settings", order=52, visible=_has_a_role),
    NavItem("password", _("Change password"), "core:password_change", "settings", order=99),
):
    register_nav_item(item)
registry.register_home("core:users", action=Action.SETTINGS_MANAGE, order=90)
