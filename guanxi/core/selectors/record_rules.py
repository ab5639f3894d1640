"""Record rules for any owned record: which rows a user reaches through the scope of an area.

A record that has an owner (a user) and a team can be scoped by one call, with the same meaning as parties:
own = owned by the user or belonging to one of the user's teams; team = also owned by anyone in those teams;
all = every record. Later documents (opportunities, quotes, purchase orders) pass their area and, when they
are named differently, their owner and team fields:

    qs = scoped(Quote.objects.all(), user, area="customers")
    q = scope_q(user, area="suppliers", mode="edit", owner_field="buyer", team_field="buyer_team")
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guanxi.core.roles import Scope, grants_for
from guanxi.core.selectors.users import team_ids_of, team_member_ids_of

NOTHING = Q(pk__in=[])


def reach_q(user, scope: Scope, *, owner_field: str = "owner", team_field: str = "team") -> Q | None:
    """The records `user` reaches with `scope` (None: all of them)."""
    if scope >= Scope.ALL:
        return None
    if scope <= Scope.NONE or not getattr(user, "pk", None):
        return NOTHING
    team_ids = team_ids_of(user)
    q = Q(**{f"{owner_field}_id": user.pk})
    if team_ids and team_field:
        q |= Q(**{f"{team_field}_id__in": team_ids})
    if team_ids and scope >= Scope.TEAM:
        q |= Q(**{f"{owner_field}_id__in": team_member_ids_of(user)})
    return q


def scope_q(
    user, *, area: str, mode: str = "view", owner_field: str = "owner", team_field: str = "team"
) -> Q | None:
    """The records of `area` that `user` may see (mode="view") or change ("edit"); None means all."""
    return reach_q(
        user, grants_for(user).reaches(area, mode=mode), owner_field=owner_field, team_field=team_field
    )


def scoped(qs: QuerySet, user, *, area: str, mode: str = "view", **fields) -> QuerySet:
    q = scope_q(user, area=area, mode=mode, **fields)
    return qs if q is None else qs.filter(q)
