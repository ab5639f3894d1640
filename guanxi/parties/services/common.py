"""What every party service needs: the one "may change this party" rule, locking, default team, phone region."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.roles import grants_for
from guanxi.core.selectors.users import team_ids_of
from guanxi.parties.models import Party
from guanxi.parties.permissions import Action
from guanxi.parties.selectors.visibility import party_scope_q


def can_change(actor, party: Party) -> bool:
    """May `actor` change `party`: the party.change action and an edit scope that reaches the party."""
    if not grants_for(actor).can(Action.PARTY_CHANGE):
        return False
    q = party_scope_q(actor, mode="edit")
    return q is None or Party.objects.filter(q, pk=party.pk).exists()


def require_change(actor, party: Party) -> None:
    """Refuse (403) unless `actor` may change `party`. Every path that changes a party goes through here."""
    if not grants_for(actor).can(Action.PARTY_CHANGE):
        raise PermissionDeniedError()
    if not can_change(actor, party):
        raise PermissionDeniedError(_("You may see this record but not change it."))


def lock_party(party: Party, version: int | None, *, required: bool = True) -> Party:
    """The current row, locked for this transaction. `version` is what the user saw: a stale one is a
    ConflictError (409). Edits must send it (last write must not silently win); archive does not."""
    if required and version is None:
        raise ValidationError({"version": _("Reload the record and try again: the version is missing.")})
    current = Party.objects.select_for_update().get(pk=party.pk)
    if version is not None:
        try:
            seen = int(version)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"version": _("Reload the record and try again.")}) from exc
        if current.version != seen:
            raise ConflictError()
    return current


def default_team_id(user: User | None) -> int | None:
    """The team a record owned by `user` belongs to: the user's first team (memberships in the order they
    were made; read once per request and shared with the record rules)."""
    if user is None:
        return None
    team_ids = team_ids_of(user)
    return team_ids[0] if team_ids else None


def phone_region(country: str | None) -> str:
    """The region to read national phone numbers in: the party's country when it is a real one, else CN."""
    country = (country or "").upper()
    return country if country in phonenumbers.SUPPORTED_REGIONS else "CN"
