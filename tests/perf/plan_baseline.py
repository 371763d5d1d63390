"""The same-work baseline of "plan a week" (issue 19): who is due at each round of the week, by hand.

Plain sqlite3 (the bench opens it with the app's pragmas), hand-written SQL and a little Python over tuples, none
of the planner's code: the week's rounds still to come, each round's next round and the institution's round before
it still to come (the rounds booked, else the agreed weekdays), then ONE statement listing every resident due at
every round — the colour interval, the annual check and the chronic follow-up (or 2-week recheck) windows from the
``resident_facts`` the triggers keep, in the order of the plan (red, yellow, green, then bed) with the confirmed
colour and the three due days. ``tests/services/rounds/test_plan_baseline.py`` and the bench check that it gives
the planner's answer, so that it cannot drift into less work.

Rules of the plan (DOMAIN §6 and ``app.domain.scheduling``), written out again here:

- a resident in residence is due at a round on ``day`` (next round ``following``) when something falls due before
  ``following`` and counts at ``day``: the colour interval since the last "seen" visit (never seen: due from
  admission, else signing), the annual check from the birthday at the rules' age, every ``annual_check_days`` since
  the last one, and for a chronic condition the follow-up every ``chronic_follow_up_days`` (``recheck_days`` when the
  last follow-up's most severe classification was not "controlled"); a thing counts from the day after it was last
  done;
- one already due at the institution's round before (still to come) is listed there, not again;
- the next round is the first round not cancelled after the day — a booked one, or an agreed weekday without a
  round within two weeks after the planned week — else a week later.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from datetime import date, timedelta
from typing import Any, NamedTuple

ORDINAL = "CAST(julianday({}) - 1721424.5 AS INTEGER)"
"""A date in SQL as Python's ``date.toordinal()``."""

NEVER = date.max.toordinal() + 1
"""The due day of something that does not apply (not chronic)."""

LOOKAHEAD = timedelta(weeks=2)
"""Agreed weekdays this far past the planned week count as next rounds when no round is booked on them."""


class Rules(NamedTuple):
    """The visit rules the baseline needs (``TriageRules.visits`` of the rule set in force)."""

    red: int
    yellow: int
    green: int
    annual_age: int
    annual_every: int
    follow_up_every: int
    recheck_every: int
    chronic_codes: tuple[str, ...]


class Due(NamedTuple):
    """A resident due at a round with the facts the plan gives of them (days as ordinals): who, the confirmed
    colour, where, when each thing was last done (None: never; follow-up: None unless chronic) and falls due."""

    resident_id: str
    colour: str
    name: str
    sex: str
    birth: int
    building: str
    room: str
    bed: str
    last_seen: int | None
    last_check: int | None
    last_follow_up: int | None
    colour_due: int
    annual_due: int
    chronic_due: int


def _due_sql(codes: int) -> str:
    """The one statement: every resident due at every round of ``:rounds`` (a JSON list of [key, institution, day,
    next day, day of the round before or null]; day ordinals), by round key, colour, then bed."""
    chronic = " OR ".join(f"instr(x.condition_codes, :code{n}) > 0" for n in range(codes)) or "0"

    def due(day: str, following: str) -> str:  # something falls due before `following` and counts on `day`
        return f"""(
            (colour_due < {following} AND colour_from <= {day})
            OR (annual_from <= {day} AND (checked IS NULL OR checked + :annual_every < {following})
                AND annual_start < {following})
            OR (chronic AND chronic_due < {following} AND chronic_from <= {day}))"""

    return f"""
WITH week(k, institution, day, following, previous) AS MATERIALIZED (
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(:rounds)
), facts AS (
    SELECT w.k, w.day, w.following, w.previous, r.id, r.name, r.sex, r.building, r.room, r.bed,
        {ORDINAL.format("r.birth_date")} AS birth,
        CASE r.colour WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END AS rank,
        x.seen_day AS seen, x.checked_day AS checked, x.followed_day AS followed,
        {ORDINAL.format("date(r.birth_date, :years)")} AS annual_start,
        CASE WHEN x.seen_day IS NULL THEN COALESCE(x.since_day, 1)
            ELSE x.seen_day + CASE r.colour WHEN 'red' THEN :red WHEN 'yellow' THEN :yellow ELSE :green END
            END AS colour_due,
        COALESCE(x.seen_day + 1, x.since_day, 1) AS colour_from,
        COALESCE(x.checked_day + 1, x.since_day, 1) AS annual_from,
        x.condition_codes IS NOT NULL AND ({chronic}) AS chronic,
        CASE WHEN x.followed_day IS NULL THEN COALESCE(x.since_day, 1)
            ELSE x.followed_day + CASE WHEN x.followed_severity >= 1 THEN :recheck_every ELSE :follow_up_every END
            END AS chronic_due,
        COALESCE(x.followed_day + 1, x.since_day, 1) AS chronic_from
    FROM week w
    CROSS JOIN resident r ON r.deleted = 0 AND r.status = 'in_residence' AND r.institution_id = w.institution
    LEFT JOIN resident_facts x ON x.resident_id = r.id
)
SELECT k, id, rank, name, sex, birth, building, room, bed, seen, checked, CASE WHEN chronic THEN followed END,
    colour_due, CASE WHEN checked IS NULL THEN annual_start ELSE max(annual_start, checked + :annual_every) END,
    CASE WHEN chronic THEN chronic_due ELSE {NEVER} END
FROM facts
WHERE {due("day", "following")} AND NOT (previous IS NOT NULL AND {due("previous", "day")})
ORDER BY k, rank, building, length(room), room, length(bed), bed, name, id
"""


def _weekdays(text: str | None) -> list[int]:
    """An agreement's ISO weekdays ("1,4"; Chinese commas and full-width digits too); none if any is not 1–7."""
    text = (text or "").translate({0xFF10 + n: str(n) for n in range(10)})
    parts = [part for part in text.replace("、", ",").replace("，", ",").replace(" ", ",").split(",") if part.strip()]
    try:
        days = [int(part) for part in parts]
    except ValueError:
        return []
    return days if all(1 <= day <= 7 for day in days) else []


def plan_baseline(connection: sqlite3.Connection, monday: date, today: date, rules: Rules) -> dict[str, list[Due]]:
    """Return ``{round id: residents due}`` for the rounds of the week of ``monday`` still to come on ``today``
    (not cancelled), each list in the plan's order. Reads only: the week's rounds are already booked."""
    sunday, until = monday + timedelta(days=6), monday + timedelta(days=6) + LOOKAHEAD
    rounds = connection.execute(
        "SELECT id, institution_id, round_date FROM round WHERE deleted = 0 AND status != 'cancelled' "
        "AND round_date BETWEEN ? AND ? ORDER BY round_date, id",
        (max(monday, today).isoformat(), sunday.isoformat()),
    ).fetchall()
    # each institution's round days: booked and not cancelled, and the agreed weekdays from the week on with no
    # round on (or moved away from) them
    calendar: dict[str, set[date]] = {}
    for institution, day in connection.execute(
        "SELECT institution_id, round_date FROM round WHERE deleted = 0 AND status != 'cancelled' AND round_date <= ?",
        (until.isoformat(),),
    ):
        calendar.setdefault(institution, set()).add(date.fromisoformat(day))
    taken = set()
    for institution, day, moved_from in connection.execute(
        "SELECT institution_id, round_date, moved_from FROM round WHERE deleted = 0 "
        "AND (round_date BETWEEN ?1 AND ?2 OR moved_from BETWEEN ?1 AND ?2)",
        (monday.isoformat(), until.isoformat()),
    ):
        taken.update((institution, date.fromisoformat(d)) for d in (day, moved_from) if d)
    for institution, start, end, weekdays in connection.execute(
        "SELECT a.institution_id, a.start_date, a.end_date, a.round_weekdays FROM agreement a "
        "JOIN institution i ON i.id = a.institution_id WHERE a.deleted = 0 AND i.deleted = 0"
    ):
        for weeks in range(LOOKAHEAD.days // 7 + 1):
            for weekday in set(_weekdays(weekdays)):
                day = monday + timedelta(weeks=weeks, days=weekday - 1)
                in_force = start <= day.isoformat() and (end is None or day.isoformat() <= end)
                if in_force and (institution, day) not in taken:
                    calendar.setdefault(institution, set()).add(day)
    wanted: list[list[Any]] = []
    for key, (_, institution, day_text) in enumerate(rounds):
        day = date.fromisoformat(day_text)
        days = sorted(calendar.get(institution, ()))
        following = min((d for d in days if d > day), default=day + timedelta(weeks=1))
        before = max((d for d in days if d < day), default=None)
        previous = before.toordinal() if before is not None and before >= today else None
        wanted.append([key, institution, day.toordinal(), following.toordinal(), previous])
    params: dict[str, Any] = {
        "rounds": json.dumps(wanted),
        "years": f"+{rules.annual_age} years",
        "red": rules.red,
        "yellow": rules.yellow,
        "green": rules.green,
        "annual_every": rules.annual_every,
        "follow_up_every": rules.follow_up_every,
        "recheck_every": rules.recheck_every,
        **{f"code{n}": f",{code}," for n, code in enumerate(rules.chronic_codes)},
    }
    colours = ("red", "yellow", "green")
    found: dict[str, list[Due]] = {round_id: [] for round_id, _, _ in rounds}
    ids = [round_id for round_id, _, _ in rounds]
    collecting = gc.isenabled()
    gc.disable()  # some 50 000 rows and tuples: no collection passes over them while they are made, nor after
    try:
        for key, resident, rank, *facts in connection.execute(_due_sql(len(rules.chronic_codes)), params):
            found[ids[key]].append(Due(resident, colours[rank], *facts))
    finally:
        if collecting:
            gc.freeze()  # then on into the oldest generation, unexamined
            gc.enable()
            gc.unfreeze()
    return found


def rules_of(visits: Any) -> Rules:
    """The baseline's rules from the app's ``VisitRules`` (the numbers only)."""
    return Rules(
        visits.red_days,
        visits.yellow_days,
        visits.green_days,
        visits.annual_check_age,
        visits.annual_check_days,
        visits.chronic_follow_up_days,
        visits.recheck_days,
        tuple(visits.chronic_follow_up_conditions),
    )


def planner_answer(plan: Any) -> dict[str, list[Due]]:
    """The planner's answer in the baseline's terms: the rounds it lists residents for (those still to come, not
    cancelled), each with its due residents in order, their colour and due days."""
    return {
        planned.id: [
            Due(
                d.resident_id,
                d.colour.value,
                d.name,
                d.sex,
                d.birth_date.toordinal(),
                d.building,
                d.room,
                d.bed,
                d.row.last_seen,
                d.row.last_check,
                d.row.last_follow_up,
                d.row.windows.colour_due,
                d.row.windows.annual_due,
                d.row.windows.chronic_due,
            )
            for d in planned.due
        ]
        for planned in plan.rounds
        if not planned.past and not planned.cancelled
    }


def differences(baseline: dict[str, list[Due]], planner: dict[str, list[Due]], most: int = 5) -> list[str]:
    """Return what differs between the two answers (empty when they are the same), at most ``most`` lines per round."""
    found = [f"round {r} only in the baseline" for r in baseline.keys() - planner.keys()]
    found += [f"round {r} only in the plan" for r in planner.keys() - baseline.keys()]
    for round_id in sorted(baseline.keys() & planner.keys()):
        ours, theirs = baseline[round_id], planner[round_id]
        if ours == theirs:
            continue
        found.append(f"round {round_id}: baseline lists {len(ours)}, the plan {len(theirs)}")
        shown = 0
        for n, (a, b) in enumerate(zip(ours, theirs, strict=False)):
            if a != b and shown < most:
                found.append(f"  #{n}: baseline {a} / plan {b}")
                shown += 1
    return found


def same_answer(baseline: dict[str, list[Due]], planner: dict[str, list[Due]]) -> None:
    """Raise AssertionError naming the differences if the baseline and the planner do not give the same answer."""
    found = differences(baseline, planner)
    if found:
        raise AssertionError("the plan-a-week baseline and the planner disagree:\n" + "\n".join(found[:40]))


__all__ = ["Due", "Rules", "differences", "plan_baseline", "planner_answer", "rules_of", "same_answer"]
