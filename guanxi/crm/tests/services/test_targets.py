"""sales_targets_save: a manager sets, changes and removes the monthly targets of the reps of the team, each
change audited; anyone outside the team, a bad month, amount or currency is refused with every problem
listed, and then nothing is saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditEntry
from guanxi.crm.models import SalesTarget
from guanxi.crm.services.targets import sales_targets_save

pytestmark = pytest.mark.django_db
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


def _save(actor, *entries, year=2026):
    return sales_targets_save(actor=actor, year=year, entries=list(entries))


def _entry(owner, month, amount, **more):
    return {"owner": owner if isinstance(owner, int) else owner.pk, "month": month, "amount": amount, **more}


def _targets() -> dict:
    return {
        (t.owner.username, t.month): (t.amount, t.currency_id, t.version)
        for t in SalesTarget.objects.select_related("owner")
    }


def _audit(action: str) -> list:
    return list(
        AuditEntry.objects.filter(target_type="crm.salestarget", action=action)
        .order_by("id")
        .values_list("actor__username", "changes")
    )


def _refused(actor, *entries, year=2026) -> list[str]:
    before = _targets()
    with pytest.raises(ValidationError) as exc:
        _save(actor, *entries, year=year)
    assert _targets() == before  # all or nothing
    messages = exc.value.message_dict
    if "year" in messages:
        return messages["year"]
    listed = sorted((int(key[8:-1]), msgs) for key, msgs in messages.items() if key.startswith("targets["))
    return [m for _i, msgs in listed for m in msgs]


def test_a_manager_sets_the_targets_of_the_reps_of_the_team(world):
    changed = _save(
        world.manager,
        _entry(world.rep, 1, "1000"),
        _entry(world.mate.pk, 2, "2500.50"),
        _entry(world.manager, 2, "9000", currency="USD"),  # their own too
        _entry(world.rep, 3, ""),  # nothing to remove
    )
    assert changed == 3
    assert _targets() == {
        ("rep", JAN): (Decimal("1000"), "CNY", 1),
        ("mate", FEB): (Decimal("2500.50"), "CNY", 1),
        ("boss", FEB): (Decimal("9000"), "USD", 1),
    }
    created = _audit("create")
    assert [(actor, changes["amount"]) for actor, changes in created] == [
        ("boss", [None, "1000"]),
        ("boss", [None, "2500.50"]),
        ("boss", [None, "9000"]),
    ]
    assert _save(world.manager, _entry(world.rep, 1, "1000.00")) == 0  # the same amount: no change
    assert _targets()[("rep", JAN)][2] == 1 and len(_audit("update")) == 0


def test_a_change_is_audited_and_bumps_the_version(world):
    _save(world.manager, _entry(world.rep, 1, "1000"), _entry(world.mate, 1, "500"))
    assert _save(world.manager, _entry(world.rep, 1, "1500"), _entry(world.mate, 1, "500")) == 1
    assert _targets()[("rep", JAN)] == (Decimal("1500"), "CNY", 2)
    assert _targets()[("mate", JAN)] == (Decimal("500"), "CNY", 1)
    assert _save(world.manager, _entry(world.rep, 1, "1500", currency="USD")) == 1  # the currency alone
    assert _targets()[("rep", JAN)] == (Decimal("1500"), "USD", 3)
    assert _audit("update") == [
        ("boss", {"amount": ["CNY 1000.0000", "CNY 1500"]}),
        ("boss", {"amount": ["CNY 1500.0000", "USD 1500"]}),
    ]


def test_an_empty_amount_removes_the_target(world):
    _save(world.manager, _entry(world.rep, 1, "1000"), _entry(world.rep, 2, "2000"))
    assert _save(world.manager, _entry(world.rep, 1, ""), _entry(world.rep, 2, None)) == 2
    assert _targets() == {}
    removed = [changes["amount"] for _a, changes in _audit("delete")]
    assert [(Decimal(old), new) for old, new in removed] == [(Decimal(1000), None), (Decimal(2000), None)]
    assert _save(world.manager, _entry(world.rep, 1, "")) == 0


def test_outside_the_team_is_refused_with_every_problem_listed(world):
    _save(world.manager, _entry(world.rep, 1, "1000"))
    problems = _refused(
        world.manager,
        _entry(world.rep, 1, "5"),  # fine alone, not saved with the others
        _entry(world.rep_west, 1, "1000"),
        _entry(world.executive, 2, "1000"),
        _entry(world.rep, 4, "70"),
    )
    assert problems == ["rep_west is outside your team.", "exec is outside your team."]
    assert SalesTarget.objects.count() == 1
    assert _save(world.admin, _entry(world.rep_west, 1, "1000"), _entry(world.executive, 2, "1")) == 2


def test_who_may_not_set_targets(world):
    for actor in (world.rep, world.executive, world.buyer):
        with pytest.raises(PermissionDeniedError):
            _save(actor, _entry(actor, 1, "1000"))
    assert SalesTarget.objects.count() == 0


def test_a_bad_month_amount_or_currency_saves_nothing(world):
    _save(world.manager, _entry(world.rep, 1, "1000"))
    problems = _refused(
        world.manager,
        _entry(world.mate, 5, "300"),
        _entry(world.rep, 1, "2000"),
        _entry(world.rep, 0, "1"),
        _entry(world.rep, 13, "1"),
        _entry(world.rep, "March", "1"),
        _entry(world.rep, None, "1"),
        _entry(world.rep, 2, "-1"),
        _entry(world.rep, 3, "1.234"),
        _entry(world.rep, 4, "lots"),
        _entry(world.rep, 5, "1,0"),
        _entry(world.rep, 6, "100", currency="XYZ"),
        _entry(world.rep, 7, "1.5", currency="JPY"),
        _entry(world.rep, 8, str(10**13)),
        _entry(999_999, 9, "1"),
    )
    month = "Choose a month from 1 to 12."
    assert problems[:4] == [month] * 4
    assert problems[4:] == [
        "rep 2026-02: The amount cannot be negative.",
        "rep 2026-03: CNY amounts have at most 2 decimal places.",
        "rep 2026-04: Enter a number, e.g. 1234.50.",
        "rep 2026-05: Enter a number, e.g. 1234.50.",
        "rep 2026-06: Unknown currency “XYZ”: use an ISO 4217 code set up under Settings → Currencies.",
        "rep 2026-07: JPY amounts have at most 0 decimal places.",
        "rep 2026-08: The amount is too large.",
        "Choose an active user.",
    ]
    assert SalesTarget.objects.count() == 1 and SalesTarget.objects.get().amount == Decimal(1000)
    assert _audit("update") == [] and len(_audit("create")) == 1


def test_an_inactive_rep_or_a_bad_year_is_refused(world):
    world.mate.is_active = False
    world.mate.save()
    assert _refused(world.manager, _entry(world.mate, 1, "1")) == ["Choose an active user."]
    for year in (1899, 2201):
        assert _refused(world.manager, _entry(world.rep, 1, "1"), year=year) == [
            "Enter a year between 1900 and 2200."
        ]
    assert _save(world.manager, _entry(world.rep, 12, "1"), year=2200) == 1
    assert _targets() == {("rep", dt.date(2200, 12, 1)): (Decimal(1), "CNY", 1)}
