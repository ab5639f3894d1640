"""Supplier role requests as a user reaches them: the ones they asked, the ones about a company they hold, and
every one for an administrator."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guanxi.core.exceptions import NotFoundError
from guanxi.core.models import User
from guanxi.suppliers.models import RoleRequestState, SupplierRoleRequest


def administrators() -> QuerySet[User]:
    """Active users with every right (an all-access role, or superusers): they decide when no owner can."""
    return (
        User.objects.filter(is_active=True, groups__role__all_access=True)
        | User.objects.filter(is_active=True, is_superuser=True)
    ).distinct()


def _is_admin(actor) -> bool:
    uid = getattr(actor, "pk", None)
    return uid is not None and administrators().filter(pk=uid).exists()


def role_requests_visible(*, actor) -> QuerySet[SupplierRoleRequest]:
    qs = SupplierRoleRequest.objects.select_related("party", "party__owner", "requested_by", "decided_by")
    if _is_admin(actor):
        return qs
    uid = getattr(actor, "pk", None)
    return qs.filter(Q(requested_by_id=uid) | Q(party__owner_id=uid)) if uid else qs.none()


def role_request_get(*, actor, pk) -> SupplierRoleRequest:
    try:
        row = role_requests_visible(actor=actor).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise NotFoundError()
    return row


def role_requests_waiting_for(*, actor) -> list[SupplierRoleRequest]:
    """What waits for the user's consent (as the company's owner, or as an administrator)."""
    qs = role_requests_visible(actor=actor).filter(state=RoleRequestState.PENDING)
    if not _is_admin(actor):
        qs = qs.filter(party__owner_id=getattr(actor, "pk", None))
    return list(qs[:100])


def role_requests_asked_by(*, actor) -> list[SupplierRoleRequest]:
    return list(role_requests_visible(actor=actor).filter(requested_by_id=getattr(actor, "pk", None))[:100])
