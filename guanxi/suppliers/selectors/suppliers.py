"""Which suppliers a user reaches: the "suppliers" area of their roles (owner, team or all suppliers), and
the action the read or change needs. Every selector and service of the suppliers app starts here."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.core.exceptions import NotFoundError
from guanxi.core.roles import Scope, grants_for
from guanxi.core.selectors.record_rules import reach_q
from guanxi.parties.models import Party
from guanxi.parties.permissions import Area


def supplier_scope(*, actor, mode: str = "view", action: str | None = None) -> QuerySet[Party]:
    """Suppliers (not merged away) in the user's view or edit scope; none when `action` is given and the
    user's roles lack it."""
    grants = grants_for(actor)
    scope = (grants.view if mode == "view" else grants.edit).get(Area.SUPPLIERS, Scope.NONE)
    if scope == Scope.NONE or (action is not None and not grants.can(action)):
        return Party.objects.none()
    qs = Party.objects.filter(is_supplier=True, merged_into=None)
    reach = reach_q(actor, scope)
    return qs if reach is None else qs.filter(reach)


def supplier_in_scope(*, actor, pk, mode: str = "view", action: str | None = None) -> Party:
    """One supplier the user reaches; NotFoundError otherwise (existence does not leak)."""
    try:
        party = supplier_scope(actor=actor, mode=mode, action=action).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        party = None
    if party is None:
        raise NotFoundError()
    return party
