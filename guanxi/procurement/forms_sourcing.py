"""What the RFQ pages post, as the sourcing services take it: the header, line rows ("lines-3-quantity"),
criteria as one weight per kind (and a custom one's name), a quote's rows per RFQ line ("price-<line id>"),
the award per line ("award-<line id>") and hand scores ("score-<quote id>-<criterion id>")."""

from __future__ import annotations

from typing import Any

from guanxi.procurement.choices import CriterionKind
from guanxi.procurement.forms import num

HEADER = ("title", "currency", "deadline", "notes")
LINE_FIELDS = ("product", "description", "quantity", "unit", "needed_by")
QUOTE_HEADER = ("currency", "payment_days", "valid_until", "notes")


def _value(post, key: str, limit: int = 600) -> str:
    return post.get(key, "").strip()[:limit]


def header_from(post) -> dict:
    return {k: _value(post, k, 5000 if k == "notes" else 200) for k in HEADER if k in post}


def lines_from(post) -> list[dict]:
    rows = []
    for i in range(600):
        if f"lines-{i}-quantity" not in post and f"lines-{i}-description" not in post:
            break
        row = {f: _value(post, f"lines-{i}-{f}") for f in LINE_FIELDS}
        if any(row.values()):
            rows.append(row)
    return rows


def criteria_from(post) -> tuple[list[dict], dict]:
    """The criteria with a weight (as the service takes them) and the form's strings to show again."""
    shown = {f"weight_{k}": _value(post, f"weight_{k}", 10) for k in CriterionKind.values}
    shown["custom_name"] = _value(post, "custom_name", 100)
    out = []
    for kind in CriterionKind.values:
        weight = shown[f"weight_{kind}"]
        if weight not in ("", "0"):
            item = {"kind": kind, "weight": weight}
            if kind == CriterionKind.CUSTOM:
                item["name"] = shown["custom_name"]
            out.append(item)
    return out, shown


def criteria_shown(criteria) -> dict:
    shown = {f"weight_{k}": "" for k in CriterionKind.values}
    shown["custom_name"] = ""
    for c in criteria:
        kind = c["kind"] if isinstance(c, dict) else c.kind
        shown[f"weight_{kind}"] = str(c["weight"] if isinstance(c, dict) else c.weight)
        if kind == CriterionKind.CUSTOM:
            shown["custom_name"] = c.get("name", "") if isinstance(c, dict) else c.name
    return shown


def line_row(line) -> dict:
    return {
        "product": line.product_id or "",
        "description": line.description,
        "quantity": num(line.quantity),
        "unit": line.unit_id or "",
        "needed_by": line.needed_by.isoformat() if line.needed_by else "",
    }


def quote_from(post, lines) -> dict:
    data: dict[str, Any] = {k: _value(post, k, 2000 if k == "notes" else 40) for k in QUOTE_HEADER}
    data["lines"] = [
        {
            "rfq_line": line.pk,
            "unit_price": _value(post, f"price-{line.pk}", 40),
            "lead_days": _value(post, f"lead-{line.pk}", 10),
            "note": _value(post, f"note-{line.pk}", 500),
        }
        for line in lines
    ]
    return data


def award_from(post) -> dict:
    if post.get("whole"):
        return {"whole": _value(post, "whole", 20)}
    return {
        "lines": {k.removeprefix("award-"): v.strip()[:20] for k, v in post.items() if k.startswith("award-")}
    }


def scores_from(post) -> dict:
    out: dict[str, dict[str, str]] = {}
    for k, v in post.items():
        if k.startswith("score-") and k.count("-") == 2:
            _prefix, quote, criterion = k.split("-")
            out.setdefault(quote, {})[criterion] = v.strip()[:5]
    return out
