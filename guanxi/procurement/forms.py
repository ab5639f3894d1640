"""What the purchasing pages post, shaped for the services: an order's header and its lines (rows
"lines-3-quantity"), a change order's lines with the id of the line each replaces, the confirmation's date per
line ("date-<line id>"), a supplier price with its quantity breaks. No rule lives here: the services check
everything and answer with errors keyed "lines[3].quantity" / "breaks[1].unit_price", which `rows_shown` puts
back beside the row they belong to."""

from __future__ import annotations

from decimal import Decimal

HEADER = (
    "supplier",
    "contact",
    "currency",
    "ordered_on",
    "language",
    "payment_terms",
    "delivery_address",
    "notes",
)
LINE_FIELDS = (
    "product",
    "description",
    "supplier_code",
    "quantity",
    "unit",
    "unit_price",
    "tax_rate",
    "requested_date",
)
PRICE_FIELDS = (
    "supplier",
    "product",
    "supplier_code",
    "currency",
    "unit_price",
    "min_quantity",
    "lead_time_days",
    "valid_from",
    "valid_until",
    "note",
)
BREAK_FIELDS = ("min_quantity", "unit_price")
MAX_ROWS = 500  # the services refuse more; rows past this many are not read
TEXT_LIMIT = 5000


def _value(post, key: str, limit: int = 600) -> str:
    return post.get(key, "").strip()[:limit]


def header_from(post) -> dict:
    """The header fields that were posted (a field the form does not show is not sent: the service keeps it)."""
    return {k: _value(post, k, TEXT_LIMIT) for k in HEADER if k in post}


def lines_from(post, *, with_id: bool = False) -> list[dict]:
    """The line rows posted, in order, without the empty ones (their order is the one errors are keyed by)."""
    fields = (*LINE_FIELDS, "id") if with_id else LINE_FIELDS
    rows = []
    for i in range(MAX_ROWS + 50):
        if f"lines-{i}-description" not in post and f"lines-{i}-product" not in post:
            break
        row = {f: _value(post, f"lines-{i}-{f}") for f in fields}
        if row["product"] or row["description"]:
            rows.append(row)
    return rows


def payload_lines(rows: list[dict]) -> list[dict]:
    """The rows as the service takes them: what was left empty is left out, so the service's defaults apply
    (the supplier's price, the product's unit and VAT, a quantity of 1)."""
    return [{k: v for k, v in row.items() if v != ""} for row in rows]


def dates_from(post, prefix: str = "date-") -> dict:
    """{line id: date} from the fields "date-<line id>" that were filled."""
    return {k.removeprefix(prefix): v.strip() for k, v in post.items() if k.startswith(prefix) and v.strip()}


def price_from(post) -> dict:
    return {k: _value(post, k) for k in PRICE_FIELDS}


def breaks_from(post) -> list[dict]:
    rows = []
    for i in range(100):
        if f"breaks-{i}-min_quantity" not in post and f"breaks-{i}-unit_price" not in post:
            break
        row = {f: _value(post, f"breaks-{i}-{f}", 40) for f in BREAK_FIELDS}
        if row["min_quantity"] or row["unit_price"]:
            rows.append(row)
    return rows


def rows_shown(rows: list[dict], errors: dict, key: str, fields, extra: int) -> list[dict]:
    """The rows to show again, each with its own errors ({field: [message]}), and `extra` empty ones."""
    shown = []
    for i, row in enumerate(rows):
        mine = {f: errors[f"{key}[{i}].{f}"] for f in fields if f"{key}[{i}].{f}" in errors}
        shown.append({**row, "errors": mine})
    shown += [{**dict.fromkeys(fields, ""), "errors": {}} for _ in range(extra)]
    return shown


def other_errors(errors: dict, key: str) -> dict:
    """The errors that are not about one row."""
    return {k: v for k, v in errors.items() if not k.startswith(f"{key}[")}


def num(d: Decimal | None) -> str:
    """A stored number as the form shows it: without trailing zeros, never in exponent form."""
    if d is None:
        return ""
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def line_row(line, *, with_id: bool = False) -> dict:
    """A stored line as the form's strings."""
    row = {
        "product": line.product_id or "",
        "description": line.description,
        "supplier_code": line.supplier_code,
        "quantity": num(line.quantity),
        "unit": line.unit_id or "",
        "unit_price": num(line.unit_price),
        "tax_rate": line.tax_rate_id or "",
        "requested_date": line.requested_date.isoformat() if line.requested_date else "",
    }
    if with_id:
        row["id"] = line.pk
    return row
