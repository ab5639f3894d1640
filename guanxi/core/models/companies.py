"""Our companies: the legal entities that we are, which issue documents (quotes, purchase orders) under
their own name, letterhead and numbers. Not parties: a party is someone we deal with."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

CURRENCY_CODE = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as CNY or USD."))


def logo_storage():
    """Logos are kept in the default storage (settings.STORAGES["default"], MEDIA_ROOT for a folder); the
    logo view serves them to signed-in users, never the web server."""
    from django.core.files.storage import storages

    return storages["default"]


class Company(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    logo = models.FileField(_("logo"), storage=logo_storage, upload_to="companies/logos/", blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address_zh = models.TextField(_("registered address (Chinese)"), max_length=300, blank=True)
    address_en = models.TextField(_("registered address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    # ISO 4217; a plain checked code until the money module offers its currency field.
    default_currency = models.CharField(
        _("default currency"), max_length=3, default="CNY", validators=[CURRENCY_CODE]
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(_("default"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("our company")
        verbose_name_plural = _("our companies")
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_company"
            ),
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="uniq_company_uscc"),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(is_active=True), name="default_company_is_active"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language, else the other one."""
        return self.name_in(translation.get_language() or "en")

    def name_in(self, language: str) -> str:
        first, second = (
            (self.name_zh, self.name_en)
            if language.lower().startswith("zh")
            else (self.name_en, self.name_zh)
        )
        return first or second or self.short_name

    def other_name(self, language: str | None = None) -> str:
        """The name in the other language, when it has one ('' otherwise): letterheads show both."""
        main = self.name_in(language or translation.get_language() or "en")
        other = self.name_en if main == self.name_zh else self.name_zh
        return other if other and other != main else ""

    def address_in(self, language: str | None = None) -> str:
        zh = (language or translation.get_language() or "en").lower().startswith("zh")
        first, second = (self.address_zh, self.address_en) if zh else (self.address_en, self.address_zh)
        return first or second

    @property
    def label(self) -> str:
        """What lists and pickers show: the short name, else the name."""
        return self.short_name or self.name
