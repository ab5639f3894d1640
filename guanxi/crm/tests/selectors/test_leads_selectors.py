"""Reading leads: who sees which (own / team / all on owner and team, a lead without an owner through its
team), the list's filters, and the duplicates a conversion offers (visible or only named by their owner)."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.crm.selectors import leads as sel
from guanxi.crm.services import leads as svc
from guanxi.crm.services.web_forms import web_form_save
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def _lead(actor, **data):
    return svc.lead_create(actor=actor, data={"company_name": "Lead Co", **data})


def _form(world, **data):
    return web_form_save(actor=world.manager, form=None, data={"name": "官网", "active": True, **data})


@pytest.fixture
def leads(world):
    """rep's, mate's, an unowned one of East, one of West, and one owned by rep that belongs to West."""
    west_form = _form(world, owner=world.rep.pk, team=world.west.pk)
    east_form = _form(world, team=world.east.pk)
    return {
        "rep": _lead(world.rep, company_name="Rep Co"),
        "mate": _lead(world.mate, company_name="Mate Co"),
        "unowned": svc.lead_submit(
            form=east_form, data={"company_name": "Nobody Co", "phone": "13900139000"}, ip=None
        ),
        "west": _lead(world.rep_west, company_name="West Lead"),
        "rep_in_west": svc.lead_submit(
            form=west_form, data={"company_name": "Rep West", "email": "a@b.cn"}, ip=None
        ),
    }


def _names(actor, mode="view") -> set[str]:
    return set(sel.lead_visible(actor=actor, mode=mode).values_list("company_name", flat=True))


def test_who_sees_which_lead(world, leads):
    everything = {"Rep Co", "Mate Co", "Nobody Co", "West Lead", "Rep West"}
    east = {"Rep Co", "Mate Co", "Nobody Co"}
    assert leads["unowned"].owner is None and leads["unowned"].team == world.east
    assert leads["rep_in_west"].owner == world.rep and leads["rep_in_west"].team == world.west
    assert _names(world.rep) == _names(world.rep, "edit") == east | {"Rep West"}
    assert _names(world.mate) == east  # the team's, not what rep owns in West
    assert _names(world.rep_west) == _names(world.rep_west, "edit") == {"West Lead", "Rep West"}
    assert _names(world.manager) == _names(world.manager, "edit") == east | {"Rep West"}
    for read_only in (world.executive, world.marketing):
        assert _names(read_only) == everything and _names(read_only, "edit") == set()
    for nobody in (world.buyer, world.service):
        assert _names(nobody) == set()
        with pytest.raises(PermissionDeniedError):
            sel.lead_list(actor=nobody, filters=sel.LeadFilters())


def test_lead_get_is_404_out_of_sight_and_403_when_only_seen(world, leads):
    lead = leads["rep"]
    assert sel.lead_get(actor=world.mate, pk=lead.pk, mode="edit") == lead
    with pytest.raises(NotFoundError):
        sel.lead_get(actor=world.rep_west, pk=lead.pk)
    with pytest.raises(PermissionDeniedError):
        sel.lead_get(actor=world.executive, pk=lead.pk, mode="edit")
    for bad in ("abc", 0, -1, 2**63, None, 10**9):
        with pytest.raises(NotFoundError):
            sel.lead_get(actor=world.rep, pk=bad)


def _listed(actor, **filters) -> list[str]:
    return [lead.company_name for lead in sel.lead_list(actor=actor, filters=sel.LeadFilters(**filters))]


def test_status_filter(world, leads):
    lead = leads["rep"]
    lead = svc.lead_set_status(actor=world.rep, lead=lead, version=1, status="working")
    mate = svc.lead_set_status(actor=world.mate, lead=leads["mate"], version=1, status="qualified")
    from guanxi.crm.models import DisqualifyReason

    svc.lead_set_status(
        actor=world.mate, lead=mate, version=2, status="disqualified", reason=DisqualifyReason.objects.first()
    )
    assert _listed(world.mate) == ["Nobody Co", "Rep Co"]  # open ones, newest first
    assert _listed(world.mate, status="working") == ["Rep Co"]
    assert _listed(world.mate, status="new") == ["Nobody Co"]
    assert _listed(world.mate, status="disqualified") == ["Mate Co"]
    assert _listed(world.mate, status="qualified") == _listed(world.mate, status="converted") == []
    assert _listed(world.mate, status="all") == ["Nobody Co", "Mate Co", "Rep Co"]
    with pytest.raises(ValidationError) as exc:
        _listed(world.mate, status="open")
    assert "status" in exc.value.message_dict


def test_source_and_owner_filters(world, leads):
    assert _listed(world.rep, source="web_form") == ["Rep West", "Nobody Co"]
    assert _listed(world.rep, source="manual") == ["Mate Co", "Rep Co"]
    assert _listed(world.rep, owner="me") == ["Rep West", "Rep Co"]
    assert _listed(world.rep, owner="none") == ["Nobody Co"]
    assert _listed(world.rep, owner=str(world.mate.pk)) == ["Mate Co"]
    assert _listed(world.rep, owner=str(world.rep_west.pk)) == []  # not in sight
    for bad in ({"source": "fax"}, {"owner": "somebody"}):
        with pytest.raises(ValidationError) as exc:
            _listed(world.rep, **bad)
        assert set(bad) <= set(exc.value.message_dict)


def test_search_looks_at_company_person_email_and_phone(world, leads):
    _lead(world.rep, company_name="", person_name="欧阳娜娜", email="nana@ouyang.cn", phone="0755-86001234")
    assert _listed(world.rep, q="rep") == ["Rep West", "Rep Co"]
    assert _listed(world.rep, q="欧阳") == [""]
    assert _listed(world.rep, q="OUYANG.CN") == [""]
    assert _listed(world.rep, q="8600 1234") == [""]
    assert _listed(world.rep, q="West Lead") == []  # West's, not in sight


def test_search_finds_a_phone_typed_as_digits(world, leads):
    assert _listed(world.rep, q="13900139000") == ["Nobody Co"]


# Duplicates ------------------------------------------------------------------------------------------------


def test_duplicates_find_the_same_organization_full_or_half_width(world):
    org = make_org(world.rep, "深圳新科技（深圳）有限公司", owner=world.rep)
    lead = _lead(world.rep, company_name="深圳新科技(深圳)有限公司")
    found = sel.lead_duplicates(actor=world.rep, lead=lead)
    assert [(h.party, h.visible, h.reason) for h in found.organizations] == [(org, True, "same name")]
    assert found.people == []
    lead = _lead(world.rep, company_name="华为技术有限公司")
    assert [h.party for h in sel.lead_duplicates(actor=world.rep, lead=lead).organizations] == [world.huawei]


def test_duplicates_find_a_person_by_phone_and_an_organization_by_email_domain(world):
    person = make_person(world.rep, "王芳", phones=["13700137000"])
    org = make_org(world.rep, "新客户贸易", owner=world.rep, emails=["sales@xinkehu.cn"])
    lead = _lead(
        world.rep, company_name="不一样", person_name="王小姐", phone="137 0013 7000", email="w@xinkehu.cn"
    )
    found = sel.lead_duplicates(actor=world.rep, lead=lead)
    assert [(h.party, h.reason) for h in found.people] == [(person, "same phone")]
    assert [(h.party, h.reason) for h in found.organizations] == [(org, "same email domain")]


def test_duplicates_the_user_cannot_open_are_named_only_by_their_owner(world):
    make_person(world.rep_west, "赵六", phones=["13600136000"], owner=world.rep_west)
    lead = _lead(world.rep, company_name="West Co", person_name="赵先生", phone="13600136000")
    found = sel.lead_duplicates(actor=world.rep, lead=lead)
    (org,) = found.organizations
    (person,) = found.people
    assert (org.visible, org.owner, org.party.pk) == (False, str(world.rep_west), world.west_co.pk)
    assert (person.visible, person.owner, person.reason) == (False, str(world.rep_west), "same phone")
    seen = sel.lead_duplicates(actor=world.manager, lead=lead)
    assert [h.visible for h in seen.organizations] == [False]  # East's manager does not see West's
    everyone = sel.lead_duplicates(actor=world.executive, lead=lead)
    assert [h.visible for h in everyone.organizations + everyone.people] == [True, True]


def test_a_lead_without_names_to_compare_finds_nothing(world):
    lead = _lead(world.rep, company_name="", person_name="Li")
    found = sel.lead_duplicates(actor=world.rep, lead=lead)
    assert found.organizations == [] and found.people == []
