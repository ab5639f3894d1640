"""/api/v1/currencies, /exchange-rates, /tax-rates: same rules as the UI, problem+json errors."""

import datetime as dt

import pytest

from guanxi.core.models import AuditEntry, ExchangeRate
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.core.tests.api.helpers import body, fields, ok, problem
from guanxi.core.tests.money.conftest import DAY

pytestmark = pytest.mark.django_db


def test_currencies(api, api_as, rep):
    rows = ok(api.get("/currencies"))
    assert rows[0]["code"] == "AED" and {"CNY", "JPY"} <= {r["code"] for r in rows}
    jpy = ok(api.get("/currencies/jpy"))
    assert jpy == {
        "code": "JPY",
        "name": "Japanese yen",
        "name_en": "Japanese yen",
        "name_zh": "日元",
        "symbol": "JP¥",
        "decimal_places": 0,
        "active": True,
        "version": 1,
    }
    assert ok(api.get("/currencies/JPY", headers={"Accept-Language": "zh-hans"}))["name"] == "日元"
    problem(api.get("/currencies/XYZ"), 404)
    created = ok(api.post("/currencies", {"code": "xau", "name_en": "Gold", "decimal_places": 4}), 201)
    assert created["code"] == "XAU" and created["decimal_places"] == 4
    dup = problem(api.post("/currencies", {"code": "CNY", "name_en": "x"}), 422)
    assert dup["errors"] == [{"field": "code", "message": "CNY is already set up."}]
    changed = ok(api.patch("/currencies/XAU", {"version": 1, "active": False}))
    assert changed["active"] is False and changed["version"] == 2
    problem(api.patch("/currencies/XAU", {"version": 1, "symbol": "Au"}), 409)
    bad = problem(api.patch("/currencies/XAU", {"version": 2, "decimal_places": 2}), 422)
    assert fields(bad) == {"decimal_places"}  # cannot change: not even a known field
    inactive = ok(api.get("/currencies", {"active": "false"}))
    assert [r["code"] for r in inactive] == ["XAU"]
    # a Sales Representative reads, but does not change
    as_rep = api_as(rep)
    assert ok(as_rep.get("/currencies/CNY"))["symbol"] == "¥"
    problem(as_rep.post("/currencies", {"code": "XAG", "name_en": "Silver"}), 403)
    problem(as_rep.patch("/currencies/CNY", {"version": 1, "active": False}), 403)


def test_a_user_without_a_role_is_refused(api_as, nobody):
    client = api_as(nobody)
    for path in ("/currencies", "/tax-rates", "/exchange-rates"):
        problem(client.get(path), 403)
    problem(
        client.get(
            "/exchange-rates/convert", {"amount": "1", "from": "CNY", "to": "CNY", "date": "2026-11-25"}
        ),
        403,
    )


def test_exchange_rates_crud_and_list(api, api_as, rep, admin_user):
    created = ok(
        api.post("/exchange-rates", {"date": "2026-11-25", "base": "usd", "quote": "CNY", "rate": "7.1234"}),
        201,
    )
    assert created["rate"] == "7.1234" and created["base"] == "USD" and created["inverse"] == "0.140382"
    per100 = ok(
        api.post(
            "/exchange-rates",
            {"date": "2026-11-25", "base": "JPY", "quote": "CNY", "rate": "4.7892", "unit": 100},
        ),
        201,
    )
    assert per100["rate"] == "0.047892"
    # the UI's rules, the UI's messages
    bad = problem(
        api.post("/exchange-rates", {"date": "2026-11-25", "base": "USD", "quote": "USD", "rate": "0"}), 422
    )
    assert {(e["field"], e["message"]) for e in bad["errors"]} == {
        ("quote", "Choose two different currencies."),
        ("rate", "A rate must be above 0."),
    }
    taken = problem(
        api.post("/exchange-rates", {"date": "2026-11-25", "base": "CNY", "quote": "USD", "rate": "0.14"}),
        422,
    )
    assert "There is already a rate for USD → CNY" in taken["errors"][0]["message"]
    unknown = problem(
        api.post("/exchange-rates", {"date": "2026-11-25", "base": "XYZ", "quote": "CNY", "rate": "1"}), 422
    )
    assert fields(unknown) == {"base"}
    as_float = problem(
        api.post("/exchange-rates", {"date": "2026-11-25", "base": "EUR", "quote": "CNY", "rate": 7.7}), 422
    )
    assert as_float["errors"] == [{"field": "rate", "message": "Send text (a JSON string)."}]
    # list, filters, pages
    for i in range(1, 4):
        exchange_rate_create(
            actor=admin_user, date=DAY - dt.timedelta(days=i), base="EUR", quote="CNY", rate="7.7"
        )
    page = ok(api.get("/exchange-rates", {"limit": 2}))
    assert [r["date"] for r in page["items"]] == ["2026-11-25", "2026-11-25"] and page["next_cursor"]
    rest = ok(api.get("/exchange-rates", {"limit": 2, "cursor": page["next_cursor"]}))
    assert [r["date"] for r in rest["items"]] == ["2026-11-24", "2026-11-23"]
    eur = ok(api.get("/exchange-rates", {"currency": "eur", "date_to": "2026-11-23"}))
    assert [r["date"] for r in eur["items"]] == ["2026-11-23", "2026-11-22"]
    assert ok(api.get("/exchange-rates", {"base": "JPY", "quote": "CNY"}))["items"][0]["id"] == per100["id"]
    problem(api.get("/exchange-rates", {"cursor": "junk"}), 422)
    problem(api.get("/exchange-rates", {"currency": "EURO"}), 422)
    # get, correct, delete; a representative only reads
    rid = created["id"]
    assert ok(api.get(f"/exchange-rates/{rid}"))["rate"] == "7.1234"
    as_rep = api_as(rep)
    assert ok(as_rep.get(f"/exchange-rates/{rid}"))["id"] == rid
    problem(as_rep.patch(f"/exchange-rates/{rid}", {"version": 1, "rate": "7.3"}), 403)
    problem(as_rep.delete(f"/exchange-rates/{rid}"), 403)
    assert ok(api.patch(f"/exchange-rates/{rid}", {"version": 1, "rate": "7.2"}))["version"] == 2
    problem(api.patch(f"/exchange-rates/{rid}", {"version": 1, "rate": "7.3"}), 409)
    ok(api.delete(f"/exchange-rates/{rid}"), 204)
    problem(api.get(f"/exchange-rates/{rid}"), 404)
    assert AuditEntry.objects.filter(target_type="core.exchangerate", target_id=str(rid)).count() == 3


def test_convert(api, api_as, rep, admin_user):
    exchange_rate_create(
        actor=admin_user, date=DAY - dt.timedelta(days=2), base="USD", quote="CNY", rate="7.1"
    )
    q = {"amount": "100", "from": "CNY", "to": "USD", "date": "2026-11-25"}
    result = ok(api_as(rep).get("/exchange-rates/convert", q))
    assert result["amount"] == "14.08" and result["rate"] == "0.1408450704"
    assert (result["rate_date"], result["exact"]) == ("2026-11-23", False)
    assert result["note"] == "rate of 2026-11-23"
    assert result["legs"][0]["inverted"] is True and result["legs"][0]["rate"] == "7.1"
    none = problem(api.get("/exchange-rates/convert", {**q, "date": "2026-11-01"}), 422)
    assert none["title"].startswith("No exchange rate from CNY to USD on or before 2026-11-01")
    unknown = problem(api.get("/exchange-rates/convert", {**q, "to": "XYZ"}), 422)
    assert fields(unknown) == {"to"}
    problem(api.get("/exchange-rates/convert", {**q, "amount": "1e5"}), 422)
    problem(api.get("/exchange-rates/convert", {"amount": "1", "to": "USD", "date": "2026-11-25"}), 422)
    same = ok(api.get("/exchange-rates/convert", {**q, "to": "CNY"}))
    assert same["amount"] == "100.00" and same["legs"] == [] and same["exact"] is True


def test_import(api, api_as, rep):
    csv = "date,base,quote,rate\n2026-11-25,USD,CNY,7.1234\n2026-11-25,EUR,CNY,7.7\n"
    preview = ok(api.post("/exchange-rates/import", {"csv": csv}))
    assert (preview["applied"], preview["new"], preview["errors"]) == (False, 2, 0)
    assert not ExchangeRate.objects.exists()
    done = ok(api.post("/exchange-rates/import", {"csv": csv, "apply": True}))
    assert done["applied"] and ExchangeRate.objects.count() == 2
    bad_csv = csv.replace("7.7", "-1") + "2026-11-26,USD,CNY,7.2\n"
    checked = ok(api.post("/exchange-rates/import", {"csv": bad_csv}))
    assert [r["status"] for r in checked["rows"]] == ["unchanged", "error", "new"]
    refused = problem(api.post("/exchange-rates/import", {"csv": bad_csv, "apply": True}), 422)
    assert refused["errors"] == [{"field": "rows[3].rate", "message": "A rate must be above 0."}]
    assert ExchangeRate.objects.count() == 2
    no_header = problem(api.post("/exchange-rates/import", {"csv": "hello"}), 422)
    assert no_header["errors"][0]["field"] == "file"
    problem(api_as(rep).post("/exchange-rates/import", {"csv": csv}), 403)


def test_tax_rates(api, api_as, rep):
    rows = ok(api.get("/tax-rates"))
    assert [r["code"] for r in rows][:3] == ["vat13", "vat9", "vat6"]
    vat13 = rows[0]
    assert (vat13["rate"], vat13["kind"], vat13["name_zh"]) == ("13", "standard", "增值税 13%")
    created = ok(api.post("/tax-rates", {"code": "gst", "name_en": "GST", "rate": "9"}), 201)
    over = problem(api.post("/tax-rates", {"code": "x", "name_en": "X", "rate": "100.5"}), 422)
    assert over["errors"] == [{"field": "rate", "message": "A tax rate cannot be above 100 %."}]
    patched = ok(api.patch(f"/tax-rates/{created['id']}", {"version": 1, "rate": "8"}))
    assert patched["rate"] == "8" and patched["version"] == 2
    problem(api_as(rep).post("/tax-rates", {"code": "y", "name_en": "Y", "rate": "5"}), 403)
    assert ok(api_as(rep).get(f"/tax-rates/{vat13['id']}"))["code"] == "vat13"
    net = ok(api.get(f"/tax-rates/{vat13['id']}/calculate", {"amount": "1000", "currency": "CNY"}))
    assert net == {"net": "1000.00", "tax": "130.00", "gross": "1130.00", "rate": "13", "currency": "CNY"}
    gross = ok(
        api.get(f"/tax-rates/{vat13['id']}/calculate", {"amount": "100", "currency": "CNY", "gross": "true"})
    )
    assert (gross["net"], gross["tax"]) == ("88.50", "11.50")
    problem(api.get(f"/tax-rates/{vat13['id']}/calculate", {"amount": "1", "currency": "XYZ"}), 422)
    problem(api.get("/tax-rates/999999"), 404)


def test_errors_in_chinese(api):
    resp = api.post(
        "/exchange-rates",
        {"date": "2026-11-25", "base": "USD", "quote": "USD", "rate": "1"},
        headers={"Accept-Language": "zh-hans"},
    )
    assert body(resp)["errors"][0]["message"] != "Choose two different currencies."
