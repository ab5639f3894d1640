"""/api/v1/rfqs: requests for quotation (询价单) with sealed supplier quotes — the same services and selectors as
the pages (guanxi.procurement.services.rfqs, quotes, awards; selectors.sourcing, comparison). A quote entered
here answers with who, which round and when, never with what it says; the RFQ shows a quote's contents only
once it is opened, and the comparison of a round is refused (409) until that round is opened.

Writes that change the RFQ carry the `version` the client read (a stale one is a 409); entering a quote or a
decline does not (buyers enter several suppliers' quotes at once), and leaves the version as it was."""

from __future__ import annotations

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.exceptions import ConflictError, NotFoundError
from guanxi.core.pagination import keyset_page
from guanxi.procurement.api.schemas import Id, Version
from guanxi.procurement.api.sourcing_json import (
    comparison_json,
    invitation_json,
    received_json,
    ref,
    rfq_json,
    summary_json,
)
from guanxi.procurement.api.sourcing_schemas import (
    RfqAwardIn,
    RfqComparisonOut,
    RfqDeadlineIn,
    RfqDeclineIn,
    RfqIn,
    RfqInvitationIn,
    RfqInvitationOut,
    RfqOpenIn,
    RfqOrdersOut,
    RfqOut,
    RfqPage,
    RfqPatch,
    RfqQuoteIn,
    RfqQuoteReceivedOut,
    RfqReasonIn,
    RfqScoresIn,
    RfqVersionIn,
)
from guanxi.procurement.models import PurchaseOrder, Rfq
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.selectors.comparison import comparison_kept
from guanxi.procurement.services import awards, quotes, rfqs

# exclude_unset: a quote's contents are left out of the answer (not even null) while it is sealed.
router = Router(tags=["sourcing"], exclude_unset=True)
SEARCH = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL text cannot hold NUL)
ORDERING = ["-created_at", "-id"]  # as selectors.sourcing.rfq_list
SELECTED = ("owner", "team", "currency", "company", "opened_by")


class RfqQuery(Schema):
    state: str = Field("", max_length=12, description='"" all, or a state')
    owner: Literal["", "me"] = Field("", description='"me": the RFQs I run')
    q: str = Field("", max_length=100, pattern=SEARCH, description="In the number or the title")
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class RfqComparisonQuery(Schema):
    round: Annotated[int, Field(ge=1, le=10000)] | None = Field(None, description="Default: the current one")


def _rfq(request, id: int) -> Rfq:
    return sel.rfq_get(actor=request.user, pk=id)


def _one(r: Rfq) -> dict:
    """The RFQ as a write left it (read again: the services lock and save their own copy)."""
    return rfq_json(Rfq.objects.select_related(*SELECTED).get(pk=r.pk))


def _data(payload, *, exclude_unset: bool) -> dict:
    """The body as the services take it; a PATCH gives only what was set (null or left out: unchanged)."""
    data = payload.dict(exclude_unset=exclude_unset)
    data.pop("version", None)
    return {k: v for k, v in data.items() if v is not None}


# --- The RFQ -----------------------------------------------------------------------------------------------


@router.get("/rfqs", response={200: RfqPage, **responses(*STD)})
def rfqs_list(request, query: Query[RfqQuery]):
    """The requests for quotation the caller sees, newest first."""
    filters = sel.RfqFilters(state=query.state, owner=query.owner, q=query.q.strip())
    qs = sel.rfq_list(actor=request.user, filters=filters)
    page = keyset_page(qs, ordering=ORDERING, cursor=query.cursor, limit=query.limit)
    return {
        "items": [summary_json(r) for r in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/rfqs", response={201: RfqOut, **responses(*STD, 409)})
def rfqs_create(request, payload: RfqIn):
    """A draft RFQ: lines, weighted criteria (price always one of them), the deadline for quotes."""
    r = rfqs.rfq_create(actor=request.user, data=_data(payload, exclude_unset=False))
    return Status(201, _one(r))


@router.get("/rfqs/{id}", response={200: RfqOut, **responses(*STD)})
def rfqs_get(request, id: Id):
    """The RFQ with its lines, criteria, invitations and every round's quotes: who quoted and when; what a
    quote says only once it is opened."""
    return rfq_json(_rfq(request, id))


@router.patch("/rfqs/{id}", response={200: RfqOut, **responses(*STD, 409)})
def rfqs_update(request, id: Id, payload: RfqPatch):
    """Change a draft (only the fields given; lines or criteria, when given, replace all of them)."""
    r = rfqs.rfq_update(
        actor=request.user,
        rfq=_rfq(request, id),
        version=payload.version,
        data=_data(payload, exclude_unset=True),
    )
    return _one(r)


@router.post("/rfqs/{id}/invitations", response={201: RfqOut, **responses(*STD, 409)})
def rfqs_invite(request, id: Id, payload: RfqInvitationIn):
    """Invite a supplier (a draft, or an RFQ open for quotes before its deadline). Answers with the RFQ (its
    new version, the invitation in `invitations`)."""
    r = _rfq(request, id)
    rfqs.rfq_invite(
        actor=request.user, rfq=r, version=payload.version, supplier=payload.supplier, reason=payload.reason
    )
    return Status(201, _one(r))


@router.delete("/rfqs/{id}/invitations/{invitation_id}", response={200: RfqOut, **responses(*STD, 409)})
def rfqs_uninvite(request, id: Id, invitation_id: Id, version: Version):
    """Take a supplier off a draft's list (`version` in the query). Answers with the RFQ and its new version."""
    r = _rfq(request, id)
    if not r.invitations.filter(pk=invitation_id).exists():
        raise NotFoundError()
    rfqs.rfq_uninvite(actor=request.user, rfq=r, version=version, invitation=invitation_id)
    return _one(r)


@router.post("/rfqs/{id}/publish", response={200: RfqOut, **responses(*STD, 409)})
def rfqs_publish(request, id: Id, payload: RfqVersionIn):
    """Draft → open for quotes: from now on quotes are taken, sealed, until the deadline."""
    r = rfqs.rfq_publish(actor=request.user, rfq=_rfq(request, id), version=payload.version)
    return _one(r)


@router.post("/rfqs/{id}/extend", response={200: RfqOut, **responses(*STD, 409)})
def rfqs_extend(request, id: Id, payload: RfqDeadlineIn):
    """Move the deadline of an RFQ open for quotes later (never earlier)."""
    r = rfqs.rfq_extend(
        actor=request.user, rfq=_rfq(request, id), version=payload.version, deadline=payload.deadline
    )
    return _one(r)


@router.post("/rfqs/{id}/cancel", response={200: RfqOut, **responses(*STD, 409)})
def rfqs_cancel(request, id: Id, payload: RfqReasonIn):
    """Cancel an RFQ before the award, with a reason."""
    r = rfqs.rfq_cancel(
        actor=request.user, rfq=_rfq(request, id), version=payload.version, reason=payload.reason
    )
    return _one(r)


# --- Quotes ------------------------------------------------------------------------------------------------


@router.post("/rfqs/{id}/quotes", response={201: RfqQuoteReceivedOut, **responses(*STD, 409)})
def rfqs_quote_enter(request, id: Id, payload: RfqQuoteIn):
    """Enter an invited supplier's quote while the RFQ is open, before its deadline. It is sealed at once:
    the answer says who, which round and when, never what it says. A second quote of the supplier in the same
    round replaces the first."""
    data = payload.dict()
    supplier = data.pop("supplier")
    q = quotes.quote_submit(actor=request.user, rfq=_rfq(request, id), supplier=supplier, data=data)
    return Status(201, received_json(q))


@router.post("/rfqs/{id}/declines", response={201: RfqInvitationOut, **responses(*STD, 409)})
def rfqs_decline(request, id: Id, payload: RfqDeclineIn):
    """An invited supplier will not quote in this round (when is kept). Answers with the invitation."""
    inv = quotes.quote_decline(
        actor=request.user, rfq=_rfq(request, id), supplier=payload.supplier, reason=payload.reason
    )
    return Status(201, invitation_json(inv))


@router.post("/rfqs/{id}/open", response={200: RfqOut, **responses(*STD, 409)})
def rfqs_open(request, id: Id, payload: RfqOpenIn):
    """Open the sealed quotes (开标) after the deadline; before it only a Procurement Manager, with a reason
    (kept on the RFQ and in its history)."""
    r = quotes.rfq_open(
        actor=request.user, rfq=_rfq(request, id), version=payload.version, reason=payload.reason
    )
    return _one(r)


@router.post("/rfqs/{id}/rounds", response={201: RfqOut, **responses(*STD, 409)})
def rfqs_new_round(request, id: Id, payload: RfqDeadlineIn):
    """A further round (best and final offer) of an opened RFQ: open for quotes again until the new deadline;
    every earlier round's quotes stay, opened."""
    r = quotes.rfq_new_round(
        actor=request.user, rfq=_rfq(request, id), version=payload.version, deadline=payload.deadline
    )
    return Status(201, _one(r))


def _table(r: Rfq, round_: int | None) -> dict:
    """The comparison of a round that is opened; refused while its quotes are sealed (nothing of them)."""
    rnd = round_ or r.round
    if rnd > r.round:
        raise ValidationError({"round": _("This RFQ has %(n)d round(s).") % {"n": r.round}})
    if rnd == r.round and r.opened_at is None:
        raise ConflictError(
            _("The quotes of round %(n)d are sealed until they are opened: no comparison before.")
            % {"n": rnd}
        )
    return comparison_json(r, comparison_kept(r, rnd)[0])


@router.get("/rfqs/{id}/comparison", response={200: RfqComparisonOut, **responses(*STD, 409)})
def rfqs_comparison(request, id: Id, query: Query[RfqComparisonQuery]):
    """The comparison table (比价表) of an opened round: per line each supplier's price converted to the RFQ's
    currency, per supplier the total, the score on each criterion and the weighted score, ranked. A 409 while
    the round's quotes are sealed."""
    return _table(_rfq(request, id), query.round)


@router.put("/rfqs/{id}/scores", response={200: RfqComparisonOut, **responses(*STD, 409)})
def rfqs_scores_set(request, id: Id, payload: RfqScoresIn):
    """The buyer's scores (0–100) of the opened quotes on the criteria scored by hand (quality, custom).
    Answers with the comparison of the current round (and the RFQ's new version)."""
    r = quotes.quote_scores_set(
        actor=request.user, rfq=_rfq(request, id), version=payload.version, scores=payload.scores
    )
    return _table(_rfq(request, r.pk), None)


# --- Award and orders --------------------------------------------------------------------------------------


@router.post("/rfqs/{id}/award", response={200: RfqOut, **responses(*STD, 409)})
def rfqs_award(request, id: Id, payload: RfqAwardIn):
    """Award (定标) the whole RFQ to one quote (`whole`) or line by line (`lines`). A justification is asked
    for when it is not the lowest price, or fewer quotes came than the settings ask for an award this size."""
    if payload.whole is not None and payload.lines is not None:
        raise ValidationError({"lines": _("Award the whole RFQ or line by line, not both.")})
    award = {"whole": payload.whole} if payload.whole is not None else {"lines": payload.lines or {}}
    r = awards.rfq_award(
        actor=request.user, rfq=_rfq(request, id), version=payload.version, award=award, reason=payload.reason
    )
    return _one(r)


@router.post("/rfqs/{id}/orders", response={201: RfqOrdersOut, **responses(*STD, 409)})
def rfqs_make_orders(request, id: Id, payload: RfqVersionIn):
    """Make the draft purchase orders of an awarded RFQ: one per supplier, at the quoted prices, in the
    quote's currency (then submitted, approved and sent through /purchase-orders)."""
    made = awards.rfq_make_orders(actor=request.user, rfq=_rfq(request, id), version=payload.version)
    r = Rfq.objects.get(pk=id)
    found = PurchaseOrder.objects.filter(pk__in=[o.pk for o in made]).select_related("supplier")
    orders = [
        {
            "id": o.pk,
            "number": o.number,
            "supplier": ref(o.supplier),
            "currency": o.currency_id,
            "gross_total": o.gross_total,
        }
        for o in sorted(found, key=lambda o: o.number)
    ]
    return Status(
        201, {"id": r.pk, "number": r.number, "state": r.state, "version": r.version, "orders": orders}
    )
