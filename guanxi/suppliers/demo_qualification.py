"""Demo supplier qualification: a bilingual questionnaire for manufacturers, what the catalogue's categories
require (electronic components: ISO 9001 and the questionnaire; raw materials: ISO 9001), what Emily Chen's
suppliers supply (her first three approved and preferred ones: raw materials and packaging, what the demo RFQs
buy; preferred ones preferred there), a review passed by 刘洋 and one of a qualified supplier that waits for
his review; and a request to add the supplier role to a customer, waiting for its owner's consent. Loaded
once, through the services."""

from __future__ import annotations

from guanxi.catalog.models import Category
from guanxi.core.models import User
from guanxi.parties.models import Party
from guanxi.suppliers.models import Questionnaire, SupplierCategory
from guanxi.suppliers.services import qualifications as qsvc
from guanxi.suppliers.services import questionnaires as qn
from guanxi.suppliers.services.categories import category_requirement_set, supplier_categories_set

QUESTIONS = [
    {"text": "是否通过 ISO 9001 认证？ / Certified to ISO 9001?", "kind": "yes_no", "weight": 30, "required": True},
    {"text": "专职质检人员数量 / Full-time quality inspectors", "kind": "number", "target": "5", "weight": 20,
     "required": True},
    {"text": "近一年客户审核结果 / Last customer audit result", "kind": "choice", "weight": 30, "required": True,
     "options": [{"label": "A 优秀 / excellent", "score": 100}, {"label": "B 合格 / passed", "score": 60},
                 {"label": "C 不合格 / failed", "score": 0}]},
    {"text": "纠正预防措施流程 / Corrective and preventive action process", "kind": "text", "weight": 20,
     "required": False},
]  # fmt: skip


def _category(name_en: str) -> Category | None:
    return Category.objects.filter(name_en=name_en).first()


def load_demo_qualification() -> int:
    """Returns how many reviews were made (0: already there, or no demo buyer, manager or catalogue)."""
    if Questionnaire.objects.exists():
        return 0
    buyer = User.objects.filter(username="emily.chen").first()
    manager = User.objects.filter(username="liu.yang").first()
    electronics, packaging, raw = (
        _category(n) for n in ("Electronic components", "Packaging", "Raw materials")
    )
    if buyer is None or manager is None or electronics is None or packaging is None or raw is None:
        return 0
    q = qn.questionnaire_save(actor=manager, data={"name": "制造类供应商调查表 / Manufacturer questionnaire"})
    for data in QUESTIONS:
        qn.question_add(actor=manager, questionnaire=q, data=data)
    category_requirement_set(actor=manager, category=electronics, documents=["iso_9001"], questionnaire=q.pk)
    category_requirement_set(actor=manager, category=raw, documents=["iso_9001"], questionnaire=None)
    suppliers = list(
        Party.objects.filter(is_supplier=True, owner=buyer, archived_at=None, merged_into=None).order_by(
            "-supplier_status", "id"
        )
    )
    top = [p.pk for p in suppliers if p.supplier_status in ("approved", "preferred")][:3]  # as the RFQs pick
    for i, one in enumerate(suppliers):
        supplied = [raw, packaging] if one.pk in top else [(electronics, packaging, raw)[i % 3]]
        supplier_categories_set(actor=buyer, party=one, categories=[c.pk for c in supplied])
        if one.supplier_status == "preferred":  # the lifecycle's doing in real life ("make preferred")
            SupplierCategory.objects.filter(party=one).update(preferred=True)
    questions = list(q.questions.all())
    answers_good = ["yes", "8", "A 优秀 / excellent", "8D 报告，48 小时内回复 / 8D report within 48 hours"]
    answers_new = ["no", "3", "B 合格 / passed", ""]
    made = 0
    approved = next(
        (
            p
            for p in suppliers
            if p.supplier_status in ("approved", "preferred") and not qsvc.documents_problems(p)
        ),
        None,
    )
    candidate = next((p for p in suppliers if p.supplier_status in ("candidate", "qualified")), None)
    for party, answers, decide in ((approved, answers_good, True), (candidate, answers_new, False)):
        if party is None:
            continue
        review = qsvc.qualification_start(actor=buyer, party=party, questionnaire=q)
        review = qsvc.qualification_answers_save(
            actor=buyer, qualification=review, answers={x.pk: a for x, a in zip(questions, answers, strict=True)},
            version=review.version,
        )  # fmt: skip
        review = qsvc.qualification_submit(actor=buyer, qualification=review, version=review.version)
        if decide and not qsvc.documents_problems(party):
            qsvc.qualification_review(
                actor=manager, qualification=review, decision="pass", version=review.version,
                scores={questions[3].pk: "80"}, note="资料齐全，现场审核通过 / Documents complete, site audit passed",
            )  # fmt: skip
        made += 1
    _demo_role_request(buyer)
    return made


def _demo_role_request(buyer) -> None:
    """A customer of the sales team is also a company we buy from: Emily asks its owner to consent."""
    from guanxi.parties.models import PartyIdentifier
    from guanxi.suppliers.services.role_requests import supplier_role_request

    customers = PartyIdentifier.objects.filter(
        scheme="cn_uscc", party__is_customer=True, party__is_supplier=False, party__owner__isnull=False,
        party__archived_at=None, party__merged_into=None,
    ).select_related("party").order_by("party_id")  # fmt: skip
    held = customers.filter(party__owner__username="wang.wei").first() or customers.first()  # a sales rep's
    if held is not None:
        supplier_role_request(
            actor=buyer, uscc=held.value, reason="同时是我们的包装材料供应商 / Also supplies us packaging"
        )
