"""Everything an app can register, from outside core (the proof that core names no app)."""

from guanxi.core import registry
from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, register_approvable
from guanxi.core.audit_display import AuditField, register_audit_display
from guanxi.core.registry import (
    DocumentType,
    EventType,
    HeaderAction,
    NavItem,
    OverviewCard,
    PermissionAction,
    RecordArea,
    RecordTab,
    TimelineEvent,
    TimelineProvider,
)
from guanxi.core.roles import SALES_MANAGER, SALES_REP, Scope
from guanxi.tests.plugin_app.models import CATEGORIES

PARTY = "parties.party"

registry.register_actions(
    PermissionAction("widget.view", "View widgets", "plugin_app"),
    PermissionAction("widget.change", "Change widgets", "plugin_app", "Create widgets and change amounts"),
)
registry.register_area(RecordArea("widgets", "Widgets", 50))
registry.grant_shipped_role(
    SALES_REP,
    actions={"widget.view", "widget.change"},
    view={"widgets": Scope.OWN},
    edit={"widgets": Scope.OWN},
)
registry.grant_shipped_role(SALES_MANAGER, actions={"widget.view"}, view={"widgets": Scope.TEAM})
registry.register_nav_item(
    NavItem("widgets", "Widgets", "plugin_app:list", "crm", order=50, action="widget.view")
)


def _widgets_of(party, user):
    from guanxi.tests.plugin_app.services import widgets_visible

    return {"widgets": widgets_visible(actor=user).filter(customer=party)}


def _may_see_widgets(party, user) -> bool:
    return registry_can(user, "widget.view")


def registry_can(user, action) -> bool:
    from guanxi.core.roles import grants_for

    return grants_for(user).can(action)


registry.register_tab(
    RecordTab(PARTY, "widgets", "Widgets", "plugin_app/tab.html", 40, _widgets_of, _may_see_widgets)
)
registry.register_header_action(
    HeaderAction(
        PARTY,
        "new_widget",
        "New widget",
        lambda party: f"/widgets/new/?customer={party.pk}",
        visible=lambda party, user: registry_can(user, "widget.change") and party.is_customer,
    )
)
registry.register_overview_card(
    OverviewCard(PARTY, "widget_total", "Widgets", "plugin_app/card.html", 10, _widgets_of, _may_see_widgets)
)


def _widget_events(party, user, limit):
    if not registry_can(user, "widget.view"):
        return []
    from guanxi.tests.plugin_app.services import widgets_visible

    return [
        TimelineEvent(w.created_at, w.owner, "plugin_app/event.html", "widget", w)
        for w in widgets_visible(actor=user).filter(customer=party)[:limit]
    ]


registry.register_timeline_provider(TimelineProvider(PARTY, "widgets", _widget_events))
register_audit_display("plugin_app.widget", fields={"amount": AuditField(label="Widget amount")})


def _widget_reachable(user, widget, mode="view") -> bool:
    """The document type's record rule: the user's grants and the widgets area's scope (own / team / all)."""
    from guanxi.core.exceptions import PermissionDeniedError
    from guanxi.tests.plugin_app.services import widgets_visible

    try:
        return widgets_visible(actor=user, mode=mode).filter(pk=widget.pk).exists()
    except PermissionDeniedError:
        return False


registry.register_document_type(
    DocumentType(
        "plugin_app.widget",
        "Widget",
        "Widgets",
        may_view=lambda user, w: _widget_reachable(user, w),
        may_change=lambda user, w: registry_can(user, "widget.change") and _widget_reachable(user, w, "edit"),
        url=lambda w: w.get_absolute_url(),
        title=lambda w: f"Widget {w.name}",
        features=frozenset({"attachments", "activities", "approvals"}),
    )
)


def _set_status(status):
    def apply(widget, actor, *comment):
        from guanxi.tests.plugin_app.services import widget_set_status

        widget_set_status(widget, status)

    return apply


# Approvals: one call. Rules may test the amount, the discount and the category; a decision sets the status.
register_approvable(
    ApprovalSpec(
        document="plugin_app.widget",
        fields={
            "amount": FieldSpec("Amount", "decimal"),
            "discount_percent": FieldSpec("Discount", "decimal", suffix="%"),
            "category": FieldSpec("Category", "choice", choices=CATEGORIES),
        },
        values=lambda w: {"amount": w.amount, "discount_percent": w.discount_percent, "category": w.category},
        on_approved=_set_status("approved"),
        on_rejected=_set_status("rejected"),
        on_withdrawn=_set_status("draft"),
        requester=lambda w: w.owner,
        team=lambda w: w.team,
    )
)
registry.register_event_type(
    EventType("widget.assigned", "A widget was assigned to you", default_channels={registry.IN_APP}, order=90)
)
