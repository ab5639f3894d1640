"""Web forms of leads: the lead form, disqualify, convert, the Settings form of a web form, and the public
form that visitors of a company's website fill in. They carry what the user typed to the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.models import Team
from guanxi.crm.choices import LeadSource
from guanxi.crm.forms import owners_for
from guanxi.crm.models import DisqualifyReason
from guanxi.crm.selectors.setup import pipeline_list

_BLANK = [("", "—")]


def _choices(field, choices) -> None:
    field.choices = choices


_TEXT = {
    "person_name": (_("Name"), 100),
    "company_name": (_("Company"), 200),
    "job_title": (_("Job title"), 100),
    "phone": (_("Phone"), 40),
    "email": (_("Email"), 254),
    "wechat_id": (_("WeChat ID"), 40),
}


def _text_fields(form: forms.Form) -> None:
    for name, (label, limit) in _TEXT.items():
        form.fields[name] = forms.CharField(label=label, max_length=limit, required=False)
    form.fields["interest"] = forms.CharField(
        label=_("Interest"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LeadForm(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        _text_fields(self)
        self.fields["source"] = forms.ChoiceField(
            label=_("Source"), choices=[c for c in LeadSource.choices if c[0] != LeadSource.WEB_FORM or lead]
        )
        self.fields["campaign"] = forms.CharField(label=_("Campaign"), max_length=100, required=False)
        owners = owners_for(actor)
        if lead is not None and lead.owner and lead.owner not in owners:
            owners.append(lead.owner)
        self.fields["owner"] = forms.TypedChoiceField(
            label=_("Owner"),
            coerce=int,
            empty_value=None,
            required=False,
            choices=[*_BLANK, *((u.pk, str(u)) for u in owners)],
        )

    @staticmethod
    def initial_of(lead) -> dict:
        data = {f: getattr(lead, f) for f in (*_TEXT, "interest", "source", "campaign")}
        return {**data, "owner": lead.owner_id, "version": lead.version}

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DisqualifyForm(ServiceErrorsMixin, forms.Form):
    disqualify_reason = forms.TypedChoiceField(label=_("Why is it disqualified?"), coerce=int)
    disqualify_note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = DisqualifyReason.objects.filter(archived_at__isnull=True).order_by("position", "id")
        _choices(self.fields["disqualify_reason"], [*_BLANK, *((r.pk, r.name) for r in reasons)])


class ConvertForm(ServiceErrorsMixin, forms.Form):
    """The organization and contact: an existing one among the duplicates found, a new one, or none."""

    organization = forms.ChoiceField(label=_("Customer organization"), widget=forms.RadioSelect)
    contact = forms.ChoiceField(label=_("Contact"), widget=forms.RadioSelect)
    create_opportunity = forms.BooleanField(label=_("Create an opportunity"), required=False, initial=True)
    opportunity_name = forms.CharField(label=_("Opportunity name"), max_length=200, required=False)
    stage = forms.TypedChoiceField(label=_("Stage"), coerce=int, required=False, empty_value=None)
    amount = forms.CharField(label=_("Amount"), max_length=30, required=False)
    expected_close = forms.DateField(
        label=_("Expected close"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, actor, lead, duplicates, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = [
            (str(h.party.pk), _("Use %(name)s (%(reason)s)") % {"name": h.party.name, "reason": h.reason})
            for h in duplicates.organizations
            if h.visible
        ]
        people = [
            (str(h.party.pk), _("Use %(name)s (%(reason)s)") % {"name": h.party.name, "reason": h.reason})
            for h in duplicates.people
            if h.visible
        ]
        new_org = [("new", _("Create %(name)s") % {"name": lead.company_name})] if lead.company_name else []
        new_person = [("new", _("Create %(name)s") % {"name": lead.person_name})] if lead.person_name else []
        _choices(
            self.fields["organization"],
            [
                *new_org,
                *orgs,
                ("", _("No organization (a private customer)")),
            ],
        )
        _choices(self.fields["contact"], [*new_person, *people, ("", _("No contact"))])
        stages = [
            (str(p), [(s.pk, s.name) for s in getattr(p, "active_stages", []) if s.kind == "open"])
            for p in pipeline_list(actor=actor)
        ]
        _choices(self.fields["stage"], stages)


class WebFormForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    owner = forms.TypedChoiceField(
        label=_("Owner of its leads"), coerce=int, empty_value=None, required=False
    )
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, empty_value=None, required=False)
    campaign = forms.CharField(label=_("Campaign"), max_length=100, required=False)
    embed_origins = forms.CharField(
        label=_("Sites that may embed it"),
        max_length=500,
        required=False,
        help_text=_("Web addresses, one per line or separated by spaces, e.g. https://www.example.com"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    active = forms.BooleanField(label=_("Accepting entries"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self.fields["owner"], [*_BLANK, *((u.pk, str(u)) for u in owners_for(actor))])
        _choices(self.fields["team"], [*_BLANK, *((t.pk, t.name) for t in Team.objects.order_by("name"))])


class PublicLeadForm(forms.Form):
    """What a visitor fills in. `website` is a honeypot: hidden from people, filled in by bots."""

    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _text_fields(self)
        del self.fields["job_title"]
        self.fields["interest"].label = _("How can we help?")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
