"""Bad requests are answered with RFC 9457 problem+json and field details, never with a 500."""

from __future__ import annotations

import pytest

from guanxi.core.tests.api.helpers import PROBLEM, fields, ok, problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    ['{"name": "x"', "{name: 'x'}", "", "null,", '{"name": "x"} trailing', "[" * 100_000],
    ids=["unclosed", "not-json", "blank", "junk", "trailing", "too-deep"],
)
def test_malformed_json_is_400(api, raw):
    if raw == "":
        raw = " "  # an empty body is "no body"; a blank one must be parsed and refused
    data = problem(api.post("/tags", raw=raw), 400)
    assert fields(data) == {"body"}
    assert "JSON" in data["title"]


def test_body_that_is_not_utf8_is_400(api):
    data = problem(api.post("/tags", raw=b"\xff\xfe{}"), 400)
    assert fields(data) == {"body"}


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json"],
)
def test_wrong_content_type_is_415(api, content_type):
    data = problem(api.post("/tags", raw='{"name": "x"}', content_type=content_type), 415)
    assert fields(data) == {"body"}
    assert ok(api.get("/tags")) == []


def test_multipart_form_is_415(api):
    resp = api.client.post("/api/v1/tags", {"name": "x"}, headers=api.headers)  # the test client's default
    problem(resp, 415)


def test_json_with_charset_and_problem_json_are_accepted(api):
    ok(api.post("/tags", {"name": "a"}, content_type="application/json; charset=utf-8"), 201)
    ok(api.post("/tags", {"name": "b"}, content_type="application/merge-patch+json"), 201)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([], "body"),
        ("just a string", "body"),
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 51}, "name"),
        ({"name": 12}, "name"),
        ({"name": "ok", "color": "red"}, "color"),
        ({"name": "ok", "color": "#12345g"}, "color"),
    ],
)
def test_schema_errors_name_the_field(api, payload, field):
    data = problem(api.post("/tags", payload), 422)
    assert field in fields(data)


@pytest.mark.parametrize("name", ["bad\u0000name", "bell\u0007", "two\nlines", "zero\u200bwidth"])
def test_control_characters_are_refused(api, name):
    data = problem(api.post("/tags", {"name": name}), 422)
    assert data["errors"] and "control" in data["errors"][0]["message"].lower()
    assert ok(api.get("/tags")) == []


def test_path_parameter_of_the_wrong_type_is_422(api):
    for path in ["/addresses/abc", "/addresses/0", "/addresses/-1", f"/addresses/{2**64}"]:
        data = problem(api.get(path), 422)
        assert fields(data) == {"id"}


def test_unknown_record_is_404_problem(api):
    data = problem(api.get("/addresses/987654"), 404)
    assert data["errors"] == []


def test_problem_text_follows_the_requested_language(api, anon_api):
    zh = {"Accept-Language": "zh-hans"}
    assert problem(api.post("/tags", {}, headers=zh), 422)["title"] == "部分字段无效。"
    assert problem(anon_api.get("/me", headers=zh), 401)["title"] == "请登录或提供有效的 API 令牌。"
    assert problem(api.post("/tags", {}), 422)["title"] == "Some fields are not valid."


def test_openapi_document_is_public_and_describes_problems(anon_api):
    doc = ok(anon_api.get("/openapi.json"))
    assert doc["openapi"].startswith("3.")
    assert doc["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    ops = [(p, m, op) for p, item in doc["paths"].items() for m, op in item.items()]
    expected = {
        ("/api/v1/me", "get"),
        ("/api/v1/organizations", "get"),
        ("/api/v1/organizations", "post"),
        ("/api/v1/organizations/{id}", "get"),
        ("/api/v1/organizations/{id}", "patch"),
        ("/api/v1/organizations/{id}/archive", "post"),
        ("/api/v1/contacts", "get"),
        ("/api/v1/contacts", "post"),
        ("/api/v1/contacts/{id}", "get"),
        ("/api/v1/contacts/{id}", "patch"),
        ("/api/v1/contacts/{id}/archive", "post"),
        ("/api/v1/parties/{id}/addresses", "get"),
        ("/api/v1/parties/{id}/addresses", "post"),
        ("/api/v1/addresses/{id}", "get"),
        ("/api/v1/addresses/{id}", "patch"),
        ("/api/v1/addresses/{id}", "delete"),
        ("/api/v1/tags", "get"),
        ("/api/v1/tags", "post"),
    }
    assert expected <= {(p, m) for p, m, _op in ops}
    for path, method, op in ops:
        for code, resp in op["responses"].items():
            if int(code) >= 400:
                assert list(resp["content"]) == [PROBLEM], (method, path, code)
        assert "401" in op["responses"], (method, path)
        if "requestBody" in op:
            assert "415" in op["responses"] and "422" in op["responses"], (method, path)
        if method == "post":
            assert any(p["name"] == "Idempotency-Key" for p in op["parameters"]), path


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "big-1"}])
def test_too_large_body_is_413(api, settings, headers):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = problem(api.post("/tags", {"name": "x", "pad": "p" * 2000}, headers=headers), 413)
    assert data["title"]
    assert ok(api.get("/tags")) == []
