"""Reads of pools (公海): which pools a user works with, what is in them, and which held customers the recycle
rules reach (the scheduled job and its warnings ask this, in SQL, for any number of customers)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from guanxi.activities.selectors.activities import activity_since_q
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.roles import Scope, grants_for
from guanxi.core.selectors.users import team_ids_of
from guanxi.crm.choices import OpportunityState, OrderState
from guanxi.crm.models import Opportunity, Pool, PoolClaim, PoolEntry, PoolLevelRule, PoolReason, SalesOrder
from guanxi.crm.permissions import AREA, Action
from guanxi.parties.models import Party


def require_pool_user(actor) -> None:
    g = grants_for(actor)
    if not (g.can(Action.POOL_CLAIM) or g.can(Action.POOL_ASSIGN)):
        raise PermissionDeniedError()


def pools_of(actor) -> QuerySet[Pool]:
    """The pools in use that `actor` works with: those of the actor's teams and the pools without teams (for
    everyone); all of them for a role whose customers scope is "all"."""
    require_pool_user(actor)
    qs = Pool.objects.filter(archived_at__isnull=True)
    if grants_for(actor).reaches(AREA, mode="view") >= Scope.ALL:
        return qs
    return qs.filter(Q(teams__isnull=True) | Q(teams__in=team_ids_of(actor))).distinct()


def pool_get(*, actor, pk) -> Pool:
    try:
        return pools_of(actor).get(pk=int(pk))
    except (Pool.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError() from exc


def entries_of(*, actor, pool: Pool, q: str = "") -> QuerySet[PoolEntry]:
    """The customers in a pool, newest first: name, city, industry and why they came back are shown to those
    who may claim them; the party's own page opens once claimed."""
    # A merged customer lives on in another one: its entry waits for an undo, and is never handed out.
    qs = PoolEntry.objects.filter(pool=pool, party__merged_into=None).select_related(
        "party", "previous_owner"
    )
    if q:
        qs = qs.filter(party__name__icontains=q)
    return qs.order_by("-entered_at", "-id")


def entry_get(*, actor, pk) -> PoolEntry:
    try:
        entry = PoolEntry.objects.select_related("pool", "party").get(pk=int(pk), party__merged_into=None)
    except (PoolEntry.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("This customer is no longer in the pool: someone took it first.")) from exc
    if not pools_of(actor).filter(pk=entry.pool_id).exists():
        raise NotFoundError()
    return entry


def held_customers(pool: Pool) -> QuerySet[Party]:
    """Customers held by someone whose team belongs to `pool` (for a pool without teams: customers whose team
    is in no pool)."""
    qs = Party.objects.filter(is_customer=True, archived_at__isnull=True, owner__isnull=False)
    team_ids = list(pool.teams.values_list("pk", flat=True))
    if team_ids:
        return qs.filter(team_id__in=team_ids)
    pooled = Pool.objects.filter(archived_at__isnull=True).exclude(teams=None).values("teams")
    return qs.exclude(team_id__in=pooled)


def _open_opportunity() -> Exists:
    return Exists(Opportunity.objects.filter(customer=OuterRef("pk"), state=OpportunityState.OPEN))


def due_for_return(pool: Pool, *, on: dt.datetime) -> list[tuple[PoolReason, QuerySet[Party]]]:
    """(reason, customers) that the pool's rules send back at instant `on`: held since before the rule's cutoff
    (created and last claimed before it) and without what the rule asks for since then. Customers of a level
    with rules of its own (PoolLevelRule) follow those: never returned, or other numbers of days (an empty
    number: the pool's); the others follow the pool's. A reason may come more than once (one per level)."""
    out = []
    base = held_customers(pool)
    if pool.exempt_open_opportunity:
        base = base.exclude(_open_opportunity())
    if pool.exempt_open_order:
        base = base.exclude(
            Exists(
                SalesOrder.objects.filter(
                    customer=OuterRef("pk"),
                    state__in=[OrderState.CONFIRMED, OrderState.PARTIAL, OrderState.DELIVERED],
                )
            )
        )
    levels = list(pool.level_rules.all())
    own = [r.level for r in levels]
    groups: list[tuple[Pool | PoolLevelRule, QuerySet[Party]]] = [
        (pool, base.exclude(customer_account__level__in=own) if own else base)
    ]
    groups += [(r, base.filter(customer_account__level=r.level)) for r in levels if not r.never]
    for reason, field in (
        (PoolReason.NO_ACTIVITY, "no_activity_days"),
        (PoolReason.NO_OPPORTUNITY, "no_opportunity_days"),
        (PoolReason.NOT_WON, "not_won_days"),
    ):
        for rules, customers in groups:
            days = getattr(rules, field) or getattr(pool, field)
            if days:
                out.append((reason, _due(customers, reason, on - dt.timedelta(days=days))))
    return out


def _due(customers: QuerySet[Party], reason: str, cutoff: dt.datetime) -> QuerySet[Party]:
    qs = customers.filter(created_at__lt=cutoff).exclude(
        Exists(PoolClaim.objects.filter(party=OuterRef("pk"), at__gte=cutoff))
    )
    if reason == PoolReason.NO_ACTIVITY:
        return qs.exclude(activity_since_q(record_type="parties.party", since=cutoff))
    if reason == PoolReason.NO_OPPORTUNITY:
        return qs.exclude(_open_opportunity()).exclude(
            Exists(Opportunity.objects.filter(customer=OuterRef("pk"), created_at__gte=cutoff))
        )
    return qs.exclude(
        Exists(
            Opportunity.objects.filter(
                customer=OuterRef("pk"), state=OpportunityState.WON, closed_on__gte=cutoff.date()
            )
        )
    )


def held_count(owner: User) -> int:
    """How many customers `owner` holds (the pool's cap counts these)."""
    return Party.objects.filter(owner=owner, is_customer=True, archived_at__isnull=True).count()
