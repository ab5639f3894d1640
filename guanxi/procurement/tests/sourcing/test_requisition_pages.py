"""The requisition pages: a sales rep asks (the form keeps input and shows each error), submits; a buyer sees the
approved ones, picks two and makes one RFQ of them; the rep's page shows where each line went."""

import datetime as dt

import pytest
from django.utils import timezone

from guanxi.procurement.models import Requisition, Rfq
from guanxi.procurement.services.approval_rules import requisition_rules_ensure

pytestmark = pytest.mark.django_db


def _post(client, shop, qty="20", **extra):
    return client.post(
        "/purchasing/requisitions/new/",
        {
            "needed_by": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
            "justification": "展会样品包装",
            "currency": "CNY",
            "lines-0-product": shop.carton.pk,
            "lines-0-quantity": qty,
            "lines-0-estimated_price": "3",
            **extra,
        },
    )


def test_ask_submit_and_source(client, shop):
    requisition_rules_ensure()
    client.force_login(shop.rep)
    html = client.get("/purchasing/requisitions/").content.decode()
    assert "No purchase requisitions yet." in html and 'id="req-new"' in html and "source-box" not in html
    resp = _post(client, shop, qty="-1", justification="")
    html = resp.content.decode()
    assert (
        resp.status_code == 200
        and "Enter a quantity above zero." in html
        and "This field is required." in html
    )
    assert 'value="-1"' in html
    resp = _post(client, shop)
    req = Requisition.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/purchasing/requisitions/{req.pk}/"
    resp = client.post(f"/purchasing/requisitions/{req.pk}/submit/", {"version": req.version})
    req.refresh_from_db()
    assert resp.status_code == 302 and req.state == "approved"  # 60 CNY: no approval needed
    _post(client, shop, qty="30")
    other = Requisition.objects.exclude(pk=req.pk).get()
    client.post(f"/purchasing/requisitions/{other.pk}/submit/", {"version": other.version})
    client.force_login(shop.buyer)
    html = client.get("/purchasing/requisitions/").content.decode()
    assert f'id="pick-{req.pk}"' in html and f'id="pick-{other.pk}"' in html
    resp = client.post("/purchasing/requisitions/source/", {"requisition": [req.pk, other.pk], "to": "rfq"})
    rfq = Rfq.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/purchasing/rfqs/{rfq.pk}/"
    assert rfq.lines.get().quantity == 50
    client.force_login(shop.rep)
    page = client.get(f"/purchasing/requisitions/{req.pk}/").content.decode()
    assert rfq.number in page and "Sourced" in page
    again = client.post("/purchasing/requisitions/source/", {"requisition": [req.pk], "to": "rfq"})
    assert again.status_code == 403  # a rep does not source


def test_a_rep_sees_only_their_own(client, shop, make_user):
    from guanxi.core import roles

    client.force_login(shop.rep)
    _post(client, shop)
    req = Requisition.objects.get()
    client.force_login(make_user("rep2", roles=[roles.SALES_REP]))
    assert client.get(f"/purchasing/requisitions/{req.pk}/").status_code == 404
    assert req.number not in client.get("/purchasing/requisitions/").content.decode()
    client.force_login(shop.buyer)
    assert client.get(f"/purchasing/requisitions/{req.pk}/").status_code == 200
    assert (
        client.post(f"/purchasing/requisitions/{req.pk}/submit/", {"version": req.version}).status_code == 403
    )
