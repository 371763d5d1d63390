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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.report_charts import colour_mix, month_ends
from app.domain.report_periods import Period, period_weeks, quarter
from app.domain.reports import rate
from app.domain.scheduling import missed_since
from app.services.reports.figures import figures_for, permit_figures
from app.services.rounds.calendar import agreements_of, round_calendars
from app.services.rounds.due import load_due_rows_on
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
    (inside an open unit of work)."""
    mondays = period_weeks(period, today=today)
    if not mondays:
        return []
    rules = current_rules(uow).rules
    last = mondays[-1] + timedelta(days=6)
    # the rounds not cancelled up to the last week's end (no agreed day stands in for a round not made)
    calendars = {
        home: [day.toordinal() for day in days]
        for home, days in round_calendars(uow, agreements_of(uow), until=last, virtual_from=last + timedelta(1)).items()
    }
    homes = [home for home, _ in queries.institutions(uow, institution_id)]
    result = []
    for monday in mondays:
        after = monday + timedelta(days=7)
        day = after.toordinal()
        count = 0
        for home in homes:
            rounds = calendars.get(home, [])
            for row in load_due_rows_on(uow, rules=rules, institution_id=home, day=after, round_id=""):
                if row.windows.earliest < day and missed_since(row.windows, rounds, day) is not None:
                    count += 1
        result.append((after - timedelta(days=1), count))
    return result


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
