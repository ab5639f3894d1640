"""/api/v1/parties/duplicates and /api/v1/parties/merges: merge, list, undo and "not duplicates" over a token,
with the answers a client must be able to rely on (403, 404 without leaking, 409, 422, problem+json)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.core.roles import SALES_MANAGER, SALES_REP
from guanxi.core.tests.api.helpers import ApiClient, ok, problem
from guanxi.parties.models import DuplicateDismissal, Party, PartyMerge
from guanxi.parties.services.duplicate_scan import duplicates_refresh
from guanxi.parties.tests.factories import make_org, make_person

PHONE = "+86 755 2878 0808"


@pytest.fixture
def east(make_user, admin_user, team, other_team):
    """A Sales Manager of East, a rep of East and one of West, two East duplicates and a West customer."""
    manager = make_user("boss", roles=[SALES_MANAGER], manager_of=[team])
    rep = make_user("rep.east", roles=[SALES_REP], teams=[team])
    rep_west = make_user("rep.west", roles=[SALES_REP], teams=[other_team])
    kept = make_org(admin_user, "华为技术有限公司", owner=rep, phones=[PHONE])
    merged = make_org(
        admin_user,
        "华为技术股份有限公司",
        owner=rep,
        phones=[PHONE],
        emails=["sales@huawei.example.cn"],
        website="https://huawei.example.cn",
    )
    west = make_org(admin_user, "西部机密客户有限公司", owner=rep_west, phones=[PHONE])
    duplicates_refresh()  # what the nightly scan does
    return {
        "manager": manager,
        "rep": rep,
        "kept": kept,
        "merged": merged,
        "west": west,
        "api": ApiClient(manager),
    }


def _merge(api, kept, merged, **versions):
    return api.post("/parties/merges", {"kept": kept.pk, "merged": merged.pk, **versions})


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_merge_list_and_undo(east):
    api, kept, merged = east["api"], east["kept"], east["merged"]
    data = ok(_merge(api, kept, merged, kept_version=kept.version, merged_version=merged.version), 201)
    assert data["kept"] == {"id": kept.pk, "name": "华为技术有限公司", "kind": "organization"}
    assert data["merged"] == {"id": merged.pk, "name": "华为技术股份有限公司", "kind": "organization"}
    assert data["undone_at"] is None
    assert _when(data["undo_until"]) - _when(data["merged_at"]) == timedelta(days=30)
    # The e-mail moved; the same phone on both stayed with the merged one (the kept one has it).
    assert data["records_moved"] == 1 and data["records_left"] == {"parties.contactpoint": 1}
    merged.refresh_from_db()
    assert merged.merged_into_id == kept.pk and merged.archived_at is not None
    assert Party.objects.get(pk=kept.pk).website == "https://huawei.example.cn"

    listed = ok(api.get("/parties/merges"))
    assert [m["id"] for m in listed] == [data["id"]]
    assert listed[0]["records_moved"] == 1

    undone = ok(api.post(f"/parties/merges/{data['id']}/undo"))
    assert undone["id"] == data["id"] and undone["undone_at"] is not None
    merged.refresh_from_db()
    assert merged.merged_into_id is None and merged.archived_at is None
    assert merged.contact_points.filter(value="sales@huawei.example.cn").exists()
    assert Party.objects.get(pk=kept.pk).website == ""
    assert ok(api.get("/parties/merges")) == []  # undone: nothing left to undo


def test_a_rep_without_party_merge_gets_403_everywhere(east):
    rep_api = ApiClient(east["rep"])
    kept, merged = east["kept"], east["merged"]
    problem(_merge(rep_api, kept, merged), 403)
    problem(rep_api.get("/parties/duplicates"), 403)
    problem(rep_api.get("/parties/merges"), 403)
    problem(rep_api.post("/parties/duplicates/dismiss", {"first": kept.pk, "second": merged.pk}), 403)
    record = ok(_merge(east["api"], kept, merged), 201)
    problem(rep_api.post(f"/parties/merges/{record['id']}/undo"), 403)
    assert Party.objects.get(pk=merged.pk).merged_into_id == kept.pk  # the undo did not happen
    assert not DuplicateDismissal.objects.exists()


def test_a_party_outside_the_scope_is_404_like_one_that_does_not_exist(east, admin_user):
    api, kept, west = east["api"], east["kept"], east["west"]
    missing = Party.objects.order_by("-pk").first().pk + 1000
    hidden = problem(_merge(api, kept, west), 404)
    absent = problem(_merge(api, kept, Party(pk=missing)), 404)
    assert hidden == absent
    assert "西部" not in str(hidden)
    hidden = problem(api.post("/parties/duplicates/dismiss", {"first": west.pk, "second": kept.pk}), 404)
    assert hidden == problem(
        api.post("/parties/duplicates/dismiss", {"first": missing, "second": kept.pk}), 404
    )
    # A merge whose kept party is outside the scope cannot be undone, nor seen to exist.
    twin = make_org(admin_user, "西部分公司", owner=west.owner)
    record = ok(_merge(ApiClient(admin_user), west, twin), 201)
    assert problem(api.post(f"/parties/merges/{record['id']}/undo"), 404) == problem(
        api.post(f"/parties/merges/{record['id'] + 1000}/undo"), 404
    )
    assert ok(api.get("/parties/merges")) == []
    assert not PartyMerge.objects.filter(undone_at__isnull=False).exists()


def test_a_stale_version_is_409_and_nothing_changes(east):
    api, kept, merged = east["api"], east["kept"], east["merged"]
    body = problem(
        _merge(api, kept, merged, kept_version=kept.version, merged_version=merged.version + 1), 409
    )
    assert body["title"]
    merged.refresh_from_db()
    assert merged.merged_into_id is None and merged.contact_points.count() == 2
    assert not PartyMerge.objects.exists()


def test_an_organization_with_a_person_is_422(east, admin_user):
    api, kept = east["api"], east["kept"]
    person = make_person(admin_user, "张伟", owner=east["rep"])
    body = problem(_merge(api, kept, person), 422)
    assert "merged" in {e["field"] for e in body["errors"]}
    problem(_merge(api, kept, kept), 422)  # the same party twice
    assert not PartyMerge.objects.exists()


def test_undo_twice_is_409_and_after_30_days_is_422(east, admin_user):
    api = east["api"]
    first = ok(_merge(api, east["kept"], east["merged"]), 201)
    ok(api.post(f"/parties/merges/{first['id']}/undo"))
    again = problem(api.post(f"/parties/merges/{first['id']}/undo"), 409)
    assert "undone already" in again["title"] + (again.get("detail") or "")

    old = ok(_merge(api, east["kept"], make_org(admin_user, "华为技术集团", owner=east["rep"])), 201)
    PartyMerge.objects.filter(pk=old["id"]).update(merged_at=timezone.now() - timedelta(days=30, minutes=1))
    late = problem(api.post(f"/parties/merges/{old['id']}/undo"), 422)
    assert "30 days" in str(late)
    assert PartyMerge.objects.get(pk=old["id"]).undone_at is None


def test_dismiss_is_idempotent_and_the_pair_leaves_the_list(east):
    api, kept, merged = east["api"], east["kept"], east["merged"]
    listed = ok(api.get("/parties/duplicates"))
    assert [{p["first"]["id"], p["second"]["id"]} for p in listed] == [{kept.pk, merged.pk}]
    for first, second in ((kept, merged), (merged, kept), (kept, merged)):
        ok(api.post("/parties/duplicates/dismiss", {"first": first.pk, "second": second.pk}), 204)
    assert DuplicateDismissal.objects.count() == 1
    assert ok(api.get("/parties/duplicates")) == []
    assert problem(api.post("/parties/duplicates/dismiss", {"first": kept.pk, "second": kept.pk}), 422)


def test_duplicates_list_shape_limit_and_query_count(east, admin_user):
    api = east["api"]
    ok(api.get("/parties/duplicates"))  # the token's last-used stamp stays out of the counts
    with CaptureQueriesContext(connection) as small:
        listed = ok(api.get("/parties/duplicates"))
    assert listed == [
        {
            "first": {"id": east["kept"].pk, "name": "华为技术有限公司", "kind": "organization"},
            "second": {"id": east["merged"].pk, "name": "华为技术股份有限公司", "kind": "organization"},
            "reasons": ["similar", "phone"],
        }
    ]
    for i in range(8):
        make_org(admin_user, f"Twin Works {i} Ltd", owner=east["rep"], phones=[f"+86 21 6000 00{i:02d}"])
        make_org(admin_user, f"Twin Works {i} Limited", owner=east["rep"], phones=[f"+86 21 6000 00{i:02d}"])
    duplicates_refresh()
    with CaptureQueriesContext(connection) as large:
        listed = ok(api.get("/parties/duplicates"))
    assert len(listed) == 9
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(ok(api.get("/parties/duplicates", {"limit": 2}))) == 2
    assert ok(api.get("/parties/duplicates", {"limit": 2, "offset": 8})) == listed[8:]
    problem(api.get("/parties/duplicates", {"limit": 0}), 422)
    problem(api.get("/parties/duplicates", {"limit": 501}), 422)


def test_merges_in_a_chain_are_undone_last_first(east, admin_user):
    """B into A, then A into C: B's merge waits until A's is undone (409), then it can be undone too."""
    api, a, b = east["api"], east["kept"], east["merged"]
    c = make_org(admin_user, "华为技术集团有限公司", owner=east["rep"])
    first = ok(_merge(api, a, b), 201)
    second = ok(_merge(api, c, a), 201)
    assert Party.objects.get(pk=b.pk).merged_into_id == c.pk  # what pointed at A points at C now
    assert {m["id"] for m in ok(api.get("/parties/merges"))} == {first["id"], second["id"]}
    problem(api.post(f"/parties/merges/{first['id']}/undo"), 409)
    ok(api.post(f"/parties/merges/{second['id']}/undo"))
    assert Party.objects.get(pk=b.pk).merged_into_id == a.pk
    ok(api.post(f"/parties/merges/{first['id']}/undo"))
    assert [Party.objects.get(pk=p.pk).merged_into_id for p in (a, b, c)] == [None, None, None]
    assert Party.objects.filter(pk__in=[a.pk, b.pk, c.pk], archived_at__isnull=False).count() == 0


def test_a_scan_asked_for_through_the_api_finds_new_pairs(
    east, admin_user, django_capture_on_commit_callbacks
):
    api = east["api"]
    make_org(admin_user, "Twin Works Ltd", owner=east["rep"], phones=["+86 21 6000 0077"])
    make_org(admin_user, "Twin Works Limited", owner=east["rep"], phones=["+86 21 6000 0077"])
    assert len(ok(api.get("/parties/duplicates"))) == 1  # the last scan did not see the twins
    before = ok(api.get("/parties/duplicates/scans/latest"))
    with django_capture_on_commit_callbacks(execute=True):
        scan = ok(api.post("/parties/duplicates/scans"), 202)
    assert scan["id"] != before["id"]
    latest = ok(api.get("/parties/duplicates/scans/latest"))
    assert latest["id"] == scan["id"] and latest["finished_at"] is not None
    assert latest["found"] == 4  # every party's pairs: the West one shares the phone with both East ones
    names = [{p["first"]["name"], p["second"]["name"]} for p in ok(api.get("/parties/duplicates"))]
    assert {"Twin Works Ltd", "Twin Works Limited"} in names and len(names) == 2


def test_a_scan_is_asked_for_once_while_one_waits_and_only_by_who_may_merge(east, make_user, team):
    api = east["api"]
    first = ok(api.post("/parties/duplicates/scans"), 202)  # not run: no commit in this test
    assert ok(api.post("/parties/duplicates/scans"), 202)["id"] == first["id"]
    rep = ApiClient(make_user("rep.two", roles=[SALES_REP], teams=[team]))
    problem(rep.post("/parties/duplicates/scans"), 403)
    problem(rep.get("/parties/duplicates/scans/latest"), 403)
