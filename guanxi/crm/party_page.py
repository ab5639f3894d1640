"""The sales app on a party's page: the Opportunities tab, the "Open pipeline" card and the "New opportunity"
button (registered in guanxi.crm.registry). Each costs at most two queries per page view."""

from __future__ import annotations

from django.utils import timezone

from guanxi.core.roles import grants_for
from guanxi.crm.permissions import Action


def _on_customer_side(party) -> bool:
    return party.is_customer or not party.is_supplier


def visible(party, user) -> bool:
    return _on_customer_side(party) and grants_for(user).can(Action.OPPORTUNITY_VIEW)


def may_add(party, user) -> bool:
    return (
        _on_customer_side(party) and not party.archived_at and grants_for(user).can(Action.OPPORTUNITY_CHANGE)
    )


def may_release(party, user) -> bool:
    """ "Put in the pool" on a held customer, for its owner (or a manager) who works with pools."""
    g = grants_for(user)
    if not party.is_customer or party.owner_id is None or party.archived_at:
        return False
    if party.owner_id == user.pk:
        return g.can(Action.POOL_CLAIM) or g.can(Action.POOL_ASSIGN)
    return g.can(Action.POOL_ASSIGN)


def tab_context(party, user) -> dict:
    from guanxi.crm.selectors.opportunities import opportunity_rows, opportunity_visible

    rows = opportunity_rows(
        opportunity_visible(actor=user).filter(customer=party).order_by("-updated_at", "-id")
    )
    return {"opportunities": list(rows[:100])}


def card_context(party, user) -> dict:
    from guanxi.crm.selectors.summaries import customer_pipeline

    return {"summary": customer_pipeline(actor=user, customer=party, year=timezone.localdate().year)}


def may_see_quotes(party, user) -> bool:
    return getattr(party, "is_customer", True) and grants_for(user).can(Action.QUOTE_VIEW)


def may_quote(obj, user) -> bool:
    """ "New quote" on a customer (or an opportunity) that the user may quote for."""
    if not grants_for(user).can(Action.QUOTE_CHANGE):
        return False
    if hasattr(obj, "is_open"):  # an opportunity
        return obj.is_open
    return obj.is_customer and not obj.archived_at


def documents_context(key: str):
    def context(party, user) -> dict:
        from guanxi.crm.selectors.quotes import QuoteFilters, order_list, quote_list

        if key == "quotes":
            return {
                "rows": list(
                    quote_list(actor=user, filters=QuoteFilters(customer=party.pk, state="all"))[:100]
                )
            }
        return {"rows": list(order_list(actor=user, customer=party.pk)[:100])}

    return context


def receivables_context(party, user) -> dict:
    from guanxi.crm.selectors.receivables import open_orders, receivable_totals

    return {"totals": receivable_totals(open_orders(actor=user, customer=party.pk))}


def order_receivables_context(order, user) -> dict:
    from guanxi.crm.choices import CollectionMethod, FapiaoKind
    from guanxi.crm.models import Collection, FapiaoRequest, Instalment
    from guanxi.crm.selectors.quotes import order_visible
    from guanxi.crm.selectors.receivables import order_receivable

    return {
        "r": order_receivable(order),
        "instalments": list(Instalment.objects.filter(order=order).order_by("due_date", "position")),
        "collections": list(Collection.objects.filter(order=order).select_related("created_by")),
        "requests": list(FapiaoRequest.objects.filter(order=order)),
        "methods": CollectionMethod.choices,
        "kinds": FapiaoKind.choices,
        # A 专票 needs the customer's taxpayer number: offered first only when there is one.
        "default_kind": FapiaoKind.SPECIAL if order.customer.invoice_tax_number else FapiaoKind.ELECTRONIC,
        "today": timezone.localdate(),
        "may_change": order_visible(actor=user, mode="edit").filter(pk=order.pk).exists(),
    }


def may_mark_lost(party, user) -> bool:
    """ "Mark as lost" on a customer that is not lost, for those who may change customers' work."""
    return (
        party.is_customer
        and party.customer_status != "lost"
        and not party.archived_at
        and grants_for(user).can(Action.OPPORTUNITY_CHANGE)
    )


def price_list_context(party, user) -> dict:
    """The customer's price list card: its list, and what may be assigned (for who may change the customer)."""
    from guanxi.crm.selectors.pricelists import assignable_lists, customer_price_list, pricelist_visible
    from guanxi.parties.selectors.parties import party_can_edit

    current = customer_price_list(party=party)
    visible = current is not None and pricelist_visible(actor=user).filter(pk=current.pk).exists()
    may_change = not party.archived_at and party_can_edit(actor=user, party=party)
    own = list(pricelist_visible(actor=user).filter(customer=party, archived_at__isnull=True)[:10])
    return {
        "current": current if visible else None,
        "hidden": current is not None and not visible,
        "own_lists": own,
        "choices": list(assignable_lists(actor=user, party=party)[:200]) if may_change else [],
        "may_change": may_change,
    }


def level_context(party, user) -> dict:
    """The customer level card: the level, and a picker for who may change the customer."""
    from guanxi.crm.choices import CustomerLevel
    from guanxi.crm.models import CustomerAccount
    from guanxi.parties.selectors.parties import party_can_edit

    account = CustomerAccount.objects.filter(party=party).first()
    return {
        "level": account.level if account else "",
        "level_label": account.get_level_display() if account and account.level else "",
        "levels": CustomerLevel.choices,
        "may_change": party.is_customer and not party.archived_at and party_can_edit(actor=user, party=party),
    }
