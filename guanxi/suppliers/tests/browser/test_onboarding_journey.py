"""Onboarding a supplier in a real browser, approved by a second user. The Buyer who holds a candidate opens
its Qualification tab, says what it supplies (metal parts: ISO 9001 and the manufacturer questionnaire are
then required), adds the ISO 9001 certificate with its PDF on the documents form, starts the review, submits
it without the required answer (refused on the question), then answered. The Procurement Manager opens the
review, passes it: the supplier is qualified. The Buyer asks to approve it; the Procurement Manager approves it
from Approvals: approved. In English at 1280 px and in 简体中文 at 390 px (nothing wider than the screen, no
CSP violation, none of the feature's English left on a Chinese page). Screenshots: /tmp/shots/onboarding-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.attachments_support import pdf_bytes
from guanxi.core.tests.browser.support import CASES, Journey, follow
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import Qualification, SupplierDocument
from guanxi.suppliers.services import questionnaires as qn
from guanxi.suppliers.services.lifecycle import lifecycle_rule_ensure
from guanxi.suppliers.tests.qualification_support import base_documents, category, requires

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("attachments_dir"),
]

SUPPLIER = "宁波精工金属制品有限公司"
QUESTIONNAIRE = "制造类供应商调查表"
QUESTION = "是否通过 ISO 9001 认证？"
SHOWN = [
    "Qualification",
    "What it supplies",
    "No categories yet.",
    "Change what it supplies",
    "Required",
    "Documents:",
    "Questionnaires:",
    "Qualification reviews",
    "No reviews yet.",
    "Start a review",
    "Save the answers",
    "Submit for review",
    "This question needs an answer.",
    "Waiting for review",
    "Pass mark",
    "Pass",
    "Fail",
    "Passed",
    "Score",
    "Add the document",
    "Certificate number",
    "Expires on",
]


@CASES
def test_a_buyer_onboards_a_supplier_and_a_procurement_manager_passes_and_approves_it(
    page, live_server, make_user, admin_user, lang, viewport
):
    url = live_server.url
    east = Team.objects.create(name="East")
    buyer = make_user("emily", roles=[R.BUYER], teams=[east], language=lang)
    manager = make_user("liu", roles=[R.PROCUREMENT_MANAGER], language=lang)
    lifecycle_rule_ensure()
    metal = category(admin_user, "Metal parts", name_zh="金属件")
    q = qn.questionnaire_save(actor=admin_user, data={"name": QUESTIONNAIRE, "pass_score": "60"})
    question = qn.question_add(
        actor=admin_user, questionnaire=q, data={"text": QUESTION, "weight": 100, "required": True}
    )
    requires(admin_user, metal, "iso_9001", questionnaire=q.pk)
    supplier = make_org(admin_user, SUPPLIER, customer=False, supplier=True, owner=buyer)
    base_documents(buyer, supplier)
    tab_url = f"{url}{supplier.get_absolute_url()}?tab=supplier_qualification"
    j = Journey(
        page, live_server, lang, viewport, prefix="onboarding", shown=SHOWN, ignore=[QUESTIONNAIRE, QUESTION]
    )
    T = j.T
    panel = page.locator("#supplier-qualification")

    # 1. The Buyer: what the supplier supplies, then what that requires.
    j.as_user(buyer)
    page.goto(tab_url)
    expect(panel.locator("#supplied-categories")).to_have_text(T("No categories yet."))
    j.check("tab-empty")
    follow(page, panel.locator("#categories-edit"))
    name = "Metal parts" if lang == "en" else "金属件"  # data: the category's name in the page's language
    page.locator("#category-choices").get_by_label(name).check()
    j.check("categories")
    follow(page, page.locator("#categories-save"))
    assert page.url == tab_url
    expect(panel.locator("#supplied-categories")).to_contain_text(name)
    expect(panel.locator("#required-documents")).to_contain_text(T("ISO 9001 certificate"))
    expect(panel.locator("#required-questionnaires")).to_contain_text(QUESTIONNAIRE)

    # 2. The ISO 9001 certificate with its PDF, on the documents form.
    page.goto(f"{url}/suppliers/{supplier.pk}/documents/new/")
    form = page.locator("#document-form")
    form.locator("#doc-kind").select_option("iso_9001")
    form.locator("#doc-number").fill("CN-QMS-2026-018")
    form.locator("#doc-expires").fill("2029-06-30")
    form.locator("#doc-file").set_input_files(
        {"name": "ISO9001.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    j.check("document")
    follow(page, page.locator("#document-save"))
    assert SupplierDocument.objects.get(party=supplier, kind="iso_9001").attachment is not None

    # 3. The review: started, refused without the required answer, then answered and submitted.
    page.goto(tab_url)
    follow(page, panel.locator("#qualification-start button"))
    review = Qualification.objects.get(party=supplier)
    assert page.url == f"{url}{review.get_absolute_url()}"
    follow(page, page.locator("#qualification-submit"))
    row = page.locator(f"#question-{question.pk}")
    expect(row.locator("p.error")).to_have_text(T("This question needs an answer."))
    j.check("review-refused")
    row.locator("select").select_option("yes")
    follow(page, page.locator("#qualification-submit"))
    expect(page.locator("#qualification-state")).to_have_text(T("Waiting for review"))
    expect(page.locator("#qualification-pass")).to_have_count(0)  # the Buyer does not review
    j.check("review-submitted")

    # 4. The Procurement Manager passes it: the candidate is qualified.
    j.as_user(manager)
    page.goto(f"{url}{review.get_absolute_url()}")
    expect(page.locator("#qualification-score")).to_contain_text("100")
    j.check("review-decide")
    follow(page, page.locator("#qualification-pass"))
    expect(page.locator("#qualification-state")).to_have_text(T("Passed"))
    assert Party.objects.get(pk=supplier.pk).supplier_status == "qualified"
    j.check("review-passed")

    # 5. The Buyer asks to approve it; the Procurement Manager approves it from Approvals.
    j.as_user(buyer)
    page.goto(f"{url}/suppliers/{supplier.pk}/status/approve/")
    page.locator("#id_reason").fill("资质审核通过，文件齐全")
    follow(page, page.locator("#status-change-form button.primary"))
    j.approve_from_inbox(manager, SUPPLIER, T("Supplier status change"))
    assert Party.objects.get(pk=supplier.pk).supplier_status == "approved"
    j.finish()
