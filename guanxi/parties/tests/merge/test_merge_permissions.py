"""Who may merge, and what each one is offered: a Sales Manager within the team's customers, a Procurement
Manager among suppliers, never a customer-side user across a supplier, never a read-only Executive; the
"Merge…" button, the "Duplicates" menu item and undo follow the same rules."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from guanxi.core import roles as R
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.parties.models import Party, PartyMerge
from guanxi.parties.selectors.duplicate_pairs import duplicate_pairs
from guanxi.parties.services.duplicate_scan import duplicates_refresh
from guanxi.parties.services.merge import party_merge, party_merge_undo
from guanxi.parties.tests.factories import make_org

PHONE = "+86 755 2878 0808"
NAV = 'href="/parties/duplicates/"'
BUTTON = "Merge…"


@pytest.fixture
def w(make_user, admin_user, team, other_team):
    """East and West sales teams, a Procurement Manager, a Buyer, an Executive, and their parties."""
    rep = make_user("rep.east", roles=[R.SALES_REP], teams=[team])
    rep_west = make_user("rep.west", roles=[R.SALES_REP], teams=[other_team])
    buyer = make_user("buyer", roles=[R.BUYER])
    return SimpleNamespace(
        admin=admin_user,
        rep=rep,
        manager=make_user("boss.east", roles=[R.SALES_MANAGER], manager_of=[team]),
        manager_west=make_user("boss.west", roles=[R.SALES_MANAGER], manager_of=[other_team]),
        procurement=make_user("cpo", roles=[R.PROCUREMENT_MANAGER]),
        executive=make_user("ceo", roles=[R.EXECUTIVE]),
        a=make_org(admin_user, "Acme Trading Co., Ltd.", owner=rep, phones=[PHONE]),
        b=make_org(admin_user, "ACME Trading Limited", owner=rep, phones=[PHONE]),
        west=make_org(admin_user, "Acme Trading (West) Ltd", owner=rep_west, phones=[PHONE]),
        s1=make_org(admin_user, "宁波钢材供应有限公司", customer=False, supplier=True, owner=buyer),
        s2=make_org(admin_user, "宁波钢材供应股份有限公司", customer=False, supplier=True, owner=buyer),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _merged_into(party) -> int | None:
    return Party.objects.get(pk=party.pk).merged_into_id


def _post_merge(user, kept, merged):
    return _client(user).post(
        f"/parties/merge/?a={kept.pk}&b={merged.pk}",
        {"keep": kept.pk, f"version_{kept.pk}": kept.version, f"version_{merged.pk}": merged.version},
    )


def test_a_sales_manager_merges_within_the_team_through_the_page(w):
    r = _post_merge(w.manager, w.a, w.b)
    assert r.status_code == 302 and r["Location"].startswith(w.a.get_absolute_url())
    assert _merged_into(w.b) == w.a.pk


def test_a_sales_manager_cannot_merge_a_party_of_another_team(w):
    assert _client(w.manager).get(f"/parties/merge/?a={w.a.pk}&b={w.west.pk}").status_code == 404
    assert _post_merge(w.manager, w.a, w.west).status_code == 404
    with pytest.raises(PermissionDeniedError):
        party_merge(actor=w.manager, kept=w.a, merged=w.west)
    with pytest.raises(PermissionDeniedError):
        party_merge(actor=w.manager, kept=w.west, merged=w.a)
    assert _merged_into(w.west) is None and _merged_into(w.a) is None
    # Nor is that pair offered: the West manager sees no East party, the East one no West party.
    duplicates_refresh()
    assert {frozenset({p.first.pk, p.second.pk}) for p in duplicate_pairs(actor=w.manager)} == {
        frozenset({w.a.pk, w.b.pk})
    }
    assert not duplicate_pairs(actor=w.manager_west).exists()


def test_a_customer_side_manager_cannot_merge_when_one_is_a_supplier(w, admin_user):
    both = make_org(admin_user, "Acme Trading Ltd.", owner=w.rep, customer=True, supplier=True)
    with pytest.raises(PermissionDeniedError) as exc:
        party_merge(actor=w.manager, kept=w.a, merged=both)
    assert "supplier" in str(exc.value)
    with pytest.raises(PermissionDeniedError):
        party_merge(actor=w.manager, kept=both, merged=w.a)
    assert _post_merge(w.manager, w.a, both).status_code == 403
    assert _merged_into(both) is None and not PartyMerge.objects.exists()


def test_a_procurement_manager_merges_suppliers_but_not_customers(w):
    record = party_merge(actor=w.procurement, kept=w.s1, merged=w.s2)
    assert _merged_into(w.s2) == w.s1.pk and record.merged_by == w.procurement
    with pytest.raises(PermissionDeniedError):
        party_merge(actor=w.procurement, kept=w.a, merged=w.b)
    party_merge_undo(actor=w.procurement, record=record)
    assert _merged_into(w.s2) is None


def test_an_executive_sees_everything_but_cannot_merge(w):
    with pytest.raises(PermissionDeniedError):
        party_merge(actor=w.executive, kept=w.a, merged=w.b)
    client = _client(w.executive)
    assert client.get("/parties/duplicates/").status_code == 403
    assert client.get(f"/parties/merge/?a={w.a.pk}&b={w.b.pk}").status_code == 403
    assert _post_merge(w.executive, w.a, w.b).status_code == 403
    assert _merged_into(w.b) is None


@pytest.mark.parametrize(
    ("who", "party", "offered"),
    [
        ("manager", "a", True),
        ("procurement", "s1", True),
        ("admin", "west", True),
        ("rep", "a", False),  # may edit it, but not merge
        ("executive", "a", False),  # may see it, but not change it
        ("manager_west", "west", True),
    ],
)
def test_the_merge_button_and_the_duplicates_menu_item_only_for_those_allowed(w, who, party, offered):
    html = _client(getattr(w, who)).get(getattr(w, party).get_absolute_url()).content.decode()
    assert (BUTTON in html) is offered
    assert (NAV in html) is offered


def test_a_merged_party_offers_no_merge_button(w):
    party_merge(actor=w.manager, kept=w.a, merged=w.b)
    html = _client(w.manager).get(w.b.get_absolute_url()).content.decode()
    assert "This record was merged into" in html and BUTTON not in html


def test_undo_by_someone_without_rights_is_refused(w):
    record = party_merge(actor=w.manager, kept=w.a, merged=w.b)
    url = f"/parties/merges/{record.pk}/undo/"
    assert _client(w.rep).post(url).status_code == 403
    assert _client(w.executive).post(url).status_code == 403
    assert _client(w.manager_west).post(url).status_code == 404  # may merge, but not East's parties
    for actor in (w.rep, w.executive, w.manager_west):
        with pytest.raises(PermissionDeniedError):
            party_merge_undo(actor=actor, record=record)
    # The rep sees the banner on the kept party, without an undo button.
    html = _client(w.rep).get(w.a.get_absolute_url()).content.decode()
    assert "was merged into this record" not in html and url not in html
    assert _merged_into(w.b) == w.a.pk
    record.refresh_from_db()
    assert record.undone_at is None
    # The manager who may undo it is offered the button, and it works.
    assert url in _client(w.manager).get(w.a.get_absolute_url()).content.decode()
    assert _client(w.manager).post(url).status_code == 302
    assert _merged_into(w.b) is None


def test_undo_is_not_offered_after_30_days(w):
    record = party_merge(actor=w.manager, kept=w.a, merged=w.b)
    PartyMerge.objects.filter(pk=record.pk).update(merged_at=timezone.now() - timedelta(days=31))
    url = f"/parties/merges/{record.pk}/undo/"
    client = _client(w.manager)
    assert url not in client.get(w.a.get_absolute_url()).content.decode()
    assert url not in client.get("/parties/duplicates/").content.decode()
    merged_page = client.get(w.b.get_absolute_url()).content.decode()
    assert "This record was merged into" in merged_page
    assert url not in merged_page


def test_a_customer_side_manager_is_not_offered_a_pair_they_may_not_merge(w, admin_user):
    both = make_org(admin_user, "Acme Trading Ltd.", owner=w.rep, customer=True, supplier=True)
    duplicates_refresh()
    offered = {frozenset({p.first.pk, p.second.pk}) for p in duplicate_pairs(actor=w.manager)}
    assert offered == {frozenset({w.a.pk, w.b.pk})}, both
