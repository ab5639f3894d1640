"""My activities: the buckets, filters, empty states, completing in the list (htmx and without JS), and a
page that costs the same number of queries for 3 rows as for 30."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.activities.models import Activity
from guanxi.activities.tests.factories import make_activity
from guanxi.tests.plugin_app.services import widget_create

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "mine"}


def _in(minutes: int):
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_the_menu_offers_my_activities(client, world):
    client.force_login(world.rep)
    html = client.get("/parties/").content.decode()
    assert 'href="/activities/"' in html and "My activities" in html


def test_today_lists_what_is_due_now_and_marks_the_overdue(client, world):
    make_activity(world.rep, world.huawei, subject="Late call", due_at=_in(-90))
    make_activity(
        world.rep, world.huawei, subject="Tomorrow's visit", due_at=timezone.now() + dt.timedelta(days=2)
    )
    client.force_login(world.rep)
    html = client.get("/activities/").content.decode()
    assert "Late call" in html and "Overdue" in html and "华为技术有限公司" in html
    assert "Tomorrow&#x27;s visit" not in html
    upcoming = client.get("/activities/?when=upcoming").content.decode()
    assert "Tomorrow&#x27;s visit" in upcoming and "Late call" not in upcoming


def test_empty_states_say_why(client, world):
    client.force_login(world.rep)
    assert "Nothing is due today." in client.get("/activities/").content.decode()
    assert "Nothing is overdue" in client.get("/activities/?when=overdue").content.decode()
    make_activity(world.rep, world.huawei, kind="call", due_at=_in(30))
    html = client.get("/activities/?kind=meeting").content.decode()
    assert "No activities match these filters." in html and "Clear filters" in html


def test_a_bad_filter_is_a_400_with_the_reason(client, world):
    client.force_login(world.rep)
    resp = client.get("/activities/?when=someday")
    assert resp.status_code == 400 and "Unknown view." in resp.content.decode()


def test_a_role_without_activities_gets_403(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get("/activities/").status_code == 403


def test_a_manager_filters_by_assignee(client, world):
    # Due a minute ago: in today's list at any hour (due in 30 minutes is tomorrow after 23:30).
    make_activity(world.rep, world.huawei, subject="Rep's call", due_at=_in(-1))
    client.force_login(world.manager)
    assert "Rep&#x27;s call" not in client.get("/activities/").content.decode()
    html = client.get(f"/activities/?assignee={world.rep.pk}").content.decode()
    assert "Rep&#x27;s call" in html and 'name="assignee"' in html
    client.force_login(world.rep)
    assert 'name="assignee"' not in client.get("/activities/").content.decode()


def test_htmx_gets_the_list_alone(client, world):
    client.force_login(world.rep)
    resp = client.get("/activities/?when=upcoming", headers=HTMX)
    assert b"<html" not in resp.content and b'class="filters"' in resp.content
    assert "HX-Request" in resp["Vary"]


def test_complete_in_the_list_with_htmx_returns_the_row_offering_the_next_step(client, world):
    a = make_activity(world.rep, world.huawei, subject="Call 张伟", due_at=_in(30))
    client.force_login(world.rep)
    resp = client.post(
        f"/activities/{a.pk}/complete/",
        {"outcome": "报价已发", "version": 1, "in_list": "1", "next": "/activities/", "done": "1"},
        headers={"HX-Request": "true", "HX-Target": f"activity-{a.pk}"},
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and f'id="activity-{a.pk}"' in html
    assert "Schedule the next step" in html and f"follow_up={a.pk}" in html
    a.refresh_from_db()
    assert a.status == "done" and a.outcome == "报价已发"


def test_complete_twice_in_the_list_says_so_in_the_row(client, world):
    a = make_activity(world.rep, world.huawei, due_at=_in(30))
    client.force_login(world.rep)
    data = {"version": 1, "in_list": "1", "next": "/activities/"}
    headers = {"HX-Request": "true", "HX-Target": f"activity-{a.pk}"}
    client.post(f"/activities/{a.pk}/complete/", data, headers=headers)
    html = client.post(f"/activities/{a.pk}/complete/", data, headers=headers).content.decode()
    assert "done already" in html


def test_complete_and_next_step_with_htmx_redirects_to_the_prefilled_form(client, world):
    a = make_activity(world.rep, world.huawei, due_at=_in(30))
    client.force_login(world.rep)
    resp = client.post(
        f"/activities/{a.pk}/complete/",
        {"version": 1, "in_list": "1", "next_step": "1"},
        headers={"HX-Request": "true", "HX-Target": f"activity-{a.pk}"},
    )
    assert resp["HX-Redirect"] == f"/activities/new/?follow_up={a.pk}"


def test_complete_without_javascript_comes_back_to_the_list_offering_the_next_step(client, world):
    a = make_activity(world.rep, world.huawei, subject="Send the quote", due_at=_in(30))
    client.force_login(world.rep)
    resp = client.post(f"/activities/{a.pk}/complete/", {"version": 1, "next": "/activities/?when=today"})
    assert resp.status_code == 302 and resp["Location"] == f"/activities/?when=today&done={a.pk}"
    html = client.get(resp["Location"]).content.decode()
    assert "“Send the quote” is done." in html and f"follow_up={a.pk}" in html
    # With the next step: straight to the prefilled form.
    b = make_activity(world.rep, world.huawei, due_at=_in(40))
    resp = client.post(f"/activities/{b.pk}/complete/", {"version": 1, "next_step": "1"})
    assert resp["Location"] == f"/activities/new/?follow_up={b.pk}"


def test_next_does_not_lead_off_site(client, world):
    a = make_activity(world.rep, world.huawei, due_at=_in(30))
    client.force_login(world.rep)
    resp = client.post(f"/activities/{a.pk}/complete/", {"version": 1, "next": "https://evil.example/"})
    assert resp["Location"].startswith(f"/activities/{a.pk}/")


def test_my_activities_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    widget = widget_create(actor=world.rep, name="Gadget")
    for i in range(3):
        make_activity(world.rep, world.huawei if i % 2 else widget, subject=f"A{i}", due_at=_in(-10 - i))
    client.force_login(world.rep)
    client.get("/activities/")  # the session's last-seen time is stamped once a minute: not in the count
    with CaptureQueriesContext(connection) as small:
        assert client.get("/activities/").status_code == 200
    for i in range(3, 30):
        make_activity(world.rep, world.huawei if i % 2 else widget, subject=f"A{i}", due_at=_in(-10 - i))
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get("/activities/").content.decode()
    assert html.count('class="activity overdue"') == 25  # one page
    # session, user, roles, teams, the page, one per record type (2), two tab counts
    assert len(small.captured_queries) <= 10, [q["sql"] for q in small.captured_queries]
    assert Activity.objects.count() == 30
