"""Roles: what each may do (actions) and which records it reaches (a scope per area).

Roles are data (guanxi.core.models.Role, one Django group per role, named by its code). Actions and areas
are declared by the apps in the registry (guanxi.core.registry); the shipped roles are seeded and kept
in step by migrations (`guanxi.core.migration_ops.grant_shipped`), and an administrator may add custom
roles in Settings → Roles. Record rules are applied by selectors and services (see
guanxi.core.selectors.record_rules), so the web UI and the API enforce the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext_lazy as _


class Scope(IntEnum):
    NONE = 0
    OWN = 1  # records the user owns, or that belong to one of the user's teams
    TEAM = 2  # also records owned by anyone in the user's teams
    ALL = 3


SCOPE_LABELS = {
    Scope.NONE: _("none"),
    Scope.OWN: _("own"),
    Scope.TEAM: _("team"),
    Scope.ALL: _("all"),
}


class Action:
    """Core's own actions; each app declares its own (e.g. guanxi.parties.permissions)."""

    SETTINGS_MANAGE = "settings.manage"


ADMINISTRATOR = "administrator"
EXECUTIVE = "executive"
SALES_MANAGER = "sales_manager"
SALES_REP = "sales_rep"
MARKETING = "marketing"
SERVICE_AGENT = "service_agent"
PROCUREMENT_MANAGER = "procurement_manager"
BUYER = "buyer"

# The shipped roles, by code: their names are translated; what they may do is in the Role rows.
SHIPPED_LABELS = {
    ADMINISTRATOR: _("Administrator"),
    EXECUTIVE: _("Executive"),
    SALES_MANAGER: _("Sales Manager"),
    SALES_REP: _("Sales Representative"),
    MARKETING: _("Marketing"),
    SERVICE_AGENT: _("Service Agent"),
    PROCUREMENT_MANAGER: _("Procurement Manager"),
    BUYER: _("Buyer"),
}


@dataclass(frozen=True)
class Grants:
    """What a user's roles add up to."""

    actions: frozenset[str]
    view: dict[str, Scope]
    edit: dict[str, Scope]

    def can(self, action: str) -> bool:
        return action in self.actions

    def reaches(self, area: str, *, mode: str = "view") -> Scope:
        return (self.view if mode == "view" else self.edit).get(area, Scope.NONE)


NO_GRANTS = Grants(frozenset(), {}, {})


def combine(rows) -> Grants:
    """Add up roles given as (all_access, actions, view_scopes, edit_scopes)."""
    from guanxi.core import registry

    actions: set[str] = set()
    view: dict[str, Scope] = {}
    edit: dict[str, Scope] = {}
    for all_access, role_actions, role_view, role_edit in rows:
        if all_access:
            role_actions = registry.action_codes()
            role_view = role_edit = {a.code: Scope.ALL for a in registry.areas()}
        actions |= set(role_actions)
        for target, scopes in ((view, role_view), (edit, role_edit)):
            for area, scope in scopes.items():
                target[area] = max(target.get(area, Scope.NONE), Scope(int(scope)))
    return Grants(frozenset(actions), view, edit)


def grants_for(user) -> Grants:
    """Combine the user's roles; cached on the user object for the request."""
    if user is None:
        return NO_GRANTS
    cached = getattr(user, "_guanxi_grants", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        grants = NO_GRANTS
    elif user.is_superuser:
        grants = combine([(True, [], {}, {})])
    else:
        from guanxi.core.models import Role

        rows = Role.objects.filter(group__user=user).values_list(
            "all_access", "actions", "view_scopes", "edit_scopes"
        )
        grants = combine(rows)
    user._guanxi_grants = grants
    return grants


def role_label(code: str) -> str:
    """The name of a role, by code, in the current language."""
    if code in SHIPPED_LABELS:
        return str(SHIPPED_LABELS[code])
    from guanxi.core.models import Role

    role = Role.objects.filter(code=code).first()
    return role.label if role else str(code)


def role_names(user) -> list[str]:
    if user.is_superuser:
        return [str(SHIPPED_LABELS[ADMINISTRATOR])]
    from guanxi.core.models import Role

    return [r.label for r in Role.objects.filter(group__user=user)]
