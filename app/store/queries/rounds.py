"""Queries of the rounds capability (巡诊安排): rounds, the calendar, and who is due.

Functions take an open unit of work and plain values and return plain rows (tuples: dates as ISO text, or
as day ordinals where the names say so) or models to change.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from app.domain.scheduling import FIRST_DAY
from app.domain.triage import VisitRules
from app.store.resident_facts import LIVE_VISIT, SEVERITY_SQL
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]


def had_condition_on(prefix: str, day: str) -> str:
    """SQL: the condition (columns named ``prefix`` + name) was the resident's on the day ``day`` (SQL text).

    Diagnosed by then (no date counts as known) and not resolved before it. A condition has no resolution
    date: one that is not active stopped on the local day its ``active`` field was last changed (its field
    clock, which travels with sync), or, entered already resolved, on the day it was entered.
    """
    ended = (
        f"CASE WHEN json_extract({prefix}field_clocks, '$.active') IS NOT NULL "
        f"THEN date(CAST(substr(json_extract({prefix}field_clocks, '$.active'), 1, 13) AS INTEGER) / 1000, "
        f"'unixepoch', 'localtime') ELSE date({prefix}created_at, 'localtime') END"
    )
    return (
        f"({prefix}diagnosed_on IS NULL OR {prefix}diagnosed_on <= {day}) AND ({prefix}active = 1 OR {ended} >= {day})"
    )


# --- rounds and the calendar ---------------------------------------------------------------------------------------


def live_agreements(uow: UnitOfWork) -> list[Row]:
    """Return the live agreements of institutions not removed.

    Columns: ``(id, institution_id, team_id, start_date, end_date, round_weekdays, min_rounds_per_week)``.
    """
    return uow.fast_rows(
        "SELECT a.id, a.institution_id, a.team_id, a.start_date, a.end_date, a.round_weekdays, "
        "a.min_rounds_per_week FROM agreement a JOIN institution i ON i.id = a.institution_id "
        "WHERE a.deleted = 0 AND i.deleted = 0"
    )


def rounds_in_slots(uow: UnitOfWork, start: date, end: date) -> list[Row]:
    """Return ``(institution_id, round_date, moved_from)`` of the live rounds on or moved from a day between
    ``start`` and ``end``."""
    return uow.fast_rows(
        "SELECT institution_id, round_date, moved_from FROM round WHERE deleted = 0 "
        "AND (round_date BETWEEN :a AND :b OR moved_from BETWEEN :a AND :b)",
        {"a": start.isoformat(), "b": end.isoformat()},
    )


def round_days_until(uow: UnitOfWork, until: date) -> list[Row]:
    """Return ``(institution_id, round_date)`` of the live rounds not cancelled up to ``until``."""
    return uow.fast_rows(
        "SELECT institution_id, round_date FROM round WHERE deleted = 0 AND status != 'cancelled' "
        "AND round_date <= :until",
        {"until": until.isoformat()},
    )


def teams_with_phones(uow: UnitOfWork) -> list[Row]:
    """Return ``(id, name, phone)`` of the teams not removed, by name."""
    return uow.fast_rows("SELECT id, name, phone FROM team WHERE deleted = 0 ORDER BY name")


def in_residence_counts(uow: UnitOfWork, institution_ids: Sequence[str]) -> dict[str, int]:
    """Return ``{institution_id: residents in residence}`` of these institutions (those with any)."""
    return dict(
        uow.fast_rows(
            "SELECT institution_id, COUNT(*) FROM resident WHERE deleted = 0 AND status = 'in_residence' "
            "AND institution_id IN (SELECT value FROM json_each(:ids)) GROUP BY institution_id",
            {"ids": json.dumps(list(institution_ids))},
        )
    )


def week_rounds(uow: UnitOfWork, monday: date, sunday: date, institution_id: str | None) -> list[Row]:
    """Return the live rounds from ``monday`` to ``sunday`` (of one institution, or all).

    Columns: ``(id, institution_id, team_id, team name, round_date, status, moved_from, cancel_reason, note)``.
    """
    params: dict[str, Any] = {"a": monday.isoformat(), "b": sunday.isoformat()}
    where = "r.deleted = 0 AND r.round_date BETWEEN :a AND :b"
    if institution_id is not None:
        where += " AND r.institution_id = :institution"
        params["institution"] = institution_id
    return uow.fast_rows(
        "SELECT r.id, r.institution_id, r.team_id, COALESCE(t.name, ''), r.round_date, r.status, r.moved_from, "
        f"r.cancel_reason, r.note FROM round r LEFT JOIN team t ON t.id = r.team_id WHERE {where}",
        params,
    )


def seen_counts(uow: UnitOfWork, round_ids: Sequence[str]) -> dict[str, int]:
    """Return ``{round_id: live visits with outcome "seen"}`` of these rounds (those with any)."""
    return dict(
        uow.fast_rows(
            "SELECT round_id, COUNT(*) FROM visit WHERE round_id IN (SELECT value FROM json_each(:ids)) "
            "AND outcome = 'seen' AND deleted = 0 GROUP BY round_id",
            {"ids": json.dumps(list(round_ids))},
        )
    )


def rounds_on(uow: UnitOfWork, institution_id: str, day: date) -> list[Row]:
    """Return ``(id, status)`` of the institution's live rounds on ``day``, cancelled ones last."""
    return uow.fast_rows(
        "SELECT id, status FROM round WHERE deleted = 0 AND institution_id = :i AND round_date = :d "
        "ORDER BY status = 'cancelled'",
        {"i": institution_id, "d": day.isoformat()},
    )


def round_row(uow: UnitOfWork, round_id: str) -> Row | None:
    """Return the live round with its team and institution names, or None.

    Columns: ``(id, institution_id, team_id, team, round_date, status, moved_from, cancel_reason, note,
    institution)``.
    """
    rows = uow.fast_rows(
        "SELECT r.id, r.institution_id, r.team_id, COALESCE(t.name, ''), r.round_date, r.status, r.moved_from, "
        "r.cancel_reason, r.note, i.name FROM round r JOIN institution i ON i.id = r.institution_id "
        "LEFT JOIN team t ON t.id = r.team_id WHERE r.id = :id AND r.deleted = 0",
        {"id": round_id},
    )
    return rows[0] if rows else None


def visited_at(uow: UnitOfWork, round_id: str) -> set[str]:
    """Return the residents with a live visit at the round."""
    return {
        row[0]
        for row in uow.fast_rows(
            "SELECT DISTINCT resident_id FROM visit WHERE round_id = :id AND deleted = 0", {"id": round_id}
        )
    }


def open_rounds_on(uow: UnitOfWork, institution_id: str, day: date) -> list[str]:
    """Return the ids of the institution's live rounds on ``day`` that are not cancelled."""
    rows = uow.fast_rows(
        "SELECT id FROM round WHERE deleted = 0 AND status != 'cancelled' AND institution_id = :i AND round_date = :d",
        {"i": institution_id, "d": day.isoformat()},
    )
    return [row[0] for row in rows]


def visit_count(uow: UnitOfWork, round_id: str) -> int:
    """Return how many live visits were recorded at the round (all versions)."""
    rows = uow.fast_rows("SELECT COUNT(*) FROM visit WHERE round_id = :id AND deleted = 0", {"id": round_id})
    return int(rows[0][0])


def institutions_with_agreements(uow: UnitOfWork, today: date) -> list[Row]:
    """Return ``(id, name)`` of institutions with an agreement in force on ``today`` or later, by name."""
    return uow.fast_rows(
        "SELECT DISTINCT i.id, i.name FROM institution i JOIN agreement a ON a.institution_id = i.id "
        "WHERE i.deleted = 0 AND a.deleted = 0 AND (a.end_date IS NULL OR a.end_date >= :today) ORDER BY i.name",
        {"today": today.isoformat()},
    )


def contact_phones(uow: UnitOfWork, resident_ids: Sequence[str]) -> list[Row]:
    """Return ``(id, phone)``: each resident's phone, else the guardian's, else ""."""
    return uow.fast_rows(
        "SELECT id, COALESCE(NULLIF(phone, ''), guardian_phone, '') FROM resident "
        "WHERE id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(list(resident_ids))},
    )


# --- who is due: the facts of every resident, in bulk (see app.services.rounds.due) -------------------------------

_ORDINAL = "CAST(julianday({}) - 1721424.5 AS INTEGER)"
"""SQL for a date column as ``date.toordinal()``: dates reach Python as plain numbers, parsed by SQLite."""


_SINCE = "COALESCE(r.admission_date, r.signed_on)"

_BIRTH = f"COALESCE(f.birth_day, {_ORDINAL.format('r.birth_date')})"
_SINCE_DAY = f"COALESCE(f.since_day, {_ORDINAL.format(_SINCE)})"
"""The birth and admission (else signing) days, as kept in ``resident_facts`` (parsed here only if a row
were missing: the triggers make one for every resident)."""


def _chronic(codes: int, server: bool = False) -> str:
    """SQL: the resident's ``resident_facts f`` lists one of ``codes`` condition codes (``:chronic0``, ...)."""
    if not codes:
        return "FALSE" if server else "0"  # PostgreSQL's CASE WHEN / AND want a boolean
    found = " OR ".join(f"instr(f.condition_codes, :chronic{n}) > 0" for n in range(codes))
    return f"(f.condition_codes IS NOT NULL AND ({found}))"


_BED_ORDER = "r.building, length(r.room), r.room, length(r.bed), r.bed, r.name, r.id"
"""Bed order, numbers by value ("2" before "10")."""


def _facts_params(visits: VisitRules) -> dict[str, Any]:
    return {
        **{f"chronic{n}": f",{code}," for n, code in enumerate(visits.chronic_follow_up_conditions)},
        "years": f"+{visits.annual_check_age} years",
        "red": visits.red_days,
        "yellow": visits.yellow_days,
        "green": visits.green_days,
        "check_every": visits.annual_check_days,
        "follow_up_every": visits.chronic_follow_up_days,
        "recheck_every": visits.recheck_days,
    }


def due_rows(uow: UnitOfWork, *, visits: VisitRules, institution_ids: Sequence[str] | None = None) -> list[Row]:
    """Return every resident in residence (of ``institution_ids``, or all) with the facts due depends on.

    One statement, in bed order: each resident (``ix_resident_bed``) with their row of ``resident_facts``
    (last live "seen" visit, last annual check, last chronic follow-up; kept by triggers, see
    :mod:`app.store.resident_facts`) and whether a condition of theirs needs chronic follow-up. Columns (day
    ordinals): 0, id, institution_id, colour, birth, since, name, sex, building, room, bed, last seen, last
    annual check, chronic (0/1), last chronic follow-up (None unless chronic), the most severe classification
    on that follow-up's day (0–3; from 1 the next follow-up is a 2-week recheck; None unless chronic).
    """
    params = _facts_params(visits)
    where = "r.deleted = 0 AND r.status = 'in_residence'"
    if institution_ids is not None:
        params["institutions"] = json.dumps(list(institution_ids))
        where += " AND r.institution_id IN (SELECT value FROM json_each(:institutions))"
    chronic = _chronic(len(visits.chronic_follow_up_conditions), uow.database.is_server)
    return uow.fast_rows(
        f"SELECT 0, r.id, r.institution_id, r.colour, {_BIRTH}, {_SINCE_DAY}, r.name, r.sex, r.building, r.room, "
        f"r.bed, f.seen_day, f.checked_day, {chronic}, CASE WHEN {chronic} THEN f.followed_day END, "
        f"CASE WHEN {chronic} THEN f.followed_severity END "
        f"FROM resident r LEFT JOIN resident_facts f ON f.resident_id = r.id WHERE {where} ORDER BY {_BED_ORDER}",
        params,
    )


# --- the fast path: due at the rounds of a week, in one statement -------------------------------------------------


@functools.lru_cache(maxsize=8)
def due_at_round_sql(codes: int, server: bool = False) -> str:
    """The residents of ``:institution`` listed at a round on ``:day`` (next round ``:following``; the institution's
    round before it still to come ``:previous``, or NULL; day ordinals), in bed order; ``codes`` as in
    :func:`_chronic`.

    Residents come from the covering ``ix_resident_bed`` already in bed order (nothing is sorted), each with
    one primary-key seek into ``resident_facts``. "Listed" is :meth:`~app.domain.scheduling.DueWindows.listed_at`:
    due at the round (:meth:`~app.domain.scheduling.DueWindows.due_at` over the windows of
    :func:`~app.domain.scheduling.due_windows_of`) and not already due at ``:previous``, written in SQL (tests hold
    the two to the same answer), so that residents listed at the round before are not even read; the windows
    themselves are worked out in Python, for the listed residents only, when asked for.

    The annual check's start (the birthday at ``:years``) is a date calculation, the costliest part of the
    statement, so it is only made when it matters: not when the last check is recent enough, and not when the
    birth day alone settles it (``:annual_lo`` and ``:annual_hi`` bound the days in that many years).
    """
    start = f"COALESCE({_SINCE_DAY}, {FIRST_DAY})"
    # PostgreSQL (server): the birthday test's CASE gives booleans, not SQLite's 0/1
    yes, no = ("TRUE", "FALSE") if server else ("1", "0")
    return f"""
WITH facts AS (
    SELECT r.id AS id, r.institution_id AS institution_id, r.colour AS colour,
        {_BIRTH} AS birth, r.birth_date AS birth_date, {_SINCE_DAY} AS since,
        {start} AS start, r.name AS name, r.sex AS sex, r.building AS building, r.room AS room, r.bed AS bed,
        f.seen_day AS seen, f.checked_day AS checked, {_chronic(codes, server)} AS chronic, f.followed_day AS followed,
        f.followed_severity AS severity
    FROM resident r LEFT JOIN resident_facts f ON f.resident_id = r.id
    WHERE r.deleted = 0 AND r.status = 'in_residence' AND r.institution_id = :institution
), due AS (
    SELECT *, {_due_at(":day", ":following", yes, no)} AS due_here,
        {_due_at(":previous", ":day", yes, no)} AS due_before
    FROM facts
)
SELECT :key, id, institution_id, colour, birth, since, name, sex, building, room, bed,
    seen, checked, chronic, CASE WHEN chronic THEN followed END, CASE WHEN chronic THEN severity END
FROM due
WHERE due_here AND (CAST(:previous AS INTEGER) IS NULL OR NOT due_before)
ORDER BY building, length(room), room, length(bed), bed, name, id
"""


def _due_at(day: str, following: str, yes: str, no: str) -> str:
    """SQL over the columns of ``due_at_round_sql``'s ``facts``: something falls due before ``following`` and counts
    at a round on ``day`` (:meth:`~app.domain.scheduling.DueWindows.due_at`; ``yes``/``no`` the engine's booleans)."""
    return f"""(
            CASE WHEN seen IS NULL THEN start <= {day}
                ELSE seen + CASE colour WHEN 'red' THEN :red WHEN 'yellow' THEN :yellow ELSE :green END < {following}
                    AND seen + 1 <= {day} END
            OR CASE WHEN checked IS NULL THEN start <= {day}
                ELSE checked + :check_every < {following} AND checked + 1 <= {day} END
                AND CASE WHEN birth + :annual_hi < {following} THEN {yes}
                    WHEN birth + :annual_lo >= {following} THEN {no}
                    ELSE {_ORDINAL.format("date(birth_date, :years)")} < {following} END
            OR chronic AND CASE WHEN followed IS NULL THEN start <= {day}
                ELSE followed + CASE WHEN severity >= 1 THEN :recheck_every ELSE :follow_up_every END < {following}
                    AND followed + 1 <= {day} END)"""


def _days_in_years_bounds(years: int) -> tuple[int, int]:
    """Return (fewer, more) days than there can be from a birthday to the same birthday ``years`` later.

    ``years`` × 365 plus one day per 29 February in between: at least ``years // 4 - 1`` of them (a century
    year that is not a leap year), at most ``ceil(years / 4)``, and one more for a birthday on 29 February
    (1 March in other years, as :func:`~app.domain.scheduling.add_years` and SQLite count). A day of margin
    each way.
    """
    return years * 365 + years // 4 - 2, years * 365 + (years + 3) // 4 + 2


WeekRound = tuple[str, int, int, int | None]
"""A round to list the due residents of: (institution_id, day, next round's day, the institution's round before
it still to come or None; day ordinals)."""


def due_at_rounds_rows(uow: UnitOfWork, *, visits: VisitRules, rounds: Sequence[WeekRound]) -> Iterator[list[Row]]:
    """Yield for each of ``rounds`` (:data:`WeekRound`) the residents listed at it — due at it and not already due
    at the round before it still to come — in bed order, as the rows of :func:`due_rows` (the first column the
    round's position in ``rounds``).

    One statement per round (:func:`due_at_round_sql`), whose cost grows with the institution's residents.
    """
    codes = len(visits.chronic_follow_up_conditions)
    params = _facts_params(visits)
    params["annual_lo"], params["annual_hi"] = _days_in_years_bounds(visits.annual_check_age)
    if uow.database.is_server and len(rounds) > 1:
        yield from _due_at_rounds_on_server(uow, codes, params, rounds)
        return
    sql = due_at_round_sql(codes, uow.database.is_server)
    for key, (institution_id, day, following, previous) in enumerate(rounds):
        params.update(key=key, institution=institution_id, day=day, following=following, previous=previous)
        yield uow.fast_rows(sql, params)


def due_at_week_sql(codes: int) -> str:
    """PostgreSQL: :func:`due_at_round_sql` for several rounds in one statement, ordered by round then bed.

    The rounds come as five arrays (``:keys``, ``:institutions``, ``:days``, ``:followings``, ``:previouses``); each
    round's position, day, next day and round before replace ``:key``, ``:day``, ``:following`` and ``:previous``.
    On the server one statement per round cost ≈ 50 ms each at 100 000 residents, most of it the same hash of
    every resident's facts built again for each round; one statement builds it once (#20: plan a week ≤ 500 ms on
    the server as on a file).
    """
    sql = due_at_round_sql(codes, True)
    one_round = (
        "FROM resident r LEFT JOIN resident_facts f ON f.resident_id = r.id\n"
        "    WHERE r.deleted = 0 AND r.status = 'in_residence' AND r.institution_id = :institution"
    )
    every_round = (
        "FROM week_rounds w JOIN resident r ON r.institution_id = w.institution\n"
        "        LEFT JOIN resident_facts f ON f.resident_id = r.id\n"
        "    WHERE r.deleted = 0 AND r.status = 'in_residence'"
    )
    assert one_round in sql and sql.count(":institution") == 1, "due_at_round_sql changed: update due_at_week_sql"
    sql = sql.replace(one_round, every_round)
    sql = sql.replace(
        "WITH facts AS (\n    SELECT ",
        "WITH facts AS (\n    SELECT w.k AS round_key, w.day AS round_day, w.following AS round_next, "
        "w.previous AS round_previous, ",
        1,
    )
    sql = re.sub(r":day\b", "round_day", sql)
    sql = re.sub(r":following\b", "round_next", sql)
    sql = re.sub(r":key\b", "round_key", sql)
    sql = re.sub(r":previous\b", "round_previous", sql)
    sql = sql.replace("ORDER BY building,", "ORDER BY round_key, building,")
    rounds_table = (
        "WITH week_rounds(k, institution, day, following, previous) AS (SELECT * FROM unnest("
        "CAST(:keys AS integer[]), CAST(:institutions AS text[]), CAST(:days AS integer[]), "
        "CAST(:followings AS integer[]), CAST(:previouses AS integer[]))),\nfacts AS ("
    )
    return sql.replace("WITH facts AS (", rounds_table, 1)


def _due_at_rounds_on_server(
    uow: UnitOfWork, codes: int, params: dict[str, Any], rounds: Sequence[WeekRound]
) -> Iterator[list[Row]]:
    """:func:`due_at_rounds_rows` on PostgreSQL: one statement (:func:`due_at_week_sql`), split by round."""
    params = dict(params)
    params["keys"] = list(range(len(rounds)))
    params["institutions"] = [institution_id for institution_id, _, _, _ in rounds]
    params["days"] = [day for _, day, _, _ in rounds]
    params["followings"] = [following for _, _, following, _ in rounds]
    params["previouses"] = [previous for _, _, _, previous in rounds]
    rows = uow.fast_rows(due_at_week_sql(codes), params)
    start = 0
    for key in range(len(rounds)):
        end = start
        while end < len(rows) and rows[end][0] == key:
            end += 1
        yield rows[start:end]
        start = end
    assert start == len(rows), "rows of no round"


# --- a round already held: who was there that day, with the records before it -------------------------------------


_SEEN = (
    "SELECT MAX(v.visit_date) FROM visit v WHERE v.resident_id = r.id AND v.outcome = 'seen' AND v.deleted = 0 "
    f"AND {LIVE_VISIT}"
)
_CHECKED = (
    "SELECT MAX(a.assessed_on) FROM assessment a "
    "WHERE a.resident_id = r.id AND a.kind = 'annual_check' AND a.deleted = 0"
)
_FOLLOWED = (
    "SELECT MAX(v.visit_date) FROM visit v WHERE v.resident_id = r.id AND v.chronic_class != '' AND v.deleted = 0 "
    f"AND {LIVE_VISIT}"
)

_ON_DAY = f"""
WITH here AS MATERIALIZED (
    SELECT resident_id, building, room, bed FROM (
        SELECT p.resident_id, p.building, p.room, p.bed, MAX(p.start_date) FROM residenceperiod p
        WHERE p.deleted = 0 AND p.institution_id = :institution AND p.start_date <= :day
            AND (p.end_date IS NULL OR p.end_date > :day)
        GROUP BY p.resident_id
    ) AS latest
), present(id, building, room, bed) AS MATERIALIZED (
    SELECT r.id, h.building, h.room, h.bed FROM resident r JOIN here h ON h.resident_id = r.id
    WHERE r.deleted = 0 AND COALESCE((
        SELECT s.status FROM statuschange s WHERE s.resident_id = r.id AND s.deleted = 0 AND s.on_date <= :day
        ORDER BY s.on_date DESC, s.created_at DESC LIMIT 1), 'in_residence') = 'in_residence'
    UNION
    SELECT r.id, r.building, r.room, r.bed FROM resident r
    WHERE r.deleted = 0 AND r.institution_id = :institution AND r.status = 'in_residence'
        AND NOT EXISTS (SELECT 1 FROM residenceperiod p WHERE p.resident_id = r.id AND p.deleted = 0)
        AND COALESCE(r.admission_date, r.signed_on, date(r.created_at)) <= :day
    UNION
    SELECT r.id, COALESCE(h.building, r.building), COALESCE(h.room, r.room), COALESCE(h.bed, r.bed)
    FROM visit v JOIN resident r ON r.id = v.resident_id LEFT JOIN here h ON h.resident_id = r.id
    WHERE v.round_id = :round AND v.deleted = 0 AND r.deleted = 0
)
SELECT k, id, institution_id, colour, birth, since, name, sex, building, room, bed, seen, checked, chronic,
    CASE WHEN chronic THEN followed END, CASE WHEN chronic THEN severity END
FROM (
    SELECT 0 AS k, r.id AS id, r.institution_id AS institution_id, COALESCE((
            SELECT d.colour FROM triagedecision d WHERE d.resident_id = r.id AND d.deleted = 0
                AND date(d.decided_at) <= :day ORDER BY d.decided_at DESC LIMIT 1), r.colour) AS colour,
        {_ORDINAL.format("r.birth_date")} AS birth, {_ORDINAL.format(_SINCE)} AS since, r.name AS name, r.sex AS sex,
        p.building AS building, p.room AS room, p.bed AS bed,
        {_ORDINAL.format(f"({_SEEN} AND v.visit_date < :day)")} AS seen,
        {_ORDINAL.format(f"({_CHECKED} AND a.assessed_on < :day)")} AS checked,
        EXISTS (SELECT 1 FROM condition c WHERE c.resident_id = r.id AND c.deleted = 0
            AND c.code IN (SELECT value FROM json_each(:codes)) AND {had_condition_on("c.", ":day")}) AS chronic,
        {_ORDINAL.format(f"({_FOLLOWED} AND v.visit_date < :day)")} AS followed,
        (SELECT MAX({SEVERITY_SQL.format("w.chronic_class")}) FROM visit w WHERE w.resident_id = r.id
            AND w.chronic_class != '' AND w.deleted = 0
            AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = w.id AND c.deleted = 0)
            AND w.visit_date = ({_FOLLOWED} AND v.visit_date < :day)) AS severity
    FROM present p JOIN resident r ON r.id = p.id
    GROUP BY r.id
) AS facts
ORDER BY building, length(room), room, length(bed), bed, name, id
"""
"""The residents of ``:institution`` on ``:day`` — a residence period there covering the day and no status
other than in residence as of it (or, without any period, admitted by then and in residence now) — and the
residents visited at ``:round``, with the colour confirmed by then and the facts recorded before the day."""

_ON_DAY_SERVER = (
    _ON_DAY.replace(
        "SELECT resident_id, building, room, bed FROM (\n"
        "        SELECT p.resident_id, p.building, p.room, p.bed, MAX(p.start_date) FROM residenceperiod p",
        "SELECT resident_id, building, room, bed FROM (\n"
        "        SELECT DISTINCT ON (p.resident_id) p.resident_id, p.building, p.room, p.bed FROM residenceperiod p",
    )
    .replace(
        "        GROUP BY p.resident_id\n    ) AS latest",
        "        ORDER BY p.resident_id, p.start_date DESC, p.created_at DESC\n    ) AS latest",
    )
    .replace("    SELECT 0 AS k, r.id AS id,", "    SELECT DISTINCT ON (r.id) 0 AS k, r.id AS id,")
    .replace("    GROUP BY r.id\n) AS facts", "    ORDER BY r.id\n) AS facts")
)
"""``_ON_DAY`` on PostgreSQL: the latest period per resident by DISTINCT ON (SQLite takes the bare columns of
the MAX() row), one row per resident the same way."""


def due_rows_on(uow: UnitOfWork, *, visits: VisitRules, institution_id: str, day: date, round_id: str) -> list[Row]:
    """Return the residents of an institution as they were on ``day`` (a round already held), in bed order,
    as the rows of :func:`due_rows`; see ``_ON_DAY``."""
    params: dict[str, Any] = {
        "institution": institution_id,
        "day": day.isoformat(),
        "round": round_id,
        "codes": json.dumps(list(visits.chronic_follow_up_conditions)),
    }
    return uow.fast_rows(_ON_DAY_SERVER if uow.database.is_server else _ON_DAY, params)
