"""Bulk actions on selected parties: tag, assign owner, archive. Only rows the actor may edit are touched."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_records_bulk
from guanxi.parties.models import Party, Tag
from guanxi.parties.permissions import Action
from guanxi.parties.selectors.visibility import may_own, party_scope_q
from guanxi.parties.services.common import default_team_id

MAX_BULK = 1000


def _editable_ids(actor, ids: list[int]) -> list[int]:
    q = party_scope_q(actor, mode="edit")
    qs = Party.objects.filter(pk__in=ids)
    if q is not None:
        qs = qs.filter(q)
    return list(qs.values_list("id", flat=True))


@transaction.atomic
def parties_bulk_tag(*, actor, ids: list[int], tag: Tag) -> int:
    if not grants_for(actor).can(Action.PARTY_CHANGE):
        raise PermissionDeniedError()
    editable = _editable_ids(actor, ids[:MAX_BULK])
    through = Party.tags.through
    existing = set(through.objects.filter(tag=tag, party_id__in=editable).values_list("party_id", flat=True))
    new = [pid for pid in editable if pid not in existing]
    through.objects.bulk_create(through(party_id=pid, tag=tag) for pid in new)
    Party.objects.filter(pk__in=new).update(version=F("version") + 1, updated_at=timezone.now())
    audit_records_bulk(
        actor=actor,
        action=AuditAction.UPDATE,
        targets=Party.objects.filter(pk__in=new).only("id", "name"),
        changes={"tags": [None, tag.name]},
    )
    return len(new)


@transaction.atomic
def parties_bulk_assign(*, actor, ids: list[int], owner: User) -> int:
    if not grants_for(actor).can(Action.PARTY_CHANGE):
        raise PermissionDeniedError()
    if not owner.is_active:
        raise ValidationError({"owner": _("Choose an active user.")})
    editable = _editable_ids(actor, ids[:MAX_BULK])
    # Only parties the new owner may hold (a customer handed to a Buyer would be orphaned): the rest
    # are left as they are and counted as skipped.
    editable = [
        pid
        for pid, c, s in Party.objects.filter(pk__in=editable).values_list("pk", "is_customer", "is_supplier")
        if may_own(owner, is_customer=c, is_supplier=s)
    ]
    targets = list(
        Party.objects.filter(pk__in=editable)
        .exclude(owner=owner)
        .select_related("owner")
        .only("id", "name", "owner__username", "owner__first_name", "owner__last_name")
    )
    team_id = default_team_id(owner)
    Party.objects.filter(pk__in=[p.pk for p in targets]).update(
        owner=owner, team_id=team_id, version=F("version") + 1, updated_at=timezone.now()
    )
    audit_records_bulk(
        actor=actor,
        action=AuditAction.UPDATE,
        targets=targets,
        changes=lambda p: {"owner": [str(p.owner) if p.owner else None, str(owner)]},
    )
    return len(targets)


@transaction.atomic
def parties_bulk_archive(*, actor, ids: list[int]) -> int:
    if not grants_for(actor).can(Action.PARTY_ARCHIVE):
        raise PermissionDeniedError()
    editable = _editable_ids(actor, ids[:MAX_BULK])
    targets = list(Party.objects.filter(pk__in=editable, archived_at=None).only("id", "name"))
    Party.objects.filter(pk__in=[p.pk for p in targets]).update(
        archived_at=timezone.now(), version=F("version") + 1, updated_at=timezone.now()
    )
    audit_records_bulk(
        actor=actor, action=AuditAction.ARCHIVE, targets=targets, changes={"archived": [False, True]}
    )
    return len(targets)
