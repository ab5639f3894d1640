"""Everything a user changes on a party writes a history entry: notes, the first address of a new party, a
new contact's job title, the order of phones and emails (the first is the main one), deleting a tag."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.audit_display import change_lines
from guanxi.core.exceptions import ConflictError
from guanxi.core.models import AuditEntry
from guanxi.core.selectors.users import history_for
from guanxi.parties.models import Party
from guanxi.parties.selectors.timeline import party_timeline
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.notes import note_add
from guanxi.parties.services.parties import PartyExtras, party_update
from guanxi.parties.services.tags import tag_create, tag_delete
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def history(party):
    return list(history_for(subject_type="parties.party", subject_id=party.pk).order_by("id"))


def lines(entry):
    return [line.text for line in change_lines(entry)]


def test_adding_a_note_says_who_added_which_note_in_the_history(admin_user):
    party = make_org(admin_user, "Acme")
    note = note_add(actor=admin_user, party=party, body="Called about the invoice.\nWill call back.")
    entry = history(party)[-1]
    assert (entry.actor, entry.action, entry.target_type, entry.target_id) == (
        admin_user,
        "create",
        "parties.partynote",
        str(note.pk),
    )
    assert entry.changes == {"body": [None, "Called about the invoice.\nWill call back."]}
    assert lines(entry) == ["Note: Called about the invoice.\nWill call back."]


def test_a_long_note_is_recorded_by_its_first_200_characters(admin_user):
    party = make_org(admin_user, "Acme")
    note_add(actor=admin_user, party=party, body="长" * 5000)
    recorded = history(party)[-1].changes["body"][1]
    assert len(recorded) == 200 and recorded == "长" * 199 + "…"


def test_the_timeline_shows_a_note_once_and_the_history_says_it_was_added(admin_user):
    party = make_org(admin_user, "Acme")
    note_add(actor=admin_user, party=party, body="First call")
    kinds = [
        (e.kind, e.obj.body if e.kind == "note" else e.obj.target_type) for e in party_timeline(party=party)
    ]
    assert sorted(kinds) == [("change", "parties.party"), ("note", "First call")]
    assert [e.target_type for e in history(party)] == ["parties.party", "parties.partynote"]


def test_the_address_given_with_a_new_organization_is_in_its_history(admin_user):
    org = make_org(
        admin_user,
        "华为技术有限公司",
        address={
            "kind": "registered",
            "country": "CN",
            "province": "广东省",
            "city": "深圳市",
            "street": "坂田",
        },
    )
    created, address_added = history(org)
    assert (created.target_type, created.action) == ("parties.party", "create")
    assert (address_added.target_type, address_added.action) == ("parties.address", "create")
    assert address_added.target_id == str(org.addresses.get().pk)
    assert address_added.changes["street"] == [None, "坂田"]
    assert address_added.changes["city"] == [None, "深圳市"]
    assert "Street: 坂田" in lines(address_added) and "Type: Registered" in lines(address_added)


def test_a_new_contacts_job_title_is_in_its_create_entry(admin_user):
    org = make_org(admin_user, "Acme")
    person = make_person(admin_user, "王伟", organization=org, job_title="采购经理")
    created = history(person)[0]
    assert created.changes["organization"] == [None, "Acme"]
    assert created.changes["job_title@Acme"] == [None, "采购经理"]
    assert "Job title (Acme): 采购经理" in lines(created)


def test_reordering_phones_is_a_change_of_the_main_number(admin_user):
    party = make_org(admin_user, "Acme", phones=["13912345678", "0755 2878 0808"])
    party = party_update(
        actor=admin_user,
        party=party,
        version=1,
        data={},
        extras=PartyExtras(phones=["0755 2878 0808", "13912345678"]),
    )
    assert party.version == 2
    entry = history(party)[-1]
    assert entry.changes["main_phone"] == ["139 1234 5678", "0755 2878 0808"]
    assert lines(entry) == ["Main phone: 139 1234 5678 → 0755 2878 0808"]


def test_reordering_emails_is_a_change_of_the_main_email(admin_user):
    party = make_org(admin_user, "Acme", emails=["a@acme.example.cn", "b@acme.example.cn"])
    party_update(
        actor=admin_user,
        party=party,
        version=1,
        data={},
        extras=PartyExtras(emails=["b@acme.example.cn", "a@acme.example.cn"]),
    )
    assert lines(history(party)[-1]) == ["Main email: a@acme.example.cn → b@acme.example.cn"]


def test_replacing_the_only_phone_reads_as_added_and_removed(admin_user):
    party = make_org(admin_user, "Acme", phones=["13912345678"])
    party_update(
        actor=admin_user, party=party, version=1, data={}, extras=PartyExtras(phones=["0755 2878 0808"])
    )
    assert lines(history(party)[-1]) == ["Phones: added 0755 2878 0808; removed 139 1234 5678"]


def tagged_world(admin_user, carriers: int, name: str = "VIP"):
    vip = tag_create(actor=admin_user, name=name)
    tagged = [make_org(admin_user, f"Tagged {i}") for i in range(carriers)]
    untagged = make_org(admin_user, "Untagged")
    parties_bulk_tag(actor=admin_user, ids=[p.pk for p in tagged], tag=vip)
    return vip, tagged, untagged


def test_deleting_a_tag_writes_each_partys_history_and_bumps_its_version(admin_user):
    vip, tagged, untagged = tagged_world(admin_user, 3)
    versions = dict(Party.objects.filter(pk__in=[p.pk for p in tagged]).values_list("pk", "version"))
    assert tag_delete(actor=admin_user, tag=vip) == 3
    for party in tagged:
        party.refresh_from_db()
        assert party.version == versions[party.pk] + 1
        assert not party.tags.exists()
        entry = history(party)[-1]
        assert (entry.actor, entry.action, entry.changes) == (admin_user, "update", {"tags": ["VIP", None]})
        assert lines(entry) == ["Tags: removed VIP"]
    untagged.refresh_from_db()
    assert untagged.version == 1 and len(history(untagged)) == 1


def test_an_edit_form_opened_before_the_tag_was_deleted_gets_a_conflict(admin_user):
    vip, [party], _untagged = tagged_world(admin_user, 1)
    party.refresh_from_db()
    seen = party.version  # the user opens the edit form, with the VIP tag ticked
    tag_delete(actor=admin_user, tag=vip)
    with pytest.raises(ConflictError):
        party_update(actor=admin_user, party=party, version=seen, data={"name": "Renamed"})


def test_deleting_a_tag_writes_all_entries_in_one_insert(admin_user):
    audit_table = AuditEntry._meta.db_table
    queries = {}
    for carriers in (2, 12):
        tag, _tagged, _untagged = tagged_world(admin_user, carriers, name=f"Tag {carriers}")
        before = AuditEntry.objects.count()
        with CaptureQueriesContext(connection) as ctx:
            tag_delete(actor=admin_user, tag=tag)
        sql = [q["sql"] for q in ctx.captured_queries]
        inserts = [q for q in sql if q.startswith(f'INSERT INTO "{audit_table}"')]
        assert len(inserts) == 2  # every party's entry in one, then the tag's own
        assert AuditEntry.objects.count() == before + carriers + 1
        queries[carriers] = len(sql)
    assert queries[2] == queries[12] <= 8  # whatever the number of parties carrying the tag
