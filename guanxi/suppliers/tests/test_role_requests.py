"""One party is one company (guanxi.suppliers.services.role_requests): a buyer asks for the supplier role on a
company registered as a customer (found by its unified social credit code among every party, however typed);
its owner or an administrator consents — the company becomes a candidate supplier — or declines with a note;
one request waits per company; the API follows the same rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Notification
from guanxi.core.roles import BUYER, SALES_REP
from guanxi.core.tests.api.helpers import ApiClient, ok, problem
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.selectors.role_requests import role_request_get
from guanxi.suppliers.services.role_requests import (
    supplier_role_decide,
    supplier_role_request,
    supplier_role_withdraw,
)

pytestmark = pytest.mark.django_db
USCC = "914403001922038216"
FULL_WIDTH = "９１４４０３００１９２２０３８２１６"  # the same code typed with full-width digits


@pytest.fixture
def w(make_user, admin_user, team, other_team):
    rep = make_user("wang.wei", roles=[SALES_REP], teams=[team])
    ns = {
        "admin": admin_user,
        "rep": rep,
        "other_rep": make_user("li.na", roles=[SALES_REP], teams=[other_team]),
        "buyer": make_user("emily", roles=[BUYER], teams=[other_team]),
        "customer": make_org(
            admin_user, "华为技术有限公司", owner=rep, identifiers=[{"scheme": "cn_uscc", "value": USCC}]
        ),
    }
    return type("W", (), ns)


def test_the_owner_consents_and_the_customer_becomes_a_candidate_supplier(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = supplier_role_request(actor=w.buyer, uscc=FULL_WIDTH, reason="华为 5G 模组的供货商")
    assert req.party == w.customer and req.state == "pending"
    told = set(
        Notification.objects.filter(event="supplier.role_request").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"wang.wei", "admin"}  # the owner and the administrators
    with pytest.raises(ValidationError) as exc:  # one request waits per company
        supplier_role_request(actor=w.buyer, uscc=USCC, reason="again")
    assert "waits for consent" in str(exc.value)
    with pytest.raises(PermissionDeniedError):
        supplier_role_decide(actor=w.buyer, request=req, accept=True)  # not the asker's to decide
    with pytest.raises(NotFoundError):
        role_request_get(actor=w.other_rep, pk=req.pk)
    with django_capture_on_commit_callbacks(execute=True):
        req = supplier_role_decide(actor=w.rep, request=req, accept=True)
    party = Party.objects.get(pk=w.customer.pk)
    assert (party.is_customer, party.is_supplier, party.supplier_status, party.owner) == (
        True,
        True,
        "candidate",
        w.rep,
    )
    assert Notification.objects.filter(event="supplier.role_request", recipient=w.buyer).exists()
    entry = AuditEntry.objects.filter(target_id=str(party.pk), changes__has_key="is_supplier").get()
    assert entry.changes["is_supplier"] == [False, True] and entry.actor == w.rep
    with pytest.raises(ConflictError):
        supplier_role_decide(actor=w.admin, request=req, accept=False, note="no")
    with pytest.raises(ValidationError) as exc:  # a supplier already: nothing to ask
        supplier_role_request(actor=w.buyer, uscc=USCC, reason="again")
    assert "华为技术有限公司 is a supplier already" in str(
        exc.value
    )  # named: the buyer reaches it as a supplier now


def test_bad_codes_and_who_may_ask(w):
    for code, said in (("123", "not valid"), ("91350200MA31U5XK5U", "No company has this code")):
        with pytest.raises(ValidationError) as exc:
            supplier_role_request(actor=w.buyer, uscc=code, reason="x")
        assert said in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        supplier_role_request(actor=w.buyer, uscc=USCC, reason="")
    assert "华为" not in str(exc.value)
    with pytest.raises(PermissionDeniedError):
        supplier_role_request(actor=w.other_rep, uscc=USCC, reason="x")  # a sales rep holds no supplier


def test_declining_needs_a_note_and_withdrawing_is_the_askers(w):
    req = supplier_role_request(actor=w.buyer, uscc=USCC, reason="试样")
    with pytest.raises(ValidationError):
        supplier_role_decide(actor=w.rep, request=req, accept=False, note="")
    with pytest.raises(PermissionDeniedError):
        supplier_role_withdraw(actor=w.rep, request=req)
    assert supplier_role_withdraw(actor=w.buyer, request=req).state == "withdrawn"
    again = supplier_role_request(actor=w.buyer, uscc=USCC, reason="再试")  # a withdrawn one does not block
    req = supplier_role_decide(actor=w.admin, request=again, accept=False, note="竞争对手，不采购")
    assert req.state == "declined" and not Party.objects.get(pk=w.customer.pk).is_supplier


def test_the_page_and_the_api(w):
    buyer, rep = Client(), Client()
    buyer.force_login(w.buyer)
    rep.force_login(w.rep)
    url = reverse("suppliers:role_requests")
    resp = buyer.post(url, {"uscc": "123", "reason": "x"})
    assert resp.status_code == 200 and 'id="role-request-errors"' in resp.content.decode()
    resp = buyer.post(url, {"uscc": USCC, "reason": "华为 5G 模组的供货商"})
    req = role_request_get(actor=w.buyer, pk=resp["Location"].rstrip("/").split("/")[-1])
    assert "华为技术有限公司" in rep.get(url).content.decode()  # waits for the owner's consent
    resp = rep.post(req.get_absolute_url(), {"op": "accept"})
    assert resp.status_code == 302 and Party.objects.get(pk=w.customer.pk).is_supplier
    api_buyer, api_rep = ApiClient(w.buyer), ApiClient(w.other_rep)
    problem(api_buyer.post("/supplier-role-requests", {"uscc": USCC, "reason": "x", "extra": 1}), 422)
    assert [r["state"] for r in ok(api_buyer.get("/supplier-role-requests"))] == ["accepted"]
    problem(api_rep.get(f"/supplier-role-requests/{req.pk}"), 404)
    problem(api_buyer.post(f"/supplier-role-requests/{req.pk}/decide", {"accept": False, "note": "x"}), 403)
    problem(
        ApiClient(w.admin).post(f"/supplier-role-requests/{req.pk}/decide", {"accept": False, "note": "x"}),
        409,
    )
