"""The address form: in China a province → city → district picker over the division table, elsewhere text.

With htmx, choosing a province loads its cities and choosing a city its districts
(views/regions.py); changing the country swaps the three location fields. Without JavaScript the
city list holds every city, grouped by province, until a province is chosen, and the service refuses a
city that is not in the chosen province, with the form shown again.
"""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import ServiceErrorsMixin
from guanxi.parties import regions
from guanxi.parties.choices import AddressKind

CHINA_FIELDS = ("province_code", "city_code", "district_code")
ABROAD_FIELDS = ("province", "city", "district")
BLANK = [("", "—")]


def division_label(div: regions.Division) -> str:
    """广东省, and for readers of another language 广东省 · Guangdong."""
    if (get_language() or "").startswith("zh"):
        return div.name
    return f"{div.name} · {div.latin}"


def division_choices(parent: str = "") -> list:
    return list(_division_choices(parent, get_language() or ""))


def grouped_choices(parent: str = "") -> list:
    """The level below the children of `parent`, grouped by child: every city by province, or every
    district of a province by city (what a browser without JavaScript chooses from)."""
    return list(_grouped_choices(parent, get_language() or ""))


# The division table does not change while the process runs: build each list once per language (every
# city grouped by province took ~13 ms, on every new-organization form).
@lru_cache(maxsize=1024)
def _division_choices(parent: str, language: str) -> tuple:
    return tuple((d.code, division_label(d)) for d in regions.children(parent))


@lru_cache(maxsize=256)
def _grouped_choices(parent: str, language: str) -> tuple:
    return tuple(
        (division_label(d), list(_division_choices(d.code, language)))
        for d in regions.children(parent)
        if regions.children(d.code)
    )


class AddressForm(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=AddressKind.choices, initial=AddressKind.OFFICE)
    country = forms.CharField(
        label=_("Country"), max_length=2, initial="CN", help_text=_("Two letters, e.g. CN")
    )
    province_code = forms.CharField(label=_("Province"), required=False, widget=forms.Select)
    city_code = forms.CharField(label=_("City"), required=False, widget=forms.Select)
    district_code = forms.CharField(label=_("District"), required=False, widget=forms.Select)
    province = forms.CharField(label=_("Province / state"), max_length=60, required=False)
    city = forms.CharField(label=_("City"), max_length=60, required=False)
    district = forms.CharField(label=_("District"), max_length=60, required=False)
    street = forms.CharField(label=_("Street"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12, required=False)
    is_primary = forms.BooleanField(label=_("Primary address"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_china = (self._value("country") or "CN").strip().upper() == "CN"
        for name in ABROAD_FIELDS if self.is_china else CHINA_FIELDS:
            del self.fields[name]
        self.fields["country"].widget.attrs.update(
            {
                "hx-get": reverse("parties:address_location"),
                "hx-trigger": "change",
                "hx-target": f"#{self.slot_id(1)}",
                "hx-swap": "outerHTML",
                "autocomplete": "country",
            }
        )
        if self.is_china:
            self._picker()

    def _value(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name)) or "")
        return str(self.initial.get(name) or self.fields[name].initial or "")

    def _picker(self) -> None:
        province = regions.get(self._value("province_code"))
        city = regions.get(self._value("city_code"))
        province = province if province and province.level == regions.PROVINCE else None
        city = city if city and city.level == regions.CITY else None
        # Callables: the (long) option lists are built only when the form is rendered, not on every post.
        widgets = {name: self.fields[name].widget for name in CHINA_FIELDS}
        widgets["province_code"].choices = lambda: BLANK + division_choices()
        if province is not None:
            widgets["city_code"].choices = lambda: BLANK + division_choices(province.code)
        else:
            widgets["city_code"].choices = lambda: BLANK + grouped_choices()
        if city is not None:
            widgets["district_code"].choices = lambda: BLANK + division_choices(city.code)
        elif province is not None:
            widgets["district_code"].choices = lambda: BLANK + grouped_choices(province.code)
        else:
            widgets["district_code"].choices = BLANK
        for name, level, target, trigger in (
            ("province_code", "cities", "city_code", "change"),
            # The city list is replaced when the province changes: its districts follow.
            ("city_code", "districts", "district_code", "change, htmx:afterSwap"),
        ):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("parties:region_options", args=[level]),
                    "hx-target": f"#{self[target].auto_id}",
                    "hx-swap": "innerHTML",
                    "hx-trigger": trigger,
                }
            )

    def slot_id(self, n: int) -> str:
        """The id of the n-th location field's wrapper, the same whichever country is chosen."""
        return f"{self.prefix}-location-{n}" if self.prefix else f"location-{n}"

    def location_fields(self) -> list[tuple[str, forms.BoundField]]:
        names = CHINA_FIELDS if self.is_china else ABROAD_FIELDS
        return [(self.slot_id(i), self[name]) for i, name in enumerate(names, 1)]

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
