from typing import TYPE_CHECKING

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.selectors.users import assignable_users
from guanxi.parties.address_forms import AddressForm  # noqa: F401  (the address form lives there)
from guanxi.parties.choices import IdentifierScheme, PartyKind
from guanxi.parties.fields import CHOICE, FLAG, GROUP_LABELS, MULTILINE, USER, PartyField, fields_for
from guanxi.parties.models import Party, Tag

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


def _blank(choices):
    return [("", "—"), *choices]


class IdentifierRowForm(forms.Form):
    """One identifier: type, country, number. Empty rows are ignored; ticking "remove" drops the row."""

    scheme = forms.ChoiceField(label=_("Type"), choices=_blank(IdentifierScheme.choices), required=False)
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("Two letters, e.g. DE")
    )
    value = forms.CharField(label=_("Number"), max_length=40, required=False)

    def is_blank(self) -> bool:
        d = getattr(self, "cleaned_data", None) or {}
        return not (d.get("value") or "").strip()


IdentifierFormSet = forms.formset_factory(IdentifierRowForm, extra=1, can_delete=True, max_num=10)


def _form_field(spec: PartyField, actor_owner_choices):
    model_field = Party._meta.get_field(spec.name)
    if not isinstance(model_field, models.Field):  # a reverse relation has no form field
        raise TypeError(f"PARTY_FIELDS names {spec.name!r}, which is not a field of Party")
    label = capfirst(model_field.verbose_name)
    if spec.kind == FLAG:
        return forms.BooleanField(label=label, required=False, help_text=spec.help_text)
    if spec.kind == CHOICE:
        return forms.ChoiceField(
            label=label, choices=_blank(model_field.choices), required=False, help_text=spec.help_text
        )
    if spec.kind == USER:
        return forms.ModelChoiceField(label=label, queryset=actor_owner_choices, required=False)
    if spec.kind == MULTILINE:
        return forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            max_length=model_field.max_length,
        )
    return forms.CharField(
        label=label,
        max_length=model_field.max_length,
        required=spec.name == "name",
        help_text=spec.help_text,
    )


class PartyForm(ServiceErrorsMixin, forms.Form):
    """The fields of an organization or person, built from guanxi/parties/fields.py.

    What the form does not show, it does not send: the service then leaves it as it is. Identifiers are a
    repeatable row (a formset), so every identifier a party has is shown and round-trips.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    phones = forms.CharField(
        label=_("Phones"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line, or separated by commas; the first is the main one."),
    )
    emails = forms.CharField(
        label=_("Emails"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line, or separated by commas; the first is the main one."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    allow_duplicates = forms.BooleanField(label=_("Save it anyway: it is not one of these"), required=False)

    # Fields that are not in the spec, and where they go.
    EXTRA_GROUPS = {"identity": ["job_title"], "roles": ["tags"], "contact": ["phones", "emails"]}
    IDENTIFIERS_PREFIX = "ident"

    def __init__(
        self,
        data=None,
        *,
        kind: str,
        creating: bool,
        with_organization: bool = False,
        hidden: frozenset[str] = frozenset(),
        disabled: frozenset[str] = frozenset(),
        owner_choices=None,
        initial=None,
        identifiers_initial=None,
        **kwargs,
    ):
        super().__init__(data, initial=initial, **kwargs)
        self.kind = kind
        self.creating = creating
        owners = owner_choices if owner_choices is not None else assignable_users()
        specs = [s for s in fields_for(kind, form=True) if s.name not in hidden]
        for spec in specs:
            field = _form_field(spec, owners)
            if isinstance(field, forms.ModelChoiceField):
                # No owner chosen: the creator owns a new record; an existing one is left without an owner.
                field.empty_label = _("— me —") if creating else _("— nobody —")
            self.fields[spec.name] = field
            if spec.name in disabled:
                # Shown, not changeable: the posted value is ignored and the saved one kept.
                self.fields[spec.name].disabled = True
                self.fields[spec.name].help_text = _("Only users who may edit suppliers change this.")
        self.spec_names = [s.name for s in specs]
        self.groups_spec: dict[str, list[str]] = {}
        for spec in specs:
            self.groups_spec.setdefault(spec.group, []).append(spec.name)
        drop = set()
        if not (kind == PartyKind.PERSON and creating and with_organization):
            drop.add("job_title")
        if not Tag.objects.exists():
            drop.add("tags")  # nothing to choose from yet
        for name in drop:
            self.fields.pop(name, None)
        self.identifiers = None
        posted_rows = data is None or f"{self.IDENTIFIERS_PREFIX}-TOTAL_FORMS" in data
        if kind == PartyKind.ORGANIZATION and "identifiers" not in hidden and posted_rows:
            # A post without the identifier rows (another client, an old page) leaves them as they are.
            self.identifiers = IdentifierFormSet(
                data, prefix=self.IDENTIFIERS_PREFIX, initial=identifiers_initial or []
            )

    def is_valid(self) -> bool:
        ok = super().is_valid()
        if self.identifiers is not None:
            ok = self.identifiers.is_valid() and ok
        return ok

    def group(self, name):
        names = list(self.groups_spec.get(name, []))
        for extra in self.EXTRA_GROUPS.get(name, []):
            if extra in self.fields:
                names.insert(1 if name == "identity" else len(names), extra)
        return [self[f] for f in names if f in self.fields]

    def groups(self):
        """(key, label, bound fields) for each fieldset, in the order the spec gives."""
        order = ["identity", "roles", "contact", "profile", "identifiers", "invoicing", "notes"]
        out: list[tuple[str, StrOrPromise, list[forms.BoundField]]] = []
        for key in order:
            if key == "identifiers":
                if self.identifiers is not None:
                    out.append((key, GROUP_LABELS[key], []))
                continue
            fields = self.group(key)
            if fields:
                out.append((key, GROUP_LABELS[key], fields))
        return out

    def _identifier_rows(self) -> list[tuple[int, dict]]:
        """(row index, identifier) for each filled row that is not marked for removal."""
        rows: list[tuple[int, dict]] = []
        if self.identifiers is None:  # the form does not show identifiers
            return rows
        for i, f in enumerate(self.identifiers.forms):
            d = f.cleaned_data
            if not d or d.get("DELETE") or f.is_blank():
                continue
            rows.append((i, {"scheme": d["scheme"], "country": d.get("country", ""), "value": d["value"]}))
        return rows

    def service_input(self):
        """(data, extras) for party_create / party_update: only the fields this form shows."""
        from guanxi.parties.services.cleaning import PartyExtras

        d = self.cleaned_data
        # Disabled fields are shown but never sent: the service keeps what is saved.
        data = {k: d[k] for k in self.spec_names if k in d and not self.fields[k].disabled}
        identifiers = None
        if self.identifiers is not None:
            identifiers = [row for _i, row in self._identifier_rows()]
        extras = PartyExtras(
            identifiers=identifiers,
            phones=d.get("phones", "").splitlines(),
            emails=d.get("emails", "").splitlines(),
            tag_ids=[t.pk for t in d["tags"]] if "tags" in self.fields else None,
        )
        return data, extras

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict") and self.identifiers is not None:
            rows = self._identifier_rows()
            rest = {}
            for name, messages in exc.message_dict.items():
                if name.startswith("identifiers["):
                    i = int(name[len("identifiers[") : -1])
                    row = self.identifiers.forms[rows[i][0]] if i < len(rows) else self.identifiers.forms[0]
                    for m in messages:
                        row.add_error("value", m)
                else:
                    rest[name] = messages
            from django.core.exceptions import ValidationError

            if not rest:
                return
            exc = ValidationError(rest)
        super().add_service_errors(exc)

    @property
    def has_errors(self) -> bool:
        idents = self.identifiers is not None and any(f.errors for f in self.identifiers.forms)
        return bool(self.errors) or idents

    @staticmethod
    def initial_for(party) -> dict:
        points = list(party.contact_points.all())
        initial = {f.name: getattr(party, f.name) for f in fields_for(party.kind, form=True)}
        initial["owner"] = party.owner_id
        initial["version"] = party.version
        initial["tags"] = list(party.tags.all())
        initial["phones"] = "\n".join(c.value for c in points if c.kind == "phone")
        initial["emails"] = "\n".join(c.value for c in points if c.kind == "email")
        return initial

    @staticmethod
    def identifiers_initial_for(party) -> list[dict]:
        return [{"scheme": i.scheme, "country": i.country, "value": i.value} for i in party.identifiers.all()]


class NoteForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)


class TagForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    color = forms.CharField(
        label=_("Colour"), max_length=7, initial="#64748b", widget=forms.TextInput(attrs={"type": "color"})
    )
