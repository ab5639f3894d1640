"""Sourcing (询比价): a request for quotation (询价单) with its lines, weighted evaluation criteria and invited
suppliers; the suppliers' quotes (报价) per round, **sealed** (密封报价) until the RFQ is opened (开标); the
award (定标) per line. A sealed quote's contents are not in any column: they are encrypted in `sealed` and
become quote lines only when the RFQ is opened (guanxi.procurement.services.sealing), so no read path — a page,
the API, an export, search, the history, the database — shows them before. Writes:
guanxi.procurement.services.rfqs, quotes, awards; reads: guanxi.procurement.selectors.sourcing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.procurement.choices import CriterionKind, QuoteState, RfqState

_USER = settings.AUTH_USER_MODEL


class Rfq(models.Model):
    number = models.CharField(_("number"), max_length=64, editable=False)
    company = models.ForeignKey(
        "core.Company", verbose_name=_("our company"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        _USER, verbose_name=_("buyer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "core.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RfqState.choices, default=RfqState.DRAFT, editable=False
    )
    # The comparison converts every quote to this currency at the rates of the day the quotes were opened.
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("compare in"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(_("quotes due by"))
    round = models.PositiveIntegerField(_("round"), default=1, editable=False)
    notes = models.TextField(_("terms and notes"), blank=True, max_length=5000)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        _USER, verbose_name=_("opened by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_early_reason = models.CharField(_("why opened early"), max_length=500, blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True, editable=False)
    award_reason = models.CharField(_("award justification"), max_length=1000, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="rfq_state_idx"),
            models.Index(fields=["owner", "state"], name="rfq_owner_idx"),
            models.Index(fields=["team", "state"], name="rfq_team_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="rfq_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:rfq", args=[self.pk])


class RfqLine(models.Model):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.ForeignKey(
        "catalog.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    # The award (定标): the quote line chosen for this line, and the purchase order it went into.
    awarded = models.ForeignKey(
        "procurement.SupplierQuoteLine",
        verbose_name=_("awarded to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purchase_order = models.ForeignKey(
        "procurement.PurchaseOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("RFQ line")
        verbose_name_plural = _("RFQ lines")
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="rfq_line_quantity_positive")]

    def __str__(self) -> str:
        return self.description


class RfqCriterion(models.Model):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("criterion"), max_length=15, choices=CriterionKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)  # a custom criterion's name
    weight = models.PositiveIntegerField(_("weight (%)"))

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class RfqInvitation(models.Model):
    """A supplier asked to quote. Only approved or preferred suppliers, unless the buyer overrides with a reason
    (never a blocked one). When it first answered, and when (in which round) it last declined, are kept for the
    supplier scorecards; each round's quote keeps when it came (SupplierQuote.received_at)."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="invitations")
    supplier = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.CharField(_("why invited although not approved"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    declined_round = models.PositiveIntegerField(_("declined in round"), null=True, blank=True)
    decline_reason = models.CharField(_("why declined"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    created_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("invited supplier")
        verbose_name_plural = _("invited suppliers")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["rfq", "supplier"], name="rfq_invitation_unique")]

    def __str__(self) -> str:
        return str(self.supplier)


class SupplierQuote(models.Model):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="quotes")
    supplier = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveIntegerField(_("round"))
    state = models.CharField(_("state"), max_length=10, choices=QuoteState.choices, default=QuoteState.SEALED)
    received_at = models.DateTimeField(_("received"))
    entered_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sealed = models.TextField(blank=True, editable=False)  # the encrypted contents until opening
    opened_at = models.DateTimeField(
        _("opened"), null=True, blank=True, editable=False
    )  # its round's opening
    # The contents, filled when the RFQ is opened:
    currency = models.ForeignKey(
        "core.Currency",
        verbose_name=_("currency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payment_days = models.PositiveIntegerField(_("payment terms (days)"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("supplier quote")
        verbose_name_plural = _("supplier quotes")
        ordering = ["round", "id"]
        constraints = [
            # One current quote per supplier and round (a resubmission replaces the earlier one).
            models.UniqueConstraint(
                fields=["rfq", "supplier", "round"],
                condition=~Q(state="replaced"),
                name="rfq_quote_current_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rfq.number} / {self.supplier}"


class SupplierQuoteLine(models.Model):
    quote = models.ForeignKey(SupplierQuote, on_delete=models.CASCADE, related_name="lines")
    rfq_line = models.ForeignKey(RfqLine, on_delete=models.CASCADE, related_name="+")
    unit_price = models.DecimalField(_("unit price"), max_digits=19, decimal_places=6)
    lead_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "rfq_line"], name="rfq_quote_line_unique"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="rfq_quote_price_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.unit_price)


class QuoteScore(models.Model):
    """A buyer's score (0–100) of an opened quote on a criterion scored by hand (quality, custom)."""

    quote = models.ForeignKey(SupplierQuote, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RfqCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveIntegerField(_("score"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["quote", "criterion"], name="rfq_score_unique")]

    def __str__(self) -> str:
        return str(self.score)
