"""The series the Reports page draws: colour mix at the end of each of the last 12 months, BP and glucose control
rates by quarter, and the residents overdue at the end of each week of the period (the weekly round grid comes
with the figures: :attr:`Figures.weeks`).

**Overdue by week** (DOMAIN §6): for each week of the period that has ended, the residents who, on the Monday
after it, were due at a round already held and not seen since — the overdue list's rule
(:func:`app.domain.scheduling.missed_since`) on the facts as they were that day: who lived there, the colour
confirmed by then, the visits, checks and follow-ups recorded before it, and the rounds held up to the week's
end (the round sheet's own "as of a day" reading, :func:`app.services.rounds.due.load_due_rows_on`). Past
weeks only: a week not over is not drawn."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.domain.colours import TriageColour
from app.domain.report_charts import Stay, colour_mix, month_ends
from app.domain.report_periods import Period, period_weeks, quarter
from app.domain.reports import rate
from app.domain.scheduling import add_years, due_windows_of, missed_since
from app.services.reports.figures import figures_for, permit_figures
from app.services.rounds.calendar import agreements_of, round_calendars
from app.services.triage.rules import current_rules
from app.store.queries import reports as queries
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class ChartSeries:
    months: list[date]  # month ends, oldest first
    colours: list[dict[str, int]]  # per month end: red, yellow, green, "" (none confirmed)
    quarters: list[str]  # labels, oldest first
    bp_control: list[float | None]  # percent
    glucose_control: list[float | None]
    overdue: list[tuple[date, int]] = field(default_factory=list)  # (week's Sunday, residents overdue after it)


def overdue_by_week(
    uow: UnitOfWork, *, period: Period, today: date, institution_id: str | None = None
) -> list[tuple[date, int]]:
    """``(Sunday, residents overdue on the Monday after)`` for each week of ``period`` ended before ``today``
    (inside an open unit of work).

    The facts are read once for all the weeks (:func:`app.store.queries.reports.dated_facts`), then each
    resident is judged at each week's end as the round sheet of that Monday would have (``rounds.due``'s "as of
    a day" reading): living there (a stay covering the day, in residence by the status changes up to it), the
    colour confirmed by then (else the current one), the last visit seen, annual check and chronic follow-up
    recorded before it, the conditions of that day, and the institution's rounds held before it.
    """
    mondays = period_weeks(period, today=today)
    if not mondays:
        return []
    visits = current_rules(uow).rules.visits
    afters = [monday + timedelta(days=7) for monday in mondays]
    until = afters[-1]
    # the rounds not cancelled before the last Monday (no agreed day stands in for a round not made)
    calendars = {
        home: [day.toordinal() for day in days]
        for home, days in round_calendars(
            uow, agreements_of(uow), until=until - timedelta(days=1), virtual_from=until
        ).items()
    }
    facts = queries.dated_facts(uow, mondays[0], until, afters, visits.chronic_follow_up_conditions)
    stays: dict[str, list[Stay]] = {}
    for stay in queries.stays(uow, mondays[0], until, institution_id):
        stays.setdefault(stay.resident_id, []).append(stay)
    decided: dict[str, list[tuple[int, str]]] = {}
    for rid, colour, when in queries.colour_decisions(uow, until):
        decided.setdefault(rid, []).append((when.toordinal(), colour))
    intervals = {colour.value: visits.interval(colour) for colour in TriageColour}
    green = intervals[TriageColour.GREEN.value]
    counts = [0] * len(afters)
    for rid, own in stays.items():
        person = facts.residents.get(rid)
        if person is None:
            continue
        birth, since, current = person
        annual_start = add_years(date.fromordinal(birth), visits.annual_check_age).toordinal()
        seen, checks = facts.seen.get(rid, []), facts.checks.get(rid, [])
        follow_ups = facts.follow_ups.get(rid, [])
        history, statuses = decided.get(rid, []), facts.statuses.get(rid, [])
        for number, after in enumerate(afters):
            day = after.toordinal()
            home = next((s.institution_id for s in own if s.start <= after and (s.end is None or s.end > after)), None)
            if home is None or _status_on(statuses, day) != "in_residence":
                continue
            confirmed = _last_before(history, day + 1)  # a colour confirmed on the day itself counts
            interval = intervals.get(confirmed[1] if confirmed else current, green)
            followed = _last_before(follow_ups, day)
            chronic = rid in facts.chronic[after]
            recheck = visits.recheck_days if chronic and followed is not None and followed[1] >= 1 else None
            windows = due_windows_of(
                interval, annual_start, _last_day(seen, day), since, _last_day(checks, day),
                visits.annual_check_days, chronic, followed[0] if chronic and followed else None,
                visits.chronic_follow_up_days, recheck,
            )  # fmt: skip
            if windows.earliest < day and missed_since(windows, calendars.get(home, ()), day) is not None:
                counts[number] += 1
    return [(after - timedelta(days=1), count) for after, count in zip(afters, counts, strict=True)]


def _last_day(days: list[int], before: int) -> int | None:
    """The last of the sorted ``days`` before ``before``, or None."""
    index = bisect_left(days, before)
    return days[index - 1] if index else None


def _last_before(entries: list[tuple[int, Any]], before: int) -> tuple[int, Any] | None:
    """The last of the entries sorted by day dated before ``before``, or None."""
    index = bisect_left(entries, (before,))
    return entries[index - 1] if index else None


def _status_on(changes: list[tuple[int, str]], day: int) -> str:
    """The residence status on ``day`` by the status changes up to it (none: in residence)."""
    last = _last_before(changes, day + 1)
    return "in_residence" if last is None else str(last[1])


def chart_series(
    uow: UnitOfWork,
    *,
    period: Period,
    today: date,
    institution_id: str | None = None,
    months: int = 12,
    quarters: int = 4,
    progress: Callable[[int, int], None] | None = None,
) -> ChartSeries:
    """Compute the series for the months and quarters up to the end of ``period``."""
    ends = month_ends(period.end, months)
    last_quarter = quarter(period.end.year, (period.end.month - 1) // 3 + 1)
    chosen = [last_quarter]
    for _ in range(quarters - 1):
        chosen.insert(0, chosen[0].previous())
    steps = 2 + len(chosen)
    with uow.reading() as uow:
        permit_figures(uow)
        stays = queries.stays(uow, ends[0], ends[-1], institution_id)
        decisions = queries.colour_decisions(uow, ends[-1])
        mix = colour_mix(ends, stays, decisions)
        if progress is not None:
            progress(1, steps)
        bp: list[float | None] = []
        glucose: list[float | None] = []
        for number, each in enumerate(chosen, start=2):
            counts = figures_for(uow, each, today=today, institution_id=institution_id).counts[""]
            bp.append(rate(counts["ht_controlled"], counts["ht_managed"]))
            glucose.append(rate(counts["dm_controlled"], counts["dm_managed"]))
            if progress is not None:
                progress(number, steps)
        overdue = overdue_by_week(uow, period=period, today=today, institution_id=institution_id)
        if progress is not None:
            progress(steps, steps)
    return ChartSeries(ends, mix, [each.label for each in chosen], bp, glucose, overdue)
