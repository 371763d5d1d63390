"""Tests for app.domain.scheduling: weeks, agreed days, due at a round and overdue (DOMAIN §6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.i18n import set_language
from app.domain.scheduling import (
    NEVER,
    DueFacts,
    DueKind,
    add_years,
    agreed_dates,
    days_overdue,
    due_at_round,
    due_reasons_on,
    due_round,
    due_windows,
    first_due_round,
    interval_words,
    next_round,
    overdue_on,
    parse_week,
    week_bounds,
    week_label,
)
from app.domain.triage import DEFAULT_RULES

RED, YELLOW, GREEN = TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN
MONDAY = date(2026, 11, 16)
BORN = date(1940, 3, 1)  # 86: the annual check applies


def days(n: int) -> timedelta:
    return timedelta(days=n)


def checked(**values: object) -> DueFacts:
    """Return the facts of a resident whose annual check is recent, changed by ``values``."""
    values.setdefault("birth_date", BORN)
    values.setdefault("last_annual_check", MONDAY - days(100))
    values.setdefault("since", date(2020, 1, 1))
    return DueFacts(**values)  # type: ignore[arg-type]


def kinds(reasons: tuple[object, ...]) -> list[DueKind]:
    return [reason.kind for reason in reasons]  # type: ignore[attr-defined]


# --- weeks ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W47", date(2026, 11, 16)),
        ("2026W47", date(2026, 11, 16)),
        ("2026-w01", date(2025, 12, 29)),
        (" 2026-W53 ", date(2026, 12, 28)),
        ("2027-W1", date(2027, 1, 4)),
    ],
)
def test_parse_week(text: str, monday: date) -> None:
    assert parse_week(text) == monday


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-47", "week.format"),
        ("W47", "week.format"),
        ("2026-W", "week.format"),
        ("", "week.format"),
        ("2026-11-16", "week.format"),
        ("2027-W53", "week.no_such_week"),
        ("2026-W00", "week.no_such_week"),
    ],
)
def test_bad_weeks_are_refused_naming_the_field(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_week(text)
    assert caught.value.field == "week" and caught.value.reason_key == reason
    set_language("en")
    assert "week" in str(caught.value) and text in str(caught.value)


def test_week_label_and_bounds() -> None:
    assert week_label(date(2026, 11, 22)) == "2026-W47"
    assert week_label(date(2027, 1, 1)) == "2026-W53"
    assert week_bounds(date(2026, 11, 19)) == (MONDAY, date(2026, 11, 22))


def test_agreed_dates_within_the_agreement() -> None:
    assert agreed_dates((1, 4), MONDAY, date(2026, 1, 1), None) == [MONDAY, MONDAY + days(3)]
    assert agreed_dates((4, 1, 4), MONDAY, MONDAY + days(1), None) == [MONDAY + days(3)]
    assert agreed_dates((1, 4), MONDAY, date(2026, 1, 1), MONDAY) == [MONDAY]
    assert agreed_dates((7,), MONDAY, date(2026, 1, 1), None) == [MONDAY + days(6)]
    assert agreed_dates((1,), MONDAY, date(2027, 1, 1), None) == []


def test_next_round_is_the_next_date_or_a_week_later() -> None:
    rounds = [MONDAY, MONDAY + days(3), MONDAY + days(7)]
    assert next_round(rounds, MONDAY) == MONDAY + days(3)
    assert next_round(rounds, MONDAY + days(1)) == MONDAY + days(3)
    assert next_round(rounds, MONDAY + days(7)) == MONDAY + days(14)
    assert next_round([], MONDAY) == MONDAY + days(7)


def test_add_years_keeps_29_february_as_1_march() -> None:
    assert add_years(date(1960, 2, 29), 65) == date(2025, 3, 1)
    assert add_years(date(1960, 2, 29), 64) == date(2024, 2, 29)
    assert add_years(date(1960, 5, 3), 65) == date(2025, 5, 3)


# --- due at a round -------------------------------------------------------------------------------------------

WEEKLY = MONDAY + days(7)


@pytest.mark.parametrize(
    ("colour", "seen_days_ago", "next_day", "due"),
    [
        # weekly rounds: the interval is reached by this round
        (RED, 7, WEEKLY, True),
        (RED, 6, WEEKLY, True),  # waiting for next Monday would make 13 days
        (RED, 0, WEEKLY, False),  # seen today at this round
        (YELLOW, 14, WEEKLY, True),
        (YELLOW, 8, WEEKLY, True),  # 15 days by the next round
        (YELLOW, 7, WEEKLY, False),  # exactly 14 days by the next round: then
        (GREEN, 28, WEEKLY, True),
        (GREEN, 22, WEEKLY, True),
        (GREEN, 21, WEEKLY, False),
        # twice a week (Monday and Thursday): red seen last Thursday waits for this Thursday;
        # seen on a Wednesday in between, it cannot wait that long
        (RED, 4, MONDAY + days(3), False),
        (RED, 5, MONDAY + days(3), True),
    ],
)
def test_colour_interval(colour: TriageColour, seen_days_ago: int, next_day: date, due: bool) -> None:
    facts = checked(colour=colour, last_seen=MONDAY - days(seen_days_ago))
    reasons = due_at_round(facts, MONDAY, next_day)
    assert bool(reasons) is due
    if due:
        assert kinds(reasons) == [DueKind.COLOUR]
        assert reasons[0].due_on == MONDAY - days(seen_days_ago) + days(DEFAULT_RULES.visits.interval(colour))


def test_seen_on_the_round_day_is_not_due_even_with_a_one_day_interval() -> None:
    rules = replace(DEFAULT_RULES.visits, red_days=1)
    assert due_at_round(checked(colour=RED, last_seen=MONDAY), MONDAY, WEEKLY, rules) == ()
    assert kinds(due_at_round(checked(colour=RED, last_seen=MONDAY - days(1)), MONDAY, WEEKLY, rules)) == [
        DueKind.COLOUR
    ]


def test_never_seen_is_due_from_admission() -> None:
    assert kinds(due_at_round(checked(colour=GREEN, since=MONDAY - days(3)), MONDAY, WEEKLY)) == [DueKind.NEVER_SEEN]
    assert kinds(due_at_round(checked(colour=GREEN, since=MONDAY), MONDAY, WEEKLY)) == [DueKind.NEVER_SEEN]
    assert due_at_round(checked(colour=GREEN, since=MONDAY + days(1)), MONDAY, WEEKLY) == ()
    assert kinds(due_at_round(checked(colour=GREEN, since=None), MONDAY, WEEKLY)) == [DueKind.NEVER_SEEN]


@pytest.mark.parametrize(
    ("birth", "last_check", "due"),
    [
        (date(1961, 11, 22), None, True),  # turns 65 before the next round
        (date(1961, 11, 23), None, False),  # turns 65 on the day of the next round: then
        (BORN, None, True),  # never checked
        (BORN, MONDAY - days(365), True),
        (BORN, MONDAY - days(359), True),  # falls due before the next round
        (BORN, MONDAY - days(358), False),  # falls due on the next round
        (date(1961, 11, 1), MONDAY - days(400), True),
    ],
)
def test_annual_check(birth: date, last_check: date | None, due: bool) -> None:
    facts = DueFacts(GREEN, birth, last_seen=MONDAY - days(1), since=date(2020, 1, 1), last_annual_check=last_check)
    assert (DueKind.ANNUAL_CHECK in kinds(due_at_round(facts, MONDAY, WEEKLY))) is due


@pytest.mark.parametrize(
    ("chronic", "last_follow_up", "due"),
    [
        (False, None, False),
        (True, None, True),
        (True, MONDAY - days(90), True),
        (True, MONDAY - days(84), True),
        (True, MONDAY - days(83), False),
    ],
)
def test_chronic_follow_up(chronic: bool, last_follow_up: date | None, due: bool) -> None:
    facts = checked(colour=GREEN, last_seen=MONDAY - days(1), chronic_follow_up=chronic, last_follow_up=last_follow_up)
    assert (DueKind.CHRONIC_FOLLOW_UP in kinds(due_at_round(facts, MONDAY, WEEKLY))) is due


def test_reasons_are_listed_colour_first_and_read_as_words() -> None:
    facts = checked(
        colour=RED,
        last_seen=MONDAY - days(7),
        last_annual_check=MONDAY - days(370),
        chronic_follow_up=True,
        last_follow_up=MONDAY - days(95),
    )
    reasons = due_at_round(facts, MONDAY, WEEKLY)
    assert kinds(reasons) == [DueKind.COLOUR, DueKind.ANNUAL_CHECK, DueKind.CHRONIC_FOLLOW_UP]
    set_language("en")
    assert [r.text(MONDAY) for r in reasons] == [
        "Red: every 7 days, last seen 2026-11-09 (7 days)",
        "annual health check due (last 2025-11-11)",
        "chronic follow-up due (every 90 days, last 2026-08-13)",
    ]
    set_language("zh_CN")
    assert reasons[0].text(MONDAY) == "红色 7 天一访，上次 2026-11-09（隔 7 天）"
    never = due_reasons_on(DueFacts(GREEN, BORN, chronic_follow_up=True))
    assert [r.text() for r in never] == ["入住后尚未巡诊", "尚未做年度体检", "尚无慢病随访记录"]


def test_windows_mark_what_does_not_apply() -> None:
    windows = due_windows(checked(colour=GREEN, last_seen=MONDAY))
    assert windows.chronic_due == NEVER and windows.colour_due == (MONDAY + days(28)).toordinal()
    assert windows.earliest == windows.colour_due


# --- overdue --------------------------------------------------------------------------------------------------

ROUNDS = [MONDAY - days(7 * n) for n in range(8, 0, -1)] + [MONDAY, MONDAY + days(7)]  # weekly, past and next


def test_overdue_counts_from_the_first_round_it_was_due_and_not_seen() -> None:
    facts = checked(colour=RED, last_seen=MONDAY - days(21))
    overdue = overdue_on(facts, ROUNDS, MONDAY + days(2))
    assert overdue is not None
    assert overdue.since == MONDAY - days(14) and overdue.days == 16
    assert kinds(overdue.reasons) == [DueKind.COLOUR]


def test_seen_at_the_last_round_is_not_overdue() -> None:
    assert overdue_on(checked(colour=RED, last_seen=MONDAY - days(7)), ROUNDS, MONDAY - days(1)) is None
    assert overdue_on(checked(colour=RED, last_seen=MONDAY), ROUNDS, MONDAY + days(3)) is None


def test_a_round_today_is_not_yet_missed() -> None:
    facts = checked(colour=RED, last_seen=MONDAY - days(7))
    assert overdue_on(facts, ROUNDS, MONDAY) is None
    overdue = overdue_on(facts, ROUNDS, MONDAY + days(1))
    assert overdue is not None and overdue.since == MONDAY and overdue.days == 1


def test_yellow_is_overdue_after_the_round_before_its_interval_runs_out() -> None:
    facts = checked(colour=YELLOW, last_seen=MONDAY - days(14))
    overdue = overdue_on(facts, ROUNDS, MONDAY + days(5))
    assert overdue is not None and overdue.since == MONDAY
    facts = checked(colour=YELLOW, last_seen=MONDAY - days(7))
    assert overdue_on(facts, ROUNDS, MONDAY + days(5)) is None


def test_a_cancelled_round_is_not_a_missed_round() -> None:
    without_monday = [day for day in ROUNDS if day != MONDAY]
    facts = checked(colour=RED, last_seen=MONDAY - days(7))
    assert overdue_on(facts, without_monday, MONDAY + days(3)) is None
    overdue = overdue_on(facts, without_monday, MONDAY + days(8))
    assert overdue is not None and overdue.since == MONDAY + days(7)


def test_a_visit_settles_what_was_overdue() -> None:
    # the annual check has been due for weeks, but the resident was seen at last week's round: not overdue
    # until a round after that visit is missed
    facts = checked(colour=GREEN, last_seen=MONDAY - days(7), last_annual_check=MONDAY - days(400))
    assert overdue_on(facts, ROUNDS, MONDAY) is None
    overdue = overdue_on(facts, ROUNDS, MONDAY + days(1))
    assert overdue is not None and overdue.since == MONDAY
    # not seen since that round: overdue for the annual check, counted from the round after the visit
    facts = checked(colour=GREEN, last_seen=MONDAY - days(20), last_annual_check=MONDAY - days(400))
    overdue = overdue_on(facts, ROUNDS, MONDAY + days(1))
    assert overdue is not None and overdue.since == MONDAY - days(14)
    assert kinds(overdue.reasons) == [DueKind.ANNUAL_CHECK]


def test_never_seen_is_overdue_from_the_first_round_after_admission() -> None:
    facts = checked(colour=GREEN, since=MONDAY - days(10))
    overdue = overdue_on(facts, ROUNDS, MONDAY + days(1))
    assert overdue is not None and overdue.since == MONDAY - days(7) and overdue.days == 8
    assert overdue_on(checked(colour=GREEN, since=MONDAY + days(1)), ROUNDS, MONDAY + days(1)) is None


def test_no_rounds_no_overdue() -> None:
    assert overdue_on(checked(colour=RED, last_seen=MONDAY - days(60)), [], MONDAY) is None


def test_due_round_of_a_reason() -> None:
    reason = due_reasons_on(checked(colour=RED, last_seen=MONDAY - days(21)))[0]
    assert due_round(reason, ROUNDS) == MONDAY - days(14)
    assert first_due_round(NEVER, 1, [r.toordinal() for r in ROUNDS]) is None


def test_days_overdue_calendar_measure_still_works() -> None:
    assert days_overdue(RED, MONDAY - days(10), MONDAY) == 3
    assert days_overdue(GREEN, None, MONDAY) == 0
    assert days_overdue(GREEN, None, MONDAY, since=MONDAY - days(30)) == 2


# --- the fast form agrees with the reasons ------------------------------------------------------------------

day_offsets = st.integers(min_value=-400, max_value=10)
maybe_day = st.one_of(st.none(), day_offsets.map(lambda n: MONDAY + days(n)))


@st.composite
def due_facts(draw: st.DrawFn) -> DueFacts:
    return DueFacts(
        colour=draw(st.sampled_from(list(TriageColour))),
        birth_date=MONDAY - days(draw(st.integers(min_value=60 * 365, max_value=70 * 365))),
        last_seen=draw(maybe_day),
        since=draw(maybe_day),
        last_annual_check=draw(maybe_day),
        chronic_follow_up=draw(st.booleans()),
        last_follow_up=draw(maybe_day),
    )


@settings(max_examples=300, deadline=None)
@given(facts=due_facts(), round_offset=st.integers(0, 6), gap=st.integers(1, 14))
def test_windows_decide_exactly_when_reasons_exist(facts: DueFacts, round_offset: int, gap: int) -> None:
    round_day = MONDAY + days(round_offset)
    next_day = round_day + days(gap)
    assert due_windows(facts).due_at(round_day.toordinal(), next_day.toordinal()) is bool(
        due_at_round(facts, round_day, next_day)
    )


@settings(max_examples=300, deadline=None)
@given(facts=due_facts(), today_offset=st.integers(-20, 10), skipped=st.sets(st.integers(0, 9), max_size=3))
def test_overdue_is_the_first_missed_round_after_the_last_visit(
    facts: DueFacts, today_offset: int, skipped: set[int]
) -> None:
    rounds = [day for index, day in enumerate(ROUNDS) if index not in skipped]
    today = MONDAY + days(today_offset)
    seen_from = due_reasons_on(facts)[0].counts_from
    held = [day for day in rounds if day < today]  # the last round held is followed by today
    expected = None
    for day in held:
        if day < seen_from:
            continue
        if due_at_round(facts, day, next_round([*held, today], day)):
            expected = day
            break
    overdue = overdue_on(facts, rounds, today)
    assert (overdue.since if overdue else None) == expected


# --- issue 14, item 5: overdue is about the past only ---------------------------------------------------------

SUNDAY = date(2026, 12, 6)
WEDNESDAY = SUNDAY - days(4)
HELD = [WEDNESDAY - days(7 * n) for n in range(6, 0, -1)] + [WEDNESDAY - days(2), WEDNESDAY]  # Mon + Wed


def test_planning_next_week_never_changes_who_is_overdue_the_issues_case() -> None:
    # red, seen 6 days ago (last Monday): due tomorrow. Moving tomorrow's round to Friday made them
    # "4 days overdue" (since Wednesday's round), as if waiting for Friday had been known on Wednesday
    facts = checked(colour=RED, last_seen=SUNDAY - days(6))
    assert SUNDAY.weekday() == 6
    as_agreed = [*HELD, SUNDAY + days(1), SUNDAY + days(3)]
    moved = [*HELD, SUNDAY + days(3), SUNDAY + days(5)]
    for planned in (as_agreed, moved, HELD, [*HELD, SUNDAY + days(40)]):
        assert overdue_on(facts, planned, SUNDAY) is None
    # on Tuesday, not seen: with Monday's round held they missed it; with no round since Wednesday they
    # were due at Wednesday's (the last chance before their day), whatever is planned from Tuesday on
    overdue = overdue_on(facts, as_agreed, SUNDAY + days(2))
    assert overdue is not None and (overdue.since, overdue.days) == (SUNDAY + days(1), 1)
    for planned in (moved, HELD, [*HELD, SUNDAY + days(2)]):
        overdue = overdue_on(facts, planned, SUNDAY + days(2))
        assert overdue is not None and (overdue.since, overdue.days) == (WEDNESDAY, 6)


def test_overdue_starts_the_day_after_it_falls_due_when_no_round_was_held_since() -> None:
    facts = checked(colour=RED, last_seen=WEDNESDAY - days(4))  # due on Saturday
    assert overdue_on(facts, [*HELD, SUNDAY + days(1)], WEDNESDAY + days(3)) is None  # Saturday itself
    overdue = overdue_on(facts, [*HELD, SUNDAY + days(1)], SUNDAY)
    assert overdue is not None and overdue.since == WEDNESDAY and overdue.days == 4
    # a round held before it fell due, after Wednesday (on Friday), is the round it was due at
    overdue = overdue_on(facts, [*HELD, WEDNESDAY + days(2)], SUNDAY)
    assert overdue is not None and overdue.since == WEDNESDAY + days(2)


def test_on_29_february_only_the_rounds_held_count() -> None:
    leap_day = date(2028, 2, 29)  # a Tuesday
    held = [leap_day - days(8), leap_day - days(1)]  # Mondays
    facts = checked(colour=YELLOW, last_seen=leap_day - days(14), last_annual_check=leap_day - days(10))
    assert overdue_on(facts, [*held, leap_day + days(6)], leap_day) is None  # due today: not yet overdue
    overdue = overdue_on(facts, [*held, leap_day + days(6)], leap_day + days(1))
    assert overdue is not None and (overdue.since, overdue.days) == (leap_day - days(1), 2)
    # a birthday on 29 February: the annual check falls due on 1 March in other years
    born = date(1948, 2, 29)
    due = due_windows(DueFacts(GREEN, born, last_seen=date(2013, 2, 20), since=date(2010, 1, 1)))
    assert date.fromordinal(due.annual_due) == date(2013, 3, 1)


@settings(max_examples=300, deadline=None)
@given(
    facts=due_facts(),
    today_offset=st.integers(-20, 10),
    planned=st.sets(st.integers(0, 30), max_size=6),
    other=st.sets(st.integers(0, 30), max_size=6),
)
def test_rounds_planned_from_today_on_never_change_overdue(
    facts: DueFacts, today_offset: int, planned: set[int], other: set[int]
) -> None:
    today = MONDAY + days(today_offset)
    held = [day for day in ROUNDS if day < today]
    first = overdue_on(facts, held + sorted(today + days(n) for n in planned), today)
    second = overdue_on(facts, held + sorted(today + days(n) for n in other), today)
    assert first == second


# --- the 2-week recheck (DOMAIN §4, issue #16 item 1) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("follow_up_class", "days_ago", "kind"),
    [
        ("not_controlled", 14, DueKind.RECHECK),
        ("not_controlled", 8, DueKind.RECHECK),  # due by next Monday - 1 (day 14 is Sunday): this round
        ("not_controlled", 7, None),  # day 14 is next Monday, the next round: due there
        ("controlled", 14, None),  # 90 days
        ("controlled", 84, DueKind.CHRONIC_FOLLOW_UP),
        ("", 84, DueKind.CHRONIC_FOLLOW_UP),
        ("adverse_reaction", 7, None),
        ("adverse_reaction", 13, DueKind.RECHECK),
    ],
)
def test_recheck_boundaries_with_weekly_rounds(follow_up_class: str, days_ago: int, kind: DueKind | None) -> None:
    facts = checked(
        colour=GREEN,
        last_seen=MONDAY - days(days_ago),
        chronic_follow_up=True,
        last_follow_up=MONDAY - days(days_ago),
        follow_up_class=follow_up_class,
    )
    chronic = (DueKind.RECHECK, DueKind.CHRONIC_FOLLOW_UP)
    found = [k for k in kinds(due_at_round(facts, MONDAY, WEEKLY)) if k in chronic]
    assert found == ([kind] if kind else [])


def test_the_recheck_reason_says_why_in_both_languages() -> None:
    facts = checked(
        colour=GREEN,
        last_seen=MONDAY - days(14),
        chronic_follow_up=True,
        last_follow_up=MONDAY - days(14),
        follow_up_class="not_controlled",
    )
    reason = next(r for r in due_at_round(facts, MONDAY, WEEKLY) if r.kind is DueKind.RECHECK)
    set_language("zh_CN")
    assert reason.text(MONDAY) == "控制不满意后 2 周内复查（上次随访 2026-11-02）"
    set_language("en")
    assert reason.text(MONDAY) == "recheck within 2 weeks after “Not controlled” (follow-up of 2026-11-02)"
    assert interval_words(10) == "10 days"


def test_a_recheck_needs_a_chronic_condition_and_an_overdue_recheck_is_listed() -> None:
    no_condition = checked(
        colour=GREEN, last_seen=MONDAY - days(14), last_follow_up=MONDAY - days(14), follow_up_class="not_controlled"
    )
    assert DueKind.RECHECK not in kinds(due_at_round(no_condition, MONDAY, WEEKLY))
    missed = checked(
        colour=GREEN,
        last_seen=MONDAY - days(21),
        chronic_follow_up=True,
        last_follow_up=MONDAY - days(21),
        follow_up_class="not_controlled",
    )
    rounds = [MONDAY - days(14), MONDAY - days(7)]
    overdue = overdue_on(missed, rounds, MONDAY)
    assert overdue is not None and overdue.since == MONDAY - days(7) and overdue.days == 7
    assert DueKind.RECHECK in kinds(overdue.reasons)
