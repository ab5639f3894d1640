"""number_next: consecutive numbers per type, company and period; resets; rollback leaves no hole."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from guanxi.core.models import NumberCounter, NumberSequence
from guanxi.core.numbering import Reset
from guanxi.core.services.companies import company_update
from guanxi.core.services.numbering import NumberingError, number_next, sequence_update
from guanxi.core.tests.factories import make_company
from guanxi.core.tests.numbering.doc_types import ORDER, TICKET, WIDGET

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 3)


@pytest.fixture
def company(admin_user):
    return make_company(
        admin_user, name_zh="关系示范科技有限公司", name_en="Guanxi Demo Technology Co., Ltd."
    )


def take(doc_type, company, on=NOV):
    with transaction.atomic():
        return number_next(doc_type=doc_type, company=company, on=on)


def test_numbers_follow_the_registered_pattern(company):
    assert [take(WIDGET, company) for _ in range(3)] == ["WG-2026-00001", "WG-2026-00002", "WG-2026-00003"]
    assert take(ORDER, company) == "PO202611-0001"
    assert take(TICKET, company) == "T-1"
    seq = NumberSequence.objects.get(doc_type=WIDGET, company=company)
    assert (seq.pattern, seq.reset, seq.version) == ("WG-{YYYY}-{seq:05}", Reset.YEARLY, 0)


def test_each_company_has_its_own_numbers(company, admin_user):
    other = make_company(admin_user, name_en="Guanxi Trading (HK) Ltd.")
    assert take(WIDGET, company) == "WG-2026-00001"
    assert take(WIDGET, other) == "WG-2026-00001"
    assert take(WIDGET, company) == "WG-2026-00002"
    assert take(WIDGET, company.pk) == "WG-2026-00003"  # an id does as well


def test_yearly_reset(company):
    assert take(WIDGET, company, dt.date(2026, 12, 31)) == "WG-2026-00001"
    assert take(WIDGET, company, dt.date(2026, 12, 31)) == "WG-2026-00002"
    assert take(WIDGET, company, dt.date(2027, 1, 1)) == "WG-2027-00001"
    # A late document of the old year continues that year's numbers.
    assert take(WIDGET, company, dt.date(2026, 6, 1)) == "WG-2026-00003"


def test_monthly_reset(company):
    assert take(ORDER, company, dt.date(2026, 11, 30)) == "PO202611-0001"
    assert take(ORDER, company, dt.date(2026, 12, 1)) == "PO202612-0001"
    assert take(ORDER, company, dt.date(2026, 12, 2)) == "PO202612-0002"
    assert take(ORDER, company, dt.date(2027, 1, 1)) == "PO202701-0001"


def test_never_reset(company):
    assert take(TICKET, company, dt.date(2026, 12, 31)) == "T-1"
    assert take(TICKET, company, dt.date(2027, 1, 1)) == "T-2"


def test_daily_reset(company, admin_user):
    sequence_update(
        actor=admin_user,
        doc_type=TICKET,
        company=company,
        pattern="T{YY}{MM}{DD}{seq:03}",
        reset="daily",
        version=0,
    )
    assert take(TICKET, company, dt.date(2026, 11, 3)) == "T261103001"
    assert take(TICKET, company, dt.date(2026, 11, 3)) == "T261103002"
    assert take(TICKET, company, dt.date(2026, 11, 4)) == "T261104001"


def test_a_rolled_back_document_leaves_no_hole(company):
    assert take(WIDGET, company) == "WG-2026-00001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_next(doc_type=WIDGET, company=company, on=NOV) == "WG-2026-00002"
        raise RuntimeError("the document could not be saved")
    assert take(WIDGET, company) == "WG-2026-00002"


def test_the_first_number_rolled_back_leaves_nothing(company):
    with pytest.raises(RuntimeError), transaction.atomic():
        number_next(doc_type=WIDGET, company=company, on=NOV)
        raise RuntimeError
    assert not NumberCounter.objects.exists()
    assert take(WIDGET, company) == "WG-2026-00001"


def test_a_rolled_back_savepoint_gives_its_number_back(company):
    with transaction.atomic():
        assert number_next(doc_type=WIDGET, company=company, on=NOV) == "WG-2026-00001"
        with pytest.raises(RuntimeError), transaction.atomic():
            number_next(doc_type=WIDGET, company=company, on=NOV)
            raise RuntimeError
        assert number_next(doc_type=WIDGET, company=company, on=NOV) == "WG-2026-00002"


@pytest.mark.django_db(transaction=True)
def test_refused_outside_a_transaction(admin_user):
    company = make_company(admin_user)
    with pytest.raises(NumberingError, match=r"inside the transaction.atomic\(\) block"):
        number_next(doc_type=WIDGET, company=company, on=NOV)
    assert not NumberCounter.objects.exists()


def test_unknown_document_type_is_refused(company):
    with pytest.raises(NumberingError, match="not a registered"), transaction.atomic():
        number_next(doc_type="tests.nothing", company=company)


def test_an_archived_company_issues_no_numbers(company, admin_user):
    other = make_company(admin_user, name_en="Old Co")
    company_update(actor=admin_user, company=other, version=other.version, data={"is_active": False})
    other.refresh_from_db()
    with pytest.raises(ValidationError), transaction.atomic():
        number_next(doc_type=WIDGET, company=other)
    with pytest.raises(ValidationError), transaction.atomic():
        number_next(doc_type=WIDGET, company=other.pk)  # by id: checked when its sequence is made


def test_the_default_date_is_today(company):
    from django.utils import timezone

    year = timezone.localdate().year
    assert take(WIDGET, company, None) == f"WG-{year}-00001"


def test_the_counter_remembers_the_last_number(company):
    take(ORDER, company, dt.date(2026, 11, 3))
    take(ORDER, company, dt.date(2026, 11, 9))
    counter = NumberCounter.objects.get()
    assert (counter.period, counter.value, counter.last_on, counter.last_pattern) == (
        "2026-11",
        2,
        dt.date(2026, 11, 9),
        "PO{YYYY}{MM}-{seq:04}",
    )
    assert (counter.min_on, counter.max_on) == (dt.date(2026, 11, 3), dt.date(2026, 11, 9))
    assert counter.last_issued_at is not None


def test_one_statement_per_number_once_the_counter_exists(company, django_assert_num_queries):
    take(WIDGET, company)
    with transaction.atomic(), django_assert_num_queries(1):
        number_next(doc_type=WIDGET, company=company, on=NOV)
