"""A purchase order's operations on its page: submit (approval by amount), send (the PDF e-mailed when an
address is given), record the supplier's confirmation (a promised date per line), cancel and close (with a
reason). Thin: each is one service call. A refusal shows the order's page again with the operation's form
open, its message beside it and what was typed kept; a stale page is a message to look again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.procurement import forms
from guanxi.procurement.choices import OrderState
from guanxi.procurement.selectors import orders as sel
from guanxi.procurement.services import orders as svc
from guanxi.procurement.views.orders import detail_context

OPERATIONS = ("submit", "send", "cancel", "close")  # orders/<pk>/<op>/; the confirmation has its own URL


def _refused(request, order, op: str, exc: ValidationError):
    order.refresh_from_db()
    ctx = detail_context(request, order, op=op, op_errors=exc.message_dict, posted=request.POST)
    return render(request, "procurement/orders/detail.html", ctx, status=200)


def _stale(request, order):
    messages.error(request, _("Someone changed this purchase order meanwhile: look at it again and repeat."))
    return redirect(order.get_absolute_url())


@login_required
@require_POST
def order_action(request, pk, action):
    if action not in OPERATIONS:
        raise Http404
    order = sel.order_get(actor=request.user, pk=pk, mode="edit")
    post, version, user = request.POST, request.POST.get("version"), request.user
    try:
        if action == "submit":
            order = svc.order_submit(actor=user, order=order, version=version)
            if order.state == OrderState.PENDING:
                text = _("Purchase order %(number)s waits for approval.")
            else:
                text = _("Purchase order %(number)s is approved: send it to the supplier.")
        elif action == "send":
            email = post.get("email", "").strip()[:254]
            order = svc.order_send(actor=user, order=order, version=version, email=email)
            if email:
                text = _("Purchase order %(number)s is sent: the PDF goes to %(email)s.")
            else:
                text = _("Purchase order %(number)s is marked as sent.")
        elif action == "cancel":
            order = svc.order_cancel(actor=user, order=order, version=version, reason=post.get("reason", ""))
            text = _("Purchase order %(number)s is cancelled.")
        else:
            order = svc.order_close(actor=user, order=order, version=version, reason=post.get("reason", ""))
            text = _("Purchase order %(number)s is closed.")
    except ValidationError as exc:
        return _refused(request, order, action, exc)
    except ConflictError:
        return _stale(request, order)
    messages.success(request, text % {"number": order.number, "email": post.get("email", "").strip()})
    return redirect(order.get_absolute_url())


@login_required
@require_POST
def order_confirm_view(request, pk):
    """The supplier's confirmation: the promised date of each line (the first one a line gets is kept as its
    first confirmed date; later ones move the planned date)."""
    order = sel.order_get(actor=request.user, pk=pk, mode="edit")
    try:
        order = svc.order_confirm(
            actor=request.user,
            order=order,
            version=request.POST.get("version"),
            dates=forms.dates_from(request.POST),
        )
    except ValidationError as exc:
        return _refused(request, order, "confirm", exc)
    except ConflictError:
        return _stale(request, order)
    messages.success(
        request, _("The supplier's confirmation of %(number)s is recorded.") % {"number": order.number}
    )
    return redirect(order.get_absolute_url())
