"""/api/v1/opportunities, /api/v1/pipelines and /api/v1/lost-reasons: the same rules as the pages (scope,
stage rules, locking), problem+json errors naming the field, retries with an Idempotency-Key, and a list whose
cost does not grow with its rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.crm.models import LostReason, Opportunity
from guanxi.crm.services.opportunities import opportunity_lose, opportunity_move, opportunity_win
from guanxi.crm.services.pipelines import lost_reason_save, pipeline_archive, pipeline_create, stage_archive
from guanxi.crm.tests.factories import make_opportunity
from guanxi.parties.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _body(world, **data):
    return {"name": "Core switches", "customer_id": world.huawei.pk, "expected_close": "2026-12-31", **data}


OPEN_STAGES = ["Qualification", "Needs analysis", "Proposal", "Negotiation"]
REASONS = ["Price too high", "Lost to a competitor", "No budget", "No decision", "Product does not fit"]


def _op(api, o, op, **body):
    return api.post(f"/opportunities/{o.pk}/{op}", body)


def _refused(resp) -> set[str]:
    """The fields a 422 names."""
    return fields(problem(resp, 422))


def _zhang(world, role) -> dict:
    return {"contact": {"id": world.zhang.pk, "name": "张伟"}, "role": role}


def _names(resp) -> list[str]:
    return [o["name"] for o in ok(resp)["items"]]


@pytest.fixture
def sales(world):
    """East's opportunities in every state, and one of West's."""
    rep, d = world.rep, dt.date

    def east(name, close, **data):
        return make_opportunity(rep, world.huawei, name, expected_close=close, **data)

    east("Core switches", d(2026, 12, 31), amount="120000")
    east("Routers", d(2026, 11, 15), amount="5000", owner=world.mate.pk)
    fw = east("Firewall", d(2027, 1, 10))
    opportunity_move(actor=rep, opportunity=fw, stage=world.stages["Proposal"], version=1)
    opportunity_win(actor=rep, opportunity=east("Cables", d(2026, 10, 1), amount="800"), version=1)
    lost = east("Racks", d(2026, 10, 2), amount="300")
    opportunity_lose(actor=rep, opportunity=lost, version=1, lost_reason=world.reason)
    make_opportunity(world.rep_west, world.west_co, "West deal", amount="7", expected_close=d(2026, 12, 1))


# The list ---------------------------------------------------------------------------------------------------


def test_list_shows_only_what_the_caller_may_see(api_as, world, sales):
    assert _names(api_as(world.rep).get("/opportunities")) == ["Routers", "Core switches", "Firewall"]
    assert _names(api_as(world.rep_west).get("/opportunities")) == ["West deal"]
    assert _names(api_as(world.manager).get("/opportunities")) == ["Routers", "Core switches", "Firewall"]
    assert len(ok(api_as(world.admin).get("/opportunities"))["items"]) == 4
    # A team member (协作人) of an East opportunity sees that one too, and no other of East's.
    make_opportunity(world.rep, world.huawei, "Shared", members=[world.rep_west.pk])
    assert _names(api_as(world.rep_west).get("/opportunities")) == ["West deal", "Shared"]


def test_list_filters(api_as, world, sales):
    api = api_as(world.rep)

    def names(**params):
        return _names(api.get("/opportunities", params))

    assert names(state="won") == ["Cables"]
    assert names(state="lost") == ["Racks"]
    assert names(state="closed") == ["Cables", "Racks"]
    assert names(state="all") == ["Cables", "Racks", "Routers", "Core switches", "Firewall"]
    assert names(owner="me") == ["Core switches", "Firewall"]
    assert names(owner=str(world.mate.pk)) == ["Routers"]
    assert names(stage=world.stages["Proposal"].pk) == ["Firewall"]
    assert names(pipeline=world.pipeline.pk, team=world.east.pk) == ["Routers", "Core switches", "Firewall"]
    assert names(customer=world.west_co.pk) == []  # not West's, even when asked for
    assert names(close_month="2026-12") == ["Core switches"]
    assert names(amount_min="1000", amount_max="100000") == ["Routers"]
    assert names(q="fire") == ["Firewall"] and len(names(q="华为")) == 3
    assert names(sort="name") == ["Core switches", "Firewall", "Routers"]
    assert names(sort="-close") == ["Firewall", "Core switches", "Routers"]
    assert "close_month" in _refused(api.get("/opportunities", {"close_month": "2026-13"}))
    assert "close_month" in _refused(api.get("/opportunities", {"close_month": "Dec"}))
    assert "owner" in _refused(api.get("/opportunities", {"owner": "someone"}))
    problem(api.get("/opportunities", {"state": "pending"}), 422)


def test_list_pages_with_a_cursor(api_as, world):
    for i in range(5):
        make_opportunity(world.rep, world.huawei, f"O{i}", expected_close=dt.date(2026, 1, 1 + i))
    api = api_as(world.rep)
    first = ok(api.get("/opportunities", {"limit": 2}))
    second = ok(api.get("/opportunities", {"limit": 2, "cursor": first["next_cursor"]}))
    third = ok(api.get("/opportunities", {"limit": 2, "cursor": second["next_cursor"]}))
    names = [o["name"] for page in (first, second, third) for o in page["items"]]
    assert names == ["O0", "O1", "O2", "O3", "O4"]
    assert first["prev_cursor"] is None and third["next_cursor"] is None
    back = ok(api.get("/opportunities", {"limit": 2, "cursor": third["prev_cursor"]}))
    assert [o["name"] for o in back["items"]] == ["O2", "O3"]
    problem(api.get("/opportunities", {"cursor": "garbage"}), 422)


def test_list_queries_do_not_grow_with_rows(api_as, world, django_assert_max_num_queries):
    def add(start, n):
        for i in range(start, start + n):
            people = {"members": [world.mate.pk], "contacts": [{"contact": world.zhang.pk, "role": "user"}]}
            make_opportunity(world.rep, world.huawei, f"O{i}", amount="10", **people)

    add(0, 5)
    api = api_as(world.rep)
    ok(api.get("/opportunities"))  # the token's last-used time is stamped once a minute: not in the count
    with CaptureQueriesContext(connection) as small:
        assert len(ok(api.get("/opportunities"))["items"]) == 5
    add(5, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        items = ok(api.get("/opportunities"))["items"]
    assert len(items) == 25 and all(o["members"][0]["username"] == "mate" for o in items)
    assert all(o["contacts"] == [_zhang(world, "user")] for o in items)
    assert len(small.captured_queries) <= 10, [q["sql"] for q in small.captured_queries]


# Create -----------------------------------------------------------------------------------------------------


def test_create_with_the_defaults(api_as, world):
    o = ok(api_as(world.rep).post("/opportunities", _body(world)), 201)
    assert o["stage"] == {"id": world.stages["Qualification"].pk, "name": "Qualification", "kind": "open"}
    assert o["pipeline"] == {"id": world.pipeline.pk, "name": "New business"}
    assert o["owner"]["username"] == "rep" and o["team"] == {"id": world.east.pk, "name": "East"}
    assert (o["state"], o["probability"], o["probability_set"], o["currency"]) == ("open", 10, False, "CNY")
    assert o["amount"] is None and o["weighted_amount"] is None and o["closed_on"] is None
    assert o["version"] == 1 and o["members"] == [] and o["contacts"] == [] and o["lost_reason"] is None
    assert ok(api_as(world.rep).get(f"/opportunities/{o['id']}")) == o


def test_create_with_every_field(api_as, world):
    texts = {"next_step": "Demo", "competitors": "Cisco", "description": "Two racks\nand cabling"}
    money = {"amount": "1000.50", "currency": "USD", "probability": 35}
    people = {"owner_id": world.mate.pk, "member_ids": [world.manager.pk]}
    contacts = [{"contact": world.zhang.pk, "role": "decision_maker"}]
    body = _body(world, **texts, **money, **people, contacts=contacts, stage_id=world.stages["Proposal"].pk)
    o = ok(api_as(world.rep).post("/opportunities", body), 201)
    assert o["stage"]["name"] == "Proposal" and o["probability"] == 35 and o["probability_set"] is True
    assert (o["amount"], o["currency"], o["weighted_amount"][:7]) == ("1000.5000", "USD", "350.175")
    assert o["owner"]["username"] == "mate" and [u["username"] for u in o["members"]] == ["boss"]
    assert o["contacts"] == [_zhang(world, "decision_maker")]
    assert o["description"] == "Two racks\nand cabling" and o["competitors"] == "Cisco"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"expected_close": "2026-13-01"}, "expected_close"),
        ({"expected_close": "1800-01-01"}, "expected_close"),
        ({"probability": 101}, "probability"),
        ({"amount": -1}, "amount"),
        ({"currency": "XXX"}, "currency"),
        ({"member_ids": [0]}, "member_ids"),
        ({"contacts": [{"contact": 1, "role": "boss"}]}, "contacts"),
        ({"colour": "red"}, "colour"),
        ({"customer_id": None}, "customer_id"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api_as, world, change, field):
    data = problem(api_as(world.rep).post("/opportunities", _body(world, **change)), 422)
    assert any(f.split(".")[0] == field for f in fields(data)), data
    assert not Opportunity.objects.exists()


def test_service_refusals_name_the_field(api_as, world):
    api = api_as(world.rep)
    stranger = make_person(world.admin, "Stranger")

    def refused(**change):
        return _refused(api.post("/opportunities", _body(world, **change)))

    assert "customer" in refused(customer_id=world.west_co.pk)  # West's customer: not visible
    assert "owner" in refused(owner_id=world.rep_west.pk)  # out of the rep's own sight
    assert "members" in refused(member_ids=[world.service.pk])  # no opportunity rights
    assert "contacts" in refused(contacts=[{"contact": stranger.pk}])
    assert "amount" in refused(stage_id=world.stages["Won"].pk)  # won needs an amount
    assert "stage" in refused(pipeline_id=world.pipeline.pk, stage_id=10**6)
    assert not Opportunity.objects.exists()


def test_idempotency_key_returns_the_same_opportunity(api_as, world):
    api = api_as(world.rep)
    key = {"Idempotency-Key": "crm-create-1"}
    first = api.post("/opportunities", _body(world), headers=key)
    again = api.post("/opportunities", _body(world), headers=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert ok(again, 201)["id"] == ok(first, 201)["id"] and again.content == first.content
    assert Opportunity.objects.count() == 1
    other = problem(api.post("/opportunities", _body(world, name="Other"), headers=key), 422)
    assert "Idempotency-Key" in other["title"]
    ok(api.post("/opportunities", _body(world)), 201)  # without a key: a second one
    assert Opportunity.objects.count() == 2


def test_an_invisible_opportunity_is_404(api_as, world):
    o = make_opportunity(world.rep, world.huawei, amount="10")
    west = api_as(world.rep_west)
    problem(west.get(f"/opportunities/{o.pk}"), 404)
    problem(west.patch(f"/opportunities/{o.pk}", {"version": 1, "name": "Mine"}), 404)
    problem(_op(west, o, "move", version=1, stage_id=world.stages["Proposal"].pk), 404)
    problem(_op(west, o, "win", version=1), 404)
    problem(api_as(world.rep).get("/opportunities/999999"), 404)
    o.refresh_from_db()
    assert (o.name, o.version, o.state) == ("Core switches", 1, "open")


def test_patch_changes_only_what_is_sent_with_the_version_read(api_as, world):
    people = {"members": [world.mate.pk], "contacts": [{"contact": world.zhang.pk, "role": "influencer"}]}
    o = make_opportunity(world.rep, world.huawei, amount="1000", **people)
    api = api_as(world.rep)
    before = ok(api.get(f"/opportunities/{o.pk}"))
    after = ok(api.patch(f"/opportunities/{o.pk}", {"version": 1, "next_step": "Send the quote"}))
    assert after["next_step"] == "Send the quote" and after["version"] == 2
    kept = ["name", "amount", "currency", "expected_close", "probability", "owner", "members", "contacts"]
    assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
    after = ok(api.patch(f"/opportunities/{o.pk}", {"version": 2, "probability": 45, "amount": None}))
    assert (after["probability"], after["probability_set"], after["amount"]) == (45, True, None)
    assert after["contacts"] == before["contacts"]
    after = ok(api.patch(f"/opportunities/{o.pk}", {"version": 3, "probability": None, "member_ids": []}))
    assert (after["probability"], after["probability_set"], after["members"]) == (10, False, [])
    # A stale version is a 409 that changes nothing; the version is required; stages change by /move.
    data = problem(api.patch(f"/opportunities/{o.pk}", {"version": 1, "name": "Stale"}), 409)
    assert "Someone else changed" in data["title"]
    assert [ok(api.get(f"/opportunities/{o.pk}"))[k] for k in ("name", "version")] == ["Core switches", 4]
    assert "version" in _refused(api.patch(f"/opportunities/{o.pk}", {"name": "No version"}))
    assert "stage_id" in _refused(api.patch(f"/opportunities/{o.pk}", {"version": 4, "stage_id": 1}))


def test_a_team_member_changes_the_work_not_who_holds_it(api_as, world):
    o = make_opportunity(world.rep, world.huawei, members=[world.rep_west.pk])
    api = api_as(world.rep_west)  # West's: reaches it only as a team member (协作人)
    assert ok(api.patch(f"/opportunities/{o.pk}", {"version": 1, "next_step": "Visit"}))["version"] == 2
    problem(api.patch(f"/opportunities/{o.pk}", {"version": 2, "owner_id": world.rep_west.pk}), 403)
    problem(api.patch(f"/opportunities/{o.pk}", {"version": 2, "member_ids": []}), 403)
    got = ok(api.get(f"/opportunities/{o.pk}"))
    assert (got["owner"]["username"], [u["username"] for u in got["members"]]) == ("rep", ["rep_west"])


# Stage operations -------------------------------------------------------------------------------------------


def test_move_win_reopen(api_as, world):
    o = make_opportunity(world.rep, world.huawei)
    api, st = api_as(world.rep), world.stages
    other = pipeline_create(actor=world.manager, data={"name_en": "Renewals"}).stages.get(name_en="Proposal")
    assert "stage" in _refused(_op(api, o, "move", version=1, stage_id=other.pk))  # another pipeline's
    moved = ok(_op(api, o, "move", version=1, stage_id=st["Proposal"].pk))
    assert (moved["stage"]["name"], moved["probability"], moved["version"]) == ("Proposal", 60, 2)
    assert "amount" in _refused(_op(api, o, "win", version=2))  # won without an amount
    assert ok(api.get(f"/opportunities/{o.pk}"))["state"] == "open"
    ok(api.patch(f"/opportunities/{o.pk}", {"version": 2, "amount": "9999"}))
    won = ok(_op(api, o, "win", version=3))
    assert (won["state"], won["stage"]["name"], won["probability"]) == ("won", "Won", 100)
    assert won["closed_on"] is not None
    # Closed: it cannot move (nor be won again, nor lose its amount) before it is reopened.
    assert "stage" in _refused(_op(api, o, "move", version=4, stage_id=st["Negotiation"].pk))
    assert "stage" in _refused(_op(api, o, "win", version=4))
    assert "amount" in _refused(api.patch(f"/opportunities/{o.pk}", {"version": 4, "amount": None}))
    assert "stage" in _refused(_op(api, o, "reopen", version=4, stage_id=st["Lost"].pk))
    again = ok(_op(api, o, "reopen", version=4))
    assert (again["state"], again["stage"]["name"], again["closed_on"]) == ("open", "Negotiation", None)
    assert "stage" in _refused(_op(api, o, "reopen", version=5))  # open already
    assert ok(_op(api, o, "move", version=5, stage_id=st["Qualification"].pk))["probability"] == 10
    problem(_op(api, o, "move", version=5, stage_id=st["Proposal"].pk), 409)


def test_lose_needs_a_reason(api_as, world):
    o = make_opportunity(world.rep, world.huawei)
    api = api_as(world.rep)
    assert "lost_reason_id" in _refused(_op(api, o, "lose", version=1))
    assert "lost_reason" in _refused(_op(api, o, "move", version=1, stage_id=world.stages["Lost"].pk))
    old = lost_reason_save(actor=world.manager, reason=None, data={"name_en": "Old", "archived": True})
    assert "lost_reason" in _refused(_op(api, o, "lose", version=1, lost_reason_id=old.pk))
    assert ok(api.get(f"/opportunities/{o.pk}"))["state"] == "open"
    lost = ok(_op(api, o, "lose", version=1, lost_reason_id=world.reason.pk, lost_note="价格"))
    assert (lost["state"], lost["lost_note"], lost["probability"]) == ("lost", "价格", 0)
    assert lost["lost_reason"] == {"id": world.reason.pk, "name": "Price too high"}
    back = ok(_op(api, o, "reopen", version=2, stage_id=world.stages["Proposal"].pk))
    assert (back["stage"]["name"], back["lost_reason"], back["lost_note"]) == ("Proposal", None, "")


def test_a_reopened_opportunity_does_not_keep_the_won_probability(api_as, world):
    o = make_opportunity(world.rep, world.huawei, amount="1000", probability=35)
    api = api_as(world.rep)
    ok(_op(api, o, "win", version=1))
    again = ok(_op(api, o, "reopen", version=2))
    assert again["stage"]["name"] == "Negotiation" and again["probability"] in (35, 80)


def test_an_executive_reads_but_does_not_write_a_service_agent_reads_nothing(api_as, anon_api, world):
    o = make_opportunity(world.rep, world.huawei, amount="10")
    api = api_as(world.executive)
    assert ok(api.get(f"/opportunities/{o.pk}"))["name"] == "Core switches"
    assert len(ok(api.get("/opportunities"))["items"]) == 1
    problem(api.post("/opportunities", _body(world)), 403)
    problem(api.patch(f"/opportunities/{o.pk}", {"version": 1, "name": "Mine"}), 403)
    problem(_op(api, o, "move", version=1, stage_id=world.stages["Proposal"].pk), 403)
    problem(_op(api, o, "win", version=1), 403)
    problem(_op(api, o, "lose", version=1, lost_reason_id=world.reason.pk), 403)
    problem(api_as(world.rep, scope="read").post("/opportunities", _body(world)), 403)
    o.refresh_from_db()
    assert (o.name, o.version, o.state, Opportunity.objects.count()) == ("Core switches", 1, "open", 1)
    api = api_as(world.service)  # a service agent reads nothing
    for path in ("/opportunities", f"/opportunities/{o.pk}", "/pipelines", "/lost-reasons"):
        problem(api.get(path), 403)
    problem(api.get(f"/pipelines/{world.pipeline.pk}/board"), 403)
    problem(anon_api.get("/opportunities"), 401)


# Pipelines, the board, lost reasons -------------------------------------------------------------------------


def test_pipelines_list_their_stages_in_order(api_as, world):
    other = pipeline_create(actor=world.manager, data={"name_en": "Renewals", "name_zh": "续约"})
    stage_archive(actor=world.manager, stage=other.stages.get(name_en="Needs analysis"))
    gone = pipeline_create(actor=world.manager, data={"name_en": "Gone"})
    pipeline_archive(actor=world.manager, pipeline=gone)
    data = ok(api_as(world.rep).get("/pipelines"))
    assert [p["name"] for p in data] == ["New business", "Renewals"]
    first = data[0]
    assert [s["name"] for s in first["stages"]] == [*OPEN_STAGES, "Won", "Lost"]
    assert [s["kind"] for s in first["stages"]] == ["open"] * 4 + ["won", "lost"]
    assert [s["probability"] for s in first["stages"]] == [10, 30, 60, 80, 100, 0]
    assert [s["position"] for s in first["stages"]] == sorted(s["position"] for s in first["stages"])
    assert first["stages"][0]["name_zh"] == "资格确认"
    assert "Needs analysis" not in [s["name"] for s in data[1]["stages"]]


def test_the_board_has_a_column_per_open_stage_with_totals(api_as, world, sales):
    dollars = {"amount": "50", "currency": "USD", "expected_close": dt.date(2027, 2, 1)}  # no exchange rate
    make_opportunity(world.rep, world.huawei, "Dollars", **dollars)
    api = api_as(world.rep)
    b = ok(api.get(f"/pipelines/{world.pipeline.pk}/board"))
    assert b["pipeline"] == {"id": world.pipeline.pk, "name": "New business"}
    assert [c["stage"]["name"] for c in b["columns"]] == OPEN_STAGES
    first, _needs, proposal, _neg = b["columns"]
    assert [o["name"] for o in first["cards"]] == ["Routers", "Core switches", "Dollars"]
    assert first["total"]["count"] == 3 and first["total"]["currency"] == "CNY"
    assert float(first["total"]["amount"]) == 125000 and float(first["total"]["weighted"]) == 12500
    assert first["total"]["missing_rates"] == ["USD"]
    assert [o["name"] for o in proposal["cards"]] == ["Firewall"] and proposal["total"]["count"] == 1
    assert b["total"]["count"] == 4 and float(b["total"]["amount"]) == 125000  # no won, lost nor West's
    mine = ok(api.get(f"/pipelines/{world.pipeline.pk}/board", {"owner": "me", "close_month": "2026-12"}))
    assert [o["name"] for c in mine["columns"] for o in c["cards"]] == ["Core switches"]
    problem(api.get(f"/pipelines/{world.pipeline.pk}/board", {"close_month": "2026-13"}), 422)
    problem(api.get("/pipelines/999999/board"), 404)


def test_lost_reasons_in_use(api_as, world):
    old = lost_reason_save(actor=world.manager, reason=None, data={"name_en": "Old", "archived": True})
    data = ok(api_as(world.rep).get("/lost-reasons"))
    assert [r["name"] for r in data] == REASONS
    assert (data[0]["id"], data[0]["name_en"], data[0]["name_zh"]) == (
        world.reason.pk,
        REASONS[0],
        "价格太高",
    )
    assert old.pk not in [r["id"] for r in data] and LostReason.objects.count() == 6


def test_weighted_totals_keep_their_cents(api_as, world):
    make_opportunity(world.rep, world.huawei, "Small", amount="5")
    make_opportunity(world.rep, world.huawei, "Smaller", amount="7")
    b = ok(api_as(world.rep).get(f"/pipelines/{world.pipeline.pk}/board"))
    assert Decimal(b["total"]["weighted"]) == Decimal("1.20") == Decimal(b["columns"][0]["total"]["weighted"])
