"""Qualification documents over the API (/api/v1/suppliers/{id}/documents): listed for whoever sees the
supplier's lifecycle, entered (multipart, with an optional file) by procurement users who may change the
supplier; 404 for a supplier out of reach, 403 without the action, 422 on the field for bad input, the
attachments' refusals on `file`; the list costs the same for 3 documents and 30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.models import Attachment
from guanxi.core.roles import BUYER, EXECUTIVE, PROCUREMENT_MANAGER, SALES_REP
from guanxi.core.tests.api.helpers import ApiClient, fields, ok, problem
from guanxi.core.tests.attachments_support import pdf_bytes, upload
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import SupplierDocument
from guanxi.suppliers.services.documents import document_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachments_dir")]

ISO = {"kind": "iso_9001", "number": "CN-QMS-001", "issued_on": "2024-06-01", "expires_on": "2099-05-31"}


@pytest.fixture
def w(make_user, admin_user, team, other_team):
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    far = make_user("far", roles=[BUYER], teams=[other_team])
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    ns = {
        "buyer": buyer,
        "pm": make_user("pm", roles=[PROCUREMENT_MANAGER]),
        "rep": rep,
        "boss": make_user("boss", roles=[EXECUTIVE]),
        "supplier": make_org(admin_user, "苏州精密五金有限公司", customer=True, supplier=True, owner=buyer),
        "elsewhere": make_org(admin_user, "无锡远方包装有限公司", customer=False, supplier=True, owner=far),
        "customer": make_org(admin_user, "厦门海湾贸易有限公司", customer=True, supplier=False, owner=rep),
    }
    return type("W", (), ns)


def _url(party) -> str:
    return f"/suppliers/{party.pk}/documents"


def post_form(api: ApiClient, party, data: dict, file=None):
    """A multipart/form-data POST, as a browser or `curl -F` sends it."""
    payload = {**data, **({"file": file} if file is not None else {})}
    return api.client.post(api.url(_url(party)), payload, headers=api.headers)


def test_a_buyer_enters_a_document_with_its_pdf_and_lists_it(w):
    api = ApiClient(w.buyer)
    listed = ok(api.get(_url(w.supplier)))
    assert listed["supplier"] == w.supplier.pk and listed["may_add"] is True
    assert listed["documents"] == [] and listed["replaced"] == []
    assert [m["kind"] for m in listed["missing"]] == ["business_licence", "tax_registration"]
    assert listed["missing"][0]["label"] == "Business licence (营业执照)"

    doc = ok(post_form(api, w.supplier, ISO, upload("ISO9001证书.pdf", pdf_bytes())), 201)
    assert (doc["kind"], doc["kind_label"], doc["number"]) == (
        "iso_9001",
        "ISO 9001 certificate",
        "CN-QMS-001",
    )
    assert (doc["issued_on"], doc["expires_on"], doc["title"]) == ("2024-06-01", "2099-05-31", "")
    assert doc["created_by"] == "buyer" and doc["created_at"]
    attachment = Attachment.objects.get(pk=doc["attachment"]["id"])
    assert doc["attachment"]["name"] == "ISO9001证书.pdf" and attachment.object_id == str(w.supplier.pk)
    assert attachment.content_type == "application/pdf"

    listed = ok(api.get(_url(w.supplier)))
    (current,) = listed["documents"]
    assert current["id"] == doc["id"] and current["state"] == "valid" and current["days_to_expiry"] > 365
    assert current["attachment"] == doc["attachment"]
    assert [m["kind"] for m in listed["missing"]] == ["business_licence", "tax_registration"]


def test_a_procurement_manager_renews_one_and_the_earlier_is_replaced(w):
    api = ApiClient(w.pm)
    first = ok(post_form(api, w.supplier, {**ISO, "expires_on": "2099-01-01"}), 201)
    assert first["attachment"] is None
    soon = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    renewal = ok(post_form(api, w.supplier, {**ISO, "number": "CN-QMS-002", "expires_on": soon}), 201)
    licence = {"kind": "business_licence", "number": "91320500MA1X", "expires_on": "2020-01-01"}
    ok(post_form(api, w.supplier, {**licence, "issued_on": "2015-01-01"}), 201)
    listed = ok(api.get(_url(w.supplier)))
    states = {d["kind"]: (d["id"], d["state"], d["days_to_expiry"]) for d in listed["documents"]}
    assert states["iso_9001"] == (renewal["id"], "expiring", 10)
    assert states["business_licence"][1] == "expired" and states["business_licence"][2] < 0
    assert [(d["id"], bool(d["replaced_at"])) for d in listed["replaced"]] == [(first["id"], True)]
    assert [m["kind"] for m in listed["missing"]] == ["tax_registration"]


def test_who_reaches_the_documents(w):
    document_add(actor=w.buyer, party=w.supplier, data=ISO)
    boss = ApiClient(w.boss)  # sees every supplier, enters no documents
    listed = ok(boss.get(_url(w.supplier)))
    assert len(listed["documents"]) == 1 and listed["may_add"] is False
    problem(post_form(boss, w.supplier, ISO), 403)
    rep = ApiClient(w.rep)  # holds the customer side only: the supplier is not there for them
    problem(rep.get(_url(w.supplier)), 404)
    problem(post_form(rep, w.supplier, ISO), 404)
    buyer = ApiClient(w.buyer)  # sees every supplier, enters documents of the ones they hold
    assert ok(buyer.get(_url(w.elsewhere)))["may_add"] is False
    problem(post_form(buyer, w.elsewhere, ISO), 403)
    for out_of_reach in (w.customer, w.supplier.pk + 999):  # not a supplier; no such party
        pk = getattr(out_of_reach, "pk", out_of_reach)
        problem(buyer.get(f"/suppliers/{pk}/documents"), 404)
        problem(buyer.client.post(buyer.url(f"/suppliers/{pk}/documents"), ISO, headers=buyer.headers), 404)
    problem(ApiClient().get(_url(w.supplier)), 401)
    problem(post_form(ApiClient(w.buyer, scope="read"), w.supplier, ISO), 403)
    assert SupplierDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**ISO, "issued_on": "2030-13-01"}, "issued_on"),
        ({**ISO, "expires_on": "soon"}, "expires_on"),
        ({**ISO, "issued_on": "2099-01-01"}, "issued_on"),  # not issued in the future
        ({**ISO, "issued_on": "2024-06-01", "expires_on": "2024-01-01"}, "expires_on"),
        ({**ISO, "issued_on": "1800-01-01"}, "issued_on"),
        ({**ISO, "kind": "passport"}, "kind"),
        ({k: v for k, v in ISO.items() if k != "kind"}, "kind"),
        ({**ISO, "kind": "other"}, "title"),  # say what the certificate is
        ({**ISO, "number": "9" * 101}, "number"),
    ],
)
def test_bad_input_is_a_422_on_its_field(w, data, field):
    data = problem(post_form(ApiClient(w.buyer), w.supplier, data), 422)
    assert fields(data) == {field}
    assert not SupplierDocument.objects.exists()


def test_refused_files_are_problems_on_file_and_nothing_is_entered(w, attachments_dir):
    api = ApiClient(w.buyer)
    refused = problem(post_form(api, w.supplier, ISO, upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 64)), 415)
    assert fields(refused) == {"file"}
    faked = problem(post_form(api, w.supplier, ISO, upload("ISO9001.pdf", b"just some text")), 415)
    assert fields(faked) == {"file"}
    empty = problem(post_form(api, w.supplier, ISO, upload("ISO9001.pdf", b"")), 422)
    assert fields(empty) == {"file"}
    assert not SupplierDocument.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in attachments_dir.rglob("*") if p.is_file()]


def test_the_list_costs_the_same_for_3_documents_and_30(w, django_assert_max_num_queries):
    api = ApiClient(w.buyer)
    kinds = ["iso_9001", "iso_14001", "bank_letter"]

    def enter(start: int, count: int) -> None:
        for i in range(start, start + count):
            file = upload(f"cert-{i}.pdf", pdf_bytes())
            document_add(
                actor=w.pm if i % 2 else w.buyer,
                party=w.supplier,
                data={**ISO, "kind": kinds[i % 3], "number": f"N-{i}"},
                file=file,
            )

    enter(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert len(ok(api.get(_url(w.supplier)))["documents"]) == 3
    enter(3, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        listed = ok(api.get(_url(w.supplier)))
    assert len(listed["documents"]) == 3 and len(listed["replaced"]) == 27
    assert len(few.captured_queries) <= 12
