import pytest

from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_english_dates_are_unambiguous(client, admin_user):
    org = make_org(admin_user, "Acme")
    client.force_login(admin_user)
    page = client.get(f"/parties/{org.pk}/").content.decode()
    assert org.created_at.astimezone().strftime("%Y-") in page
    assert "p.m." not in page and "a.m." not in page


def test_handing_a_customer_to_another_team_lands_on_the_list(client, make_user, team, other_team):
    from guanxi.core.roles import SALES_REP

    rep = make_user(roles=[SALES_REP], teams=[team])
    colleague = make_user(roles=[SALES_REP], teams=[other_team])
    org = make_org(rep, "Handover Ltd")
    client.force_login(rep)
    r = client.post(
        f"/parties/{org.pk}/edit/",
        {"name": "Handover Ltd", "is_customer": "on", "owner": colleague.pk, "version": org.version},
        follow=True,
    )
    assert r.redirect_chain[-1][0] == "/parties/"
    assert "no longer in your list" in r.content.decode()
    org.refresh_from_db()
    assert org.owner == colleague and org.team == other_team


def test_unknown_api_paths_are_problem_json(client):
    r = client.get("/api/v2/nothing")
    assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"
