"""Kinds and states of the sales app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StageKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


# An opportunity's state is its stage's kind, kept on the row for lists and indexes.
OpportunityState = StageKind


class ContactRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    WORKING = "working", _("Working")
    QUALIFIED = "qualified", _("Qualified")
    DISQUALIFIED = "disqualified", _("Disqualified")
    CONVERTED = "converted", _("Converted")


class LeadSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    WEB_FORM = "web_form", _("Web form")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    PHONE = "phone", _("Phone call")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    REFERRAL = "referral", _("Referral")
    OTHER = "other", _("Other")


class ForecastCategory(models.TextChoices):
    """How sure the owner is of an open opportunity, for the forecast (won ones count as closed)."""

    PIPELINE = "pipeline", pgettext_lazy("forecast", "Pipeline")
    BEST_CASE = "best_case", _("Best case")
    COMMIT = "commit", _("Commit")
    OMITTED = "omitted", _("Omitted")


class QuoteState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Ready to send")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Revised")


class OrderState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    PARTIAL = "partial", _("Partially delivered")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class CollectionMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    ACCEPTANCE = "acceptance", _("Bank acceptance bill (承兑汇票)")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    ONLINE = "online", _("Online payment (WeChat Pay, Alipay)")
    OTHER = "other", _("Other")


class FapiaoKind(models.TextChoices):
    SPECIAL = "special", _("Special VAT fapiao (专票)")
    NORMAL = "normal", _("Normal VAT fapiao (普票)")
    ELECTRONIC = "electronic", _("Electronic fapiao (电子发票)")


class FapiaoState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("To be issued")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")


class CustomerLevel(models.TextChoices):
    """How much a customer matters to the sales team (客户等级); the pools may keep each level longer or shorter."""

    A = "a", _("A · key account")
    B = "b", _("B · important")
    C = "c", _("C · regular")
    D = "d", _("D · small")
