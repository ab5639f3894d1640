"""Onboarding questionnaires (供应商调查表) and qualification reviews (资格审查).

A `Questionnaire` is a template: questions with a kind (yes/no, number, choice, text), a required flag and a
scoring weight. Once a qualification used it, it is frozen (copy it to change it), so every review can be read
later against the questions that were asked. A `Qualification` is one supplier answering one questionnaire:
entered by a buyer (the supplier portal will let suppliers answer), submitted, then reviewed by someone else
who sees the weighted score and the documents check and decides passed or failed.
Writes: guanxi.suppliers.services.questionnaires and qualifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")


class Questionnaire(models.Model):
    name = models.CharField(_("name"), max_length=200)
    pass_score = models.DecimalField(
        _("pass mark"), max_digits=5, decimal_places=2, default=60
    )  # 0–100: the weighted score a supplier needs to pass
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("suppliers:questionnaire", args=[self.pk])


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.YES_NO
    )
    required = models.BooleanField(_("required"), default=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=0)  # 0: not scored
    # choice: [{"label": "…", "score": 0–100}]; yes_no: the answer that scores 100 ("yes" or "no");
    # number: the target (a value at or above it scores 100, below it 0).
    options = models.JSONField(_("options"), default=list, blank=True)
    expected = models.CharField(_("expected answer"), max_length=3, blank=True, default="yes")
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position", "id"]

    def __str__(self) -> str:
        return self.text


class QualificationState(models.TextChoices):
    DRAFT = "draft", _("Being answered")
    SUBMITTED = "submitted", _("Waiting for review")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Qualification(models.Model):
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="+"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=QualificationState.choices, default=QualificationState.DRAFT
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    documents_ok = models.BooleanField(_("documents complete"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open review per supplier and questionnaire: a second would be answered beside the first.
            models.UniqueConstraint(
                fields=["party", "questionnaire"],
                condition=Q(state__in=["draft", "submitted"]),
                name="qualification_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} · {self.party_id}"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:qualification", args=[self.pk])


class QualificationAnswer(models.Model):
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("answer"), max_length=2000, blank=True)
    auto_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["qualification", "question"], name="qualification_answer_unique"),
        ]

    def __str__(self) -> str:
        return self.value
