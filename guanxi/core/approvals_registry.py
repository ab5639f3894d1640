"""How an app makes one of its document types approvable: one call, `register_approvable(ApprovalSpec(...))`.

Core never names an app. An app that wants its quotes (purchase orders, requisitions …) approved registers,
from its own `registry.py`, what approval rules may test and what happens on a decision:

    register_approvable(ApprovalSpec(
        document="crm.quote",                      # a DocumentType registered with register_document_type
        fields={
            "amount": FieldSpec(_("Amount"), "decimal"),
            "discount_percent": FieldSpec(_("Discount"), "decimal", suffix="%"),
            "supplier_category": FieldSpec(_("Supplier category"), "choice", choices=CATEGORY_CHOICES),
        },
        values=lambda quote: {"amount": quote.total, "discount_percent": quote.discount, ...},
        on_approved=quote_mark_approved,           # (quote, actor), inside the decision's transaction
        on_rejected=quote_mark_rejected,           # (quote, actor, comment), likewise
        requester=lambda quote: quote.created_by,  # default: whoever submits
        team=lambda quote: quote.team,             # whose manager a "team manager" level means
    ))

The app then calls `guanxi.core.services.approvals.approval_submit(actor=..., obj=quote)` when the user
submits the quote. Everything else (rules, the inbox, delegation, the approval path on the quote's page, the
API) is core's. See docs/subsystems/approvals.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from guanxi.core import registry

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise

# The kinds of field a rule may test, and the comparisons each kind offers (stored in rules: never rename).
DECIMAL, INTEGER, CHOICE, BOOLEAN = "decimal", "integer", "choice", "boolean"
KINDS = (DECIMAL, INTEGER, CHOICE, BOOLEAN)

OPERATORS: dict[str, StrOrPromise] = {
    "gt": _("is over"),
    "gte": _("is at least"),
    "lt": _("is under"),
    "lte": _("is at most"),
    "eq": _("equals"),
    "in": _("is one of"),
    "not_in": _("is none of"),
    "is": _("is"),
}
OPERATORS_BY_KIND: dict[str, tuple[str, ...]] = {
    DECIMAL: ("gt", "gte", "lt", "lte", "eq"),
    INTEGER: ("gt", "gte", "lt", "lte", "eq"),
    CHOICE: ("in", "not_in"),
    BOOLEAN: ("is",),
}


@dataclass(frozen=True)
class FieldSpec:
    """A value of the document that approval rules may test.

    kind: "decimal" (amounts, percentages), "integer", "choice" (with `choices`: [(code, label)]) or
    "boolean". `suffix` is shown after numbers ("%", "CNY")."""

    label: StrOrPromise
    kind: str = DECIMAL
    choices: Sequence[tuple[str, StrOrPromise]] = ()
    suffix: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"FieldSpec kind must be one of {KINDS}, not {self.kind!r}")
        if self.kind == CHOICE and not self.choices:
            raise ValueError("A choice FieldSpec needs its choices")

    @property
    def operators(self) -> tuple[str, ...]:
        return OPERATORS_BY_KIND[self.kind]

    def choice_label(self, code) -> str:
        return str(dict(self.choices).get(code, code))

    def show(self, value) -> str:
        """A snapshot value as a person reads it: a choice's label, Yes/No, a number with its suffix."""
        if value is None or value == "":
            return "—"
        if self.kind == CHOICE:
            return self.choice_label(value)
        if self.kind == BOOLEAN:
            return str(_("Yes") if value in (True, "true", "True") else _("No"))
        if self.suffix == "%":
            return f"{value}%"
        return f"{value} {self.suffix}" if self.suffix else str(value)


@dataclass(frozen=True)
class ApprovalSpec:
    """What core needs to know to approve one document type (see the module's docstring)."""

    document: str  # the DocumentType's code, "app_label.modelname"
    fields: Mapping[str, FieldSpec]
    values: Callable[[Any], Mapping[str, Any]]  # obj -> {field: value} for every key of `fields`
    relevant_fields: Sequence[str] | None = None  # whose change makes someone "the last changer"; default all
    on_approved: Callable[[Any, Any], None] | None = None  # (obj, actor)
    on_rejected: Callable[[Any, Any, str], None] | None = None  # (obj, actor, comment)
    on_withdrawn: Callable[[Any, Any], None] | None = None  # (obj, actor): the requester took it back
    requester: Callable[[Any], Any] | None = None  # obj -> user; default: whoever submits
    last_changed_by: Callable[[Any], Any] | None = None  # obj -> user or None; default: from the audit trail
    team: Callable[[Any], Any] | None = None  # obj -> Team or None; default: obj.team
    tab: bool = True  # show the approval path as a tab on the document's page (registry.RecordTab)
    tab_order: int = 80
    # (obj, user) -> bool: when the tab shows (default: always), e.g. only once a document has been submitted
    tab_visible: Callable[[Any, Any], bool] | None = None
    # True: documents of this type need approval only once an administrator adds a rule (new products);
    # Settings → Approval rules then says so instead of warning that nothing can be submitted.
    optional: bool = False

    @property
    def relevant(self) -> list[str]:
        return list(self.relevant_fields) if self.relevant_fields is not None else list(self.fields)

    @property
    def document_type(self) -> registry.DocumentType:
        doc = registry.document_type(self.document)
        if doc is None:
            raise LookupError(f"{self.document} is approvable but not a registered document type")
        return doc

    def snapshot(self, obj) -> dict[str, Any]:
        """The relevant values now, as plain JSON (decimals as text, so 10.50 stays 10.50)."""
        values = self.values(obj)
        return {name: plain(values.get(name)) for name in self.fields}

    def changed_fields(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
        """The fields whose snapshot values differ (numbers compared as numbers: 50 is 50.00)."""
        changed = []
        for name, spec_field in self.fields.items():
            a, b = before.get(name), after.get(name)
            if spec_field.kind in (DECIMAL, INTEGER) and a is not None and b is not None:
                try:
                    if Decimal(str(a)) == Decimal(str(b)):
                        continue
                except ArithmeticError:
                    pass
            elif a == b:
                continue
            changed.append(name)
        return changed

    def team_of(self, obj):
        return self.team(obj) if self.team else getattr(obj, "team", None)


def describe_condition(spec: ApprovalSpec, cond: Mapping[str, Any]) -> str:
    """A stored condition in words, e.g. "Amount is over 10000", "Category is one of Custom, Hazardous"."""
    field = spec.fields.get(cond.get("field", ""))
    if field is None:
        return str(_("%(field)s (no longer known: this rule never applies)") % {"field": cond.get("field")})
    value = cond.get("value")
    shown = ", ".join(field.show(v) for v in value) if isinstance(value, list) else field.show(value)
    op = OPERATORS.get(cond.get("op", ""), cond.get("op", ""))
    return str(_("%(field)s %(op)s %(value)s") % {"field": field.label, "op": op, "value": shown})


def plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


_APPROVABLE: dict[str, ApprovalSpec] = {}


def register_approvable(spec: ApprovalSpec, *, label: StrOrPromise | None = None) -> None:
    """Make a document type approvable (call from the app's registry.py). Registering again replaces it.

    Also puts an "Approval" tab on the document's page (unless `spec.tab` is False: then show the path with
    `{% load approvals %}{% approval_path obj %}` where the page wants it)."""
    for name in spec.relevant:
        if name not in spec.fields:
            raise ValueError(f"relevant field {name!r} of {spec.document} is not one of its fields")
    _APPROVABLE[spec.document] = spec
    if spec.tab:
        registry.register_tab(
            registry.RecordTab(
                spec.document,
                "approval",
                label or _("Approval"),
                "core/approvals/tab.html",
                spec.tab_order,
                context=path_context,
                visible=spec.tab_visible,
            )
        )


def path_context(obj, user) -> dict:
    """What the path template needs: the document's requests with their paths, and where a decision returns."""
    from guanxi.core.selectors.approvals import approval_path_for

    doc = registry.document_type(obj._meta.label_lower)
    return {
        "approval": approval_path_for(obj=obj, user=user),
        "next": f"{doc.url(obj)}?tab=approval" if doc else "",
    }


def approvable(code: str) -> ApprovalSpec | None:
    return _APPROVABLE.get(code)


def approvable_of(obj) -> ApprovalSpec | None:
    return _APPROVABLE.get(obj._meta.label_lower)


def approvables() -> list[ApprovalSpec]:
    """Every approvable type whose document type is registered, in the order of their labels."""
    specs = [s for s in _APPROVABLE.values() if registry.document_type(s.document) is not None]
    return sorted(specs, key=lambda s: str(s.document_type.label))


def unregister_approvable(code: str) -> None:
    """Tests only: forget a registration."""
    _APPROVABLE.pop(code, None)
