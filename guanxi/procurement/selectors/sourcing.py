"""Reads of requests for quotation (询价单), scoped like purchase orders by the "purchasing" area on the buyer
and team. What a sealed quote says is never read here: before opening only who quoted and when is known
(the contents are encrypted, guanxi.procurement.services.sealing). The comparison table: selectors.comparison."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.core.selectors.record_rules import scope_q
from guanxi.procurement.choices import QuoteState, RfqState
from guanxi.procurement.models import Rfq, RfqInvitation, SupplierQuote
from guanxi.procurement.permissions import AREA, Action


def require_reader(actor) -> None:
    if not grants_for(actor).can(Action.RFQ_VIEW):
        raise PermissionDeniedError()


def may_change(actor) -> bool:
    return grants_for(actor).can(Action.RFQ_CHANGE)


def may_open_early(actor) -> bool:
    return grants_for(actor).can(Action.RFQ_OPEN_EARLY)


def rfq_visible(*, actor, mode: str = "view") -> QuerySet[Rfq]:
    if not grants_for(actor).can(Action.RFQ_VIEW if mode == "view" else Action.RFQ_CHANGE):
        return Rfq.objects.none()
    q = scope_q(actor, area=AREA, mode=mode)
    return Rfq.objects.all() if q is None else Rfq.objects.filter(q)


def rfq_get(*, actor, pk, mode: str = "view") -> Rfq:
    """One RFQ the user reaches (NotFoundError otherwise; PermissionDenied when seen but not changeable)."""
    require_reader(actor)
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFoundError() from exc
    if not 0 < pk < 2**63:
        raise NotFoundError()
    row = (
        rfq_visible(actor=actor, mode=mode)
        .select_related("owner", "team", "currency", "company", "opened_by")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        if mode == "edit" and rfq_visible(actor=actor).filter(pk=pk).exists():
            raise PermissionDeniedError(_("You may see this request for quotation but not change it."))
        raise NotFoundError()
    return row


@dataclass(frozen=True)
class RfqFilters:
    state: str = ""
    owner: str = ""  # "me"
    q: str = ""


def rfq_list(*, actor, filters: RfqFilters) -> QuerySet[Rfq]:
    require_reader(actor)
    qs = rfq_visible(actor=actor)
    if filters.state in RfqState.values:
        qs = qs.filter(state=filters.state)
    elif filters.state:
        raise ValidationError({"state": _("Choose a state from the list.")})
    if filters.owner == "me":
        qs = qs.filter(owner_id=actor.pk)
    if filters.q:
        qs = qs.filter(Q(number__icontains=filters.q) | Q(title__icontains=filters.q))
    return (
        qs.select_related("owner", "currency")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count(
                "quotes",
                filter=Q(quotes__round=F("round")) & ~Q(quotes__state=QuoteState.REPLACED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


@dataclass
class InvitationRow:
    invitation: RfqInvitation
    quote: SupplierQuote | None  # this round's current quote: when it came, never what it says while sealed
    declined: bool = False  # declined in this round


def rfq_categories(rfq: Rfq) -> set[int]:
    """The catalogue categories of the RFQ's products (lines without a product or category add none)."""
    return set(
        rfq.lines.filter(product__category__isnull=False)
        .values_list("product__category_id", flat=True)
        .distinct()
    )


def invitations_of(rfq: Rfq) -> list[InvitationRow]:
    """The invited suppliers with this round's quote (received when, by whom; sealed or opened)."""
    quotes = {
        q.supplier_id: q
        for q in SupplierQuote.objects.filter(rfq=rfq, round=rfq.round)
        .exclude(state=QuoteState.REPLACED)
        .select_related("entered_by")
        .defer("sealed")
    }
    rows = rfq.invitations.select_related("supplier").order_by("supplier__name", "id")
    return [InvitationRow(inv, quotes.get(inv.supplier_id), inv.declined_round == rfq.round) for inv in rows]


def rfq_lines(rfq: Rfq):
    return list(rfq.lines.select_related("unit", "product", "awarded__quote__supplier", "purchase_order"))


def rfq_criteria(rfq: Rfq):
    return list(rfq.criteria.all())


def quote_count(rfq: Rfq, round_: int | None = None) -> int:
    """How many suppliers quoted in the round (current by default): what the minimum-quotes rule counts."""
    return (
        SupplierQuote.objects.filter(rfq=rfq, round=round_ or rfq.round)
        .exclude(state=QuoteState.REPLACED)
        .count()
    )


def rfqs_of_supplier(*, actor, supplier) -> QuerySet[Rfq]:
    """The RFQs the supplier was invited to that the user sees (the party page's tab)."""
    return rfq_visible(actor=actor).filter(invitations__supplier=supplier).distinct().order_by("-created_at")
