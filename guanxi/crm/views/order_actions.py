"""A sales order's operations on its page: record a delivery, set the lines' delivery dates, close, cancel.
Thin: the rules are in guanxi.crm.services.order_delivery; a refusal comes back as a message on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.crm.selectors import quotes as sel
from guanxi.crm.services import order_delivery as svc
from guanxi.crm.views.common import error_text

OPERATIONS = ("deliver", "dates", "close", "cancel")  # each its own URL: orders/<pk>/deliver/ …


def _per_line(post, prefix: str) -> dict:
    return {k.removeprefix(prefix): v for k, v in post.items() if k.startswith(prefix)}


@login_required
@require_POST
def order_action(request, pk, op):
    order = sel.order_get(actor=request.user, pk=pk, mode="edit")
    post, version = request.POST, request.POST.get("version")
    try:
        if op == "deliver":
            svc.order_deliver(
                actor=request.user,
                order=order,
                version=version,
                quantities=_per_line(post, "qty-"),
                delivered_on=post.get("delivered_on"),
                note=post.get("note", ""),
            )
            messages.success(request, _("The delivery is recorded."))
        elif op == "dates":
            svc.order_set_delivery_dates(
                actor=request.user, order=order, version=version, dates=_per_line(post, "date-")
            )
            messages.success(request, _("Delivery dates saved."))
        elif op == "close":
            svc.order_close(actor=request.user, order=order, version=version, reason=post.get("reason", ""))
            messages.success(request, _("Order %(number)s closed.") % {"number": order.number})
        elif op == "cancel":
            svc.order_cancel(actor=request.user, order=order, version=version, reason=post.get("reason", ""))
            messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
        else:
            messages.error(request, _("Unknown operation."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except ConflictError:
        messages.error(request, _("Someone changed this order meanwhile: look at it again and repeat."))
    return redirect(order.get_absolute_url())
