"""A medication's daily quantity over time, read from its audit entries (app.services.homecare.supply)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from app.domain.refills import DailyChange
from app.services.homecare.supply import change_day, daily_history


def _at(day: int) -> datetime:
    return datetime(2026, 11, day, 4, 0, tzinfo=timezone.utc)  # noon in China


def test_the_first_value_set_counts_from_the_start() -> None:
    assert daily_history(Decimal(2), [(_at(1), [None, 2])]) == (Decimal(2), [])
    assert daily_history(Decimal(2), []) == (Decimal(2), [])  # no trail (the demo): the column


def test_a_change_applies_from_its_day() -> None:
    initial, changes = daily_history(Decimal(1), [(_at(1), [None, 2]), (_at(5), [2, 1])])
    assert initial == 2 and changes == [DailyChange(change_day(_at(5)), Decimal(1))]


def test_a_value_set_before_the_trail_saw_it_is_the_one_before_the_first_change() -> None:
    initial, changes = daily_history(Decimal(3), [(_at(5), [1.5, 3])])
    assert initial == Decimal("1.5") and changes == [DailyChange(change_day(_at(5)), Decimal(3))]


def test_emptying_is_no_change_and_a_value_set_again_applies_from_its_day() -> None:
    entries = [(_at(1), [None, 2]), (_at(3), [2, None]), (_at(6), [None, 1])]
    assert daily_history(Decimal(1), entries) == (Decimal(2), [DailyChange(change_day(_at(6)), Decimal(1))])


def test_the_column_wins_over_the_trail_s_last_value() -> None:
    # two devices changed it apart; sync kept the other device's value in the column
    entries = [(_at(1), [None, 2]), (_at(5), [2, 4])]
    assert daily_history(Decimal(3), entries) == (Decimal(2), [DailyChange(change_day(_at(5)), Decimal(3))])
    assert daily_history(Decimal(3), [(_at(1), [None, 2])]) == (Decimal(3), [])


def test_the_change_day_is_the_local_day_of_the_moment_stored_in_utc() -> None:
    moment = datetime(2026, 11, 5, 12, 0)  # stored without a zone: UTC
    assert change_day(moment) == moment.replace(tzinfo=timezone.utc).astimezone().date()
    assert change_day("2026-11-05 12:00:00.000000") == change_day(moment)
    assert isinstance(change_day(moment), date)
