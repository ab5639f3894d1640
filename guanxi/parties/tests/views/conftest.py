import pytest

from guanxi.core.roles import SALES_REP


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def rep(make_user, team):
    return make_user("rep", roles=[SALES_REP], teams=[team])


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client
