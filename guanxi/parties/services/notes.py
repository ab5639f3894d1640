"""Notes on a party's timeline. Adding one is audited too: the history says who added which note, when
(the note's first 200 characters); the timeline shows the note itself, not this entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record
from guanxi.parties.models import Party, PartyNote
from guanxi.parties.permissions import Action
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.validation import clean_text

AUDITED_LENGTH = 200


@transaction.atomic
def note_add(*, actor, party: Party, body: str) -> PartyNote:
    if not party_visible(actor=actor).filter(pk=party.pk).exists():
        raise NotFoundError()
    if not grants_for(actor).can(Action.NOTE_ADD):
        raise PermissionDeniedError(_("Your role may read this record but not add notes to it."))
    body = clean_text(body, multiline=True)
    if not body:
        raise ValidationError({"body": _("Write a note first.")})
    if len(body) > 10000:
        raise ValidationError({"body": _("Use at most 10,000 characters.")})
    note = PartyNote.objects.create(party=party, author=actor, body=body)
    text = body if len(body) <= AUDITED_LENGTH else body[: AUDITED_LENGTH - 1] + "…"
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=note, subject=party, changes={"body": [None, text]}
    )
    return note
