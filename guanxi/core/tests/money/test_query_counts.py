"""The money lists cost a fixed number of queries, however many rows they show: 3 rows cost what 30 do,
and no more than the bound written here (web pages and API lists)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.core.models import Currency, ExchangeRate, TaxRate
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.core.services.money import currency_create, tax_rate_create
from guanxi.core.tests.api.helpers import ApiClient
from guanxi.core.tests.money.conftest import DAY

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def _guarded(client, url, grow, *, rows, maximum, params=None):
    grow(0, 3)
    client.get(url, params or {})  # warm-up: once-a-minute writes (session last seen, token last used)
    few = _queries(client, url, params)
    assert rows(client.get(url, params or {})) == 3
    grow(3, 30)
    many = _queries(client, url, params)
    assert rows(client.get(url, params or {})) == 30
    assert many == few, f"{url}: {few} queries for 3 rows, {many} for 30"
    assert many <= maximum, f"{url}: {many} queries, at most {maximum} expected"


@pytest.fixture
def rep_client(rep):
    c = Client()
    c.force_login(rep)
    return c


def _rates(actor):
    def grow(start, stop):
        for i in range(start, stop):
            exchange_rate_create(
                actor=actor, date=DAY - dt.timedelta(days=i), base="USD", quote="CNY", rate=f"7.{i:02d}"
            )

    return grow


def _only_new_currencies(actor):
    Currency.objects.all().delete()

    def grow(start, stop):
        for i in range(start, stop):
            currency_create(actor=actor, code=f"X{chr(65 + i // 26)}{chr(65 + i % 26)}", name_en=f"C{i}")

    return grow


def _only_new_taxes(actor):
    TaxRate.objects.all().delete()

    def grow(start, stop):
        for i in range(start, stop):
            tax_rate_create(actor=actor, code=f"t{i}", name_en=f"T{i}", rate=str(i + 1))

    return grow


def test_exchange_rates_page(rep_client, admin_user):
    # Session, user, roles (menu), unread notifications (the bell); the count and the page of rates; the
    # currencies of the filter and the converter's pickers (one query for both).
    _guarded(
        rep_client,
        reverse("core:exchange_rates"),
        _rates(admin_user),
        rows=lambda r: len(r.context["page"].object_list),
        maximum=7,
        params={"currency": "USD"},
    )


def test_currencies_page(rep_client, admin_user):
    _guarded(
        rep_client,
        reverse("core:currencies"),
        _only_new_currencies(admin_user),
        rows=lambda r: len(r.context["page"].object_list),
        maximum=6,  # and the unread notifications of the bell
    )


def test_tax_rates_page(rep_client, admin_user):
    _guarded(
        rep_client,
        reverse("core:tax_rates"),
        _only_new_taxes(admin_user),
        rows=lambda r: len(r.context["page"].object_list),
        maximum=6,  # and the unread notifications of the bell
    )


def test_rate_history_page(rep_client, admin_user):
    _guarded(
        rep_client,
        reverse("core:exchange_rate_history"),
        _rates(admin_user),
        rows=lambda r: len(r.context["page"].object_list),
        maximum=6,  # and the unread notifications of the bell
    )


def test_api_lists(rep, admin_user):
    # token, user, roles; the list (a page of rates: limit + 1 rows)
    client = _Headers(ApiClient(rep, scope="read"))
    _guarded(client, "/api/v1/exchange-rates", _rates(admin_user), rows=_count, maximum=4)
    ExchangeRate.objects.all().delete()
    _guarded(client, "/api/v1/currencies", _only_new_currencies(admin_user), rows=_count, maximum=4)
    _guarded(client, "/api/v1/tax-rates", _only_new_taxes(admin_user), rows=_count, maximum=4)


def _count(response) -> int:
    data = response.json()
    return len(data["items"] if isinstance(data, dict) else data)


class _Headers:
    """The API client's Django client with its token on every GET."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def get(self, url, params=None):
        return self.api.client.get(url, params or {}, headers=self.api.headers)
