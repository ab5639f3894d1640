import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guanxi.core.tests.factories import make_company
from guanxi.crm.models import SalesOrder
from guanxi.crm.services import lifecycle, orders, quotes
from guanxi.parties.models import Party


def test_active_inactive_lost(world, client):
    make_company(name_zh="关系示范", default_currency="CNY", is_default=True)
    Party.objects.filter(pk=world.huawei.pk).update(is_customer=True, customer_status="prospect")
    q = quotes.quote_create(
        actor=world.rep,
        data={"customer": world.huawei.pk, "lines": [{"description": "x", "unit_price": "10"}]},
    )
    q = quotes.quote_send(
        actor=world.rep,
        quote=quotes.quote_submit(actor=world.rep, quote=q, version=q.version),
        version=q.version + 1,
    )
    orders.quote_accept(actor=world.rep, quote=q, version=q.version)
    assert Party.objects.get(pk=world.huawei.pk).customer_status == "active"
    assert lifecycle.customers_mark_inactive() == 0  # ordered today
    SalesOrder.objects.update(ordered_on=dt.date.today() - dt.timedelta(days=200))
    assert lifecycle.customers_mark_inactive() == 1 and lifecycle.customers_mark_inactive() == 0
    assert Party.objects.get(pk=world.huawei.pk).customer_status == "inactive"
    with pytest.raises(ValidationError):
        lifecycle.customer_mark_lost(actor=world.rep, party=world.huawei, reason="  ")
    lifecycle.customer_mark_lost(actor=world.rep, party=world.huawei, reason="换了供应商")
    assert Party.objects.get(pk=world.huawei.pk).customer_status == "lost"
    client.force_login(world.manager)
    assert client.get(reverse("crm:pipelines")).status_code == 200
    r = client.post(reverse("crm:sales_settings"), {"inactive_after_days": "90"})
    assert r.status_code == 302
    from guanxi.crm.models import SalesSettings

    assert SalesSettings.current().inactive_after_days == 90
