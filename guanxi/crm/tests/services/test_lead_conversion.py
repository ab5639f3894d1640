"""Converting a lead into a customer organization, a contact and an opportunity in one transaction: new or
existing parties, a private customer, no opportunity, and the refusals, which leave nothing behind."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.crm.models import DisqualifyReason, Lead, Opportunity
from guanxi.crm.services import leads as svc
from guanxi.crm.services.lead_conversion import Conversion, lead_convert
from guanxi.parties.models import Employment, Party
from guanxi.parties.tests.factories import make_person

pytestmark = pytest.mark.django_db

CLOSE = dt.date(2027, 3, 31)


def _lead(world, actor=None, **data):
    data = {"company_name": "深圳新客户科技有限公司", "person_name": "李雷", "phone": "13800138000", **data}
    lead = svc.lead_create(
        actor=actor or world.rep, data={**data, "job_title": data.get("job_title", "采购")}
    )
    return svc.lead_set_status(actor=actor or world.rep, lead=lead, version=1, status="qualified")


def _convert(world, lead, actor=None, version=None, **choice):
    choice.setdefault("opportunity", {"expected_close": CLOSE, "amount": "50000"})
    return lead_convert(
        actor=actor or world.rep,
        lead=lead,
        version=lead.version if version is None else version,
        choice=Conversion(**choice),
    )


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def _counts() -> tuple:
    return (
        Party.objects.count(),
        Employment.objects.count(),
        Opportunity.objects.count(),
        AuditEntry.objects.count(),
    )


def test_new_organization_contact_and_opportunity(world):
    lead = _lead(world, email="li@xinkehu.cn", wechat_id="lilei88")
    done = _convert(world, lead)
    done.refresh_from_db()
    org, contact, opp = done.organization, done.contact, done.opportunity
    assert (done.status, done.version) == ("converted", 3) and done.converted_at is not None
    assert (org.kind, org.name, org.is_customer, org.owner) == (
        "organization",
        "深圳新客户科技有限公司",
        True,
        world.rep,
    )
    assert (contact.kind, contact.name, contact.owner, contact.wechat_id) == (
        "person",
        "李雷",
        world.rep,
        "lilei88",
    )
    job = Employment.objects.get(person=contact)
    assert (job.organization, job.job_title) == (org, "采购")
    assert set(contact.contact_points.values_list("value", flat=True)) >= {"li@xinkehu.cn"}
    assert (opp.customer, opp.owner, opp.name) == (org, world.rep, "深圳新客户科技有限公司 · 李雷")
    assert (opp.amount, opp.expected_close) == (Decimal("50000"), CLOSE)
    assert list(opp.contact_roles.values_list("contact", flat=True)) == [contact.pk]


def test_the_parties_and_opportunity_go_to_the_leads_owner(world):
    lead = _lead(world, actor=world.rep, owner=world.mate.pk)
    done = _convert(world, lead, actor=world.rep)
    assert done.organization.owner == done.contact.owner == done.opportunity.owner == world.mate
    assert done.opportunity.team == world.east


def test_the_conversion_is_audited_on_the_lead_and_its_parties(world):
    done = _convert(world, _lead(world))
    entry = AuditEntry.objects.filter(target_type="crm.lead", target_id=str(done.pk)).order_by("id").last()
    assert entry.actor == world.rep and entry.changes["status"][1] == "Converted"
    assert entry.changes["organization"] == [None, "深圳新客户科技有限公司"]
    linked = set(entry.links.values_list("subject_id", flat=True))
    assert linked == {str(done.organization.pk), str(done.contact.pk)}


def test_an_existing_organization_gets_the_new_contact(world):
    lead = _lead(world, company_name="华为技术有限公司", person_name="王芳")
    parties = Party.objects.count()
    done = _convert(world, lead, organization=world.huawei.pk)
    assert done.organization == world.huawei
    assert Party.objects.count() == parties + 1  # only the person
    assert Employment.objects.filter(person=done.contact, organization=world.huawei).exists()
    assert done.opportunity.customer == world.huawei


def test_an_existing_contact_is_linked_to_the_existing_organization_once(world):
    wang = make_person(world.rep, "王芳")
    lead = _lead(world, company_name="华为技术有限公司", person_name="王芳")
    done = _convert(world, lead, organization=world.huawei.pk, contact=wang.pk, opportunity=None)
    assert (done.organization, done.contact, done.opportunity) == (world.huawei, wang, None)
    assert Employment.objects.filter(person=wang, organization=world.huawei).count() == 1
    lead2 = _lead(world, company_name="华为技术有限公司", person_name="张伟")
    _convert(world, lead2, organization=world.huawei.pk, contact=world.zhang.pk, opportunity=None)
    assert Employment.objects.filter(person=world.zhang, organization=world.huawei).count() == 1


def test_a_private_customer_is_the_person(world):
    lead = _lead(world, company_name="")
    done = _convert(world, lead, organization="")
    assert done.organization is None
    assert done.contact.is_customer is True and not done.contact.employments.exists()
    assert done.opportunity.customer == done.contact
    assert not done.opportunity.contact_roles.exists()


def test_without_an_opportunity(world):
    before = Opportunity.objects.count()
    done = _convert(world, _lead(world), opportunity=None)
    assert done.status == "converted" and done.opportunity is None and done.organization is not None
    assert Opportunity.objects.count() == before


def test_an_organization_alone_is_enough_but_no_customer_at_all_is_not(world):
    done = _convert(world, _lead(world), contact="", opportunity=None)
    assert done.contact is None and done.organization.name == "深圳新客户科技有限公司"
    lead = _lead(world)
    assert "organization" in _errors(lambda: _convert(world, lead, organization="", contact=""))


def test_an_open_lead_of_the_team_without_an_owner_goes_to_whoever_converts_it(world):
    lead = _lead(world)
    lead = svc.lead_update(actor=world.rep, lead=lead, version=lead.version, data={"owner": None})
    assert lead.owner is None and lead.team == world.east
    done = _convert(world, lead, actor=world.mate)
    assert done.organization.owner == done.opportunity.owner == world.mate


def test_a_disqualified_lead_is_reopened_first(world):
    lead = _lead(world)
    reason = DisqualifyReason.objects.first()
    lead = svc.lead_set_status(actor=world.rep, lead=lead, version=2, status="disqualified", reason=reason)
    before = _counts()
    assert "status" in _errors(lambda: _convert(world, lead))
    assert _counts() == before


def test_a_lead_is_converted_once(world):
    done = _convert(world, _lead(world))
    before = _counts()
    assert "status" in _errors(lambda: _convert(world, done))
    assert _counts() == before


def test_a_new_organization_needs_the_company_name_and_a_new_contact_the_persons(world):
    lead = _lead(world, company_name="")
    assert "organization" in _errors(lambda: _convert(world, lead, organization="new"))
    lead = _lead(world, person_name="")
    assert "contact" in _errors(lambda: _convert(world, lead, contact="new"))


def test_a_party_one_cannot_see_is_refused_as_if_it_did_not_exist(world):
    lead = _lead(world)
    before = _counts()
    hidden = _errors(lambda: _convert(world, lead, organization=world.west_co.pk))
    missing = _errors(lambda: _convert(world, lead, organization=10**9))
    assert hidden == missing == {"organization": ["Choose a record you can see."]}
    assert "contact" in _errors(lambda: _convert(world, lead, contact=world.west_co.pk))
    assert _counts() == before
    lead.refresh_from_db()
    assert lead.status == "qualified"


def test_a_party_of_the_wrong_kind_is_refused(world):
    lead = _lead(world)
    assert "organization" in _errors(lambda: _convert(world, lead, organization=world.zhang.pk))
    assert "contact" in _errors(lambda: _convert(world, lead, contact=world.huawei.pk))


@pytest.mark.parametrize(
    ("opportunity", "field"),
    [
        ({"amount": "1000"}, "expected_close"),
        ({"expected_close": CLOSE, "amount": "-5"}, "amount"),
        ({"expected_close": CLOSE, "stage": 10**9}, "stage"),
    ],
)
def test_a_bad_opportunity_leaves_nothing_behind(world, opportunity, field):
    lead = _lead(world)
    before = _counts()
    assert field in _errors(lambda: _convert(world, lead, opportunity=opportunity))
    assert _counts() == before
    again = Lead.objects.get(pk=lead.pk)
    assert (again.status, again.version, again.organization, again.contact) == ("qualified", 2, None, None)


def test_a_stale_version_is_a_conflict(world):
    lead = _lead(world)
    before = _counts()
    with pytest.raises(ConflictError):
        _convert(world, lead, version=1)
    assert _counts() == before


def test_who_may_convert(world):
    lead = _lead(world)
    with pytest.raises(NotFoundError):
        _convert(world, lead, actor=world.rep_west)
    with pytest.raises(PermissionDeniedError):
        _convert(world, lead, actor=world.executive)
    assert _convert(world, lead, actor=world.manager).status == "converted"
