"""The center's figures for a period and the one before, per institution and in total (DOMAIN §9).

:func:`compute_report` reads the facts in one read transaction (it never waits for a writer) and counts
them with :func:`app.domain.reports.compute`; :func:`behind` lists the residents, rounds or weeks behind a
figure, counted by the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.domain.permissions import Action
from app.domain.report_indicators import BY_KEY, Drill
from app.domain.report_layout import DEFAULT_LAYOUT, ReturnLayout
from app.domain.report_periods import Period, check_period
from app.domain.reports import Figures, ResidentFacts, RoundFacts, WeekCell, compute, members
from app.services.authz import require
from app.store.queries import reports as queries
from app.store.queries.report_counts import resident_counts
from app.store.uow import UnitOfWork

Progress = Callable[[int, int], None]
"""``progress(done, steps)``: called as the report is computed (the page shows a progress bar)."""


@dataclass(frozen=True)
class Report:
    """A period's figures (and the previous period's, to show beside them)."""

    center: str
    figures: Figures
    previous: Figures | None
    layout: ReturnLayout
    institution_id: str | None
    today: date

    @property
    def period(self) -> Period:
        return self.figures.period

    def institution_name(self, institution_id: str) -> str:
        return dict(self.figures.institutions).get(institution_id, "")


def permit_figures(uow: UnitOfWork) -> None:
    # everybody who may see the records may see the figures; no signed-in actor is the command line
    if uow.actor_id is not None:
        require(uow, Action.VIEW_RECORDS)


def figures_for(uow: UnitOfWork, period: Period, *, today: date, institution_id: str | None = None) -> Figures:
    """Count one period inside an open unit of work."""
    institutions = queries.institutions(uow, institution_id)
    counts = resident_counts(uow, period, today=today, institution_id=institution_id)
    first = min(period.start, period.start - timedelta(days=6))
    last = period.end + timedelta(days=6)
    rounds = queries.round_facts(uow, first, last, institution_id)
    agreements = queries.agreement_facts(uow, institution_id)
    return compute(
        period, institutions, [], rounds, agreements, today=today, resident_counts=counts, scope=institution_id
    )


def with_residents(uow: UnitOfWork, figures: Figures) -> Figures:
    """``figures`` with the facts of each resident read (for the lists behind its figures)."""
    if figures.residents_read:
        return figures
    with uow.reading() as uow:
        permit_figures(uow)
        residents = queries.resident_facts(uow, figures.period, figures.scope, today=figures.today)
    return replace(figures, residents=residents, residents_read=True)


def compute_report(
    uow: UnitOfWork,
    *,
    period: Period,
    today: date,
    institution_id: str | None = None,
    with_previous: bool = True,
    layout: ReturnLayout = DEFAULT_LAYOUT,
    progress: Progress | None = None,
) -> Report:
    """Compute the figures of ``period`` (and of the period before, when ``with_previous``).

    Weeks count for round compliance once they have ended before ``today``; a period in progress is counted
    to date.

    Raises:
        ValidationError: on ``period``, a period that has not begun by ``today``.
        PermissionDenied: the signed-in role may not see records.
    """
    check_period(period, today)
    steps = 2 if with_previous else 1
    with uow.reading() as uow:
        permit_figures(uow)
        if progress is not None:
            progress(0, steps)
        center = queries.center_name(uow)
        figures = figures_for(uow, period, today=today, institution_id=institution_id)
        if progress is not None:
            progress(1, steps)
        previous = None
        if with_previous:
            previous = figures_for(uow, period.previous(), today=today, institution_id=institution_id)
            if progress is not None:
                progress(2, steps)
    return Report(center, figures, previous, layout, institution_id, today)


@dataclass(frozen=True)
class BehindRow:
    """One line of the list behind a figure: a resident, a round or a week."""

    kind: Drill
    id: str
    institution: str
    label: str  # the resident's name, the round's date, the week's Monday
    detail: str  # bed and age; the round's status; the week's rounds held of agreed
    day: date | None = None


def behind(uow: UnitOfWork, figures: Figures, key: str, institution_id: str = "") -> list[BehindRow]:
    """The residents (rounds, weeks) that make the figure ``key`` of ``institution_id`` ("" = the center).

    Raises:
        KeyError: no indicator ``key``.
    """
    indicator = BY_KEY[key]  # an unknown key is an error, not an empty list
    if indicator.drill is Drill.RESIDENTS:
        figures = with_residents(uow, figures)
    listed = members(figures, key, institution_id)
    names = dict(figures.institutions)
    if not listed:
        return []
    first = listed[0]
    if isinstance(first, ResidentFacts):
        facts = {f.resident_id: f for f in listed if isinstance(f, ResidentFacts)}
        with uow.reading() as uow:
            permit_figures(uow)
            rows = queries.resident_rows(uow, facts)
        result = []
        for rid, name, sex, birth, _institution, building, room, bed, _colour, _record in rows:
            place = "-".join(part for part in (building, room, bed) if part)
            born = date.fromisoformat(birth)
            result.append(
                BehindRow(
                    Drill.RESIDENTS,
                    rid,
                    names.get(facts[rid].institution_id, ""),
                    name,
                    f"{place}  {sex}  {born.isoformat()}",
                    born,
                )
            )
        return sorted(result, key=lambda row: (row.institution, row.detail, row.label))
    if isinstance(first, RoundFacts):
        return sorted(
            (
                BehindRow(Drill.ROUNDS, r.round_id, names.get(r.institution_id, ""), r.day.isoformat(), r.status, r.day)
                for r in listed
                if isinstance(r, RoundFacts)
            ),
            key=lambda row: (row.day or date.min, row.institution),
        )
    return sorted(
        (
            BehindRow(
                Drill.WEEKS,
                f"{c.institution_id}:{c.monday}",
                names.get(c.institution_id, ""),
                c.monday.isoformat(),
                f"{c.held}/{c.agreed}",
                c.monday,
            )
            for c in listed
            if isinstance(c, WeekCell)
        ),
        key=lambda row: (row.day or date.min, row.institution),
    )
