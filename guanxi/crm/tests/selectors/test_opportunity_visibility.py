"""Who sees and who changes which opportunity (the customers area's own / team / all, plus 协作人), and the
filters and sort orders of the opportunity list."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core import roles as R
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.crm.selectors.opportunities import (
    OpportunityFilters,
    can_change,
    opportunity_get,
    opportunity_list,
    opportunity_visible,
)
from guanxi.crm.services.opportunities import opportunity_lose, opportunity_update, opportunity_win
from guanxi.crm.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db


@dataclass
class Deals:
    rep: object  # owned by rep (East)
    mate: object  # owned by mate (East)
    west: object  # owned by rep_west (West)
    shared: object  # West's, with rep as a team member (协作人)
    nobodys: object  # owned by the administrator, who is in no team


@pytest.fixture
def deals(world) -> Deals:
    shared = make_opportunity(world.rep_west, world.west_co, "Shared")
    shared = opportunity_update(
        actor=world.rep_west, opportunity=shared, version=1, data={"members": [world.rep]}
    )
    return Deals(
        rep=make_opportunity(world.rep, world.huawei, "Rep's"),
        mate=make_opportunity(world.mate, world.huawei, "Mate's"),
        west=make_opportunity(world.rep_west, world.west_co, "West's"),
        shared=shared,
        nobodys=make_opportunity(world.admin, world.huawei, "Admin's"),
    )


ALL = {"rep", "mate", "west", "shared", "nobodys"}
# who: (sees, changes)
MATRIX = {
    "rep": ({"rep", "mate", "shared"}, {"rep", "mate", "shared"}),
    "mate": ({"rep", "mate"}, {"rep", "mate"}),
    "rep_west": ({"west", "shared"}, {"west", "shared"}),
    "manager": ({"rep", "mate"}, {"rep", "mate"}),
    "executive": (ALL, set()),
    "marketing": (ALL, set()),
    "admin": (ALL, ALL),
    "buyer": (set(), set()),
    "service": (set(), set()),
}


def _names(deals, qs) -> set[str]:
    by_pk = {getattr(deals, k).pk: k for k in ALL}
    return {by_pk[pk] for pk in qs.values_list("pk", flat=True)}


@pytest.mark.parametrize("who", MATRIX)
def test_the_permission_matrix(world, deals, who):
    actor = getattr(world, who)
    sees, changes = MATRIX[who]
    assert _names(deals, opportunity_visible(actor=actor)) == sees
    assert _names(deals, opportunity_visible(actor=actor, mode="edit")) == changes
    every = OpportunityFilters(state="all")
    if sees:
        assert _names(deals, opportunity_list(actor=actor, filters=every)) == sees
    else:
        with pytest.raises(PermissionDeniedError):
            opportunity_list(actor=actor, filters=every)
    for name in ALL:
        o = getattr(deals, name)
        assert can_change(actor=actor, opportunity=o) == (name in changes)
        if not sees:  # no opportunity.view at all
            with pytest.raises(PermissionDeniedError):
                opportunity_get(actor=actor, pk=o.pk)
        elif name not in sees:  # invisible: its existence does not leak
            with pytest.raises(NotFoundError):
                opportunity_get(actor=actor, pk=o.pk)
            with pytest.raises(NotFoundError):
                opportunity_get(actor=actor, pk=o.pk, mode="edit")
        else:
            assert opportunity_get(actor=actor, pk=o.pk) == o
            if name in changes:
                assert opportunity_get(actor=actor, pk=o.pk, mode="edit") == o
            else:  # visible, read-only
                with pytest.raises(PermissionDeniedError):
                    opportunity_get(actor=actor, pk=o.pk, mode="edit")


def test_a_member_sees_only_while_a_member(world, deals):
    o = opportunity_update(actor=world.rep_west, opportunity=deals.shared, version=2, data={"members": []})
    assert not opportunity_visible(actor=world.rep).filter(pk=o.pk).exists()
    with pytest.raises(NotFoundError):
        opportunity_get(actor=world.rep, pk=o.pk)


def test_a_teammates_deal_is_seen_through_its_team(world, deals):
    # Owned by mate but belonging to East: "own" for everyone in East (record_rules.reach_q).
    assert deals.mate.owner == world.mate and deals.mate.team == world.east
    assert opportunity_get(actor=world.rep, pk=deals.mate.pk, mode="edit") == deals.mate


@pytest.mark.parametrize("pk", ["abc", None, 0, -1, 2**63, 10**12])
def test_a_bad_or_unknown_id_is_not_found(admin_user, pk):
    with pytest.raises(NotFoundError):
        opportunity_get(actor=admin_user, pk=pk)


# --- filters -----------------------------------------------------------------------------------------------


@pytest.fixture
def book(world):
    """Opportunities of East seen by its manager: two open, one won, one lost."""
    a = make_opportunity(
        world.rep, world.huawei, "Alpha routers", amount="500", expected_close=dt.date(2026, 12, 1)
    )
    b = make_opportunity(
        world.mate, world.huawei, "Beta switches", amount="1500.50", expected_close=dt.date(2026, 11, 30)
    )
    won = make_opportunity(
        world.rep, world.huawei, "Gamma", amount="9000", expected_close=dt.date(2027, 1, 5)
    )
    won = opportunity_win(actor=world.rep, opportunity=won, version=1)
    lost = make_opportunity(world.mate, world.huawei, "Delta", expected_close=dt.date(2026, 12, 31))
    lost = opportunity_lose(actor=world.mate, opportunity=lost, version=1, lost_reason=world.reason)
    return {"a": a, "b": b, "won": won, "lost": lost}


def _list(actor, **filters) -> list:
    return [o.name for o in opportunity_list(actor=actor, filters=OpportunityFilters(**filters))]


@pytest.mark.parametrize(
    ("state", "names"),
    [
        ("", {"Alpha routers", "Beta switches"}),
        ("won", {"Gamma"}),
        ("lost", {"Delta"}),
        ("closed", {"Gamma", "Delta"}),
        ("all", {"Alpha routers", "Beta switches", "Gamma", "Delta"}),
    ],
)
def test_state_filter(world, book, state, names):
    assert set(_list(world.manager, state=state)) == names


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"state": "pending"}, "state"),
        ({"owner": "someone"}, "owner"),
        ({"close_month": "2026-13"}, "close_month"),
        ({"close_month": "December"}, "close_month"),
        ({"close_month": "2026-12-01"}, "close_month"),
        ({"sort": "amount"}, "sort"),
    ],
)
def test_bad_filters_are_validation_errors(make_user, filters, field):
    with pytest.raises(ValidationError) as exc:
        _list(make_user(roles=[R.SALES_MANAGER]), **filters)
    assert field in exc.value.message_dict


def test_an_owner_id_out_of_range_is_refused_or_finds_nobody(world, book):
    try:
        found = _list(world.manager, owner="9" * 20)  # the web's filters keep 20 characters
    except ValidationError as exc:
        assert "owner" in exc.message_dict
    else:
        assert found == []


def test_owner_and_team_filters(world, book):
    assert set(_list(world.rep, owner="me", state="all")) == {"Alpha routers", "Gamma"}
    assert set(_list(world.manager, owner=str(world.mate.pk), state="all")) == {"Beta switches", "Delta"}
    assert _list(world.manager, owner="me") == []
    make_opportunity(world.rep_west, world.west_co, "Westward")
    assert _list(world.admin, team=world.west.pk) == ["Westward"]
    assert _list(world.manager, team=world.west.pk) == []  # filters never widen the scope
    assert len(_list(world.admin, team=world.east.pk)) == 2


def test_close_month_and_amount_filters(world, book):
    assert _list(world.manager, close_month="2026-12") == ["Alpha routers"]
    assert _list(world.manager, close_month="2026-11") == ["Beta switches"]
    assert _list(world.manager, close_month="2026-12", state="all") == ["Alpha routers", "Delta"]
    assert _list(world.manager, close_month="2027-01", state="won") == ["Gamma"]
    assert _list(world.manager, amount_min=Decimal("500")) == ["Beta switches", "Alpha routers"]
    assert _list(world.manager, amount_min=Decimal("500.01")) == ["Beta switches"]
    assert _list(world.manager, amount_max=Decimal("1500.50")) == ["Beta switches", "Alpha routers"]
    assert _list(world.manager, amount_max=Decimal("1500.49")) == ["Alpha routers"]
    assert _list(world.manager, amount_min=Decimal("501"), amount_max=Decimal("1500")) == []
    # No amount: outside any amount range.
    assert _list(world.manager, state="lost", amount_max=Decimal("1000000")) == []


def test_search_looks_at_the_name_and_the_customers_name(world, book):
    other = make_opportunity(world.rep, world.zhang, "Personal laptop")
    assert _list(world.manager, q="ROUTERS") == ["Alpha routers"]
    assert _list(world.manager, q="华为", state="all", sort="name") == [
        "Alpha routers",
        "Beta switches",
        "Delta",
        "Gamma",
    ]
    assert _list(world.manager, q="张") == [other.name]
    assert _list(world.manager, q="nothing like it") == []


def test_sort_orders(world, book):
    assert _list(world.manager, state="all") == ["Beta switches", "Alpha routers", "Delta", "Gamma"]
    assert _list(world.manager, state="all", sort="close") == _list(world.manager, state="all")
    assert _list(world.manager, state="all", sort="-close") == [
        "Gamma",
        "Delta",
        "Alpha routers",
        "Beta switches",
    ]
    assert _list(world.manager, state="all", sort="name") == [
        "Alpha routers",
        "Beta switches",
        "Delta",
        "Gamma",
    ]
    a = book["a"]
    opportunity_update(actor=world.rep, opportunity=a, version=a.version, data={"next_step": "Call"})
    assert _list(world.manager, state="all", sort="-updated")[0] == "Alpha routers"
    assert _list(world.manager, customer=world.huawei.pk, state="all", sort="-updated")[0] == "Alpha routers"
