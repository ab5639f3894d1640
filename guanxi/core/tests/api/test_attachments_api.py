"""/api/v1/attachments on a record of the test app: the same rules as the web, problem+json errors (413,
415, 422, 404). On parties: guanxi/parties/tests/attachments/."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from guanxi.core.models import Attachment, AuditEntry
from guanxi.core.roles import BUYER, SALES_MANAGER, SALES_REP
from guanxi.core.tests.api.helpers import ApiClient, body, fields, ok, problem
from guanxi.core.tests.attachments_support import (
    SAMPLES,
    attach,
    stored_files,
    upload,
)
from guanxi.tests.plugin_app.services import widget_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachments_dir")]


@pytest.fixture
def rep(make_user, team):
    return make_user("rep", roles=[SALES_REP], teams=[team])


@pytest.fixture
def widget(rep):
    """The record the files go on: a widget of the test app."""
    return widget_create(actor=rep, name="Gadget")


@pytest.fixture
def rep_api(rep):
    return ApiClient(rep)


def target(record, doc="plugin_app.widget") -> str:
    return f"/api/v1/attachments?document_type={doc}&object_id={record.pk}"


def post_file(api: ApiClient, url: str, name: str, content: bytes, *, headers=None, **fields):
    return api.client.post(
        url, {"file": upload(name, content), **fields}, headers={**api.headers, **(headers or {})}
    )


def test_upload_list_get_download_delete(rep_api, rep, widget, attachments_dir):
    assert ok(rep_api.get(target(widget)))["items"] == []
    created = ok(post_file(rep_api, target(widget), "报价单.pdf", SAMPLES["pdf"], description="Offer"), 201)
    assert created["name"] == "报价单.pdf" and created["description"] == "Offer"
    assert created["content_type"] == "application/pdf" and created["size"] == len(SAMPLES["pdf"])
    assert created["document_type"] == "plugin_app.widget" and created["object_id"] == str(widget.pk)
    assert created["uploaded_by"] == {"id": rep.pk, "username": "rep", "name": "rep"}
    assert created["download_url"] == f"/api/v1/attachments/{created['id']}/download"
    assert created["preview_url"] == f"/attachments/{created['id']}/preview/"
    page = ok(rep_api.get(target(widget)))
    assert [a["id"] for a in page["items"]] == [created["id"]] and page["next_cursor"] is None
    assert ok(rep_api.get(f"/attachments/{created['id']}")) == created

    resp = rep_api.get(created["download_url"])
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == SAMPLES["pdf"]
    assert resp["Content-Type"] == "application/pdf"
    assert (
        resp["Content-Disposition"]
        == f"attachment; filename=\"download.pdf\"; filename*=UTF-8''{quote('报价单.pdf')}"
    )
    assert resp["X-Content-Type-Options"] == "nosniff"

    assert rep_api.delete(f"/attachments/{created['id']}").status_code == 204
    problem(rep_api.get(f"/attachments/{created['id']}"), 404)
    assert AuditEntry.objects.filter(target_type="core.attachment", subject_id=str(widget.pk)).count() == 2


def test_a_text_file_has_no_preview(rep_api, widget):
    created = ok(post_file(rep_api, target(widget), "notes.txt", SAMPLES["text"]), 201)
    assert created["preview_url"] is None and created["content_type"] == "text/plain"


@pytest.mark.parametrize(
    ("name", "sample", "status", "says"),
    [
        ("invoice.pdf", "exe", 415, "is a program"),
        ("invoice.pdf", "html", 415, "a web page (HTML)"),
        ("logo.png", "text", 415, "named as a PNG image, but its content is plain text"),
        ("setup.exe", "exe", 415, "which cannot be attached"),
        ("empty.pdf", None, 422, "is empty"),
    ],
)
def test_refused_uploads_are_problems_naming_the_file_field(
    rep_api, widget, attachments_dir, name, sample, status, says
):
    data = problem(post_file(rep_api, target(widget), name, SAMPLES[sample] if sample else b""), status)
    assert fields(data) == {"file"} and says in data["errors"][0]["message"]
    assert not Attachment.objects.exists() and stored_files(attachments_dir) == []


def test_too_large_is_413(rep_api, widget, settings):
    settings.GUANXI_ATTACHMENT_MAX_BYTES = 100
    data = problem(post_file(rep_api, target(widget), "a.pdf", SAMPLES["pdf"]), 413)
    assert data["title"] == "The file is too large." and "at most 100" in data["errors"][0]["message"]


def test_problems_in_chinese(rep_api, widget):
    data = problem(
        post_file(
            rep_api, target(widget), "invoice.pdf", SAMPLES["exe"], headers={"Accept-Language": "zh-hans"}
        ),
        415,
    )
    assert data["title"] == "不支持上传此类文件。" and "可执行程序" in data["errors"][0]["message"]


def test_missing_file_unknown_type_and_bad_parameters(rep_api, widget):
    assert "file" in fields(
        problem(rep_api.client.post(target(widget), {"description": "x"}, headers=rep_api.headers), 422)
    )
    data = problem(rep_api.get(f"/attachments?document_type=core.team&object_id={widget.pk}"), 422)
    assert fields(data) == {"document_type"} and "plugin_app.widget" in data["errors"][0]["message"]
    problem(rep_api.get("/attachments?document_type=plugin_app.widget"), 422)
    problem(rep_api.get("/attachments?document_type=PLUGIN&object_id=1"), 422)
    problem(rep_api.get("/attachments?document_type=plugin_app.widget&object_id=abc"), 404)
    problem(rep_api.get("/attachments?document_type=plugin_app.widget&object_id=99999999999"), 404)
    problem(rep_api.get(target(widget) + "&cursor=bogus"), 422)
    problem(post_file(rep_api, target(widget), "a.pdf", SAMPLES["pdf"], description="x" * 501), 422)


def test_someone_who_may_not_see_the_record_gets_404(rep, widget, make_user):
    a = attach(rep, widget)
    stranger = ApiClient(make_user("buyer", roles=[BUYER]))
    problem(stranger.get(target(widget)), 404)
    problem(post_file(stranger, target(widget), "a.pdf", SAMPLES["pdf"]), 404)
    for path in (f"/attachments/{a.pk}", f"/attachments/{a.pk}/download"):
        problem(stranger.get(path), 404)
    problem(stranger.delete(f"/attachments/{a.pk}"), 404)
    assert Attachment.objects.count() == 1


def test_someone_who_may_only_look_may_list_and_download(rep, widget, make_user, team):
    a = attach(rep, widget)
    viewer = ApiClient(make_user("boss", roles=[SALES_MANAGER], manager_of=[team]))
    assert len(ok(viewer.get(target(widget)))["items"]) == 1
    assert viewer.get(f"/attachments/{a.pk}/download").status_code == 200
    problem(post_file(viewer, target(widget), "a.pdf", SAMPLES["pdf"]), 403)
    problem(viewer.delete(f"/attachments/{a.pk}"), 403)
    problem(post_file(ApiClient(rep, scope="read"), target(widget), "a.pdf", SAMPLES["pdf"]), 403)
    assert Attachment.objects.count() == 1


def test_an_upload_with_an_idempotency_key_is_kept_once(rep_api, widget):
    key = {"Idempotency-Key": "upload-1"}
    first = post_file(rep_api, target(widget), "a.pdf", SAMPLES["pdf"], headers=key)
    again = post_file(rep_api, target(widget), "a.pdf", SAMPLES["pdf"], headers=key)
    assert ok(first, 201) == ok(again, 201) and again["Idempotent-Replayed"] == "true"
    problem(post_file(rep_api, target(widget), "b.pdf", SAMPLES["pdf"], headers=key), 422)  # another file
    assert Attachment.objects.count() == 1


def test_an_upload_larger_than_the_memory_limit_with_an_idempotency_key(rep_api, widget, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100  # the file part does not count; the body as a whole would
    resp = post_file(rep_api, target(widget), "a.pdf", SAMPLES["pdf"], headers={"Idempotency-Key": "big-1"})
    ok(resp, 201)


def test_upload_with_the_browser_session_and_csrf(rep, widget):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    url = target(widget)
    refused = client.post(url, {"file": upload("a.pdf", SAMPLES["pdf"])})
    assert refused.status_code == 403 and "CSRF" in body(refused)["title"]
    resp = client.post(
        url,
        {"file": upload("a.pdf", SAMPLES["pdf"])},
        headers={"X-CSRFToken": token, "Idempotency-Key": "s-1"},
    )
    ok(resp, 201)


def test_the_list_costs_the_same_queries_for_3_or_30_files(
    rep_api, rep, widget, django_assert_max_num_queries
):
    for _n in range(3):
        attach(rep, widget)
    ok(rep_api.get(target(widget)))  # the token's last-used time: out of the count

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = ok(rep_api.get(target(widget)))
        return len(ctx.captured_queries), len(page["items"])

    few, n = count()
    assert n == 3
    for _n in range(27):
        attach(rep, widget, "b.png", SAMPLES["png"])
    many, n = count()
    assert n == 30 and many == few
    with django_assert_max_num_queries(7):
        rep_api.get(target(widget))
