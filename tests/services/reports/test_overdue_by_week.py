"""Overdue by week (the Reports page's fourth chart): the overdue list's rule on each past week's facts, by hand.

康宁养老院, rounds on Tuesdays, all held: Oct 6 … Nov 24. Everyone under 65, no chronic condition, so only the
colour's interval makes them due (red 7 days, yellow 14, green 28). November 2026's weeks (their Thursday in
November): Nov 2–8, 9–15, 16–22, 23–29; each is judged on the Monday after it, report day 6 December.

  X  green, seen Oct 6: due Nov 3, missed at the Nov 3 round → overdue after every week.
  Y  red, seen at every round but Nov 17 (Nov 10, then Nov 24) → overdue only after the week of Nov 16–22.
  Z  yellow, seen Oct 27: due Nov 10, the Nov 10 round missed → overdue from the week of Nov 9–15 on.
  W  yellow, admitted Nov 18, never seen: due from admission, the Nov 24 round missed → only after Nov 23–29.
  V  green, seen Sep 1, left on Nov 12 → overdue after Nov 2–8 only (then not living there).
  → 2 (X, V), 2 (X, Z), 3 (X, Y, Z), 3 (X, Z, W).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from app.bootstrap import AppContext, open_context
from app.domain.report_periods import Period, parse_period, period_weeks
from app.domain.scheduling import missed_since
from app.services.reports.charts import overdue_by_week
from app.services.rounds.calendar import agreements_of, round_calendars
from app.services.rounds.due import load_due_rows_on
from app.services.triage.rules import current_rules
from app.store.models import Agreement, Institution, ResidencePeriod, Resident, Round, TriageDecision, Visit
from app.store.queries import reports as queries
from app.store.uow import UnitOfWork


def test_overdue_at_the_end_of_each_week_counted_by_hand(tmp_path: Path) -> None:
    context = open_context(tmp_path / "overdue.sqlite")
    try:
        with context.uow() as uow:
            s = uow.session
            home = Institution(name="康宁养老院", kind="nursing_home", beds=50)
            s.add(home)
            s.flush()
            s.add(Agreement(institution_id=home.id, start_date=date(2026, 1, 1), round_weekdays="2"))
            rounds = {}
            for number in range(8):
                day = date(2026, 10, 6) + timedelta(weeks=number)
                row = Round(institution_id=home.id, round_date=day, status="done")
                s.add(row)
                s.flush()
                rounds[day] = row.id

            def resident(name: str, serial: int, colour: str, admitted: date, left: date | None = None) -> str:
                row = Resident(
                    name=name,
                    sex="F",
                    birth_date=date(1970, 1, serial),
                    id_number=f"11010519700{serial:03d}0000"[:17] + "X",
                    institution_id=home.id,
                    admission_date=admitted,
                    status="discharged" if left else "in_residence",
                    status_date=left,
                )
                s.add(row)
                s.flush()
                s.add(ResidencePeriod(resident_id=row.id, institution_id=home.id, start_date=admitted, end_date=left))
                moment = datetime(max(admitted, date(2026, 9, 1)).year, max(admitted, date(2026, 9, 1)).month,
                                  max(admitted, date(2026, 9, 1)).day, 9, tzinfo=timezone.utc)  # fmt: skip
                s.add(TriageDecision(resident_id=row.id, colour=colour, suggested_colour=colour, decided_at=moment))
                return row.id

            def seen(rid: str, *days: date) -> None:
                for day in days:
                    s.add(Visit(resident_id=rid, visit_date=day, outcome="seen", round_id=rounds.get(day)))

            x = resident("X", 1, "green", date(2026, 1, 1))
            seen(x, date(2026, 10, 6))
            y = resident("Y", 2, "red", date(2026, 1, 1))
            seen(y, *[date(2026, 10, 6) + timedelta(weeks=n) for n in range(8) if n != 6])
            z = resident("Z", 3, "yellow", date(2026, 1, 1))
            seen(z, date(2026, 10, 27))
            resident("W", 4, "yellow", date(2026, 11, 18))
            v = resident("V", 5, "green", date(2026, 1, 1), left=date(2026, 11, 12))
            seen(v, date(2026, 9, 1))
            uow.commit()
        with context.uow().reading() as uow:
            weeks = overdue_by_week(uow, period=parse_period("2026-11"), today=date(2026, 12, 6))
        assert weeks == [
            (date(2026, 11, 8), 2),
            (date(2026, 11, 15), 2),
            (date(2026, 11, 22), 3),
            (date(2026, 11, 29), 3),
        ]
        with context.uow().reading() as uow:  # a week not over is not drawn: on 25 November three have ended
            assert [sunday for sunday, _ in overdue_by_week(
                uow, period=parse_period("2026-11"), today=date(2026, 11, 25)
            )] == [date(2026, 11, 8), date(2026, 11, 15), date(2026, 11, 22)]  # fmt: skip
    finally:
        context.close()


def _as_the_round_sheet_reads_it(uow: UnitOfWork, period: Period, today: date) -> list[tuple[date, int]]:
    """The reference: each institution's residents as of each Monday after a week (the round sheet's reading,
    one query per institution and week), judged by the overdue list's rule."""
    rules = current_rules(uow).rules
    mondays = period_weeks(period, today=today)
    until = mondays[-1] + timedelta(days=7)
    calendars = round_calendars(uow, agreements_of(uow), until=until - timedelta(days=1), virtual_from=until)
    result = []
    for monday in mondays:
        after = monday + timedelta(days=7)
        count = 0
        for home, _ in queries.institutions(uow):
            rounds = [day.toordinal() for day in calendars.get(home, [])]
            for row in load_due_rows_on(uow, rules=rules, institution_id=home, day=after, round_id=""):
                count += missed_since(row.windows, rounds, after.toordinal()) is not None
        result.append((after - timedelta(days=1), count))
    return result


def test_read_once_for_all_weeks_as_the_round_sheet_reads_each_day(
    demo_center: Callable[..., Path], template_copy: Callable[[Path], AppContext]
) -> None:
    today = date(2026, 12, 6)
    context = template_copy(demo_center(residents=400, seed=7, today=today))
    for text in ("2026-Q4", "2026-11"):
        with context.uow().reading() as uow:
            fast = overdue_by_week(uow, period=parse_period(text), today=today)
            reference = _as_the_round_sheet_reads_it(uow, parse_period(text), today)
        assert fast == reference and sum(count for _, count in fast) > 0
