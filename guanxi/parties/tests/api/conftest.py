import pytest

from guanxi.core.roles import BUYER, EXECUTIVE, SALES_REP
from guanxi.core.tests.api.helpers import ApiClient, anon_api, api, api_as, ok  # noqa: F401  (fixtures)


@pytest.fixture
def rep_a(make_user, team):
    """A Sales Representative in team East."""
    return make_user("rep.a", roles=[SALES_REP], teams=[team])


@pytest.fixture
def rep_a2(make_user, team):
    """Another Sales Representative in team East."""
    return make_user("rep.a2", roles=[SALES_REP], teams=[team])


@pytest.fixture
def rep_b(make_user, other_team):
    """A Sales Representative in team West."""
    return make_user("rep.b", roles=[SALES_REP], teams=[other_team])


@pytest.fixture
def buyer(make_user):
    return make_user("buyer", roles=[BUYER])


@pytest.fixture
def executive(make_user):
    return make_user("exec", roles=[EXECUTIVE])


@pytest.fixture
def make_tag(admin_user):
    """Tags are made as users make them: through POST /tags."""
    client = ApiClient(admin_user)

    def make(name: str, color: str = "#64748b") -> dict:
        return ok(client.post("/tags", {"name": name, "color": color}), 201)

    return make
