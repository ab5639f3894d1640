import datetime as dt
import subprocess
from decimal import Decimal

from django.core import mail
from django.urls import reverse

from guanxi.catalog.tests.factories import make_product
from guanxi.core.models import TaxRate
from guanxi.core.tests.factories import make_company
from guanxi.crm.services import orders, quotes
from guanxi.parties.models import Party


def test_quote_to_order(world, client, django_capture_on_commit_callbacks, tmp_path):
    make_company(
        name_zh="关系示范科技有限公司", name_en="Guanxi Demo", default_currency="CNY", is_default=True
    )
    vat = TaxRate.objects.get(code="vat13")
    switch = make_product(
        world.admin,
        "SW-48",
        name_zh="48口交换机",
        name_en="48-port switch",
        tax_rate=vat.pk,
        prices=[{"currency": "CNY", "amount": "3999.99"}],
    )
    Party.objects.filter(pk=world.huawei.pk).update(
        is_customer=True, customer_status="prospect", preferred_language="zh-hans"
    )
    q = quotes.quote_create(
        actor=world.rep,
        data={
            "customer": world.huawei.pk,
            "lines": [
                {"product": switch.pk, "quantity": "3", "discount_percent": "5"},
                {
                    "description": "安装调试服务",
                    "quantity": "1",
                    "unit_price": "800",
                    "tax_rate": TaxRate.objects.get(code="vat6").pk,
                },
            ],
        },
    )
    # 3 × 3999.99 × 95 % = 11399.9715 → 11399.97; tax 13 % = 1481.9961 → 1482.00; service 800.00 + 48.00
    assert (
        q.number.startswith("QT-")
        and q.net_total == Decimal("12199.97")
        and q.tax_total == Decimal("1530.00")
    )
    assert q.gross_total == Decimal("13729.97") and q.max_discount == Decimal("5")
    q = quotes.quote_submit(actor=world.rep, quote=q, version=q.version)
    assert q.state == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        q = quotes.quote_send(actor=world.rep, quote=q, version=q.version, email="buyer@huawei.example")
    assert q.state == "sent" and len(mail.outbox) == 1
    pdf = mail.outbox[0].attachments[0][1]
    path = tmp_path / "q.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "壹万叁仟柒佰贰拾玖元玖角柒分" in text and q.number in text and "48口交换机" in text
    order = orders.quote_accept(actor=world.rep, quote=q, version=q.version)
    assert order.number.startswith("SO") and order.gross_total == q.gross_total and order.lines.count() == 2
    assert Party.objects.get(pk=world.huawei.pk).customer_status == "active"
    client.force_login(world.rep)
    for url in [
        reverse("crm:quotes"),
        reverse("crm:quote", args=[q.pk]),
        reverse("crm:orders"),
        reverse("crm:order", args=[order.pk]),
        reverse("crm:quote_create") + f"?customer={world.huawei.pk}",
        world.huawei.get_absolute_url() + "?tab=quotes",
    ]:
        assert client.get(url).status_code == 200, url
    revision = quotes.quotes_expire(today=dt.date.today() + dt.timedelta(days=400))
    assert revision == 0  # accepted ones do not expire
