import pytest

from guanxi.core.roles import SALES_REP

pytestmark = pytest.mark.django_db


def test_home_sends_each_user_where_they_can_work(client, make_user, admin_user):
    assert client.get("/").url == "/login/"
    client.force_login(make_user(roles=[SALES_REP]))
    assert client.get("/").url == "/parties/"
    client.force_login(make_user())  # no role yet: a page that says so, not a 403
    r = client.get("/")
    assert r.status_code == 200 and "no role yet" in r.content.decode()
