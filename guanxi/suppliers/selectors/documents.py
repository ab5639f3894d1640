"""A supplier's qualification documents as its page shows them: the current ones (valid, expiring within 30
days, expired), the required kinds it has none of, and the ones replaced by a renewal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from guanxi.parties.models import Party
from guanxi.suppliers.models.documents import SupplierDocument
from guanxi.suppliers.selectors.categories import requirements_for

SOON_DAYS = 30


@dataclass
class DocumentRow:
    doc: SupplierDocument
    state: str  # "valid", "expiring", "expired"
    days: int | None  # days until it expires (negative: since)


def documents_of(party: Party, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    rows = []
    current = SupplierDocument.objects.filter(party=party, replaced_at=None).select_related(
        "attachment", "created_by"
    )
    for doc in current:
        days = (doc.expires_on - today).days if doc.expires_on else None
        state = "valid" if days is None or days > SOON_DAYS else ("expiring" if days >= 0 else "expired")
        rows.append(DocumentRow(doc, state, days))
    have = {r.doc.kind for r in rows}
    replaced = (
        SupplierDocument.objects.filter(party=party, replaced_at__isnull=False)
        .select_related("attachment", "created_by")
        .order_by("-replaced_at", "-id")
    )
    return {
        "documents": rows,
        "documents_replaced": list(replaced[:50]),
        "documents_attention": [r for r in rows if r.state != "valid"],
        "documents_missing": [k for k in requirements_for(party).documents if k not in have],
    }
