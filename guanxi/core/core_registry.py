"""What core itself adds to the registry (guanxi.core.registry): its actions, the sections of the menu
that every app shares, and the Settings pages. Imported by CoreConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core import registry
from guanxi.core.audit_display import AuditField, AuditTitle, register_audit_display
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


def _approval_outcome(code) -> str:
    from guanxi.core.models.approvals import RequestStatus, StepStatus

    labels = {**dict(StepStatus.choices), **dict(RequestStatus.choices)}
    return str(labels.get(code, code))


def _approval_values(values) -> str:
    if not isinstance(values, dict):
        return str(values)
    return ", ".join(f"{k}: {v}" for k, v in values.items())


# How approval entries read on a history tab (the request's, and the document's: `also=[document]`).
register_audit_display(
    "core.approvalrequest",
    fields={
        "decision": AuditField(_("Decision"), item=_approval_outcome),
        "result": AuditField(_("Result"), item=_approval_outcome),
        "level": AuditField(_("Level")),
        "comment": AuditField(_("Comment")),
        "on_behalf_of": AuditField(_("On behalf of")),
        "rule": AuditField(_("Rule")),
        "values": AuditField(_("Values submitted"), item=_approval_values),
    },
    titles={
        "submit": AuditTitle(_("Submitted for approval"), show_target=False),
        "approve": AuditTitle(pgettext_lazy("audit", "Approved"), show_target=False),
        "reject": AuditTitle(pgettext_lazy("audit", "Rejected"), show_target=False),
        "withdraw": AuditTitle(_("Approval request withdrawn"), show_target=False),
    },
)
register_audit_display(
    "core.approvalrule",
    fields={
        "conditions": AuditField(_("Conditions"), many=True),
        "levels": AuditField(_("Levels"), many=True),
        "no_approval": AuditField(_("No approval needed")),
        "is_active": AuditField(_("Active")),
        "position": AuditField(_("Order")),
    },
)
register_audit_display(
    "core.approvaldelegation",
    fields={
        "delegator": AuditField(_("Delegated by")),
        "delegate": AuditField(pgettext_lazy("person", "Delegate")),
        "starts_on": AuditField(_("From")),
        "ends_on": AuditField(_("Until")),
    },
)
