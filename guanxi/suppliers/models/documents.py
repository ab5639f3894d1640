"""A supplier's qualification documents (资质文件): business licence (营业执照), tax registration, ISO 9001, bank
letter … with the certificate's number and its issue and expiry dates; the file itself is an attachment of the
supplier (the attachments block's checks). A document is never edited: a renewal is a new one, so the history
shows every certificate the supplier ever gave us. Writes: guanxi.suppliers.services.documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence (营业执照)")
    TAX_REGISTRATION = "tax_registration", _("Tax registration")
    ISO_9001 = "iso_9001", _("ISO 9001 certificate")
    ISO_14001 = "iso_14001", _("ISO 14001 certificate")
    BANK_LETTER = "bank_letter", _("Bank account letter")
    OTHER = "other", _("Other certificate")


# What every supplier gives us; its categories may ask more (guanxi.suppliers.models.categories). A required
# document that expires puts an approved or preferred supplier on hold (the scheduled job).
BASE_KINDS = (DocumentKind.BUSINESS_LICENCE, DocumentKind.TAX_REGISTRATION)


class SupplierDocument(models.Model):
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)  # what an "other" certificate is
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)  # empty: does not expire (长期)
    attachment = models.ForeignKey(
        "core.Attachment",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)  # the owner was told it expires
    held_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )  # its expiry put the supplier on hold
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("qualification document")
        verbose_name_plural = _("qualification documents")
        ordering = ["kind", "-expires_on", "-id"]
        indexes = [models.Index(fields=["expires_on"], name="supplier_doc_expiry_idx")]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
