"""Party master data: one row per real-world organization or person, shared by CRM and SRM."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.core.models import Team
from guanxi.parties.choices import (
    AddressKind,
    CompanySize,
    ContactPointKind,
    CustomerStatus,
    IdentifierScheme,
    Industry,
    Language,
    PartyKind,
    SupplierStatus,
)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    color = models.CharField(_("colour"), max_length=7, default="#64748b")

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    kind = models.CharField(
        _("kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.ORGANIZATION
    )
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)

    # Organization profile
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    size = models.CharField(_("size"), max_length=12, choices=CompanySize.choices, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)

    # Invoicing details (开票信息)
    invoice_title = models.CharField(_("invoice title"), max_length=200, blank=True)
    invoice_tax_number = models.CharField(_("invoice tax number"), max_length=30, blank=True)
    invoice_bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    invoice_bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    invoice_address = models.CharField(_("registered address"), max_length=200, blank=True)
    invoice_phone = models.CharField(_("registered phone"), max_length=30, blank=True)

    # Person profile
    wechat_id = models.CharField(_("WeChat ID"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, blank=True
    )
    marketing_consent = models.BooleanField(_("marketing consent"), default=False)
    consent_at = models.DateTimeField(_("consent date"), null=True, blank=True)
    consent_source = models.CharField(_("consent source"), max_length=100, blank=True)

    # Roles: a party can be customer, supplier, both or neither.
    is_customer = models.BooleanField(_("customer"), default=False)
    customer_status = models.CharField(
        _("customer status"), max_length=12, choices=CustomerStatus.choices, blank=True
    )
    is_supplier = models.BooleanField(_("supplier"), default=False)
    supplier_status = models.CharField(
        _("supplier status"), max_length=12, choices=SupplierStatus.choices, blank=True
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_parties",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="parties"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="parties")
    notes = models.TextField(_("notes"), blank=True, max_length=10000)

    # Location of the primary address, kept in step by the address services, for fast filters.
    country = models.CharField(_("country"), max_length=2, blank=True)
    province = models.CharField(_("province / state"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    # In China: the GB/T 2260 codes of that province and city (guanxi/parties/regions.py); filters use them.
    province_code = models.CharField(_("province code"), max_length=6, blank=True, editable=False)
    city_code = models.CharField(_("city code"), max_length=6, blank=True, editable=False)

    # Search (guanxi/parties/search.py): names, pinyin, initials, identifiers, emails and phone digits, in
    # compact form (guanxi.core.text.compact), joined by "|".
    search_doc = models.TextField(blank=True, editable=False)
    # Names and pinyin initials only: what 1-2 character searches look in (n-gram index on PostgreSQL).
    search_short = models.CharField(max_length=500, blank=True, editable=False)
    # The name in compact form: exact and prefix matches, "same name" duplicates.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    # The name without its legal form (有限公司, Co., Ltd.): "similar name" duplicates.
    core_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    # How the name sorts: Chinese names by pinyin, among Latin names (阿里巴巴 under A).
    sort_key = models.CharField(max_length=255, blank=True, editable=False)

    version = models.PositiveIntegerField(default=1, editable=False)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    # Set when this party was merged into another one (guanxi.parties.services.merge); it is archived then.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
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
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        indexes = [
            models.Index(fields=["sort_key", "id"], name="party_sort_idx"),
            models.Index(fields=["created_at", "id"], name="party_created_idx"),
            models.Index(fields=["updated_at", "id"], name="party_updated_idx"),
            models.Index(fields=["owner", "sort_key", "id"], name="party_owner_sort_idx"),
            models.Index(fields=["team", "sort_key", "id"], name="party_team_sort_idx"),
            models.Index(
                fields=["customer_status", "sort_key", "id"],
                name="party_cstatus_sort_idx",
                condition=Q(is_customer=True),
            ),
            models.Index(
                fields=["supplier_status", "sort_key", "id"],
                name="party_sstatus_sort_idx",
                condition=Q(is_supplier=True),
            ),
            models.Index(fields=["country", "province", "city"], name="party_location_idx"),
            models.Index(fields=["province_code", "city_code"], name="party_region_idx"),
            models.Index(fields=["city_code"], name="party_city_code_idx"),
            models.Index(fields=["industry"], name="party_industry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_customer=True) | Q(customer_status=""), name="party_customer_status_needs_role"
            ),
            models.CheckConstraint(
                condition=Q(is_supplier=True) | Q(supplier_status=""), name="party_supplier_status_needs_role"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("parties:detail", args=[self.pk])

    @property
    def is_organization(self) -> bool:
        return self.kind == PartyKind.ORGANIZATION

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class PartyIdentifier(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(_("type"), max_length=10, choices=IdentifierScheme.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    value = models.CharField(_("number"), max_length=40)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        ordering = ["scheme", "id"]
        indexes = [models.Index(fields=["value"], name="party_ident_value_idx")]
        constraints = [
            # One company, one party: a unified social credit code, or a VAT number in its country,
            # belongs to one party only, whoever may see it (checked by the database, not only in Python).
            models.UniqueConstraint(
                fields=["scheme", "country", "value"],
                condition=Q(scheme__in=["cn_uscc", "vat"]),
                name="uniq_registered_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.value}"


class ContactPoint(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(_("type"), max_length=8, choices=ContactPointKind.choices)
    value = models.CharField(_("value"), max_length=254)
    normalized = models.CharField(max_length=254, editable=False)  # E.164 for phones, lower-case for emails
    domain = models.CharField(max_length=254, blank=True, editable=False)  # emails: what follows the @
    number = models.CharField(max_length=32, blank=True, editable=False)  # phones: E.164 without extension
    label = models.CharField(_("label"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone or email")
        verbose_name_plural = _("phones and emails")
        ordering = ["kind", "-is_primary", "id"]
        indexes = [
            models.Index(fields=["normalized"], name="contactpoint_norm_idx"),
            models.Index(fields=["domain"], name="contactpoint_domain_idx", condition=~Q(domain="")),
            models.Index(fields=["number"], name="contactpoint_number_idx", condition=~Q(number="")),
        ]

    def __str__(self) -> str:
        return self.value


class Address(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("type"), max_length=12, choices=AddressKind.choices, default=AddressKind.OFFICE)
    country = models.CharField(_("country"), max_length=2, default="CN")
    province = models.CharField(_("province / state"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    district = models.CharField(_("district"), max_length=60, blank=True)
    # In China: GB/T 2260 codes (guanxi/parties/regions.py); the names above are filled from them.
    # Blank outside China, and on rows saved before the codes whose names did not resolve.
    province_code = models.CharField(_("province code"), max_length=6, blank=True)
    city_code = models.CharField(_("city code"), max_length=6, blank=True)
    district_code = models.CharField(_("district code"), max_length=6, blank=True)
    street = models.CharField(_("street"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-is_primary", "kind", "id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        if self.country == "CN":
            city = "" if self.city == self.province else self.city  # 北京市北京市 is 北京市
            return "".join(p for p in [self.province, city, self.district, self.street] if p)
        return ", ".join(
            p for p in [self.street, self.city, self.province, self.postal_code, self.country] if p
        )


class Employment(models.Model):
    """A person's place in an organization (a contact of that organization)."""

    person = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="employments")
    organization = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="staff")
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact link")
        verbose_name_plural = _("contact links")
        ordering = ["-is_primary", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "organization"], name="uniq_employment")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"


class PartyNote(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="timeline_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"), max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["party", "-created_at"], name="partynote_party_idx")]

    def __str__(self) -> str:
        return self.body[:50]


class PartyGram(models.Model):
    """A posting of the search index: one 2-character piece ("gram") of a party's Chinese names or pinyin
    initials, with the start of the party's sort key, so that a search reads the parties containing a gram
    in name order and stops at the page size: as cheap for 科技 (134,000 parties) as for a rare term.
    Written with the search columns (guanxi/parties/search.py, search_grams); see docs/subsystems/search.md.
    """

    pk = models.CompositePrimaryKey("gram", "sort_prefix", "party")
    gram = models.CharField(max_length=2)
    sort_prefix = models.CharField(max_length=12)  # Party.sort_key[:12]: enough to order a page by name
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="grams")

    class Meta:
        verbose_name = "search gram"

    def __str__(self) -> str:
        return f"{self.gram}:{self.party_id}"
