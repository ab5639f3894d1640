"""Attachments in the web UI, for a record of the test app: the full list with its upload form, download,
preview, delete. The tab on a party's page: guanxi/parties/tests/attachments/."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guanxi.core.models import Attachment
from guanxi.core.roles import BUYER, SALES_MANAGER, SALES_REP
from guanxi.core.tests.attachments_support import SAMPLES, attach, stored_files, upload
from guanxi.tests.plugin_app.services import widget_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachments_dir")]
HTMX = {"HX-Request": "true", "HX-Target": "attachments-panel"}


@pytest.fixture
def rep(make_user, team):
    return make_user("rep", roles=[SALES_REP], teams=[team])


@pytest.fixture
def widget(rep):
    return widget_create(actor=rep, name="Gadget")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def list_url(widget) -> str:
    return f"/attachments/plugin_app.widget/{widget.pk}/"


def test_the_list_shows_the_files_and_the_upload_form(rep, widget):
    attach(rep, widget, "报价单.pdf", description="Signed offer")
    attach(rep, widget, "logo.png", SAMPLES["png"])
    attach(rep, widget, "notes.txt", SAMPLES["text"])
    html = client_for(rep).get(list_url(widget)).content.decode()
    assert "Attachments of Widget Gadget" in html and 'href="/widgets/' in html
    assert "报价单.pdf" in html and "Signed offer" in html and "logo.png" in html
    assert ">PDF<" in html and ">PNG<" in html and ">Text<" in html and ">rep<" in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html and "data-max-bytes" in html
    assert 'class="thumb"' in html  # the image is shown small in the list
    assert html.count("data-preview") == 2  # a PDF and an image have a preview; text has none


def test_empty_and_read_only(rep, widget, make_user, team):
    assert "No files attached yet." in client_for(rep).get(list_url(widget)).content.decode()
    attach(rep, widget)
    viewer = make_user("boss", roles=[SALES_MANAGER], manager_of=[team])
    html = client_for(viewer).get(list_url(widget)).content.decode()
    assert "offer.pdf" in html and 'name="file"' not in html and ">Delete<" not in html


def test_upload_without_javascript_comes_back_to_the_page_it_was_on(rep, widget):
    c = client_for(rep)
    resp = c.post(
        list_url(widget),
        {"file": upload("合同.pdf", SAMPLES["pdf"]), "description": "v2", "next": list_url(widget)},
    )
    assert resp.status_code == 302 and resp["Location"] == list_url(widget)
    a = Attachment.objects.get()
    assert (a.original_name, a.description, a.uploaded_by) == ("合同.pdf", "v2", rep)
    assert "“合同.pdf” attached." in c.get(list_url(widget)).content.decode()


def test_an_upload_goes_back_to_the_record_and_never_to_another_site(rep, widget):
    resp = client_for(rep).post(
        list_url(widget), {"file": upload("a.pdf", SAMPLES["pdf"]), "next": "https://evil.example/"}
    )
    assert resp["Location"] == f"/widgets/{widget.pk}/?tab=attachments"


def test_upload_with_htmx_swaps_the_panel(rep, widget):
    resp = client_for(rep).post(
        list_url(widget), {"file": upload("a.pdf", SAMPLES["pdf"]), "panel": "page"}, headers=HTMX
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and html.startswith('<div id="attachments-panel"')
    assert "“a.pdf” attached." in html and "a.pdf</a>" in html


def test_a_refused_upload_says_why_and_keeps_the_description(rep, widget, attachments_dir):
    c = client_for(rep)
    back = f"/widgets/{widget.pk}/?tab=attachments"
    resp = c.post(
        list_url(widget),
        {"file": upload("invoice.pdf", SAMPLES["exe"]), "description": "my words", "next": back},
    )
    html = resp.content.decode()
    assert resp.status_code == 415
    assert "“invoice.pdf” is a program" in html and 'value="my words"' in html
    assert f'name="next" value="{back}"' in html  # the next try still goes back to the record
    resp = c.post(
        list_url(widget), {"file": upload("logo.png", SAMPLES["text"]), "description": "kept"}, headers=HTMX
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "named as a PNG image, but its content is plain text" in html
    assert 'value="kept"' in html
    resp = c.post(list_url(widget), {"description": "no file"})
    assert resp.status_code == 422 and "Choose a file to upload." in resp.content.decode()
    resp = c.post(list_url(widget), {"file": upload("a.pdf", SAMPLES["pdf"]), "description": "x" * 501})
    assert resp.status_code == 422
    assert not Attachment.objects.exists() and stored_files(attachments_dir) == []


def test_too_large_and_empty_uploads(rep, widget, settings):
    settings.GUANXI_ATTACHMENT_MAX_BYTES = 100
    c = client_for(rep)
    resp = c.post(list_url(widget), {"file": upload("big.pdf", SAMPLES["pdf"])})
    assert resp.status_code == 413 and "a file may be at most 100" in resp.content.decode()
    resp = c.post(list_url(widget), {"file": upload("empty.txt", b"")})
    assert resp.status_code == 422 and "“empty.txt” is empty." in resp.content.decode()


def test_download_names_the_file_in_any_language(rep, widget):
    a = attach(rep, widget, "报价单 (final).pdf")
    resp = client_for(rep).get(f"/attachments/{a.pk}/download/")
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == SAMPLES["pdf"]
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"] == (
        f"attachment; filename=\"(final).pdf\"; filename*=UTF-8''{quote('报价单 (final).pdf', safe='')}"
    )
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Length"] == str(len(SAMPLES["pdf"]))
    assert "no-store" in resp["Cache-Control"]


def test_names_that_need_care_in_the_header(rep, widget):
    c = client_for(rep)
    cases = [
        ('say "hi".txt', "attachment; filename=\"say _hi_.txt\"; filename*=UTF-8''say%20%22hi%22.txt"),
        ("合同.txt", "attachment; filename=\"download.txt\"; filename*=UTF-8''%E5%90%88%E5%90%8C.txt"),
        ("Résumé.txt", "attachment; filename=\"Resume.txt\"; filename*=UTF-8''R%C3%A9sume%CC%81.txt"),
        ("plain.txt", 'attachment; filename="plain.txt"'),
    ]
    for name, header in cases:
        a = attach(rep, widget, name, SAMPLES["text"])
        resp = c.get(f"/attachments/{a.pk}/download/")
        assert resp["Content-Disposition"] in (header, header.replace("e%CC%81", "%C3%A9")), name
        assert resp["Content-Type"] == "text/plain"


@pytest.mark.parametrize(
    ("name", "sample"), [("scan.png", "png"), ("offer.pdf", "pdf"), ("p.webp", "webp"), ("a.gif", "gif")]
)
def test_images_and_pdfs_preview_inline(rep, widget, name, sample):
    a = attach(rep, widget, name, SAMPLES[sample])
    resp = client_for(rep).get(f"/attachments/{a.pk}/preview/")
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("inline;")
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in resp["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "sample"), [("notes.txt", "text"), ("c.docx", "docx"), ("a.zip", "zip"), ("x.csv", "csv")]
)
def test_other_types_have_no_preview(rep, widget, name, sample):
    a = attach(rep, widget, name, SAMPLES[sample])
    c = client_for(rep)
    assert c.get(f"/attachments/{a.pk}/preview/").status_code == 404
    assert c.get(f"/attachments/{a.pk}/download/")["Content-Disposition"].startswith("attachment;")


def test_someone_who_may_not_see_the_record_gets_404_everywhere(rep, widget, make_user):
    a = attach(rep, widget)
    stranger = client_for(make_user("buyer", roles=[BUYER]))
    for url in (f"/attachments/{a.pk}/download/", f"/attachments/{a.pk}/preview/", list_url(widget)):
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(f"/attachments/{a.pk}/delete/").status_code == 404
    assert stranger.post(list_url(widget), {"file": upload("a.pdf", SAMPLES["pdf"])}).status_code == 404
    assert Attachment.objects.count() == 1


def test_unknown_types_and_ids_are_404(rep, widget):
    c = client_for(rep)
    assert c.get("/attachments/core.team/1/").status_code == 404
    assert c.get("/attachments/plugin_app.widget/nope/").status_code == 404
    assert c.get("/attachments/plugin_app.widget/99999999/").status_code == 404
    assert c.get("/attachments/999999/download/").status_code == 404
    assert client_for(rep).get("/attachments/1/download/").status_code == 404


def test_someone_who_may_only_look_can_download_but_not_change(rep, widget, make_user, team):
    a = attach(rep, widget)
    viewer = client_for(make_user("boss", roles=[SALES_MANAGER], manager_of=[team]))
    assert viewer.get(f"/attachments/{a.pk}/download/").status_code == 200
    assert viewer.post(f"/attachments/{a.pk}/delete/").status_code == 403
    assert "not change" in viewer.post(f"/attachments/{a.pk}/delete/", headers=HTMX).content.decode()
    assert viewer.post(list_url(widget), {"file": upload("a.pdf", SAMPLES["pdf"])}).status_code == 403
    assert Attachment.objects.count() == 1


def test_delete_without_and_with_htmx(rep, widget, attachments_dir, django_capture_on_commit_callbacks):
    first, second = attach(rep, widget, "one.pdf"), attach(rep, widget, "two.pdf")
    c = client_for(rep)
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(f"/attachments/{first.pk}/delete/", {"next": list_url(widget)})
    assert resp.status_code == 302 and resp["Location"] == list_url(widget)
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(f"/attachments/{second.pk}/delete/", headers=HTMX)
    assert "“two.pdf” deleted." in resp.content.decode() and "No files attached yet." in resp.content.decode()
    assert not Attachment.objects.exists() and stored_files(attachments_dir) == []


def test_delete_without_javascript_asks_first(rep, widget, make_user, team):
    a = attach(rep, widget, "报价单.pdf")
    c = client_for(rep)
    html = c.get(list_url(widget)).content.decode()
    link = f'href="/attachments/{a.pk}/delete/?next=/attachments/plugin_app.widget/{widget.pk}/"'
    assert link in html and "hx-confirm=" in html and 'hx-vals=\'{"next": ' in html
    page = c.get(f"/attachments/{a.pk}/delete/?next={list_url(widget)}")
    text = page.content.decode()
    assert page.status_code == 200 and "Delete “报价单.pdf”? This cannot be undone." in text
    assert f'name="next" value="{list_url(widget)}"' in text
    assert Attachment.objects.filter(pk=a.pk).exists()  # looking deletes nothing
    away = c.get(f"/attachments/{a.pk}/delete/?next=https://evil.example/").content.decode()
    assert f'value="/widgets/{widget.pk}/?tab=attachments"' in away
    viewer = client_for(make_user("boss", roles=[SALES_MANAGER], manager_of=[team]))
    assert viewer.get(f"/attachments/{a.pk}/delete/").status_code == 403
    resp = c.post(f"/attachments/{a.pk}/delete/", {"next": list_url(widget)})
    assert resp["Location"] == list_url(widget) and not Attachment.objects.exists()


def test_the_full_list_pages_through_the_files(rep, widget, monkeypatch):
    from guanxi.core.views import attachments as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        attach(rep, widget, f"f{n}.pdf")
    c = client_for(rep)
    page = c.get(list_url(widget)).content.decode()
    assert "f2.pdf" in page and "f0.pdf" not in page
    cursor = re.search(r'\?cursor=([^"]+)">Next', page).group(1)
    assert "f0.pdf" in c.get(list_url(widget) + f"?cursor={cursor}").content.decode()
    assert c.get(list_url(widget) + "?cursor=garbage").status_code == 302


def test_the_list_costs_the_same_queries_for_3_or_30_files(rep, widget, django_assert_max_num_queries):
    c = client_for(rep)
    c.get(list_url(widget))  # warm-up: the session's last-seen time

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(list_url(widget)).status_code == 200
        return len(ctx.captured_queries)

    for _n in range(3):
        attach(rep, widget)
    few = count()
    for _n in range(27):
        attach(rep, widget, "b.png", SAMPLES["png"])
    assert count() == few
    # 8 before, +1 the bell's unread count, +1 the test app's record rule (may_view reads the widget's reach).
    with django_assert_max_num_queries(10):
        c.get(list_url(widget))
