"""Sign-in throttling and the sign-in audit trail (policy: docs/adr/0004-login-throttling.md).

Failed sign-ins are counted per account name and per client address. After a few free failures each
further one makes that name or address wait before the next try, twice as long each time, up to a
temporary lock. A try during a wait is refused without checking the password. The same answer is
given whether or not the account exists. Counters are rows in the database, so every web process
sees the same counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guanxi.core.clientinfo import browser_label
from guanxi.core.models import AuditEntry, LoginThrottle, User
from guanxi.core.models.audit import AuditAction


@dataclass(frozen=True)
class Policy:
    free: int  # failures that cost nothing (typos)
    first_wait: dt.timedelta  # the wait after the first failure past `free`; doubles after each further one
    max_wait: dt.timedelta  # the longest wait: the temporary lock


def _policy(kind: str) -> Policy:
    conf = settings.GUANXI_LOGIN_THROTTLE
    return Policy(
        free=conf[f"{kind}_free_failures"],
        first_wait=dt.timedelta(seconds=conf["first_wait_seconds"]),
        max_wait=dt.timedelta(seconds=conf["max_wait_seconds"]),
    )


def _keys(username: str, ip_address: str | None) -> list[tuple[str, str]]:
    keys = [(f"account:{username.strip().casefold()[:150]}", "account")]
    if ip_address:
        keys.append((f"address:{ip_address}", "address"))
    return keys


def _wait_after(failures: int, policy: Policy) -> dt.timedelta:
    past = failures - policy.free
    if past <= 0:
        return dt.timedelta(0)
    return min(policy.first_wait * (2 ** min(past - 1, 30)), policy.max_wait)


def login_wait(*, username: str, ip_address: str | None) -> int:
    """Seconds this account name or address must still wait before a sign-in is checked (0: go ahead)."""
    now = timezone.now()
    until = (
        LoginThrottle.objects.filter(key__in=[k for k, _kind in _keys(username, ip_address)])
        .filter(locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return max(1, int((until - now).total_seconds() + 0.999)) if until else 0


def _count_failure(key: str, policy: Policy, now) -> dt.datetime | None:
    forget = dt.timedelta(seconds=settings.GUANXI_LOGIN_THROTTLE["forget_after_seconds"])
    row, created = LoginThrottle.objects.select_for_update().get_or_create(
        key=key, defaults={"failures": 0, "last_failure_at": now}
    )
    if not created and now - row.last_failure_at > forget:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    wait = _wait_after(row.failures, policy)
    row.locked_until = now + wait if wait else None
    row.save()
    return row.locked_until


def _audit(action: str, *, username: str, ip_address, user_agent: str, user=None, extra=None) -> None:
    user = user or User.objects.filter(username__iexact=username.strip()).first()
    changes = {"ip_address": [None, ip_address], "browser": [None, browser_label(user_agent)]}
    changes.update(extra or {})
    target_id = str(user.pk) if user else ""
    AuditEntry.objects.create(
        actor=user if action in (AuditAction.LOGIN, AuditAction.LOGOUT) else None,
        action=action,
        target_type="core.user",
        target_id=target_id,
        target_repr=(str(user) if user else username.strip())[:200],
        subject_type="core.user",
        subject_id=target_id,
        changes=changes,
    )


@transaction.atomic
def login_failed(*, username: str, ip_address: str | None, user_agent: str = "") -> int:
    """Count a failed sign-in (wrong password, unknown or inactive account) and audit it.
    Returns the seconds to wait before the next try (0: none)."""
    now = timezone.now()
    forget = dt.timedelta(seconds=settings.GUANXI_LOGIN_THROTTLE["forget_after_seconds"])
    LoginThrottle.objects.filter(last_failure_at__lt=now - forget).delete()  # names tried once, long ago
    until = [_count_failure(key, _policy(kind), now) for key, kind in _keys(username, ip_address)]
    wait = max((int((u - now).total_seconds()) for u in until if u), default=0)
    extra = {"wait_seconds": [None, wait]} if wait else None
    _audit(
        AuditAction.LOGIN_FAILED, username=username, ip_address=ip_address, user_agent=user_agent, extra=extra
    )
    return wait


@transaction.atomic
def login_blocked(*, username: str, ip_address: str | None, user_agent: str = "") -> None:
    """Audit a sign-in refused because the account name or address must still wait (not counted again)."""
    _audit(AuditAction.LOGIN_BLOCKED, username=username, ip_address=ip_address, user_agent=user_agent)


@transaction.atomic
def login_succeeded(*, user: User, ip_address: str | None, user_agent: str = "") -> None:
    """A correct password: the account's failures are forgotten (the address's are not: one valid
    account must not let an address try others freely). Audited."""
    LoginThrottle.objects.filter(key=_keys(user.get_username(), None)[0][0]).delete()
    _audit(
        AuditAction.LOGIN,
        username=user.get_username(),
        ip_address=ip_address,
        user_agent=user_agent,
        user=user,
    )


@transaction.atomic
def logout_recorded(*, user: User, ip_address: str | None, user_agent: str = "") -> None:
    _audit(
        AuditAction.LOGOUT,
        username=user.get_username(),
        ip_address=ip_address,
        user_agent=user_agent,
        user=user,
    )


def login_throttle_clear(*, user: User) -> None:
    """Forget the failures of this account (an administrator set a new password for it)."""
    LoginThrottle.objects.filter(key=_keys(user.get_username(), None)[0][0]).delete()
