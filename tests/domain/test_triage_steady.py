"""Tests for app.domain.triage.colour_steady_until: until when a suggestion holds while no fact changes.

The incremental refresh (app.services.triage.incremental) re-evaluates a resident whose facts did not change
only from this day on, so a day it returns too late would leave a wrong colour stored: the property test
checks every day before it, on random facts and rules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.triage import (
    DEFAULT_RULES,
    ResidentFacts,
    TriageRules,
    birthday,
    colour_steady_until,
    suggest_colour,
)

TODAY = date(2026, 11, 16)


def colour(facts: ResidentFacts, day: date, rules: TriageRules = DEFAULT_RULES) -> str:
    suggestion = suggest_colour(facts, rules, day)
    assert suggestion is not None
    return suggestion.colour.value


def test_an_urgent_reading_holds_through_day_30_and_the_colour_may_change_on_day_31() -> None:
    facts = ResidentFacts(birth_date=date(1950, 1, 1), last_bp=(date(2026, 11, 1), 186, 112))
    until = colour_steady_until(facts, DEFAULT_RULES, TODAY)
    assert until == date(2026, 12, 2)  # 1 November + 31 days
    assert colour(facts, until - timedelta(days=1)) == "red"  # 30 days old: still counts
    assert colour(facts, until) == "green"  # 31 days old: expired


def test_a_reading_expiring_over_a_month_end_and_on_29_february() -> None:
    facts = ResidentFacts(birth_date=date(1950, 1, 1), last_glucose=(date(2028, 1, 29), 2.9))
    assert colour_steady_until(facts, DEFAULT_RULES, date(2028, 2, 1)) == date(2028, 2, 29)
    assert colour(facts, date(2028, 2, 28)) == "red"
    assert colour(facts, date(2028, 2, 29)) == "green"


def test_the_80th_birthday_on_29_february_is_1_march_in_other_years() -> None:
    facts = ResidentFacts(birth_date=date(1948, 2, 29), conditions=("hypertension", "diabetes_t2"))
    assert birthday(date(1948, 2, 29), 80) == date(2028, 2, 29)
    assert birthday(date(1947, 2, 28), 80) == date(2027, 2, 28)
    born = date(1944, 2, 29)
    facts = replace(facts, birth_date=born)
    until = colour_steady_until(facts, DEFAULT_RULES, date(2024, 1, 10))
    assert until == date(2024, 2, 29)  # a leap year: the day itself
    assert colour(facts, date(2024, 2, 28)) == "green" and colour(facts, until) == "yellow"
    facts = replace(facts, birth_date=date(1945, 2, 28))
    assert colour_steady_until(facts, DEFAULT_RULES, date(2025, 1, 10)) == date(2025, 2, 28)
    facts = replace(facts, birth_date=date(1948, 2, 29))
    until = colour_steady_until(facts, DEFAULT_RULES, date(2027, 12, 31))
    assert until == date(2028, 2, 29)
    facts = replace(facts, birth_date=date(1947, 2, 28) + timedelta(days=1))  # 1 March 1947
    assert colour_steady_until(facts, DEFAULT_RULES, date(2027, 1, 1)) == date(2027, 3, 1)


def test_no_day_when_nothing_depends_on_time() -> None:
    facts = ResidentFacts(birth_date=date(1930, 5, 5), self_care_score=20, open_referral=(date(2026, 1, 1), "市医院"))
    assert colour_steady_until(facts, DEFAULT_RULES, TODAY) is None


def test_a_reading_dated_ahead_counts_from_its_day() -> None:
    facts = ResidentFacts(birth_date=date(1950, 1, 1), last_spo2=(TODAY + timedelta(days=2), 85))
    assert colour_steady_until(facts, DEFAULT_RULES, TODAY) == TODAY + timedelta(days=2)
    assert colour(facts, TODAY) == "green" and colour(facts, TODAY + timedelta(days=2)) == "red"


def test_family_bed_opens_on_its_start_and_closes_the_day_after_its_end() -> None:
    facts = ResidentFacts(
        birth_date=date(1950, 1, 1),
        family_bed=True,
        family_bed_start=TODAY + timedelta(days=3),
        family_bed_end=TODAY + timedelta(days=10),
    )
    assert colour_steady_until(facts, DEFAULT_RULES, TODAY) == TODAY + timedelta(days=3)
    inside = TODAY + timedelta(days=10)
    assert colour(facts, inside) == "red"
    assert colour_steady_until(facts, DEFAULT_RULES, inside) == inside + timedelta(days=1)
    assert colour(facts, inside + timedelta(days=1)) == "green"


# --- the property: the colour holds on every day before the returned one ------------------------------------

_days = st.integers(min_value=-120, max_value=30).map(lambda n: TODAY + timedelta(days=n))
_maybe_day = st.none() | _days


@st.composite
def _facts(draw: st.DrawFn) -> ResidentFacts:
    return ResidentFacts(
        # around the age rule's birthday (age_min 79–81) within the days looked at
        birth_date=date(1946, 11, 16) + timedelta(days=draw(st.integers(-400, 400))),
        self_care_score=draw(st.none() | st.integers(0, 37)),
        care_level=draw(st.none() | st.integers(0, 6)),
        hospice=draw(st.booleans()),
        family_bed=draw(st.booleans()),
        family_bed_start=draw(_maybe_day),
        family_bed_end=draw(_maybe_day),
        last_bp=draw(st.none() | st.tuples(_days, st.integers(90, 220), st.integers(50, 130))),
        last_glucose=draw(st.none() | st.tuples(_days, st.sampled_from([2.8, 3.9, 4.0, 7.0, 16.6, 16.7, 20.0]))),
        last_spo2=draw(st.none() | st.tuples(_days, st.integers(80, 99))),
        last_temperature=draw(st.none() | st.tuples(_days, st.sampled_from([36.5, 39.0, 39.1, 40.2]))),
        last_pulse=draw(st.none() | st.tuples(_days, st.integers(60, 130))),
        chronic_classes=draw(
            st.lists(st.sampled_from(["controlled", "not_controlled", "adverse_reaction", "complication"]), max_size=3)
        ),
        open_referral=draw(st.none() | st.tuples(_days, st.just("市医院"))),
        back_from_hospital=draw(_maybe_day),
        referral_returned=draw(_maybe_day),
        ad8_score=draw(st.none() | st.integers(0, 8)),
        dementia_diagnosed=draw(st.booleans()),
        conditions=tuple(draw(st.lists(st.sampled_from(["hypertension", "diabetes_t2", "copd"]), max_size=3))),
        last_fall=draw(_maybe_day),
    )


_rules = st.builds(
    lambda valid, back, fall, age: replace(
        DEFAULT_RULES,
        red=replace(DEFAULT_RULES.red, reading_valid_days=valid, back_from_hospital_days=back),
        yellow=replace(DEFAULT_RULES.yellow, fall_within_days=fall, age_min=age),
    ),
    st.integers(1, 60),
    st.integers(0, 40),
    st.integers(0, 200),
    st.integers(79, 81),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(facts=_facts(), rules=_rules, start=st.integers(-30, 30))
def test_the_colour_holds_on_every_day_before_the_day_returned(
    facts: ResidentFacts, rules: TriageRules, start: int
) -> None:
    today = TODAY + timedelta(days=start)
    first = colour(facts, today, rules)
    until = colour_steady_until(facts, rules, today)
    last = until if until is not None else today + timedelta(days=400)
    assert last > today
    day = today + timedelta(days=1)
    while day < last and (day - today).days <= 400:
        assert colour(facts, day, rules) == first, (day, until)
        day += timedelta(days=1)
