"""Keyset pagination (guanxi.core.pagination), checked against a plain ORDER BY on the database itself."""

import base64
import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.core.models import User
from guanxi.core.pagination import capped_count, keyset_page, keyset_page_merged

pytestmark = pytest.mark.django_db

DB_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ORDERINGS = [
    ["first_name", "id"],
    ["-first_name", "-id"],
    ["first_name", "-id"],
    ["last_name", "-first_name", "id"],
    ["date_joined", "id"],
    ["-date_joined", "-id"],
]
BASE = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
# Few distinct values, so ties are common: the tie-breaker must carry the paging.
names = st.text(alphabet="aAbé 华为张伟-", max_size=3)
times = st.sampled_from(
    [BASE, BASE + dt.timedelta(microseconds=1), BASE + dt.timedelta(seconds=1, microseconds=500)]
)
rows = st.lists(st.tuples(names, names, times), max_size=25)


def cursor_of(payload) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def make_users(data):
    User.objects.bulk_create(
        User(username=f"u{i}", first_name=first, last_name=last, date_joined=joined)
        for i, (first, last, joined) in enumerate(data)
    )


def walk(ordering, limit):
    """Every page from the first, following next cursors."""
    pages = [keyset_page(User.objects.all(), ordering=ordering, cursor=None, limit=limit)]
    while pages[-1].next_cursor:
        pages.append(
            keyset_page(User.objects.all(), ordering=ordering, cursor=pages[-1].next_cursor, limit=limit)
        )
        assert len(pages) <= 30, "the cursors do not move forward"
    return pages


def pks(page) -> list[int]:
    return [u.pk for u in page.items]


@DB_SETTINGS
@given(data=rows, ordering=st.sampled_from(ORDERINGS), limit=st.integers(1, 6))
def test_next_cursors_visit_every_row_once_in_order(data, ordering, limit):
    with transaction.atomic():
        make_users(data)
        expected = list(User.objects.order_by(*ordering).values_list("pk", flat=True))
        pages = walk(ordering, limit)
        assert [pk for p in pages for pk in pks(p)] == expected
        assert all(len(p.items) == limit for p in pages[:-1])
        assert pages[0].prev_cursor is None and pages[-1].next_cursor is None
        # Back one page from each page gives the page before it, and forward again the page itself.
        for before, page in zip(pages, pages[1:], strict=False):
            back = keyset_page(User.objects.all(), ordering=ordering, cursor=page.prev_cursor, limit=limit)
            assert pks(back) == pks(before)
            assert (back.prev_cursor is None) == (before is pages[0])
            again = keyset_page(User.objects.all(), ordering=ordering, cursor=back.next_cursor, limit=limit)
            assert pks(again) == pks(page)
        transaction.set_rollback(True)


def _parts():
    # Disjoint parts of the table, as the approvals inbox splits its steps by approver.
    return [User.objects.filter(last_name__lt="b"), User.objects.filter(last_name__gte="b")]


@DB_SETTINGS
@given(data=rows, ordering=st.sampled_from(ORDERINGS), limit=st.integers(1, 6))
def test_merged_pages_are_the_pages_of_the_whole(data, ordering, limit):
    """keyset_page_merged (a page from each part, merged; plain OR on SQLite) pages like keyset_page over
    all rows: the same rows and cursors, forward and back."""
    with transaction.atomic():
        make_users(data)
        for page in walk(ordering, limit):
            for cursor in (page.prev_cursor, page.next_cursor):
                whole = keyset_page(User.objects.all(), ordering=ordering, cursor=cursor, limit=limit)
                merged = keyset_page_merged(_parts(), ordering=ordering, cursor=cursor, limit=limit)
                assert pks(merged) == pks(whole)
                assert (merged.prev_cursor, merged.next_cursor) == (whole.prev_cursor, whole.next_cursor)
        transaction.set_rollback(True)


def test_rows_added_before_the_cursor_do_not_shift_later_pages():
    make_users([(f"n{i:02}", "", BASE) for i in range(10)])
    first = keyset_page(User.objects.all(), ordering=["first_name", "id"], cursor=None, limit=4)
    User.objects.create(username="late", first_name="a-new")  # sorts first: OFFSET paging would repeat n03
    second = keyset_page(User.objects.all(), ordering=["first_name", "id"], cursor=first.next_cursor, limit=4)
    assert [u.first_name for u in second.items] == ["n04", "n05", "n06", "n07"]


def test_an_empty_list_has_no_cursors():
    page = keyset_page(User.objects.all(), ordering=["first_name", "id"], cursor=None, limit=10)
    assert (page.items, page.next_cursor, page.prev_cursor) == ([], None, None)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!!",
        "华为",
        "=",
        cursor_of(b"not json"),
        cursor_of(b"\xff\xfe"),
        cursor_of([1, 2]),
        cursor_of("text"),
        cursor_of({"v": ["a", 1]}),  # no direction
        cursor_of({"v": ["a", 1], "d": "sideways"}),
        cursor_of({"v": ["a"], "d": "n"}),  # one value short
        cursor_of({"v": ["a", 1, 2], "d": "n"}),
        cursor_of({"v": "a", "d": "n"}),
        cursor_of({"v": ["a", "one"], "d": "n"}),
        cursor_of({"v": ["a", None], "d": "n"}),
        cursor_of({"v": [None, 1], "d": "p"}),
        cursor_of({"v": ["a\x00b", 1], "d": "n"}),
    ],
)
def test_a_garbage_cursor_is_a_validation_error(cursor):
    with pytest.raises(ValidationError) as exc:
        keyset_page(User.objects.all(), ordering=["first_name", "id"], cursor=cursor, limit=5)
    assert "cursor" in exc.value.message_dict


@pytest.mark.parametrize(
    "values",
    [["yesterday", 1], [12, 1], [{"x": 1}, 1], ["2026-13-45T00:00:00", 1]],
)
def test_a_garbage_date_in_a_cursor_is_a_validation_error(values):
    with pytest.raises(ValidationError):
        keyset_page(
            User.objects.all(),
            ordering=["date_joined", "id"],
            cursor=cursor_of({"v": values, "d": "n"}),
            limit=5,
        )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=2), inner, max_size=2),
    max_leaves=4,
)


@DB_SETTINGS
@given(
    cursor=st.one_of(
        st.text(max_size=40),
        st.binary(max_size=40).map(cursor_of),
        st.fixed_dictionaries(
            {"v": st.lists(json_values, min_size=2, max_size=2), "d": st.sampled_from(["n", "p"])}
        ).map(cursor_of),
    ),
    ordering=st.sampled_from(ORDERINGS[:2] + ORDERINGS[4:]),
)
def test_any_cursor_gives_a_page_or_a_validation_error(cursor, ordering):
    with transaction.atomic():
        make_users([("a", "b", BASE), ("b", "a", BASE)])
        try:
            page = keyset_page(User.objects.all(), ordering=ordering, cursor=cursor, limit=1)
        except ValidationError as exc:
            assert "cursor" in exc.message_dict
        else:
            assert len(page.items) <= 1
        transaction.set_rollback(True)


def test_capped_count():
    make_users([(str(i), "", BASE) for i in range(5)])
    qs = User.objects.order_by("first_name")
    assert capped_count(qs, cap=3) == (3, True)
    assert capped_count(qs, cap=5) == (5, False)
    assert capped_count(qs) == (5, False)
    assert capped_count(qs.filter(first_name="9")) == (0, False)
