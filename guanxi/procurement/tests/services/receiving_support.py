"""An order with the supplier (sent), ready to receive against: what the receiving tests share."""

from guanxi.procurement.services.orders import order_create, order_send, order_submit


def sent_order(shop, *lines, supplier=None, actor=None):
    actor = actor or shop.buyer
    rows = list(lines) or [
        {"product": shop.resistor.pk, "quantity": "1000", "unit_price": "2"},
        {"product": shop.carton.pk, "quantity": "200", "unit_price": "3"},
    ]
    o = order_create(actor=actor, data={"supplier": (supplier or shop.huaqiang).pk, "lines": rows})
    o = order_submit(actor=actor, order=o, version=o.version)
    return order_send(actor=actor, order=o, version=o.version)
