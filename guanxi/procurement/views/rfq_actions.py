"""An RFQ's operations on its page: invite a supplier (a reason for one not approved), take one off a draft,
publish, move the deadline later, record a decline, open the quotes (after the deadline; earlier only a
Procurement Manager, with a reason), start a further round, cancel. Thin: each is one service call. A refusal
shows the RFQ's page again with that operation's form open, its message and what was typed; a stale page is a
message to look again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError, GuanxiError
from guanxi.procurement.selectors import sourcing as sel
from guanxi.procurement.services import quotes, rfqs
from guanxi.procurement.views.rfqs import detail_context

OPERATIONS = ("invite", "uninvite", "publish", "extend", "decline", "open", "round", "cancel")


def _run(user, rfq, action: str, post) -> str:
    version = post.get("version")
    if action == "invite":
        inv = rfqs.rfq_invite(
            actor=user, rfq=rfq, version=version, supplier=post.get("supplier"), reason=post.get("reason", "")
        )
        return _("%(name)s is invited.") % {"name": inv.supplier.name}
    if action == "uninvite":
        rfqs.rfq_uninvite(actor=user, rfq=rfq, version=version, invitation=post.get("invitation"))
        return _("The supplier is taken off the list.")
    if action == "publish":
        rfqs.rfq_publish(actor=user, rfq=rfq, version=version)
        return _("RFQ %(number)s is open for quotes until the deadline. Quotes are sealed until then.")
    if action == "extend":
        rfqs.rfq_extend(actor=user, rfq=rfq, version=version, deadline=post.get("deadline"))
        return _("The deadline is moved.")
    if action == "decline":
        inv = quotes.quote_decline(
            actor=user, rfq=rfq, supplier=post.get("supplier"), reason=post.get("reason", "")
        )
        return _("%(name)s declined to quote.") % {"name": inv.supplier.name}
    if action == "open":
        r = quotes.rfq_open(actor=user, rfq=rfq, version=version, reason=post.get("reason", ""))
        return _("The quotes of round %(round)d are opened: compare them.") % {"round": r.round}
    if action == "round":
        r = quotes.rfq_new_round(actor=user, rfq=rfq, version=version, deadline=post.get("deadline"))
        return _("Round %(round)d is open for quotes; the earlier rounds are kept.") % {"round": r.round}
    rfqs.rfq_cancel(actor=user, rfq=rfq, version=version, reason=post.get("reason", ""))
    return _("RFQ %(number)s is cancelled.")


@login_required
@require_POST
def rfq_action(request, pk, action):
    if action not in OPERATIONS:
        raise Http404
    rfq = sel.rfq_get(actor=request.user, pk=pk, mode="edit")
    try:
        text = _run(request.user, rfq, action, request.POST)
    except ValidationError as exc:
        rfq.refresh_from_db()
        ctx = detail_context(request, rfq, op=action, op_errors=exc.message_dict, posted=request.POST)
        return render(request, "procurement/rfqs/detail.html", ctx)
    except ConflictError:
        messages.error(request, _("Someone changed this RFQ meanwhile: look at it again and repeat."))
        return redirect(rfq.get_absolute_url())
    except GuanxiError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc.message))
        return redirect(rfq.get_absolute_url())
    messages.success(request, text % {"number": rfq.number})
    if action == "open":
        return redirect("procurement:rfq_compare", pk=rfq.pk)
    return redirect(rfq.get_absolute_url())
