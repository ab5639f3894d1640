"""Pools (公海): customers that nobody holds, open to the reps of the pool's teams to claim (领取), within a cap
and a cool-down; managers assign (分配). A scheduled job returns customers to their team's pool (回收) by the
pool's rules and warns the owner before. A customer in a pool has no owner (私海 → 公海) and one PoolEntry.
Writes: guanxi.crm.services.pools; reads: guanxi.crm.selectors.pools."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.crm.choices import CustomerLevel
from guanxi.crm.models.pipelines import _Named


class PoolReason(models.TextChoices):
    RELEASED = "released", _("Released by its owner")
    NO_ACTIVITY = "no_activity", _("No follow-up activity")
    NO_OPPORTUNITY = "no_opportunity", _("No opportunity")
    NOT_WON = "not_won", _("Nothing won")
    PUT = "put", _("Put in the pool")


class Pool(_Named):
    teams = models.ManyToManyField("core.Team", verbose_name=_("teams"), blank=True, related_name="+")
    # Recycle rules (None: the rule is off). Days since the later of: the customer's creation, its last claim.
    no_activity_days = models.PositiveIntegerField(
        _("back after days without a follow-up activity"), null=True, blank=True
    )
    no_opportunity_days = models.PositiveIntegerField(
        _("back after days without an opportunity"), null=True, blank=True
    )
    not_won_days = models.PositiveIntegerField(_("back after days without winning"), null=True, blank=True)
    exempt_open_opportunity = models.BooleanField(_("keep customers with an open opportunity"), default=True)
    exempt_open_order = models.BooleanField(
        _("keep customers with a sales order in progress"), default=False
    )  # confirmed, partially delivered or delivered: signed and not closed or cancelled
    warn_days = models.PositiveIntegerField(_("warn the owner days before"), default=3)
    max_per_rep = models.PositiveIntegerField(_("most customers a rep may hold"), null=True, blank=True)
    cooldown_days = models.PositiveIntegerField(_("days before a former owner may claim again"), default=30)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        ordering = ["name_en", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="pool_has_name")]


class PoolLevelRule(models.Model):
    """A pool's recycle rules for customers of one level (客户等级), instead of the pool's own: key accounts kept
    longer, small ones returned sooner, or a level never returned. An empty number: the pool's rule applies."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="level_rules")
    level = models.CharField(_("customer level"), max_length=1, choices=CustomerLevel.choices)
    never = models.BooleanField(_("never returned"), default=False)
    no_activity_days = models.PositiveIntegerField(
        _("back after days without a follow-up activity"), null=True, blank=True
    )
    no_opportunity_days = models.PositiveIntegerField(
        _("back after days without an opportunity"), null=True, blank=True
    )
    not_won_days = models.PositiveIntegerField(_("back after days without winning"), null=True, blank=True)

    class Meta:
        verbose_name = _("rule for a customer level")
        verbose_name_plural = _("rules for customer levels")
        ordering = ["level"]
        constraints = [models.UniqueConstraint(fields=["pool", "level"], name="pool_level_rule_unique")]

    def __str__(self) -> str:
        return f"{self.pool_id}/{self.level}"


class PoolEntry(models.Model):
    """A customer in a pool: one at most (a unique party), so two workers never put it in twice."""

    party = models.OneToOneField("parties.Party", on_delete=models.CASCADE, related_name="pool_entry")
    pool = models.ForeignKey(Pool, verbose_name=_("pool"), on_delete=models.PROTECT, related_name="entries")
    reason = models.CharField(_("why"), max_length=16, choices=PoolReason.choices)
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("in the pool since"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer in a pool")
        verbose_name_plural = _("customers in pools")
        ordering = ["-entered_at", "-id"]
        indexes = [models.Index(fields=["pool", "entered_at", "id"], name="pool_entry_idx")]

    def __str__(self) -> str:
        return f"{self.party} ({self.pool})"


class PoolClaim(models.Model):
    """When a rep got a customer out of a pool (claimed or assigned): the recycle rules count from then."""

    party = models.ForeignKey("parties.Party", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["party", "at"], name="pool_claim_idx")]

    def __str__(self) -> str:
        return f"{self.party} → {self.owner}"


class PoolWarning(models.Model):
    """An owner was warned that a customer returns to the pool soon: one row per customer, so two workers warn
    once; the job warns again only after the warning period has passed (`at` moves on)."""

    party = models.ForeignKey("parties.Party", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["party"], name="pool_warning_once")]

    def __str__(self) -> str:
        return f"{self.party} {self.due_on}"
