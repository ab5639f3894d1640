"""Document numbering: a sequence per (document type, issuing company) and its counters, one per period.

Numbers are taken by guanxi.core.services.numbering.number_next inside the transaction that creates the
document: the counter's UPDATE is rolled back with it, so numbers have no gaps, and the row lock (the
write lock on SQLite) makes concurrent writers wait, so no number is issued twice.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.models.companies import Company
from guanxi.core.numbering import PATTERN_MAX_LENGTH, Reset, numbered_document_type


class NumberSequence(models.Model):
    """How one company numbers one document type. Made from the type's registered defaults when the first
    number is taken or an administrator first saves it."""

    doc_type = models.CharField(_("document type"), max_length=60)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="number_sequences")
    pattern = models.CharField(_("pattern"), max_length=PATTERN_MAX_LENGTH)
    reset = models.CharField(_("starts again"), max_length=10, choices=Reset.choices)
    version = models.PositiveIntegerField(default=0)  # 0: the registered defaults, never edited
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "company"], name="uniq_number_sequence"),
        ]

    def __str__(self) -> str:
        registered = numbered_document_type(self.doc_type)
        return str(registered.label) if registered else self.doc_type


class NumberCounter(models.Model):
    """The last sequence number issued in one period of a sequence ("" never resets, "2026", "2026-11",
    "2026-11-03"). The dates of the numbers issued (min_on .. max_on) let a counter made after a change of
    the reset start above every number already issued for the same dates."""

    sequence = models.ForeignKey(NumberSequence, on_delete=models.CASCADE, related_name="counters")
    period = models.CharField(max_length=10)
    value = models.PositiveBigIntegerField(default=0)
    min_on = models.DateField(null=True)  # the earliest document date numbered by this counter
    max_on = models.DateField(null=True)  # the latest
    last_on = models.DateField(null=True)  # the date of the last number issued
    last_pattern = models.CharField(max_length=PATTERN_MAX_LENGTH, blank=True)  # ... and its pattern
    last_issued_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sequence", "period"], name="uniq_number_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence_id}/{self.period or '-'}: {self.value}"
