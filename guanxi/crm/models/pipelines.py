"""Pipelines (new business, renewals …), their ordered stages and the reasons an opportunity is lost. Set up
in Settings by those with pipeline.manage; writes: guanxi.crm.services.pipelines."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guanxi.crm.choices import StageKind


def in_language(en: str, zh: str) -> str:
    """The name in the user's language, else the other one."""
    if (get_language() or "").startswith("zh"):
        return zh or en
    return en or zh


class _Named(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_en, self.name_zh)


class Pipeline(_Named):
    position = models.PositiveIntegerField(_("position"), default=0)
    # After this many days in one stage an open opportunity is "not moving" (a badge on the board).
    stale_after_days = models.PositiveIntegerField(_("not moving after (days)"), default=30)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="pipeline_has_name")]


class Stage(_Named):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=4, choices=StageKind.choices, default=StageKind.OPEN)
    probability = models.PositiveSmallIntegerField(
        _("win probability (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["pipeline", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="stage_has_name"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_max_100"),
            # Won is 100 %, lost is 0 %: what the forecast and the weighted totals count on.
            models.CheckConstraint(
                condition=Q(kind="open") | Q(kind="won", probability=100) | Q(kind="lost", probability=0),
                name="stage_closed_probability",
            ),
        ]


class LostReason(_Named):
    position = models.PositiveIntegerField(_("position"), default=0)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="lostreason_has_name")
        ]
