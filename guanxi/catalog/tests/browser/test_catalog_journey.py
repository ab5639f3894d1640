"""The Sales Manager sets up a product in a real browser: a category, then a product with a Chinese name and a
CNY price, found again by typing its pinyin initials in the list's search box (htmx, no reload), and a PDF
data sheet attached on its Attachments tab — in English and in Chinese, at desktop width and at 390 px
(nothing wider than the screen, no CSP violation). Screenshots go to /tmp/shots/catalog-*."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from guanxi.catalog.models import Category, Product
from guanxi.catalog.tests.factories import make_product
from guanxi.core.models import Attachment
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.tests.attachments_support import pdf_bytes
from guanxi.core.tests.browser.support import CASES, Journey, follow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("attachments_dir"),
]


@CASES
def test_set_up_find_and_document_a_product(page, live_server, make_user, lang, viewport):
    manager = make_user("boss", roles=[SALES_MANAGER])
    make_product(manager, "CU-1", name_zh="铜线", name_en="Copper wire")  # the search must leave it out
    make_product(
        manager, "GX-10010", name_zh="安装螺丝", name_en="Mounting screw"
    )  # code starts with GX-1001
    problems: list[str] = []  # what goes wrong but lets the journey go on, asserted at the end
    j = Journey(page, live_server, lang, viewport, prefix="catalog")
    T, tag = j.T, j.tag
    j.as_user(manager)
    url = live_server.url

    # 1. A category, from Settings → Product categories.
    page.goto(f"{url}/catalogue/categories/")
    follow(page, page.get_by_role("link", name=T("New category")))
    page.fill("#id_name_zh", "紧固件")
    page.fill("#id_name_en", "Fasteners")
    j.check("category-form")
    follow(page, page.get_by_role("button", name=T("Save")))
    expect(page.locator("#categories")).to_contain_text("紧固件" if lang == "zh-hans" else "Fasteners")
    category = Category.objects.get(name_zh="紧固件")
    j.check("categories")

    # 2. A product with a Chinese name and a CNY price.
    page.goto(f"{url}/catalogue/")
    follow(page, page.get_by_role("link", name=T("New product")))
    page.fill("#id_code", "GX-1001")
    page.fill("#id_name_zh", "不锈钢螺丝")
    page.fill("#id_name_en", "Stainless steel screw M4")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_price_CNY", "0.35")
    j.check("product-form")
    follow(page, page.get_by_role("button", name=T("Save")))
    expect(page.locator(".msg.success")).to_contain_text("GX-1001")
    expect(page.locator("#product-prices")).to_contain_text("¥0.35")
    product = Product.objects.get(code="GX-1001")
    assert product.category == category and product.prices.get().amount == Decimal("0.35")

    # 3. Found again by its pinyin initials, typed in the list's search box (the results swap in place).
    page.goto(f"{url}/catalogue/")
    expect(page.locator("#results")).to_contain_text("铜线")
    page.evaluate("window.notReloaded = true")
    search = page.locator("#filters input[name=q]")
    search.press_sequentially("bxgls", delay=30)
    # "bxgl" finds the same row: wait for the answer to the whole word (a busy machine answers late).
    expect(page).to_have_url(re.compile(r"q=bxgls"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("不锈钢螺丝")
    expect(page.locator("#results")).not_to_contain_text("铜线")
    assert page.evaluate("window.notReloaded") is True
    j.check("search")
    # The first click on a result opens it (typing, then tapping the row, is what everyone does).
    rows.first.get_by_role("link", name="GX-1001").click()
    try:
        page.wait_for_url(f"**/catalogue/{product.pk}/", timeout=8000)
    except PlaywrightTimeoutError:
        problems.append(f"{tag}: the first click on a search result was lost (still on {page.url})")
        page.goto(f"{url}/catalogue/{product.pk}/")
    expect(page.locator("h1")).to_contain_text(
        "不锈钢螺丝" if lang == "zh-hans" else "Stainless steel screw M4"
    )
    j.check("product")

    # 3b. Typing a code puts that exact code first, before codes that merely start with it (best match),
    # although by name 安装螺丝 (an…) sorts before 不锈钢螺丝 (bu…).
    page.goto(f"{url}/catalogue/")
    search = page.locator("#filters input[name=q]")
    search.press_sequentially("gx-1001", delay=30)
    expect(rows).to_have_count(2)
    first = rows.first.locator("td").first.inner_text().strip()
    if first != "GX-1001":
        problems.append(f"{tag}: the live search put {first} before the exact code GX-1001 ({page.url})")
    j.shot("search-code")

    # 4. A PDF data sheet on the Attachments tab.
    page.goto(f"{url}/catalogue/{product.pk}/")
    follow(page, page.get_by_role("tab", name=T("Attachments")))
    panel = page.locator("#attachments-panel")
    expect(panel).to_contain_text(T("No files attached yet."))
    panel.locator("input[name=file]").set_input_files(
        {
            "name": "数据表 GX-1001.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_bytes("Data sheet GX-1001"),
        }
    )
    panel.locator("input[name=description]").fill("Datasheet / 产品规格书")
    panel.get_by_role("button", name=T("Upload")).click()
    expect(panel.locator("tbody tr")).to_have_count(1)
    expect(panel.locator("tbody tr").first).to_contain_text("数据表 GX-1001.pdf")
    expect(panel.locator("tbody tr").first).to_contain_text("产品规格书")
    j.check("attachments")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "数据表 GX-1001.pdf" and str(attachment.object_id) == str(product.pk)

    # 5. The history tab tells it all.
    follow(page, page.get_by_role("tab", name=T("History")))
    expect(page.locator("#tabpanel")).to_contain_text("GX-1001")
    j.check("history")
    assert problems + j.csp == []
