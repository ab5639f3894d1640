from typing import Protocol

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core.models import Team
from guanxi.core.models.tokens import TokenScope
from guanxi.core.roles import ROLES


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
        choices=[(code, role.name) for code, role in ROLES.items()],
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
