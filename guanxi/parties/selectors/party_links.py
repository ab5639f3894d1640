"""Every place that names a party: the foreign keys to Party in every installed model, and the references
by document type and id that blocks registered (guanxi.core.record_refs). A merge moves them all
(guanxi.parties.services.merge_moves); the merge page counts them."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.db import models

from guanxi.core.record_refs import record_references
from guanxi.parties.models import DuplicateDismissal, DuplicateSuggestion, Party, PartyGram, PartyMerge

DOCUMENT_TYPE = "parties.party"
# The search grams belong to a party's own names; merge records, dismissals and suggestions describe the two
# parties (a suggestion of a merged party drops out of the list and comes back if the merge is undone).
NOT_MOVED = {PartyGram, PartyMerge, DuplicateDismissal, DuplicateSuggestion}


def links() -> Iterator[tuple[type[models.Model], str, dict]]:
    """(model, column attribute, extra filter) for every place that names a party."""
    for model in apps.get_models(include_auto_created=True):
        if model in NOT_MOVED or model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            remote = field.remote_field
            if (field.many_to_one or field.one_to_one) and remote is not None and remote.model is Party:
                yield model, field.attname, {}
    for ref in record_references():
        yield apps.get_model(ref.model), ref.id_field, {ref.type_field: DOCUMENT_TYPE}


def party_value(model: type[models.Model], attname: str, pk: int):
    """The party's id as the column stores it (a number, or its text for a reference by type and id)."""
    field = next(f for f in model._meta.local_fields if f.attname == attname)
    return str(pk) if isinstance(field, models.CharField) else pk
