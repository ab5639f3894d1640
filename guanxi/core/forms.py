from typing import Protocol

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core import registry
from guanxi.core.models import Role, Team
from guanxi.core.models.notifications import MessengerKind
from guanxi.core.models.tokens import TokenScope
from guanxi.core.numbering import Reset
from guanxi.core.selectors.money import currency_choices


class _Form(Protocol):
    """What the mixin needs of the form it is mixed into (forms.Form has it)."""

    fields: dict[str, forms.Field]

    def add_error(self, field: str | None, error: str) -> None: ...


class ServiceErrorsMixin:
    """Put a service's ValidationError on the right fields ('phones[2]' goes on 'phones')."""

    def add_service_errors(self: _Form, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                base = name.split("[")[0]
                target = base if base in self.fields else None
                for m in messages:
                    self.add_error(target, m)
        else:
            for m in exc.messages:
                self.add_error(None, m)


class UserForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Browser default")), ("en", "English"), ("zh-hans", "简体中文")],
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(r.code, r.label) for r in Role.objects.all()],
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("user account", "Active"), required=False, initial=True
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Required for a new user; leave empty to keep the current one."),
    )

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        if creating:
            self.fields["password"].required = True
            del self.fields["is_active"]

    def clean_password(self):
        pw = self.cleaned_data.get("password")
        if pw:
            validate_password(pw)
        return pw


class TeamForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class TokenForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “ERP sync”.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        input_formats=["%Y-%m-%d"],  # what <input type="date"> sends, in every language
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. The token stops working at the start of this day; empty: until revoked."),
    )


class RoleCreateForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100, required=False)
    based_on = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=Role.objects.filter(all_access=False),
        help_text=_("The new role starts with this role's permissions; change them afterwards."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["based_on"].label_from_instance = lambda r: r.label  # type: ignore[attr-defined]


class RoleForm(ServiceErrorsMixin, forms.Form):
    """A custom role: names, the actions it grants (grouped by app) and a scope per area."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100, required=False)

    def __init__(self, *args, **kwargs) -> None:
        from django.apps import apps as django_apps

        from guanxi.core.roles import SCOPE_LABELS

        super().__init__(*args, **kwargs)
        self.action_groups: list[tuple[str, list[str]]] = []
        by_app: dict[str, list[str]] = {}
        for action in registry.actions():
            name = "action:" + action.code
            self.fields[name] = forms.BooleanField(label=action.label, required=False, help_text=action.help)
            by_app.setdefault(action.app, []).append(name)
        for app, names in by_app.items():
            self.action_groups.append((str(django_apps.get_app_config(app).verbose_name), names))
        choices = [(int(s), label) for s, label in SCOPE_LABELS.items()]
        self.scope_names: list[tuple[str, str, str]] = []
        for area in registry.areas():
            for mode, verb in (("view", _("sees")), ("edit", _("changes"))):
                name = f"{mode}:{area.code}"
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{area.label} · {verb}", choices=choices, coerce=int, initial=0
                )
                self.scope_names.append((name, str(area.label), mode))

    def bound_groups(self):
        return [(title, [self[n] for n in names]) for title, names in self.action_groups]

    def bound_scopes(self):
        return [self[n] for n, _area, _mode in self.scope_names]

    @classmethod
    def initial_for(cls, role) -> dict:
        initial = {"version": role.version, "name": role.name, "name_zh": role.name_zh}
        initial.update({"action:" + code: True for code in role.actions})
        initial.update({f"view:{a}": int(s) for a, s in role.view_scopes.items()})
        initial.update({f"edit:{a}": int(s) for a, s in role.edit_scopes.items()})
        return initial

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "version": data["version"],
            "name": data["name"],
            "name_zh": data["name_zh"],
            "actions": [k.split(":", 1)[1] for k, v in data.items() if k.startswith("action:") and v],
            "view_scopes": {
                n.split(":", 1)[1]: data[n] for n, _a, mode in self.scope_names if mode == "view"
            },
            "edit_scopes": {
                n.split(":", 1)[1]: data[n] for n, _a, mode in self.scope_names if mode == "edit"
            },
        }


MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


def _model_label(name: str):
    from guanxi.core.models import Company

    return capfirst(getattr(Company._meta.get_field(name), "verbose_name", name))


class CompanyForm(ServiceErrorsMixin, forms.Form):
    """Fields of guanxi.core.services.companies.EDITABLE (the service cleans and checks them), the logo and
    the version the user saw."""

    name_zh = forms.CharField(label=_model_label("name_zh"), max_length=200, required=False)
    name_en = forms.CharField(label=_model_label("name_en"), max_length=200, required=False)
    short_name = forms.CharField(
        label=_model_label("short_name"),
        max_length=60,
        required=False,
        help_text=_("What lists and pickers show, e.g. “关系示范”."),
    )
    uscc = forms.CharField(label=_model_label("uscc"), max_length=24, required=False)
    address_zh = forms.CharField(
        label=_model_label("address_zh"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    address_en = forms.CharField(
        label=_model_label("address_en"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phone = forms.CharField(label=_model_label("phone"), max_length=40, required=False)
    email = forms.CharField(
        label=_model_label("email"), max_length=254, required=False, widget=forms.EmailInput()
    )
    bank_name = forms.CharField(label=_model_label("bank_name"), max_length=100, required=False)
    bank_account = forms.CharField(label=_model_label("bank_account"), max_length=40, required=False)
    default_currency = forms.ChoiceField(label=_model_label("default_currency"), initial="CNY")
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_model_label("fiscal_year_start_month"), choices=MONTHS, coerce=int, initial=1
    )
    is_default = forms.BooleanField(
        label=_("Default issuing company"),
        required=False,
        help_text=_("Documents that name no company are issued by the default one."),
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("company", "Active"),
        required=False,
        initial=True,
        help_text=_("An archived company issues no more documents; its documents keep its name."),
    )
    logo = forms.FileField(
        label=_model_label("logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 2 MB and 4000 pixels a side."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    GROUPS = {
        "name": ("name_zh", "name_en", "short_name", "logo", "remove_logo"),
        "registration": ("uscc", "address_zh", "address_en", "phone", "email"),
        "bank": ("bank_name", "bank_account"),
        "defaults": ("default_currency", "fiscal_year_start_month", "is_default", "is_active"),
    }

    def __init__(self, *args, creating: bool = False, has_logo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The currencies in use, and the company's own even if it has been turned off since (kept, not lost).
        current = self.initial.get("default_currency") or "CNY"
        field = self.fields["default_currency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = currency_choices(include=current)
        if creating:
            del self.fields["is_active"]
            del self.fields["remove_logo"]
        elif not has_logo:
            del self.fields["remove_logo"]
        self.groups = [
            (label, [self[n] for n in names if n in self.fields])
            for label, names in (
                (_("Name and logo"), self.GROUPS["name"]),
                (_("Registration and contact"), self.GROUPS["registration"]),
                (_("Bank"), self.GROUPS["bank"]),
                (_("Defaults"), self.GROUPS["defaults"]),
            )
        ]

    def service_data(self) -> dict:
        from guanxi.core.services.companies import EDITABLE

        return {k: v for k, v in self.cleaned_data.items() if k in EDITABLE}


class SequenceForm(ServiceErrorsMixin, forms.Form):
    pattern = forms.CharField(
        label=_("Pattern"),
        max_length=60,
        help_text=_("e.g. QT-{YYYY}-{seq:05} gives QT-2026-00042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )
    reset = forms.ChoiceField(label=_("Sequence starts again"), choices=Reset.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class WebhookForm(ServiceErrorsMixin, forms.Form):
    """A team messenger webhook. The URL and secret are never filled in from the saved ones: on an edit,
    leaving them empty keeps them (the service checks everything)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("E.g. “Sales East group”."))
    kind = forms.ChoiceField(label=_("Messenger"), choices=MessengerKind.choices)
    url = forms.CharField(
        label=_("Webhook URL"),
        max_length=500,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Copied from the group robot's settings; it starts with https://."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "DingTalk: the SEC… string shown under “加签”. Feishu: the key shown under “签名校验”. "
            "WeCom robots do not sign: leave it empty."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Post these notifications"),
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(e.code, e.label) for e in registry.event_types()],
    )
    language = forms.ChoiceField(
        label=_("Language of the posts"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    active = forms.BooleanField(label=pgettext_lazy("webhook", "Active"), required=False, initial=True)

    def __init__(self, *args, hook=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hook = hook
        if hook is not None:
            self.fields["url"].required = False
            self.fields["url"].help_text = _("Now: %(hint)s. Leave empty to keep it.") % {
                "hint": hook.url_hint
            }
            if hook.secret:
                self.fields["secret"].help_text = _("Now: %(hint)s. Leave empty to keep it.") % {
                    "hint": hook.secret_hint
                }
                self.fields["remove_secret"] = forms.BooleanField(
                    label=_("Remove the signing secret"), required=False
                )
                self.order_fields(["version", "name", "kind", "url", "secret", "remove_secret"])

    @classmethod
    def initial_for(cls, hook) -> dict:
        return {
            "version": hook.version,
            "name": hook.name,
            "kind": hook.kind,
            "events": hook.events,
            "language": hook.language,
            "active": hook.active,
        }

    def service_values(self) -> dict:
        d = self.cleaned_data
        values = {k: d[k] for k in ("name", "kind", "url", "events", "language", "active")}
        values["secret"] = d["secret"]
        if self.hook is not None:
            if d.get("remove_secret"):
                values["secret"] = ""
            elif not d["secret"]:
                values["secret"] = None  # keep
        return values


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    """Upload one file to a record; the service checks the file itself (size, type by content)."""

    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # the service refuses it, with the same message as the API's
        max_length=1000,
        error_messages={"required": _("Choose a file to upload.")},
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args, accept: str = "", max_bytes: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["file"].widget.attrs
        if accept:
            attrs["accept"] = accept  # a hint for the file picker; the server decides by the content
        if max_bytes:
            attrs["data-max-bytes"] = str(max_bytes)
