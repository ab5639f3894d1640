"""Forms of the money settings pages: currencies, exchange rates (entry, filters, import, convert), tax
rates. They check the input's shape; the rules are the services' (their errors land on these fields)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.models.money import TaxKind
from guanxi.core.selectors.money import currency_choices

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_INPUTS = ["%Y-%m-%d"]  # what <input type="date"> sends, in every language


class MoneyForm(ServiceErrorsMixin, forms.Form):
    """A stale or missing version (the record changed since the form was opened) is said above the form:
    the hidden field has no place to show it."""

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict") and "version" in exc.error_dict:
            exc = ValidationError(
                {("__all__" if k == "version" else k): v for k, v in exc.message_dict.items()}
            )
        super().add_service_errors(exc)


class CurrencyField(forms.ChoiceField):
    """A picker of the active currencies, filled when the form is made (a new currency shows at once)."""

    def __init__(self, *args, blank: StrOrPromise | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.blank = blank

    def fill(self, rows: list[tuple[str, str]]) -> None:
        self.choices = [("", self.blank if self.blank is not None else "—"), *rows]


class _Currencies:
    """Fill the currency pickers when the form is made, from one query (or from `currencies`, the rows a
    page with several such forms read once)."""

    fields: dict

    def _fill_currencies(self, currencies: list[tuple[str, str]] | None) -> None:
        rows = currency_choices() if currencies is None else currencies
        for f in self.fields.values():
            if isinstance(f, CurrencyField):
                f.fill(rows)


class CurrencyForm(MoneyForm):
    code = forms.CharField(
        label=_("Code"), max_length=3, help_text=_("The ISO 4217 code: three letters, e.g. THB.")
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=60)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60, required=False)
    symbol = forms.CharField(label=_("Symbol"), max_length=8, required=False, help_text=_("E.g. ¥, $, €."))
    decimal_places = forms.TypedChoiceField(
        label=_("Decimal places"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5)],
        initial=2,
        help_text=_("Fixed once the currency is saved: amounts are rounded to them (CNY 2, JPY 0)."),
    )
    active = forms.BooleanField(
        label=pgettext_lazy("currency, tax rate", "Active"),
        required=False,
        initial=True,
        help_text=_("Inactive currencies stay on old records but cannot be chosen for new ones."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the code and the decimal places are fixed
            del self.fields["code"]
            del self.fields["decimal_places"]


class TaxRateForm(MoneyForm):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Short and unique, e.g. vat13."))
    name_en = forms.CharField(label=_("Name (English)"), max_length=60)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=TaxKind.choices, initial=TaxKind.STANDARD)
    rate = forms.DecimalField(
        label=_("Rate (%)"), max_digits=7, decimal_places=4, min_value=0, max_value=100, localize=False
    )
    active = forms.BooleanField(
        label=pgettext_lazy("currency, tax rate", "Active"), required=False, initial=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class ExchangeRateForm(_Currencies, ServiceErrorsMixin, forms.Form):
    date = forms.DateField(label=_("Date"), input_formats=DATE_INPUTS, widget=DATE_WIDGET)
    base = CurrencyField(label=_("Base currency"), help_text=_("1 unit of this currency …"))
    quote = CurrencyField(label=_("Quote currency"), help_text=_("… is worth the rate in this one."))
    rate = forms.CharField(
        label=_("Rate"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("E.g. 7.1234 for 1 USD = 7.1234 CNY."),
    )

    def __init__(self, *args, currencies: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill_currencies(currencies)


class RateEditForm(MoneyForm):
    rate = ExchangeRateForm.base_fields["rate"]
    version = forms.IntegerField(widget=forms.HiddenInput)


class RateFilterForm(_Currencies, forms.Form):
    currency = CurrencyField(label=_("Currency"), required=False, blank=_("All currencies"))
    date_from = forms.DateField(
        label=_("From"), required=False, input_formats=DATE_INPUTS, widget=DATE_WIDGET
    )
    date_to = forms.DateField(label=_("To"), required=False, input_formats=DATE_INPUTS, widget=DATE_WIDGET)

    def __init__(self, *args, currencies: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill_currencies(currencies)


class ConvertForm(_Currencies, forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=4, localize=False)
    from_currency = CurrencyField(label=pgettext_lazy("convert", "From"))
    to_currency = CurrencyField(label=pgettext_lazy("convert", "To"))
    date = forms.DateField(label=_("Date"), input_formats=DATE_INPUTS, widget=DATE_WIDGET)

    def __init__(self, *args, currencies: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill_currencies(currencies)


class RateImportForm(MoneyForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("CSV or XLSX with the columns date, base, quote, rate (and optionally unit)."),
    )
    text = forms.CharField(
        label=_("Or paste the rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("With a header row, e.g. date,base,quote,rate then 2026-11-25,USD,CNY,7.1234."),
    )

    def clean(self):
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the rows."))
        return data
