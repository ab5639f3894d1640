from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import ApiToken, AuditEntry, AuditLink, Team, TeamMembership, User
from guanxi.core.roles import Action, grants_for


def user_list(*, actor) -> QuerySet[User]:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()
    return User.objects.prefetch_related("groups", Prefetch("teams", queryset=Team.objects.order_by("name")))


def team_list(*, actor) -> QuerySet[Team]:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()
    return Team.objects.prefetch_related("memberships__user").annotate(
        webhook_count=Count("messenger_webhooks", distinct=True)
    )


def assignable_users() -> QuerySet[User]:
    """Users a record can be assigned to (owner pickers)."""
    return User.objects.filter(is_active=True).order_by("username")


def team_ids_of(user) -> list[int]:
    cached = getattr(user, "_guanxi_team_ids", None)
    if cached is None:
        cached = (
            list(user.memberships.order_by("id").values_list("team_id", flat=True))
            if user.is_authenticated
            else []
        )
        user._guanxi_team_ids = cached
    return cached


def team_member_ids_of(user) -> list[int]:
    """The users of the user's teams (the user included), read once per request like team_ids_of: record rules
    filter `owner_id IN (…ids)`, which PostgreSQL answers from the owner index, where a subquery made it read
    every row of a large table (bench: a manager's receivables over 300k orders, 1.3 s → 0.3 s)."""
    cached = getattr(user, "_guanxi_team_member_ids", None)
    if cached is None:
        teams = team_ids_of(user)
        cached = (
            sorted(set(TeamMembership.objects.filter(team_id__in=teams).values_list("user_id", flat=True)))
            if teams
            else []
        )
        user._guanxi_team_member_ids = cached
    return cached


def token_list(*, actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)


def token_list_all(*, actor) -> QuerySet[ApiToken]:
    """Every user's tokens, for administrators (Settings → API tokens)."""
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()
    return ApiToken.objects.select_related("user").order_by("-created_at", "-id")


def history_for(*, subject_type: str, subject_id) -> QuerySet[AuditEntry]:
    """The entries about one record: those whose subject it is, and those that name it too (AuditLink)."""
    own = AuditEntry.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).values("pk")
    linked = AuditLink.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).values(
        "entry_id"
    )
    return AuditEntry.objects.filter(pk__in=own.order_by().union(linked.order_by())).select_related("actor")


def users_with_action(action: str) -> QuerySet[User]:
    """Active users whose roles grant `action` (administrators included), by username: who a form may offer
    for work that needs it (an opportunity's team members)."""
    from django.db.models import Q

    from guanxi.core.models import Role

    codes = [
        code
        for code, all_access, actions in Role.objects.values_list("code", "all_access", "actions")
        if all_access or action in actions
    ]
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=codes))
        .distinct()
        .order_by("username")
    )
