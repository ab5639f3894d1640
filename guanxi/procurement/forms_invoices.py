"""What the invoice, statement and settings pages post, shaped for the services: the invoice's header and its
lines (fields "qty-<order line id>", "price-…", "tax-…"), the supplier's answer per statement line
("answer-<line id>", "note-<line id>"), the purchasing settings. No rule lives here: the services check
everything and answer with errors keyed "lines[2].quantity" / "answers.17.note", which these helpers put back
beside the row they belong to."""

from __future__ import annotations

from decimal import Decimal

from guanxi.procurement.forms import num

INVOICE_HEADER = (
    "fapiao_number",
    "fapiao_code",
    "invoice_date",
    "due_date",
    "currency",
    "stated_gross",
    "note",
)
LINE_FIELDS = ("quantity", "unit_price", "tax_percent")
POSTED = {"quantity": "qty", "unit_price": "price", "tax_percent": "tax"}  # service field -> form prefix
SETTINGS_FIELDS = (
    "over_delivery_percent",
    "backdate_days",
    "price_tolerance_percent",
    "price_tolerance_amount",
    "quantity_tolerance_percent",
    "rfq_min_quotes",
    "rfq_min_quotes_above",
)


def _value(post, key: str, limit: int = 100) -> str:
    return post.get(key, "").strip()[:limit]


def invoice_header_from(post) -> dict:
    return {k: _value(post, k, 500) for k in INVOICE_HEADER}


def posted_line_ids(post) -> list[int]:
    """The order line ids the form posted a quantity for (its rows, even those someone invoiced meanwhile)."""
    ids = []
    for key in post:
        if key.startswith("qty-") and key[4:].isdigit() and len(key) < 20:
            ids.append(int(key[4:]))
    return ids[:500]


def line_values(lines, post=None) -> dict[int, dict]:
    """{order line id: {quantity, unit_price, tax_percent}} as the form shows them: what was posted, else
    what is left to invoice at the order's price and tax."""
    out = {}
    for line in lines:
        if post is None:
            out[line.pk] = {
                "quantity": num(line.to_invoice),
                "unit_price": num(line.unit_price),
                "tax_percent": num(line.tax_percent),
            }
        else:
            out[line.pk] = {f: _value(post, f"{POSTED[f]}-{line.pk}", 40) for f in LINE_FIELDS}
    return out


def payload_lines(lines, values: dict[int, dict]) -> tuple[list[dict], list[int]]:
    """The rows with a quantity, as the service takes them, and the order line id of each (the service's
    errors are keyed by position in this list)."""
    payload, ids = [], []
    for line in lines:
        v = values.get(line.pk) or {}
        if not v.get("quantity"):
            continue
        payload.append({"order_line": line.pk, **{k: x for k, x in v.items() if x != ""}})
        ids.append(line.pk)
    return payload, ids


def line_errors(errors: dict, ids: list[int]) -> tuple[dict[int, dict], dict]:
    """The service's errors split into {order line id: {field: message}} and the rest."""
    rows: dict[int, dict] = {}
    rest = {}
    for key, msgs in errors.items():
        if key.startswith("lines[") and "]." in key:
            index, _sep, field = key[6:].partition("].")
            if index.isdigit() and int(index) < len(ids):
                rows.setdefault(ids[int(index)], {})[field] = msgs
                continue
        rest[key] = msgs
    return rows, rest


def expected_gross(lines, currency: str) -> Decimal:
    """What the lines come to with tax, each at what is left to invoice and the order's price."""
    from guanxi.crm.services.quote_totals import line_amounts

    return sum(
        (
            line_amounts(
                quantity=line.to_invoice,
                unit_price=line.unit_price,
                discount_percent=Decimal(0),
                tax_percent=line.tax_percent,
                currency=currency,
            ).gross
            for line in lines
        ),
        Decimal(0),
    )


def answers_from(post, line_ids) -> dict:
    """{line id: {"answer", "note"}} for the statement lines that were given an answer."""
    out = {}
    for pk in line_ids:
        answer = _value(post, f"answer-{pk}", 20)
        if answer:
            out[pk] = {"answer": answer, "note": _value(post, f"note-{pk}", 500)}
    return out


def answer_errors(errors: dict) -> tuple[dict[int, dict], dict]:
    """The service's errors split into {statement line id: {"answer"|"note": message}} and the rest."""
    rows: dict[int, dict] = {}
    rest = {}
    for key, msgs in errors.items():
        parts = key.split(".")
        if parts[0] == "answers" and len(parts) >= 2 and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})[parts[2] if len(parts) > 2 else "answer"] = msgs
        else:
            rest[key] = msgs
    return rows, rest


def settings_from(post) -> dict:
    return {k: _value(post, k, 40) for k in SETTINGS_FIELDS if k in post}
