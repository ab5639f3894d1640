"""Notes on a party's timeline. Adding one is audited too: the history says who added which note, when
(the note's first 200 characters); the timeline shows the note itself, not this entry.

"@username" in a note tells that colleague (event type "note.mention", guanxi.parties.registry), if they
may see the party: core's notify() leaves out whoever may not.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record
from guanxi.core.services.notifications import notify
from guanxi.parties.models import Party, PartyNote
from guanxi.parties.permissions import Action
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.validation import clean_text

AUDITED_LENGTH = 200
MENTIONED_LENGTH = 500  # of the note, in the notification
MAX_MENTIONS = 20
# "@wang", not the "@example" of "bob@example.com". A name runs to the first character that a user name
# cannot hold; "请@wang看一下" also tries "wang" alone (Latin letters up to the first Chinese character).
MENTION = re.compile(r"(?<![A-Za-z0-9_.@+-])@([\w.@+-]+)")
LATIN_NAME = re.compile(r"[A-Za-z0-9_.@+-]+")


def mentioned_users(body: str) -> list[User]:
    """The active users whose user names follow an "@" in `body` (case-insensitive), at most MAX_MENTIONS."""
    names: set[str] = set()
    for match in MENTION.finditer(body):
        word = match.group(1)
        latin = LATIN_NAME.match(word)
        for name in {word, latin.group(0) if latin else ""}:
            if name.rstrip("."):
                names.add(name.rstrip(".").casefold())
        if len(names) >= 2 * MAX_MENTIONS:
            break
    if not names:
        return []
    match_any = Q()
    for name in sorted(names):
        match_any |= Q(username__iexact=name)
    return list(User.objects.filter(match_any, is_active=True).order_by("username")[:MAX_MENTIONS])


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
    _notify_mentioned(actor=actor, party=party, body=body)
    return note


def _notify_mentioned(*, actor, party: Party, body: str) -> None:
    users = mentioned_users(body)
    if not users:
        return
    author, name = str(actor), party.name
    excerpt = body if len(body) <= MENTIONED_LENGTH else body[: MENTIONED_LENGTH - 1] + "…"
    notify(
        event="note.mention",
        recipients=users,
        subject_obj=party,
        actor=actor,
        title=lambda: (
            _("%(author)s mentioned you in a note on %(party)s") % {"author": author, "party": name}
        ),
        body=excerpt,
        url=f"{party.get_absolute_url()}?tab=timeline",
    )
