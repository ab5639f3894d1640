"""Reads of purchase orders, scoped by the "purchasing" area (own / team / all on buyer and team)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.core.selectors.record_rules import scope_q
from guanxi.procurement.choices import OPEN_STATES, OrderState
from guanxi.procurement.models import PurchaseOrder, PurchaseOrderLine
from guanxi.procurement.permissions import AREA, Action

ORDERING = ["-ordered_on", "-id"]


def require_reader(actor) -> None:
    if not grants_for(actor).can(Action.ORDER_VIEW):
        raise PermissionDeniedError()


def may_change(actor) -> bool:
    return grants_for(actor).can(Action.ORDER_CHANGE)


def order_visible(*, actor, mode: str = "view") -> QuerySet[PurchaseOrder]:
    if not grants_for(actor).can(Action.ORDER_VIEW if mode == "view" else Action.ORDER_CHANGE):
        return PurchaseOrder.objects.none()
    q = scope_q(actor, area=AREA, mode=mode)
    return PurchaseOrder.objects.all() if q is None else PurchaseOrder.objects.filter(q)


def order_get(*, actor, pk, mode: str = "view") -> PurchaseOrder:
    """One order the user reaches (NotFoundError otherwise; PermissionDenied when seen but not changeable)."""
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < pk < 2**63:
        raise NotFoundError()
    rel = ("supplier", "contact", "owner", "team", "currency", "company")
    row = order_visible(actor=actor, mode=mode).select_related(*rel).filter(pk=pk).first()
    if row is None:
        if mode == "edit" and order_visible(actor=actor).filter(pk=pk).exists():
            raise PermissionDeniedError(_("You may see this purchase order but not change it."))
        raise NotFoundError()
    return row


@dataclass(frozen=True)
class OrderFilters:
    state: str = ""  # a state, "open" (approved … partially received) or "" (all)
    supplier: int | None = None
    owner: str = ""  # "me"
    q: str = ""


def order_list(*, actor, filters: OrderFilters) -> QuerySet[PurchaseOrder]:
    require_reader(actor)
    qs = order_visible(actor=actor)
    f = filters
    if f.state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif f.state in OrderState.values:
        qs = qs.filter(state=f.state)
    elif f.state:
        raise ValidationError({"state": _("Choose a state from the list.")})
    if f.supplier:
        qs = qs.filter(supplier_id=f.supplier)
    if f.owner == "me":
        qs = qs.filter(owner_id=actor.pk)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(supplier__name__icontains=f.q))
    return qs.select_related("supplier", "owner", "currency").order_by(*ORDERING)


def order_lines(order: PurchaseOrder) -> list[PurchaseOrderLine]:
    return list(order.lines.select_related("unit", "product", "tax_rate"))


def order_revisions(order: PurchaseOrder):
    return order.revisions.select_related("created_by").order_by("-revision")


def open_orders_of(*, actor, supplier) -> QuerySet[PurchaseOrder]:
    """The supplier's orders still to be received that the user sees (the party page's card)."""
    return order_visible(actor=actor).filter(supplier=supplier, state__in=OPEN_STATES)
