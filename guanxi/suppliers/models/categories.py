"""What a supplier supplies, by the catalogue's product categories (one tree for selling and buying: raw
materials / packaging / logistics / services …), and what procurement asks of a supplier of a category.

- `SupplierCategory`: a supplier supplies a category; it may be **preferred** there (优选供应商), a flag set
  by the lifecycle's "make preferred" step for that category (guanxi.suppliers.services.lifecycle).
- `CategoryRequirement`: the qualification documents a supplier of the category must have and the
  questionnaire it answers. Requirements are inherited down the tree: a supplier of "Resistors" under
  "Electronic components" meets both categories' requirements.
Writes: guanxi.suppliers.services.categories."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplierCategory(models.Model):
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "catalog.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    preferred = models.BooleanField(_("preferred"), default=False, editable=False)
    preferred_at = models.DateTimeField(_("preferred since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("supplied category")
        verbose_name_plural = _("supplied categories")
        constraints = [
            models.UniqueConstraint(fields=["party", "category"], name="supplier_category_unique"),
        ]
        indexes = [models.Index(fields=["category", "party"], name="supplier_category_cat_idx")]

    def __str__(self) -> str:
        return str(self.category)


class CategoryRequirement(models.Model):
    category = models.OneToOneField(
        "catalog.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="+",
        primary_key=True,
    )
    documents = models.JSONField(_("required documents"), default=list, blank=True)  # DocumentKind values
    questionnaire = models.ForeignKey(
        "suppliers.Questionnaire",
        verbose_name=_("questionnaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("category requirement")
        verbose_name_plural = _("category requirements")

    def __str__(self) -> str:
        return str(self.category)
