"""Property-based tests of /api/v1/supplier-invoices, /api/v1/reconciliation-statements and /api/v1/requisitions
from the OpenAPI document (schemathesis), with invoices to aim at in every state (matched, held, waiting for
release, released, cancelled), statements in every state (draft, sent, disputed, confirmed), requisitions in
every state (draft, waiting, approved, rejected, sourced, cancelled), and one invoice and statement of West's that
East's buyer may not see: no 5xx, and every answer as documented, for a buyer's write and read tokens, a
Procurement Manager's and a sales rep's (who reaches only requisitions). Generated ids, versions, order lines,
statement lines, requisitions, suppliers and products are aimed three times in four at what exists.
(guanxi/parties/tests/api/test_schemathesis.py says how to hunt deeper with GUANXI_SCHEMATHESIS_EXAMPLES.)"""

from __future__ import annotations

import pytest
from django.utils import timezone

from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.procurement.models import (
    PurchaseOrderLine,
    ReconciliationStatement,
    Requisition,
    StatementLine,
    SupplierInvoice,
)
from guanxi.procurement.services import invoices, statements
from guanxi.procurement.services import requisitions as reqs
from guanxi.procurement.tests.conftest import api_tokens

from .settlement_support import invoice_body, received, rules

schema = api_schema(path_regex=r"^/api/v1/(supplier-invoices|reconciliation-statements|requisitions)")
TODAY = timezone.localdate()
PERIOD = {"period_start": TODAY.replace(day=1), "period_end": TODAY}


def _invoices(shop) -> None:
    _o, resistor, carton = received(shop)
    fapiao = iter(range(10000001, 10000100))

    def enter(price="2", actor=shop.buyer, line=resistor):
        row = {"order_line": line.pk, "quantity": "10", "unit_price": price}
        return invoices.invoice_enter(actor=actor, data=invoice_body(row, fapiao=str(next(fapiao))))

    enter()  # matched
    enter("2.5")  # held
    waiting = enter("2.5")
    invoices.invoice_release(actor=shop.buyer, invoice=waiting, version=waiting.version)
    released = enter("2.5")
    released = invoices.invoice_release(actor=shop.buyer, invoice=released, version=released.version)
    approval_approve(actor=shop.pm, request=approval_status_of(released))
    wrong = enter(line=carton)
    invoices.invoice_cancel(actor=shop.buyer, invoice=wrong, version=wrong.version, reason="schemathesis")
    theirs = received(shop, actor=shop.buyer_west, supplier=shop.preferred)[1]
    enter(actor=shop.buyer_west, line=theirs)


def _statements(shop) -> None:
    def made(actor=shop.buyer, supplier=shop.huaqiang):
        return statements.statement_create(actor=actor, data={"supplier": supplier.pk, **PERIOD})

    def answer(s, value):
        s = ReconciliationStatement.objects.get(pk=s.pk)
        answers = {x.pk: value for x in s.lines.all()}
        return statements.statement_answer(actor=shop.buyer, statement=s, version=s.version, answers=answers)

    made()
    sent = [
        statements.statement_send(actor=shop.buyer, statement=s, version=s.version) for s in (made(), made())
    ]
    answer(sent[0], {"answer": "disputed", "note": "schemathesis"})
    confirmed = made()
    confirmed = statements.statement_send(actor=shop.buyer, statement=confirmed, version=confirmed.version)
    answer(confirmed, "confirmed")
    made(actor=shop.buyer_west, supplier=shop.preferred)


def _requisitions(shop) -> None:
    def ask(who=shop.rep, qty="100", steps=()):
        data = {
            "needed_by": TODAY.isoformat(),
            "justification": "schemathesis",
            "lines": [{"product": shop.carton.pk, "quantity": qty, "estimated_price": "3"}],
        }
        r = reqs.requisition_create(actor=who, data=data)
        for step in steps:
            r = Requisition.objects.get(pk=r.pk)
            getattr(reqs, f"requisition_{step}")(actor=who, requisition=r, version=r.version)
        return Requisition.objects.get(pk=r.pk)

    ask()
    ask(qty="10000", steps=["submit"])  # waiting
    ask(steps=["submit"])  # approved
    ask(steps=["submit"])
    rejected = ask(qty="10000", steps=["submit"])
    approval_reject(actor=shop.pm, request=approval_status_of(rejected), comment="schemathesis")
    reqs.requisitions_to_rfq(actor=shop.buyer, requisitions=[ask(who=shop.buyer, steps=["submit"]).pk])
    ask(steps=["cancel"])


@pytest.fixture
def data(shop) -> dict:
    rules()
    _invoices(shop)
    _statements(shop)
    _requisitions(shop)
    tokens = api_tokens(shop)
    return {
        "tokens": tokens,
        "suppliers": [shop.huaqiang.pk, shop.preferred.pk, shop.blocked.pk],
        "products": [shop.resistor.pk, shop.carton.pk, shop.sold_only.pk],
        "order_lines": sorted(PurchaseOrderLine.objects.values_list("pk", flat=True)),
        "orders": sorted({*PurchaseOrderLine.objects.values_list("order_id", flat=True)}),
    }


def _aim(raw, ids: list[int]):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def _model(path: str):
    if path.startswith("/api/v1/supplier-invoices"):
        return SupplierInvoice
    return ReconciliationStatement if path.startswith("/api/v1/reconciliation") else Requisition


def _aim_body(body: dict, data: dict, model, pk) -> None:
    if "supplier" in body:
        body["supplier"] = _aim(body["supplier"], data["suppliers"])
    if isinstance(body.get("requisitions"), list):
        ids = sorted(Requisition.objects.values_list("pk", flat=True))
        body["requisitions"] = [_aim(x, ids) for x in body["requisitions"]]
    for line in body.get("lines") if isinstance(body.get("lines"), list) else []:
        if isinstance(line, dict):
            if "order_line" in line:
                line["order_line"] = _aim(line["order_line"], data["order_lines"])
            if "product" in line:
                line["product"] = _aim(line["product"], data["products"])
    answers = body.get("answers")
    if isinstance(answers, dict) and answers and len(answers) % 4:
        lines = sorted(StatementLine.objects.filter(statement_id=pk).values_list("pk", flat=True)) or [1]
        body["answers"] = {str(lines[i % len(lines)]): v for i, v in enumerate(answers.values())}
    if isinstance(body.get("version"), int) and pk and body["version"] % 4:
        current = model.objects.filter(pk=pk).values_list("version", flat=True).first()
        body["version"] = current or body["version"]


def test_the_operations_are_the_settlement_and_requisition_ones():
    operations = {(r.ok().method, r.ok().path) for r in schema.get_all_operations()}
    inv, stmt, req = "/api/v1/supplier-invoices", "/api/v1/reconciliation-statements", "/api/v1/requisitions"
    assert operations == {
        *(("get", p) for p in (inv, f"{inv}/open-lines", f"{inv}/{{id}}", stmt, f"{stmt}/{{id}}", req)),
        *(("post", p) for p in (inv, f"{inv}/{{id}}/release", f"{inv}/{{id}}/cancel", stmt)),
        *(("post", f"{stmt}/{{id}}/{a}") for a in ("send", "answer")),
        *(("post", p) for p in (req, f"{req}/to-rfq", f"{req}/to-order")),
        ("get", f"{req}/{{id}}"),
        ("patch", f"{req}/{{id}}"),
        *(("post", f"{req}/{{id}}/{a}") for a in ("submit", "cancel")),
    }


@every_operation(schema, 3)
def test_settlement_api_conforms_to_its_openapi_document(case, data):
    model = _model(case.operation.path)
    params = case.path_parameters or {}
    if "id" in params:
        params["id"] = _aim(params["id"], sorted(model.objects.values_list("pk", flat=True)))
    pk = params.get("id")
    if not isinstance(pk, int) or not 0 < pk < 2**53:
        pk = None  # a generated id out of range (or, in the coverage phase, not even a number)
    if isinstance(case.query, dict):
        for key, ids in (("supplier", data["suppliers"]), ("order", data["orders"])):
            if isinstance(case.query.get(key), int):
                case.query[key] = _aim(case.query[key], ids)
    if isinstance(case.body, dict):
        _aim_body(case.body, data, model, pk)
    for token in data["tokens"]:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
