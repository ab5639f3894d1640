"""Changing a draft quote's currency re-prices its product lines in the new currency; before the fix the unit
prices kept their numbers (¥3,999.99 became US$3,999.99). A free-text line has no price to take: refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.crm.services import quotes

pytestmark = pytest.mark.django_db


def test_a_currency_change_re_prices_the_product_lines(world, goods):
    q = quotes.quote_create(
        actor=world.rep,
        data={
            "customer": world.huawei.pk,
            "currency": "CNY",
            "lines": [{"product": goods.switch.pk, "quantity": "2"}],
        },
    )
    assert q.lines.get().unit_price == Decimal("3999.99")
    q = quotes.quote_update(actor=world.rep, quote=q, version=q.version, data={"currency": "USD"})
    line = q.lines.get()
    assert (q.currency_id, line.unit_price) == ("USD", Decimal("560"))
    assert q.net_total == Decimal("1120")


def test_a_free_text_line_needs_its_price_in_the_new_currency(world, goods):
    q = quotes.quote_create(
        actor=world.rep,
        data={
            "customer": world.huawei.pk,
            "currency": "CNY",
            "lines": [
                {"product": goods.switch.pk, "quantity": "1"},
                {"description": "安装", "quantity": "1", "unit_price": "800"},
            ],
        },
    )
    with pytest.raises(ValidationError) as exc:
        quotes.quote_update(actor=world.rep, quote=q, version=q.version, data={"currency": "USD"})
    assert list(exc.value.message_dict) == ["lines[1].unit_price"]
    q.refresh_from_db()
    assert q.currency_id == "CNY" and q.lines.order_by("position")[1].unit_price == Decimal("800")
