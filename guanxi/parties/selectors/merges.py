"""Reads for the merge pages: the two parties to compare, what each has, recent merges that can be undone."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.exceptions import NotFoundError
from guanxi.parties.choices import ContactPointKind
from guanxi.parties.models import Party, PartyMerge
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.selectors.party_links import links, party_value


def pair_for_merge(*, actor, a, b) -> tuple[Party, Party]:
    """The two parties named by id, both ones the user may change; NotFoundError otherwise."""
    pks = [int(a), int(b)]
    found = {
        p.pk: p
        for p in party_visible(actor=actor, mode="edit")
        .filter(pk__in=pks, merged_into=None)
        .select_related("owner", "team")
        .prefetch_related("identifiers", "contact_points", "addresses", "tags")
    }
    if len(found) != 2 or pks[0] == pks[1]:
        raise NotFoundError()
    return found[pks[0]], found[pks[1]]


def _points(party: Party, kind: str) -> str:
    return ", ".join(c.value for c in party.contact_points.all() if c.kind == kind)


def _role(party: Party) -> str:
    roles = []
    if party.is_customer:
        roles.append("{} · {}".format(_("Customer"), party.get_customer_status_display()))
    if party.is_supplier:
        roles.append("{} · {}".format(_("Supplier"), party.get_supplier_status_display()))
    return ", ".join(roles)


def _records(party: Party) -> dict[str, int]:
    """How many records of each kind point at the party: what a merge moves."""
    counts: dict[str, int] = {}
    for model, attname, extra in links():
        if model._meta.auto_created:  # a many-to-many table: its rows show as the tags row above
            continue
        n = model._base_manager.filter(**{attname: party_value(model, attname, party.pk)}, **extra).count()
        if n:
            label = str(model._meta.verbose_name_plural).capitalize()
            counts[label] = counts.get(label, 0) + n
    return counts


def compare_rows(first: Party, second: Party) -> list[tuple[str, str, str]]:
    """(label, first's value, second's value) for the side-by-side page."""
    rows = []
    for label, get in (
        (_("Name"), lambda p: p.name),
        (_("Legal name"), lambda p: p.legal_name),
        (_("Roles"), _role),
        (_("Owner"), lambda p: str(p.owner or "")),
        (_("Team"), lambda p: str(p.team or "")),
        (_("Identifiers"), lambda p: ", ".join(str(i) for i in p.identifiers.all())),
        (_("Phones"), lambda p: _points(p, ContactPointKind.PHONE)),
        (_("Emails"), lambda p: _points(p, ContactPointKind.EMAIL)),
        (_("Website"), lambda p: p.website),
        (_("Invoice title"), lambda p: p.invoice_title),
        (_("Invoice tax number"), lambda p: p.invoice_tax_number),
        (
            _("Bank account"),
            lambda p: " ".join(x for x in (p.invoice_bank_name, p.invoice_bank_account) if x),
        ),
        (_("Addresses"), lambda p: "; ".join(str(a) for a in p.addresses.all())),
        (_("Tags"), lambda p: ", ".join(t.name for t in p.tags.all())),
        (_("Created"), lambda p: timezone.localtime(p.created_at).strftime("%Y-%m-%d")),
    ):
        rows.append((str(label), get(first), get(second)))
    a, b = _records(first), _records(second)
    for label in sorted(set(a) | set(b)):
        rows.append((label, str(a.get(label, 0)), str(b.get(label, 0))))
    return rows


def merge_list(*, actor) -> QuerySet[PartyMerge]:
    """Merges whose kept party the user may change (its history and undo)."""
    kept = party_visible(actor=actor, mode="edit").values("pk")
    return PartyMerge.objects.filter(kept__in=kept).select_related("kept", "merged", "merged_by")


def recent_merges(*, actor, limit: int = 50) -> list[PartyMerge]:
    """Merges of the last PartyMerge.UNDO_DAYS days not undone: what can still be undone."""
    since = timezone.now() - timedelta(days=PartyMerge.UNDO_DAYS)
    return list(merge_list(actor=actor).filter(merged_at__gte=since, undone_at=None)[:limit])


def merges_of(*, actor, party: Party) -> list[PartyMerge]:
    """For the party's page: the merge that folded it into another one, or the recent merges into it that
    can still be undone, as far as the user may see them."""
    since = timezone.now() - timedelta(days=PartyMerge.UNDO_DAYS)
    mine = merge_list(actor=actor).filter(undone_at=None)
    if party.merged_into_id is not None:
        return list(mine.filter(merged=party, merged_at__gte=since)[:1])
    return list(mine.filter(kept=party, merged_at__gte=since)[:5])


def merge_candidates(*, actor, party: Party, q: str = "", limit: int = 20) -> list[Party]:
    """Parties `party` could be merged with: those that look like it (guanxi.parties.selectors.duplicates), or
    those matching what the user typed; of the same kind, not merged, and that the user may change."""
    from guanxi.parties.selectors.duplicates import find_duplicates
    from guanxi.parties.selectors.parties import apply_search

    editable = (
        party_visible(actor=actor, mode="edit").filter(kind=party.kind, merged_into=None).exclude(pk=party.pk)
    )
    if q:
        return list(apply_search(editable, q).select_related("owner")[:limit])
    points = list(party.contact_points.all())
    hits = find_duplicates(
        actor=actor,
        name=party.name,
        identifiers=[i.value for i in party.identifiers.all()],
        emails=[c.normalized for c in points if c.kind == ContactPointKind.EMAIL],
        phones_e164=[c.number for c in points if c.kind == ContactPointKind.PHONE and c.number],
        kind=party.kind,
        exclude_pk=party.pk,
        limit=limit,
    )
    ids = [h.party.pk for h in hits]
    found = {p.pk: p for p in editable.filter(pk__in=ids).select_related("owner")}
    return [found[pk] for pk in ids if pk in found]
