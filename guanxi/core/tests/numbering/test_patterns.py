"""The pattern language: formatting, parsing back, validation, periods (hypothesis property tests)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from guanxi.core.numbering import (
    NUMBER_MAX_LENGTH,
    Reset,
    numbered_document_type,
    pattern_check,
    pattern_compile,
    period_of,
    register_numbered_document,
    unregister_numbered_document,
)

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31))
seqs = st.integers(min_value=1, max_value=10**13)
literals = st.text(alphabet="ABCQTPO-_.0123456789采购单号", min_size=0, max_size=4)
date_parts = st.lists(st.sampled_from(["{YYYY}", "{YY}", "{MM}", "{DD}"]), unique=True, max_size=3).filter(
    lambda ps: not ("{YYYY}" in ps and "{YY}" in ps)
)
seq_parts = st.sampled_from(["{seq}", "{seq:1}", "{seq:03}", "{seq:4}", "{seq:05}", "{seq:12}"])


@st.composite
def patterns(draw) -> str:
    parts = [*draw(date_parts), draw(seq_parts)]
    order = draw(st.permutations(parts))
    out = []
    for p in order:
        out.append(draw(literals))
        out.append(p)
    out.append(draw(literals))
    text = "".join(out)
    return text


def _valid(text: str):
    try:
        return pattern_compile(text)
    except ValidationError:
        return None


@given(patterns(), dates, seqs)
def test_a_number_parses_back_to_its_date_and_sequence(text, on, seq):
    pattern = _valid(text)
    if pattern is None:  # e.g. too long
        return
    number = pattern.format(on, seq)
    parsed = pattern.parse(number)
    assert parsed is not None, (text, number)
    assert parsed["seq"] == seq
    expected = {"YYYY": on.year, "YY": on.year % 100, "MM": on.month, "DD": on.day}
    for kind in ("YYYY", "YY", "MM", "DD"):
        if "{" + kind + "}" in text:
            assert parsed[kind] == expected[kind]


@given(patterns(), dates, seqs, seqs)
def test_different_sequences_give_different_numbers(text, on, a, b):
    pattern = _valid(text)
    if pattern is None or a == b:
        return
    assert pattern.format(on, a) != pattern.format(on, b)


@given(patterns(), dates, dates, seqs)
def test_numbers_of_different_periods_differ_when_the_pattern_fits_the_reset(text, d1, d2, seq):
    """Where a reset is allowed, two periods never produce the same number from the same sequence."""
    pattern = _valid(text)
    if pattern is None:
        return
    reset = pattern.natural_reset
    if reset == Reset.NEVER or period_of(reset, d1) == period_of(reset, d2):
        return
    if reset == Reset.YEARLY and "{YY}" in text and d1.year % 100 == d2.year % 100:
        return  # two digits of year repeat every century
    if "{YY}" in text and d1.year % 100 == d2.year % 100 and d1.year != d2.year:
        return
    assert pattern.format(d1, seq) != pattern.format(d2, seq)


@given(patterns(), dates)
def test_the_first_number_fits_the_column(text, on):
    pattern = _valid(text)
    if pattern is None:
        return
    assert len(pattern.format(on, 1)) <= NUMBER_MAX_LENGTH - 8
    assert len(pattern.format(on, 99_999_999)) <= NUMBER_MAX_LENGTH


@given(dates)
def test_periods_contain_their_date(on):
    for reset in Reset.values:
        period = period_of(reset, on)
        assert period.starts_on <= on < period.ends_on or period.ends_on == dt.date.max


@pytest.mark.parametrize(
    ("text", "on", "seq", "number"),
    [
        ("QT-{YYYY}-{seq:05}", dt.date(2026, 3, 9), 42, "QT-2026-00042"),
        ("PO{YYYY}{MM}-{seq:04}", dt.date(2026, 11, 1), 7, "PO202611-0007"),
        ("XS{YY}{MM}{DD}{seq:03}", dt.date(2026, 1, 5), 1, "XS260105001"),
        ("T-{seq}", dt.date(2026, 1, 5), 123, "T-123"),
        ("QT-{YYYY}-{seq:05}", dt.date(2026, 3, 9), 123456, "QT-2026-123456"),  # outgrows the padding
        ("{seq:04}{YYYY}", dt.date(2026, 3, 9), 12345, "123452026"),
        ("报价单{YYYY}.{seq:2}", dt.date(2026, 3, 9), 5, "报价单2026.05"),
    ],
)
def test_examples(text, on, seq, number):
    pattern = pattern_compile(text)
    assert pattern.format(on, seq) == number
    assert pattern.parse(number)["seq"] == seq


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a pattern"),
        ("QT-{YYYY}", "exactly once"),
        ("QT-{seq}-{seq}", "exactly once"),
        ("QT-{yyyy}-{seq}", "{yyyy} is not a part"),
        ("QT-{YYYY-{seq}", "brace"),
        ("QT-{YYYY}}-{seq}", "brace"),
        ("QT {seq}", "no spaces"),
        ("QT/{seq}", "“/” cannot be part"),
        ("QT-{seq:0}", "1 to 12 digits"),
        ("QT-{seq:13}", "1 to 12 digits"),
        ("{YYYY}{YY}{seq}", "either {YYYY} or {YY}"),
        ("{MM}{MM}{seq}", "at most once"),
        ("A" * 30 + "{YYYY}{seq}", "too long"),
        ("A" * 61, "at most 60"),
    ],
)
def test_invalid_patterns_say_why(text, message):
    with pytest.raises(ValidationError) as exc:
        pattern_compile(text)
    assert message in exc.value.messages[0]


@pytest.mark.parametrize(
    ("text", "reset", "missing"),
    [
        ("QT-{seq}", "yearly", "{YYYY}"),
        ("QT-{YYYY}-{seq}", "monthly", "{MM}"),
        ("QT-{MM}-{seq}", "monthly", "{YYYY}"),
        ("QT-{YYYY}{MM}-{seq}", "daily", "{DD}"),
    ],
)
def test_a_reset_needs_the_date_parts_that_tell_periods_apart(text, reset, missing):
    with pytest.raises(ValidationError) as exc:
        pattern_check(text, reset)
    assert missing in exc.value.message_dict["pattern"][0]


def test_a_reset_with_its_parts_is_fine():
    pattern_check("QT-{seq}", "never")
    pattern_check("QT-{YY}-{seq}", "yearly")
    pattern_check("QT-{YYYY}{MM}{DD}-{seq}", "yearly")  # finer parts than the reset: allowed
    with pytest.raises(ValidationError):
        pattern_check("QT-{seq}", "hourly")


def test_registration_validates_and_is_idempotent():
    try:
        t = register_numbered_document("tests.reg", label="Reg", default_pattern="R{YYYY}{MM}{seq:03}")
        assert t.default_reset == Reset.MONTHLY  # from the finest date part
        assert (
            register_numbered_document("tests.reg", label="Reg", default_pattern="R{YYYY}{MM}{seq:03}") == t
        )
        with pytest.raises(ImproperlyConfigured, match="already registered"):
            register_numbered_document("tests.reg", label="Reg", default_pattern="R{seq}")
        assert numbered_document_type("tests.reg") == t
    finally:
        unregister_numbered_document("tests.reg")
    with pytest.raises(ImproperlyConfigured, match="app_label.name"):
        register_numbered_document("Quote", label="Q", default_pattern="Q{seq}")
    with pytest.raises(ImproperlyConfigured, match="exactly once"):
        register_numbered_document("tests.bad", label="Bad", default_pattern="Q-{YYYY}")
    with pytest.raises(ImproperlyConfigured, match="needs"):
        register_numbered_document("tests.bad", label="Bad", default_pattern="Q-{seq}", reset="yearly")
    assert numbered_document_type("tests.bad") is None
