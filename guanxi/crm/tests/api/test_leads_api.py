"""/api/v1/leads: the same rules as the pages, problem+json errors naming the field, 404 out of sight, 409 on
a stale version, an Idempotency-Key retry, and a list whose cost does not grow with its rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanxi.core.tests.api.helpers import fields, ok, problem
from guanxi.crm.models import DisqualifyReason, Lead, Opportunity
from guanxi.crm.services import leads as svc
from guanxi.parties.models import Party

pytestmark = pytest.mark.django_db


def _body(world, **data):
    return {
        "company_name": "深圳新客户科技有限公司",
        "person_name": "李雷",
        "phone": "１３８００１３８０００",
        "email": "Li@XinKeHu.CN",
        "interest": "交换机",
        "owner_id": world.rep.pk,
        **data,
    }


def _lead(world, actor=None, **data):
    return svc.lead_create(actor=actor or world.rep, data={"company_name": "Lead Co", **data})


def test_create_get_patch(api_as, world):
    api = api_as(world.rep)
    lead = ok(api.post("/leads", _body(world, campaign="广交会")), 201)
    assert (lead["status"], lead["source"], lead["version"], lead["campaign"]) == ("new", "api", 1, "广交会")
    assert (lead["phone"], lead["email"]) == ("138 0013 8000", "Li@xinkehu.cn")
    assert lead["owner"] == {"id": world.rep.pk, "name": str(world.rep)}
    assert lead["team"] == {"id": world.east.pk, "name": "East"}
    assert lead["organization"] is lead["opportunity"] is lead["converted_at"] is None
    assert ok(api.get(f"/leads/{lead['id']}"))["person_name"] == "李雷"
    changed = ok(
        api.patch(f"/leads/{lead['id']}", {"version": 1, "job_title": "经理", "owner_id": world.mate.pk})
    )
    assert (changed["job_title"], changed["version"], changed["owner"]["id"]) == ("经理", 2, world.mate.pk)
    assert changed["person_name"] == "李雷"  # fields left out stay
    unowned = ok(api.patch(f"/leads/{lead['id']}", {"version": 2, "owner_id": None}))
    assert unowned["owner"] is None and unowned["team"]["id"] == world.east.pk


def test_a_new_lead_is_the_callers_without_owner_id(api_as, world):
    lead = ok(api_as(world.rep).post("/leads", {"company_name": "无主公司"}), 201)
    assert lead["owner"] == {"id": world.rep.pk, "name": str(world.rep)}


def test_an_administrator_lists_and_creates_leads(api, world):
    _lead(world)
    _lead(world, actor=world.rep_west, company_name="West Lead")
    assert [x["company_name"] for x in ok(api.get("/leads"))["items"]] == ["West Lead", "Lead Co"]
    created = ok(api.post("/leads", _body(world, owner_id=world.rep_west.pk)), 201)
    assert created["team"]["id"] == world.west.pk


def test_status_disqualify_and_reopen(api_as, world):
    api = api_as(world.rep)
    lead = _lead(world)
    url = f"/leads/{lead.pk}/status"
    assert ok(api.post(url, {"version": 1, "status": "working"}))["status"] == "working"
    data = problem(api.post(url, {"version": 2, "status": "disqualified"}), 422)
    assert fields(data) == {"disqualify_reason"}
    reason = DisqualifyReason.objects.first()
    done = ok(
        api.post(
            url,
            {
                "version": 2,
                "status": "disqualified",
                "disqualify_reason_id": reason.pk,
                "disqualify_note": "重复",
            },
        )
    )
    assert done["disqualify_reason"] == {"id": reason.pk, "name": reason.name}
    assert (done["status"], done["disqualify_note"], done["version"]) == ("disqualified", "重复", 3)
    again = ok(api.post(url, {"version": 3, "status": "working"}))
    assert again["disqualify_reason"] is None and again["disqualify_note"] == ""
    assert "status" in fields(problem(api.post(url, {"version": 4, "status": "converted"}), 422))
    problem(api.post(url, {"version": 1, "status": "new"}), 409)


def test_convert_with_new_parties_and_an_opportunity(api_as, world):
    api = api_as(world.rep)
    lead = ok(api.post("/leads", _body(world)), 201)
    body = {
        "version": 1,
        "organization": "new",
        "contact": "new",
        "opportunity": {
            "expected_close": "2027-03-31",
            "amount": "50000",
            "stage_id": world.stages["Proposal"].pk,
        },
    }
    done = ok(api.post(f"/leads/{lead['id']}/convert", body))
    opp = Opportunity.objects.get()
    assert (done["status"], done["version"]) == ("converted", 2) and done["converted_at"]
    assert done["organization"]["name"] == "深圳新客户科技有限公司" and done["contact"]["name"] == "李雷"
    assert done["opportunity"] == {"id": opp.pk, "name": opp.name}
    assert (opp.customer_id, opp.stage, str(opp.amount)) == (
        done["organization"]["id"],
        world.stages["Proposal"],
        "50000.0000",
    )
    assert "status" in fields(problem(api.post(f"/leads/{lead['id']}/convert", {**body, "version": 2}), 422))


def test_convert_into_an_existing_organization_without_opportunity(api_as, world):
    lead = _lead(world, company_name="华为技术有限公司", person_name="王芳")
    body = {"version": 1, "organization": world.huawei.pk, "contact": "new"}
    done = ok(api_as(world.rep).post(f"/leads/{lead.pk}/convert", body))
    assert done["organization"]["id"] == world.huawei.pk and done["opportunity"] is None


def test_a_refused_conversion_leaves_nothing(api_as, world):
    api = api_as(world.rep)
    lead = _lead(world, person_name="李雷")
    parties = Party.objects.count()
    hidden = problem(
        api.post(f"/leads/{lead.pk}/convert", {"version": 1, "organization": world.west_co.pk}), 422
    )
    missing = problem(api.post(f"/leads/{lead.pk}/convert", {"version": 1, "organization": 10**9}), 422)
    huge = problem(
        api.post(f"/leads/{lead.pk}/convert", {"version": 1, "organization": 2**64, "contact": 2**70}), 422
    )
    assert fields(huge) == {"organization"}
    assert (
        hidden["errors"]
        == missing["errors"]
        == [{"field": "organization", "message": "Choose a record you can see."}]
    )
    data = problem(api.post(f"/leads/{lead.pk}/convert", {"version": 1, "opportunity": {"amount": "1"}}), 422)
    assert fields(data) == {"opportunity.expected_close"}
    data = problem(
        api.post(
            f"/leads/{lead.pk}/convert",
            {"version": 1, "opportunity": {"expected_close": "2027-01-01", "stage_id": 10**9}},
        ),
        422,
    )
    assert fields(data) == {"stage"}
    problem(api.post(f"/leads/{lead.pk}/convert", {"version": 7}), 409)
    assert Party.objects.count() == parties and Opportunity.objects.count() == 0
    assert Lead.objects.get(pk=lead.pk).status == "new"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company_name": "", "person_name": ""}, "person_name"),
        ({"phone": "12"}, "phone"),
        ({"email": "tom@"}, "email"),
        ({"company_name": "x" * 201}, "company_name"),
        ({"person_name": "Tom\x00"}, "person_name"),
        ({"source": "web_form"}, "source"),
        ({"owner_id": 0}, "owner_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api_as, world, change, field):
    data = problem(api_as(world.rep).post("/leads", _body(world, **change)), 422)
    assert field in fields(data)
    assert Lead.objects.count() == 0


def test_a_service_refusal_of_the_owner_names_the_field(api_as, world):
    data = problem(api_as(world.rep).post("/leads", _body(world, owner_id=world.rep_west.pk)), 422)
    assert fields(data) == {"owner"} and "outside your team" in data["errors"][0]["message"]


def test_out_of_sight_is_404_and_read_only_is_403(api_as, world):
    lead = _lead(world)
    west = api_as(world.rep_west)
    problem(west.get(f"/leads/{lead.pk}"), 404)
    problem(west.patch(f"/leads/{lead.pk}", {"version": 1, "campaign": "x"}), 404)
    problem(west.post(f"/leads/{lead.pk}/status", {"version": 1, "status": "working"}), 404)
    problem(west.post(f"/leads/{lead.pk}/convert", {"version": 1}), 404)
    problem(west.get(f"/leads/{10**9}"), 404)
    assert ok(west.get("/leads"))["items"] == []
    executive = api_as(world.executive)
    assert ok(executive.get(f"/leads/{lead.pk}"))["id"] == lead.pk
    problem(executive.patch(f"/leads/{lead.pk}", {"version": 1, "campaign": "x"}), 403)
    problem(executive.post("/leads", _body(world)), 403)
    problem(api_as(world.rep, scope="read").post("/leads", _body(world)), 403)
    problem(api_as(world.buyer).get("/leads"), 403)
    assert Lead.objects.get().version == 1


def test_stale_version_is_a_409(api_as, world):
    lead = _lead(world)
    api = api_as(world.rep)
    ok(api.patch(f"/leads/{lead.pk}", {"version": 1, "campaign": "a"}))
    data = problem(api.patch(f"/leads/{lead.pk}", {"version": 1, "campaign": "b"}), 409)
    assert "Someone else changed this record" in data["title"]
    assert "version" in fields(problem(api.patch(f"/leads/{lead.pk}", {"campaign": "b"}), 422))
    assert Lead.objects.get().campaign == "a"


def test_a_retry_with_the_same_idempotency_key_returns_the_same_lead(api_as, world):
    api = api_as(world.rep)
    key = {"Idempotency-Key": "lead-7d3c6f7e-1"}
    first = api.post("/leads", _body(world), headers=key)
    again = api.post("/leads", _body(world), headers=key)
    assert ok(first, 201)["id"] == ok(again, 201)["id"]
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert Lead.objects.count() == 1
    problem(api.post("/leads", _body(world, person_name="别人"), headers=key), 422)
    ok(api.post("/leads", _body(world)), 201)  # without a key, a second lead
    assert Lead.objects.count() == 2


def test_list_filters_and_pages(api_as, world):
    for i in range(4):
        _lead(world, company_name=f"Co {i}", email=f"x{i}@example.com")
    _lead(world, actor=world.mate, company_name="Mate Co")
    api = api_as(world.rep)

    def names(**params):
        return [lead["company_name"] for lead in ok(api.get("/leads", params))["items"]]

    assert names() == ["Mate Co", "Co 3", "Co 2", "Co 1", "Co 0"]
    assert names(owner="me", q="co 1") == ["Co 1"]
    assert names(owner=str(world.mate.pk)) == ["Mate Co"]
    assert names(status="working") == [] and names(source="web_form") == []
    assert names(q="x2@example") == ["Co 2"]
    first = ok(api.get("/leads", {"limit": 2}))
    second = ok(api.get("/leads", {"limit": 2, "cursor": first["next_cursor"]}))
    assert [x["company_name"] for x in first["items"] + second["items"]] == [
        "Mate Co",
        "Co 3",
        "Co 2",
        "Co 1",
    ]
    problem(api.get("/leads", {"status": "open"}), 422)
    problem(api.get("/leads", {"owner": "somebody"}), 422)
    problem(api.get("/leads", {"cursor": "garbage"}), 422)


def test_list_queries_do_not_grow_with_rows(api_as, world, django_assert_max_num_queries):
    def add(start, n):
        for i in range(start, start + n):
            lead = _lead(world, actor=world.mate if i % 2 else world.rep, company_name=f"Co {i}")
            if i % 3 == 0:
                svc.lead_set_status(
                    actor=world.rep,
                    lead=lead,
                    version=1,
                    status="disqualified",
                    reason=DisqualifyReason.objects.first(),
                )

    add(0, 3)
    api = api_as(world.rep)
    ok(api.get("/leads", {"status": "all"}))  # the token's last-used time is stamped once a minute
    with CaptureQueriesContext(connection) as small:
        assert len(ok(api.get("/leads", {"status": "all"}))["items"]) == 3
    add(3, 17)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(ok(api.get("/leads", {"status": "all"}))["items"]) == 20
    assert len(small.captured_queries) <= 8, [q["sql"] for q in small.captured_queries]
