"""A small company for the permission matrix: two sales teams, every shipped role, seven parties.

Teams East and West. Parties (letter = first letter of the name):

    A  Alpha    customer             owner rep (East)      team East
    B  Bravo    customer             owner rep2 (East)     team West   (an East member's party in West)
    C  Charlie  customer             owner rep_west        team West
    D  Delta    supplier             owner buyer (East)    team East
    E  Echo     supplier             owner buyer_west      team West
    F  Foxtrot  customer + supplier  owner rep_west        team West
    G  Golf     customer             owner rep2 (East)     team East   (owned by the rep's team)

`actors[role]` is the user who plays that role in the matrix (the East one where there are two).

`world_once_per_module` builds it once per test module, inside a transaction that is rolled back when
the module is done; each test runs in its own savepoint within it (pytest-django's usual rollback), so
tests may change anything. Every test in a module that uses it sees the world. Use it as::

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        yield from world_once_per_module(django_db_blocker)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from guanxi.core import roles as R
from guanxi.core.models import Team
from guanxi.core.tests.factories import make_user
from guanxi.parties.tests.factories import make_org

ALL_ROLES = [
    R.ADMINISTRATOR,
    R.EXECUTIVE,
    R.SALES_MANAGER,
    R.SALES_REP,
    R.MARKETING,
    R.SERVICE_AGENT,
    R.PROCUREMENT_MANAGER,
    R.BUYER,
]


@dataclass
class World:
    east: Team
    west: Team
    actors: dict
    users: dict
    parties: dict  # letter -> Party

    def letters(self, parties) -> str:
        """'ABG' for Alpha, Bravo and Golf."""
        return "".join(sorted(p.name[0] for p in parties))


def build_world() -> World:
    east = Team.objects.create(name="East")
    west = Team.objects.create(name="West")
    u = {
        "admin": make_user("admin_role", roles=[R.ADMINISTRATOR]),
        "executive": make_user("exec", roles=[R.EXECUTIVE]),
        "manager": make_user("mgr", roles=[R.SALES_MANAGER], manager_of=[east]),
        "rep": make_user("rep", roles=[R.SALES_REP], teams=[east]),
        "rep2": make_user("rep2", roles=[R.SALES_REP], teams=[east]),
        "rep_west": make_user("rep_west", roles=[R.SALES_REP], teams=[west]),
        "marketing": make_user("mkt", roles=[R.MARKETING]),
        "service": make_user("svc", roles=[R.SERVICE_AGENT]),
        "procurement": make_user("proc", roles=[R.PROCUREMENT_MANAGER]),
        "buyer": make_user("buyer", roles=[R.BUYER], teams=[east]),
        "buyer_west": make_user("buyer_west", roles=[R.BUYER], teams=[west]),
        "nobody": make_user("nobody"),
    }
    creator = u["admin"]
    p = {
        "A": make_org(creator, "Alpha", owner=u["rep"]),
        "B": make_org(creator, "Bravo", owner=u["rep2"], team=west),
        "C": make_org(creator, "Charlie", owner=u["rep_west"]),
        "D": make_org(creator, "Delta", customer=False, supplier=True, owner=u["buyer"]),
        "E": make_org(creator, "Echo", customer=False, supplier=True, owner=u["buyer_west"]),
        "F": make_org(creator, "Foxtrot", customer=True, supplier=True, owner=u["rep_west"]),
        "G": make_org(creator, "Golf", owner=u["rep2"]),
    }
    actors = {
        R.ADMINISTRATOR: u["admin"],
        R.EXECUTIVE: u["executive"],
        R.SALES_MANAGER: u["manager"],
        R.SALES_REP: u["rep"],
        R.MARKETING: u["marketing"],
        R.SERVICE_AGENT: u["service"],
        R.PROCUREMENT_MANAGER: u["procurement"],
        R.BUYER: u["buyer"],
        "no role": u["nobody"],
    }
    return World(east=east, west=west, actors=actors, users=u, parties=p)


def world_once_per_module(django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# role -> (letters it sees, letters it may change)
VISIBILITY = {
    R.ADMINISTRATOR: ("ABCDEFG", "ABCDEFG"),
    R.EXECUTIVE: ("ABCDEFG", ""),
    R.SALES_MANAGER: ("ABG", "ABG"),  # team East, plus anything an East member owns (Bravo)
    R.SALES_REP: ("AG", "AG"),  # own (Alpha) and team East's (Golf), not Bravo (rep2's, but in West)
    R.MARKETING: ("ABCFG", ""),  # every customer, read-only
    R.SERVICE_AGENT: ("ABCFG", ""),
    R.PROCUREMENT_MANAGER: ("DEF", "DEF"),  # every supplier
    R.BUYER: ("DEF", "D"),  # sees every supplier, changes own / team East's
}
