"""Price lists made through the service, as a manager would (the `goods` fixture is in conftest.py)."""

from __future__ import annotations

from guanxi.crm.services.pricelists import pricelist_create


def make_list(actor, *items, name="Trade prices", currency="CNY", **data):
    """`items`: (product, min_quantity, unit_price) triples."""
    rows = [{"product": p.pk, "min_quantity": str(q), "unit_price": str(u)} for p, q, u in items]
    return pricelist_create(actor=actor, data={"name_en": name, "currency": currency, "items": rows, **data})
