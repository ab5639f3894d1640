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


class RfqState(models.TextChoices):
    """A request for quotation (询价单): draft → open for quotes (sealed) → opened (the quotes are read and
    compared) → awarded (定标) → ordered; cancelled before the award. A further round (best and final offer)
    goes from opened back to open, keeping every earlier round."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for quotes")
    OPENED = "opened", _("Quotes opened")
    AWARDED = "awarded", _("Awarded")
    ORDERED = "ordered", _("Ordered")
    CANCELLED = "cancelled", _("Cancelled")


class CriterionKind(models.TextChoices):
    """What a weighted evaluation criterion measures. Price, lead time and payment terms are scored from the
    quotes; quality and custom criteria are scored by the buyer after opening (0–100)."""

    PRICE = "price", _("Price")
    LEAD_TIME = "lead_time", _("Lead time")
    PAYMENT_TERMS = "payment_terms", _("Payment terms")
    QUALITY = "quality", _("Quality")
    CUSTOM = "custom", _("Other")


SCORED_BY_HAND = (CriterionKind.QUALITY, CriterionKind.CUSTOM)


class QuoteState(models.TextChoices):
    """A supplier's quote (报价) in one round: sealed until the RFQ is opened; replaced by a later quote of the
    same supplier in the same round before the deadline; a declined invitation has no quote."""

    SEALED = "sealed", _("Sealed")
    OPENED = "opened", _("Opened")
    REPLACED = "replaced", _("Replaced")


class RequisitionState(models.TextChoices):
    """A purchase requisition (请购单): draft → to approve → approved → sourced (its lines went into an RFQ or
    a purchase order); rejected; cancelled by the requester before it is sourced."""

    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("To approve")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SOURCED = "sourced", _("Sourced")
    CANCELLED = "cancelled", _("Cancelled")
