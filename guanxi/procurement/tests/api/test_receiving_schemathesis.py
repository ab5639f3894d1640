"""Property-based tests of /api/v1/delivery-notes, /api/v1/receipts and /api/v1/supplier-returns from the OpenAPI
document (schemathesis), with delivery notes to aim at in every state (in transit, partially received, received,
cancelled), receipts with and without a note, a return, and one note and receipt of West's that East's buyer may
not see: no 5xx, and every answer as documented, for a buyer's write and read tokens, a Procurement Manager's
and a sales rep's (who reaches nothing here). Generated ids, codes, versions, order lines and note lines are
aimed three times in four at what exists. (guanxi/parties/tests/api/test_schemathesis.py says how to hunt
deeper with GUANXI_SCHEMATHESIS_EXAMPLES and friends.)"""

from __future__ import annotations

import pytest

from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.procurement.models import (
    DeliveryNote,
    DeliveryNoteLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    SupplierReturn,
)
from guanxi.procurement.services.delivery_notes import delivery_note_cancel, delivery_note_create
from guanxi.procurement.services.receipts import receipt_from_note, receipt_post, return_post
from guanxi.procurement.tests.conftest import api_tokens
from guanxi.procurement.tests.services.receiving_support import sent_order

schema = api_schema(path_regex=r"^/api/v1/(delivery-notes|receipts|supplier-returns)")
MODELS = {"delivery-notes": DeliveryNote, "receipts": Receipt, "supplier-returns": SupplierReturn}


@pytest.fixture
def data(shop) -> dict:
    def lines(o) -> list[int]:
        return list(o.lines.order_by("position").values_list("pk", flat=True))

    def note(o, actor=shop.buyer, quantity="10"):
        rows = [{"order_line": i, "quantity": quantity} for i in lines(o)]
        return delivery_note_create(actor=actor, data={"lines": rows, "carrier": "顺丰速运"})

    east, west = sent_order(shop), sent_order(shop, actor=shop.buyer_west)
    note(east)  # in transit
    partial = note(east)
    first = partial.lines.order_by("id").first()
    assert first is not None
    receipt_from_note(
        actor=shop.buyer,
        note=partial,
        data={
            "lines": [{"note_line": first.pk, "received": "4", "rejected": "1", "reject_reason": "damaged"}]
        },
    )
    receipt_from_note(actor=shop.buyer, note=note(east))  # received
    cancelled = note(east)
    delivery_note_cancel(actor=shop.buyer, note=cancelled, version=cancelled.version)
    receipt_post(actor=shop.buyer, data={"lines": [{"order_line": lines(east)[0], "received": "20"}]})
    return_post(
        actor=shop.buyer,
        data={
            "kind": "quality",
            "reason": "虚焊",
            "lines": [{"order_line": lines(east)[0], "quantity": "2"}],
        },
    )
    receipt_from_note(actor=shop.buyer_west, note=note(west, actor=shop.buyer_west, quantity="5"))
    tokens = api_tokens(shop)
    return {
        "tokens": tokens,
        "suppliers": [shop.huaqiang.pk, shop.preferred.pk],
        "orders": sorted(PurchaseOrder.objects.values_list("pk", flat=True)),
        "order_lines": sorted(PurchaseOrderLine.objects.values_list("pk", flat=True)),
        "codes": sorted(DeliveryNote.objects.values_list("code", flat=True)),
    }


def _aim(raw, ids: list):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def _aim_body(body: dict, data: dict, note_id) -> None:
    note_lines = sorted(DeliveryNoteLine.objects.filter(note_id=note_id).values_list("pk", flat=True))
    for line in body.get("lines") if isinstance(body.get("lines"), list) else []:
        if isinstance(line, dict):
            if "order_line" in line:
                line["order_line"] = _aim(line["order_line"], data["order_lines"])
            if "note_line" in line:
                line["note_line"] = _aim(line["note_line"], note_lines)
    if isinstance(body.get("version"), int) and note_id and body["version"] % 4:
        current = DeliveryNote.objects.filter(pk=note_id).values_list("version", flat=True).first()
        body["version"] = current or body["version"]


def test_the_operations_are_the_receiving_ones():
    operations = {(r.ok().method, r.ok().path) for r in schema.get_all_operations()}
    note = "/api/v1/delivery-notes/{id}"
    assert operations == {
        *(("get", f"/api/v1/{p}") for p in MODELS),
        *(("post", f"/api/v1/{p}") for p in MODELS),
        *(("get", f"/api/v1/{p}/{{id}}") for p in MODELS),
        ("get", "/api/v1/delivery-notes/by-code/{code}"),
        ("post", f"{note}/cancel"),
        ("post", f"{note}/receive"),
    }


@every_operation(schema, 4)
def test_receiving_api_conforms_to_its_openapi_document(case, data):
    params = case.path_parameters or {}
    area = case.operation.path.split("/")[3]  # /api/v1/<area>/…
    note_id = None
    if "id" in params:
        params["id"] = _aim(params["id"], sorted(MODELS[area].objects.values_list("pk", flat=True)))
        if area == "delivery-notes" and isinstance(params["id"], int) and 0 < params["id"] < 2**53:
            note_id = params["id"]
    if isinstance(params.get("code"), str) and len(params["code"]) % 4:
        params["code"] = data["codes"][len(params["code"]) % len(data["codes"])]
    if isinstance(case.query, dict):
        for key, ids in (("supplier", data["suppliers"]), ("order", data["orders"])):
            if isinstance(case.query.get(key), int):
                case.query[key] = _aim(case.query[key], ids)
    if isinstance(case.body, dict):
        _aim_body(case.body, data, note_id)
    for token in data["tokens"]:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
