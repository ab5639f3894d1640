from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")


class ApprovalState(models.TextChoices):
    """Whether documents may use a product. New products need approval only when an administrator has set up
    approval rules for products (Settings → Approval rules); otherwise they are in use at once."""

    APPROVED = "approved", _("In use")
    DRAFT = "draft", _("Not submitted")
    PENDING = "pending", _("Waiting for approval")
    REJECTED = "rejected", _("Rejected")
