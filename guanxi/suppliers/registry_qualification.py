"""What supplier qualification adds to core's registry: who sets it up and who reviews, the Qualification tab
on a supplier's page (what it supplies, what that requires, its reviews), the setup page in the navigation,
and how its history entries read. Imported by SuppliersConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
from guanxi.core.audit_display import AuditField, register_audit_display
from guanxi.core.registry import EventType, NavItem, PermissionAction, RecordTab
from guanxi.suppliers.permissions import Action

registry.register_actions(
    PermissionAction(
        Action.SETUP,
        _("Set up supplier qualification"),
        "suppliers",
        _("Questionnaires and what each category requires of its suppliers (documents, questionnaire)"),
    ),
    PermissionAction(
        Action.REVIEW,
        _("Review supplier qualifications"),
        "suppliers",
        _("Score and pass or fail a supplier's answers — never a supplier whose data one entered"),
    ),
)
registry.grant_shipped_role(roles.PROCUREMENT_MANAGER, actions={Action.SETUP, Action.REVIEW})
registry.register_nav_item(
    NavItem(
        "qualification_setup",
        _("Supplier qualification"),
        "suppliers:qualification_setup",
        "settings",
        order=56,
        action=Action.SETUP,
    )
)


registry.register_nav_item(
    NavItem(
        "supplier_role_requests",
        _("Registered companies as suppliers"),
        "suppliers:role_requests",
        "srm",
        order=12,
        action=Action.DOCUMENTS,
    )
)
registry.register_event_type(
    EventType(
        "supplier.role_request",
        _("Someone asks to add the supplier role to a company you hold, or your request was decided"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        order=63,
    )
)


def _may_see(party, user) -> bool:
    from guanxi.suppliers.selectors.suppliers import supplier_scope

    return party.is_supplier and supplier_scope(actor=user).filter(pk=party.pk).exists()


def _context(party, user) -> dict:
    from guanxi.suppliers.selectors import qualifications as sel
    from guanxi.suppliers.selectors.categories import requirements_for, supplied_categories
    from guanxi.suppliers.services.documents import may_enter_documents
    from guanxi.suppliers.services.qualifications import approval_blockers

    supplied = supplied_categories(party)
    reqs = requirements_for(party, supplied)
    return {
        "supplied": supplied,
        "required_documents": reqs.documents,
        "required_questionnaires": reqs.questionnaires,
        "qualifications": sel.qualifications_of(party),
        "questionnaires": list(sel.questionnaires(actor=user, active=True)),
        "may_enter_qualification": may_enter_documents(user, party),
        "approval_blockers": approval_blockers(party)
        if party.supplier_status in ("qualified", "on_hold")
        else [],
    }


registry.register_tab(
    RecordTab(
        "parties.party",
        "supplier_qualification",
        _("Qualification"),
        "suppliers/tabs/qualification.html",
        56,
        context=_context,
        visible=_may_see,
    )
)
register_audit_display(
    "parties.party",
    fields={
        "supplied_categories": AuditField(_("What it supplies")),
        "qualification_document": AuditField(_("Qualification document")),
    },
)
register_audit_display(
    "catalog.category",
    fields={
        "required_documents": AuditField(_("Required documents")),
        "questionnaire": AuditField(_("Questionnaire")),
    },
)
