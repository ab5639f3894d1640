"""Test data made the way users make it: through the services."""

from __future__ import annotations

import itertools

from guanxi.core.models import Team, TeamMembership, User
from guanxi.core.services.roles import roles_sync_shipped

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(
    username: str | None = None,
    *,
    roles: list[str] | None = None,
    teams: list[Team] | None = None,
    manager_of: list[Team] | None = None,
    superuser: bool = False,
    language: str = "",
) -> User:
    roles_sync_shipped()  # a transactional test flushed the seeded rows
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
