"""Reads of quotes and sales orders, scoped like customers (own / team / all on owner and team)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.core.selectors.record_rules import scope_q
from guanxi.crm.choices import OrderState, QuoteState
from guanxi.crm.models import Quote, SalesOrder
from guanxi.crm.permissions import AREA, Action

ORDERING = ["-created_at", "-id"]
ORDER_ORDERING = ["-ordered_on", "-id"]


def require_reader(actor) -> None:
    if not grants_for(actor).can(Action.QUOTE_VIEW):
        raise PermissionDeniedError()


def _visible(model, actor, mode: str):
    if not grants_for(actor).can(Action.QUOTE_VIEW if mode == "view" else Action.QUOTE_CHANGE):
        return model.objects.none()
    q = scope_q(actor, area=AREA, mode=mode)
    return model.objects.all() if q is None else model.objects.filter(q)


def quote_visible(*, actor, mode: str = "view") -> QuerySet[Quote]:
    return _visible(Quote, actor, mode)


def order_visible(*, actor, mode: str = "view") -> QuerySet[SalesOrder]:
    return _visible(SalesOrder, actor, mode)


def _get(qs_of, actor, pk, mode, what):
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < pk < 2**63:
        raise NotFoundError()
    rel = ("customer", "contact", "opportunity", "owner", "team", "currency", "company")
    row = qs_of(actor=actor, mode=mode).select_related(*rel).filter(pk=pk).first()
    if row is None:
        if mode == "edit" and qs_of(actor=actor).filter(pk=pk).exists():
            raise PermissionDeniedError(_("You may see this %(what)s but not change it.") % {"what": what})
        raise NotFoundError()
    return row


def quote_get(*, actor, pk, mode: str = "view") -> Quote:
    return _get(quote_visible, actor, pk, mode, _("quote"))


def order_get(*, actor, pk, mode: str = "view") -> SalesOrder:
    return _get(order_visible, actor, pk, mode, _("sales order"))


@dataclass(frozen=True)
class QuoteFilters:
    state: str = ""  # "" = current (not superseded); a state; "all"
    customer: int | None = None
    owner: str = ""
    q: str = ""


def quote_list(*, actor, filters: QuoteFilters) -> QuerySet[Quote]:
    require_reader(actor)
    qs = quote_visible(actor=actor)
    f = filters
    if f.state == "":
        qs = qs.exclude(state=QuoteState.SUPERSEDED)
    elif f.state in QuoteState.values:
        qs = qs.filter(state=f.state)
    elif f.state != "all":
        raise ValidationError({"state": _("Choose a state from the list.")})
    if f.customer:
        qs = qs.filter(customer_id=f.customer)
    if f.owner == "me":
        qs = qs.filter(owner_id=actor.pk)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(customer__name__icontains=f.q))
    return qs.select_related("customer", "owner", "currency").order_by(*ORDERING)


def order_list(*, actor, state: str = "", customer: int | None = None) -> QuerySet[SalesOrder]:
    require_reader(actor)
    qs = order_visible(actor=actor)
    if state:
        if state not in OrderState.values:
            raise ValidationError({"state": _("Choose a state from the list.")})
        qs = qs.filter(state=state)
    if customer:
        qs = qs.filter(customer_id=customer)
    return qs.select_related("customer", "owner", "currency").order_by(*ORDER_ORDERING)
