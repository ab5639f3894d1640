import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.core.roles import MARKETING, SALES_REP
from guanxi.parties.models import Employment
from guanxi.parties.services.employment import employment_add, employment_remove
from guanxi.parties.tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def changes_of(party):
    return [
        e.changes for e in AuditEntry.objects.filter(target_id=str(party.pk), action="update").order_by("id")
    ]


def test_add_links_a_person_and_audits_both_sides(admin_user):
    org = make_org(admin_user, "Acme")
    person = make_person(admin_user, "Li Na")
    emp = employment_add(actor=admin_user, person=person, organization=org, job_title=" Buyer ")
    assert (emp.person, emp.organization, emp.job_title) == (person, org, "Buyer")
    assert changes_of(person) == [{"organizations": [None, "Acme"]}]
    assert changes_of(org) == [{"contacts": [None, "Li Na"]}]


def test_adding_again_only_changes_the_job_title(admin_user):
    org = make_org(admin_user, "Acme")
    person = make_person(admin_user, "Li Na")
    employment_add(actor=admin_user, person=person, organization=org, job_title="Buyer")
    employment_add(actor=admin_user, person=person, organization=org, job_title="Buyer")  # no change
    employment_add(actor=admin_user, person=person, organization=org, job_title="Head of purchasing")
    assert Employment.objects.get().job_title == "Head of purchasing"
    assert changes_of(person)[1:] == [{"job_title@Acme": ["Buyer", "Head of purchasing"]}]
    assert len(changes_of(org)) == 1


def test_remove_unlinks_and_audits_both_sides(admin_user):
    org = make_org(admin_user, "Acme")
    person = make_person(admin_user, "Li Na", organization=org)
    employment_remove(actor=admin_user, employment=Employment.objects.get())
    assert not Employment.objects.exists()
    assert changes_of(org)[-1] == {"contacts": ["Li Na", None]}
    assert changes_of(person)[-1] == {"organizations": ["Acme", None]}


def test_only_a_person_can_work_at_an_organization(admin_user):
    org = make_org(admin_user, "Acme")
    other = make_org(admin_user, "Other")
    person = make_person(admin_user, "Li Na")
    for p, o in ((other, org), (person, person)):
        with pytest.raises(ValidationError):
            employment_add(actor=admin_user, person=p, organization=o)
    with pytest.raises(ValidationError):
        employment_add(actor=admin_user, person=person, organization=org, job_title="x" * 101)
    assert not Employment.objects.exists()


def test_the_organization_must_be_editable(admin_user, make_user):
    org = make_org(admin_user, "Acme")
    person = make_org(admin_user, "Li Na", kind="person")
    marketing = make_user(roles=[MARKETING])
    with pytest.raises(PermissionDeniedError):
        employment_add(actor=marketing, person=person, organization=org)
    emp = employment_add(actor=admin_user, person=person, organization=org)
    with pytest.raises(PermissionDeniedError):
        employment_remove(actor=marketing, employment=emp)
    assert Employment.objects.exists()


def test_a_person_the_actor_cannot_see_cannot_be_linked(admin_user, make_user, team, other_team):
    rep = make_user(roles=[SALES_REP], teams=[team])
    org = make_org(rep, "Acme")
    stranger = make_person(admin_user, "Wang Fang", team=other_team)
    with pytest.raises(NotFoundError):
        employment_add(actor=rep, person=stranger, organization=org)
    assert not Employment.objects.exists()
