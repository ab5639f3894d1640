from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What a browser may show inline (the preview): images it draws itself, and PDFs. Never HTML, SVG or text.
PREVIEWABLE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})


class Attachment(models.Model):
    """A file on a record of any registered document type whose features include "attachments".

    The record is named as the audit log names it: its document type's code ("parties.party") and its
    primary key as text. The file itself lives in the "attachments" storage (settings.STORAGES) under a
    random name; `original_name` is what the user called it, cleaned for display and download headers.
    """

    document_type = models.CharField(_("document type"), max_length=60)
    object_id = models.CharField(_("record"), max_length=40)
    stored_name = models.CharField(max_length=255, unique=True)  # its name in the attachments storage
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(pgettext_lazy("file", "size"))
    content_type = models.CharField(_("type"), max_length=100)  # detected from the content, never the name
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(
                fields=["document_type", "object_id", "-uploaded_at", "-id"], name="attachment_record_idx"
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def previewable(self) -> bool:
        return self.content_type in PREVIEWABLE

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
