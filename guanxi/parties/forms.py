from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.selectors.users import assignable_users
from guanxi.parties.address_forms import AddressForm  # noqa: F401  (the address form lives there)
from guanxi.parties.choices import (
    CompanySize,
    CustomerStatus,
    Industry,
    Language,
    PartyKind,
    SupplierStatus,
)
from guanxi.parties.models import Tag


def _blank(choices):
    return [("", "—"), *choices]


class PartyForm(ServiceErrorsMixin, forms.Form):
    """The fields of an organization or person. Validation of content is the service's job."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    is_customer = forms.BooleanField(label=_("Customer"), required=False)
    customer_status = forms.ChoiceField(
        label=_("Customer status"), choices=_blank(CustomerStatus.choices), required=False
    )
    is_supplier = forms.BooleanField(label=_("Supplier"), required=False)
    supplier_status = forms.ChoiceField(
        label=_("Supplier status"), choices=_blank(SupplierStatus.choices), required=False
    )
    industry = forms.ChoiceField(label=_("Industry"), choices=_blank(Industry.choices), required=False)
    size = forms.ChoiceField(label=_("Size"), choices=_blank(CompanySize.choices), required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        required=False,
        help_text=_("18 characters, e.g. 91350100M000100Y43"),
    )
    vat = forms.CharField(label=_("VAT number"), max_length=40, required=False)
    vat_country = forms.CharField(
        label=_("VAT country"), max_length=2, required=False, help_text=_("Two letters, e.g. DE")
    )
    tax_id = forms.CharField(label=_("Tax ID"), max_length=40, required=False)
    tax_country = forms.CharField(label=_("Tax ID country"), max_length=2, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    wechat_id = forms.CharField(label=_("WeChat ID"), max_length=40, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=_blank(Language.choices), required=False
    )
    marketing_consent = forms.BooleanField(label=_("Agrees to marketing"), required=False)
    consent_source = forms.CharField(
        label=_("Consent source"),
        max_length=100,
        required=False,
        help_text=_("Where the consent was given, e.g. “trade fair form”"),
    )
    phones = forms.CharField(
        label=_("Phones"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line; the first is the main one."),
    )
    emails = forms.CharField(
        label=_("Emails"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line; the first is the main one."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=assignable_users(), required=False)
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    invoice_title = forms.CharField(label=_("Invoice title"), max_length=200, required=False)
    invoice_tax_number = forms.CharField(label=_("Invoice tax number"), max_length=30, required=False)
    invoice_bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    invoice_bank_account = forms.CharField(label=_("Bank account"), max_length=40, required=False)
    invoice_address = forms.CharField(label=_("Registered address"), max_length=200, required=False)
    invoice_phone = forms.CharField(label=_("Registered phone"), max_length=30, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )
    allow_duplicates = forms.BooleanField(label=_("Create it anyway: it is not one of these"), required=False)

    ORG_ONLY = [
        "legal_name",
        "industry",
        "size",
        "website",
        "uscc",
        "vat",
        "vat_country",
        "tax_id",
        "tax_country",
        "invoice_title",
        "invoice_tax_number",
        "invoice_bank_name",
        "invoice_bank_account",
        "invoice_address",
        "invoice_phone",
        "is_supplier",
        "supplier_status",
    ]
    PERSON_ONLY = ["job_title", "wechat_id", "preferred_language", "marketing_consent", "consent_source"]
    GROUPS = {
        "identity": ["name", "short_name", "legal_name", "job_title"],
        "roles": ["is_customer", "customer_status", "is_supplier", "supplier_status", "owner", "tags"],
        "contact": [
            "phones",
            "emails",
            "wechat_id",
            "preferred_language",
            "marketing_consent",
            "consent_source",
        ],
        "profile": ["industry", "size", "website"],
        "identifiers": ["uscc", "vat", "vat_country", "tax_id", "tax_country"],
        "invoicing": [
            "invoice_title",
            "invoice_tax_number",
            "invoice_bank_name",
            "invoice_bank_account",
            "invoice_address",
            "invoice_phone",
        ],
        "notes": ["notes"],
    }

    def __init__(self, *args, kind: str, creating: bool, with_organization: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        drop = self.PERSON_ONLY if kind == PartyKind.ORGANIZATION else self.ORG_ONLY
        if kind == PartyKind.PERSON and not (creating and with_organization):
            drop = [*drop, "job_title"]
        if not creating:
            drop = [*drop, "allow_duplicates"]
        if not Tag.objects.exists():
            drop = [*drop, "tags"]  # nothing to choose from yet
        for name in drop:
            self.fields.pop(name, None)

    def group(self, name):
        return [self[f] for f in self.GROUPS[name] if f in self.fields]

    def groups(self):
        labels = {
            "identity": _("Name"),
            "roles": _("Roles and ownership"),
            "contact": _("Contact details"),
            "profile": _("Profile"),
            "identifiers": _("Identifiers"),
            "invoicing": _("Invoicing details (开票信息)"),
            "notes": _("Notes"),
        }
        return [(labels[k], self.group(k)) for k in self.GROUPS if self.group(k)]

    def service_input(self):
        """(data, extras) for party_create / party_update."""
        from guanxi.parties.services.parties import PartyExtras

        d = self.cleaned_data
        data = {
            k: d[k]
            for k in self.fields
            if k in d
            and k
            not in {
                "version",
                "uscc",
                "vat",
                "vat_country",
                "tax_id",
                "tax_country",
                "phones",
                "emails",
                "tags",
                "allow_duplicates",
                "job_title",
            }
        }
        idents = None
        if "uscc" in self.fields:
            idents = []
            if d.get("uscc"):
                idents.append({"scheme": "cn_uscc", "country": "CN", "value": d["uscc"]})
            if d.get("vat"):
                idents.append({"scheme": "vat", "country": d.get("vat_country", ""), "value": d["vat"]})
            if d.get("tax_id"):
                idents.append({"scheme": "tax_id", "country": d.get("tax_country", ""), "value": d["tax_id"]})
        extras = PartyExtras(
            identifiers=idents,
            phones=d.get("phones", "").splitlines(),
            emails=d.get("emails", "").splitlines(),
            tag_ids=[t.pk for t in d.get("tags", [])],
        )
        return data, extras

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            remap = {}
            for name, messages in exc.message_dict.items():
                if name.startswith("identifiers["):
                    i = int(name[12:-1])
                    present = [f for f in ("uscc", "vat", "tax_id") if self.cleaned_data.get(f)]
                    name = present[i] if i < len(present) else "uscc"
                remap.setdefault(name, []).extend(messages)
            from django.core.exceptions import ValidationError

            exc = ValidationError(remap)
        super().add_service_errors(exc)

    @staticmethod
    def initial_for(party):
        points = list(party.contact_points.all())
        idents = {i.scheme: i for i in party.identifiers.all()}
        initial = {
            f: getattr(party, f)
            for f in [
                "name",
                "short_name",
                "legal_name",
                "is_customer",
                "customer_status",
                "is_supplier",
                "supplier_status",
                "industry",
                "size",
                "website",
                "wechat_id",
                "preferred_language",
                "marketing_consent",
                "consent_source",
                "invoice_title",
                "invoice_tax_number",
                "invoice_bank_name",
                "invoice_bank_account",
                "invoice_address",
                "invoice_phone",
                "notes",
                "version",
            ]
        }
        initial["owner"] = party.owner_id
        initial["tags"] = list(party.tags.all())
        initial["phones"] = "\n".join(c.value for c in points if c.kind == "phone")
        initial["emails"] = "\n".join(c.value for c in points if c.kind == "email")
        if "cn_uscc" in idents:
            initial["uscc"] = idents["cn_uscc"].value
        if "vat" in idents:
            initial["vat"], initial["vat_country"] = idents["vat"].value, idents["vat"].country
        if "tax_id" in idents:
            initial["tax_id"], initial["tax_country"] = idents["tax_id"].value, idents["tax_id"].country
        return initial


class NoteForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)


class TagForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    color = forms.CharField(
        label=_("Colour"), max_length=7, initial="#64748b", widget=forms.TextInput(attrs={"type": "color"})
    )
