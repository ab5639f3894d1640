"""What core itself adds to the registry (guanxi.core.registry): its actions, the sections of the menu
that every app shares, the Settings pages, and the Attachments tab of every record that takes attachments.
Imported by CoreConfig.ready()."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core import registry
from guanxi.core.attachment_types import short_label
from guanxi.core.audit_display import AuditField, AuditTitle, register_audit_display
from guanxi.core.record_refs import register_record_reference
from guanxi.core.registry import (
    NavItem,
    NavSection,
    PermissionAction,
    RecordTab,
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
    ("work", _("My work"), 5),
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
    NavItem(
        "approval_rules",
        _("Approval rules"),
        "core:approval_rules",
        "settings",
        order=48,
        action=Action.SETTINGS_MANAGE,
    ),
    NavItem("delegation", _("My delegation"), "core:delegation", "settings", order=60),
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


# Attachments: a tab on the page of every record whose document type has the "attachments" feature, added
# when that type registers (core's ready() runs before the apps' ones), and how their audit entries read.
def _attachments_tab(doc: registry.DocumentType) -> None:
    from guanxi.core.views.attachments import PANEL, tab_context

    registry.register_tab(RecordTab(doc.code, "attachments", _("Attachments"), PANEL, 80, tab_context(doc)))


registry.on_document_type("attachments", "attachments_tab", _attachments_tab)


def _short_hash(value: object) -> str:
    return f"{value[:12]}…" if isinstance(value, str) and len(value) > 12 else str(value)


def _file_size(value: object) -> str:
    return str(filesizeformat(value)) if isinstance(value, int | float) else str(value)


def _file_type(value: object) -> str:
    return str(short_label(value)) if isinstance(value, str) else str(value)


register_audit_display(
    "core.attachment",
    fields={
        "original_name": AuditField(_("File name")),
        "size": AuditField(pgettext_lazy("file", "Size"), item=_file_size),
        "content_type": AuditField(_("Type"), item=_file_type),
        "sha256": AuditField("SHA-256", item=_short_hash),
    },
    titles={
        "create": AuditTitle(_("Attachment added")),
        "delete": AuditTitle(_("Attachment deleted")),
    },
)


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


# What approvals tell people (guanxi.core.services.approval_common._notify).
for _code, _label, _channels, _order in (
    ("approval.waiting", _("An approval is waiting for you"), {registry.IN_APP, registry.EMAIL}, 10),
    ("approval.decided", _("Your approval request was decided"), {registry.IN_APP, registry.EMAIL}, 11),
    ("approval.problem", _("A submission found no approval rule or approver"), {registry.IN_APP}, 12),
    ("approval.delegation_expired", _("An approval delegation has ended"), {registry.IN_APP}, 13),
):
    registry.register_event_type(
        registry.EventType(_code, _label, default_channels=frozenset(_channels), order=_order)
    )

# Attachments name their record by type and id: a merge of two parties moves them (guanxi.core.record_refs).
register_record_reference("core.Attachment", type_field="document_type", id_field="object_id")
