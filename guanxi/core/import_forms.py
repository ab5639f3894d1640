"""The upload form of every import from a table (products, leads …): the file and "only check"."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    check_only = forms.BooleanField(
        label=_("Only check the file"),
        required=False,
        help_text=_("Nothing is saved: you see what would happen."),
    )
