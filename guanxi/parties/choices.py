from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PartyKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    PERSON = "person", _("Person")


class CustomerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", pgettext_lazy("customer status", "Active")
    INACTIVE = "inactive", pgettext_lazy("customer status", "Inactive")
    LOST = "lost", _("Lost")


class SupplierStatus(models.TextChoices):
    # In their own context: the glossary's words (潜在 / 已认证 / 合格 / 优选 / 冻结 / 淘汰), not a lead's
    # "qualified" or an approval's "approved".
    CANDIDATE = "candidate", pgettext_lazy("supplier status", "Candidate")
    QUALIFIED = "qualified", pgettext_lazy("supplier status", "Qualified")
    APPROVED = "approved", pgettext_lazy("supplier status", "Approved")
    PREFERRED = "preferred", pgettext_lazy("supplier status", "Preferred")
    ON_HOLD = "on_hold", pgettext_lazy("supplier status", "On hold")  # e.g. a required document expired
    BLOCKED = "blocked", pgettext_lazy("supplier status", "Blocked")
    PHASED_OUT = "phased_out", pgettext_lazy("supplier status", "Phased out")


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    ELECTRONICS = "electronics", _("Electronics")
    SOFTWARE = "software", _("Software & IT")
    RETAIL = "retail", _("Retail")
    WHOLESALE = "wholesale", _("Wholesale & distribution")
    LOGISTICS = "logistics", _("Logistics")
    CONSTRUCTION = "construction", _("Construction")
    CHEMICALS = "chemicals", _("Chemicals")
    FOOD = "food", _("Food & beverage")
    HEALTHCARE = "healthcare", _("Healthcare")
    FINANCE = "finance", _("Finance")
    EDUCATION = "education", _("Education")
    ENERGY = "energy", _("Energy")
    AUTOMOTIVE = "automotive", _("Automotive")
    SERVICES = "services", _("Professional services")
    OTHER = "other", _("Other")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("1–9 employees")
    SMALL = "small", _("10–49 employees")
    MEDIUM = "medium", _("50–249 employees")
    LARGE = "large", _("250–999 employees")
    ENTERPRISE = "enterprise", _("1,000+ employees")


class AddressKind(models.TextChoices):
    BILLING = "billing", _("Billing")
    SHIPPING = "shipping", _("Shipping")
    REGISTERED = "registered", _("Registered")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other")


class ContactPointKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")


class IdentifierScheme(models.TextChoices):
    CN_USCC = "cn_uscc", _("Unified social credit code (China)")
    VAT = "vat", _("VAT number")
    TAX_ID = "tax_id", _("Tax ID")


class Language(models.TextChoices):
    EN = "en", _("English")
    ZH_HANS = "zh-hans", _("Simplified Chinese")
