import pytest
from django.test import Client

from guanxi.catalog.tests.factories import make_product
from guanxi.core import roles as R
from guanxi.core.models import Role
from guanxi.core.services.approval_rules import approval_rule_create

pytestmark = pytest.mark.django_db


def _page(user, product) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/catalogue/{product.pk}/").content.decode()


def test_the_approval_tab_shows_only_when_the_product_went_or_must_go_through_approval(staff, make_user):
    in_use = make_product(staff.manager, "A-1", name_en="In use")
    assert "?tab=approval" not in _page(staff.rep, in_use)
    make_user("pm", roles=[R.PROCUREMENT_MANAGER])
    approval_rule_create(
        actor=staff.admin,
        document_type="catalog.product",
        name="All new products",
        levels=[{"kind": "role", "role_id": Role.objects.get(code=R.PROCUREMENT_MANAGER).pk, "mode": "any"}],
    )
    draft = make_product(staff.manager, "A-2", name_en="New")
    page = _page(staff.manager, draft)
    assert "?tab=approval" in page and 'id="product-submit"' in page
    assert "?tab=approval" not in _page(staff.rep, in_use)


def test_without_rules_the_rules_page_says_products_need_no_approval_instead_of_warning(staff):
    page = _page_at(staff.admin, "/settings/approval-rules/")
    section = page[page.index('data-document="catalog.product"') :]
    section = section[: section.index("</section>")]
    assert "need no approval" in section and "msg warning" not in section


def _page_at(user, url) -> str:
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()
