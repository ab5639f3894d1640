"""Settings → Currencies, Exchange rates, Tax rates: reading for every role, changing for administrators,
inline errors that keep the input, empty states, filters, import, converter."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from guanxi.core.models import AuditEntry, Currency, ExchangeRate, TaxRate
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.core.tests.money.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_user):
    c = Client()
    c.force_login(admin_user)
    return c


@pytest.fixture
def rep_client(rep):
    c = Client()
    c.force_login(rep)
    return c


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_every_role_reads_and_the_menu_offers_it(rep_client):
    for name in ("currencies", "exchange_rates", "tax_rates", "exchange_rate_history"):
        page = html(rep_client.get(reverse(f"core:{name}")))
        assert reverse("core:currencies") in page and reverse("core:tax_rates") in page
    page = html(rep_client.get(reverse("core:currencies")))
    assert "Japanese yen" in page and reverse("core:currency_create") not in page
    assert reverse("core:currency_edit", args=["CNY"]) not in page
    assert "VAT 13 %" in html(rep_client.get(reverse("core:tax_rates")))


def test_changing_is_for_administrators(rep_client, admin_user):
    row = exchange_rate_create(actor=admin_user, date=DAY, base="USD", quote="CNY", rate="7")
    vat = TaxRate.objects.get(code="vat13")
    for url in (
        reverse("core:currency_create"),
        reverse("core:currency_edit", args=["CNY"]),
        reverse("core:tax_rate_create"),
        reverse("core:tax_rate_edit", args=[vat.pk]),
        reverse("core:exchange_rate_create"),
        reverse("core:exchange_rate_edit", args=[row.pk]),
        reverse("core:exchange_rate_import"),
    ):
        assert rep_client.get(url).status_code == 403, url
        assert rep_client.post(url, {"rate": "1", "code": "XTS", "name_en": "x"}).status_code == 403, url
    assert rep_client.post(reverse("core:exchange_rate_delete", args=[row.pk])).status_code == 403
    assert ExchangeRate.objects.get().rate == 7 and not Currency.objects.filter(code="XTS").exists()


def test_no_role_no_money_pages(client, nobody):
    client.force_login(nobody)
    for name in ("currencies", "exchange_rates", "tax_rates"):
        assert client.get(reverse(f"core:{name}")).status_code == 403
    assert client.get(reverse("core:exchange_rate_edit", args=[1])).status_code == 403


def test_missing_records_are_404(admin_client):
    assert admin_client.get(reverse("core:currency_edit", args=["XYZ"])).status_code == 404
    assert admin_client.get(reverse("core:tax_rate_edit", args=[99999])).status_code == 404
    assert admin_client.get(reverse("core:exchange_rate_edit", args=[99999])).status_code == 404


def test_new_currency_inline_errors_keep_the_input(admin_client):
    url = reverse("core:currency_create")
    page = html(admin_client.post(url, {"code": "CNY", "name_en": "Renminbi again", "decimal_places": "2"}))
    assert "CNY is already set up." in page and 'value="Renminbi again"' in page
    response = admin_client.post(
        url, {"code": "xau", "name_en": "Gold", "name_zh": "黄金", "decimal_places": "4", "active": "on"}
    )
    assert response.status_code == 302 and Currency.objects.get(code="XAU").decimal_places == 4


def test_edit_currency_and_its_history(admin_client):
    url = reverse("core:currency_edit", args=["USD"])
    page = html(admin_client.get(url))
    assert "Decimal places: 2 (fixed)." in page and 'name="decimal_places"' not in page
    response = admin_client.post(
        url, {"name_en": "US dollar", "name_zh": "美元", "symbol": "US$", "version": "1"}
    )
    assert response.status_code == 302
    usd = Currency.objects.get(code="USD")
    assert (usd.symbol, usd.active) == ("US$", False)  # the box was not ticked
    stale = html(admin_client.post(url, {"name_en": "Dollar", "symbol": "$", "active": "on", "version": "1"}))
    assert "Someone else changed this record" in stale and 'value="Dollar"' in stale
    assert "US$" in html(admin_client.get(url))  # in the history


def test_tax_rate_form(admin_client):
    url = reverse("core:tax_rate_create")
    page = html(admin_client.post(url, {"code": "x", "name_en": "X", "kind": "standard", "rate": "120"}))
    assert "Ensure this value is less than or equal to 100." in page and 'value="120"' in page
    page = html(admin_client.post(url, {"code": "x", "name_en": "X", "kind": "exempt", "rate": "5"}))
    assert "Zero-rated and exempt taxes have a rate of 0 %." in page
    ok = admin_client.post(
        url, {"code": "gst9", "name_en": "GST", "kind": "standard", "rate": "9", "active": "on"}
    )
    assert ok.status_code == 302
    tax = TaxRate.objects.get(code="gst9")
    edit = reverse("core:tax_rate_edit", args=[tax.pk])
    assert 'value="9"' in html(admin_client.get(edit))
    admin_client.post(
        edit, {"name_en": "GST", "kind": "standard", "rate": "8", "active": "on", "version": "1"}
    )
    assert TaxRate.objects.get(code="gst9").rate == 8


def test_enter_a_rate_with_inline_errors(admin_client):
    url = reverse("core:exchange_rate_create")
    page = html(admin_client.get(url))
    assert '<option value="CNY">CNY · Chinese yuan (renminbi)</option>' in page
    page = html(admin_client.post(url, {"date": "2026-11-25", "base": "USD", "quote": "USD", "rate": "-7.1"}))
    assert "Choose two different currencies." in page and "A rate must be above 0." in page
    assert 'value="-7.1"' in page and 'value="2026-11-25"' in page
    response = admin_client.post(
        url, {"date": "2026-11-25", "base": "USD", "quote": "CNY", "rate": "7.1234"}, follow=True
    )
    assert "Rate saved: 2026-11-25 1 USD = 7.1234 CNY." in html(response)
    page = html(admin_client.post(url, {"date": "2026-11-25", "base": "CNY", "quote": "USD", "rate": "0.14"}))
    assert "There is already a rate for USD → CNY on 2026-11-25: change that one instead." in page


def test_edit_and_delete_a_rate(admin_client, admin_user):
    row = exchange_rate_create(actor=admin_user, date=DAY, base="USD", quote="CNY", rate="7.1234")
    url = reverse("core:exchange_rate_edit", args=[row.pk])
    assert 'value="7.1234"' in html(admin_client.get(url))
    page = html(admin_client.post(url, {"rate": "abc", "version": "1"}))
    assert "Enter the rate as a number, e.g. 7.1234." in page and 'value="abc"' in page
    assert admin_client.post(url, {"rate": "7.2", "version": "1"}).status_code == 302
    stale = html(admin_client.post(url, {"rate": "7.3", "version": "1"}))
    assert "Someone else changed this record" in stale
    assert "7.1234" in html(admin_client.get(url))  # the history shows the old value
    assert admin_client.get(reverse("core:exchange_rate_delete", args=[row.pk])).status_code == 405
    assert "Rate deleted" in html(
        admin_client.post(reverse("core:exchange_rate_delete", args=[row.pk]), follow=True)
    )
    assert not ExchangeRate.objects.exists()
    history = html(admin_client.get(reverse("core:exchange_rate_history")))
    assert history.count("2026-11-25 1 USD = 7.") == 3  # created, changed, deleted


def test_list_filters_empty_states_and_htmx(admin_client, admin_user):
    url = reverse("core:exchange_rates")
    empty = html(admin_client.get(url))
    assert "No exchange rates yet." in empty and reverse("core:exchange_rate_import") in empty
    exchange_rate_create(actor=admin_user, date=DAY, base="USD", quote="CNY", rate="7.1234")
    exchange_rate_create(
        actor=admin_user, date=DAY - dt.timedelta(days=5), base="EUR", quote="CNY", rate="7.7"
    )
    page = html(admin_client.get(url))
    assert "1 USD = 7.1234 CNY" in page and "1 CNY = 0.140382 USD" in page and "1 EUR = 7.7 CNY" in page
    usd = html(admin_client.get(url, {"currency": "USD"}))
    assert "1 USD = 7.1234 CNY" in usd and "1 EUR" not in usd
    none = html(admin_client.get(url, {"currency": "JPY"}))
    assert "No rates match these filters." in none
    partial = admin_client.get(
        url, {"date_to": "2026-11-21"}, headers={"HX-Request": "true", "HX-Target": "rate-results"}
    )
    text = html(partial)
    assert "<html" not in text and "1 EUR = 7.7 CNY" in text and "1 USD" not in text
    bad = html(admin_client.get(url, {"date_from": "yesterday"}))
    assert "Enter a valid date." in bad and "1 USD = 7.1234 CNY" in bad  # a bad filter shows it and all rows


def test_pages_keep_the_filters(admin_client, admin_user):
    for i in range(55):
        exchange_rate_create(
            actor=admin_user, date=DAY - dt.timedelta(days=i), base="USD", quote="CNY", rate="7"
        )
    page = html(admin_client.get(reverse("core:exchange_rates"), {"currency": "USD"}))
    assert "?currency=USD&amp;page=2" in page
    second = admin_client.get(reverse("core:exchange_rates"), {"currency": "USD", "page": "2"})
    assert len(second.context["page"].object_list) == 5


def test_convert_page_and_partial(admin_client, rep_client, admin_user):
    exchange_rate_create(
        actor=admin_user, date=DAY - dt.timedelta(days=1), base="USD", quote="CNY", rate="7.1234"
    )
    url = reverse("core:exchange_rate_convert")
    q = {"amount": "100", "from_currency": "USD", "to_currency": "CNY", "date": "2026-11-25"}
    page = html(rep_client.get(url, q))
    assert "$100.00" in page and "¥712.34" in page
    assert "There is no rate for 2026-11-25: the latest earlier one (2026-11-24) was used." in page
    partial = html(
        rep_client.get(
            url, {**q, "from_currency": "CNY", "to_currency": "USD"}, headers={"HX-Request": "true"}
        )
    )
    assert (
        "<html" not in partial
        and "$14.04" in partial
        and "Computed from the rate entered as USD → CNY." in partial
    )
    none = html(rep_client.get(url, {**q, "date": "2026-01-01"}))
    assert "No exchange rate from USD to CNY on or before 2026-01-01" in none
    invalid = html(rep_client.get(url, {**q, "amount": "lots"}, headers={"HX-Request": "true"}))
    assert "Enter a number." in invalid


def test_import_preview_then_import(admin_client):
    url = reverse("core:exchange_rate_import")
    assert "Choose a file or paste the rows." in html(admin_client.post(url, {}))
    text = "date,base,quote,rate\n2026-11-25,USD,CNY,7.1234\n2026-11-25,XYZ,CNY,1\n"
    page = html(admin_client.post(url, {"text": text}))
    assert "Unknown currency “XYZ”" in page and "Nothing was imported" in page
    assert 'name="apply"' not in page and "2026-11-25,XYZ,CNY,1" in page  # the rows are kept to correct
    good = text.replace("XYZ", "EUR")
    page = html(admin_client.post(url, {"text": good}))
    assert "2 new, 0 changed, 0 unchanged, 0 with errors." in page and 'name="apply"' in page
    assert not ExchangeRate.objects.exists()
    done = admin_client.post(url, {"text": good, "apply": "1"}, follow=True)
    assert "Imported: 2 new, 0 changed, 0 unchanged." in html(done)
    assert ExchangeRate.objects.count() == 2
    assert AuditEntry.objects.filter(target_type="core.exchangerate").count() == 2


def test_import_an_uploaded_file(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "rates.csv", "日期,基准货币,报价货币,汇率\n2026-11-25,USD,CNY,7.1\n".encode("gb18030")
    )
    page = html(admin_client.post(reverse("core:exchange_rate_import"), {"file": upload}))
    assert "1 new" in page and "2026-11-25,USD,CNY,7.1" in page  # carried to the import step as text


def test_chinese_pages(admin_client, admin_user):
    admin_user.language = "zh-hans"
    admin_user.save()
    page = admin_client.get(reverse("core:tax_rates"), headers={"Accept-Language": "zh-hans"})
    text = html(page)
    assert "增值税 13%" in text and "免税" in text
