"""Administrators change a company's pattern and reset; what Settings shows (next and last number)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry, NumberSequence
from guanxi.core.roles import SALES_MANAGER
from guanxi.core.selectors.numbering import number_preview, sequence_get, sequence_rows
from guanxi.core.services.numbering import number_next, sequence_update
from guanxi.core.tests.factories import make_company
from guanxi.core.tests.numbering.doc_types import ORDER, TICKET, WIDGET

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 3)


@pytest.fixture
def company(admin_user):
    return make_company(admin_user, name_zh="关系示范科技有限公司")


def take(doc_type, company, on=NOV):
    with transaction.atomic():
        return number_next(doc_type=doc_type, company=company, on=on)


def update(actor, company, pattern, reset, version, doc_type=WIDGET):
    return sequence_update(
        actor=actor, doc_type=doc_type, company=company, pattern=pattern, reset=reset, version=version
    )


def test_a_new_pattern_continues_the_counter(admin_user, company):
    take(WIDGET, company)
    take(WIDGET, company)
    seq = update(admin_user, company, "W{YY}-{seq:03}", "yearly", 0)
    assert seq.version == 1
    assert take(WIDGET, company) == "W26-003"
    entry = AuditEntry.objects.get(target_type="core.numbersequence")
    assert entry.changes == {"pattern": ["WG-{YYYY}-{seq:05}", "W{YY}-{seq:03}"]}
    assert (entry.subject_type, entry.subject_id) == ("core.company", str(company.pk))


def test_saving_before_any_number_stores_the_sequence(admin_user, company):
    update(admin_user, company, "W-{YYYY}-{seq}", "yearly", 0)
    assert take(WIDGET, company) == "W-2026-1"


def test_a_stale_version_is_a_conflict(admin_user, company):
    update(admin_user, company, "W-{YYYY}-{seq}", "yearly", 0)
    with pytest.raises(ConflictError):
        update(admin_user, company, "X-{YYYY}-{seq}", "yearly", 0)
    assert NumberSequence.objects.get().pattern == "W-{YYYY}-{seq}"


def test_no_change_writes_nothing(admin_user, company):
    update(admin_user, company, "WG-{YYYY}-{seq:05}", "yearly", 0)
    assert not AuditEntry.objects.filter(target_type="core.numbersequence").exists()


def test_only_administrators(make_user, company):
    manager = make_user(roles=[SALES_MANAGER])
    with pytest.raises(PermissionDeniedError):
        update(manager, company, "W-{YYYY}-{seq}", "yearly", 0)
    with pytest.raises(PermissionDeniedError):
        sequence_rows(actor=manager)


def test_invalid_input_names_the_field(admin_user, company):
    with pytest.raises(ValidationError) as exc:
        update(admin_user, company, "W-{seq}", "yearly", 0)
    assert "pattern" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        update(admin_user, company, "W-{seq}", "weekly", 0)
    assert "reset" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        update(admin_user, company, "W-{seq}", "never", 0, doc_type="tests.unknown")
    assert "doc_type" in exc.value.message_dict


def test_from_yearly_to_monthly_numbers_go_on_above_this_years(admin_user, company):
    """The month's new counter starts above what was issued for its dates under the yearly reset, so
    PO202611-0003 is not issued twice."""
    update(admin_user, company, "PO{YYYY}{MM}-{seq:04}", "yearly", 0, doc_type=ORDER)
    assert [take(ORDER, company) for _ in range(3)] == ["PO202611-0001", "PO202611-0002", "PO202611-0003"]
    update(admin_user, company, "PO{YYYY}{MM}-{seq:04}", "monthly", 1, doc_type=ORDER)
    assert take(ORDER, company) == "PO202611-0004"
    assert take(ORDER, company, dt.date(2026, 12, 1)) == "PO202612-0001"  # nothing issued in December yet


def test_from_never_to_yearly_next_year_starts_at_one(admin_user, company):
    update(admin_user, company, "T{YYYY}-{seq}", "never", 0, doc_type=TICKET)
    take(TICKET, company)
    take(TICKET, company)
    update(admin_user, company, "T{YYYY}-{seq}", "yearly", 1, doc_type=TICKET)
    assert take(TICKET, company) == "T2026-3"
    assert take(TICKET, company, dt.date(2027, 1, 4)) == "T2027-1"


def test_back_and_forth_never_repeats_a_number(admin_user, company):
    """yearly → monthly → yearly: the old yearly counter is raised above the months' numbers."""
    update(admin_user, company, "PO{YYYY}{MM}-{seq:04}", "yearly", 0, doc_type=ORDER)
    issued = [take(ORDER, company) for _ in range(2)]
    update(admin_user, company, "PO{YYYY}{MM}-{seq:04}", "monthly", 1, doc_type=ORDER)
    issued += [take(ORDER, company) for _ in range(3)]
    update(admin_user, company, "PO{YYYY}{MM}-{seq:04}", "yearly", 2, doc_type=ORDER)
    issued += [take(ORDER, company) for _ in range(2)]
    assert issued == [f"PO202611-{i:04d}" for i in range(1, 8)]


def test_rows_show_every_type_and_company_with_next_and_last(admin_user, company):
    other = make_company(admin_user, name_en="Other Co")
    take(WIDGET, company)
    take(WIDGET, company)
    rows = {(r.doc_type.code, r.company.pk): r for r in sequence_rows(actor=admin_user, on=NOV)}
    assert {(WIDGET, company.pk), (WIDGET, other.pk), (ORDER, company.pk)} <= set(rows)
    used = rows[(WIDGET, company.pk)]
    assert (used.next_number, used.last_number, used.version) == ("WG-2026-00003", "WG-2026-00002", 0)
    assert used.last_issued_at is not None
    fresh = rows[(WIDGET, other.pk)]
    assert (fresh.next_number, fresh.last_number, fresh.pattern) == (
        "WG-2026-00001",
        "",
        "WG-{YYYY}-{seq:05}",
    )
    # Next year: the next number starts again, the last one is still last year's.
    later = sequence_get(actor=admin_user, doc_type=WIDGET, company_id=company.pk, on=dt.date(2027, 1, 2))
    assert (later.next_number, later.last_number) == ("WG-2027-00001", "WG-2026-00002")


def test_last_number_keeps_the_pattern_it_was_issued_with(admin_user, company):
    take(WIDGET, company)
    update(admin_user, company, "W{YY}-{seq:03}", "yearly", 0)
    row = sequence_get(actor=admin_user, doc_type=WIDGET, company_id=company.pk, on=NOV)
    assert (row.last_number, row.next_number) == ("WG-2026-00001", "W26-002")


def test_rows_cost_a_fixed_number_of_queries(admin_user, company, django_assert_max_num_queries):
    for i in range(5):
        make_company(admin_user, name_en=f"Co {i}")
        take(WIDGET, company)
        take(ORDER, company, dt.date(2026, 1 + i, 1))
    with django_assert_max_num_queries(4):
        rows = sequence_rows(actor=admin_user)
    assert len(rows) >= 18


def test_preview_of_an_unsaved_pattern(admin_user, company):
    take(WIDGET, company)
    preview = number_preview(
        actor=admin_user,
        doc_type=WIDGET,
        company=company,
        pattern="Q{YYYY}{MM}{seq:04}",
        reset="yearly",
        on=NOV,
    )
    assert preview == "Q2026110002"
    preview = number_preview(
        actor=admin_user,
        doc_type=WIDGET,
        company=company,
        pattern="Q{YYYY}{MM}{seq:04}",
        reset="monthly",
        on=NOV,
    )
    assert preview == "Q2026110002"  # a monthly counter would start above November's numbers
    with pytest.raises(ValidationError):
        number_preview(actor=admin_user, doc_type=WIDGET, company=company, pattern="Q{seq", reset="never")
