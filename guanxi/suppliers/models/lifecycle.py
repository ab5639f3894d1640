"""Steps of a supplier's lifecycle (candidate → qualified → approved → preferred; on hold, blocked, phased
out): each is a named action with a reason (guanxi.suppliers.services.lifecycle). The ones that widen what a
supplier may receive wait for approval as documents of their own; the others apply at once. Every step is
kept, with who asked, why, and what was decided."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.parties.choices import SupplierStatus

from .changes import ProposedChange


class SupplierStatusChange(ProposedChange):
    action = models.CharField(
        _("action"), max_length=20
    )  # a key of guanxi.suppliers.services.lifecycle.ACTIONS
    from_status = models.CharField(_("status before"), max_length=12, choices=SupplierStatus.choices)
    to_status = models.CharField(_("new status"), max_length=12, choices=SupplierStatus.choices)
    # "Make preferred" and "End preferred" are per category: the one it is (or was) preferred in.
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(ProposedChange.Meta):
        verbose_name = _("supplier status change")
        verbose_name_plural = _("supplier status changes")
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
