"""What the sales app's documents add to core's registry: quotes, sales orders and fapiao requests (document
types, numbers, approvals, the printed quote, party tabs and cards, buttons), the customer lifecycle's button,
and their notification events. Imported by CrmConfig.ready() after guanxi.crm.registry."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core import registry
from guanxi.core.approvals_registry import ApprovalSpec, FieldSpec, register_approvable
from guanxi.core.numbering import register_numbered_document
from guanxi.core.registry import DocumentType, HeaderAction, NavItem, OverviewCard, Printable, RecordTab
from guanxi.crm import party_page
from guanxi.crm.choices import FapiaoKind
from guanxi.crm.permissions import Action


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
registry.register_header_action(
    HeaderAction(
        "parties.party",
        "mark_lost",
        _("Mark as lost"),
        lambda party: reverse("crm:mark_lost", args=[party.pk]),
        70,
        visible=party_page.may_mark_lost,
    )
)
