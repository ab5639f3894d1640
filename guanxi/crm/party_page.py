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
