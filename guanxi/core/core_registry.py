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
    ("work", _("My work"), 5),
    ("master", _("Master data"), 10),
    ("crm", _("CRM"), 20),
    ("srm", _("SRM"), 30),
    ("analytics", _("Analytics"), 40),
    ("settings", _("Settings"), 90),
):
    register_nav_section(NavSection(key, label, order))

for item in (
    NavItem("tokens", _("API tokens"), "core:tokens", "settings", order=10),
    NavItem("users", _("Users"), "core:users", "settings", order=20, action=Action.SETTINGS_MANAGE),
    NavItem("teams", _("Teams"), "core:teams", "settings", order=30, action=Action.SETTINGS_MANAGE),
    NavItem("roles", _("Roles"), "core:roles", "settings", order=40, action=Action.SETTINGS_MANAGE),
    NavItem(
        "approval_rules",
        _("Approval rules"),
        "core:approval_rules",
        "settings",
        order=50,
        action=Action.SETTINGS_MANAGE,
    ),
    NavItem("delegation", _("My delegation"), "core:delegation", "settings", order=60),
    NavItem("password", _("Change password"), "core:password_change", "settings", order=99),
):
    register_nav_item(item)
registry.register_home("core:users", action=Action.SETTINGS_MANAGE, order=90)


def _approvals_waiting(user) -> int:
    from guanxi.core.selectors.approvals import inbox_count

    return inbox_count(actor=user)


# Approvals: everyone may be asked to approve something (a named user, a role, a team's manager).
register_nav_item(
    NavItem("approvals", _("Approvals"), "core:approvals", "work", order=10, badge=_approvals_waiting)
)
