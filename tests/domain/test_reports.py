"""Report indicators and periods (DOMAIN §9): every rule at its boundary, counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.errors import ValidationError
from app.domain.i18n import set_language
from app.domain.report_layout import DEFAULT_LAYOUT, parse_layout
from app.domain.report_periods import (
    Period,
    PeriodKind,
    check_period,
    in_progress,
    parse_period,
    period_title,
    period_weeks,
    quarter,
)
from app.domain.reports import (
    TOTAL,
    AgreementFacts,
    ResidentFacts,
    RoundFacts,
    agreed_rounds_per_week,
    bed_days,
    bp_controlled,
    compute,
    elderly_in_year,
    glucose_controlled,
    members,
    week_cells,
)

# --- periods -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), PeriodKind.QUARTER),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31), PeriodKind.QUARTER),
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), PeriodKind.MONTH),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), PeriodKind.MONTH),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), PeriodKind.MONTH),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), PeriodKind.YEAR),
        ("2026-10-05..2026-10-18", date(2026, 10, 5), date(2026, 10, 18), PeriodKind.RANGE),
    ],
)
def test_parse_period(text: str, start: date, end: date, kind: PeriodKind) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert parse_period(period.label) == period


@pytest.mark.parametrize("text", ["", "2026-Q5", "2026-13", "2026-00", "26-11", "Q4", "2026-02-30..2026-03-01"])
def test_parse_period_refuses_with_the_forms(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_period(text)
    assert caught.value.field == "period"
    assert "2026-Q4" in caught.value.reason


def test_a_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_period("2026-10-31..2026-10-01")
    assert caught.value.reason_key == "report.period.order"


def test_previous_periods() -> None:
    assert parse_period("2026-Q1").previous() == parse_period("2025-Q4")
    assert parse_period("2026-01").previous() == parse_period("2025-12")
    assert parse_period("2026-03").previous() == parse_period("2026-02")
    assert parse_period("2026").previous() == parse_period("2025")
    assert parse_period("2026-10-05..2026-10-18").previous() == Period(date(2026, 9, 21), date(2026, 10, 4))


def test_year_window_is_year_to_date() -> None:
    assert parse_period("2026-Q2").year_window() == (date(2026, 1, 1), date(2026, 6, 30))
    assert parse_period("2026").year_window() == (date(2026, 1, 1), date(2026, 12, 31))


def test_weeks_belong_to_the_period_of_their_thursday() -> None:
    # 2026-10-01 is a Thursday: the week of Mon 28 Sep belongs to October; Thu 31 Dec → the week of 28 Dec too
    weeks = period_weeks(quarter(2026, 4), today=date(2027, 6, 1))
    assert weeks[0] == date(2026, 9, 28)
    assert weeks[-1] == date(2026, 12, 28)
    assert len(weeks) == 14
    # a week counts once it has ended (its Sunday before today)
    assert period_weeks(quarter(2026, 4), today=date(2026, 10, 4)) == []
    assert period_weeks(quarter(2026, 4), today=date(2026, 10, 5)) == [date(2026, 9, 28)]
    # months add up to the quarter: no week twice, none lost
    months = [parse_period(f"2026-{m}") for m in (10, 11, 12)]
    assert [w for p in months for w in period_weeks(p, today=date(2027, 6, 1))] == weeks


# --- rules -------------------------------------------------------------------------------------------


def test_turning_65_in_the_year_counts_for_the_year() -> None:
    assert elderly_in_year(date(1961, 12, 31), 2026)
    assert not elderly_in_year(date(1962, 1, 1), 2026)


@pytest.mark.parametrize(
    ("sbp", "dbp", "age", "controlled"),
    [
        (139, 89, 64, True),
        (140, 80, 64, False),
        (130, 90, 64, False),
        (149, 89, 65, True),
        (150, 80, 65, False),
        (120, 90, 80, False),
    ],
)
def test_bp_target_depends_on_age(sbp: int, dbp: int, age: int, controlled: bool) -> None:
    assert bp_controlled(sbp, dbp, age=age) is controlled


def test_glucose_target() -> None:
    assert glucose_controlled(6.9)
    assert not glucose_controlled(7.0)


def test_agreed_rounds_per_week() -> None:
    assert agreed_rounds_per_week(1, "2") == 1
    assert agreed_rounds_per_week(1, "1,4") == 2
    assert agreed_rounds_per_week(3, "1") == 3
    assert agreed_rounds_per_week(0, "") == 1


def test_bed_days_count_from_opening_up_to_closing() -> None:
    q4 = quarter(2026, 4)
    assert bed_days(date(2026, 12, 30), None, q4) == 2  # 30 and 31 December
    assert bed_days(date(2026, 9, 1), date(2026, 10, 3), q4) == 2  # 1 and 2 October
    assert bed_days(date(2026, 10, 10), date(2026, 10, 10), q4) == 0
    assert bed_days(date(2026, 8, 1), date(2026, 9, 30), q4) == 0
    assert bed_days(None, None, q4) == 0
    # adjacent periods add up
    months = [parse_period(f"2026-{m}") for m in (10, 11, 12)]
    assert sum(bed_days(date(2026, 9, 15), date(2026, 12, 2), p) for p in months) == bed_days(
        date(2026, 9, 15), date(2026, 12, 2), q4
    )


# --- compute -----------------------------------------------------------------------------------------


Q4 = quarter(2026, 4)
AFTER = date(2027, 1, 10)


def _facts() -> list[ResidentFacts]:
    born_1950 = date(1950, 5, 1)
    return [
        # A: hypertensive, 4 follow-ups, last BP 148/88 at 76: controlled (elderly target); red; annual check
        ResidentFacts(
            "A",
            "home1",
            born_1950,
            True,
            signed_on=date(2025, 3, 1),
            annual_check=True,
            hypertensive=True,
            ht_follow_ups=4,
            ht_last_bp=(date(2026, 12, 1), 148, 88),
            colour_end="red",
            visits=3,
        ),
        # B: hypertensive, 3 follow-ups, turns 65 on 2026-11-20: 145/85 on 2026-11-19 (aged 64) not controlled
        ResidentFacts(
            "B",
            "home1",
            date(1961, 11, 20),
            True,
            hypertensive=True,
            ht_follow_ups=3,
            ht_last_bp=(date(2026, 11, 19), 145, 85),
            colour_end="yellow",
            visits=1,
        ),
        # C: died in November: not at the end; their visits and screens still count
        ResidentFacts(
            "C",
            "home1",
            born_1950,
            False,
            signed_on=date(2024, 1, 1),
            hypertensive=True,
            ht_follow_ups=5,
            ht_last_bp=(date(2026, 10, 1), 120, 70),
            colour_end="red",
            visits=2,
            ad8=1,
            ad8_positive=1,
        ),
        # D: diabetic, glucose 6.8 fasting; family bed open since 2026-12-20; home2
        ResidentFacts(
            "D",
            "home2",
            date(1970, 1, 1),
            True,
            signed_on=date(2026, 12, 31),
            diabetic=True,
            dm_follow_ups=4,
            dm_last_glucose=(date(2026, 12, 2), 6.8),
            bed_start=date(2026, 12, 20),
            referrals_urgent=1,
            referrals_open_end=1,
        ),
        # E: admitted in residence, no colour confirmed yet, signed in 2027 (after the period)
        ResidentFacts("E", "home2", date(1940, 1, 1), True, signed_on=date(2027, 1, 2), colour_up=1),
    ]


def _figures() -> object:
    rounds = [
        RoundFacts("r1", "home1", date(2026, 10, 6), "done", 5),
        RoundFacts("r2", "home1", date(2026, 10, 13), "cancelled", 0),
        RoundFacts("r3", "home1", date(2026, 10, 21), "planned", 2),  # visits recorded: held
        RoundFacts("r4", "home1", date(2026, 10, 28), "planned", 0),  # nothing recorded: not held
        RoundFacts("r5", "home1", date(2027, 1, 2), "done", 1),  # moved into 2027: the week of 28 Dec is Q4's
    ]
    agreements = [AgreementFacts("home1", date(2026, 10, 1), date(2026, 10, 31), 1)]
    institutions = [("home1", "Home 1"), ("home2", "Home 2")]
    return compute(Q4, institutions, _facts(), rounds, agreements, today=AFTER)


def test_compute_counts_by_hand() -> None:
    figures = _figures()
    home1, home2, total = (figures.counts[k] for k in ("home1", "home2", TOTAL))  # type: ignore[attr-defined]
    assert (home1["in_residence"], home2["in_residence"], total["in_residence"]) == (2, 2, 4)
    assert (home1["signed"], home2["signed"]) == (1, 1)  # E signed after the period, C died
    assert figures.value("signing_rate") == 50.0  # type: ignore[attr-defined]
    assert total["visits"] == 6 and total["residents_seen"] == 3
    assert (total["red"], total["yellow"], total["green"], total["unconfirmed"]) == (1, 1, 0, 2)
    assert total["colour_up"] == 1
    # elderly (born ≤ 1961): A, B (turns 65 in 2026), E — not C (died) nor D (born 1970)
    assert total["elderly"] == 3 and total["elderly_checked"] == 1
    assert (total["ht_managed"], total["ht_regular"], total["ht_controlled"]) == (2, 1, 1)
    assert figures.value("ht_regular_rate") == 50.0  # type: ignore[attr-defined]
    assert (total["dm_managed"], total["dm_regular"], total["dm_controlled"]) == (1, 1, 1)
    assert (total["beds_opened"], total["beds_open"], total["bed_days"]) == (1, 1, 12)
    assert (total["referrals_urgent"], total["referrals_open"]) == (1, 1)
    assert (total["ad8"], total["ad8_positive"]) == (1, 1)
    # rounds: r1 done, r3 planned with visits; r2 cancelled; r4 not held; r5 is dated 2027
    assert (home1["rounds_held"], home1["rounds_cancelled"]) == (2, 1)
    assert home1["signed_institutions"] == 1 and home2["signed_institutions"] == 0
    # October's agreement: weeks of 28 Sep (Thu 1 Oct), 5, 12, 19 and 26 Oct; held in 5 and 19 Oct weeks
    assert (home1["weeks"], home1["weeks_compliant"], home1["rounds_due"]) == (5, 2, 5)
    assert figures.value("round_compliance") == 40.0  # type: ignore[attr-defined]
    assert figures.value("ht_control_rate", "home2") is None  # type: ignore[attr-defined]


def test_every_figure_opens_the_list_that_makes_it() -> None:
    figures = _figures()
    for key in ("in_residence", "signed", "elderly", "ht_managed", "ht_controlled", "dm_controlled", "beds_open"):
        listed = members(figures, key)  # type: ignore[arg-type]
        assert len(listed) == figures.counts[TOTAL][key], key  # type: ignore[attr-defined]
    assert [f.resident_id for f in members(figures, "ht_control_rate")] == ["A"]  # type: ignore[arg-type, union-attr]
    assert [r.round_id for r in members(figures, "rounds_held", "home1")] == ["r1", "r3"]  # type: ignore[arg-type, union-attr]
    assert len(members(figures, "weeks_compliant")) == 2  # type: ignore[arg-type]


def test_a_week_with_two_agreed_rounds_needs_two() -> None:
    agreements = [AgreementFacts("h", date(2026, 1, 1), None, 2)]
    rounds = [
        RoundFacts("a", "h", date(2026, 11, 2), "done", 1),
        RoundFacts("b", "h", date(2026, 11, 9), "done", 1),
        RoundFacts("c", "h", date(2026, 11, 12), "done", 1),
    ]
    cells = week_cells(rounds, agreements, parse_period("2026-11"), today=AFTER)
    assert [(c.monday.day, c.held, c.compliant) for c in cells][:2] == [(2, 1, False), (9, 2, True)]


# --- layout ------------------------------------------------------------------------------------------


def test_default_layout_names_only_known_indicators() -> None:
    assert len(DEFAULT_LAYOUT.tables) == 5
    assert DEFAULT_LAYOUT.tables[4].key == "referrals" and "referrals_overdue" in DEFAULT_LAYOUT.keys
    assert "ht_control_rate" in DEFAULT_LAYOUT.keys


def test_layout_override() -> None:
    layout = parse_layout(
        '{"tables": [{"key": "t", "title": "区表", "columns": ["signed", {"key": "visits", "title": "人次"}]}]}'
    )
    assert layout.keys == ("signed", "visits")
    assert layout.tables[0].columns[1].title("zh_CN") == "人次"
    assert layout.tables[0].columns[0].title("en") == "Signed residents"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "JSON"),
        ('{"tables": []}', "tables"),
        ('{"tables": [{"columns": ["signed", "nonsense"]}]}', "nonsense"),
    ],
)
def test_layout_errors_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_layout(text)
    assert words in str(caught.value)


def test_layout_groups_must_cover_the_columns() -> None:
    layout = parse_layout(
        '{"tables": [{"title": "t", "columns": ["signed", "visits", "red"],'
        ' "groups": [{"title": "甲", "columns": 2}, {"title": {"zh_CN": "乙", "en": "B"}, "columns": 1}]}]}'
    )
    assert layout.tables[0].group_titles("en") == [("甲", 2), ("B", 1)]
    with pytest.raises(ValidationError) as caught:
        parse_layout('{"tables": [{"columns": ["signed", "visits"], "groups": [{"title": "x", "columns": 3}]}]}')
    assert caught.value.reason_key == "report.layout.groups"
    assert all(sum(span for _, span in table.groups) == len(table.columns) for table in DEFAULT_LAYOUT.tables)


def test_bed_days_stop_at_today() -> None:
    # report --period 2027 on 6 Dec 2026 counted 365 days per open bed, and the month of December 31
    from app.domain.report_periods import month, year
    from app.domain.reports import bed_days

    today = date(2026, 12, 6)
    opened = date(2026, 11, 20)
    assert bed_days(opened, None, month(2026, 12), today) == 6  # 1-6 December
    assert bed_days(opened, None, month(2026, 11), today) == 11  # 20-30 November, unchanged
    assert bed_days(opened, None, year(2027), today) == 0
    assert bed_days(opened, date(2026, 12, 3), month(2026, 12), today) == 2  # closed: 1-2 December
    assert bed_days(opened, None, month(2026, 12)) == 31  # without a day, the whole period (as before)


def test_a_period_not_begun_is_refused_one_in_progress_is_to_date() -> None:
    today = date(2026, 12, 6)
    with pytest.raises(ValidationError) as refused:
        check_period(parse_period("2027-Q3"), today)
    assert refused.value.field == "period" and "2027-07-01" in str(refused.value)
    with pytest.raises(ValidationError):
        check_period(parse_period("2026-12-07..2026-12-31"), today)  # starts tomorrow
    assert check_period(parse_period("2026-12"), today).label == "2026-12"  # begun today-ish: allowed
    assert in_progress(parse_period("2026-Q4"), today) and not in_progress(parse_period("2026-Q3"), today)
    assert in_progress(parse_period("2026-12-06..2026-12-06"), today)  # today itself: to date
    set_language("en")
    assert period_title(parse_period("2026-Q4"), today) == "2026-Q4 (to date, 2026-12-06)"
    assert period_title(parse_period("2026-Q3"), today) == "2026-Q3"
