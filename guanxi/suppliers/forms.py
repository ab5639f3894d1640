"""The form that proposes a change of a supplier's bank accounts (the service checks everything again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.selectors.money import currency_choices
from guanxi.suppliers.models.bank import ChangeKind


class BankChangeForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(choices=ChangeKind.choices, widget=forms.HiddenInput)
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)
    bank_name = forms.CharField(label=_("Bank (开户银行)"), max_length=200, required=False)
    account_name = forms.CharField(label=_("Account holder (户名)"), max_length=200, required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=60, required=False)
    swift = forms.CharField(label=_("SWIFT / BIC"), max_length=20, required=False)
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    make_primary = forms.BooleanField(label=_("Make it the primary account"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_(
            "Why the details change, and how you checked them (e.g. the supplier's letter, a call back)."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, closing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()  # type: ignore[attr-defined]
        if closing:  # closing an account asks only why
            for name in ("bank_name", "account_name", "account_number", "swift", "currency", "make_primary"):
                del self.fields[name]
