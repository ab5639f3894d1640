"""Record rules for parties: which parties a user may see or edit. Used by every selector and service."""

from __future__ import annotations

from django.db.models import Q

from guanxi.core.models import TeamMembership
from guanxi.core.roles import Area, Scope, grants_for
from guanxi.core.selectors.users import team_ids_of

NOTHING = Q(pk__in=[])
# A party belongs to the customer side unless it is a supplier only; to the supplier side if it supplies.
CUSTOMER_SIDE = Q(is_customer=True) | Q(is_supplier=False)
SUPPLIER_SIDE = Q(is_supplier=True)


def _reach(user, scope: Scope) -> Q:
    team_ids = team_ids_of(user)
    q = Q(owner_id=user.pk)
    if team_ids:
        q |= Q(team_id__in=team_ids)
        if scope >= Scope.TEAM:
            q |= Q(owner_id__in=TeamMembership.objects.filter(team_id__in=team_ids).values("user_id"))
    return q


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
        if scope == Scope.ALL:
            parts.append(side)
        elif scope != Scope.NONE:
            parts.append(side & _reach(user, scope))
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
