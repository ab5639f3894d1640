"""Kinds and states of deliveries, receipts and returns (stored codes: never rename)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoteState(models.TextChoices):
    """A delivery note (送货单 / ASN): announced by the supplier, received in part or in full, or cancelled."""

    OPEN = "open", _("In transit")
    PARTIAL = "partial", _("Partially received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class RejectReason(models.TextChoices):
    QUALITY = "quality", _("Quality defect")
    DAMAGED = "damaged", _("Damaged in transit")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    EXCESS = "excess", _("More than ordered")
    OTHER = "other", _("Other")


class ReturnKind(models.TextChoices):
    """Why goods go back: the supplier's fault (counts against its quality) or ours (commercial)."""

    QUALITY = "quality", _("Quality return")
    COMMERCIAL = "commercial", _("Commercial return")


class InvoiceState(models.TextChoices):
    """A supplier invoice (供应商发票): matched (ready for payment), with exceptions (held), waiting for the
    approval that releases it despite them, released, or cancelled."""

    MATCHED = "matched", _("Matched")
    EXCEPTION = "exception", _("Held: exceptions")
    PENDING = "pending", _("Release to approve")
    RELEASED = "released", _("Released for payment")
    CANCELLED = "cancelled", _("Cancelled")


class MatchProblem(models.TextChoices):
    """Why an invoice line is an exception (stored codes)."""

    PRICE = "price", _("Price differs from the order beyond the tolerance")
    TAX = "tax", _("Tax rate differs from the order")
    TOTAL = "total", _("The invoice's total differs from its lines")


class StatementState(models.TextChoices):
    """A reconciliation statement (对账单): drawn up, sent to the supplier, confirmed (locked) or disputed."""

    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the supplier")
    DISPUTED = "disputed", _("Disputed")
    CONFIRMED = "confirmed", _("Confirmed")


class StatementLineKind(models.TextChoices):
    RECEIPT = "receipt", _("Goods received")
    RETURN = "return", _("Goods returned")
    INVOICE = "invoice", _("Invoice")


class SupplierAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
