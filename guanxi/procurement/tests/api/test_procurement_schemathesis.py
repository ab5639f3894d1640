"""Property-based tests of /api/v1/purchase-orders, /api/v1/supplier-prices and /api/v1/rfqs from the OpenAPI
document (schemathesis), with orders to aim at in every state (draft, waiting for approval, approved, sent,
confirmed, changed and waiting again, cancelled, closed), RFQs in every state (draft, open with sealed quotes,
past the deadline, opened, awarded, ordered, cancelled), one of each of West's that East's buyer may not see,
and prices with their history: no 5xx, and every answer as documented, for a buyer's write and read tokens, a
Procurement Manager's and a sales rep's (who reaches nothing here). Generated ids, versions, line ids, quote
ids and products are aimed three times in four at what exists. (guanxi/parties/tests/api/test_schemathesis.py
says how to hunt deeper with GUANXI_SCHEMATHESIS_EXAMPLES and friends.)"""

from __future__ import annotations

import pytest

from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.procurement.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    Rfq,
    RfqCriterion,
    RfqInvitation,
    RfqLine,
    SupplierQuote,
)
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.services import awards, order_changes, orders, rfqs
from guanxi.procurement.services.prices import supplier_price_record
from guanxi.procurement.tests.conftest import api_tokens, supplier
from guanxi.procurement.tests.sourcing.support import draft, opened, past_deadline, published, quote

schema = api_schema(path_regex=r"^/api/v1/(purchase-orders|supplier-prices)")


@pytest.fixture
def data(shop) -> dict:
    for unit_price in ("0.05", "0.045"):  # the second replaces the first: a history
        supplier_price_record(
            actor=shop.buyer,
            data={
                "supplier": shop.huaqiang.pk,
                "product": shop.resistor.pk,
                "unit_price": unit_price,
                "breaks": [{"min_quantity": "5000", "unit_price": "0.04"}],
            },
        )
    small = [{"product": shop.resistor.pk, "quantity": "1000"}]
    large = [{"product": shop.carton.pk, "quantity": "1000", "unit_price": "10"}]

    def order(steps, lines=small, actor=shop.buyer, supplier=shop.huaqiang):
        o = orders.order_create(actor=actor, data={"supplier": supplier.pk, "lines": lines})
        for step in steps:
            o = PurchaseOrder.objects.get(pk=o.pk)
            extra: dict = {}
            if step == "confirm":
                extra["dates"] = {str(x.pk): "2031-03-02" for x in o.lines.all()}
            if step in ("cancel", "close"):
                extra["reason"] = "schemathesis"
            if step == "change":
                service = order_changes.order_change
                extra["data"] = {"reason": "加量", "lines": large}
            else:
                service = getattr(orders, f"order_{step}")
            service(actor=actor, order=o, version=o.version, **extra)
        return o

    order([])
    order(["submit"], large, supplier=shop.preferred)
    order(["submit"])
    order(["submit", "send"])
    order(["submit", "send", "confirm"])
    order(["submit", "send", "confirm", "change"])
    order(["cancel"])
    order(["submit", "send", "close"])
    order(["submit"], actor=shop.buyer_west)
    tokens = api_tokens(shop)
    return {
        "tokens": tokens,
        "suppliers": [shop.huaqiang.pk, shop.preferred.pk, shop.blocked.pk],
        "products": [shop.resistor.pk, shop.carton.pk, shop.sold_only.pk],
        "contacts": [shop.wang.pk],
    }


def _aim(raw, ids: list[int]):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def _aim_lines(lines, data: dict, line_ids: list[int]) -> None:
    for line in lines if isinstance(lines, list) else []:
        if isinstance(line, dict):
            if "product_id" in line:
                line["product_id"] = _aim(line["product_id"], data["products"])
            if "id" in line:
                line["id"] = _aim(line["id"], line_ids)


def _aim_body(body: dict, data: dict, order_id) -> None:
    if not isinstance(order_id, int) or not 0 < order_id < 2**53:
        order_id = None  # a generated id out of range (or, in the coverage phase, not even a number)
    line_ids = sorted(PurchaseOrderLine.objects.filter(order_id=order_id).values_list("pk", flat=True))
    for key, ids in (("supplier_id", data["suppliers"]), ("contact_id", data["contacts"])):
        if key in body:
            body[key] = _aim(body[key], ids)
    if "product_id" in body:
        body["product_id"] = _aim(body["product_id"], data["products"])
    _aim_lines(body.get("lines"), data, line_ids)
    dates = body.get("dates")
    if isinstance(dates, dict) and line_ids and len(dates) % 4:  # the order's own lines, mostly
        values = list(dates.values())
        body["dates"] = {str(line_ids[i % len(line_ids)]): v for i, v in enumerate(values)}
    if isinstance(body.get("version"), int) and order_id and body["version"] % 4:
        current = PurchaseOrder.objects.filter(pk=order_id).values_list("version", flat=True).first()
        if current:
            body["version"] = current


def test_the_operations_are_the_purchasing_ones():
    operations = {(r.ok().method, r.ok().path) for r in schema.get_all_operations()}
    order = "/api/v1/purchase-orders/{id}"
    assert operations == {
        ("get", "/api/v1/purchase-orders"),
        ("post", "/api/v1/purchase-orders"),
        ("get", order),
        ("patch", order),
        *(("post", f"{order}/{a}") for a in ("submit", "send", "confirm", "change", "cancel", "close")),
        ("get", "/api/v1/supplier-prices"),
        ("post", "/api/v1/supplier-prices"),
        ("get", "/api/v1/supplier-prices/history"),
    }


@every_operation(schema, 5)
def test_purchasing_api_conforms_to_its_openapi_document(case, data):
    params = case.path_parameters or {}
    if "id" in params:
        params["id"] = _aim(params["id"], sorted(PurchaseOrder.objects.values_list("pk", flat=True)))
    if isinstance(case.query, dict):
        for key, ids in (("supplier", data["suppliers"]), ("product", data["products"])):
            if isinstance(case.query.get(key), int):
                case.query[key] = _aim(case.query[key], ids)
    if isinstance(case.body, dict):
        _aim_body(case.body, data, params.get("id"))
    for token in data["tokens"]:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


# --- Requests for quotation (/api/v1/rfqs) ------------------------------------------------------------------
# RFQs to aim at in every state: a draft, open with sealed quotes, past its deadline and not opened, opened,
# awarded, ordered, cancelled, and one of West's that East's buyer may not see.

rfq_schema = api_schema(path_regex=r"^/api/v1/rfqs")


@pytest.fixture
def rfq_data(shop) -> dict:
    third = supplier(shop.admin, "上海第三电子有限公司", "approved")
    everyone = [shop.huaqiang, shop.preferred, third]

    def quoted(actor=shop.buyer, suppliers=everyone):
        rfq = published(shop, actor=actor, suppliers=suppliers)
        for party, prices in zip(suppliers, (["0.01", "3.2"], ["0.02", "3.5"], ["0.03", None]), strict=False):
            quote(shop, rfq, party, prices, actor=actor)
        return rfq

    draft(shop)
    rfqs.rfq_cancel(actor=shop.buyer, rfq=(d := draft(shop)), version=d.version, reason="schemathesis")
    quoted()
    past_deadline(quoted())
    opened(shop, quoted())
    for make_orders in (False, True):
        rfq = opened(shop, quoted())
        cheapest = comparison(rfq).cheapest_complete()
        assert cheapest is not None
        rfq = awards.rfq_award(
            actor=shop.buyer, rfq=rfq, version=rfq.version, award={"whole": cheapest.quote.pk}
        )
        if make_orders:
            awards.rfq_make_orders(actor=shop.buyer, rfq=rfq, version=rfq.version)
    quoted(actor=shop.buyer_west, suppliers=[shop.preferred])
    tokens = api_tokens(shop)
    return {
        "tokens": tokens,
        "suppliers": [shop.huaqiang.pk, shop.preferred.pk, third.pk, shop.candidate.pk, shop.blocked.pk],
        "products": [shop.resistor.pk, shop.carton.pk, shop.sold_only.pk],
    }


def _aim_keys(raw, ids: list[int], values: list[int] | None = None):
    """A dict keyed by ids (as text): aimed at `ids`, and its whole-number values at `values`."""
    if not isinstance(raw, dict) or not ids or len(raw) % 4 == 0:
        return raw
    out = {}
    for i, (_key, value) in enumerate(raw.items()):
        out[str(ids[i % len(ids)])] = _aim(value, values) if values else value
    return out


def _aim_rfq_body(body: dict, data: dict, rfq_id) -> None:
    rfq = Rfq.objects.filter(pk=rfq_id).first()
    lines = sorted(RfqLine.objects.filter(rfq=rfq).values_list("pk", flat=True)) if rfq else []
    quote_ids = sorted(SupplierQuote.objects.filter(rfq=rfq).values_list("pk", flat=True)) if rfq else []
    criteria = sorted(RfqCriterion.objects.filter(rfq=rfq).values_list("pk", flat=True)) if rfq else []
    if "supplier" in body:
        body["supplier"] = _aim(body["supplier"], data["suppliers"])
    if isinstance(body.get("version"), int) and rfq is not None and body["version"] % 4:
        body["version"] = rfq.version
    if "whole" in body:
        body["whole"] = _aim(body["whole"], quote_ids)
    if isinstance(body.get("lines"), dict):  # an award's {line id: quote id}
        body["lines"] = _aim_keys(body["lines"], lines, quote_ids)
    for line in body.get("lines") if isinstance(body.get("lines"), list) else []:
        if isinstance(line, dict):
            if "product" in line:
                line["product"] = _aim(line["product"], data["products"])
            if "rfq_line" in line:
                line["rfq_line"] = _aim(line["rfq_line"], lines)
    scores = _aim_keys(body.get("scores"), quote_ids)
    if isinstance(scores, dict):
        body["scores"] = {k: _aim_keys(v, criteria) for k, v in scores.items()}


def test_the_operations_are_the_sourcing_ones():
    operations = {(r.ok().method, r.ok().path) for r in rfq_schema.get_all_operations()}
    rfq = "/api/v1/rfqs/{id}"
    assert operations == {
        ("get", "/api/v1/rfqs"),
        ("post", "/api/v1/rfqs"),
        ("get", rfq),
        ("patch", rfq),
        ("delete", f"{rfq}/invitations/{{invitation_id}}"),
        ("get", f"{rfq}/comparison"),
        ("put", f"{rfq}/scores"),
        *(
            ("post", f"{rfq}/{a}")
            for a in ("invitations", "publish", "extend", "cancel", "quotes", "declines", "open", "rounds")
        ),
        *(("post", f"{rfq}/{a}") for a in ("award", "orders")),
    }


@every_operation(rfq_schema, 4)
def test_sourcing_api_conforms_to_its_openapi_document(case, rfq_data):
    params = case.path_parameters or {}
    if "id" in params:
        params["id"] = _aim(params["id"], sorted(Rfq.objects.values_list("pk", flat=True)))
    rfq_id = params.get("id")
    if not isinstance(rfq_id, int) or not 0 < rfq_id < 2**53:
        rfq_id = 0  # a generated id out of range (or, in the coverage phase, not even a number)
    if "invitation_id" in params:
        invitations = RfqInvitation.objects.filter(rfq_id=rfq_id).values_list("pk", flat=True)
        params["invitation_id"] = _aim(params["invitation_id"], sorted(invitations))
    if (
        isinstance(case.query, dict)
        and isinstance(case.query.get("version"), int)
        and case.query["version"] % 4
    ):
        current = Rfq.objects.filter(pk=rfq_id).values_list("version", flat=True).first()
        case.query["version"] = current or case.query["version"]
    if isinstance(case.body, dict):
        _aim_rfq_body(case.body, rfq_data, rfq_id)
    for token in rfq_data["tokens"]:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
