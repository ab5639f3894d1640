"""Web forms of the sales app. They carry what the user typed to the services, which check it; a field a
form does not show is not sent, so the service keeps its value (an opportunity's contacts, set through the
API, survive an edit in the browser)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.models import Currency
from guanxi.core.selectors.users import users_with_action
from guanxi.crm.choices import ForecastCategory, StageKind
from guanxi.crm.models import LostReason, Opportunity
from guanxi.crm.permissions import Action
from guanxi.crm.selectors.setup import pipeline_list
from guanxi.crm.services.cleaning import in_edit_scope
from guanxi.parties.selectors.visibility import owner_candidates
from guanxi.parties.services.common import default_team_id

_BLANK = [("", "—")]


def _choices(field, choices) -> None:
    field.choices = choices


def owners_for(actor) -> list:
    """Who the actor may hand customers' work to: users who can hold customers, within the actor's scope."""
    return [
        u
        for u in owner_candidates(is_customer=True, is_supplier=False)
        if in_edit_scope(actor, owner=u, team_id=default_team_id(u))
    ]


class OpportunityForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    customer_q = forms.CharField(
        label=_("Find the customer"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    customer = forms.TypedChoiceField(label=_("Customer"), coerce=int)
    stage = forms.TypedChoiceField(label=_("Stage"), coerce=int)
    amount = forms.CharField(
        label=_("Amount"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(label=_("Currency"))
    expected_close = forms.DateField(
        label=_("Expected close"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    probability = forms.IntegerField(
        label=_("Probability (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave it empty to take the stage's."),
    )
    forecast_category = forms.ChoiceField(
        label=_("Forecast category"),
        choices=ForecastCategory.choices,
        help_text=_("Commit: you are sure to win it in its month; best case: you might."),
    )
    next_step = forms.CharField(label=_("Next step"), max_length=200, required=False)
    competitors = forms.CharField(label=_("Competitors"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    members = forms.TypedMultipleChoiceField(
        label=_("Team members (协作人)"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, opportunity: Opportunity | None = None, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        self.fields["customer_q"].widget.attrs.update(
            {
                "hx-get": reverse("parties:organization_lookup"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#id_customer",
                "hx-sync": "this:replace",
            }
        )
        current = customer or (opportunity.customer if opportunity else None)
        options = [(current.pk, current.name)] if current else [("", _("Type to search…"))]
        posted = self.data.get("customer") if self.is_bound else None
        if posted and (not current or str(current.pk) != str(posted)):
            options.append((posted, _("The customer you chose")))
        _choices(self.fields["customer"], options)
        if opportunity is None:
            stages = [
                (
                    str(p),
                    [(s.pk, s.name) for s in getattr(p, "active_stages", []) if s.kind == StageKind.OPEN],
                )
                for p in pipeline_list(actor=actor)
            ]
            _choices(self.fields["stage"], stages)
        else:
            del self.fields["stage"]
        codes = (
            Currency.objects.filter(active=True).order_by("code").values_list("code", "name_en", "name_zh")
        )
        keep = {opportunity.currency_id} if opportunity else set()
        currencies = [(c, c) for c, *_n in codes] + [(c, c) for c in keep if c not in {x for x, *_ in codes}]
        _choices(self.fields["currency"], currencies)
        owners = owners_for(actor)
        if opportunity and opportunity.owner and opportunity.owner not in owners:
            owners.append(opportunity.owner)
        _choices(self.fields["owner"], [(u.pk, str(u)) for u in owners])
        _choices(self.fields["members"], [(u.pk, str(u)) for u in users_with_action(Action.OPPORTUNITY_VIEW)])
        if opportunity is not None and not in_edit_scope(
            actor, owner=opportunity.owner, team_id=opportunity.team_id
        ):
            # A team member edits the work, not who holds it: the fields are not offered and not sent.
            del self.fields["owner"], self.fields["members"]

    @staticmethod
    def initial_of(o: Opportunity) -> dict:
        return {
            "name": o.name,
            "customer": o.customer_id,
            "amount": "" if o.amount is None else f"{o.amount.normalize():f}",
            "currency": o.currency_id,
            "expected_close": o.expected_close,
            "probability": o.probability if o.probability_set else None,
            "forecast_category": o.forecast_category,
            "next_step": o.next_step,
            "competitors": o.competitors,
            "description": o.description,
            "owner": o.owner_id,
            "members": [u.pk for u in o.members.all()],
            "version": o.version,
        }

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        data = {k: d.get(k) for k in self.fields if k not in ("version", "customer_q")}
        return data


class LoseForm(ServiceErrorsMixin, forms.Form):
    lost_reason = forms.TypedChoiceField(label=_("Why was it lost?"), coerce=int)
    lost_note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = LostReason.objects.filter(archived_at__isnull=True).order_by("position", "id")
        _choices(self.fields["lost_reason"], [*_BLANK, *((r.pk, r.name) for r in reasons)])
