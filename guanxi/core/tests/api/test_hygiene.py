"""API hygiene: nothing is silently ignored, every error is problem+json in the caller's language, HEAD works
where GET does, and the OpenAPI document names operations with short, stable ids."""

from __future__ import annotations

import json
import re

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from guanxi.core.tests.api.helpers import PROBLEM, ApiClient, fields, ok, problem

pytestmark = pytest.mark.django_db

ZH = {"Accept-Language": "zh-hans"}
CJK = re.compile(r"[\u4e00-\u9fff]")


# Unknown fields and parameters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/tags", {"name": "VIP", "colour": "#000000"}, "colour"),
        ("/organizations", {"name": "Acme", "is_custmer": True}, "is_custmer"),
        (
            "/organizations",
            {"name": "Acme", "identifiers": [{"scheme": "cn_uscc", "value": "1", "x": 1}]},
            "identifiers.0.x",
        ),
        ("/organizations", {"name": "Acme", "address": {"street": "1 Rd", "town": "Xiamen"}}, "address.town"),
        ("/contacts", {"name": "Wang Wei", "organisation_id": 1}, "organisation_id"),
    ],
)
def test_unknown_body_fields_are_refused_by_name(api, path, payload, field):
    data = problem(api.post(path, payload), 422)
    assert field in fields(data)
    assert ok(api.get("/tags")) == [] and ok(api.get("/organizations"))["items"] == []


def test_unknown_field_in_a_patch_is_refused_and_nothing_changes(api):
    tag = ok(api.post("/tags", {"name": "VIP"}), 201)
    data = problem(api.patch(f"/tags/{tag['id']}", {"nmae": "Renamed"}), 422)
    assert fields(data) == {"nmae"}
    assert ok(api.get(f"/tags/{tag['id']}"))["name"] == "VIP"


@pytest.mark.parametrize(
    ("path", "params", "unknown"),
    [
        ("/organizations", {"q": "acme", "sort_by": "name"}, {"sort_by"}),
        ("/contacts", {"limit": 5, "ownr": 1, "page": 2}, {"ownr", "page"}),
        ("/tags", {"name": "VIP"}, {"name"}),
        ("/me", {"format": "xml"}, {"format"}),
    ],
)
def test_unknown_query_parameters_are_refused_by_name(api, path, params, unknown):
    data = problem(api.get(path, params), 422)
    assert fields(data) == unknown


def test_unknown_query_parameter_on_a_write_is_refused_before_anything_is_done(api):
    problem(api.post("/tags?dry_run=1", {"name": "VIP"}), 422)
    assert ok(api.get("/tags")) == []


def test_unknown_query_parameters_still_need_credentials(anon_api):
    problem(anon_api.get("/organizations", {"bogus": 1}), 401)


def test_too_many_query_parameters_is_a_400_problem(api):
    query = "&".join(["a"] * 1200)  # under the URL limit, over DATA_UPLOAD_MAX_NUMBER_FIELDS
    problem(api.client.get(f"/api/v1/organizations?{query}", headers=api.headers), 400)


# Field messages in the caller's language --------------------------------------------------------------


CASES = [
    # (method, path, body or query, field, English message, a number the message must carry)
    ("post", "/tags", {}, "name", "This field is required.", None),
    ("post", "/tags", {"name": "x" * 51}, "name", "Use at most 50 characters.", "50"),
    ("post", "/tags", {"name": ""}, "name", "Use at least 1 character.", "1"),
    ("post", "/tags", {"name": 12}, "name", "Send text (a JSON string).", None),
    ("post", "/tags", {"name": "a", "color": "red"}, "color", "Enter a value in the expected format.", None),
    ("post", "/tags", {"name": "a", "x": 1}, "x", "Unknown field: check its name.", None),
    (
        "post",
        "/organizations",
        {"name": "a", "tag_ids": list(range(1, 52))},
        "tag_ids",
        "Send at most 50 items.",
        "50",
    ),
    ("post", "/organizations", {"name": "a", "industry": "magic"}, "industry", None, "manufacturing"),
    (
        "post",
        "/organizations",
        {"name": "a", "owner_id": 0},
        "owner_id",
        "Enter a number greater than or equal to 1.",
        "1",
    ),
    (
        "post",
        "/organizations",
        {"name": "a", "is_customer": "maybe"},
        "is_customer",
        "Enter true or false.",
        None,
    ),
    ("post", "/organizations", {"name": "a", "phones": "123"}, "phones", "Send a list.", None),
    ("post", "/organizations", {"name": "a", "address": "here"}, "address", "Send an object.", None),
    ("get", "/organizations", {"limit": 0}, "limit", "Enter a number greater than or equal to 1.", "1"),
    ("get", "/organizations", {"limit": 500}, "limit", "Enter a number less than or equal to 200.", "200"),
    ("get", "/organizations", {"limit": "many"}, "limit", "Enter a whole number.", None),
    (
        "get",
        "/organizations",
        {"role": "boss"},
        "role",
        "Choose one of: customer, supplier, both, none.",
        "customer",
    ),
]


def _send(api, method, path, data, headers=None):
    if method == "get":
        return api.get(path, data, headers=headers)
    return api.post(path, data, headers=headers)


@pytest.mark.parametrize(("method", "path", "data", "field", "english", "number"), CASES)
def test_field_messages_in_english_and_chinese(api, method, path, data, field, english, number):
    en = problem(_send(api, method, path, data), 422)
    zh = problem(_send(api, method, path, data, ZH), 422)
    en_msg = next(e["message"] for e in en["errors"] if e["field"] == field)
    zh_msg = next(e["message"] for e in zh["errors"] if e["field"] == field)
    if english:
        assert en_msg == english
    assert CJK.search(zh_msg), zh_msg
    assert "Input should" not in en_msg and "Field required" not in en_msg
    if number:
        assert number in en_msg and number in zh_msg


# CSRF, 401, 405, 414 ------------------------------------------------------------------------------------


def _session(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    return client, token


def test_csrf_failure_under_api_is_a_problem_in_the_callers_language(admin_user):
    client, _token = _session(admin_user)
    resp = client.post(
        "/api/v1/tags", json.dumps({"name": "VIP"}), content_type="application/json", headers=ZH
    )
    data = problem(resp, 403)
    assert "CSRF" in data["title"] and CJK.search(data["title"]) and CJK.search(data["detail"])
    wrong = client.post(
        "/api/v1/tags", "{}", content_type="application/json", headers={"X-CSRFToken": "x" * 32}
    )
    assert "X-CSRFToken" in problem(wrong, 403)["detail"]


def test_csrf_failure_of_a_web_form_is_still_the_html_page(admin_user):
    client, _token = _session(admin_user)
    resp = client.post("/logout/")
    assert resp.status_code == 403 and resp["Content-Type"].startswith("text/html")


def test_unknown_api_path_is_404_even_without_a_csrf_token(admin_user):
    client, _token = _session(admin_user)
    problem(client.post("/api/v2/tags", "{}", content_type="application/json"), 404)


def test_errors_raised_before_the_api_are_problems_too(api):
    resp = api.client.get("/api/v1/me", headers={**api.headers, "Host": "evil.example", **ZH})
    assert CJK.search(problem(resp, 400)["title"])  # Django's handler400 (DisallowedHost), under /api/


def test_401_says_how_to_authenticate(anon_api):
    resp = anon_api.get("/organizations")
    problem(resp, 401)
    assert resp["WWW-Authenticate"] == 'Bearer realm="guanxi"'
    bad = ApiClient()
    bad.headers["Authorization"] = "Bearer gx_nope"
    assert bad.post("/tags", {"name": "x"})["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("delete", "/organizations", "GET, HEAD, POST"),
        ("put", "/tags/1", "DELETE, GET, HEAD, PATCH"),
        ("get", "/organizations/1/archive", "POST"),
    ],
)
def test_method_not_allowed_is_a_problem_with_allow(api, method, path, allow):
    resp = getattr(api.client, method)(ApiClient.url(path), headers={**api.headers, **ZH})
    data = problem(resp, 405)
    assert resp["Allow"] == allow and CJK.search(data["title"])


@pytest.mark.parametrize("path", ["/organizations", "/tags/1", "/no/such/path"])
def test_over_long_url_is_a_414_problem(api, path):
    resp = api.client.get(ApiClient.url(path) + "?q=" + "x" * 5000, headers={**api.headers, **ZH})
    data = problem(resp, 414)
    assert CJK.search(data["title"])


# HEAD ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/me", "/organizations?limit=5", "/tags", "/tags/{id}", "/tags/987654"])
def test_head_answers_like_get_without_a_body(api, path):
    tag = ok(api.post("/tags", {"name": "VIP"}), 201)
    url = ApiClient.url(path.format(id=tag["id"]))
    got = api.client.get(url, headers=api.headers)
    head = api.client.head(url, headers=api.headers)
    assert head.status_code == got.status_code and head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert int(head["Content-Length"]) == len(got.content)


def test_head_needs_credentials_like_get(anon_api):
    resp = anon_api.client.head("/api/v1/organizations")
    assert resp.status_code == 401 and resp["WWW-Authenticate"]


# OpenAPI ------------------------------------------------------------------------------------------------

OPERATION_IDS = {
    "opportunities_products",
    "opportunities_products_set",
    "orders_deliver",
    "orders_delivery_dates",
    "orders_close",
    "orders_cancel",
    "saved_views_list",
    "saved_views_save",
    "saved_views_delete",
    "leads_import",
    "duplicates_list",
    "duplicates_dismiss",
    "duplicates_scan",
    "duplicates_scan_latest",
    "supplier_bank_accounts",
    "supplier_bank_changes",
    "supplier_bank_change_propose",
    "bank_change_get",
    "bank_change_withdraw",
    "supplier_lifecycle",
    "supplier_status_change",
    "supplier_status_change_get",
    "supplier_status_change_withdraw",
    "supplier_documents_list",
    "supplier_documents_create",
    "pools_list",
    "pools_create",
    "pools_update",
    "pool_customers",
    "pool_entry_claim",
    "pool_entry_assign",
    "customer_release",
    "customer_level_put",
    "customers_check",
    "merges_create",
    "merges_list",
    "merges_undo",
    "orders_receivable",
    "orders_plan",
    "orders_collect",
    "orders_fapiao",
    "fapiao_requests_issue",
    "receivables_list",
    # sales (guanxi.crm)
    *[
        "opportunities_list",
        "opportunities_create",
        "opportunities_get",
        "opportunities_update",
        "opportunities_move",
    ],
    *["opportunities_win", "opportunities_lose", "opportunities_reopen", "pipelines_list", "pipelines_board"],
    "lost_reasons_list",
    *["leads_list", "leads_create", "leads_get", "leads_update", "leads_status", "leads_convert"],
    *["forecast_get", "sales_targets_list", "sales_targets_put"],
    *[
        "quotes_list",
        "quotes_create",
        "quotes_get",
        "quotes_update",
        "quotes_submit",
        "quotes_send",
        "quotes_revise",
    ],
    *["quotes_reject", "quotes_accept", "quotes_pdf", "orders_get"],
    "me_get",
    "roles_list",
    "permissions_list",
    *(f"organizations_{a}" for a in ("list", "create", "get", "update", "archive")),
    *(f"contacts_{a}" for a in ("list", "create", "get", "update", "archive")),
    "contacts_link_organization",
    "contacts_unlink_organization",
    *(f"addresses_{a}" for a in ("list", "create", "get", "update", "delete")),
    *(f"tags_{a}" for a in ("list", "create", "get", "update", "delete")),
    *(f"currencies_{a}" for a in ("list", "create", "get", "update")),
    *(f"exchange_rates_{a}" for a in ("list", "create", "get", "update", "delete", "convert", "import")),
    *(f"tax_rates_{a}" for a in ("list", "create", "get", "update", "calculate")),
    *(f"jobs_{a}" for a in ("list", "get", "runs_list", "run_now")),
    "workers_list",
    *(f"companies_{a}" for a in ("list", "create", "get", "update", "logo_get", "logo_put", "logo_delete")),
    *(f"numbering_{a}" for a in ("list", "get", "update", "preview")),
    *(f"notifications_{a}" for a in ("list", "get", "unread_count", "mark_read", "mark_all_read")),
    "notification_preferences_get",
    "notification_preferences_update",
    *(f"messenger_webhooks_{a}" for a in ("list", "create", "get", "update", "delete")),
    *(f"attachments_{a}" for a in ("list", "create", "get", "download", "delete")),
    *(f"approvals_{a}" for a in ("inbox", "get", "approve", "reject", "withdraw")),
    *(f"approval_rules_{a}" for a in ("list", "create", "get", "update", "delete")),
    "approval_types_list",
    *(f"delegations_{a}" for a in ("list", "create", "end")),
    *(f"activities_{a}" for a in ("list", "create", "get", "update", "complete", "cancel", "reopen")),
    *(f"products_{a}" for a in ("list", "create", "get", "update", "archive", "restore", "submit", "import")),
    *(f"product_categories_{a}" for a in ("list", "create", "update")),
    *(f"units_{a}" for a in ("list", "create", "update", "convert")),
    *(f"price_lists_{a}" for a in ("list", "create", "get", "update", "archive", "restore")),
    *["customer_price_list_get", "customer_price_list_put", "price_lookup"],
    # purchasing (guanxi.procurement)
    *(f"purchase_orders_{a}" for a in ("list", "create", "get", "update", "submit", "send", "confirm")),
    *(f"purchase_orders_{a}" for a in ("change", "cancel", "close")),
    *(f"supplier_prices_{a}" for a in ("list", "create", "history")),
    *(f"rfqs_{a}" for a in ("list", "create", "get", "update", "invite", "uninvite", "publish", "extend")),
    *(f"rfqs_{a}" for a in ("cancel", "quote_enter", "decline", "open", "new_round", "scores_set")),
    *(f"rfqs_{a}" for a in ("comparison", "award", "make_orders")),
    *(f"delivery_notes_{a}" for a in ("list", "create", "get", "by_code", "cancel", "receive")),
    *(f"receipts_{a}" for a in ("list", "create", "get")),
    *(f"supplier_returns_{a}" for a in ("list", "create", "get")),
    *(f"supplier_invoices_{a}" for a in ("list", "open_lines", "create", "get", "release", "cancel")),
    *(f"reconciliation_statements_{a}" for a in ("list", "create", "get", "send", "answer")),
    *(
        f"requisitions_{a}"
        for a in ("list", "create", "get", "update", "submit", "cancel", "to_rfq", "to_order")
    ),
    "supplier_qualification",
    *(f"supplier_role_requests_{a}" for a in ("list", "create", "get", "decide", "withdraw")),
    "supplier_categories",
    "category_requirements_set",
    *(f"qualifications_{a}" for a in ("start", "get", "answer", "submit", "review", "withdraw")),
    *(
        f"questionnaires_{a}"
        for a in ("list", "create", "get", "update", "add_question", "remove_question", "copy")
    ),
}


def test_every_operation_has_a_short_stable_unique_id(anon_api):
    doc = ok(anon_api.get("/openapi.json"))
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"^[a-z]+(_[a-z]+)+$", i) for i in ids), ids
    assert set(ids) == OPERATION_IDS  # a client generated from the document depends on these names


def test_every_operation_documents_the_problems_it_may_answer(anon_api):
    doc = ok(anon_api.get("/openapi.json"))
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for code in ("400", "401", "414", "422"):
                assert list(op["responses"][code]["content"]) == [PROBLEM], (method, path, code)
            if method == "post":
                assert "409" in op["responses"], path


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document names each schema by its class: two modules with a `LevelOut` of their own made
    the approvals answers point at the pools' customer level (schemathesis found it)."""
    from pathlib import Path

    import guanxi

    root = Path(guanxi.__file__).parent
    seen: dict[str, set[str]] = {}
    for path in root.glob("*/api/**/*.py"):
        for name in re.findall(r"^class (\w+)\(", path.read_text(), flags=re.M):
            seen.setdefault(name, set()).add(str(path.relative_to(root)))
    shared = {n: sorted(p) for n, p in seen.items() if len(p) > 1}
    assert shared.keys() <= {"ListQuery"}, shared  # query parameters: not named in the document
