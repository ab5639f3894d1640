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
from guanxi.core.models import User
from guanxi.core.roles import grants_for
from guanxi.parties.choices import CustomerStatus, Industry, PartyKind, SupplierStatus
from guanxi.parties.models import ContactPoint, PartyIdentifier, Tag
from guanxi.parties.permissions import Action
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


COLUMNS = [
    "pk",
    "kind",
    "name",
    "short_name",
    "legal_name",
    "is_customer",
    "customer_status",
    "is_supplier",
    "supplier_status",
    "owner_id",
    "country",
    "province",
    "city",
    "industry",
    "archived_at",
]


def _labels(choices) -> dict[str, str]:
    # get_FOO_display() hashes every lazy choice label on each call (~1 ms a row at 100k rows):
    # translate each label once per export instead.
    return {value: str(label) for value, label in choices}


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _grouped(pairs) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for party_id, value in pairs:
        out.setdefault(party_id, []).append(value)
    return out


def _rows(qs):
    """The rows, CHUNK_SIZE parties at a time: plain values, and one query per related list per chunk."""
    kinds, industries = _labels(PartyKind.choices), _labels(Industry.choices)
    customer, supplier = _labels(CustomerStatus.choices), _labels(SupplierStatus.choices)
    yes = _("yes")
    owners: dict[int, str] = {}
    values = qs.prefetch_related(None).select_related(None).values_list(*COLUMNS, named=True)
    for chunk in _chunks(values.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [p.pk for p in chunk]
        tags = _grouped(
            Tag.parties.through.objects.filter(party_id__in=ids).values_list("party_id", "tag__name")
        )
        identifiers = _grouped(
            PartyIdentifier.objects.filter(party_id__in=ids).values_list("party_id", "value")
        )
        points = ContactPoint.objects.filter(party_id__in=ids, kind__in=["phone", "email"])
        phones: dict[int, list[str]] = {}
        emails: dict[int, list[str]] = {}
        for party_id, kind, value in points.values_list("party_id", "kind", "value"):
            (phones if kind == "phone" else emails).setdefault(party_id, []).append(value)
        missing = {p.owner_id for p in chunk if p.owner_id and p.owner_id not in owners}
        if missing:
            users = User.objects.filter(pk__in=missing).only("username", "first_name", "last_name")
            owners.update((u.pk, str(u)) for u in users)
        for p in chunk:
            yield [
                p.pk,
                kinds.get(p.kind, p.kind),
                p.name,
                p.short_name,
                p.legal_name,
                customer.get(p.customer_status, p.customer_status) if p.is_customer else "",
                supplier.get(p.supplier_status, p.supplier_status) if p.is_supplier else "",
                owners.get(p.owner_id, ""),
                ", ".join(sorted(tags.get(p.pk, []))),
                ", ".join(identifiers.get(p.pk, [])),
                ", ".join(phones.get(p.pk, [])),
                ", ".join(emails.get(p.pk, [])),
                p.country,
                p.province,
                p.city,
                industries.get(p.industry, p.industry) if p.industry else "",
                yes if p.archived_at else "",
            ]


def rows(*, actor, params: dict) -> ExportRows:
    """Every party matching the filters that the actor may see; PermissionDeniedError without party.export."""
    qs = sel.party_export_rows(actor=actor, filters=filters_of(params), limit=MAX_ROWS)
    return ExportRows(headers=headers(), rows=_rows(qs), total=qs.count())


register_exporter(
    Exporter(key=KEY, label=gettext_lazy("Parties"), rows=rows, allowed=allowed, title=title, clean=clean)
)
