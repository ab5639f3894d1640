"""Qualification documents (资质文件): entered with their file and dates by procurement users who may change the
supplier; a renewal replaces the current one of its kind; the daily job tells the owner once before a document
expires and puts an approved supplier on hold when a required one has expired; whoever entered documents does
not approve the supplier's next step; the tab, the card and the form on the supplier's page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import Notification
from guanxi.core.roles import BUYER, EXECUTIVE, PROCUREMENT_MANAGER, SALES_REP
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve
from guanxi.core.tests.attachments_support import pdf_bytes
from guanxi.parties.models import Party
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import SupplierDocument, SupplierStatusChange
from guanxi.suppliers.services.documents import document_add, documents_expiry_check
from guanxi.suppliers.services.lifecycle import lifecycle_rule_ensure, supplier_status_change
from guanxi.suppliers.tests.qualification_support import base_documents, category, requires, supplies

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachments_dir")]
TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def w(make_user, admin_user, team):
    lifecycle_rule_ensure()
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    ns = {
        "admin": admin_user,
        "buyer": buyer,
        "pm": make_user("pm", roles=[PROCUREMENT_MANAGER]),
        "pm2": make_user("pm2", roles=[PROCUREMENT_MANAGER]),
        "rep": make_user("rep", roles=[SALES_REP], teams=[team]),
        "boss": make_user("boss", roles=[EXECUTIVE]),
        "supplier": make_org(admin_user, "苏州精密五金有限公司", customer=False, supplier=True, owner=buyer),
    }
    return type("W", (), ns)


def _doc(actor, party, kind="iso_9001", expires="2027-05-31", **extra):
    data = {"kind": kind, "number": "CN-QMS-001", "issued_on": "2024-06-01", "expires_on": expires, **extra}
    return document_add(actor=actor, party=party, data=data)


def test_a_document_with_its_file_and_a_renewal_that_replaces_it(w):
    upload = io.BytesIO(pdf_bytes())
    upload.name = "ISO9001证书.pdf"
    first = document_add(
        actor=w.buyer,
        party=w.supplier,
        data={"kind": "iso_9001", "number": "A-1", "issued_on": "2023-06-01", "expires_on": "2026-12-15"},
        file=upload,
    )
    assert first.attachment is not None and first.attachment.object_id == str(w.supplier.pk)
    renewal = _doc(w.buyer, w.supplier, expires="2029-12-15")
    first.refresh_from_db()
    assert first.replaced_at is not None and renewal.replaced_at is None


def test_bad_input_and_who_may_enter(w):
    with pytest.raises(ValidationError) as exc:
        _doc(w.buyer, w.supplier, kind="other", issued_on="2030-01-01", expires="2029-01-01")
    assert {"title", "issued_on", "expires_on"} <= set(exc.value.message_dict)
    for user in (w.rep, w.boss):
        with pytest.raises(PermissionDeniedError):
            _doc(user, w.supplier)
    assert not SupplierDocument.objects.exists()


def test_the_job_tells_the_owner_once_then_puts_an_approved_supplier_on_hold(w):
    parts = category(w.admin, "Metal parts", name_zh="金属件")
    requires(w.admin, parts, "iso_9001")  # of a supplier of its subcategory too
    supplies(w.pm, w.supplier, category(w.admin, "Machined parts", parent=parts))
    party_set_supplier_status(actor=w.admin, party=w.supplier, status="approved")
    doc = _doc(w.pm, w.supplier, expires=(TODAY + dt.timedelta(days=20)).isoformat())
    assert documents_expiry_check(TODAY) == (1, 0)
    assert documents_expiry_check(TODAY) == (0, 0)  # told once
    assert Notification.objects.filter(recipient=w.buyer, event="supplier.document_expiring").count() == 1
    later = doc.expires_on + dt.timedelta(days=1)
    assert documents_expiry_check(later) == (0, 1)
    assert Party.objects.get(pk=w.supplier.pk).supplier_status == "on_hold"
    step = SupplierStatusChange.objects.get(party=w.supplier)
    assert (step.proposed_by, step.state, step.to_status) == (None, "applied", "on_hold")
    assert "ISO 9001" in step.reason
    assert documents_expiry_check(later) == (0, 0)  # once


def test_a_document_not_required_or_a_supplier_not_approved_is_not_put_on_hold(w, make_user):
    _doc(w.pm, w.supplier, kind="bank_letter", expires="2026-01-01")
    _doc(w.pm, w.supplier, kind="business_licence", expires="2026-01-01")  # a candidate: nothing to hold
    assert documents_expiry_check(TODAY)[1] == 0
    assert Party.objects.get(pk=w.supplier.pk).supplier_status == "candidate"
    other = make_org(w.admin, "厦门包装有限公司", customer=False, supplier=True)
    party_set_supplier_status(actor=w.admin, party=other, status="approved")
    _doc(w.pm, other, kind="iso_9001", expires="2026-01-01")  # no category of it asks for ISO 9001
    assert documents_expiry_check(TODAY)[1] == 0
    assert Party.objects.get(pk=other.pk).supplier_status == "approved"


def test_whoever_entered_documents_does_not_approve_the_supplier(w):
    supplier_status_change(actor=w.buyer, party=w.supplier, action="qualify", reason="资料齐全")
    _doc(w.pm, w.supplier)  # pm entered the ISO certificate and the base documents
    base_documents(w.pm, w.supplier)
    change = supplier_status_change(actor=w.buyer, party=w.supplier, action="approve", reason="审核通过")
    with pytest.raises(PermissionDeniedError) as exc:
        approval_approve(actor=w.pm, request=approval_status_of(change))
    assert "someone else approves" in str(exc.value)
    assert Party.objects.get(pk=w.supplier.pk).supplier_status == "qualified"
    approval_approve(actor=w.pm2, request=approval_status_of(change))
    assert Party.objects.get(pk=w.supplier.pk).supplier_status == "approved"


def test_the_tab_card_and_form(client, w):
    _doc(w.pm, w.supplier, expires=(timezone.localdate() + dt.timedelta(days=10)).isoformat())
    client.force_login(w.buyer)
    page = client.get(w.supplier.get_absolute_url()).content.decode()
    assert 'id="card-supplier-documents"' in page and "in 10 days" in page and "Business licence" in page
    tab = client.get(w.supplier.get_absolute_url() + "?tab=supplier_documents").content.decode()
    assert "CN-QMS-001" in tab and 'id="document-add"' in tab
    url = f"/suppliers/{w.supplier.pk}/documents/new/"
    resp = client.post(
        url, {"kind": "business_licence", "number": "91320594MA1MDE8Y3K", "issued_on": "2030-01-01"}
    )
    html = resp.content.decode()
    assert (
        resp.status_code == 200
        and "not issued in the future" in html
        and 'value="91320594MA1MDE8Y3K"' in html
    )
    resp = client.post(
        url, {"kind": "business_licence", "number": "91320594MA1MDE8Y3K", "issued_on": "2020-01-01"}
    )
    assert resp.status_code == 302 and SupplierDocument.objects.filter(kind="business_licence").exists()
    client.force_login(w.rep)
    assert client.get(url).status_code in (403, 404)
