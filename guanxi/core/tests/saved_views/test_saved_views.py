"""Saved views of a list (guanxi.core.services.saved_views): cleaned query, private or shared with a team,
replace by name, only the owner deletes, the menu on the lists, the pages that save and delete, the API."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import SavedView
from guanxi.core.selectors.saved_views import saved_view_get, saved_views_for
from guanxi.core.services.saved_views import clean_query, saved_view_delete, saved_view_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, team, other_team):
    return {
        "li": make_user("li", roles=["sales_rep"], teams=[team]),
        "wang": make_user("wang", roles=["sales_rep"], teams=[team]),
        "west": make_user("west", roles=["sales_rep"], teams=[other_team]),
        "team": team,
    }


def test_the_query_loses_the_position_and_empty_values_and_is_stable():
    assert clean_query("?status=new&cursor=abc&owner=&q=华为&status=working") == clean_query(
        "q=%E5%8D%8E%E4%B8%BA&status=new&status=working"
    )
    assert "cursor" not in clean_query("cursor=x&q=a") and "owner" not in clean_query("owner=&q=a")


def test_a_private_view_is_its_owners_alone(people):
    view = saved_view_save(
        actor=people["li"], list_key="crm.leads", name="  My new leads ", query="status=new"
    )
    assert view.name == "My new leads" and view.team_id is None
    assert list(saved_views_for(actor=people["li"], list_key="crm.leads")) == [view]
    assert not saved_views_for(actor=people["wang"], list_key="crm.leads").exists()
    with pytest.raises(NotFoundError):
        saved_view_get(actor=people["wang"], pk=view.pk)


def test_a_shared_view_is_seen_by_the_team_and_deleted_only_by_its_owner(people):
    view = saved_view_save(
        actor=people["li"],
        list_key="crm.opportunities",
        name="Big deals",
        query="amount_min=100000",
        team_id=people["team"].pk,
    )
    assert saved_view_get(actor=people["wang"], pk=view.pk) == view
    assert not saved_views_for(actor=people["west"]).exists()
    with pytest.raises(PermissionDeniedError):
        saved_view_delete(actor=people["wang"], view=view)
    saved_view_delete(actor=people["li"], view=view)
    assert not SavedView.objects.exists()


def test_saving_under_the_same_name_replaces_the_view(people):
    first = saved_view_save(actor=people["li"], list_key="crm.leads", name="Mine", query="status=new")
    second = saved_view_save(actor=people["li"], list_key="crm.leads", name="Mine", query="status=working")
    assert first.pk == second.pk and SavedView.objects.get().query == "status=working"


def test_bad_input_is_refused_with_a_message_per_field(people):
    with pytest.raises(ValidationError) as exc:
        saved_view_save(
            actor=people["li"],
            list_key="no.such.list",
            name="",
            query="q=" + "x" * 3000,
            team_id=people["team"].pk + 1000,
        )
    assert set(exc.value.message_dict) == {"list", "name", "team", "query"}
    with pytest.raises(ValidationError) as exc:
        saved_view_save(
            actor=people["li"], list_key="crm.leads", name="West", query="", team_id=None or 10**6
        )
    assert "team" in exc.value.message_dict


def test_the_menu_saves_applies_and_deletes_a_view(people, client):
    client.force_login(people["li"])
    page = client.get("/sales/leads/?status=new&cursor=zzz")
    html = page.content.decode()
    assert 'class="saved-views"' in html and 'name="query" value="status=new"' in html
    saved = client.post(
        "/views/save/",
        {
            "list": "crm.leads",
            "name": "新线索",
            "query": "status=new",
            "shared": "1",
            "next": "/sales/leads/",
        },
    )
    assert saved.status_code == 302 and saved["Location"] == "/sales/leads/?status=new"
    view = SavedView.objects.get()
    assert view.team == people["team"]
    client.force_login(people["wang"])
    html = client.get("/sales/leads/?status=new").content.decode()
    assert "新线索" in html and 'aria-current="true"' in html
    assert client.post(f"/views/{view.pk}/delete/", {"next": "/sales/leads/"}).status_code == 403
    client.force_login(people["li"])
    gone = client.post(f"/views/{view.pk}/delete/", {"next": "https://evil.example.com/"})
    assert gone.status_code == 302 and gone["Location"] == "/" and not SavedView.objects.exists()


def test_the_api_lists_saves_and_deletes(people, api_as):
    api = api_as(people["li"])
    made = api.post(
        "/saved-views",
        {"list": "parties.list", "name": "Suppliers in 上海", "query": "role=supplier&city=上海"},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["query"] == "city=%E4%B8%8A%E6%B5%B7&role=supplier" and body["shared_with"] is None
    assert [v["name"] for v in api.get("/saved-views", {"list": "parties.list"}).json()] == [
        "Suppliers in 上海"
    ]
    assert api_as(people["wang"]).get("/saved-views").json() == []
    assert api_as(people["wang"]).delete(f"/saved-views/{body['id']}").status_code == 404
    assert api.delete(f"/saved-views/{body['id']}").status_code == 204
    bad = api.post("/saved-views", {"list": "parties.list", "name": "", "query": ""})
    assert bad.status_code == 422
