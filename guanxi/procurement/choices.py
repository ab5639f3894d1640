"""States of purchasing documents (stored codes: never rename)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    """A purchase order (采购订单): draft → to approve → approved → sent → confirmed → partially received →
    received → closed; cancelled from any state before goods arrive."""

    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("To approve")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    CONFIRMED = "confirmed", _("Confirmed")
    PARTIAL = "partial", _("Partially received")
    RECEIVED = "received", _("Received")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Where an order is waiting for nothing more from us: lines still to come from the supplier.
OPEN_STATES = (OrderState.APPROVED, OrderState.SENT, OrderState.CONFIRMED, OrderState.PARTIAL)
# What a change order (变更单) may start from: the supplier has it, nothing is received yet.
CHANGEABLE_STATES = (OrderState.APPROVED, OrderState.SENT, OrderState.CONFIRMED)
