"""An opportunity (商机): a possible sale to a customer, moving through the stages of one pipeline. Owned by a
user and a team like a customer (record area "customers"); its team members (协作人) see it too. Writes:
guanxi.crm.services.opportunities (every stage move is one audited call); reads: guanxi.crm.selectors."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core.money import validate_non_negative
from guanxi.crm.choices import ContactRole, ForecastCategory, OpportunityState


class Opportunity(models.Model):
    name = models.CharField(_("name"), max_length=200)
    customer = models.ForeignKey(
        "parties.Party", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="opportunities"
    )
    pipeline = models.ForeignKey(
        "crm.Pipeline", verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="opportunities"
    )
    stage = models.ForeignKey(
        "crm.Stage", verbose_name=_("stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    state = models.CharField(
        _("state"),
        max_length=4,
        choices=OpportunityState.choices,
        default=OpportunityState.OPEN,
        editable=False,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_opportunities",
    )
    team = models.ForeignKey(
        "core.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team members"), blank=True, related_name="+"
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=17,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[validate_non_negative],
    )
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    expected_close = models.DateField(_("expected close"))
    # The stage's probability unless someone set one (then `probability_set` is true and a move keeps it).
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    probability_set = models.BooleanField(_("probability set by hand"), default=False)
    forecast_category = models.CharField(
        _("forecast category"),
        max_length=10,
        choices=ForecastCategory.choices,
        default=ForecastCategory.PIPELINE,
    )
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    competitors = models.CharField(_("competitors"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    lost_reason = models.ForeignKey(
        "crm.LostReason",
        verbose_name=_("lost reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lost_note = models.CharField(_("lost note"), max_length=500, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    stage_changed_at = models.DateTimeField(_("in this stage since"), editable=False)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Set by the board's selector, not stored: warnings shown as badges.
    no_next_activity: bool = False
    not_moving: bool = False

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The board: one pipeline's open opportunities, per stage, by expected close.
            models.Index(fields=["pipeline", "state", "stage", "expected_close", "id"], name="opp_board_idx"),
            models.Index(fields=["owner", "state", "expected_close"], name="opp_owner_idx"),
            models.Index(fields=["team", "state", "expected_close"], name="opp_team_idx"),
            models.Index(fields=["customer", "state"], name="opp_customer_idx"),
            # Lists of everyone's (administrators, the API) in expected-close order.
            models.Index(fields=["state", "expected_close", "id"], name="opp_state_close_idx"),
            models.Index(fields=["updated_at", "id"], name="opp_updated_idx"),
            # The forecast: won ones by when they closed.
            models.Index(fields=["state", "closed_on"], name="opp_closed_idx", condition=Q(state="won")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(probability__lte=100), name="opp_probability_max_100"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="opp_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(state="open", closed_on__isnull=True)
                | (~Q(state="open") & Q(closed_on__isnull=False)),
                name="opp_closed_on_matches_state",
            ),
            models.CheckConstraint(
                condition=~Q(state="lost") | Q(lost_reason__isnull=False), name="opp_lost_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="won") | Q(amount__isnull=False), name="opp_won_has_amount"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:opportunity", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == OpportunityState.OPEN

    @property
    def weighted_amount(self):
        if self.amount is None:
            return None
        return self.amount * self.probability / 100


class SalesTarget(models.Model):
    """What a rep is to win in a month (the forecast compares won and committed amounts with it)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales rep"),
        on_delete=models.CASCADE,
        related_name="sales_targets",
    )
    month = models.DateField(_("month"))  # the first day of the month
    amount = models.DecimalField(
        _("target"), max_digits=17, decimal_places=4, validators=[validate_non_negative]
    )
    currency = models.ForeignKey(
        "core.Currency", verbose_name=_("currency"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        ordering = ["owner", "month"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "month"], name="sales_target_one_per_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="sales_target_amount_gte_0"),
            models.CheckConstraint(condition=Q(month__day=1), name="sales_target_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%Y-%m}"


class OpportunityContact(models.Model):
    """A person at the customer's side and the part they play in the decision."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="contact_roles")
    contact = models.ForeignKey(
        "parties.Party", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices, default=ContactRole.OTHER)

    class Meta:
        verbose_name = _("contact of an opportunity")
        verbose_name_plural = _("contacts of an opportunity")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "contact"], name="opp_contact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_role_display()})"
