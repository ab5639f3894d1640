"""What the suppliers app adds to core's registry: its permission actions and what the shipped roles get, the
bank account change as an approvable document, a "Bank accounts" tab on a supplier's page, the notification
its owner gets, and how its history entries read. Imported by SuppliersConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, register_approvable
from guanxi.core.audit_display import AuditField, AuditTitle, register_audit_display
from guanxi.core.registry import DocumentType, EventType, OverviewCard, PermissionAction, RecordTab
from guanxi.parties.choices import SupplierStatus
from guanxi.parties.merge_hooks import register_merge_hook
from guanxi.suppliers.permissions import Action

registry.register_actions(
    PermissionAction(
        Action.BANK_VIEW,
        _("View suppliers' bank accounts"),
        "suppliers",
        _(
            "The accounts we pay suppliers into and the changes proposed to them, as far as the suppliers scope reaches"
        ),
    ),
    PermissionAction(
        Action.BANK_PROPOSE,
        _("Propose bank account changes"),
        "suppliers",
        _("A new account, new details or a closing; it takes effect when someone else approves it"),
    ),
)
registry.register_actions(
    PermissionAction(
        Action.LIFECYCLE,
        _("Move suppliers through their lifecycle"),
        "suppliers",
        _(
            "Qualify, approve, make preferred, put on hold, block, phase out — with a reason; approving, preferring "
            "and unblocking need someone else's approval"
        ),
    ),
)
for role, actions in (
    (roles.PROCUREMENT_MANAGER, {Action.BANK_VIEW, Action.BANK_PROPOSE, Action.LIFECYCLE}),
    (roles.BUYER, {Action.BANK_VIEW, Action.BANK_PROPOSE, Action.LIFECYCLE}),
    (roles.EXECUTIVE, {Action.BANK_VIEW}),
):
    registry.grant_shipped_role(role, actions=actions)


def _change_reach(mode: str):
    def check(user, change) -> bool:
        from guanxi.suppliers.selectors.bank_accounts import suppliers_reached

        return suppliers_reached(actor=user, mode=mode).filter(pk=change.party_id).exists()

    return check


def _change_title(change) -> str:
    return str(_("Bank account change of %(name)s") % {"name": change.party.name})


def _service(module: str, name: str):
    """A hook (approvals, merge) that calls guanxi.suppliers.services.<module>.<name> (imported when called: the
    registry loads before the services' models are ready)."""

    def hook(*args, **kwargs):
        from importlib import import_module

        return getattr(import_module(f"guanxi.suppliers.services.{module}"), name)(*args, **kwargs)

    return hook


registry.register_document_type(
    DocumentType(
        "suppliers.bankaccountchange",
        _("Bank account change"),
        _("Bank account changes"),
        may_view=_change_reach("view"),
        may_change=_change_reach("edit"),
        url=lambda change: change.get_absolute_url(),
        title=_change_title,
        features=frozenset({"approvals"}),
    )
)


register_approvable(
    ApprovalSpec(
        document="suppliers.bankaccountchange",
        fields={
            "kind": FieldSpec(
                _("Change"),
                "choice",
                choices=[
                    ("add", _("New account")),
                    ("change", _("Change of details")),
                    ("close", _("Closing")),
                ],
            )
        },
        values=lambda change: {"kind": change.kind},
        on_approved=_service("bank_accounts", "bank_change_apply"),
        on_rejected=_service("bank_accounts", "bank_change_rejected"),
        on_withdrawn=_service("bank_accounts", "bank_change_withdrawn"),
        requester=lambda change: change.proposed_by,
        team=lambda change: change.team,
        tab=False,  # the change's own page shows its approval path
    )
)


def _bank_context(party, user) -> dict:
    from guanxi.suppliers.selectors import bank_accounts as sel

    return {
        "bank_accounts": sel.bank_accounts(party=party),
        "bank_changes": sel.bank_changes(party=party)[:20],
        "may_propose": sel.may_propose_bank(user, party),
    }


def _may_see_bank(party, user) -> bool:
    from guanxi.suppliers.selectors.bank_accounts import may_see_bank

    return may_see_bank(user, party)


registry.register_tab(
    RecordTab(
        "parties.party",
        "bank_accounts",
        _("Bank accounts"),
        "suppliers/tabs/bank_accounts.html",
        60,
        context=_bank_context,
        visible=_may_see_bank,
    )
)
registry.register_event_type(
    EventType(
        "supplier.bank_changed",
        _("The bank details of a supplier you hold changed"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        order=60,
    )
)
register_audit_display("parties.party", fields={"bank_account": AuditField(_("Payment bank account"))})
register_audit_display(
    "suppliers.bankaccountchange", fields={"bank_account": AuditField(_("Payment bank account"))}
)
register_audit_display(
    "suppliers.bankaccount",
    fields={"bank_account": AuditField(_("Payment bank account"))},
    titles={
        "merge": AuditTitle(
            _("Bank account closed by a merge: propose it again to pay into it"), show_target=False
        ),
        "unmerge": AuditTitle(_("Bank account reopened: the merge was undone"), show_target=False),
    },
)
# A merge is no approval: the accounts that come with the merged party arrive closed (services/merge.py).
register_merge_hook(
    "suppliers.bank_accounts",
    after_merge=_service("merge", "bank_accounts_after_merge"),
    after_undo=_service("merge", "bank_accounts_after_undo"),
)


# The supplier lifecycle: each step a document of its own (the widening ones are approved), a tab on the page.
def _status_reach(mode: str):
    def check(user, change) -> bool:
        from guanxi.suppliers.selectors.suppliers import supplier_scope

        return supplier_scope(actor=user, mode=mode).filter(pk=change.party_id).exists()

    return check


registry.register_document_type(
    DocumentType(
        "suppliers.supplierstatuschange",
        _("Supplier status change"),
        _("Supplier status changes"),
        may_view=_status_reach("view"),
        may_change=_status_reach("edit"),
        url=lambda change: change.get_absolute_url(),
        title=lambda change: str(
            _("%(name)s: %(from)s → %(to)s")
            % {
                "name": change.party.name,
                "from": change.get_from_status_display(),
                "to": change.get_to_status_display(),
            }
        ),
        features=frozenset({"approvals"}),
    )
)


register_approvable(
    ApprovalSpec(
        document="suppliers.supplierstatuschange",
        fields={
            "from_status": FieldSpec(_("Status before"), "choice", choices=SupplierStatus.choices),
            "to_status": FieldSpec(_("New status"), "choice", choices=SupplierStatus.choices),
        },
        values=lambda change: {"from_status": change.from_status, "to_status": change.to_status},
        on_approved=_service("lifecycle", "supplier_status_change_approved"),
        on_rejected=_service("lifecycle", "supplier_status_change_rejected"),
        on_withdrawn=_service("lifecycle", "supplier_status_change_withdrawn"),
        requester=lambda change: change.proposed_by,
        team=lambda change: change.team,
        tab=False,
    )
)


def _lifecycle_context(party, user) -> dict:
    from guanxi.suppliers.selectors.lifecycle import status_changes
    from guanxi.suppliers.services.lifecycle import actions_for, may_change_lifecycle

    return {
        "status_changes": status_changes(party=party)[:50],
        "lifecycle_actions": actions_for(party) if may_change_lifecycle(user, party) else [],
    }


def _may_see_lifecycle(party, user) -> bool:
    from guanxi.suppliers.selectors.suppliers import supplier_scope

    return party.is_supplier and supplier_scope(actor=user).filter(pk=party.pk).exists()


registry.register_tab(
    RecordTab(
        "parties.party",
        "supplier_status",
        _("Supplier status"),
        "suppliers/tabs/lifecycle.html",
        55,
        context=_lifecycle_context,
        visible=_may_see_lifecycle,
    )
)
registry.register_event_type(
    EventType(
        "supplier.status_changed",
        _("The status of a supplier you hold changed"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        order=61,
    )
)


# --- Qualification documents (资质文件) ----------------------------------------------------------------------
registry.register_actions(
    PermissionAction(
        Action.DOCUMENTS,
        _("Enter supplier documents"),
        "suppliers",
        _(
            "Qualification documents (资质文件) with their expiry; whoever enters them does not approve the supplier"
        ),
    )
)
registry.grant_shipped_role(roles.PROCUREMENT_MANAGER, actions={Action.DOCUMENTS})
registry.grant_shipped_role(roles.BUYER, actions={Action.DOCUMENTS})
registry.register_event_type(
    EventType(
        "supplier.document_expiring",
        _("A document of a supplier you hold expires, or has put it on hold"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        order=62,
    )
)


def _documents_context(party, user) -> dict:
    from guanxi.suppliers.models.documents import DocumentKind
    from guanxi.suppliers.selectors.documents import documents_of
    from guanxi.suppliers.services.documents import may_enter_documents

    return {
        **documents_of(party),
        "may_enter_documents": may_enter_documents(user, party),
        "document_kinds": DocumentKind.choices,
    }


registry.register_tab(
    RecordTab(
        "parties.party",
        "supplier_documents",
        _("Qualification documents"),
        "suppliers/tabs/documents.html",
        57,
        context=_documents_context,
        visible=_may_see_lifecycle,
    )
)


def _expiring_context(party, user) -> dict:
    from guanxi.suppliers.selectors.documents import documents_of

    return documents_of(party)


registry.register_overview_card(
    OverviewCard(
        "parties.party",
        "supplier_documents_expiring",
        _("Documents"),
        "suppliers/tabs/documents_card.html",
        42,
        context=_expiring_context,
        visible=_may_see_lifecycle,
    )
)
