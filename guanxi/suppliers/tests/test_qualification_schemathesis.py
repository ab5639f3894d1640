"""Property-based tests of supplier qualification over /api/v1 from the OpenAPI document (schemathesis): what a
supplier supplies, its reviews, questionnaires, category requirements and supplier role requests. With a questionnaire that a review
used (frozen) and one that none did, a review being answered and one submitted, and a category to aim at: no
5xx, and every answer as documented, for a Procurement Manager's and a buyer's write tokens and a sales rep's
(who reaches none of it). (guanxi/parties/tests/api/test_schemathesis.py says how to hunt deeper.)"""

from __future__ import annotations

import pytest

from guanxi.catalog.models import Category
from guanxi.core.roles import BUYER, PROCUREMENT_MANAGER, SALES_REP
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import Qualification, Question, Questionnaire, SupplierRoleRequest
from guanxi.suppliers.services import qualifications as qsvc
from guanxi.suppliers.services import questionnaires as qn
from guanxi.suppliers.services.role_requests import supplier_role_request
from guanxi.suppliers.tests.qualification_support import category, requires, supplies

USCC = "914403001922038216"
schema = api_schema(
    path_regex=r"^/api/v1/(suppliers/\{id\}/(qualification|categories)|qualifications/|questionnaires|"
    r"category-requirements/|supplier-role-requests)"
)


@pytest.fixture
def tokens(make_user, admin_user, team) -> list[str]:
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    manager = make_user("pm", roles=[PROCUREMENT_MANAGER])
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    metal = category(admin_user, "Metal parts", name_zh="金属件")
    used = qn.questionnaire_save(actor=manager, data={"name": "制造类调查表"})
    qn.question_add(actor=manager, questionnaire=used, data={"text": "ISO 9001?", "weight": 50})
    qn.question_add(actor=manager, questionnaire=used, data={"text": "流程", "kind": "text", "weight": 50})
    fresh = qn.questionnaire_save(actor=manager, data={"name": "包装类调查表"})
    qn.question_add(actor=manager, questionnaire=fresh, data={"text": "FSC?", "weight": 10})
    requires(manager, metal, "iso_9001", questionnaire=used.pk)
    supplier = make_org(admin_user, "苏州精密五金有限公司", customer=False, supplier=True, owner=buyer)
    supplies(buyer, supplier, metal)
    review = qsvc.qualification_start(actor=buyer, party=supplier, questionnaire=used)
    answers = {x.pk: "yes" if x.kind == "yes_no" else "8D" for x in used.questions.all()}
    review = qsvc.qualification_answers_save(actor=buyer, qualification=review, answers=answers, version=1)
    qsvc.qualification_submit(actor=buyer, qualification=review, version=review.version)
    qsvc.qualification_start(actor=buyer, party=supplier, questionnaire=fresh)
    customer = make_org(admin_user, "华为技术有限公司", identifiers=[{"scheme": "cn_uscc", "value": USCC}])
    supplier_role_request(actor=buyer, uscc=USCC, reason="5G 模组")
    assert customer.pk
    return [
        token_create(actor=manager, name="schemathesis-pm", scope="write")[1],
        token_create(actor=buyer, name="schemathesis-write", scope="write")[1],
        token_create(actor=rep, name="schemathesis-rep", scope="write")[1],
    ]


def _aim(raw, ids: list[int]):
    """Most generated ids would be 404s: aim three in four at records that exist."""
    return ids[raw % len(ids)] if isinstance(raw, int) and raw % 4 != 0 and ids else raw


def test_the_operations_are_the_qualification_ones():
    assert len(list(schema.get_all_operations())) == 21


@every_operation(schema, 4)
def test_qualification_api_conforms_to_its_openapi_document(case, tokens):
    params = case.path_parameters or {}
    path = case.operation.path
    model = (
        Qualification
        if path.startswith("/api/v1/qualifications")
        else Questionnaire
        if path.startswith("/api/v1/questionnaires")
        else Category
        if path.startswith("/api/v1/category-requirements")
        else SupplierRoleRequest
        if path.startswith("/api/v1/supplier-role-requests")
        else Party
    )
    for key in ("id", "category_id"):
        if key in params:
            params[key] = _aim(params[key], sorted(model.objects.values_list("pk", flat=True)))
    if "question_id" in params:
        params["question_id"] = _aim(
            params["question_id"], sorted(Question.objects.values_list("pk", flat=True))
        )
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
