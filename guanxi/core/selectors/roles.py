"""Roles as administrators see them: the permission matrix (actions by app × roles, scopes by area)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as django_apps
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import Role
from guanxi.core.roles import SCOPE_LABELS, Action, Scope, grants_for


def _require_admin(actor) -> None:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def role_list(*, actor):
    _require_admin(actor)
    return Role.objects.all()


def role_get(*, actor, pk) -> Role:
    _require_admin(actor)
    return Role.objects.get(pk=pk)


@dataclass
class MatrixRow:
    label: str
    help: str
    cells: list  # one per role: True/False for an action, a scope label for an area


@dataclass
class MatrixGroup:
    title: str
    rows: list[MatrixRow]


def role_matrix(*, actor) -> tuple[list[Role], list[MatrixGroup]]:
    """Every role (columns) against every registered action, grouped by app, and every area's scopes."""
    roles = list(role_list(actor=actor))
    groups: dict[str, MatrixGroup] = {}
    for action in registry.actions():
        if action.app not in groups:
            title = str(django_apps.get_app_config(action.app).verbose_name)
            groups[action.app] = MatrixGroup(title, [])
        groups[action.app].rows.append(
            MatrixRow(
                str(action.label),
                str(action.help),
                [r.all_access or action.code in r.actions for r in roles],
            )
        )
    scope_rows = []
    modes = (("view_scopes", _("sees")), ("edit_scopes", _("changes")))
    for area in registry.areas():
        for attr, verb in modes:
            cells = [
                str(
                    SCOPE_LABELS[
                        Scope.ALL if r.all_access else Scope(int(getattr(r, attr).get(area.code, 0)))
                    ]
                )
                for r in roles
            ]
            scope_rows.append(MatrixRow(f"{area.label} · {verb}", str(area.help), cells))
    return roles, [*groups.values(), MatrixGroup(_("Records reached"), scope_rows)]
