"""What sourcing adds to core's registry: the RFQ permission actions (opening sealed quotes early is a
Procurement Manager's alone), RFQ numbers, the RFQ as a document (history, attachments, activities), the
menu item, and on a supplier's page the RFQs tab. Imported by ProcurementConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, register_approvable
from guanxi.core.numbering import register_numbered_document
from guanxi.core.registry import DocumentType, NavItem, PermissionAction, RecordTab
from guanxi.procurement.permissions import Action

registry.register_actions(
    PermissionAction(
        Action.RFQ_VIEW,
        _("View requests for quotation"),
        "procurement",
        _("RFQs (询价单), who was invited and who answered; quotes once opened"),
    ),
    PermissionAction(
        Action.RFQ_CHANGE,
        _("Run requests for quotation"),
        "procurement",
        _("Create, invite, enter sealed quotes, open them after the deadline, compare, award, make orders"),
    ),
    PermissionAction(
        Action.RFQ_OPEN_EARLY,
        _("Open sealed quotes early"),
        "procurement",
        _("Before the deadline, with a reason that stays in the history"),
    ),
)
registry.grant_shipped_role(
    roles.PROCUREMENT_MANAGER, actions={Action.RFQ_VIEW, Action.RFQ_CHANGE, Action.RFQ_OPEN_EARLY}
)
registry.grant_shipped_role(roles.BUYER, actions={Action.RFQ_VIEW, Action.RFQ_CHANGE})
registry.grant_shipped_role(roles.EXECUTIVE, actions={Action.RFQ_VIEW})
register_numbered_document(
    "procurement.rfq", label=_("Request for quotation"), default_pattern="RFQ{YYYY}{MM}-{seq:04}"
)
registry.register_nav_item(
    NavItem("rfqs", _("Requests for quotation"), "procurement:rfqs", "srm", order=35, action=Action.RFQ_VIEW)
)


def _reach(mode: str):
    def check(user, rfq) -> bool:
        from guanxi.procurement.selectors.sourcing import rfq_visible

        return rfq_visible(actor=user, mode=mode).filter(pk=rfq.pk).exists()

    return check


registry.register_document_type(
    DocumentType(
        "procurement.rfq",
        _("Request for quotation"),
        _("Requests for quotation"),
        may_view=_reach("view"),
        may_change=_reach("edit"),
        url=lambda r: r.get_absolute_url(),
        title=lambda r: f"{r.number} {r.title}",
        features=frozenset({"attachments", "activities"}),
    )
)


def _may_see(party, user) -> bool:
    from guanxi.core.roles import grants_for

    return party.is_supplier and grants_for(user).can(Action.RFQ_VIEW)


def _context(party, user) -> dict:
    from guanxi.procurement.selectors.sourcing import rfqs_of_supplier

    return {
        "supplier_rfqs": list(rfqs_of_supplier(actor=user, supplier=party).select_related("currency")[:50])
    }


registry.register_tab(
    RecordTab(
        "parties.party",
        "rfqs",
        _("RFQs"),
        "procurement/tabs/rfqs.html",
        61,
        context=_context,
        visible=_may_see,
    )
)


# --- Purchase requisitions (请购单) -------------------------------------------------------------------------
registry.register_actions(
    PermissionAction(
        Action.REQUISITION_CREATE,
        _("Request purchases"),
        "procurement",
        _("Purchase requisitions (请购单): ask for products or services, see one's own"),
    ),
    PermissionAction(
        Action.REQUISITION_PROCESS,
        _("Process requisitions"),
        "procurement",
        _("See every requisition; turn approved ones into RFQs or purchase orders"),
    ),
)
for _role in (
    roles.EXECUTIVE,
    roles.SALES_MANAGER,
    roles.SALES_REP,
    roles.MARKETING,
    roles.SERVICE_AGENT,
    roles.PROCUREMENT_MANAGER,
    roles.BUYER,
):
    registry.grant_shipped_role(_role, actions={Action.REQUISITION_CREATE})
registry.grant_shipped_role(roles.PROCUREMENT_MANAGER, actions={Action.REQUISITION_PROCESS})
registry.grant_shipped_role(roles.BUYER, actions={Action.REQUISITION_PROCESS})
register_numbered_document(
    "procurement.requisition", label=_("Purchase requisition"), default_pattern="PR{YYYY}{MM}-{seq:04}"
)
registry.register_nav_item(
    NavItem(
        "requisitions",
        _("Requisitions"),
        "procurement:requisitions",
        "work",  # every role asks for purchases: under My work, not the SRM section a sales rep never sees
        order=30,
        action=Action.REQUISITION_CREATE,
    )
)


def _req_reach(mode: str):
    def check(user, req) -> bool:
        from guanxi.procurement.selectors.requisitions import requisition_visible

        return requisition_visible(actor=user, mode=mode).filter(pk=req.pk).exists()

    return check


registry.register_document_type(
    DocumentType(
        "procurement.requisition",
        _("Purchase requisition"),
        _("Purchase requisitions"),
        may_view=_req_reach("view"),
        may_change=_req_reach("edit"),
        url=lambda r: r.get_absolute_url(),
        title=lambda r: f"{r.number} {r.justification[:60]}",
        features=frozenset({"attachments", "approvals"}),
    )
)


def _req_values(r) -> dict:
    from guanxi.crm.selectors.totals import cny

    return {"estimated_cny": cny(r.estimated_total, r.currency_id)}


def _req_hook(name: str):
    def hook(req, *args) -> None:
        from guanxi.procurement.services import requisitions

        getattr(requisitions, name)(req)

    return hook


register_approvable(
    ApprovalSpec(
        document="procurement.requisition",
        fields={"estimated_cny": FieldSpec(_("Estimated total (CNY)"), "decimal", suffix="CNY")},
        values=_req_values,
        on_approved=_req_hook("requisition_approved"),
        on_rejected=_req_hook("requisition_rejected"),
        on_withdrawn=_req_hook("requisition_withdrawn"),
        requester=lambda r: r.requester,
        team=lambda r: r.team,
        optional=True,
    )
)
