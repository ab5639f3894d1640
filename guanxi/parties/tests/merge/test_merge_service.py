"""Merging two duplicate parties, and undoing it (guanxi.parties.services.merge)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction, AuditEntry
from guanxi.parties.models import Party, PartyMerge
from guanxi.parties.services.merge import party_merge, party_merge_undo
from guanxi.parties.services.notes import note_add
from guanxi.parties.tests.factories import make_org, make_person

USCC = "91350100M000100Y43"


@pytest.fixture
def admin(admin_user):
    return admin_user


def test_merge_moves_contacts_points_notes_and_fills_blanks(admin):
    kept = make_org(admin, "华为技术有限公司", phones=["+86 755 2878 0808"])
    merged = make_org(
        admin,
        "华为技术有限公司",
        emails=["sales@huawei.example.cn"],
        identifiers=[{"scheme": "cn_uscc", "value": USCC}],
        website="https://huawei.example.cn",
        invoice_bank_name="招商银行深圳分行",
    )
    person = make_person(admin, "李娜", organization=merged)
    note_add(actor=admin, party=merged, body="First met at the Canton fair")

    record = party_merge(actor=admin, kept=kept, merged=merged)

    kept.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into_id == kept.pk and merged.archived_at is not None
    assert kept.website == "https://huawei.example.cn" and kept.invoice_bank_name == "招商银行深圳分行"
    assert list(kept.identifiers.values_list("value", flat=True)) == [USCC]
    assert set(kept.contact_points.values_list("value", flat=True)) >= {"sales@huawei.example.cn"}
    assert kept.staff.filter(person=person).exists()
    assert kept.timeline_notes.filter(body__contains="Canton").exists()
    assert not merged.timeline_notes.exists()
    assert USCC.lower() in kept.search_doc
    assert AuditEntry.objects.filter(action=AuditAction.MERGE, target_id=str(kept.pk)).exists()
    assert record.moved["parties.partyidentifier"]["party_id"]


def test_undo_puts_everything_back(admin):
    kept = make_org(admin, "Acme Trading Co., Ltd.")
    merged = make_org(
        admin, "ACME Trading Ltd", website="https://acme.example.com", emails=["a@acme.example.com"]
    )
    note_add(actor=admin, party=merged, body="note on the duplicate")
    record = party_merge(actor=admin, kept=kept, merged=merged)

    party_merge_undo(actor=admin, record=record)

    kept.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into_id is None and merged.archived_at is None
    assert kept.website == ""
    assert merged.contact_points.filter(value="a@acme.example.com").exists()
    assert merged.timeline_notes.count() == 1 and kept.timeline_notes.count() == 0
    record.refresh_from_db()
    assert record.undone_at is not None
    with pytest.raises(ConflictError):
        party_merge_undo(actor=admin, record=record)


def test_undo_keeps_a_field_changed_after_the_merge(admin):
    kept = make_org(admin, "Kept Ltd")
    merged = make_org(admin, "Kept Limited", website="https://old.example.com")
    record = party_merge(actor=admin, kept=kept, merged=merged)
    Party.objects.filter(pk=kept.pk).update(website="https://new.example.com")
    party_merge_undo(actor=admin, record=record)
    kept.refresh_from_db()
    assert kept.website == "https://new.example.com"


def test_undo_after_30_days_is_refused(admin):
    record = party_merge(actor=admin, kept=make_org(admin, "A1 Ltd"), merged=make_org(admin, "A1 Limited"))
    PartyMerge.objects.filter(pk=record.pk).update(merged_at=timezone.now() - timedelta(days=31))
    record.refresh_from_db()
    with pytest.raises(ValidationError):
        party_merge_undo(actor=admin, record=record)


def test_roles_combine_the_more_engaged_customer_status_wins_and_a_supplier_starts_as_a_candidate(admin):
    kept = make_org(admin, "Both Ltd", customer=True, customer_status="prospect")
    merged = make_org(
        admin,
        "Both Limited",
        customer=True,
        supplier=True,
        customer_status="active",
        supplier_status="approved",
    )
    record = party_merge(actor=admin, kept=kept, merged=merged)
    kept.refresh_from_db()
    assert (kept.is_customer, kept.customer_status) == (True, "active")
    # A merge never widens a supplier (guanxi/suppliers/tests/test_merge.py): approving it again needs approval.
    assert (kept.is_supplier, kept.supplier_status) == (True, "candidate")
    party_merge_undo(actor=admin, record=record)
    kept.refresh_from_db()
    assert (kept.is_supplier, kept.supplier_status, kept.customer_status) == (False, "", "prospect")


def test_same_tag_on_both_stays_with_the_merged_party(admin):
    kept = make_org(admin, "Tagged Ltd")
    merged = make_org(admin, "Tagged Limited")
    from guanxi.parties.models import Tag

    vip = Tag.objects.create(name="VIP")
    kept.tags.add(vip)
    merged.tags.add(vip, Tag.objects.create(name="Key account"))
    record = party_merge(actor=admin, kept=kept, merged=merged)
    assert sorted(kept.tags.values_list("name", flat=True)) == ["Key account", "VIP"]
    assert record.left == {"parties.party_tags": 1}


def test_refused_cases(admin, make_user):
    org = make_org(admin, "Org Ltd")
    person = make_person(admin, "王伟")
    with pytest.raises(ValidationError):
        party_merge(actor=admin, kept=org, merged=person)
    with pytest.raises(ValidationError):
        party_merge(actor=admin, kept=org, merged=org)
    other = make_org(admin, "Org Limited")
    with pytest.raises(ConflictError):
        party_merge(actor=admin, kept=org, merged=other, merged_version=other.version + 1)
    rep = make_user("rep", roles=["sales_rep"])
    with pytest.raises(PermissionDeniedError):
        party_merge(actor=rep, kept=org, merged=other)
    party_merge(actor=admin, kept=org, merged=other)
    with pytest.raises(ValidationError):
        party_merge(actor=admin, kept=make_org(admin, "Third Ltd"), merged=other)


def test_a_merge_that_fails_half_way_changes_nothing(admin, monkeypatch):
    kept = make_org(admin, "Half Ltd")
    merged = make_org(
        admin, "Half Limited", emails=["x@half.example.com"], website="https://half.example.com"
    )
    from guanxi.parties.services import merge as merge_module

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge_module, "refresh_search", boom)
    with pytest.raises(RuntimeError):
        party_merge(actor=admin, kept=kept, merged=merged)
    kept.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into_id is None and merged.archived_at is None
    assert merged.contact_points.count() == 1 and kept.website == ""
    assert not PartyMerge.objects.exists()


def test_a_merged_party_is_not_restored_by_hand(admin, client):
    from guanxi.parties.services.parties import party_restore

    kept, merged = make_org(admin, "Restore Ltd"), make_org(admin, "Restore Limited")
    party_merge(actor=admin, kept=kept, merged=merged)
    with pytest.raises(ValidationError):
        party_restore(actor=admin, party=merged)
    client.force_login(admin)
    response = client.post(f"/parties/{merged.pk}/archive/", {"restore": "1"}, follow=True)
    assert "undo the merge" in response.content.decode()
    merged.refresh_from_db()
    assert merged.archived_at is not None
