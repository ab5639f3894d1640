"""The shipped roles: what each may do (actions) and which records it reaches (scopes).

Roles are stored as Django groups whose name is the role code; this module is the one place
that says what a role means. Record rules are applied by selectors and services (see
guanxi.parties.selectors.visibility), so the web UI and the API enforce the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs-ext is a test dependency: the name exists for the type checker only
    from django_stubs_ext import StrOrPromise


class Scope(IntEnum):
    NONE = 0
    OWN = 1  # records the user owns, or that belong to one of the user's teams
    TEAM = 2  # also records owned by anyone in the user's teams
    ALL = 3


class Area:
    CUSTOMERS = "customers"
    SUPPLIERS = "suppliers"


class Action:
    PARTY_VIEW = "party.view"
    PARTY_CREATE = "party.create"
    PARTY_CHANGE = "party.change"
    PARTY_ARCHIVE = "party.archive"
    PARTY_EXPORT = "party.export"
    NOTE_ADD = "note.add"  # notes on the timeline of a party the user may see
    TAG_MANAGE = "tag.manage"
    SETTINGS_MANAGE = "settings.manage"


ALL_ACTIONS = frozenset(v for k, v in vars(Action).items() if not k.startswith("_"))
PARTY_EDIT = frozenset(
    {
        Action.PARTY_VIEW,
        Action.PARTY_CREATE,
        Action.PARTY_CHANGE,
        Action.PARTY_ARCHIVE,
        Action.PARTY_EXPORT,
        Action.NOTE_ADD,
    }
)


@dataclass(frozen=True)
class Role:
    code: str
    name: StrOrPromise  # lazy: shown in the language of the request
    actions: frozenset[str]
    view: dict[str, Scope] = field(default_factory=dict)
    edit: dict[str, Scope] = field(default_factory=dict)


ADMINISTRATOR = "administrator"
EXECUTIVE = "executive"
SALES_MANAGER = "sales_manager"
SALES_REP = "sales_rep"
MARKETING = "marketing"
SERVICE_AGENT = "service_agent"
PROCUREMENT_MANAGER = "procurement_manager"
BUYER = "buyer"

_C, _S = Area.CUSTOMERS, Area.SUPPLIERS
ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            ADMINISTRATOR,
            _("Administrator"),
            ALL_ACTIONS,
            {_C: Scope.ALL, _S: Scope.ALL},
            {_C: Scope.ALL, _S: Scope.ALL},
        ),
        Role(
            EXECUTIVE,
            _("Executive"),
            frozenset({Action.PARTY_VIEW, Action.PARTY_EXPORT}),
            {_C: Scope.ALL, _S: Scope.ALL},
            {},
        ),
        Role(
            SALES_MANAGER,
            _("Sales Manager"),
            PARTY_EDIT | {Action.TAG_MANAGE},
            {_C: Scope.TEAM},
            {_C: Scope.TEAM},
        ),
        Role(
            SALES_REP,
            _("Sales Representative"),
            PARTY_EDIT - {Action.PARTY_EXPORT},
            {_C: Scope.OWN},
            {_C: Scope.OWN},
        ),
        Role(
            MARKETING,
            _("Marketing"),
            frozenset({Action.PARTY_VIEW, Action.PARTY_EXPORT, Action.TAG_MANAGE, Action.NOTE_ADD}),
            {_C: Scope.ALL},
            {},
        ),
        Role(
            SERVICE_AGENT,
            _("Service Agent"),
            frozenset({Action.PARTY_VIEW, Action.NOTE_ADD}),
            {_C: Scope.ALL},
            {},
        ),
        Role(
            PROCUREMENT_MANAGER,
            _("Procurement Manager"),
            PARTY_EDIT | {Action.TAG_MANAGE},
            {_S: Scope.ALL},
            {_S: Scope.ALL},
        ),
        Role(BUYER, _("Buyer"), PARTY_EDIT - {Action.PARTY_EXPORT}, {_S: Scope.ALL}, {_S: Scope.OWN}),
    ]
}


@dataclass(frozen=True)
class Grants:
    """What a user's roles add up to."""

    actions: frozenset[str]
    view: dict[str, Scope]
    edit: dict[str, Scope]

    def can(self, action: str) -> bool:
        return action in self.actions


def grants_for(user) -> Grants:
    """Combine the user's roles; cached on the user object for the request."""
    cached = getattr(user, "_guanxi_grants", None)
    if cached is not None:
        return cached
    if not user or not user.is_authenticated or not user.is_active:
        grants = Grants(frozenset(), {}, {})
    else:
        codes = {ADMINISTRATOR} if user.is_superuser else set(user.groups.values_list("name", flat=True))
        roles = [ROLES[c] for c in codes if c in ROLES]
        actions: set[str] = set()
        view: dict[str, Scope] = {}
        edit: dict[str, Scope] = {}
        for role in roles:
            actions |= role.actions
            for area, scope in role.view.items():
                view[area] = max(view.get(area, Scope.NONE), scope)
            for area, scope in role.edit.items():
                edit[area] = max(edit.get(area, Scope.NONE), scope)
        grants = Grants(frozenset(actions), view, edit)
    user._guanxi_grants = grants
    return grants


def role_names(user) -> list[str]:
    if user.is_superuser:
        return [str(ROLES[ADMINISTRATOR].name)]
    return [str(ROLES[c].name) for c in user.groups.values_list("name", flat=True) if c in ROLES]
