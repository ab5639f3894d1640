"""Supplier qualification (guanxi.suppliers.services.categories, questionnaires, qualifications): what a
supplier supplies and what its categories require (inherited down the tree), questionnaires that score
themselves and freeze once used, reviews entered by one person and decided by another, approval that waits
for the documents and the passed review, and "preferred" per category."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.parties.models import Party
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.suppliers.models import SupplierCategory
from guanxi.suppliers.selectors.categories import requirements_for, suppliers_of
from guanxi.suppliers.services import qualifications as qsvc
from guanxi.suppliers.services import questionnaires as qn
from guanxi.suppliers.services.categories import supplier_categories_set
from guanxi.suppliers.services.lifecycle import supplier_status_change
from guanxi.suppliers.tests.qualification_support import base_documents, category, requires, supplies

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(qualifying, admin_user):
    qualifying.machined = category(admin_user, "Machined parts", parent=qualifying.metal)
    qualifying.packaging = category(admin_user, "Packaging", name_zh="包装材料")
    return qualifying


def _questionnaire(actor, pass_score="60"):
    q = qn.questionnaire_save(actor=actor, data={"name": "制造类供应商调查表", "pass_score": pass_score})
    ids = {}
    ids["iso"] = qn.question_add(
        actor=actor,
        questionnaire=q,
        data={
            "text": "Certified to ISO 9001?",
            "kind": "yes_no",
            "weight": 40,
            "required": True,
        },  # fmt: skip
    ).pk
    ids["staff"] = qn.question_add(
        actor=actor,
        questionnaire=q,
        data={
            "text": "Quality staff",
            "kind": "number",
            "target": "5",
            "weight": 20,
            "required": True,
        },  # fmt: skip
    ).pk
    ids["audit"] = qn.question_add(
        actor=actor,
        questionnaire=q,
        data={
            "text": "Last customer audit",
            "kind": "choice",
            "weight": 20,
            "options": "A = 100\nB = 60\nC = 0",
            "required": False,
        },  # fmt: skip
    ).pk
    ids["plan"] = qn.question_add(
        actor=actor,
        questionnaire=q,
        data={
            "text": "Describe your corrective action process",
            "kind": "text",
            "weight": 20,
            "required": False,
        },  # fmt: skip
    ).pk
    q.refresh_from_db()
    return q, ids


def _answered(w, answers, q=None):
    q = q or _questionnaire(w.pm)[0]
    review = qsvc.qualification_start(actor=w.buyer, party=w.supplier, questionnaire=q.pk)
    review = qsvc.qualification_answers_save(
        actor=w.buyer, qualification=review, answers=answers, version=review.version
    )
    return qsvc.qualification_submit(actor=w.buyer, qualification=review, version=review.version)


def test_requirements_are_inherited_down_the_tree_and_add_to_the_base_documents(w):
    q, _ids = _questionnaire(w.pm)
    requires(w.pm, w.metal, "iso_9001", questionnaire=q.pk)
    requires(w.pm, w.packaging, "iso_14001")
    assert [k.value for k in requirements_for(w.supplier).documents] == [
        "business_licence",
        "tax_registration",
    ]
    supplies(w.buyer, w.supplier, w.machined)
    reqs = requirements_for(w.supplier)
    assert [k.value for k in reqs.documents] == ["business_licence", "tax_registration", "iso_9001"]
    assert reqs.questionnaires == [q]
    assert suppliers_of({w.metal.pk}) == {w.supplier.pk: False}  # a subcategory's supplier counts
    assert suppliers_of({w.packaging.pk}) == {}
    entry = AuditEntry.objects.filter(
        target_id=str(w.supplier.pk), changes__has_key="supplied_categories"
    ).get()
    assert entry.changes["supplied_categories"] == [[], ["Machined parts"]]


def test_only_procurement_users_set_what_a_supplier_supplies_and_only_real_categories(w):
    with pytest.raises(PermissionDeniedError):
        supplies(w.rep, w.supplier, w.metal)
    for bad in (["x"], [999999], ["1" * 30]):
        with pytest.raises(ValidationError):
            supplier_categories_set(actor=w.buyer, party=w.supplier, categories=bad)
    assert not SupplierCategory.objects.exists()
    with pytest.raises(PermissionDeniedError):
        requires(w.buyer, w.metal, "iso_9001")  # setting up is the procurement manager's
    with pytest.raises(ValidationError):
        requires(w.pm, w.metal, "passport")


def test_answers_score_themselves_and_the_text_answer_is_scored_by_the_reviewer(w):
    q, ids = _questionnaire(w.pm)
    review = _answered(
        w, {ids["iso"]: "yes", ids["staff"]: "8", ids["audit"]: "B", ids["plan"]: "8D 报告"}, q
    )
    assert qsvc.weighted_score(review) is None  # the text answer has no score yet
    with pytest.raises(ValidationError) as exc:
        qsvc.qualification_review(actor=w.pm, qualification=review, decision="pass", version=review.version)
    assert "scores" in exc.value.message_dict
    base_documents(w.admin, w.supplier)
    review = qsvc.qualification_review(
        actor=w.pm, qualification=review, decision="pass", version=review.version, scores={ids["plan"]: "50"}
    )
    # (100×40 + 100×20 + 60×20 + 50×20) / 100
    assert (review.state, review.score, review.documents_ok) == ("passed", Decimal("82.00"), True)
    party = Party.objects.get(pk=w.supplier.pk)
    assert party.supplier_status == "qualified"  # a passed candidate is qualified, by the reviewer


def test_a_review_below_the_pass_mark_or_without_documents_cannot_pass_and_failing_needs_a_note(w):
    q, ids = _questionnaire(w.pm)
    review = _answered(w, {ids["iso"]: "no", ids["staff"]: "2"}, q)
    with pytest.raises(ValidationError) as exc:
        qsvc.qualification_review(actor=w.pm, qualification=review, decision="pass", version=review.version)
    assert "below the pass mark" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        qsvc.qualification_review(actor=w.pm, qualification=review, decision="fail", version=review.version)
    assert "note" in exc.value.message_dict
    review = qsvc.qualification_review(
        actor=w.pm, qualification=review, decision="fail", version=review.version, note="无质量体系"
    )
    assert (review.state, review.score) == ("failed", Decimal("0.00"))
    good = _answered(w, {ids["iso"]: "yes", ids["staff"]: "9", ids["audit"]: "A"}, q)  # a new review: allowed
    with pytest.raises(ValidationError) as exc:
        qsvc.qualification_review(actor=w.pm, qualification=good, decision="pass", version=good.version)
    assert "Business licence" in str(exc.value)  # the documents are missing


def test_answers_are_checked_and_required_ones_block_the_submission(w):
    q, ids = _questionnaire(w.pm)
    review = qsvc.qualification_start(actor=w.buyer, party=w.supplier, questionnaire=q)
    bad = {ids["iso"]: "maybe", ids["staff"]: "many", ids["audit"]: "D", 999999: "x"}
    with pytest.raises(ValidationError) as exc:
        qsvc.qualification_answers_save(
            actor=w.buyer, qualification=review, answers=bad, version=review.version
        )
    assert set(exc.value.message_dict) == {f"answers.{ids['iso']}", f"answers.{ids['staff']}",
                                           f"answers.{ids['audit']}", "answers.999999"}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        qsvc.qualification_submit(actor=w.buyer, qualification=review, version=review.version)
    assert f"answers.{ids['iso']}" in exc.value.message_dict
    with pytest.raises(ConflictError):
        qsvc.qualification_answers_save(
            actor=w.buyer, qualification=review, answers={}, version=review.version + 5
        )
    with pytest.raises(ValidationError):  # one open review per questionnaire
        qsvc.qualification_start(actor=w.buyer, party=w.supplier, questionnaire=q)
    with pytest.raises(PermissionDeniedError):
        qsvc.qualification_start(actor=w.rep, party=w.supplier, questionnaire=q)


def test_whoever_entered_the_answers_or_the_suppliers_data_does_not_review_it(w):
    q, ids = _questionnaire(w.pm)
    review = _answered(w, {ids["iso"]: "yes", ids["staff"]: "8"}, q)
    with pytest.raises(PermissionDeniedError):  # a buyer is no reviewer
        qsvc.qualification_review(
            actor=w.buyer, qualification=review, decision="fail", version=review.version, note="x"
        )
    supplies(w.pm, w.supplier, w.metal)  # pm entered qualification data of the supplier
    with pytest.raises(PermissionDeniedError) as exc:
        qsvc.qualification_review(
            actor=w.pm, qualification=review, decision="fail", version=review.version, note="x"
        )
    assert "someone else reviews" in str(exc.value)
    base_documents(w.admin, w.supplier)
    review = qsvc.qualification_review(
        actor=w.pm2, qualification=review, decision="pass", version=review.version
    )
    assert review.reviewed_by == w.pm2


def test_a_used_questionnaire_is_frozen_and_changed_by_copying_it(w):
    q, ids = _questionnaire(w.pm)
    _answered(w, {ids["iso"]: "yes", ids["staff"]: "8"}, q)
    with pytest.raises(ValidationError):
        qn.question_add(actor=w.pm, questionnaire=q, data={"text": "New?", "kind": "yes_no"})
    with pytest.raises(ValidationError):
        qn.questionnaire_save(actor=w.pm, questionnaire=q, data={"name": q.name, "pass_score": "70"})
    copy = qn.questionnaire_copy(actor=w.pm, questionnaire=q)
    assert [x.text for x in copy.questions.all()] == [x.text for x in q.questions.all()]
    qn.question_add(actor=w.pm, questionnaire=copy, data={"text": "New?", "kind": "yes_no"})
    assert copy.questions.count() == q.questions.count() + 1
    with pytest.raises(ValidationError):  # a scored number question needs a target; a choice two options
        qn.question_add(
            actor=w.pm, questionnaire=copy, data={"text": "Staff", "kind": "number", "weight": 10}
        )
    with pytest.raises(ValidationError):
        qn.question_add(
            actor=w.pm, questionnaire=copy, data={"text": "Grade", "kind": "choice", "options": "A = 1"}
        )


def test_approval_waits_for_the_documents_and_the_passed_review_of_its_categories(w):
    q, ids = _questionnaire(w.pm)
    requires(w.pm, w.metal, "iso_9001", questionnaire=q.pk)
    supplies(w.buyer, w.supplier, w.machined)
    supplier_status_change(actor=w.buyer, party=w.supplier, action="qualify", reason="资料齐全")
    with pytest.raises(ValidationError) as exc:
        supplier_status_change(actor=w.buyer, party=w.supplier, action="approve", reason="审厂合格")
    text = str(exc.value)
    assert "Business licence" in text and "ISO 9001" in text and "制造类供应商调查表" in text
    base_documents(w.admin, w.supplier)
    from guanxi.suppliers.services.documents import document_add

    document_add(
        actor=w.admin,
        party=w.supplier,
        data={"kind": "iso_9001", "number": "CN-QMS-8", "expires_on": "2099-01-01"},
    )
    review = _answered(w, {ids["iso"]: "yes", ids["staff"]: "8"}, q)
    qsvc.qualification_review(actor=w.pm, qualification=review, decision="pass", version=review.version)
    change = supplier_status_change(actor=w.buyer, party=w.supplier, action="approve", reason="审厂合格")
    approval_approve(actor=w.pm2, request=approval_status_of(change))
    assert Party.objects.get(pk=w.supplier.pk).supplier_status == "approved"


def test_preferred_is_per_category_and_ends_with_the_last_one(w):
    supplies(w.buyer, w.supplier, w.metal, w.packaging)
    party_set_supplier_status(actor=w.admin, party=w.supplier, status="approved")

    def step(action, category=None):
        change = supplier_status_change(
            actor=w.buyer, party=w.supplier, action=action, reason="年度评审", category=category
        )
        if change.state == "pending":
            approval_approve(actor=w.pm, request=approval_status_of(change))
        return Party.objects.get(pk=w.supplier.pk).supplier_status

    with pytest.raises(ValidationError) as exc:
        step("prefer")  # in which category?
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError):
        step("prefer", w.machined.pk)  # not one it supplies
    assert step("prefer", w.metal.pk) == "preferred"
    assert step("prefer", w.packaging.pk) == "preferred"
    assert suppliers_of({w.machined.pk}) == {w.supplier.pk: True}  # preferred in the category above
    with pytest.raises(ValidationError):
        supplier_categories_set(
            actor=w.buyer, party=w.supplier, categories=[w.packaging.pk]
        )  # metal: preferred
    assert step("unprefer", w.metal.pk) == "preferred"  # still in packaging
    assert step("unprefer", w.packaging.pk) == "approved"
    assert not SupplierCategory.objects.filter(preferred=True).exists()
    step("prefer", w.metal.pk)
    assert step("hold") == "on_hold"
    assert not SupplierCategory.objects.filter(preferred=True).exists()  # on hold ends preferred everywhere


def test_a_document_that_expired_while_the_approval_waited_stops_it(w):
    from guanxi.suppliers.models import SupplierDocument

    base_documents(w.admin, w.supplier)
    supplier_status_change(actor=w.buyer, party=w.supplier, action="qualify", reason="资料齐全")
    change = supplier_status_change(actor=w.buyer, party=w.supplier, action="approve", reason="审厂合格")
    SupplierDocument.objects.filter(party=w.supplier, kind="tax_registration").update(expires_on="2020-01-01")
    with pytest.raises(ValidationError) as exc:
        approval_approve(actor=w.pm, request=approval_status_of(change))
    assert "Tax registration has expired" in str(exc.value)
    assert Party.objects.get(pk=w.supplier.pk).supplier_status == "qualified"


def test_a_choice_typed_full_width_is_the_option_and_an_option_is_written_once(w):
    q, ids = _questionnaire(w.pm)
    q2, _ids = _questionnaire(w.pm)
    review = qsvc.qualification_start(actor=w.buyer, party=w.supplier, questionnaire=q.pk)
    review = qsvc.qualification_answers_save(
        actor=w.buyer, qualification=review, answers={ids["audit"]: "Ｂ"}, version=review.version
    )  # typed with a Chinese input method: the full-width letter
    answer = review.answers.get(question_id=ids["audit"])
    assert (answer.value, answer.auto_score) == ("B", 60)
    with pytest.raises(ValidationError) as exc:
        qn.question_add(
            actor=w.pm,
            questionnaire=q2,
            data={
                "text": "等级",
                "kind": "choice",
                "weight": 10,
                "options": "ＩＳＯ　９００１ = 100\nISO 9001 = 50",
            },
        )
    assert "options.1.label" in exc.value.message_dict
