"""Attachments on parties: the Attachments tab of the 360° page (added by core for every document type with
the "attachments" feature), and the party's record rules deciding who sees and changes its files."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guanxi.core.models import Attachment
from guanxi.core.roles import EXECUTIVE, SALES_REP
from guanxi.core.services.attachments import attachment_delete
from guanxi.core.tests.api.helpers import ApiClient, ok, problem
from guanxi.core.tests.attachments_support import SAMPLES, attach, upload
from guanxi.parties.tests.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachments_dir")]


@pytest.fixture
def rep(make_user, team):
    return make_user("rep", roles=[SALES_REP], teams=[team])


@pytest.fixture
def party(rep):
    return make_org(rep, "深圳华强电子有限公司")


@pytest.fixture
def stranger(make_user, other_team):
    """A representative of another team: may not see the party (own records only)."""
    return make_user("stranger", roles=[SALES_REP], teams=[other_team])


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def tab(party) -> str:
    return f"/parties/{party.pk}/?tab=attachments"


def test_the_party_page_has_an_attachments_tab(rep, party):
    attach(rep, party, "报价单.pdf", description="Signed offer")
    attach(rep, party, "logo.png", SAMPLES["png"])
    page = client_for(rep).get(f"/parties/{party.pk}/").content.decode()
    assert 'href="?tab=attachments"' in page
    html = client_for(rep).get(tab(party)).content.decode()
    assert "报价单.pdf" in html and "Signed offer" in html and "logo.png" in html
    assert 'enctype="multipart/form-data"' in html and 'class="thumb"' in html
    assert f'name="next" value="/parties/{party.pk}/?tab=attachments"' in html


def test_the_tab_loaded_with_htmx_is_the_panel_alone(rep, party):
    resp = client_for(rep).get(tab(party), headers={"HX-Request": "true", "HX-Target": "tabpanel"})
    assert resp.content.decode().startswith('<div id="attachments-panel"')


def test_empty_state_and_someone_who_may_only_look(rep, party, make_user):
    assert "No files attached yet." in client_for(rep).get(tab(party)).content.decode()
    attach(rep, party)
    html = client_for(make_user("exec", roles=[EXECUTIVE])).get(tab(party)).content.decode()
    assert "offer.pdf" in html and 'name="file"' not in html and ">Delete<" not in html


def test_the_tab_in_chinese(rep, party):
    attach(rep, party, "合同.docx", SAMPLES["docx"])
    html = client_for(rep).get(tab(party), headers={"Accept-Language": "zh-hans"}).content.decode()
    for text in ("附件", "上传", "上传人", "合同.docx", "Word", "删除"):
        assert text in html, text


def test_an_upload_from_the_tab_without_javascript_comes_back_to_it(rep, party):
    c = client_for(rep)
    resp = c.post(
        f"/attachments/parties.party/{party.pk}/",
        {"file": upload("合同.pdf", SAMPLES["pdf"]), "next": tab(party)},
    )
    assert resp.status_code == 302 and resp["Location"] == tab(party)
    assert "“合同.pdf” attached." in c.get(tab(party)).content.decode()
    fallback = c.post(f"/attachments/parties.party/{party.pk}/", {"file": upload("b.pdf", SAMPLES["pdf"])})
    assert fallback["Location"] == tab(party)  # the record's page, from its document type


def test_someone_who_may_not_see_the_party_gets_404_for_its_files(rep, party, stranger):
    a = attach(rep, party)
    c = client_for(stranger)
    assert c.get(tab(party)).status_code == 404
    for url in (
        f"/attachments/{a.pk}/download/",
        f"/attachments/{a.pk}/preview/",
        f"/attachments/parties.party/{party.pk}/",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/attachments/{a.pk}/delete/").status_code == 404
    api = ApiClient(stranger)
    problem(api.get(f"/attachments?document_type=parties.party&object_id={party.pk}"), 404)
    problem(api.get(f"/attachments/{a.pk}/download"), 404)
    problem(
        api.client.post(
            f"/api/v1/attachments?document_type=parties.party&object_id={party.pk}",
            {"file": upload("a.pdf", SAMPLES["pdf"])},
            headers=api.headers,
        ),
        404,
    )
    assert Attachment.objects.count() == 1


def test_the_owner_uses_the_api_on_the_party(rep, party):
    api = ApiClient(rep)
    url = f"/api/v1/attachments?document_type=parties.party&object_id={party.pk}"
    created = ok(api.client.post(url, {"file": upload("scan.png", SAMPLES["png"])}, headers=api.headers), 201)
    assert created["document_type"] == "parties.party"
    assert [a["id"] for a in ok(api.get(url))["items"]] == [created["id"]]


def test_uploads_and_deletions_read_well_on_the_history_tab(rep, party):
    a = attach(rep, party, "报价单.pdf")
    attachment_delete(actor=rep, attachment=a)
    c = client_for(rep)
    html = c.get(f"/parties/{party.pk}/?tab=history").content.decode()
    assert "Attachment added" in html and "Attachment deleted" in html
    assert "报价单.pdf" in html and f"{len(SAMPLES['pdf'])}\xa0bytes" in html and ">PDF" in html
    zh = c.get(f"/parties/{party.pk}/?tab=history", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "添加附件" in zh and "删除附件" in zh and "文件名" in zh
    assert "Attachment added" in c.get(f"/parties/{party.pk}/?tab=timeline").content.decode()


def test_the_tab_costs_the_same_queries_for_3_or_30_files(rep, party, django_assert_max_num_queries):
    c = client_for(rep)
    c.get(tab(party))  # warm-up: the session's last-seen time

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(tab(party)).status_code == 200
        return len(ctx.captured_queries)

    for _n in range(3):
        attach(rep, party)
    few = count()
    for _n in range(27):
        attach(rep, party, "b.png", SAMPLES["png"])
    assert count() == few
    # The page (13, as the Addresses tab), the bell's unread count, then files, may_view, may_change.
    with django_assert_max_num_queries(17):
        c.get(tab(party))
