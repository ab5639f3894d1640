"""Test data made the way users make it: through the services."""

from __future__ import annotations

import itertools

from guanxi.core.models import Team, TeamMembership, User
from guanxi.core.services.roles import roles_sync_shipped

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def _shipped_roles_present() -> None:
    """The shipped roles are there: seeded by `migrate`, and again by the post_migrate step after a
    transactional test's flush. Synced here only when they are not all there: a sync is some twenty queries,
    and it ran for every user a test made (a fifth of the time of the page tests)."""
    from guanxi.core.models import Role
    from guanxi.core.roles import SHIPPED_LABELS

    if Role.objects.filter(shipped=True, code__in=list(SHIPPED_LABELS)).count() < len(SHIPPED_LABELS):
        roles_sync_shipped()


def make_user(
    username: str | None = None,
    *,
    roles: list[str] | None = None,
    teams: list[Team] | None = None,
    manager_of: list[Team] | None = None,
    superuser: bool = False,
    language: str = "",
) -> User:
    _shipped_roles_present()
    from django.contrib.auth.models import Group

    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.com",
        is_superuser=superuser,
        is_staff=superuser,
        language=language,
    )
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    for t in teams or []:
        TeamMembership.objects.get_or_create(team=t, user=user)
    for t in manager_of or []:
        TeamMembership.objects.update_or_create(team=t, user=user, defaults={"is_manager": True})
    return user


def make_company(actor=None, **data):
    """One of our companies, made through the service (by a new administrator unless `actor` is given)."""
    from guanxi.core.services.companies import company_create

    if actor is None:
        actor = User.objects.filter(is_superuser=True).first() or make_user(superuser=True)
    data.setdefault("name_zh", f"测试公司{next(_seq)}")
    return company_create(actor=actor, data=data)
