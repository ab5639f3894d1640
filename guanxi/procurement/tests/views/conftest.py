"""Fixtures of the purchasing pages' tests (the `shop` fixture is guanxi/procurement/tests/conftest.py's)."""

import pytest

from guanxi.core.money import forget_currencies
from guanxi.procurement.services import prices


@pytest.fixture(autouse=True)
def _fresh_currency_table():  # amounts are formatted from a table of currencies kept in the process
    forget_currencies()
    yield
    forget_currencies()


@pytest.fixture
def priced(shop):
    """The supplier's price of the resistor: ¥0.0035 from 1,000, ¥0.003 from 10,000."""
    prices.supplier_price_record(actor=shop.buyer, data={
        "supplier": shop.huaqiang.pk, "product": shop.resistor.pk, "unit_price": "0.0035", "min_quantity": "1000",
        "supplier_code": "RC0603FR-0710KL", "breaks": [{"min_quantity": "10000", "unit_price": "0.003"}]})  # fmt: skip
    return shop
