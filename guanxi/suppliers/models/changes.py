"""The states of the suppliers app's approvable changes (bank accounts, lifecycle steps)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPLIED = "applied", _("Applied")  # at once, or when approved (the approval path says which)
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
