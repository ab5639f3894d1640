"""The columns of the catalogue's spreadsheet, shared by the export and the import: an exported file can be
edited and imported again. A header is recognized by its key (code), its English or its Chinese label
(编码), whatever the language of the user who imports it; prices have one column per currency
("Price CNY" / "售价 CNY")."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from guanxi.core.tables import column_names, header_cell

COLUMNS = [
    ("code", _("Code")),
    ("kind", _("Kind")),
    ("name_en", _("Name (English)")),
    ("name_zh", _("Name (Chinese)")),
    ("description", _("Description")),
    ("category", _("Category")),
    ("unit", _("Unit")),
    ("purchase_unit", _("Purchase unit")),
    ("tax_rate", _("Tax rate")),
    ("can_sell", _("Can be sold")),
    ("can_buy", _("Can be bought")),
    ("archived", _("Archived")),
]
PRICE_LABEL = _("Price %(currency)s")
# Headers that Chinese spreadsheets commonly use for the same columns.
ALIASES = {
    "编码": "code",
    "产品编码": "code",
    "物料编码": "code",
    "名称": "name_zh",
    "中文名称": "name_zh",
    "英文名称": "name_en",
    "分类": "category",
    "产品类别": "category",
    "计量单位": "unit",
}
_PRICE = re.compile(r"^(?:price|售价|价格)\s*([a-z]{3})$")


def headers(currencies: list[str]) -> list[str]:
    return [str(label) for _key, label in COLUMNS] + [str(PRICE_LABEL) % {"currency": c} for c in currencies]


def header_keys(row: list) -> list[str | None]:
    """The key of each header cell ("price:CNY" for a price column; None for a column we do not read)."""
    names = column_names(COLUMNS, ALIASES)
    keys: list[str | None] = []
    for cell in row:
        text = header_cell(cell)
        price = _PRICE.match(text)
        if price:
            keys.append(f"price:{price.group(1).upper()}")
        else:
            keys.append(names.get(text))
    return keys
