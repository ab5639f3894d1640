"""The supplier lifecycle (guanxi.suppliers.services.lifecycle): named actions with a reason; the widening ones
(approve, prefer, unblock) wait for someone else's approval; the status field is read-only everywhere else;
every step is kept and audited; the API and the pages follow the same rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from guanxi.core.exceptions import GuanxiError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Notification
from guanxi.core.roles import BUYER, EXECUTIVE, PROCUREMENT_MANAGER, SALES_REP
from guanxi.core.selectors.approvals import approval_status_of
from guanxi.core.services.approvals import approval_approve, approval_reject
from guanxi.core.tests.api.helpers import ApiClient, ok, problem
from guanxi.core.tests.factories import PASSWORD
from guanxi.parties.models import Party
from guanxi.parties.tests.factories import make_org
from guanxi.suppliers.models import SupplierStatusChange
from guanxi.suppliers.selectors.lifecycle import status_change_get
from guanxi.suppliers.services.lifecycle import (
    lifecycle_rule_ensure,
    may_receive_orders,
    supplier_status_change,
    supplier_status_change_withdraw,
)
from guanxi.suppliers.tests.qualification_support import base_documents


@pytest.fixture
def w(make_user, admin_user, team):
    lifecycle_rule_ensure()
    buyer = make_user("buyer", roles=[BUYER], teams=[team])
    manager = make_user("pm", roles=[PROCUREMENT_MANAGER])
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    boss = make_user("boss", roles=[EXECUTIVE])
    supplier = make_org(admin_user, "苏州精密五金有限公司", customer=False, supplier=True, owner=buyer)
    base_documents(buyer, supplier)  # what approving needs (tests/test_qualification.py: without them)

    class W:
        pass

    out = W()
    out.__dict__.update(locals())
    return out


def step(actor, party, action, reason="资料齐全 / documents complete"):
    return supplier_status_change(actor=actor, party=party, action=action, reason=reason)


def status(party) -> str:
    return Party.objects.get(pk=party.pk).supplier_status


def approve(actor, change):
    return approval_approve(actor=actor, request=approval_status_of(change))


def test_from_candidate_to_preferred_with_approvals_by_someone_else(w, django_capture_on_commit_callbacks):
    assert step(w.buyer, w.supplier, "qualify").state == "applied"  # narrowing or neutral: at once
    assert status(w.supplier) == "qualified" and not may_receive_orders(Party.objects.get(pk=w.supplier.pk))
    change = step(w.buyer, w.supplier, "approve", "审厂合格 / factory audit passed")
    assert change.state == "pending" and status(w.supplier) == "qualified"
    with pytest.raises((PermissionDeniedError, GuanxiError)):
        approve(w.buyer, change)  # never one's own
    approve(w.manager, change)
    change.refresh_from_db()
    assert change.state == "applied" and status(w.supplier) == "approved"
    assert may_receive_orders(Party.objects.get(pk=w.supplier.pk))
    entry = AuditEntry.objects.filter(target_type="parties.party", target_id=str(w.supplier.pk)).latest("id")
    assert entry.changes["supplier_status"] == ["qualified", "approved"]
    assert entry.changes["reason"] == [None, "审厂合格 / factory audit passed"]
    assert not Notification.objects.filter(event="supplier.status_changed").exists()  # the owner asked
    second = w.make_user("pm2", roles=[PROCUREMENT_MANAGER])
    with django_capture_on_commit_callbacks(execute=True):
        approve(second, step(w.manager, w.supplier, "prefer"))  # a manager's step, the other one approves
    assert status(w.supplier) == "preferred"
    told = Notification.objects.filter(recipient=w.buyer, event="supplier.status_changed")
    assert told.count() == 1 and "苏州精密五金有限公司" in told.get().title  # the owner, told by neither


def test_block_applies_at_once_and_unblock_needs_approval(w):
    step(w.buyer, w.supplier, "qualify")
    assert step(w.buyer, w.supplier, "block", "质量事故 / quality incident").state == "applied"
    assert status(w.supplier) == "blocked"
    unblock = step(w.buyer, w.supplier, "unblock", "整改完成 / corrective actions closed")
    assert unblock.to_status == "qualified" and status(w.supplier) == "blocked"
    approval_reject(actor=w.manager, request=approval_status_of(unblock), comment="再观察三个月")
    unblock.refresh_from_db()
    assert unblock.state == "rejected" and status(w.supplier) == "blocked"


@pytest.mark.parametrize(
    ("action", "message"),
    [("approve", "does not apply"), ("unblock", "does not apply"), ("fly", "lifecycle actions")],
)
def test_an_action_that_does_not_apply_is_refused(w, action, message):
    with pytest.raises(ValidationError) as exc:
        step(w.buyer, w.supplier, action)
    assert message in str(exc.value)
    assert status(w.supplier) == "candidate" and not SupplierStatusChange.objects.exists()


def test_a_reason_is_required_and_one_step_waits_at_a_time(w):
    with pytest.raises(ValidationError) as exc:
        step(w.buyer, w.supplier, "qualify", reason="  ")
    assert "reason" in exc.value.message_dict
    step(w.buyer, w.supplier, "qualify")
    step(w.buyer, w.supplier, "approve")
    with pytest.raises(ValidationError) as exc:
        step(w.manager, w.supplier, "approve")
    assert "waits for approval" in str(exc.value)


def test_a_block_is_never_held_up_by_a_waiting_step_which_then_cannot_pass(w):
    step(w.buyer, w.supplier, "qualify")
    pending = step(w.buyer, w.supplier, "approve")
    assert step(w.manager, w.supplier, "block", "供应商涉嫌欺诈 / suspected fraud").state == "applied"
    assert status(w.supplier) == "blocked"
    with pytest.raises(GuanxiError, match="changed meanwhile"):
        approve(w.manager, pending)
    pending.refresh_from_db()
    assert pending.state == "pending" and status(w.supplier) == "blocked"
    approval_reject(actor=w.manager, request=approval_status_of(pending), comment="已冻结 / blocked")
    pending.refresh_from_db()
    assert pending.state == "rejected"


def test_a_withdrawn_step_changes_nothing(w):
    step(w.buyer, w.supplier, "qualify")
    pending = step(w.buyer, w.supplier, "approve")
    supplier_status_change_withdraw(actor=w.buyer, change=pending)
    pending.refresh_from_db()
    assert pending.state == "withdrawn" and status(w.supplier) == "qualified"


def test_who_may_move_a_supplier(w, admin_user, other_team, make_user):
    for outsider in (w.rep, w.boss):  # a sales rep, an executive (who sees suppliers, read-only)
        with pytest.raises(PermissionDeniedError):
            step(outsider, w.supplier, "qualify")
    other = make_user("buyer2", roles=[BUYER], teams=[other_team])
    with pytest.raises(PermissionDeniedError):
        step(other, w.supplier, "qualify")  # not a supplier they hold
    assert status_change_get(actor=w.boss, pk=step(w.buyer, w.supplier, "qualify").pk)
    with pytest.raises(NotFoundError):
        status_change_get(actor=w.rep, pk=SupplierStatusChange.objects.get().pk)


def test_the_api_moves_the_lifecycle_with_the_same_rules(w):
    buyer, manager = ApiClient(w.buyer), ApiClient(w.manager)
    url = f"/suppliers/{w.supplier.pk}/status-changes"
    before = ok(buyer.get(url))
    assert (before["status"], before["actions"]) == ("candidate", ["qualify", "block", "phase_out"])
    assert ok(buyer.post(url, {"action": "qualify", "reason": "资料齐全"}), 201)["state"] == "applied"
    pending = ok(buyer.post(url, {"action": "approve", "reason": "审厂合格"}), 201)
    assert pending["state"] == "pending" and pending["approval_request"]
    problem(buyer.post(url, {"action": "approve", "reason": "again"}), 422)
    problem(buyer.post(url, {"action": "approve"}), 422)
    problem(buyer.post(f"/approvals/{pending['approval_request']}/approve", {}), 403)
    ok(manager.post(f"/approvals/{pending['approval_request']}/approve", {}))
    assert ok(buyer.get(f"/supplier-status-changes/{pending['id']}"))["state"] == "applied"
    assert ok(buyer.get(url))["status"] == "approved"
    problem(ApiClient(w.rep).get(url), 404)
    assert ok(ApiClient(w.boss).get(url))["actions"] == []  # reads, may not move


def test_the_tab_and_the_action_page(w):
    c = Client()
    assert c.login(username="buyer", password=PASSWORD)
    page = c.get(f"/parties/{w.supplier.pk}/?tab=supplier_status").content.decode()
    assert 'id="lifecycle-actions"' in page and "Qualify" in page and "No lifecycle step yet" in page
    r = c.post(f"/suppliers/{w.supplier.pk}/status/qualify/", {"reason": ""})
    assert r.status_code == 200 and "This field is required." in r.content.decode()
    r = c.post(f"/suppliers/{w.supplier.pk}/status/qualify/", {"reason": "资料齐全"})
    assert r.status_code == 302 and status(w.supplier) == "qualified"
    assert c.get(f"/suppliers/{w.supplier.pk}/status/prefer/").status_code == 404  # not from qualified
    r = c.post(f"/suppliers/{w.supplier.pk}/status/approve/", {"reason": "审厂合格"})
    change = SupplierStatusChange.objects.get(action="approve")
    assert r["Location"] == f"/suppliers/status-changes/{change.pk}/"
    assert "Withdraw" in c.get(r["Location"]).content.decode()
    rep = Client()
    assert rep.login(username="rep", password=PASSWORD)
    assert rep.get(f"/suppliers/{w.supplier.pk}/status/qualify/").status_code == 404


def test_the_party_edit_cannot_move_the_status_any_more(w, admin_user):
    api = ApiClient(admin_user)
    r = problem(
        api.patch(f"/organizations/{w.supplier.pk}", {"supplier_status": "approved", "version": 1}), 422
    )
    assert "lifecycle" in str(r)
    assert status(w.supplier) == "candidate"
