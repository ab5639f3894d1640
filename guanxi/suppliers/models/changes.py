"""What the suppliers app's approvable changes (bank accounts, lifecycle steps) have in common: a supplier, a
state, a reason, who proposed it and when, when it was decided (guanxi.suppliers.services.changes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPLIED = "applied", _("Applied")  # at once, or when approved (the approval path says which)
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposedChange(models.Model):
    party = models.ForeignKey(
        "parties.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    reason = models.CharField(_("reason"), max_length=500)
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-proposed_at", "-id"]
