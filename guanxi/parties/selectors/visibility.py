"""Record rules for parties: which parties a user may see or edit. Used by every selector and service."""

from __future__ import annotations

from django.db.models import Q

from guanxi.core.roles import Scope, grants_for
from guanxi.core.selectors.record_rules import NOTHING, reach_q
from guanxi.parties.permissions import Area

# A party belongs to the customer side unless it is a supplier only; to the supplier side if it supplies.
CUSTOMER_SIDE = Q(is_customer=True) | Q(is_supplier=False)
SUPPLIER_SIDE = Q(is_supplier=True)


def party_scope_q(user, *, mode: str = "view") -> Q | None:
    """A filter for the parties `user` may see (mode='view') or change ('edit'); None means all."""
    grants = grants_for(user)
    scopes = grants.view if mode == "view" else grants.edit
    cust = scopes.get(Area.CUSTOMERS, Scope.NONE)
    sup = scopes.get(Area.SUPPLIERS, Scope.NONE)
    if cust == Scope.ALL and sup == Scope.ALL:
        return None
    parts = []
    for side, scope in ((CUSTOMER_SIDE, cust), (SUPPLIER_SIDE, sup)):
        if scope != Scope.NONE:
            reach = reach_q(user, scope)  # the generic record rule: owner and team fields
            parts.append(side if reach is None else side & reach)
    if not parts:
        return NOTHING
    q = parts[0]
    for p in parts[1:]:
        q |= p
    return q


def can_edit_roles(user, *, is_customer: bool, is_supplier: bool) -> bool:
    """May `user` hold a party with these roles at all (has an edit scope on each side it is on)?"""
    edit = grants_for(user).edit
    if (is_customer or not is_supplier) and edit.get(Area.CUSTOMERS, Scope.NONE) == Scope.NONE:
        return False
    return not (is_supplier and edit.get(Area.SUPPLIERS, Scope.NONE) == Scope.NONE)


def sides_needed(*, is_customer: bool, is_supplier: bool) -> list[str]:
    """The areas a party belongs to: customer side unless it is a supplier only; supplier side if it supplies."""
    areas = []
    if is_customer or not is_supplier:
        areas.append(Area.CUSTOMERS)
    if is_supplier:
        areas.append(Area.SUPPLIERS)
    return areas


def owner_candidates(*, is_customer: bool, is_supplier: bool):
    """Active users who may hold a party with these roles: an edit scope on a side it is on.

    A customer handed to a Buyer would be invisible to everyone but administrators (the Buyer has no
    customer scope), so only these users are offered and accepted as owners. A party that is customer
    and supplier may be held from either side."""
    from guanxi.core.models import Role, User

    areas = sides_needed(is_customer=is_customer, is_supplier=is_supplier)
    codes = [
        code
        for code, all_access, edit in Role.objects.values_list("code", "all_access", "edit_scopes")
        if all_access or any(int(edit.get(area, Scope.NONE)) != Scope.NONE for area in areas)
    ]
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=codes))
        .distinct()
        .order_by("username")
    )


def may_own(user, *, is_customer: bool, is_supplier: bool) -> bool:
    if not (user and user.is_active):
        return False
    edit = grants_for(user).edit
    return any(
        edit.get(area, Scope.NONE) != Scope.NONE
        for area in sides_needed(is_customer=is_customer, is_supplier=is_supplier)
    )


def side_labels(party) -> str:
    from django.utils.translation import gettext as _

    labels = {Area.CUSTOMERS: _("customers"), Area.SUPPLIERS: _("suppliers")}
    sides = sides_needed(is_customer=party.is_customer, is_supplier=party.is_supplier)
    return ", ".join(str(labels[a]) for a in sides)
