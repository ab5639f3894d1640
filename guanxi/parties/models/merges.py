"""Merges of duplicate parties (guanxi.parties.services.merge) and pairs that users said are not duplicates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .parties import Party

DUPLICATE_REASONS = {  # why two parties look like one, strongest first
    "identifier": _("same identifier"),
    "name": _("same name"),
    "similar": _("similar name"),
    "phone": _("same phone"),
    "domain": _("same email domain"),
}


class PartyMerge(models.Model):
    """One merge: `merged` was folded into `kept`. `moved` lists every row that changed hands, so that the
    merge can be undone (within UNDO_DAYS): {"app.model": {"field": [pk, …]}}; `filled` holds the kept
    party's fields as they were before the merge filled them from the merged one ({"field": [old, new]})."""

    UNDO_DAYS = 30

    kept = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("kept party"))
    merged = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("merged party")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    moved = models.JSONField(default=dict)
    left = models.JSONField(default=dict)  # rows that could not move (the kept party had the same): counts
    filled = models.JSONField(default=dict)
    merged_archived_at = models.DateTimeField(null=True, blank=True)  # the merged party's, before
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-id"]
        indexes = [models.Index(fields=["merged_at", "id"], name="partymerge_at_idx")]
        constraints = [models.CheckConstraint(condition=~Q(kept=F("merged")), name="partymerge_two_parties")]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class DuplicateDismissal(models.Model):
    """Two parties someone looked at and said are not the same: the duplicates list leaves them out."""

    first = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")  # the lower id
    second = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="uniq_duplicate_dismissal"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="dismissal_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class DuplicateSuggestion(models.Model):
    """Two parties that look like the same one, found by the scheduled duplicate scan
    (guanxi.parties.services.duplicate_scan): the duplicates list reads these rows by the user's scope, so the
    page costs one indexed query however many parties there are. `reasons` are keys of DUPLICATE_REASONS,
    strongest first; `strength` is how many there are and `rank` the position of the strongest."""

    first = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")  # the lower id
    second = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    reasons = models.JSONField(default=list)
    strength = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField()
    found_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="uniq_duplicate_suggestion"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="suggestion_ordered"),
        ]
        indexes = [
            models.Index(F("strength").desc(), "rank", "first", "second", name="duplicate_suggestion_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(DUPLICATE_REASONS[r]) for r in self.reasons if r in DUPLICATE_REASONS]


class DuplicateScan(models.Model):
    """One run of the duplicate scan: nightly (requested_by empty) or asked for from the duplicates list.
    The list says when its suggestions were found, and that a new look is under way."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    found = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"scan {self.pk}"
