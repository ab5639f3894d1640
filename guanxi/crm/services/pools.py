"""Writes of pools (公海): set up a pool; release one's customer into it; claim (领取) within the cap and the
cool-down; assign (分配) as a manager; and the scheduled job that warns owners and returns customers (回收)
by the pool's rules. Each change is one transaction with its audit entry on the customer; the unique pool
entry and conditional updates make two workers (or two reps at the same moment) do each thing once."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import Team, User
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record, diff, snapshot
from guanxi.core.services.money import lock
from guanxi.crm.choices import CustomerLevel
from guanxi.crm.models import Pool, PoolClaim, PoolEntry, PoolLevelRule, PoolReason, PoolWarning
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import pools as sel
from guanxi.crm.services.cleaning import in_edit_scope
from guanxi.crm.services.pipelines import _names, _number
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import party_get
from guanxi.parties.services.common import default_team_id, require_change
from guanxi.parties.services.holders import party_set_holder

log = logging.getLogger(__name__)
FIELDS = [
    "name_en", "name_zh", "no_activity_days", "no_opportunity_days", "not_won_days", "exempt_open_opportunity",
    "exempt_open_order", "warn_days", "max_per_rep", "cooldown_days",
]  # fmt: skip


def require_assigner(actor) -> None:
    if not grants_for(actor).can(Action.POOL_ASSIGN):
        raise PermissionDeniedError()


@transaction.atomic
def pool_save(*, actor, pool: Pool | None, data: dict, version: Any = None) -> Pool:
    require_assigner(actor)
    p = lock(Pool, pool, version) if pool is not None else Pool()
    before = (
        {
            **snapshot(p, FIELDS),
            "teams": sorted(t.name for t in p.teams.all()),
            "level_rules": _levels_audited(p),
        }
        if pool
        else {}
    )
    errors: dict = {}
    _names(errors, data, p)
    for field, high in (
        ("no_activity_days", 3650),
        ("no_opportunity_days", 3650),
        ("not_won_days", 3650),
        ("max_per_rep", 100_000),
    ):
        if field in data:
            value = data[field]
            setattr(
                p, field, None if value in (None, "") else _number(errors, field, value, low=1, high=high)
            )
    for field, low, high in (("warn_days", 0, 365), ("cooldown_days", 0, 3650)):
        if data.get(field) not in (None, ""):
            n = _number(errors, field, data[field], low=low, high=high)
            setattr(p, field, n if n is not None else getattr(p, field))
    for flag in ("exempt_open_opportunity", "exempt_open_order"):
        if flag in data:
            setattr(p, flag, bool(data[flag]))
    levels = _level_rules(errors, data["level_rules"]) if data.get("level_rules") is not None else None
    teams = None
    if "teams" in data:
        ids = [int(t.pk if isinstance(t, Team) else t) for t in data["teams"] or []]
        teams = list(Team.objects.filter(pk__in=ids))
        if len(teams) != len(set(ids)):
            errors["teams"] = _("Choose teams from the list.")
    if errors:
        raise ValidationError(errors)
    if pool is not None:
        p.version += 1
    p.save()
    if teams is not None:
        p.teams.set(teams)
    if levels is not None:
        p.level_rules.all().delete()
        PoolLevelRule.objects.bulk_create(PoolLevelRule(pool=p, **rule) for rule in levels)
    after = {
        **snapshot(p, FIELDS),
        "teams": sorted(t.name for t in p.teams.all()),
        "level_rules": _levels_audited(p),
    }
    changes = diff(before, after)
    if changes:
        audit_record(
            actor=actor, action=AuditAction.UPDATE if pool else AuditAction.CREATE, target=p, changes=changes
        )
    return p


LEVEL_DAYS = ("no_activity_days", "no_opportunity_days", "not_won_days")


def _level_rules(errors: dict, rows) -> list[dict]:
    """[{level, never, no_activity_days, …}] checked: a level once; numbers 1–3650 or empty (the pool's rule);
    a row that says nothing (not never, no number) is dropped."""
    out: list[dict] = []
    seen: set[str] = set()
    for i, row in enumerate(rows or []):
        level = str(row.get("level") or "")
        if level not in CustomerLevel.values or level in seen:
            errors[f"level_rules[{i}]"] = _("Choose each customer level once.")
            continue
        seen.add(level)
        rule: dict[str, Any] = {"level": level, "never": bool(row.get("never"))}
        for field in LEVEL_DAYS:
            value = row.get(field)
            rule[field] = (
                None if value in (None, "") else _number(errors, f"level_rules[{i}]", value, low=1, high=3650)
            )
        if rule["never"] or any(rule[f] for f in LEVEL_DAYS):
            out.append(rule)
    return out


def _levels_audited(pool: Pool) -> list[dict]:
    """The level rules as the history keeps them: codes and numbers ({"level": "b", "never": False,
    "no_activity_days": 90, …}), read in the reader's language when shown (guanxi.crm.audit_display)."""
    if pool.pk is None:
        return []
    return [
        {"level": r.level, "never": r.never, **{f: getattr(r, f) for f in LEVEL_DAYS}}
        for r in pool.level_rules.order_by("level")
    ]


def pool_for(party: Party) -> Pool | None:
    """The pool a customer of this team returns to: its team's pool, else a pool without teams."""
    pools = Pool.objects.filter(archived_at__isnull=True)
    return (pools.filter(teams=party.team_id).first() if party.team_id else None) or pools.filter(
        teams=None
    ).first()


def _enter(actor, party: Party, pool: Pool, reason: str) -> PoolEntry | None:
    """Put a held customer in `pool`: None when it is in a pool already (another worker, another click)."""
    previous = party.owner
    try:
        with transaction.atomic():
            entry = PoolEntry.objects.create(party=party, pool=pool, reason=reason, previous_owner=previous)
    except IntegrityError:
        return None
    party_set_holder(actor=actor, party=party, owner=None, reason=str(PoolReason(reason).label))
    PoolWarning.objects.filter(party=party).delete()
    return entry


@transaction.atomic
def customer_release(*, actor, party: Party, pool: Pool | None = None) -> PoolEntry:
    """The owner (or a manager) puts a customer into the pool (放入公海)."""
    if not grants_for(actor).can(Action.POOL_CLAIM) and not grants_for(actor).can(Action.POOL_ASSIGN):
        raise PermissionDeniedError()
    party = party_get(actor=actor, pk=party.pk, mode="edit")
    require_change(actor, party)
    if party.owner_id != actor.pk and not grants_for(actor).can(Action.POOL_ASSIGN):
        # A rep releases their own customers; a teammate's would be theirs to claim at once otherwise.
        raise PermissionDeniedError(_("Only its owner or a manager puts a customer in the pool."))
    if party.archived_at:
        raise ValidationError({"party": _("This customer is archived: restore it first.")})
    if not party.is_customer or party.owner_id is None:
        raise ValidationError({"party": _("Only a customer that someone holds can go into a pool.")})
    pool = pool or pool_for(party)
    if pool is None:
        raise ValidationError({"pool": _("There is no pool for this customer's team yet.")})
    entry = _enter(actor, party, pool, PoolReason.RELEASED if party.owner_id == actor.pk else PoolReason.PUT)
    if entry is None:
        raise ValidationError({"party": _("This customer is in a pool already.")})
    return entry


def _take(actor, entry_pk, owner: User, *, assigned: bool) -> Party:
    try:
        entry = PoolEntry.objects.select_for_update().select_related("pool").get(pk=entry_pk)
    except PoolEntry.DoesNotExist as exc:
        raise ValidationError(
            {"entry": _("This customer is no longer in the pool: someone took it first.")}
        ) from exc
    party = Party.objects.select_for_update().get(pk=entry.party_id)
    pool = entry.pool
    if not assigned:
        if pool.max_per_rep and sel.held_count(owner) >= pool.max_per_rep:
            raise ValidationError(
                {
                    "entry": _(
                        "You hold %(n)d customers already, the most this pool allows. Release one first."
                    )
                    % {"n": pool.max_per_rep}
                }
            )
        cooldown_until = entry.entered_at + dt.timedelta(days=pool.cooldown_days)
        if entry.previous_owner_id == owner.pk and timezone.now() < cooldown_until:
            raise ValidationError(
                {"entry": _("You held this customer until it came back to the pool: you may claim it again from %(date)s.")
                 % {"date": timezone.localtime(cooldown_until).date().isoformat()}}
            )  # fmt: skip
    entry.delete()
    party_set_holder(
        actor=actor,
        party=party,
        owner=owner,
        reason=_("Assigned from the pool") if assigned else _("Claimed from the pool"),
    )
    PoolClaim.objects.create(party=party, owner=owner, assigned=assigned)
    return party


@transaction.atomic
def pool_claim(*, actor, entry: PoolEntry) -> Party:
    """A rep takes a customer from one of their pools (领取). Two reps at the same moment: the first wins, the
    second is told someone took it (the entry row is locked, then gone)."""
    if not grants_for(actor).can(Action.POOL_CLAIM):
        raise PermissionDeniedError()
    sel.entry_get(actor=actor, pk=entry.pk)
    return _take(actor, entry.pk, actor, assigned=False)


@transaction.atomic
def pool_assign(*, actor, entry: PoolEntry, owner: User) -> Party:
    """A manager gives a pool customer to a rep their scope reaches (分配); the cap and cool-down are the reps'
    rules for claiming, not the manager's."""
    require_assigner(actor)
    sel.entry_get(actor=actor, pk=entry.pk)
    if not owner.is_active or not in_edit_scope(actor, owner=owner, team_id=default_team_id(owner)):
        raise ValidationError({"owner": _("Choose someone in your team.")})
    return _take(actor, entry.pk, owner, assigned=True)


def pools_recycle(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """The scheduled job: return the customers that the pools' rules reach (回收), each once even with two workers
    running (the unique pool entry), and tell their former owners. Returns how many came back."""
    from guanxi.crm.hooks import tell_recycled

    now = now or timezone.now()
    done = 0
    for pool in Pool.objects.filter(archived_at__isnull=True):
        for reason, qs in sel.due_for_return(pool, on=now):
            while True:
                ids = list(qs.order_by("pk").values_list("pk", flat=True)[:batch])
                if not ids:
                    break
                moved = 0
                for party in Party.objects.filter(pk__in=ids).select_related("owner"):
                    with transaction.atomic():
                        owner = party.owner
                        if _enter(None, party, pool, reason) is not None:
                            moved += 1
                            if owner is not None:
                                transaction.on_commit(partial(tell_recycled, party, owner, reason))
                done += moved
                if moved == 0:
                    break  # what is left was taken by another worker meanwhile
    return done


def pools_warn(*, now: dt.datetime | None = None) -> int:
    """Warn owners of customers that return to the pool within the pool's warn_days (once per period)."""
    from guanxi.crm.hooks import tell_warned

    now = now or timezone.now()
    warned = 0
    for pool in Pool.objects.filter(archived_at__isnull=True, warn_days__gt=0):
        ahead = now + dt.timedelta(days=pool.warn_days)
        due_now = set()
        for _reason, qs in sel.due_for_return(pool, on=now):
            due_now |= set(qs.values_list("pk", flat=True))
        for reason, qs in sel.due_for_return(pool, on=ahead):
            for party in qs.exclude(pk__in=due_now).select_related("owner")[:5000]:
                stale_before = now - dt.timedelta(days=pool.warn_days + 1)
                if _warn_once(party, stale_before, now):
                    warned += 1
                    transaction.on_commit(partial(tell_warned, party, party.owner, ahead, reason))
    return warned


def _warn_once(party: Party, stale_before: dt.datetime, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            PoolWarning.objects.create(party=party, due_on=now.date())
        return True
    except IntegrityError:
        return bool(PoolWarning.objects.filter(party=party, at__lt=stale_before).update(at=now))
