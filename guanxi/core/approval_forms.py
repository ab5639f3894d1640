"""Forms of the approvals pages: a rule (one optional condition per registered field, levels as rows), a
decision (the comment), and a delegation. Each turns its input into a service's arguments; the services
validate (the API goes through the same checks)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.core.approvals_registry import BOOLEAN, CHOICE, OPERATORS, ApprovalSpec
from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.models import ApprovalRule, Role, User
from guanxi.core.models.approvals import ApproverKind, LevelMode

MANAGER = "team_manager"
EXTRA_LEVELS = 2  # empty level rows offered after the rule's own


def approver_choices() -> list:
    """One list for "approved by": the team manager, each role, each active user."""
    roles = [(f"role:{r.pk}", r.label) for r in Role.objects.all()]
    users = [(f"user:{u.pk}", f"{u} ({u.username})") for u in User.objects.filter(is_active=True)]
    return [
        ("", "—"),
        (MANAGER, _("Team manager of the document's team")),
        (_("Roles"), roles),
        (_("Named users"), users),
    ]


class RuleForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    no_approval = forms.BooleanField(
        label=_("No approval needed"),
        required=False,
        help_text=_(
            "Documents that match this rule are approved at once (say so explicitly; never by omission)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, spec: ApprovalSpec, rule: ApprovalRule | None = None, **kwargs):
        self.spec, self.rule = spec, rule
        unbound = (args[0] if args else kwargs.get("data")) is None
        if rule is not None and unbound and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(rule)
        super().__init__(*args, **kwargs)
        self.condition_names: list[tuple[str, str, str]] = []  # (field, op input, value input)
        for name, fs in spec.fields.items():
            ops = [("", _("any"))] + [(op, OPERATORS[op]) for op in fs.operators]
            op_key, value_key = f"cond_{name}_op", f"cond_{name}_value"
            self.fields[op_key] = forms.ChoiceField(label=fs.label, choices=ops, required=False)
            value_label = _("%(field)s: value") % {"field": fs.label}
            if fs.kind == CHOICE:
                self.fields[value_key] = forms.MultipleChoiceField(
                    label=fs.label,
                    choices=list(fs.choices),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif fs.kind == BOOLEAN:
                self.fields[value_key] = forms.ChoiceField(
                    label=fs.label,
                    choices=[("true", _("Yes")), ("false", _("No"))],
                    required=False,
                    widget=forms.Select(attrs={"aria-label": value_label}),
                )
            else:
                self.fields[value_key] = forms.CharField(
                    label=fs.label,
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(
                        attrs={
                            "inputmode": "decimal",
                            "placeholder": fs.suffix or "",
                            "aria-label": value_label,
                        }
                    ),
                )
            self.condition_names.append((name, op_key, value_key))
        count = len(rule.levels.all()) if rule is not None else 0
        bound_rows = self._bound_level_rows()
        self.level_count = max(count, bound_rows) + EXTRA_LEVELS
        choices = approver_choices()
        for i in range(self.level_count):
            self.fields[f"level_{i}_approver"] = forms.ChoiceField(
                label=_("Approved by"), choices=choices, required=False
            )
            self.fields[f"level_{i}_mode"] = forms.ChoiceField(
                label=_("Who must approve"),
                choices=LevelMode.choices,
                required=False,
                initial=LevelMode.ANY,
                widget=forms.Select(attrs={"aria-label": _("Who must approve")}),
            )

    def _bound_level_rows(self) -> int:
        if not self.is_bound:
            return 0
        rows = [
            k for k in self.data if k.startswith("level_") and k.endswith("_approver") and self.data.get(k)
        ]
        return len(rows)

    @staticmethod
    def initial_for(rule: ApprovalRule) -> dict:
        initial: dict = {
            "name": rule.name,
            "is_active": rule.is_active,
            "no_approval": rule.no_approval,
            "version": rule.version,
        }
        for cond in rule.conditions or []:
            initial[f"cond_{cond['field']}_op"] = cond["op"]
            value = cond["value"]
            initial[f"cond_{cond['field']}_value"] = (
                value
                if isinstance(value, list)
                else ("true" if value is True else "false" if value is False else value)
            )
        for i, level in enumerate(rule.levels.all()):
            if level.kind == ApproverKind.ROLE:
                initial[f"level_{i}_approver"] = f"role:{level.role_id}"
            elif level.kind == ApproverKind.USER:
                initial[f"level_{i}_approver"] = f"user:{level.user_id}"
            else:
                initial[f"level_{i}_approver"] = MANAGER
            initial[f"level_{i}_mode"] = level.mode
        return initial

    def level_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (i + 1, self[f"level_{i}_approver"], self[f"level_{i}_mode"]) for i in range(self.level_count)
        ]

    def condition_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField, str]]:
        return [
            (str(self.spec.fields[name].label), self[op], self[value], self.spec.fields[name].kind)
            for name, op, value in self.condition_names
        ]

    def service_values(self) -> dict:
        d = self.cleaned_data
        conditions = []
        for name, op_key, value_key in self.condition_names:
            op = d.get(op_key)
            if op:
                conditions.append({"field": name, "op": op, "value": d.get(value_key)})
        levels = []
        for i in range(self.level_count):
            who = d.get(f"level_{i}_approver")
            if not who:
                continue
            mode = d.get(f"level_{i}_mode") or LevelMode.ANY
            if who == MANAGER:
                levels.append({"kind": ApproverKind.TEAM_MANAGER, "mode": mode})
            else:
                kind, _sep, pk = who.partition(":")
                levels.append({"kind": kind, f"{kind}_id": int(pk), "mode": mode})
        return {
            "name": d["name"],
            "is_active": d["is_active"],
            "no_approval": d["no_approval"],
            "conditions": conditions,
            "levels": levels,
        }

    def add_service_errors(self, exc) -> None:  # conditions[i] / levels[i] go on their rows
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                target = None
                if key.startswith("conditions[") and key[11:-1].isdigit():
                    index = int(key[11:-1])
                    chosen = [n for n, op, _v in self.condition_names if self.cleaned_data.get(op)]
                    if index < len(chosen):
                        target = f"cond_{chosen[index]}_op"
                elif key.startswith("levels[") and key[7:-1].isdigit():
                    index = int(key[7:-1])
                    filled = [
                        i for i in range(self.level_count) if self.cleaned_data.get(f"level_{i}_approver")
                    ]
                    if index < len(filled):
                        target = f"level_{filled[index]}_approver"
                elif key in self.fields:
                    target = key
                for m in messages:
                    self.add_error(target, m)
        else:
            super().add_service_errors(exc)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject: the requester reads it."),
    )


class DelegationForm(ServiceErrorsMixin, forms.Form):
    delegate = forms.ModelChoiceField(label=_("Delegate to"), queryset=User.objects.none())
    # type=date reads only ISO dates: the localized format (2026年12月1日) would show an empty field.
    starts_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Until (included)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["delegate"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared above)
        field.queryset = User.objects.filter(is_active=True).exclude(pk=actor.pk).order_by("username")
