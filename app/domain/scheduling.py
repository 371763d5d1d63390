"""Rounds — 巡诊 — and visit intervals: weeks, agreed round dates, due and overdue (DOMAIN §6).

A resident is **due** at a round when something falls due before the institution's next round, so
waiting would overshoot it:

- the colour's interval since the last visit with outcome "seen" (never seen: due at once);
- the annual health check (from the age in the rules, every ``annual_check_days``);
- a chronic-disease follow-up (hypertension, diabetes: every ``chronic_follow_up_days``).

Something due on day *E* is due at round *D* when *E* is before the next round after *D* (with weekly
rounds and the default 7/14/28-day intervals this is "the interval is reached by this round").

A resident is **overdue** when they were due at an earlier round (for any of these reasons) and have not
been seen since. Days overdue count from the first such round. Only the rounds held before today decide it:
the last of them is followed by today (the soonest the next round can be), so planning, moving or cancelling
rounds from today on never changes who is overdue.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.follow_up import ChronicClass
from app.domain.i18n import register, t
from app.domain.triage import DEFAULT_RULES, VisitRules

DEFAULT_INTERVAL_DAYS: dict[TriageColour, int] = {
    TriageColour.RED: 7,
    TriageColour.YELLOW: 14,
    TriageColour.GREEN: 28,
}

FALLBACK_ROUND_GAP = timedelta(days=7)
"""When no later round is known, the next one is assumed a week later (the agreed minimum)."""

register(
    {
        "field.week": {"zh_CN": "周次", "en": "week"},
        "week.format": {
            "zh_CN": "周次应写作 年-W周，如 2026-W47（周一至周日，ISO 周）",
            "en": "write the week as YEAR-Wnn, e.g. 2026-W47 (ISO week, Monday to Sunday)",
        },
        "week.no_such_week": {
            "zh_CN": "{year} 年没有第 {week} 周",
            "en": "{year} has no week {week}",
        },
        "due.colour": {
            "zh_CN": "{colour}色 {interval} 天一访，上次 {last}（隔 {days} 天）",
            "en": "{colour}: every {interval} days, last seen {last} ({days} days)",
        },
        "due.never_seen": {"zh_CN": "入住后尚未巡诊", "en": "not yet seen since admission"},
        "due.annual_check": {
            "zh_CN": "年度体检到期（上次 {last}）",
            "en": "annual health check due (last {last})",
        },
        "due.annual_check_never": {"zh_CN": "尚未做年度体检", "en": "no annual health check yet"},
        "due.chronic_follow_up": {
            "zh_CN": "慢病随访到期（每 {interval} 天，上次 {last}）",
            "en": "chronic follow-up due (every {interval} days, last {last})",
        },
        "due.chronic_follow_up_never": {
            "zh_CN": "尚无慢病随访记录",
            "en": "no chronic follow-up recorded yet",
        },
        "due.recheck": {
            "zh_CN": "{what}后 {interval}内复查（上次随访 {last}）",
            "en": "recheck within {interval} after “{what}” (follow-up of {last})",
        },
        "due.weeks": {"zh_CN": "{n} 周", "en": "{n} weeks"},
        "due.days": {"zh_CN": "{n} 天", "en": "{n} days"},
    }
)


# --- weeks and agreed dates ---------------------------------------------------------------------------


def week_bounds(day: date) -> tuple[date, date]:
    """Return Monday and Sunday of the ISO week that contains ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


_WEEK = re.compile(r"(\d{4})-?[Ww](\d{1,2})")


def parse_week(text: str) -> date:
    """Return the Monday of an ISO week written ``YYYY-Www`` (``2026-W47``; ``2026W47`` is accepted).

    Raises:
        ValidationError: on field ``week`` for another format or a week the year does not have.
    """
    match = _WEEK.fullmatch(text.strip())
    if match is None:
        raise ValidationError("week", text, "week.format")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationError("week", text, "week.no_such_week", year=year, week=week) from None


def week_label(day: date) -> str:
    """Return the ISO week of ``day`` as ``YYYY-Www``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def agreed_dates(weekdays: Iterable[int], monday: date, start: date, end: date | None) -> list[date]:
    """Return the days of the week starting ``monday`` on an agreed weekday while the agreement is in force.

    Args:
        weekdays: ISO weekdays (1 = Monday … 7 = Sunday).
        monday: the Monday of the week.
        start, end: the agreement's first and last day (``end`` None = open-ended).
    """
    days = sorted({monday + timedelta(days=weekday - 1) for weekday in weekdays if 1 <= weekday <= 7})
    return [day for day in days if day >= start and (end is None or day <= end)]


def next_round(rounds: Sequence[date], day: date) -> date:
    """Return the first of the sorted round dates ``rounds`` after ``day``, or a week after ``day``."""
    index = bisect_right(rounds, day)
    return rounds[index] if index < len(rounds) else day + FALLBACK_ROUND_GAP


def previous_round_to_come(rounds: Sequence[date], day: date, today: date) -> date | None:
    """Return the last of the sorted round dates ``rounds`` before ``day`` if it is on or after ``today``, else None.

    A resident due at that round is listed there, not again at ``day`` (:meth:`DueWindows.listed_at`).
    """
    index = bisect_left(rounds, day)
    return rounds[index - 1] if index and rounds[index - 1] >= today else None


# --- due ------------------------------------------------------------------------------------------------


class DueKind(StrEnum):
    """Why a resident is due at a round."""

    COLOUR = "colour"  # the colour's interval since the last visit
    NEVER_SEEN = "never_seen"  # no visit with outcome "seen" yet
    ANNUAL_CHECK = "annual_check"  # 年度健康体检
    CHRONIC_FOLLOW_UP = "chronic_follow_up"  # 慢病随访
    RECHECK = "recheck"  # 控制不满意/不良反应后 2 周内复查


RECHECK_CLASSES = frozenset({"not_controlled", "adverse_reaction", "complication"})
"""A follow-up with one of these classifications is rechecked within ``recheck_days`` (DOMAIN §4): a first
"not controlled" or an adverse reaction within 2 weeks, and so is a second one or a complication (referred,
its outcome followed up within 2 weeks)."""


class DueFacts(NamedTuple):
    """What due and overdue depend on, for one resident in residence.

    A named tuple, because plans build one for each of up to 100 000 residents.

    Attributes:
        colour: the confirmed colour.
        birth_date: date of birth (the annual check starts at an age).
        last_seen: the last visit with outcome "seen", or None.
        since: when counting starts for something never done (admission or signing), or None.
        last_annual_check: the last annual health check, or None.
        chronic_follow_up: whether a condition needs chronic follow-up (hypertension, diabetes).
        last_follow_up: the last chronic follow-up (a visit with a classification), or None.
        follow_up_class: that follow-up's (most severe) classification; one of :data:`RECHECK_CLASSES` makes
            the next follow-up due within ``recheck_days`` (14) instead of ``chronic_follow_up_days`` (90).
    """

    colour: TriageColour
    birth_date: date
    last_seen: date | None = None
    since: date | None = None
    last_annual_check: date | None = None
    chronic_follow_up: bool = False
    last_follow_up: date | None = None
    follow_up_class: str = ""


class DueReason(NamedTuple):
    """One reason a resident is due, formatted in the current language when shown.

    Attributes:
        kind: what is due.
        due_on: the day it fell or falls due.
        last: the last time it was done (None = never).
        interval: the days allowed between two.
        colour: the resident's colour (for the colour interval).
        counts_from: the first day a round can count for it: the day after it was last done, or (never
            done) the day counting starts, e.g. admission.
        what: for a recheck, the classification that asks for it (``not_controlled``, ...).
    """

    kind: DueKind
    due_on: date
    last: date | None
    interval: int
    colour: TriageColour
    counts_from: date = date.min
    what: str = ""

    def text(self, today: date | None = None) -> str:
        """Return the reason in words; ``today`` gives the "days ago" of the colour interval."""
        last = self.last.isoformat() if self.last else ""
        if self.kind is DueKind.COLOUR:
            days = (today - self.last).days if today and self.last else self.interval
            return t("due.colour", colour=self.colour.word, interval=self.interval, last=last, days=days)
        if self.kind is DueKind.NEVER_SEEN:
            return t("due.never_seen")
        if self.kind is DueKind.ANNUAL_CHECK:
            return t("due.annual_check", last=last) if self.last else t("due.annual_check_never")
        if self.kind is DueKind.RECHECK:
            what = ChronicClass(self.what).label
            return t("due.recheck", what=what, interval=interval_words(self.interval), last=last)
        return (
            t("due.chronic_follow_up", last=last, interval=self.interval)
            if self.last
            else t("due.chronic_follow_up_never")
        )


def interval_words(days: int) -> str:
    """Return a number of days in words, as weeks when it is whole weeks ("2 周" / "2 weeks")."""
    return t("due.weeks", n=days // 7) if days % 7 == 0 else t("due.days", n=days)


def add_years(day: date, years: int) -> date:
    """Return the same day ``years`` later; 29 February becomes 1 March in other years (as SQLite counts)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


_new_tuple = tuple.__new__

NEVER = date.max.toordinal() + 1
"""A day ordinal after every date: the due day of something that does not apply."""

FIRST_DAY = date.min.toordinal()


class DueWindows(NamedTuple):
    """For each thing that can make a resident due: the day it falls due and the first day a round counts.

    Day ordinals (``date.toordinal()``), because plans check up to 100 000 residents against each round.
    A thing that does not apply (no chronic follow-up) falls due on :data:`NEVER`.
    """

    colour_due: int
    colour_from: int
    annual_due: int
    annual_from: int
    chronic_due: int
    chronic_from: int

    def due_at(self, round_day: int, next_day: int) -> bool:
        """Return whether anything falls due before ``next_day`` and counts at the round on ``round_day``."""
        return (
            (self.colour_due < next_day and self.colour_from <= round_day)
            or (self.annual_due < next_day and self.annual_from <= round_day)
            or (self.chronic_due < next_day and self.chronic_from <= round_day)
        )

    def listed_at(self, round_day: int, next_day: int, previous_day: int | None) -> bool:
        """Return whether the resident is listed at the round on ``round_day``: due at it, and not already due at
        the institution's round before it on ``previous_day`` (None: no such round still to come).

        Two rounds of a home in one week (Wednesday, Friday) would otherwise both list whoever is due by Friday:
        they are listed once, at the first round still to come (seen there, they are not due at the next).
        """
        return self.due_at(round_day, next_day) and (previous_day is None or not self.due_at(previous_day, round_day))

    @property
    def earliest(self) -> int:
        return min(self.colour_due, self.annual_due, self.chronic_due)


def due_windows_of(
    interval: int,
    annual_start: int,
    last_seen: int | None,
    since: int | None,
    last_check: int | None,
    check_every: int,
    chronic: bool,
    last_follow_up: int | None,
    follow_up_every: int,
    recheck_every: int | None = None,
) -> DueWindows:
    """Return the due windows from day ordinals (the bulk form of :func:`due_windows`; arguments in this order).

    Args:
        interval: days allowed between visits for the resident's colour.
        annual_start: the birthday from which the annual check applies.
        last_seen, last_check, last_follow_up: when each was last done, or None (never).
        since: when counting starts for something never done (admission), or None (always).
        check_every, follow_up_every: days between annual checks, between chronic follow-ups.
        chronic: whether a condition needs chronic follow-up.
        recheck_every: the days to the next follow-up when the last one asks for a recheck (a classification
            of :data:`RECHECK_CLASSES`), or None (it does not: ``follow_up_every``).
    """
    start = FIRST_DAY if since is None else since
    if last_seen is None:
        colour_due, colour_from = start, start
    else:
        colour_due, colour_from = last_seen + interval, last_seen + 1
    if last_check is None:
        annual_due, annual_from = annual_start, start
    else:
        annual_due, annual_from = max(annual_start, last_check + check_every), last_check + 1
    if not chronic:
        chronic_due = chronic_from = NEVER
    elif last_follow_up is None:
        chronic_due, chronic_from = start, start
    else:
        every = follow_up_every if recheck_every is None else recheck_every
        chronic_due, chronic_from = last_follow_up + every, last_follow_up + 1
    # tuple.__new__ rather than DueWindows(...): a quarter of the cost, for 100 000 residents a plan
    return _new_tuple(DueWindows, (colour_due, colour_from, annual_due, annual_from, chronic_due, chronic_from))


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def due_windows(facts: DueFacts, visits: VisitRules = DEFAULT_RULES.visits) -> DueWindows:
    """Return when each thing that applies to the resident falls due, and from which day a round counts for it.

    The colour interval always applies (never seen: due from ``since``); the annual check from the age in
    the rules (never done: due from that birthday); the chronic follow-up when a condition needs it (never
    done: due from ``since``). A round counts for something from the day after it was last done.
    """
    return due_windows_of(
        interval=visits.interval(facts.colour),
        annual_start=add_years(facts.birth_date, visits.annual_check_age).toordinal(),
        last_seen=_ordinal(facts.last_seen),
        since=_ordinal(facts.since),
        last_check=_ordinal(facts.last_annual_check),
        check_every=visits.annual_check_days,
        chronic=facts.chronic_follow_up,
        last_follow_up=_ordinal(facts.last_follow_up),
        follow_up_every=visits.chronic_follow_up_days,
        recheck_every=visits.recheck_days if needs_recheck(facts) else None,
    )


def needs_recheck(facts: DueFacts) -> bool:
    """Return whether the resident's next chronic follow-up is a recheck within ``recheck_days`` (DOMAIN §4)."""
    return facts.chronic_follow_up and facts.last_follow_up is not None and facts.follow_up_class in RECHECK_CLASSES


def due_reasons_on(facts: DueFacts, visits: VisitRules = DEFAULT_RULES.visits) -> tuple[DueReason, ...]:
    """Return, for each thing that applies to the resident, a reason with the day it falls due.

    Not only the overdue ones: :func:`due_at_round` picks those due at a round.
    """
    windows = due_windows(facts, visits)
    colour = facts.colour
    day = date.fromordinal
    seen = facts.last_seen
    reasons = [
        DueReason(
            DueKind.NEVER_SEEN if seen is None else DueKind.COLOUR,
            day(windows.colour_due),
            seen,
            visits.interval(colour),
            colour,
            day(windows.colour_from),
        ),
        DueReason(
            DueKind.ANNUAL_CHECK,
            day(windows.annual_due),
            facts.last_annual_check,
            visits.annual_check_days,
            colour,
            day(windows.annual_from),
        ),
    ]
    if windows.chronic_due != NEVER:
        recheck = needs_recheck(facts)
        reasons.append(
            DueReason(
                DueKind.RECHECK if recheck else DueKind.CHRONIC_FOLLOW_UP,
                day(windows.chronic_due),
                facts.last_follow_up,
                visits.recheck_days if recheck else visits.chronic_follow_up_days,
                colour,
                day(windows.chronic_from),
                facts.follow_up_class if recheck else "",
            )
        )
    return tuple(reasons)


def due_at_round(
    facts: DueFacts, round_date: date, next_round_date: date, visits: VisitRules = DEFAULT_RULES.visits
) -> tuple[DueReason, ...]:
    """Return why the resident is due at the round on ``round_date`` (the institution's next: ``next_round_date``).

    Returns:
        The reasons that fall due before ``next_round_date`` and count at ``round_date``, colour first;
        empty when the resident is not due.
    """
    return tuple(
        reason
        for reason in due_reasons_on(facts, visits)
        if reason.due_on < next_round_date and reason.counts_from <= round_date
    )


def first_due_round(due: int, counts_from: int, rounds: Sequence[int]) -> int | None:
    """Return the first of the sorted round days ``rounds`` (ordinals) at which something was due, or None.

    That is the last round on or before the day it fell due (the next one would be too late), but never
    a round before ``counts_from`` (the day after it was last done, or admission).
    """
    if due >= NEVER:
        return None
    index = max(bisect_right(rounds, due) - 1, bisect_left(rounds, counts_from))
    if index >= len(rounds):
        return None
    day = rounds[index]
    following = rounds[index + 1] if index + 1 < len(rounds) else day + FALLBACK_ROUND_GAP.days
    return day if due < following else None


def held_rounds(rounds: Sequence[int], today: int) -> list[int]:
    """Return the round days (sorted ordinals) before ``today``, followed by ``today`` itself.

    Overdue is about the past only (DOMAIN §6): whether a resident was due at a round already held is judged
    by the rounds held, never by what is planned from today on (planning a round, moving or cancelling one
    would otherwise change who was overdue). The last round held is followed by ``today``, the soonest the
    next round can be: at it the resident counts as due when something fell due before today.
    """
    return [*rounds[: bisect_left(rounds, today)], today]


def missed_since(windows: DueWindows, rounds: Sequence[int], today: int) -> int | None:
    """Return the first round before ``today`` at which the resident was due and since which they were not seen.

    Round days are ordinals; only those before ``today`` are used (:func:`held_rounds`), so the rounds
    planned from today on never change the answer. Only rounds after the last visit with outcome "seen"
    count: a visit settles what was overdue (what is still due shows again at the next round).
    """
    rounds = held_rounds(rounds, today)
    seen_from = windows.colour_from
    missed = [
        day
        for due, counts_from in (
            (windows.colour_due, windows.colour_from),
            (windows.annual_due, max(windows.annual_from, seen_from)),
            (windows.chronic_due, max(windows.chronic_from, seen_from)),
        )
        if (day := first_due_round(due, counts_from, rounds)) is not None and day < today
    ]
    return min(missed) if missed else None


def due_round(reason: DueReason, rounds: Sequence[date]) -> date | None:
    """Return the first of the sorted round dates ``rounds`` at which ``reason`` was due, or None."""
    day = first_due_round(reason.due_on.toordinal(), reason.counts_from.toordinal(), [r.toordinal() for r in rounds])
    return None if day is None else date.fromordinal(day)


@dataclass(frozen=True, slots=True)
class Overdue:
    """A resident overdue on a day: since which round, how many days, and what is outstanding."""

    since: date
    days: int
    reasons: tuple[DueReason, ...]


def overdue_on(
    facts: DueFacts, rounds: Sequence[date], today: date, visits: VisitRules = DEFAULT_RULES.visits
) -> Overdue | None:
    """Return how overdue a resident is on ``today``, or None when nothing is overdue.

    Args:
        facts: the resident's facts as of ``today``.
        rounds: the sorted dates of the institution's rounds that were not cancelled; those from ``today`` on
            are ignored (overdue is about the past only).
        today: the reference day; a round today is not yet missed.
    """
    days = [r.toordinal() for r in rounds]
    since = missed_since(due_windows(facts, visits), days, today.toordinal())
    if since is None:
        return None
    reasons = outstanding(facts, days, today.toordinal(), visits)
    return Overdue(date.fromordinal(since), today.toordinal() - since, reasons)


def outstanding(
    facts: DueFacts, rounds: Sequence[int], today: int, visits: VisitRules = DEFAULT_RULES.visits
) -> tuple[DueReason, ...]:
    """Return why the resident was due at a round before ``today`` held after their last visit (ordinals).

    Like :func:`missed_since`, only the rounds before ``today`` are used.
    """
    rounds = held_rounds(rounds, today)
    reasons = due_reasons_on(facts, visits)
    seen_from = reasons[0].counts_from.toordinal()
    return tuple(
        reason
        for reason in reasons
        if (day := first_due_round(reason.due_on.toordinal(), max(reason.counts_from.toordinal(), seen_from), rounds))
        is not None
        and day < today
    )


def round_dates_before(rounds: Sequence[date], day: date) -> Sequence[date]:
    """Return the round dates before ``day`` (from a sorted sequence)."""
    return rounds[: bisect_left(rounds, day)]


def days_overdue(
    colour: TriageColour,
    last_seen: date | None,
    today: date,
    *,
    intervals: dict[TriageColour, int] = DEFAULT_INTERVAL_DAYS,
    since: date | None = None,
) -> int:
    """Return how many days past its colour's interval a resident is (0 when not overdue).

    The simple calendar measure, without rounds; :func:`overdue_on` is the one the lists use.

    Args:
        colour: the confirmed colour.
        last_seen: date of the last visit with outcome "seen", or None if never seen.
        today: the reference day.
        intervals: days allowed between visits per colour.
        since: when never seen, the day counting starts (e.g. admission or signing); None = not overdue.
    """
    start = last_seen or since
    if start is None:
        return 0
    return max(0, (today - start).days - intervals[colour])
