"""Supplier qualification over the API (/api/v1/suppliers/{id}/qualification, /categories, /qualifications,
/questionnaires, /category-requirements) and on the pages (the Qualification tab, the review page, the setup
pages): the same rules as the services, a sales rep reaches none of it, lists cost the same for 1 and 20."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guanxi.core.tests.api.helpers import ApiClient, fields, ok, problem
from guanxi.suppliers.models import Qualification, SupplierCategory
from guanxi.suppliers.services import questionnaires as qn
from guanxi.suppliers.tests.qualification_support import base_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(qualifying):
    return qualifying


def test_the_api_runs_a_review_from_setup_to_pass(w):
    pm, buyer = ApiClient(w.pm), ApiClient(w.buyer)
    q = ok(pm.post("/questionnaires", {"name": "制造类调查表", "pass_score": "50"}), 201)
    q = ok(
        pm.post(
            f"/questionnaires/{q['id']}/questions", {"text": "ISO 9001?", "kind": "yes_no", "weight": 50}
        ),
        201,
    )
    q = ok(
        pm.post(
            f"/questionnaires/{q['id']}/questions",
            {"text": "Grade", "kind": "choice", "weight": 50, "options": [{"label": "A", "score": 100},
                                                                          {"label": "B", "score": 40}]},
        ),
        201,
    )  # fmt: skip
    iso, grade = (x["id"] for x in q["questions"])
    req = ok(pm.client.put(pm.url(f"/category-requirements/{w.metal.pk}"), {"documents": ["iso_9001"],
             "questionnaire": q["id"]}, content_type="application/json", headers=pm.headers))  # fmt: skip
    assert (req["documents"], req["questionnaire"]) == (["iso_9001"], q["id"])
    put = buyer.client.put(buyer.url(f"/suppliers/{w.supplier.pk}/categories"), {"categories": [w.metal.pk]},
                           content_type="application/json", headers=buyer.headers)  # fmt: skip
    overview = ok(put)
    assert overview["supplies"] == [{"category": w.metal.pk, "name": "Metal parts", "preferred": False}]
    assert overview["required_documents"] == ["business_licence", "tax_registration", "iso_9001"]
    assert overview["required_questionnaires"] == [q["id"]] and len(overview["approval_blockers"]) == 4
    review = ok(buyer.post(f"/suppliers/{w.supplier.pk}/qualifications", {"questionnaire": q["id"]}), 201)
    review = ok(buyer.post(f"/qualifications/{review['id']}/answers", {"version": review["version"],
                           "answers": {str(iso): "yes", str(grade): "B"}}))  # fmt: skip
    assert [(a["value"], a["score"]) for a in review["answers"]] == [("yes", "100.00"), ("B", "40.00")]
    review = ok(buyer.post(f"/qualifications/{review['id']}/submit", {"version": review["version"]}))
    refused = problem(pm.post(f"/qualifications/{review['id']}/review", {"version": review["version"],
                                                                          "decision": "pass"}), 422)  # fmt: skip
    assert "ISO 9001" in str(refused)
    base_documents(w.admin, w.supplier)
    from guanxi.suppliers.services.documents import document_add

    document_add(actor=w.admin, party=w.supplier, data={"kind": "iso_9001", "number": "Q-1"})
    review = ok(
        pm.post(f"/qualifications/{review['id']}/review", {"version": review["version"], "decision": "pass"})
    )
    assert (review["state"], review["score"], review["reviewed_by"]) == ("passed", "70.00", "pm")
    assert ok(buyer.get(f"/suppliers/{w.supplier.pk}/qualification"))["status"] == "qualified"
    frozen = problem(pm.post(f"/questionnaires/{q['id']}/questions", {"text": "More?"}), 422)
    assert "copy it" in str(frozen)
    assert ok(pm.get(f"/questionnaires/{q['id']}"))["frozen"] is True


def test_the_api_refuses_bad_input_and_reaches_nothing_for_a_sales_rep(w):
    pm, buyer, rep = ApiClient(w.pm), ApiClient(w.buyer), ApiClient(w.rep)
    assert "colour" in fields(problem(pm.post("/questionnaires", {"name": "X", "colour": "red"}), 422))
    problem(pm.post("/questionnaires", {"name": "X", "pass_score": "101"}), 422)
    problem(buyer.post("/questionnaires", {"name": "X"}), 403)
    problem(rep.get(f"/suppliers/{w.supplier.pk}/qualification"), 404)
    assert ok(rep.get("/questionnaires")) == []
    q = qn.questionnaire_save(actor=w.pm, data={"name": "X"})
    problem(buyer.post(f"/suppliers/{w.supplier.pk}/qualifications", {"questionnaire": 999999}), 422)
    review = ok(buyer.post(f"/suppliers/{w.supplier.pk}/qualifications", {"questionnaire": q.pk}), 201)
    problem(buyer.post(f"/qualifications/{review['id']}/answers", {"version": 99, "answers": {}}), 409)
    problem(rep.get(f"/qualifications/{review['id']}"), 404)
    put = buyer.client.put(buyer.url(f"/suppliers/{w.supplier.pk}/categories"), {"categories": [999999]},
                           content_type="application/json", headers=buyer.headers)  # fmt: skip
    problem(put, 422)
    assert not SupplierCategory.objects.exists()


def test_the_questionnaire_list_costs_the_same_for_1_and_20(w, django_assert_max_num_queries):
    pm = ApiClient(w.pm)

    def make(n):
        for i in range(n):
            q = qn.questionnaire_save(actor=w.pm, data={"name": f"Q{i}"})
            qn.question_add(actor=w.pm, questionnaire=q, data={"text": "ISO?", "kind": "yes_no"})
            Qualification.objects.create(party=w.supplier, questionnaire=q, state="withdrawn")

    make(1)
    with django_assert_max_num_queries(8) as one:
        assert len(ok(pm.get("/questionnaires"))) == 1
    make(19)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(ok(pm.get("/questionnaires"))) == 20


def test_the_pages_from_the_tab_to_a_passed_review(w):
    buyer, pm, rep = Client(), Client(), Client()
    buyer.force_login(w.buyer)
    pm.force_login(w.pm)
    rep.force_login(w.rep)
    # Setting up: a questionnaire with a question, a requirement of the category.
    resp = pm.post(reverse("suppliers:qualification_setup"), {"name": "包装类调查表", "pass_score": "60"})
    q = qn.Questionnaire.objects.get(name="包装类调查表")
    assert resp.status_code == 302 and resp["Location"] == q.get_absolute_url()
    resp = pm.post(q.get_absolute_url(), {"op": "add", "version": q.version, "text": "有环保认证吗？", "kind": "yes_no",
                                          "weight": "100", "expected": "yes", "required": "on"})  # fmt: skip
    assert resp.status_code == 302 and q.questions.count() == 1
    resp = pm.post(
        q.get_absolute_url(), {"op": "add", "version": q.version, "text": "员工人数", "kind": "number"}
    )
    html = resp.content.decode()  # the version the page showed is stale: said, and what was typed is kept
    assert (
        resp.status_code == 200 and "Someone else changed this record" in html and 'value="员工人数"' in html
    )
    q.refresh_from_db()
    resp = pm.post(q.get_absolute_url(), {"op": "add", "version": q.version, "text": "", "kind": "number"})
    assert resp.status_code == 200 and "This field is required." in resp.content.decode()
    url = reverse("suppliers:category_requirement", args=[w.metal.pk])
    assert pm.post(url, {"documents": ["iso_14001"], "questionnaire": q.pk}).status_code == 302
    assert "ISO 14001" in pm.get(reverse("suppliers:qualification_setup")).content.decode()
    assert (
        buyer.get(url).status_code == 403
        and buyer.get(reverse("suppliers:qualification_setup")).status_code == 200
    )
    # The supplier's tab: what it supplies, then a review entered by the buyer.
    page = w.supplier.get_absolute_url() + "?tab=supplier_qualification"
    assert "No categories yet." in buyer.get(page).content.decode()
    resp = buyer.post(
        reverse("suppliers:categories_edit", args=[w.supplier.pk]), {"categories": [w.metal.pk]}
    )
    assert resp.status_code == 302
    html = buyer.get(page).content.decode()
    assert "Metal parts" in html and "ISO 14001" in html and "包装类调查表" in html
    resp = buyer.post(reverse("suppliers:qualification_start", args=[w.supplier.pk]), {"questionnaire": q.pk})
    review = Qualification.objects.get()
    assert resp["Location"] == review.get_absolute_url()
    question = q.questions.get()
    resp = buyer.post(review.get_absolute_url(), {"op": "submit", "version": review.version})
    assert resp.status_code == 200 and "This question needs an answer." in resp.content.decode()
    resp = buyer.post(review.get_absolute_url(), {"op": "submit", "version": review.version,
                                                  f"answer-{question.pk}": "yes"})  # fmt: skip
    review.refresh_from_db()
    assert resp.status_code == 302 and review.state == "submitted"
    assert 'id="qualification-pass"' not in buyer.get(review.get_absolute_url()).content.decode()
    html = pm.get(review.get_absolute_url()).content.decode()
    assert 'id="qualification-pass"' in html and "Business licence" in html  # the documents are missing
    base_documents(w.admin, w.supplier)
    from guanxi.suppliers.services.documents import document_add

    document_add(actor=w.admin, party=w.supplier, data={"kind": "iso_14001", "number": "EMS-1"})
    resp = pm.post(review.get_absolute_url(), {"op": "pass", "version": review.version})
    review.refresh_from_db()
    assert resp.status_code == 302 and (review.state, review.score) == ("passed", 100)
    assert rep.get(review.get_absolute_url()).status_code == 404
    assert "supplier_qualification" not in rep.get(w.supplier.get_absolute_url()).content.decode()
