import pytest

from guanxi.catalog.demo import PRODUCTS, load_demo_catalog
from guanxi.catalog.models import Category, Product
from guanxi.catalog.selectors import catalog as sel
from guanxi.core import roles as R
from guanxi.core.models import ApprovalRequest

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_loads_once_in_both_languages_and_is_searchable(staff, make_user):
    make_user("liu.yang", roles=[R.PROCUREMENT_MANAGER])
    make_user("emily.chen", roles=[R.BUYER])
    assert load_demo_catalog(actor=staff.admin) == len(PRODUCTS) + 1
    assert load_demo_catalog(actor=staff.admin) == 0
    assert Product.objects.count() == len(PRODUCTS) + 1
    # the demo approval rule: the buyer's new product waits for a Procurement Manager
    waiting = Product.objects.get(code="PCB-2L-100")
    assert waiting.approval_status == "pending"
    assert ApprovalRequest.objects.get(object_id=str(waiting.pk)).status == "pending"
    assert not Product.objects.filter(name_zh="").exists() and not Product.objects.filter(name_en="").exists()
    assert Category.objects.filter(parent__isnull=False).count() == 2
    results = sel.product_results(actor=staff.rep, filters=sel.ProductFilters(q="gywg"))  # 工业网关
    assert [p.code for p in results.qs] == ["GW-5000"]
    gateway = Product.objects.get(code="GW-5000")
    assert gateway.prices.get(currency_id="CNY").amount == 2980
