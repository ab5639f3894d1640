"""The supplier's "Spend this year" card: ordered (sent orders, not drafts or cancelled ones) and invoiced, in
each currency, as far as the user sees the orders; nothing for a party the user may not see orders of."""

import pytest

from guanxi.procurement.tests.services.receiving_support import sent_order

pytestmark = pytest.mark.django_db


def test_spend_shows_what_the_user_may_see(client, shop):
    client.force_login(shop.buyer)
    html = client.get(shop.huaqiang.get_absolute_url()).content.decode()
    assert 'id="card-supplier-spend"' in html and "Nothing ordered from this supplier this year." in html
    sent_order(shop)  # 1,000 × ¥2 + 200 × ¥3, 13 % VAT: ¥2,938.00
    html = client.get(shop.huaqiang.get_absolute_url()).content.decode()
    card = html[html.index('id="card-supplier-spend"') :]
    assert "¥2,938.00" in card[: card.index("</div>")]
    client.force_login(shop.buyer_west)  # another team: sees the supplier, not the east team's orders
    html = client.get(shop.huaqiang.get_absolute_url()).content.decode()
    card = html[html.index('id="card-supplier-spend"') :]
    assert "Nothing ordered from this supplier this year." in card[: card.index("</div>")]
    client.force_login(shop.rep)
    assert 'id="card-supplier-spend"' not in client.get(shop.huaqiang.get_absolute_url()).content.decode()
