"""The demo's price lists: the default list in CNY with quantity breaks and a dollar dealer list, made once."""

from decimal import Decimal

import pytest

from guanxi.catalog.models import Product
from guanxi.catalog.tests.factories import make_product
from guanxi.crm.demo import load_demo_price_lists
from guanxi.crm.models import PriceList
from guanxi.crm.selectors.pricelists import price_for

pytestmark = pytest.mark.django_db


def test_the_demo_price_lists_load_once_and_price_by_quantity(world):
    for code in ("GW-5000", "SV-INSTALL", "CU-WIRE"):  # the demo catalogue's codes
        make_product(world.admin, code, name_en=code)
    assert load_demo_price_lists() == 2 and load_demo_price_lists() == 0
    default = PriceList.objects.get(is_default=True)
    assert (default.currency_id, default.name_zh, default.items.count()) == ("CNY", "标准价目表", 5)
    assert PriceList.objects.get(currency_id="USD").name_en == "Dealer prices (USD)"
    gateway = Product.objects.get(code="GW-5000")
    day = default.created_at.date()
    prices = [
        price_for(customer=world.huawei, currency="CNY", product=gateway, quantity=Decimal(q), on_date=day)[0]
        for q in ("1", "10", "49", "50")
    ]
    assert prices == [Decimal(2980), Decimal(2830), Decimal(2830), Decimal(2680)]
