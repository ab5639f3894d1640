"""What the sales app adds to core's registry (guanxi.core.registry): its permission actions and what the
shipped roles get, its menu items, the opportunity document type (activities and attachments on it) and, on a
party's page, an Opportunities tab, an "Open pipeline" card and a "New opportunity" button.
Imported by CrmConfig.ready()."""

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
    RecordTab,
)
from guanxi.crm import party_page
from guanxi.crm.choices import FapiaoKind
from guanxi.crm.permissions import Action

registry.register_actions(
    PermissionAction(
        Action.OPPORTUNITY_VIEW,
        _("View opportunities"),
        "crm",
        _("The pipeline board and the opportunity list, as far as the customers scope reaches"),
    ),
    PermissionAction(
        Action.OPPORTUNITY_CHANGE,
        _("Change opportunities"),
        "crm",
        _("Create, edit, move between stages, win, lose and reopen"),
    ),
    PermissionAction(Action.OPPORTUNITY_EXPORT, _("Export opportunities"), "crm"),
    PermissionAction(
        Action.PIPELINE_MANAGE,
        _("Manage pipelines"),
        "crm",
        _("Pipelines, stages, lost and disqualify reasons, web forms for leads, sales targets"),
    ),
    PermissionAction(
        Action.QUOTE_VIEW, _("View quotes and orders"), "crm", _("As far as the customers scope reaches")
    ),
    PermissionAction(
        Action.QUOTE_CHANGE,
        _("Change quotes and orders"),
        "crm",
        _("Create, edit, submit, send, revise quotes; record the customer's answer (an order)"),
    ),
    PermissionAction(
        Action.LEAD_VIEW, _("View leads"), "crm", _("Leads, as far as the customers scope reaches")
    ),
    PermissionAction(
        Action.LEAD_CHANGE, _("Change leads"), "crm", _("Create, edit, qualify, disqualify and convert leads")
    ),
    PermissionAction(
        Action.POOL_CLAIM,
        _("Claim from pools"),
        "crm",
        _("Claim customers from the pools of one's teams (公海) and put one's own back"),
    ),
    PermissionAction(
        Action.POOL_ASSIGN,
        _("Assign from pools"),
        "crm",
        _("Assign pool customers to reps of one's team; set up pools and their rules"),
    ),
)

_ALL = {
    Action.OPPORTUNITY_VIEW,
    Action.OPPORTUNITY_CHANGE,
    Action.OPPORTUNITY_EXPORT,
    Action.PIPELINE_MANAGE,
    Action.LEAD_VIEW,
    Action.LEAD_CHANGE,
    Action.POOL_CLAIM,
    Action.POOL_ASSIGN,
    Action.QUOTE_VIEW,
    Action.QUOTE_CHANGE,
}
_WORK = {
    Action.OPPORTUNITY_VIEW,
    Action.OPPORTUNITY_CHANGE,
    Action.LEAD_VIEW,
    Action.LEAD_CHANGE,
    Action.POOL_CLAIM,
    Action.QUOTE_VIEW,
    Action.QUOTE_CHANGE,
}
for role, actions in (
    (
        roles.EXECUTIVE,
        {Action.OPPORTUNITY_VIEW, Action.OPPORTUNITY_EXPORT, Action.LEAD_VIEW, Action.QUOTE_VIEW},
    ),
    (roles.SALES_MANAGER, _ALL),
    (roles.SALES_REP, _WORK),
    (roles.MARKETING, {Action.OPPORTUNITY_VIEW, Action.LEAD_VIEW}),
):
    registry.grant_shipped_role(role, actions=actions)


def _pool_user(grants) -> bool:
    return grants.can(Action.POOL_CLAIM) or grants.can(Action.POOL_ASSIGN)


for item in (
    NavItem("pools", _("Pools (公海)"), "crm:pools", "crm", order=12, visible=_pool_user),
    NavItem("check", _("Check before entering"), "crm:check", "crm", order=13, action=Action.LEAD_VIEW),
    NavItem("leads", _("Leads"), "crm:leads", "crm", order=15, action=Action.LEAD_VIEW),
    NavItem("pipeline", _("Pipeline"), "crm:board", "crm", order=20, action=Action.OPPORTUNITY_VIEW),
    NavItem(
        "opportunities",
        _("Opportunities"),
        "crm:opportunities",
        "crm",
        order=21,
        action=Action.OPPORTUNITY_VIEW,
    ),
    NavItem("quotes", _("Quotes"), "crm:quotes", "crm", order=22, action=Action.QUOTE_VIEW),
    NavItem("orders", _("Sales orders"), "crm:orders", "crm", order=23, action=Action.QUOTE_VIEW),
    NavItem("forecast", _("Forecast"), "crm:forecast", "crm", order=25, action=Action.OPPORTUNITY_VIEW),
    NavItem(
        "pipelines", _("Pipelines"), "crm:pipelines", "settings", order=56, action=Action.PIPELINE_MANAGE
    ),
    NavItem(
        "web_forms",
        _("Web forms for leads"),
        "crm:web_forms",
        "settings",
        order=57,
        action=Action.PIPELINE_MANAGE,
    ),
    NavItem(
        "pool_settings",
        _("Pools (公海)"),
        "crm:pool_settings",
        "settings",
        order=58,
        action=Action.POOL_ASSIGN,
    ),
):
    registry.register_nav_item(item)
registry.register_home("crm:board", action=Action.OPPORTUNITY_CHANGE, order=5)


def _may_view(user, opportunity) -> bool:
    from guanxi.crm.selectors.opportunities import opportunity_visible

    return opportunity_visible(actor=user).filter(pk=opportunity.pk).exists()


def _may_change(user, opportunity) -> bool:
    from guanxi.crm.selectors.opportunities import opportunity_visible

    return opportunity_visible(actor=user, mode="edit").filter(pk=opportunity.pk).exists()


def _reaches_lead(user, lead, mode: str) -> bool:
    from guanxi.crm.selectors.leads import lead_visible

    return lead_visible(actor=user, mode=mode).filter(pk=lead.pk).exists()


registry.register_document_type(
    DocumentType(
        "crm.opportunity",
        _("Opportunity"),
        _("Opportunities"),
        may_view=_may_view,
        may_change=_may_change,
        url=lambda o: o.get_absolute_url(),
        title=lambda o: o.name,
        features=frozenset({"activities", "attachments"}),
    )
)

registry.register_document_type(
    DocumentType(
        "crm.lead",
        _("Lead"),
        _("Leads"),
        may_view=lambda user, lead: _reaches_lead(user, lead, "view"),
        may_change=lambda user, lead: _reaches_lead(user, lead, "edit"),
        url=lambda lead: lead.get_absolute_url(),
        title=str,
        features=frozenset({"activities"}),
    )
)
registry.register_event_type(
    registry.EventType(
        "lead.new",
        _("A lead from a web form is yours"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        order=30,
    )
)

for code, label, order in (
    ("pool.warning", _("A customer of yours goes back to the pool soon"), 31),
    ("pool.returned", _("A customer of yours went back to the pool"), 32),
):
    registry.register_event_type(
        registry.EventType(
            code, label, default_channels=frozenset({registry.IN_APP, registry.EMAIL}), order=order
        )
    )

registry.register_tab(
    RecordTab(
        "parties.party",
        "opportunities",
        _("Opportunities"),
        "crm/tabs/party_opportunities.html",
        30,
        context=party_page.tab_context,
        visible=party_page.visible,
    )
)
registry.register_overview_card(
    OverviewCard(
        "parties.party",
        "pipeline",
        _("Open pipeline"),
        "crm/cards/party_pipeline.html",
        10,
        context=party_page.card_context,
        visible=party_page.visible,
    )
)
registry.register_header_action(
    HeaderAction(
        "parties.party",
        "release_to_pool",
        _("Put in the pool"),
        lambda party: reverse("crm:pool_release", args=[party.pk]),
        60,
        visible=party_page.may_release,
    )
)
registry.register_header_action(
    HeaderAction(
        "parties.party",
        "new_opportunity",
        _("New opportunity"),
        lambda party: reverse("crm:opportunity_create") + f"?customer={party.pk}",
        20,
        visible=party_page.may_add,
    )
)


# Quotes and sales orders: document types (attachments; activities on quotes), numbers, the printed quote,
# and approval of quotes by the rules an administrator sets (largest discount, amount in CNY).
def _quote_reach(mode):
    def check(user, obj) -> bool:
        from guanxi.crm.selectors.quotes import order_visible, quote_visible

        qs = quote_visible if obj._meta.model_name == "quote" else order_visible
        return qs(actor=user, mode=mode).filter(pk=obj.pk).exists()

    return check


for code, label, plural, features in (
    ("crm.quote", _("Quote"), _("Quotes"), {"attachments", "activities", "approvals"}),
    ("crm.salesorder", _("Sales order"), _("Sales orders"), {"attachments"}),
):
    registry.register_document_type(
        DocumentType(
            code,
            label,
            plural,
            may_view=_quote_reach("view"),
            may_change=_quote_reach("edit"),
            url=lambda d: d.get_absolute_url(),
            title=lambda d: f"{d.number} {d.customer.name}",
            features=frozenset(features),
        )
    )


register_numbered_document("crm.quote", label=_("Quote"), default_pattern="QT-{YYYY}-{seq:05}")
register_numbered_document("crm.sales_order", label=_("Sales order"), default_pattern="SO{YYYY}{MM}-{seq:04}")


def _quote_values(q) -> dict:
    from guanxi.crm.selectors.totals import cny

    return {"max_discount": q.max_discount, "gross_cny": cny(q.gross_total, q.currency_id)}


def _quote_decided(state):
    def apply(q, actor, *comment):
        from guanxi.crm.services.quotes import quote_decided

        quote_decided(q, state)

    return apply


register_approvable(
    ApprovalSpec(
        document="crm.quote",
        fields={
            "max_discount": FieldSpec(_("Largest discount"), "decimal", suffix="%"),
            "gross_cny": FieldSpec(_("Total with tax (CNY)"), "decimal", suffix="CNY"),
        },
        values=_quote_values,
        on_approved=_quote_decided("approved"),
        on_rejected=_quote_decided("draft"),
        on_withdrawn=_quote_decided("draft"),
        requester=lambda q: q.owner,
        optional=True,  # without rules a submitted quote is ready at once
    )
)
registry.register_printable(
    Printable(
        "crm.quote",
        "quote",
        _("Quote"),
        "crm/print/quote.html",
        context=lambda q, user: {"lines": list(q.lines.select_related("unit", "product"))},
        language=lambda q: q.language or q.customer.preferred_language or None,
        company=lambda q: q.company,
        filename=lambda q: q.number,
    )
)
registry.register_header_action(
    HeaderAction(
        "crm.quote",
        "print",
        _("Print"),
        lambda q: reverse("core:print_preview", args=["crm.quote", q.pk, "quote"]),
        order=90,
    )
)
registry.register_header_action(
    HeaderAction(
        "crm.opportunity",
        "new_quote",
        _("New quote"),
        lambda o: reverse("crm:quote_create") + f"?opportunity={o.pk}",
        20,
        visible=party_page.may_quote,
    )
)
registry.register_header_action(
    HeaderAction(
        "parties.party",
        "new_quote",
        _("New quote"),
        lambda party: reverse("crm:quote_create") + f"?customer={party.pk}",
        25,
        visible=party_page.may_quote,
    )
)
for key, label, template, order in (
    ("quotes", _("Quotes"), "crm/tabs/party_quotes.html", 31),
    ("orders", _("Sales orders"), "crm/tabs/party_orders.html", 32),
):
    registry.register_tab(
        RecordTab(
            "parties.party",
            key,
            label,
            template,
            order,
            context=party_page.documents_context(key),
            visible=party_page.may_see_quotes,
        )
    )


# Receivables: fapiao requests are approvable documents (optional: without rules they are to be issued at
# once); instalment reminders and overdue notices; the customer's card.
def _fapiao_reach(mode):
    def check(user, r) -> bool:
        from guanxi.crm.selectors.quotes import order_visible

        return order_visible(actor=user, mode=mode).filter(pk=r.order_id).exists()

    return check


registry.register_document_type(
    DocumentType(
        "crm.fapiaorequest",
        _("Fapiao request"),
        _("Fapiao requests"),
        may_view=_fapiao_reach("view"),
        may_change=_fapiao_reach("edit"),
        url=lambda r: r.get_absolute_url(),
        title=lambda r: f"{r.order.number} {r.title} {r.amount}",
        features=frozenset({"approvals"}),
    )
)


def _fapiao_decided(state):
    def apply(r, actor, *comment):
        from guanxi.crm.services.receivables import fapiao_decided

        fapiao_decided(r, state)

    return apply


register_approvable(
    ApprovalSpec(
        document="crm.fapiaorequest",
        fields={
            "amount_cny": FieldSpec(_("Amount with tax (CNY)"), "decimal", suffix="CNY"),
            "kind": FieldSpec(_("Kind"), "choice", choices=FapiaoKind.choices),
        },
        values=lambda r: {"amount_cny": _cny(r.amount, r.order.currency_id), "kind": r.kind},
        on_approved=_fapiao_decided("approved"),
        on_rejected=_fapiao_decided("rejected"),
        on_withdrawn=_fapiao_decided("rejected"),
        requester=lambda r: r.requested_by,
        tab=False,
        optional=True,
    )
)


def _cny(amount, currency):
    from guanxi.crm.selectors.totals import cny

    return cny(amount, currency)


for code, label, order in (
    ("instalment.due", _("An instalment of your order is due soon"), 33),
    ("instalment.overdue", _("An instalment of your order is overdue"), 34),
):
    registry.register_event_type(
        registry.EventType(
            code, label, default_channels=frozenset({registry.IN_APP, registry.EMAIL}), order=order
        )
    )
registry.register_overview_card(
    OverviewCard(
        "parties.party",
        "receivables",
        _("Receivable"),
        "crm/cards/party_receivables.html",
        12,
        context=party_page.receivables_context,
        visible=party_page.may_see_quotes,
    )
)
registry.register_tab(
    RecordTab(
        "crm.salesorder",
        "receivables",
        _("Collections and fapiao"),
        "crm/tabs/order_receivables.html",
        10,
        context=party_page.order_receivables_context,
    )
)
registry.register_nav_item(
    NavItem("receivables", _("Receivables"), "crm:receivables", "crm", order=24, action=Action.QUOTE_VIEW)
)
