"""What the purchase order page tests share: an order made through the services and taken through steps,
a page read with its status checked, the orders a list shows, the operation buttons a page offers, the
messages a redirect left."""

from __future__ import annotations

import re

from django.urls import reverse

from guanxi.core.selectors.approvals import inbox_steps
from guanxi.core.services.approvals import approval_approve
from guanxi.procurement.models import PurchaseOrder
from guanxi.procurement.services import orders as svc

BUTTONS = {"edit": 'id="order-edit"', "submit": 'id="order-submit"', "send": 'id="order-send"',
           "confirm": 'id="confirm-form"', "change": 'id="order-change"', "cancel": 'id="cancel-form"',
           "close": 'id="close-form"'}  # fmt: skip
PLAIN = [{"description": "Cartons", "quantity": "100", "unit_price": "2"}]


def new(shop, *steps, actor=None, **data):
    actor = actor or shop.buyer
    lines = [{"product": shop.resistor.pk, "quantity": "20000", "requested_date": "2030-01-10"},
             {"description": "Custom reel", "quantity": "2", "unit_price": "5000"}]  # fmt: skip
    o = svc.order_create(actor=actor, data={"supplier": shop.huaqiang.pk, "lines": lines, **data})
    for step in steps:
        if step == "approve":
            waiting = inbox_steps(actor=shop.pm).get(request__object_id=str(o.pk))
            approval_approve(actor=shop.pm, request=waiting.request)
        elif step == "confirm":
            dates = {x.pk: "2030-01-12" for x in o.lines.all()}
            o = svc.order_confirm(actor=actor, order=o, version=o.version, dates=dates)
        else:
            o = getattr(svc, f"order_{step}")(actor=actor, order=o, version=o.version)
        o = PurchaseOrder.objects.get(pk=o.pk)
    return o


def page(client, url, status=200) -> str:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    return resp.content.decode()


def rows(html: str) -> list[str]:
    return re.findall(r'<a href="/purchasing/orders/\d+/">([^<]+)</a>', html)


def buttons(html: str) -> set[str]:
    return {name for name, marker in BUTTONS.items() if marker in html}


def messages_of(client) -> str:
    """The messages a redirect left, read on the next page."""
    return " ".join(
        re.findall(
            r'<p class="msg [^"]*" role="status">([^<]*)</p>', page(client, reverse("procurement:orders"))
        )
    )
