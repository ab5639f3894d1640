"""What the receiving pages post, shaped for the services. Each line of a form is keyed by the id of the line it
is about ("qty-<order line id>" on a delivery note or a return, "received-<id>", "rejected-<id>", "reason-<id>",
"rnote-<id>" on a receipt — a note line's id when receiving a delivery note, else an order line's). A line left
empty (or 0) is not sent. No rule lives here: the services check everything and answer with errors keyed
"lines[2].received", which `row_errors` puts back beside the line they are about."""

from __future__ import annotations

import re

from guanxi.procurement.forms import num

NOTE_HEADER = ("ship_date", "expected_on", "carrier", "tracking_number", "supplier_reference", "note")
RECEIPT_HEADER = ("received_on", "note")
RETURN_HEADER = ("kind", "reason", "returned_on")
RECEIPT_FIELDS = ("received", "rejected", "reject_reason", "reject_note")
RECEIPT_KEYS = {
    "received": "received",
    "rejected": "rejected",
    "reject_reason": "reason",
    "reject_note": "rnote",
}
ZERO = re.compile(r"^\s*0*(?:[.,]0*)?\s*$")


def _value(post, key: str, limit: int = 600) -> str:
    return post.get(key, "").strip()[:limit]


def header_from(post, fields) -> dict:
    return {k: _value(post, k) for k in fields}


def ids_from(post, name: str) -> list[int]:
    """The ids a form carries in repeated hidden fields (the orders a delivery note ships against)."""
    ids = []
    for value in post.getlist(name)[:50]:
        try:
            n = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < n < 2**53 and n not in ids:
            ids.append(n)
    return ids


def nothing(value: str) -> bool:
    """Left empty or 0: the line is not part of what is posted."""
    return bool(ZERO.match(value or ""))


def quantity_rows(post, lines, *, fill: bool = False) -> list[dict]:
    """A delivery note's or a return's lines as typed: {"id", "quantity"} for each line shown; with `fill`, a
    line the form did not have yet (a new form, an order added) is filled with the quantity still open."""
    rows = []
    for line in lines:
        key = f"qty-{line.pk}"
        value = _value(post, key, 40) if key in post or not fill else num(line.open_quantity)
        rows.append({"id": line.pk, "quantity": value})
    return rows


def quantity_payload(rows: list[dict]) -> tuple[list[dict], list[int]]:
    """The lines as the services take them ({order_line, quantity}) and the line id of each, in that order."""
    sent = [r for r in rows if not nothing(r["quantity"])]
    return [{"order_line": r["id"], "quantity": r["quantity"]} for r in sent], [r["id"] for r in sent]


def receipt_rows(post, ids) -> list[dict]:
    """A receipt's lines as typed: received, rejected, why and a note, for each line shown."""
    return [
        {
            "id": i,
            **{
                f: _value(post, f"{RECEIPT_KEYS[f]}-{i}", 500 if f == "reject_note" else 40)
                for f in RECEIPT_FIELDS
            },
        }
        for i in ids
    ]


def receipt_payload(rows: list[dict], key: str) -> tuple[list[dict], list[int]]:
    """The lines that say something arrived, as the services take them (`key`: "note_line" or "order_line"),
    and the line id of each, in that order."""
    sent = [r for r in rows if not (nothing(r["received"]) and nothing(r["rejected"]))]
    payload = [{key: r["id"], **{f: r[f] for f in RECEIPT_FIELDS if r[f] != ""}} for r in sent]
    return payload, [r["id"] for r in sent]


def row_errors(errors: dict, ids: list[int]) -> tuple[dict[int, dict], dict]:
    """The services' errors of lines ("lines[2].received") by line id ({id: {field: [message]}}), and the
    others (the header's, or about the lines as a whole)."""
    by_id: dict[int, dict] = {}
    other = {}
    for key, messages in errors.items():
        m = re.match(r"^lines\[(\d+)\]\.(\w+)$", key)
        if m and int(m.group(1)) < len(ids):
            by_id.setdefault(ids[int(m.group(1))], {})[m.group(2)] = messages
        else:
            other[key] = messages
    return by_id, other
