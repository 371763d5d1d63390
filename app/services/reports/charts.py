"""The series the Reports page draws: colour mix at the end of each of the last 12 months, and BP and glucose
control rates by quarter (the weekly round grid comes with the figures: :attr:`Figures.weeks`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.domain.report_charts import colour_mix, month_ends
from app.domain.report_periods import Period, quarter
from app.domain.reports import rate
from app.services.reports.figures import figures_for, permit_figures
from app.store.queries import reports as queries
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class ChartSeries:
    months: list[date]  # month ends, oldest first
    colours: list[dict[str, int]]  # per month end: red, yellow, green, "" (none confirmed)
    quarters: list[str]  # labels, oldest first
    bp_control: list[float | None]  # percent
    glucose_control: list[float | None]


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
    steps = 1 + len(chosen)
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
    return ChartSeries(ends, mix, [each.label for each in chosen], bp, glucose)
