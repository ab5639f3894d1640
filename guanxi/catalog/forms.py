"""Web forms of the catalogue. They only carry what the user typed to the services, which check it; a field
a form does not show is not sent (the services keep it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.catalog.choices import ProductKind
from guanxi.catalog.models import Product
from guanxi.catalog.selectors import catalog as sel
from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.models import Company, Currency
from guanxi.core.selectors.money import tax_rate_choices

_BLANK = [("", "—")]


def _unit_choices(actor, include: set[int]) -> list:
    groups: dict[str, list] = {}
    for u in sel.unit_list(actor=actor):
        if u.active or u.pk in include:
            groups.setdefault(str(u.category), []).append((u.pk, f"{u.name} ({u.code})"))
    return list(groups.items())


def _category_choices(actor, include: int | None) -> list:
    tree = sel.category_tree(actor=actor)
    return [*_BLANK, *((c.pk, getattr(c, "label", c.name)) for c in tree if c.active or c.pk == include)]


def _set_choices(field: forms.Field, choices: list) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ProductForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProductKind.choices)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None, required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    purchase_unit = forms.TypedChoiceField(
        label=_("Purchase unit"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "When suppliers sell it in another unit of the same kind (a box of 12 instead of pieces)."
        ),
    )
    tax_rate = forms.TypedChoiceField(label=_("Tax rate"), coerce=int, empty_value=None, required=False)
    can_sell = forms.BooleanField(label=_("Can be sold"), required=False)
    can_buy = forms.BooleanField(label=_("Can be bought"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, product: Product | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        units = {product.unit_id, product.purchase_unit_id} if product else set()
        kept = {u for u in units if u}
        _set_choices(self.fields["unit"], _unit_choices(actor, kept))
        _set_choices(self.fields["purchase_unit"], [*_BLANK, *_unit_choices(actor, kept)])
        _set_choices(
            self.fields["category"], _category_choices(actor, product.category_id if product else None)
        )
        taxes = tax_rate_choices(include=product.tax_rate_id if product else None)
        _set_choices(self.fields["tax_rate"], [*_BLANK, *taxes])
        if product is None:
            self.fields["code"].help_text = _("Leave it empty to take the next number.")
        # A price field per currency the product has a price in (also one turned off since: shown, kept, and
        # removable — nothing the form does not show is lost), and for our companies' currencies; one more
        # pair adds a price in any other currency in use.
        have = {p.currency_id for p in product.prices.all()} if product else set()
        ours = set(Company.objects.filter(is_active=True).values_list("default_currency", flat=True)) or {
            "CNY"
        }
        self.price_codes = sorted(have | ours, key=lambda c: (c != "CNY", c))
        for code in self.price_codes:
            self.fields[f"price_{code}"] = forms.CharField(
                label=_("Sale price %(currency)s") % {"currency": code},
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        others = Currency.objects.filter(active=True).exclude(code__in=self.price_codes).order_by("code")
        self.fields["other_currency"] = forms.ChoiceField(
            label=_("Sale price in another currency"),
            required=False,
            choices=[*_BLANK, *((c.code, f"{c.code} {c.name}") for c in others)],
        )
        self.fields["other_price"] = forms.CharField(
            label=_("Price in that currency"),
            required=False,
            max_length=30,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        skip = {"version", "other_currency", "other_price"}
        data = {k: d.get(k) for k in self.fields if not k.startswith("price_") and k not in skip}
        prices = [
            {"currency": c, "amount": (d.get(f"price_{c}") or "").strip()}
            for c in self.price_codes
            if (d.get(f"price_{c}") or "").strip()
        ]
        other, amount = d.get("other_currency"), (d.get("other_price") or "").strip()
        if other or amount:
            prices.append({"currency": other, "amount": amount})
        data["prices"] = prices
        return data

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict") and "prices" in exc.message_dict:
            messages = exc.message_dict
            rest = {k: v for k, v in messages.items() if k != "prices"}
            for m in messages["prices"]:
                self.add_error(None, m)
            if not rest:
                return
            from django.core.exceptions import ValidationError

            exc = ValidationError(rest)
        super().add_service_errors(exc)

    @staticmethod
    def initial_of(product: Product) -> dict:
        initial: dict[str, object] = {
            "code": product.code,
            "kind": product.kind,
            "name_en": product.name_en,
            "name_zh": product.name_zh,
            "description": product.description,
            "category": product.category_id,
            "unit": product.unit_id,
            "purchase_unit": product.purchase_unit_id,
            "tax_rate": product.tax_rate_id,
            "can_sell": product.can_sell,
            "can_buy": product.can_buy,
            "version": product.version,
        }
        for p in product.prices.all():
            initial[f"price_{p.currency_id}"] = p.amount.normalize()
        return initial


class CategoryForm(ServiceErrorsMixin, forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    parent = forms.TypedChoiceField(label=_("Parent category"), coerce=int, empty_value=None, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        below = category.path if category else None
        tree = sel.category_tree(actor=actor)
        rows = [(c.pk, getattr(c, "label", c.name)) for c in tree if not (below and c.path.startswith(below))]
        _set_choices(self.fields["parent"], [("", _("— top level —")), *rows])


class UnitForm(ServiceErrorsMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=20, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=60)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60, required=False)
    category = forms.TypedChoiceField(label=_("Measures"), coerce=int)
    factor = forms.CharField(
        label=_("Factor"),
        max_length=30,
        help_text=_(
            "How many of the reference unit one of this is: a box of 12 pieces is 12, a tonne 1000 kg."
        ),
    )
    decimal_places = forms.IntegerField(label=_("Decimal places of quantities"), min_value=0, max_value=6)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self.fields["category"], [(c.pk, c.name) for c in sel.unit_categories(actor=actor)])
        if unit is not None:
            self.fields["code"].disabled = True
            self.fields["code"].initial = unit.code
