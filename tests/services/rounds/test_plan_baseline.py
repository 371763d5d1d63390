"""The benchmark's same-work baseline of "plan a week" (tests/perf/plan_baseline.py) gives the planner's answer.

The bench times ``plan_week`` against that baseline (issue 19: ≤ 1.3×); if the baseline listed fewer residents,
other facts or another order, the ratio would flatter the app. Held here on a small demo, on fixed days.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from rounds_world import TODAY, unusual_facts

from app.bootstrap import AppContext
from app.services.rounds.plan import plan_week
from app.services.triage import load_rules
from app.store import cipher


def _baseline_module() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "perf" / "plan_baseline.py"
    spec = importlib.util.spec_from_file_location("plan_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("plan_baseline", module)
    spec.loader.exec_module(module)
    return module


baseline = _baseline_module()


@pytest.mark.parametrize(
    ("week", "today", "twice"),
    [
        (TODAY + timedelta(days=7), TODAY + timedelta(days=6), True),  # next week, planned on a Sunday
        (TODAY + timedelta(days=7), TODAY, True),  # next week, planned on the demo's Monday: rounds before it to come
        (TODAY + timedelta(days=3), TODAY + timedelta(days=3), False),  # this week from a Thursday: some rounds held
        (date(2026, 11, 30), date(2026, 11, 30), True),  # from the last day of a month
        (date(2027, 2, 1), date(2027, 1, 31), True),  # a Sunday that ends a month, planning the next week
    ],
    ids=["sunday", "monday-for-next-week", "thursday", "month-end", "sunday-month-end"],
)
def test_the_same_work_baseline_gives_the_planners_answer(
    sqlite_ctx: AppContext, week: date, today: date, twice: bool
) -> None:
    ctx = sqlite_ctx  # the baseline is plain sqlite3
    unusual_facts(ctx)  # never seen, no admission date, deleted checks, inactive conditions
    plan = plan_week(ctx.uow(), week=week, today=today)
    planner = baseline.planner_answer(plan)
    rules = baseline.rules_of(load_rules(ctx.uow()).rules.visits)
    connection = cipher.connect(ctx.database.path)
    try:
        found = baseline.plan_baseline(connection, week - timedelta(days=week.weekday()), today, rules)
    finally:
        connection.close()
    assert baseline.differences(found, planner) == []
    assert sum(len(due) for due in found.values()) > 20
    institutions = [r.institution_id for r in plan.rounds if not r.past and not r.cancelled]
    assert (len(institutions) > len(set(institutions))) is twice  # a home with two rounds: listed once, at the first


def test_the_check_catches_a_baseline_that_drifts(sqlite_ctx: AppContext) -> None:
    """A baseline that lists one resident less, or two in another order, is told apart from the planner."""
    plan = plan_week(sqlite_ctx.uow(), week=TODAY + timedelta(days=7), today=TODAY + timedelta(days=6))
    planner = baseline.planner_answer(plan)
    round_id = next(r for r, due in planner.items() if len(due) > 2)
    fewer = {**planner, round_id: planner[round_id][1:]}
    swapped = {**planner, round_id: [planner[round_id][1], planner[round_id][0], *planner[round_id][2:]]}
    for drifted in (fewer, swapped):
        with pytest.raises(AssertionError, match="disagree"):
            baseline.same_answer(drifted, planner)
    baseline.same_answer(dict(planner), planner)
