"""Importing products from a CSV or XLSX file (the columns of guanxi.catalog.columns; an export re-imports).

A row with a code that exists updates that product; any other row creates one (a blank code takes the next
number). Only the columns in the file change: a file with code and "Price CNY" sets prices and nothing else;
an empty cell in a column that is there clears that field (an empty price removes that currency's price).
The whole file is one transaction: when any row is wrong, nothing is imported and every problem is listed
by line and column; a preview (dry run) checks everything and keeps nothing. Each product changed gets its
audit entry, as if edited by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.catalog.choices import ProductKind
from guanxi.catalog.columns import COLUMNS, header_keys
from guanxi.catalog.models import Category, Product
from guanxi.catalog.search import code_key
from guanxi.catalog.services import products as svc
from guanxi.core.exceptions import GuanxiError
from guanxi.core.tables import cell
from guanxi.core.text import compact, fold

MAX_ROWS = 5000
MAX_ERRORS = 100
_LABELS = dict(COLUMNS)


@dataclass
class RowError:
    line: int  # as the spreadsheet numbers it: the header is line 1
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    kept: bool = False  # the changes were saved (not a preview, no errors)


def _kind(value: str) -> str | None:
    if not value:
        return ProductKind.PRODUCT
    wanted = fold(value)
    from django.utils import translation

    for v, label in ProductKind.choices:
        names = {fold(v)}
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                names.add(fold(str(label)))
        if wanted in names:
            return v
    return None


class _Categories:
    """Finds a category by its names from the top ("Electronics / Resistors" or "电子 / 电阻")."""

    def __init__(self) -> None:
        self.by_parent: dict[int, dict[str, Category]] = {}
        for c in Category.objects.all():
            level = self.by_parent.setdefault(c.parent_id or 0, {})
            for key in (c.key_en, c.key_zh):
                if key:
                    level[key] = c

    def find(self, path: str) -> Category | None:
        parent = 0
        found = None
        for part in path.replace("›", "/").split("/"):
            found = self.by_parent.get(parent, {}).get(compact(part))
            if found is None:
                return None
            parent = found.pk
        return found


def _row_data(keys, row, categories: _Categories, product: Product | None) -> tuple[dict, dict, str | None]:
    """(data for the service, problems by column, "archive"/"restore"/None)."""
    data: dict = {}
    problems: dict[str, str] = {}
    archive = None
    prices = {p.currency_id: str(p.amount) for p in product.prices.all()} if product else {}
    prices_given = False
    for key, raw in zip(keys, row, strict=False):
        if key is None:
            continue
        value = cell(raw)
        if key.startswith("price:"):
            prices_given = True
            currency = key.split(":", 1)[1]
            if value:
                prices[currency] = value
            else:
                prices.pop(currency, None)
        elif key == "kind":
            if not value and product is not None:
                continue  # a kind cannot be cleared: an empty cell keeps it
            kind = _kind(value)
            if kind is None:
                problems[key] = _("Write product or service.")
            data[key] = kind
        elif key == "category":
            if value:
                cat = categories.find(value)
                if cat is None:
                    problems[key] = _("No category %(path)s: add it under Settings → Product categories.") % {
                        "path": value
                    }
                data[key] = cat
            else:
                data[key] = None
        elif key == "archived":
            word = fold(value)
            if word in ("yes", "y", "1", "true", "是"):
                archive = "archive"
            elif word in ("", "no", "n", "0", "false", "否"):
                archive = "restore"
            else:
                problems[key] = _("Enter yes or no.")
        else:
            data[key] = value
    if prices_given:
        data["prices"] = [{"currency": c, "amount": a} for c, a in prices.items()]
    return data, problems, archive


class _Undo(Exception):
    """Rolls a row back that reading already found wrong, after the services had their say."""


def _apply_row(actor, product: Product | None, data: dict, archive: str | None, *, undo: bool) -> str | dict:
    """Create or update one row's product in a savepoint: "created", "updated" or "unchanged", or the
    problems the services found ({field: message})."""
    before = product.version if product is not None else 0
    try:
        with transaction.atomic():
            if product is None:
                saved = svc.product_create(actor=actor, data=data)
            else:
                saved = svc.product_update(actor=actor, product=product, version=before, data=data)
            if archive == "archive":
                saved = svc.product_archive(actor=actor, product=saved)
            elif archive == "restore" and saved.archived_at:
                saved = svc.product_restore(actor=actor, product=saved)
            if undo:
                raise _Undo
    except _Undo:
        return {}
    except ValidationError as exc:
        return {k: v[0] for k, v in exc.message_dict.items()}
    except GuanxiError as exc:
        return {"code": str(exc.message)}
    if product is None:
        return "created"
    return "updated" if saved.version != before else "unchanged"


def product_import(*, actor, rows: list[list], dry_run: bool = False) -> ImportResult:
    """Import the rows (the first one is the header). See the module docstring."""
    svc.require_changer(actor)
    result = ImportResult()
    if not rows or not any(cell(c) for c in rows[0]):
        raise ValidationError({"file": _("The file has no header row.")})
    keys = header_keys(rows[0])
    if not any(keys):
        raise ValidationError(
            {
                "file": _(
                    "No column of the file is one the catalogue knows: download the template to see them."
                )
            }
        )
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(cell(c) for c in r)]
    if len(body) > MAX_ROWS:
        raise ValidationError({"file": _("At most %(n)d products per file: split it.") % {"n": MAX_ROWS}})
    if not body:
        raise ValidationError({"file": _("The file has no products under its header.")})
    seen: dict[str, int] = {}
    with transaction.atomic():
        categories = _Categories()
        for line, row in body:
            code = cell(row[keys.index("code")]) if "code" in keys and keys.index("code") < len(row) else ""
            key = code_key(code)
            if key and key in seen:
                result.errors.append(
                    RowError(line, str(_LABELS["code"]), _("Also on line %(n)d.") % {"n": seen[key]})
                )
                continue
            if key:
                seen[key] = line
            product = Product.objects.prefetch_related("prices").filter(code_key=key).first() if key else None
            data, problems, archive = _row_data(keys, row, categories, product)
            # The services check the rest of the row even when reading it found a problem, so that every
            # problem of the row is listed at once; such a row is then undone (its savepoint).
            outcome = _apply_row(actor, product, data, archive, undo=bool(problems))
            if isinstance(outcome, dict):
                problems = {**outcome, **problems}
            elif not problems:
                result.created += outcome == "created"
                result.updated += outcome == "updated"
                result.unchanged += outcome == "unchanged"
            for column, message in problems.items():
                label = _LABELS.get(column) or (_("Price") if column == "prices" else column)
                if len(result.errors) < MAX_ERRORS:
                    result.errors.append(RowError(line, str(label), str(message)))
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            result.kept = True
    return result
