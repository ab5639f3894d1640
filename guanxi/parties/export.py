"""The parties exporter: the list's CSV/XLSX export, run in the background by core's export jobs.

Registered from PartiesConfig.ready(). The parameters are the list's filters (PartyFilters as JSON);
the rows are what the list would show the user, without the search bound, read in chunks.
The formula guard and the cell types are core's business (guanxi.core.export_formats).
"""

from __future__ import annotations

from dataclasses import asdict, fields

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core.exports import Exporter, ExportRows, register_exporter
from guanxi.core.roles import Action, grants_for
from guanxi.parties.selectors import parties as sel

KEY = "parties"
CHUNK_SIZE = 2000  # parties read per query (and per prefetch of their tags, contact points, identifiers)
MAX_ROWS = 1_000_000

_FILTER_FIELDS = {f.name for f in fields(sel.PartyFilters)}


def filters_of(params: dict) -> sel.PartyFilters:
    return sel.PartyFilters(**{k: v for k, v in params.items() if k in _FILTER_FIELDS})


def clean(params: dict) -> dict:
    return asdict(filters_of(params).validate())


def title(params: dict) -> str:
    """What the list is called: the sheet's name and the job's title."""
    f = filters_of(params)
    if f.role == "customer":
        return _("Customers")
    if f.role == "supplier":
        return _("Suppliers")
    return {"person": _("Contacts"), "organization": _("Organizations")}.get(f.kind) or _("Parties")


def allowed(actor) -> bool:
    return grants_for(actor).can(Action.PARTY_EXPORT)


def headers() -> list[str]:
    return [
        _("ID"),
        _("Kind"),
        _("Name"),
        _("Short name"),
        _("Legal name"),
        _("Customer status"),
        _("Supplier status"),
        _("Owner"),
        _("Tags"),
        _("Identifiers"),
        _("Phones"),
        _("Emails"),
        _("Country"),
        _("Province / state"),
        _("City"),
        _("Industry"),
        _("Archived"),
    ]


def row(p) -> list:
    points = list(p.contact_points.all())
    return [
        p.pk,
        p.get_kind_display(),
        p.name,
        p.short_name,
        p.legal_name,
        p.get_customer_status_display() if p.is_customer else "",
        p.get_supplier_status_display() if p.is_supplier else "",
        str(p.owner) if p.owner else "",
        ", ".join(t.name for t in p.tags.all()),
        ", ".join(i.value for i in p.identifiers.all()),
        ", ".join(c.value for c in points if c.kind == "phone"),
        ", ".join(c.value for c in points if c.kind == "email"),
        p.country,
        p.province,
        p.city,
        p.get_industry_display() if p.industry else "",
        _("yes") if p.archived_at else "",
    ]


def rows(*, actor, params: dict) -> ExportRows:
    """Every party matching the filters that the actor may see; PermissionDeniedError without party.export."""
    qs = sel.party_export_rows(actor=actor, filters=filters_of(params), limit=MAX_ROWS)
    return ExportRows(
        headers=headers(),
        rows=(row(p) for p in qs.iterator(chunk_size=CHUNK_SIZE)),
        total=qs.count(),
    )


register_exporter(
    Exporter(key=KEY, label=gettext_lazy("Parties"), rows=rows, allowed=allowed, title=title, clean=clean)
)
