"""What the sales app adds to core's registry (guanxi.core.registry): its permission actions and what the
shipped roles get, its menu items, the opportunity document type (activities and attachments on it) and, on a
party's page, an Opportunities tab, an "Open pipeline" card and a "New opportunity" button.
Imported by CrmConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
from guanxi.core.registry import (
    DocumentType,
    HeaderAction,
    NavItem,
    OverviewCard,
    PermissionAction,
    RecordTab,
)
from guanxi.core.saved_lists import register_savable_list
from guanxi.crm import merge_hooks, party_page
from guanxi.crm.permissions import Action
from guanxi.parties.merge_hooks import register_merge_hook

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
    PermissionAction(
        Action.PRICELIST_MANAGE,
        _("Manage price lists"),
        "crm",
        _("Create, edit, archive and restore price lists (价目表) and their quantity breaks"),
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
    Action.PRICELIST_MANAGE,
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
        "price_lists",
        _("Price lists"),
        "crm:price_lists",
        "settings",
        order=59,
        action=Action.PRICELIST_MANAGE,
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
registry.register_overview_card(
    OverviewCard(
        "parties.party",
        "price_list",
        _("Price list"),
        "crm/cards/party_price_list.html",
        14,
        context=party_page.price_list_context,
        visible=party_page.may_see_quotes,
    )
)
registry.register_overview_card(
    OverviewCard(
        "parties.party",
        "customer_level",
        _("Customer level"),
        "crm/cards/party_level.html",
        13,
        context=party_page.level_context,
        visible=lambda party, user: party.is_customer and party_page.may_see_quotes(party, user),
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

# Lists whose filters, sort and columns can be saved as named views ({% saved_views %}: guanxi.core.saved_lists).
register_savable_list("crm.opportunities", _("Opportunities"))
register_savable_list("crm.board", _("Pipeline"))
register_savable_list("crm.leads", _("Leads"))

# A merge of two parties keeps a held customer out of the pools (guanxi.crm.merge_hooks).
register_merge_hook("crm.pools", after_merge=merge_hooks.after_merge, after_undo=merge_hooks.after_undo)
