"""Figures the center reports (DOMAIN §9): periods, the indicators and how each is counted. Pure.

The store reads one row of facts per resident (:class:`ResidentFacts`) and the rounds and agreements of the
institutions (:class:`RoundFacts`, :class:`AgreementFacts`); :func:`compute` turns them into per-institution
figures and a center total. Every resident-level indicator is a value per resident (0/1, or a count such as
visits or bed-days) computed by one function, :func:`resident_values`, so the list behind a figure
(:func:`members`) is exactly the residents whose value is not 0: the number and its list cannot disagree.
A rate is never averaged: it is recomputed from the summed numerator and denominator (so centers' returns
add up into a district's).

The conventions (docs/reports.md explains each):

- **Period**: a month (``2026-11``), a quarter (``2026-Q4``), a year (``2026``) or two dates, inclusive.
- **"In the year"** indicators (annual check, follow-ups, control) count from 1 January of the period end's
  year to the period end (年度累计, year to date), as the national returns do.
- **At period end**: a resident is in residence on a day when a stay (residence period) covers it — from its
  start day up to, not including, its end day — and no departure (discharged, transferred, deceased) dated
  on or before it is recorded. Hospitalised residents keep their place and are counted.
- **Age ≥ 65**: born in or before the year − 65 (年内满 65 岁: one turning 65 in the year counts for that year).
  The blood-pressure target uses the age on the day of the follow-up (≥ 65: below 150/90, else below 140/90).
- **Weeks**: ISO weeks (Monday–Sunday) belong to the period their Thursday falls in, so each week belongs to
  exactly one month, quarter and year. Only weeks that have ended by the day of the report count, and only
  while the institution's agreement runs in that week.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.i18n import register
from app.domain.report_indicators import BY_KEY, INSTITUTION_KEYS, RESIDENT_KEYS, Drill
from app.domain.report_periods import Period, period_weeks

register(
    {
        "field.layout": {"zh_CN": "报表栏目文件", "en": "return layout file"},
        "report.layout.json": {
            "zh_CN": "不是有效的 JSON：{reason}",
            "en": "is not valid JSON: {reason}",
        },
        "report.layout.shape": {
            "zh_CN": '应为 {{"tables": [{{"key":…, "title": {{"zh_CN":…, "en":…}}, "columns": […]}}]}}',
            "en": 'must be {{"tables": [{{"key":…, "title": {{"zh_CN":…, "en":…}}, "columns": […]}}]}}',
        },
        "report.layout.groups": {
            "zh_CN": "表 {table} 的分组栏目应正好覆盖它的 {columns} 栏",
            "en": "the groups of table {table} must cover its {columns} columns exactly",
        },
        "report.layout.unknown": {
            "zh_CN": "表 {table} 第 {column} 栏：没有指标 {key}",
            "en": "table {table}, column {column}: there is no indicator {key}",
        },
    }
)

AGE_ELDERLY = 65
BP_TARGET = (140, 90)
BP_TARGET_ELDERLY = (150, 90)
FASTING_GLUCOSE_TARGET = 7.0  # controlled below this, mmol/L
REGULAR_FOLLOW_UPS = 4  # 规范管理: at least this many follow-ups in the year


# --- rules used by the indicators ----------------------------------------------------------------------


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def elderly_in_year(birth: date, year_: int) -> bool:
    """Aged 65 or more in ``year_`` (年内满 65 岁): born in or before ``year_ - 65``."""
    return birth.year <= year_ - AGE_ELDERLY


def bp_controlled(sbp: int, dbp: int, *, age: int) -> bool:
    """Below 140/90 mmHg; below 150/90 from 65 on (DOMAIN §4)."""
    target_sbp, target_dbp = BP_TARGET_ELDERLY if age >= AGE_ELDERLY else BP_TARGET
    return sbp < target_sbp and dbp < target_dbp


def glucose_controlled(fasting_glucose: float) -> bool:
    """Fasting glucose below 7.0 mmol/L (a random glucose decides nothing: the store passes fasting only)."""
    return fasting_glucose < FASTING_GLUCOSE_TARGET


def agreed_rounds_per_week(min_rounds_per_week: int, weekdays: str) -> int:
    """Rounds a week the agreement asks for: its minimum, or as many as its agreed weekdays, at least 1."""
    days = {part.strip() for part in (weekdays or "").split(",") if part.strip()}
    return max(1, min_rounds_per_week or 0, len(days))


def round_held(status: str, visits: int) -> bool:
    """A round was held when marked done, or still *planned* but with visits recorded at it."""
    return status == "done" or (status == "planned" and visits > 0)


# --- facts read from the store --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResidentFacts:
    """What the indicators need of one resident for one period (read by the store in a few queries)."""

    resident_id: str
    institution_id: str  # where the resident lived at period end (or last, within the period)
    birth_date: date
    at_end: bool  # in residence at period end
    signed_on: date | None = None
    annual_check: bool = False  # an annual health check in the year window
    hypertensive: bool = False  # an active hypertension condition
    ht_follow_ups: int = 0  # chronic follow-ups in the year window
    ht_last_bp: tuple[date, int, int] | None = None  # last follow-up with a BP in the year window
    diabetic: bool = False
    dm_follow_ups: int = 0
    dm_last_glucose: tuple[date, float] | None = None  # last follow-up with a fasting glucose
    colour_end: str = ""  # confirmed colour at period end ("" when none was ever confirmed)
    colour_up: int = 0  # changes to a more severe colour during the period
    colour_down: int = 0
    visits: int = 0  # visits with outcome seen in the period (人次)
    bed_start: date | None = None  # 家庭病床
    bed_end: date | None = None
    referrals_urgent: int = 0  # opened in the period
    referrals_routine: int = 0
    referrals_closed: int = 0  # closed in the period
    referrals_open_end: int = 0  # open at period end
    ad8: int = 0  # AD8 screens in the period
    ad8_positive: int = 0
    care_level: int = 0  # care-level assessments in the period
    bed_periods: tuple[tuple[date, date | None], ...] = ()  # family beds (opened, closed) from the beds' table
    refills: int = 0  # proxy refills dispensed in the period (代配药人次)
    # referrals closed in the period by outcome (DOMAIN §8: admitted, treated and returned, declined, not needed)
    referrals_admitted: int = 0
    referrals_returned: int = 0
    referrals_declined: int = 0
    referrals_not_needed: int = 0
    referrals_overdue: int = 0  # open at period end (today for a period in progress) 14 days or more after opening

    def family_beds(self) -> tuple[tuple[date, date | None], ...]:
        """The family beds: those of the beds' table, else the one of the resident's own dates (older data)."""
        if self.bed_periods:
            return self.bed_periods
        return ((self.bed_start, self.bed_end),) if self.bed_start is not None else ()


@dataclass(frozen=True, slots=True)
class RoundFacts:
    round_id: str
    institution_id: str
    day: date
    status: str
    visits: int


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    institution_id: str
    start: date
    end: date | None
    per_week: int


_MORE_SEVERE = {"green": 0, "yellow": 1, "red": 2}


def colour_rank(colour: str) -> int:
    """0 green, 1 yellow, 2 red (for counting changes up or down)."""
    return _MORE_SEVERE.get(colour, 0)


def bed_days(start: date | None, end: date | None, period: Period, today: date | None = None) -> int:
    """Days a family bed was open within ``period``: from the opening day up to, not including, the closing day.

    Days after ``today`` have not happened: an open bed counts up to and including today, never beyond.
    """
    if start is None:
        return 0
    first = max(start, period.start)
    stop = min(end, period.end + timedelta(days=1)) if end is not None else period.end + timedelta(days=1)
    if today is not None:
        stop = min(stop, today + timedelta(days=1))
    return max(0, (stop - first).days)


def resident_values(facts: ResidentFacts, period: Period, today: date | None = None) -> tuple[int, ...]:
    """The resident's value for each of :data:`RESIDENT_KEYS` (0/1 or a count); nothing after ``today`` counts."""
    at_end = facts.at_end
    year_ = period.end.year
    elderly = at_end and elderly_in_year(facts.birth_date, year_)
    ht = at_end and facts.hypertensive
    dm = at_end and facts.diabetic
    ht_ok = False
    if ht and facts.ht_last_bp is not None:
        day, sbp, dbp = facts.ht_last_bp
        ht_ok = bp_controlled(sbp, dbp, age=age_on(facts.birth_date, day))
    dm_ok = dm and facts.dm_last_glucose is not None and glucose_controlled(facts.dm_last_glucose[1])
    colour = facts.colour_end if at_end else ""
    beds = facts.family_beds()
    opened = sum(1 for start, _ in beds if period.contains(start))
    closed = sum(1 for _, end in beds if end is not None and period.contains(end))
    open_end = at_end and any(start <= period.end and (end is None or end > period.end) for start, end in beds)
    return (
        int(at_end),
        int(at_end and facts.signed_on is not None and facts.signed_on <= period.end),
        facts.visits,
        int(facts.visits > 0),
        int(colour == "red"),
        int(colour == "yellow"),
        int(colour == "green"),
        int(at_end and colour == ""),
        facts.colour_up,
        facts.colour_down,
        int(elderly),
        int(elderly and facts.annual_check),
        int(ht),
        int(ht and facts.ht_follow_ups >= REGULAR_FOLLOW_UPS),
        int(ht_ok),
        int(dm),
        int(dm and facts.dm_follow_ups >= REGULAR_FOLLOW_UPS),
        int(dm_ok),
        opened,
        closed,
        int(open_end),
        sum(bed_days(start, end, period, today) for start, end in beds),
        facts.referrals_urgent,
        facts.referrals_routine,
        facts.referrals_closed,
        facts.referrals_open_end,
        facts.referrals_admitted,
        facts.referrals_returned,
        facts.referrals_declined,
        facts.referrals_not_needed,
        facts.referrals_overdue,
        facts.ad8,
        facts.ad8_positive,
        facts.care_level,
        facts.refills,
        int(facts.refills > 0),
    )


@dataclass(frozen=True)
class WeekCell:
    """One institution's week: the rounds held, cancelled and agreed (for compliance and the grid chart)."""

    institution_id: str
    monday: date
    held: int
    cancelled: int
    agreed: int

    @property
    def compliant(self) -> bool:
        return self.held >= self.agreed


def week_cells(
    rounds: Iterable[RoundFacts], agreements: Iterable[AgreementFacts], period: Period, *, today: date
) -> list[WeekCell]:
    """Every (institution, week) of the period under an agreement, with its rounds (weeks ended before today)."""
    mondays = period_weeks(period, today=today)
    agreed: dict[tuple[str, date], int] = {}
    for agreement in agreements:
        for monday in mondays:
            sunday = monday + timedelta(days=6)
            if agreement.start <= sunday and (agreement.end is None or agreement.end >= monday):
                key = (agreement.institution_id, monday)
                agreed[key] = max(agreed.get(key, 0), agreement.per_week)
    held: dict[tuple[str, date], int] = {}
    cancelled: dict[tuple[str, date], int] = {}
    for row in rounds:
        key = (row.institution_id, row.day - timedelta(days=row.day.weekday()))
        if key not in agreed:
            continue
        if round_held(row.status, row.visits):
            held[key] = held.get(key, 0) + 1
        elif row.status == "cancelled":
            cancelled[key] = cancelled.get(key, 0) + 1
    return [
        WeekCell(institution, monday, held.get((institution, monday), 0), cancelled.get((institution, monday), 0), n)
        for (institution, monday), n in sorted(agreed.items())
    ]


@dataclass
class Figures:
    """The counts of one period: per institution and for the center (``TOTAL``), and the lists behind them."""

    period: Period
    institutions: list[tuple[str, str]]  # (id, name), in the order shown
    counts: dict[str, dict[str, int]]  # institution id or TOTAL -> key -> count
    residents: list[ResidentFacts] = field(default_factory=list)
    rounds: list[RoundFacts] = field(default_factory=list)
    weeks: list[WeekCell] = field(default_factory=list)
    today: date | None = None  # the day of the report: nothing after it counts
    scope: str | None = None  # the one institution counted, or None for all
    residents_read: bool = True  # False: counted by the database, ``residents`` not read yet (read for a list)

    def value(self, key: str, institution: str = "") -> int | float | None:
        """A count, or a rate in percent (None when its denominator is 0)."""
        counts = self.counts.get(institution or TOTAL, {})
        indicator = BY_KEY[key]
        if indicator.is_rate:
            return rate(counts.get(indicator.numerator, 0), counts.get(indicator.denominator, 0))
        return counts.get(key, 0)


TOTAL = ""
"""The key of the center total in :attr:`Figures.counts`."""


def rate(numerator: int, denominator: int) -> float | None:
    """Percent, rounded to one decimal; None when there is nobody to count."""
    return None if denominator == 0 else round(100.0 * numerator / denominator, 1)


def compute(
    period: Period,
    institutions: Sequence[tuple[str, str]],
    residents: Sequence[ResidentFacts],
    rounds: Sequence[RoundFacts],
    agreements: Sequence[AgreementFacts],
    *,
    today: date,
    resident_counts: Mapping[str, Mapping[str, int]] | None = None,
    scope: str | None = None,
) -> Figures:
    """Count every indicator per institution and for the center.

    ``resident_counts`` (institution id -> key -> count), when given, are the resident-level counts as the
    database summed them, and ``residents`` is not looked at (the lists read them later).
    """
    width = len(RESIDENT_KEYS)
    rows: dict[str, list[tuple[int, ...]]] = {}
    if resident_counts is None:
        for facts in residents:
            rows.setdefault(facts.institution_id, []).append(resident_values(facts, period, today))
    counts: dict[str, dict[str, int]] = {}
    for institution_id, _ in institutions:
        if resident_counts is not None:
            given = resident_counts.get(institution_id, {})
            counts[institution_id] = {key: int(given.get(key, 0)) for key in RESIDENT_KEYS}
        else:
            values = rows.get(institution_id)
            sums = [sum(column) for column in zip(*values, strict=True)] if values else [0] * width
            counts[institution_id] = dict(zip(RESIDENT_KEYS, sums, strict=True))
        counts[institution_id].update(dict.fromkeys(INSTITUTION_KEYS, 0))
    for agreement in agreements:
        if (
            agreement.institution_id in counts
            and agreement.start <= period.end
            and (agreement.end is None or agreement.end >= period.start)
        ):
            counts[agreement.institution_id]["signed_institutions"] = 1
    in_period = [row for row in rounds if period.contains(row.day)]
    for row in in_period:
        if row.institution_id not in counts:
            continue
        if round_held(row.status, row.visits):
            counts[row.institution_id]["rounds_held"] += 1
        elif row.status == "cancelled":
            counts[row.institution_id]["rounds_cancelled"] += 1
    weeks = week_cells(rounds, agreements, period, today=today)
    for cell in weeks:
        if cell.institution_id in counts:
            target = counts[cell.institution_id]
            target["weeks"] += 1
            target["rounds_due"] += cell.agreed
            target["weeks_compliant"] += int(cell.compliant)
    total = dict.fromkeys((*RESIDENT_KEYS, *INSTITUTION_KEYS), 0)
    for per_institution in counts.values():
        for key, number in per_institution.items():
            total[key] += number
    counts[TOTAL] = total
    return Figures(
        period, list(institutions), counts, list(residents), in_period, weeks, today, scope, resident_counts is None
    )


def members(
    figures: Figures, key: str, institution: str = ""
) -> list[ResidentFacts] | list[RoundFacts] | list[WeekCell]:
    """The residents (or rounds, or weeks) behind a figure: those that count towards it.

    A rate opens its numerator's list; :func:`members` of its denominator is the rest of the story.
    """
    indicator = BY_KEY[key]
    if indicator.is_rate:
        key = indicator.numerator
        indicator = BY_KEY[key]
    if indicator.drill is Drill.RESIDENTS:
        index = RESIDENT_KEYS.index(key)
        return [
            facts
            for facts in figures.residents
            if (not institution or facts.institution_id == institution)
            and resident_values(facts, figures.period, figures.today)[index] > 0
        ]
    if indicator.drill is Drill.ROUNDS:
        wanted = "cancelled" if key == "rounds_cancelled" else "held"
        return [
            row
            for row in figures.rounds
            if (not institution or row.institution_id == institution)
            and (round_held(row.status, row.visits) if wanted == "held" else row.status == "cancelled")
        ]
    if indicator.drill is Drill.WEEKS:
        return [
            cell
            for cell in figures.weeks
            if (not institution or cell.institution_id == institution) and (key != "weeks_compliant" or cell.compliant)
        ]
    return []
