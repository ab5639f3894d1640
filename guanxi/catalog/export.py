"""The catalogue exporter: the product list's CSV/XLSX export, run in the background by core's export jobs
(guanxi.core.exports). The columns are those the import reads (guanxi.catalog.columns)."""

from __future__ import annotations

from dataclasses import asdict, fields
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.catalog.choices import ProductKind
from guanxi.catalog.columns import headers
from guanxi.catalog.models import ProductPrice, Unit
from guanxi.catalog.permissions import Action
from guanxi.catalog.selectors import catalog as sel
from guanxi.core.exports import Exporter, ExportRows, register_exporter
from guanxi.core.models import Currency, TaxRate
from guanxi.core.roles import grants_for

KEY = "catalog"
CHUNK_SIZE = 2000
_FILTER_FIELDS = {f.name for f in fields(sel.ProductFilters)} - {"q", "sort"}


def filters_of(params: dict) -> sel.ProductFilters:
    return sel.ProductFilters(**{k: v for k, v in params.items() if k in _FILTER_FIELDS})


def clean(params: dict) -> dict:
    return asdict(filters_of(params).validate())


def allowed(actor) -> bool:
    g = grants_for(actor)
    return g.can(Action.PRODUCT_VIEW) and g.can(Action.PRODUCT_EXPORT)


def _rows(qs, currencies: list[str]):
    kinds = {v: str(label) for v, label in ProductKind.choices}
    paths = sel.category_paths()
    units = dict(Unit.objects.values_list("id", "code"))
    taxes = dict(TaxRate.objects.values_list("id", "code"))
    yes, no = _("yes"), _("no")
    qs = qs.order_by("code_key", "id").values_list(
        "id",
        "code",
        "kind",
        "name_en",
        "name_zh",
        "description",
        "category_id",
        "unit_id",
        "purchase_unit_id",
        "tax_rate_id",
        "can_sell",
        "can_buy",
        "archived_at",
    )
    chunk: list = []

    def flush(chunk):
        prices: dict[int, dict[str, Decimal]] = {}
        for pid, cur, amount in ProductPrice.objects.filter(product_id__in=[r[0] for r in chunk]).values_list(
            "product_id", "currency_id", "amount"
        ):
            prices.setdefault(pid, {})[cur] = amount.normalize()
        for r in chunk:
            mine = prices.get(r[0], {})
            yield [
                r[1],
                kinds.get(r[2], r[2]),
                r[3],
                r[4],
                r[5],
                paths.get(r[6], "") if r[6] else "",
                units.get(r[7], ""),
                units.get(r[8], "") if r[8] else "",
                taxes.get(r[9], "") if r[9] else "",
                yes if r[10] else no,
                yes if r[11] else no,
                yes if r[12] else no,
                *[mine.get(c) for c in currencies],
            ]

    for row in qs.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


def rows(*, actor, params: dict) -> ExportRows:
    qs = sel.product_list(actor=actor, filters=filters_of(params))
    currencies = list(Currency.objects.filter(active=True).order_by("code").values_list("code", flat=True))
    return ExportRows(headers=headers(currencies), rows=_rows(qs, currencies), total=qs.count())


register_exporter(
    Exporter(
        key=KEY,
        label=gettext_lazy("Products"),
        rows=rows,
        allowed=allowed,
        title=lambda params: _("Products"),
        clean=clean,
    )
)
