"""Approvals test kit: a world of users and teams, widgets (the test app's approvable document) and rules,
made through the services as users would."""

from __future__ import annotations

from decimal import Decimal

from guanxi.core.models import Role
from guanxi.core.services.approval_rules import approval_rule_create
from guanxi.tests.plugin_app.models import Widget
from guanxi.tests.plugin_app.services import widget_create, widget_submit

WIDGET = "plugin_app.widget"


def role_id(code: str) -> int:
    return Role.objects.get(code=code).pk


def level(kind: str, mode: str = "any", **ids) -> dict:
    return {"kind": kind, "mode": mode, **ids}


def rule(admin, name="Rule", *, conditions=(), levels=(), no_approval=False, is_active=True):
    return approval_rule_create(
        actor=admin,
        document_type=WIDGET,
        name=name,
        conditions=list(conditions),
        levels=list(levels),
        no_approval=no_approval,
        is_active=is_active,
    )


def widget(owner, name="Gizmo", amount="100", discount="0", category="standard", team=None) -> Widget:
    return widget_create(
        actor=owner,
        name=name,
        amount=Decimal(amount),
        discount_percent=Decimal(discount),
        category=category,
        team=team,
    )


def submit(actor, w: Widget):
    return widget_submit(actor=actor, widget=w)


def status_of(w: Widget) -> str:
    return Widget.objects.get(pk=w.pk).status
