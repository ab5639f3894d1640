"""An RFQ goes to the suppliers of its products' categories: another supplier needs a reason (kept on the
invitation), and the picker lists the category's suppliers first, preferred ones before them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.catalog.models import Product
from guanxi.procurement.selectors.pages import invitable_for
from guanxi.procurement.selectors.sourcing import rfq_categories
from guanxi.procurement.services import rfqs
from guanxi.procurement.tests.conftest import supplier
from guanxi.procurement.tests.sourcing.support import _v, draft
from guanxi.suppliers.models import SupplierCategory
from guanxi.suppliers.tests.qualification_support import category, supplies

pytestmark = pytest.mark.django_db


def test_a_supplier_of_another_category_is_invited_only_with_a_reason(shop):
    parts = category(shop.admin, "Electronic parts", name_zh="电子元件")
    resistors = category(shop.admin, "Resistors", parent=parts)
    boxes = category(shop.admin, "Cartons", name_zh="纸箱")
    Product.objects.filter(pk=shop.resistor.pk).update(category=resistors)
    Product.objects.filter(pk=shop.carton.pk).update(category=boxes)
    rfq = draft(shop)
    assert rfq_categories(rfq) == {resistors.pk, boxes.pk}
    supplies(shop.admin, shop.huaqiang, parts)  # the category above the resistors'
    packer = supplier(shop.admin, "厦门包装有限公司", "approved")
    supplies(shop.admin, packer, category(shop.admin, "Labels"))
    SupplierCategory.objects.filter(party=shop.huaqiang).update(preferred=True)
    picker = invitable_for(actor=shop.buyer, categories=rfq_categories(rfq), taken=set())
    assert picker[0] == shop.huaqiang and picker[0].preferred_here
    assert next(s for s in picker if s == packer).of_category is False
    rfqs.rfq_invite(actor=shop.buyer, rfq=rfq, version=_v(rfq), supplier=shop.huaqiang.pk)
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_invite(actor=shop.buyer, rfq=rfq, version=_v(rfq), supplier=packer.pk)
    assert "does not supply the categories" in str(exc.value)
    inv = rfqs.rfq_invite(
        actor=shop.buyer, rfq=rfq, version=_v(rfq), supplier=packer.pk, reason="新纸箱供应商试样"
    )
    assert inv.override_reason == "新纸箱供应商试样"
