from typing import Protocol

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core.models import Role, Team
from guanxi.core.models.tokens import TokenScope


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

        from guanxi.core import registry
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
