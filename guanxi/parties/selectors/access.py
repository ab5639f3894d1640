"""What a user may do with a party's form: refuse forms that could never be saved, offer only what the
user may change, and only owners who may hold the party."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.roles import Scope, grants_for
from guanxi.parties.fields import PARTY_FIELDS, SUPPLIER_WHEN_SUPPLIER
from guanxi.parties.models import Party
from guanxi.parties.permissions import Action, Area
from guanxi.parties.selectors.visibility import owner_candidates


@dataclass(frozen=True)
class FormAccess:
    hidden: frozenset[str]  # not offered at all (the saved value stays)
    disabled: frozenset[str]  # shown, not changeable
    owner_choices: QuerySet[User]


def edit_sides(actor) -> tuple[bool, bool]:
    """(may edit customers, may edit suppliers)"""
    edit = grants_for(actor).edit
    return (
        edit.get(Area.CUSTOMERS, Scope.NONE) != Scope.NONE,
        edit.get(Area.SUPPLIERS, Scope.NONE) != Scope.NONE,
    )


def require_can_create(*, actor) -> None:
    if not grants_for(actor).can(Action.PARTY_CREATE) or not any(edit_sides(actor)):
        raise PermissionDeniedError()


def party_form_access(*, actor, party: Party | None) -> FormAccess:
    customers, suppliers = edit_sides(actor)
    hidden: set[str] = set()
    if not customers:
        hidden |= {"is_customer", "customer_status"}
    if not suppliers:
        hidden |= {"is_supplier", "supplier_status"}
    disabled: set[str] = set()
    if party is not None and party.is_supplier and not suppliers:
        disabled = {f.name for f in PARTY_FIELDS if f.guarded_by == SUPPLIER_WHEN_SUPPLIER}
    if party is not None:
        owners = owner_candidates(is_customer=party.is_customer, is_supplier=party.is_supplier)
    else:
        # A new party: the sides this user may create on (the service checks the final roles again).
        owners = owner_candidates(is_customer=customers, is_supplier=suppliers and not customers)
    return FormAccess(frozenset(hidden), frozenset(disabled), owners)


def party_form_initial_roles(*, actor, role: str) -> dict:
    """The roles a new organization starts with: what the menu asked for, if the user may hold it."""
    customers, suppliers = edit_sides(actor)
    if role == "supplier" and suppliers or not customers:
        return {"is_supplier": True}
    return {"is_customer": True}
