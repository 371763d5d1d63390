"""Proxy refills' rules (DOMAIN §8) at their boundaries: run-out day, refill needed, quantity."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain.errors import ValidationError
from app.domain.refills import (
    DailyChange,
    Dispensed,
    check_dispense,
    needs_refill,
    parse_daily_quantity,
    quantity_to_dispense,
    ran_out,
    run_out_date,
)
from app.domain.validation import is_unsafe_control

DAY = date(2026, 12, 1)


def test_nothing_dispensed_never_runs_out_but_needs_a_refill() -> None:
    assert run_out_date(Decimal(2), []) is None
    assert needs_refill(None, DAY)
    assert not ran_out(None, DAY)


def test_a_supply_lasts_its_whole_days() -> None:
    assert run_out_date(Decimal(2), [Dispensed(DAY, 56)]) == date(2026, 12, 29)  # 28 days
    assert run_out_date(Decimal(2), [Dispensed(DAY, 57)]) == date(2026, 12, 29)  # half a day does not count
    assert run_out_date(Decimal("0.5"), [Dispensed(DAY, 14)]) == date(2026, 12, 29)


def test_an_early_refill_adds_to_the_days_left() -> None:
    first = Dispensed(DAY, 28)  # one a day: runs out 29 Dec
    early = Dispensed(date(2026, 12, 20), 28)
    assert run_out_date(Decimal(1), [early, first]) == date(2027, 1, 26)


def test_a_late_refill_starts_on_its_own_day() -> None:
    assert run_out_date(Decimal(1), [Dispensed(DAY, 10), Dispensed(date(2026, 12, 20), 10)]) == date(2026, 12, 30)


def test_a_refill_on_the_run_out_day_continues_without_a_gap() -> None:
    assert run_out_date(Decimal(1), [Dispensed(DAY, 10), Dispensed(date(2026, 12, 11), 10)]) == date(2026, 12, 21)


def test_supply_across_29_february() -> None:
    assert run_out_date(Decimal(1), [Dispensed(date(2028, 2, 28), 2)]) == date(2028, 3, 1)


def test_a_refill_is_needed_when_it_runs_out_on_or_before_the_next_round() -> None:
    next_round = date(2026, 12, 8)
    assert needs_refill(date(2026, 12, 7), next_round)
    assert needs_refill(date(2026, 12, 8), next_round)
    assert not needs_refill(date(2026, 12, 9), next_round)


def test_ran_out_from_the_run_out_day() -> None:
    assert not ran_out(date(2026, 12, 2), DAY)
    assert ran_out(DAY, DAY)


def test_the_quantity_covers_28_days_rounded_up() -> None:
    assert quantity_to_dispense(Decimal(2)) == 56
    assert quantity_to_dispense(Decimal("0.5")) == 14
    assert quantity_to_dispense(Decimal("0.33")) == 10  # 9.24 rounded up
    assert quantity_to_dispense(Decimal("0.01"), days=1) == 1


@pytest.mark.parametrize("text, value", [("2", Decimal("2.00")), (" 0.5 ", Decimal("0.50")), ("100", Decimal(100))])
def test_daily_quantities_accepted(text: str, value: Decimal) -> None:
    assert parse_daily_quantity(text) == value


@pytest.mark.parametrize("text", ["0", "-1", "100.01", "abc", "", "NaN", "Infinity"])
def test_daily_quantities_refused_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_daily_quantity(text)
    assert raised.value.field == "daily_quantity"


def test_dispense_quantity_and_collector_are_bounded() -> None:
    assert check_dispense(1, " 王阿姨 ") == (1, "王阿姨")
    assert check_dispense(10_000, "")[0] == 10_000
    for bad in (0, 10_001):
        with pytest.raises(ValidationError) as raised:
            check_dispense(bad, "")
        assert raised.value.field == "dispense_quantity"
    with pytest.raises(ValidationError):
        check_dispense(1, "x" * 51)
    with pytest.raises(ValidationError):
        check_dispense(1, "a\tb")


@pytest.mark.parametrize("text", ["0.001", "0.004", "1e-9"])
def test_a_daily_quantity_rounding_to_zero_is_refused(text: str) -> None:
    # was kept as 0.00: the medication then never ran out and was never listed
    with pytest.raises(ValidationError) as refused:
        parse_daily_quantity(text)
    assert refused.value.field == "daily_quantity"


def test_a_supply_beyond_the_calendar_runs_out_never_rather_than_crashing() -> None:
    # 0.01 a day and 10 000 units three times: 3 million days (was OverflowError, the home's list broke)
    huge = [Dispensed(date(2026, 11, 10), 10_000)] * 3
    assert run_out_date(Decimal("0.01"), huge) == date.max
    assert not ran_out(run_out_date(Decimal("0.01"), huge), date(2026, 11, 16))


@pytest.mark.parametrize("name", ["\u202e王芳", "王\u2066芳", "王\x85芳", "王\x7f芳"])
def test_a_collector_with_a_bidi_or_c1_control_is_refused(name: str) -> None:
    # the sync import refuses these characters, so a row holding one would stop the device's sync
    with pytest.raises(ValidationError) as refused:
        check_dispense(10, name)
    assert refused.value.field == "collected_by"
    assert not any(is_unsafe_control(c) for c in str(refused.value))  # quoted escaped, not raw


# --- a change of the daily quantity (issue 18: "changing a medication updates the refill list") -------------


def _on(days: int) -> date:
    return DAY + timedelta(days=days)


def test_a_dose_change_counts_the_units_left_at_the_new_quantity_from_its_day() -> None:
    supply = [Dispensed(DAY, 20)]  # 2 a day: days 0-9, runs out on day 10
    assert run_out_date(Decimal(2), supply) == _on(10)
    # from day 4, 12 units are left: at 1 a day they last days 4-15, at 3 a day days 4-7
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(4), Decimal(1))]) == _on(16)
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(4), Decimal(3))]) == _on(8)
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(4), Decimal(2))]) == _on(10)  # no change at all


def test_a_change_on_the_run_out_day_recounts_what_was_left() -> None:
    supply = [Dispensed(DAY, 21)]  # 2 a day: days 0-9, 1 unit left, runs out on day 10
    assert run_out_date(Decimal(2), supply) == _on(10)
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(10), Decimal(1))]) == _on(11)  # the last unit: day 10
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(10), Decimal("0.5"))]) == _on(12)
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(10), Decimal(3))]) == _on(10)
    # the day after: it had run out already, the change does not bring it back
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(11), Decimal(1))]) == _on(10)
    # the day before: day 9 needs 1 of the 3 left, day 10 another, day 11 the last
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(9), Decimal(1))]) == _on(12)


def test_a_change_before_the_supply_day_counts_the_whole_supply_at_the_new_quantity() -> None:
    supply = [Dispensed(_on(5), 20)]
    assert run_out_date(Decimal(2), supply, [DailyChange(DAY, Decimal(4))]) == _on(10)
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(5), Decimal(4))]) == _on(10)  # on its day too
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(6), Decimal(4))]) == _on(5 + 1 + 4)  # 18 left on day 6


def test_quantity_0_stops_the_medication_from_its_day() -> None:
    supply = [Dispensed(DAY, 20)]  # runs out on day 10 at 2 a day
    stopped = [DailyChange(_on(4), Decimal(0))]
    assert run_out_date(Decimal(2), supply, stopped) == date.max  # not run out by day 4: never runs out
    assert not needs_refill(run_out_date(Decimal(2), supply, stopped), _on(30))
    assert not ran_out(run_out_date(Decimal(2), supply, stopped), _on(30))
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(10), Decimal(0))]) == date.max  # stopped that day
    assert run_out_date(Decimal(2), supply, [DailyChange(_on(11), Decimal(0))]) == _on(10)  # ran out before
    restarted = [*stopped, DailyChange(_on(20), Decimal(2))]  # 12 units kept from day 4, taken again on day 20
    assert run_out_date(Decimal(2), supply, restarted) == _on(26)
    assert run_out_date(Decimal(2), [], stopped) is None  # nothing dispensed: nothing to run out


def test_changes_in_any_order_and_several_on_one_day() -> None:
    supply = [Dispensed(DAY, 30), Dispensed(_on(12), 10)]  # 1 a day; then 2 a day from day 5, 1 again from 10
    changes = [DailyChange(_on(10), Decimal(1)), DailyChange(_on(5), Decimal(2))]
    # days 0-4: 5 used, 25 left; days 5-9: 10 used, 15 left; from day 10: 15 days, to day 24; the refill then
    # collected early on day 12 adds 10 days from day 25
    assert run_out_date(Decimal(1), supply, changes) == _on(35)
    assert run_out_date(Decimal(1), supply, reversed(changes)) == _on(35)
    same_day = [DailyChange(_on(5), Decimal(5)), DailyChange(_on(5), Decimal(2)), DailyChange(_on(10), Decimal(1))]
    assert run_out_date(Decimal(1), supply, same_day) == _on(35)  # the last given for a day wins
