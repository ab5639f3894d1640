import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.roles import BUYER, SALES_MANAGER, SALES_REP
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import PartyFilters, party_list
from guanxi.parties.services.parties import PartyExtras, party_create, party_update
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

USCC = "914403001922038216"


def updates_of(party):
    return list(
        AuditEntry.objects.filter(target_type="parties.party", target_id=str(party.pk), action="update")
    )


def names_found(actor, q, **filters):
    return sorted(p.name for p in party_list(actor=actor, filters=PartyFilters(q=q, **filters)))


def test_update_writes_one_audit_entry_with_old_and_new_values(admin_user):
    party = make_org(admin_user, "Acme", phones=["13912345678"], emails=["old@acme.example.cn"])
    vip = tag_create(actor=admin_user, name="VIP")
    updated = party_update(
        actor=admin_user,
        party=party,
        version=1,
        data={"name": "Acme Trading", "website": "https://acme.example.cn", "industry": "retail"},
        extras=PartyExtras(
            identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC}],
            phones=["0755 2878 0808"],
            emails=["new@acme.example.cn"],
            tag_ids=[vip.pk],
        ),
    )
    assert updated.version == 2 and updated.name == "Acme Trading"
    [entry] = updates_of(party)
    assert entry.actor == admin_user
    assert entry.changes == {
        "name": ["Acme", "Acme Trading"],
        "website": ["", "https://acme.example.cn"],
        "industry": ["", "retail"],
        "identifiers": [[], [{"scheme": "cn_uscc", "country": "CN", "value": USCC}]],
        "phones": [["139 1234 5678"], ["0755 2878 0808"]],
        "emails": [["old@acme.example.cn"], ["new@acme.example.cn"]],
        "main_phone": ["139 1234 5678", "0755 2878 0808"],
        "main_email": ["old@acme.example.cn", "new@acme.example.cn"],
        "tags": [[], ["VIP"]],
    }


def test_lists_left_out_are_kept_and_an_unchanged_save_writes_no_audit(admin_user):
    party = make_org(admin_user, "Acme", phones=["13912345678"])
    party = party_update(actor=admin_user, party=party, version=1, data={"name": "Acme"})
    assert party.contact_points.get().normalized == "+8613912345678"
    assert updates_of(party) == []
    party = party_update(
        actor=admin_user, party=party, version=party.version, data={}, extras=PartyExtras(phones=[])
    )
    assert not party.contact_points.exists()
    assert updates_of(party)[0].changes == {
        "phones": [["139 1234 5678"], []],
        "main_phone": ["139 1234 5678", None],
    }


def test_a_stale_version_is_refused_and_nothing_changes(admin_user):
    party = make_org(admin_user, "Acme", phones=["13912345678"])
    party_update(actor=admin_user, party=party, version=1, data={"name": "Acme One"})  # someone else saves
    with pytest.raises(ConflictError):
        party_update(
            actor=admin_user,
            party=party,
            version=1,
            data={"name": "Acme Two"},
            extras=PartyExtras(phones=["0755 2878 0808"]),
        )
    party.refresh_from_db()
    assert (party.name, party.version) == ("Acme One", 2)
    assert party.contact_points.get().normalized == "+8613912345678"
    assert len(updates_of(party)) == 1


def test_invalid_input_is_refused_whole(admin_user):
    party = make_org(admin_user, "Acme")
    with pytest.raises(ValidationError) as exc:
        party_update(
            actor=admin_user,
            party=party,
            version=1,
            data={"name": "Acme\x07", "website": "not a url", "customer_status": "bogus", "version": 9},
            extras=PartyExtras(phones=["123"]),
        )
    assert {"name", "website", "customer_status", "version", "phones[0]"} <= set(exc.value.message_dict)
    party.refresh_from_db()
    assert (party.name, party.version, party.website) == ("Acme", 1, "")
    assert updates_of(party) == []


def test_a_sales_rep_cannot_make_a_party_a_supplier(make_user, team):
    rep = make_user(roles=[SALES_REP], teams=[team])
    party = make_org(rep, "Acme")
    with pytest.raises(PermissionDeniedError):
        party_update(actor=rep, party=party, version=1, data={"is_supplier": True})
    party.refresh_from_db()
    assert (party.is_supplier, party.supplier_status, party.version) == (False, "", 1)
    # Taking the customer role away is within the rep's reach (the party stays on the customer side).
    party = party_update(actor=rep, party=party, version=1, data={"is_customer": False})
    assert (party.is_customer, party.customer_status) == (False, "")


def test_a_buyer_cannot_make_a_supplier_a_customer(make_user):
    buyer = make_user(roles=[BUYER])
    party = make_org(buyer, "Bolts Ltd", customer=False, supplier=True)
    with pytest.raises(PermissionDeniedError):
        party_update(actor=buyer, party=party, version=1, data={"is_customer": True})
    party.refresh_from_db()
    assert not party.is_customer


def test_gaining_a_role_sets_its_first_status(admin_user):
    party = make_org(admin_user, "Acme")
    party = party_update(actor=admin_user, party=party, version=1, data={"is_supplier": True})
    assert (party.supplier_status, party.customer_status) == ("candidate", "prospect")


def test_removing_a_role_clears_its_status(admin_user):
    party = make_org(admin_user, "Acme", supplier=True, customer_status="active", supplier_status="approved")
    party = party_update(actor=admin_user, party=party, version=party.version, data={"is_supplier": False})
    assert (party.is_supplier, party.supplier_status, party.customer_status) == (False, "", "active")
    assert updates_of(party)[0].changes == {"is_supplier": [True, False], "supplier_status": ["approved", ""]}
    party = party_update(actor=admin_user, party=party, version=party.version, data={"is_customer": False})
    assert party.customer_status == ""


def test_rename_refreshes_the_search_columns(admin_user):
    party = make_org(admin_user, "Acme Trading")
    assert names_found(admin_user, "acme") == ["Acme Trading"]
    party_update(actor=admin_user, party=party, version=1, data={"name": "腾讯科技有限公司"})
    assert names_found(admin_user, "acme") == []
    for q in ("腾讯", "tx", "txkj", "tengxun"):
        assert names_found(admin_user, q) == ["腾讯科技有限公司"], q


def test_new_phones_and_identifiers_are_searchable(admin_user):
    party = make_org(admin_user, "Acme")
    party_update(
        actor=admin_user,
        party=party,
        version=1,
        data={},
        extras=PartyExtras(
            phones=["0755 2878 0808"], identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": USCC}]
        ),
    )
    assert names_found(admin_user, "0755-2878-0808") == ["Acme"]
    assert names_found(admin_user, USCC) == ["Acme"]


def test_a_new_owner_brings_the_party_into_their_team(admin_user, make_user, team, other_team):
    rep = make_user(roles=[SALES_REP], teams=[team])
    rep_west = make_user(roles=[SALES_REP], teams=[other_team])
    party = make_org(admin_user, "Acme", owner=rep)
    assert party.team == team
    party = party_update(actor=admin_user, party=party, version=1, data={"owner": rep_west.pk})
    assert (party.owner, party.team) == (rep_west, other_team)
    assert updates_of(party)[0].changes == {
        "owner": [str(rep), str(rep_west)],
        "team": ["East", "West"],
    }


def test_an_unknown_or_inactive_owner_is_refused(admin_user, make_user):
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    party = make_org(admin_user, "Acme")
    for owner in (gone.pk, 999999, "x"):
        with pytest.raises(ValidationError) as exc:
            party_update(actor=admin_user, party=party, version=1, data={"owner": owner})
        assert "owner" in exc.value.message_dict


def test_a_sales_manager_updates_a_team_members_party(make_user, team):
    manager = make_user(roles=[SALES_MANAGER], manager_of=[team])
    rep = make_user(roles=[SALES_REP], teams=[team])
    party = make_org(rep, "Acme")
    party = party_update(actor=manager, party=party, version=1, data={"customer_status": "active"})
    assert Party.objects.get(pk=party.pk).customer_status == "active"


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        ({"supplier_status": "blocked"}, ValidationError),  # the lifecycle's, for everyone
        ({"supplier_status": "preferred"}, ValidationError),
        ({"is_supplier": False}, PermissionDeniedError),
    ],
)
def test_a_sales_rep_cannot_change_the_supplier_side_of_a_party_that_is_both(
    admin_user, make_user, team, data, refusal
):
    rep = make_user(roles=[SALES_REP], teams=[team])
    party = make_org(admin_user, "Both", supplier=True, supplier_status="approved", owner=rep)
    version = party.version
    with pytest.raises(refusal):
        party_update(actor=rep, party=party, version=version, data=data)
    party.refresh_from_db()
    assert (party.is_supplier, party.supplier_status, party.version) == (True, "approved", version)
    # The customer side and the common fields remain the rep's to change, also with the form's full data.
    party = party_update(
        actor=rep,
        party=party,
        version=version,
        data={"customer_status": "active", "is_supplier": True, "supplier_status": "approved", "notes": "ok"},
    )
    assert (party.customer_status, party.supplier_status, party.notes) == ("active", "approved", "ok")


def test_a_buyer_cannot_change_the_customer_side_of_a_party_that_is_both(admin_user, make_user, team):
    buyer = make_user(roles=[BUYER], teams=[team])
    party = make_org(admin_user, "Both", supplier=True, customer_status="active", owner=buyer)
    for data in ({"customer_status": "lost"}, {"is_customer": False}):
        with pytest.raises(PermissionDeniedError):
            party_update(actor=buyer, party=party, version=1, data=data)
    party = party_update(actor=buyer, party=party, version=1, data={"is_supplier": True, "notes": "ok"})
    assert (party.customer_status, party.supplier_status, party.notes) == ("active", "candidate", "ok")


def test_the_supplier_status_is_set_only_by_the_lifecycle_never_by_an_edit(admin_user, make_user, team):
    """The party's form and API may send the status back as they read it, never a new one — not even an
    administrator: the supplier lifecycle's named actions (with a reason, some approved) own it."""
    party = make_org(admin_user, "Acme", supplier=True)
    with pytest.raises(ValidationError) as exc:
        party_update(actor=admin_user, party=party, version=1, data={"supplier_status": "approved"})
    assert "lifecycle" in exc.value.message_dict["supplier_status"][0]
    party = party_update(actor=admin_user, party=party, version=1, data={"supplier_status": "candidate"})
    assert party.supplier_status == "candidate"  # the value as read: accepted, nothing changed
    with pytest.raises(ValidationError):
        party_create(
            actor=admin_user,
            data={
                "kind": "organization",
                "name": "Born approved",
                "is_supplier": True,
                "supplier_status": "approved",
            },
        )


def test_line_breaks_are_allowed_in_notes_only(admin_user):
    party = make_org(admin_user, "Acme")
    for field in ("name", "legal_name", "invoice_address", "wechat_id"):
        with pytest.raises(ValidationError) as exc:
            party_update(actor=admin_user, party=party, version=1, data={field: "line one\nline two"})
        assert exc.value.message_dict[field] == ["Remove the control characters from this text."]
    party = party_update(actor=admin_user, party=party, version=1, data={"notes": "line one\r\nline two"})
    assert party.notes == "line one\r\nline two"
