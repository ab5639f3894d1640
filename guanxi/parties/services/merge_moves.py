"""Moving every row that points at one party to another, and back: the mechanics of a merge.

Whatever points at a party is found, not listed: every foreign key to Party in every installed model
(contacts, addresses, notes, tags, leads, opportunities, quotes, orders, receivables, and whatever a later
app adds), and every reference by type and id that a block registered (activities, attachments:
guanxi.core.record_refs). A row the kept party already has its own copy of (the same tag, the same unified
social credit code) cannot move: it stays with the merged party and is counted.
"""

from __future__ import annotations

from django.apps import apps
from django.db import IntegrityError, transaction

from guanxi.parties.models import Address, ContactPoint, Party, PartyIdentifier
from guanxi.parties.selectors.party_links import links, party_value

CHUNK = 500
# Rows the kept party may already have a copy of: such a copy is not moved (it stays with the merged party).
TWINS = {ContactPoint: ("kind", "normalized"), PartyIdentifier: ("scheme", "country", "value")}
# Rows marked primary (of their kind): the kept party keeps its own primary ones.
PRIMARY = {ContactPoint: "kind", Address: None}


def _update(model, attname: str, pks: list[int], source, target) -> list[int]:
    """Point the rows `pks` from `source` to `target`; those a unique rule keeps where they are are left."""
    rows = model._base_manager.filter(pk__in=pks, **{attname: source})
    try:
        with transaction.atomic():
            count = rows.update(**{attname: target})
        if count == len(pks):
            return pks
        # Some were deleted or moved meanwhile: report only those that now point at the target.
        return list(model._base_manager.filter(pk__in=pks, **{attname: target}).values_list("pk", flat=True))
    except IntegrityError:
        pass
    moved = []
    for pk in pks:  # one by one: each that would collide with the kept party's own copy stays
        try:
            with transaction.atomic():
                if model._base_manager.filter(pk=pk, **{attname: source}).update(**{attname: target}):
                    moved.append(pk)
        except IntegrityError:
            continue
    return moved


def _without_twins(model, attname: str, pks: list[int], target: Party) -> list[int]:
    """The rows of `pks` that the target has no copy of (the same phone, the same identifier)."""
    fields = TWINS.get(model)
    if not fields or attname != "party_id":
        return pks
    theirs = set(model._base_manager.filter(party_id=target.pk).values_list(*fields))
    rows = model._base_manager.filter(pk__in=pks).values_list("pk", *fields)
    return [pk for pk, *key in rows if tuple(key) not in theirs]


def _clear_second_primaries(moved: dict, target: Party) -> dict[str, list[int]]:
    """A moved row marked primary where the target has its own primary of that kind stops being primary."""
    cleared: dict[str, list[int]] = {}
    for model, kind_field in PRIMARY.items():
        label = model._meta.label_lower
        pks = moved.get(label, {}).get("party_id", [])
        if not pks:
            continue
        own = model._base_manager.filter(party_id=target.pk, is_primary=True).exclude(pk__in=pks)
        kinds = (
            set(own.values_list(kind_field, flat=True)) if kind_field else ({None} if own.exists() else set())
        )
        rows = model._base_manager.filter(pk__in=pks, is_primary=True)
        clash = [
            pk
            for pk, kind in rows.values_list("pk", kind_field or "pk")
            if (kind if kind_field else None) in kinds
        ]
        if clash:
            model._base_manager.filter(pk__in=clash).update(is_primary=False)
            cleared[label] = clash
    return cleared


def move_all(source: Party, target: Party) -> tuple[dict, dict]:
    """Move what points at `source` to `target`. Returns (moved, left): {"app.model": {"column": [pk, …]}}
    (and under "_primary" the moved rows that stopped being primary) and {"app.model": count of rows that
    stayed}."""
    moved: dict[str, dict[str, list[int]]] = {}
    left: dict[str, int] = {}
    for model, attname, extra in links():
        found = list(
            model._base_manager.filter(**{attname: party_value(model, attname, source.pk)}, **extra)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not found:
            continue
        pks = _without_twins(model, attname, found, target)
        done: list[int] = []
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            done += _update(
                model,
                attname,
                chunk,
                party_value(model, attname, source.pk),
                party_value(model, attname, target.pk),
            )
        label = model._meta.label_lower
        if done:
            moved.setdefault(label, {})[attname] = done
        if len(done) < len(found):
            left[label] = left.get(label, 0) + len(found) - len(done)
    cleared = _clear_second_primaries(moved, target)
    if cleared:
        moved["_primary"] = cleared
    return moved, left


def move_back(moved: dict, source: Party, target: Party) -> int:
    """Undo `move_all(source, target)`: the recorded rows that still point at `target` go back to `source`.
    Rows deleted since are gone; rows added to `target` since stay. Returns how many rows went back."""
    count = 0
    for label, pks in moved.get("_primary", {}).items():
        apps.get_model(label)._base_manager.filter(pk__in=pks).update(is_primary=True)
    for label, columns in moved.items():
        if label.startswith("_"):
            continue
        try:
            model = apps.get_model(label)
        except LookupError:  # an app removed since: nothing of it to move back
            continue
        for attname, pks in columns.items():
            for start in range(0, len(pks), CHUNK):
                count += len(
                    _update(
                        model,
                        attname,
                        pks[start : start + CHUNK],
                        party_value(model, attname, target.pk),
                        party_value(model, attname, source.pk),
                    )
                )
    return count
