"""Steps of a supplier's lifecycle (candidate → qualified → approved → preferred; on hold, blocked, phased
out): each is a named action with a reason (guanxi.suppliers.services.lifecycle). The ones that widen what a
supplier may receive wait for approval as documents of their own; the others apply at once. Every step is
kept, with who asked, why, and what was decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.parties.choices import SupplierStatus

from .changes import ChangeState


class SupplierStatusChange(models.Model):
    party = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    action = models.CharField(
        _("action"), max_length=20
    )  # a key of guanxi.suppliers.services.lifecycle.ACTIONS
    from_status = models.CharField(_("status before"), max_length=12, choices=SupplierStatus.choices)
    to_status = models.CharField(_("new status"), max_length=12, choices=SupplierStatus.choices)
    reason = models.CharField(_("reason"), max_length=500)
    state = models.CharField(
        _("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("supplier status change")
        verbose_name_plural = _("supplier status changes")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["party", "proposed_at"], name="statuschange_party_idx")]
        constraints = [
            # One step waits at a time: a second would be decided on a status that is no longer the party's.
            models.UniqueConstraint(
                fields=["party"], condition=Q(state="pending"), name="statuschange_one_pending_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.from_status} → {self.to_status}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:status_change", args=[self.pk])
