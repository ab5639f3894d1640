"""Leads (线索): a first enquiry, captured by hand, by API or from a company's public web form, worked on and
then converted into a customer organization, a contact and an opportunity (or disqualified with a reason).
Owned like a customer (record area "customers"); a lead without an owner belongs to its team. Writes:
guanxi.crm.services.leads; reads: guanxi.crm.selectors.leads."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.crm.choices import LeadSource, LeadStatus
from guanxi.crm.models.pipelines import _Named


def _form_key() -> str:
    return secrets.token_urlsafe(12)


class DisqualifyReason(_Named):
    position = models.PositiveIntegerField(_("position"), default=0)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("disqualify reason")
        verbose_name_plural = _("disqualify reasons")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="", name_zh=""), name="disqualify_has_name")
        ]


class WebForm(models.Model):
    """A public lead form that a company puts on its website (a link or an iframe): whoever fills it in
    becomes a lead of `team`, owned by `owner` when one is set."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=32, unique=True, default=_form_key, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner of its leads"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "core.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    campaign = models.CharField(_("campaign"), max_length=100, blank=True)
    # Sites allowed to show the form in an iframe (CSP frame-ancestors), e.g. "https://www.example.com".
    embed_origins = models.CharField(_("sites that may embed it"), max_length=500, blank=True)
    active = models.BooleanField(_("accepting entries"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_public_url(self) -> str:
        return reverse("lead_form", args=[self.key])


class Lead(models.Model):
    source = models.CharField(
        _("source"), max_length=12, choices=LeadSource.choices, default=LeadSource.MANUAL
    )
    campaign = models.CharField(_("campaign"), max_length=100, blank=True)
    person_name = models.CharField(_("person"), max_length=100, blank=True)
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_e164 = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    wechat_id = models.CharField(_("WeChat ID"), max_length=40, blank=True)
    interest = models.TextField(_("interest"), blank=True, max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_leads",
    )
    team = models.ForeignKey(
        "core.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW)
    disqualify_reason = models.ForeignKey(
        DisqualifyReason,
        verbose_name=_("disqualify reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disqualify_note = models.CharField(_("note"), max_length=500, blank=True)
    web_form = models.ForeignKey(
        WebForm,
        verbose_name=_("web form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    submitted_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # What the lead became (set by lead_convert).
    organization = models.ForeignKey(
        "parties.Party",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact = models.ForeignKey(
        "parties.Party",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    converted_at = models.DateTimeField(_("converted"), null=True, blank=True, editable=False)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "status", "created_at"], name="lead_owner_idx"),
            models.Index(fields=["team", "status", "created_at"], name="lead_team_idx"),
            models.Index(fields=["created_at", "id"], name="lead_created_idx"),
            # The web form's rate limit: recent entries from one address.
            models.Index(
                fields=["submitted_ip", "created_at"],
                name="lead_ip_idx",
                condition=Q(submitted_ip__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(person_name="", company_name=""), name="lead_has_a_name"),
            models.CheckConstraint(
                condition=~Q(status="disqualified") | Q(disqualify_reason__isnull=False),
                name="lead_disqualified_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return " · ".join(n for n in (self.company_name, self.person_name) if n)

    def get_absolute_url(self) -> str:
        return reverse("crm:lead", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in (LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED)
