"""What sourcing adds to core's registry: the RFQ permission actions (opening sealed quotes early is a
Procurement Manager's alone), RFQ numbers, the RFQ as a document (history, attachments, activities), the
menu item, and on a supplier's page the RFQs tab. Imported by ProcurementConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
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
