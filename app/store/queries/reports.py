"""Queries of the reports capability (统计报表): the facts the indicators of DOMAIN §9 are counted from.

Each table is read once per period, in one pass with its conditions summed per resident (the visits, 1.2 M
rows at 100 000 residents, are scanned once, not once per indicator). Only live rows count (``deleted = 0``)
and, of a corrected visit, only its last version. The rules themselves (who is elderly, which BP is
controlled, ...) are applied by :mod:`app.domain.reports` on the rows returned here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.domain.report_charts import Stay
from app.domain.report_periods import Period
from app.domain.reports import AgreementFacts, ResidentFacts, RoundFacts, agreed_rounds_per_week, colour_rank
from app.domain.residents import DEPARTED_STATUSES
from app.store.queries.report_counts import (
    CORRECTED,
    DM_FOLLOW_UP,
    FOLLOW_UP,
    HT_FOLLOW_UP,
    REFERRAL_SUMS,
    REFERRALS_FROM,
    STAYS,
    referral_params,
)
from app.store.queries.rounds import had_condition_on
from app.store.resident_facts import SEVERITY_SQL
from app.store.uow import UnitOfWork

_DEPARTED = ", ".join(f"'{status.value}'" for status in sorted(DEPARTED_STATUSES))


def institutions(uow: UnitOfWork, institution_id: str | None = None) -> list[tuple[str, str]]:
    """``(id, name)`` of the institutions not removed (or only ``institution_id``), by name."""
    sql = "SELECT id, name FROM institution WHERE deleted = 0"
    params: dict[str, Any] = {}
    if institution_id is not None:
        sql += " AND id = :id"
        params["id"] = institution_id
    return [(str(row[0]), str(row[1])) for row in uow.fast_rows(sql + " ORDER BY name, id", params)]


def center_name(uow: UnitOfWork) -> str:
    rows = uow.fast_rows("SELECT name FROM center WHERE deleted = 0 LIMIT 1")
    return str(rows[0][0]) if rows else ""


def _day(text: Any) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text else None


def resident_facts(
    uow: UnitOfWork, period: Period, institution_id: str | None = None, *, today: date | None = None
) -> list[ResidentFacts]:
    """One :class:`ResidentFacts` per resident who lived in an institution at some time in ``period``.

    The per-resident form of :func:`app.store.queries.report_counts.resident_counts` (the lists behind the
    figures; the same SQL conditions, and a test that the two agree). ``today`` (default: the period end) is
    the day of the report: a referral is overdue when open 14 days by then.

    The institution is that of the resident's stay at period end (the last stay within the period when they
    left before it ended).
    """
    start, end = period.start.isoformat(), period.end.isoformat()
    year_start = min(period.year_window()[0], period.start).isoformat()
    params: dict[str, Any] = {"start": start, "end": end, "year_start": year_start}
    where = ""
    if institution_id is not None:
        where = " AND COALESCE(p.institution_id, r.institution_id) = :institution"
        params["institution"] = institution_id
    stays: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for row in uow.fast_rows(
        "SELECT r.id, COALESCE(p.institution_id, r.institution_id), r.birth_date, r.signed_on, r.status, "
        "r.status_date, r.family_bed_start, r.family_bed_end, COALESCE(p.start_date, r.admission_date), p.end_date "
        + STAYS
        + where,
        params,
    ):
        stays[row[0]] = (str(row[8] or ""), row)  # one row a resident: the stay at (or last before) period end
    departed_statuses = {status.value for status in DEPARTED_STATUSES}
    # the fields of ResidentFacts, in order, filled as the tables are read, made into facts at the end
    facts: dict[str, list[Any]] = {}
    for resident_id, (_, row) in stays.items():
        stay_end, status, status_date = row[9], row[4], row[5]
        departed = status in departed_statuses and (status_date is None or status_date <= end)
        at_end = (stay_end is None or stay_end > end) and not departed
        signed_on, bed_start, bed_end = _day(row[3]), _day(row[6]), _day(row[7])
        facts[resident_id] = [
            *(resident_id, str(row[1]), date.fromisoformat(row[2]), at_end, signed_on),
            *(False, False, 0, None, False, 0, None, "", 0, 0, 0, bed_start, bed_end, 0, 0, 0, 0, 0, 0, 0, (), 0),
            *(0, 0, 0, 0, 0),
        ]
    if not facts:
        return []

    for resident_id, code in uow.fast_rows(
        "SELECT resident_id, code FROM condition WHERE active = 1 AND deleted = 0 "
        "AND code IN ('hypertension', 'diabetes_t2')"
    ):
        target = facts.get(resident_id)
        if target is not None:
            target[_HYPERTENSIVE if code == "hypertension" else _DIABETIC] = True

    # one pass over the visits of the year window: visits in the period, each disease's follow-ups in the year
    # window, and the last hypertension follow-up's BP and diabetes follow-up's fasting glucose (latest day,
    # then time, then id wins); of a corrected visit only the correction counts
    visits_sql = (
        f"SELECT v.resident_id, SUM(v.visit_date >= :start), SUM({HT_FOLLOW_UP}), SUM({DM_FOLLOW_UP}), "
        f"MAX(CASE WHEN {HT_FOLLOW_UP} AND v.sbp IS NOT NULL AND v.dbp IS NOT NULL "
        "    THEN v.visit_date || '|' || COALESCE(v.visited_at, '') || '|' || v.id || '|' || v.sbp || '|' || v.dbp "
        "    END), "
        f"MAX(CASE WHEN {DM_FOLLOW_UP} AND v.glucose IS NOT NULL AND v.glucose_fasting = 1 "
        "    THEN v.visit_date || '|' || COALESCE(v.visited_at, '') || '|' || v.id || '|' || v.glucose END) "
        "FROM visit v WHERE v.deleted = 0 AND v.outcome = 'seen' AND v.visit_date BETWEEN :year_start AND :end "
        f"AND v.id NOT IN {CORRECTED} GROUP BY v.resident_id"
    )
    if uow.database.is_server:  # PostgreSQL: a timestamp is no text; the same sortable form as SQLite stores
        visits_sql = visits_sql.replace(
            "COALESCE(v.visited_at, '')",
            "COALESCE(to_char(v.visited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), '')",
        )
    for resident_id, visits, ht_follow_ups, dm_follow_ups, last_bp, last_glucose in uow.fast_rows(visits_sql, params):
        target = facts.get(resident_id)
        if target is None:
            continue
        target[_VISITS] = int(visits or 0)
        target[_HT_FOLLOW_UPS], target[_DM_FOLLOW_UPS] = int(ht_follow_ups or 0), int(dm_follow_ups or 0)
        if last_bp:
            day, _, _, sbp, dbp = str(last_bp).split("|")
            target[_HT_LAST_BP] = (date.fromisoformat(day), int(sbp), int(dbp))
        if last_glucose:
            day, _, _, glucose = str(last_glucose).split("|")
            target[_DM_LAST_GLUCOSE] = (date.fromisoformat(day), float(glucose))

    for resident_id, checked, ad8, ad8_positive, care_level in uow.fast_rows(
        "SELECT resident_id, MAX(kind = 'annual_check' AND assessed_on >= :year_start), "
        "SUM(kind = 'ad8' AND assessed_on >= :start), SUM(kind = 'ad8' AND assessed_on >= :start "
        "AND result = 'positive'), SUM(kind = 'care_level' AND assessed_on >= :start) "
        "FROM assessment WHERE deleted = 0 AND kind IN ('annual_check', 'ad8', 'care_level') "
        "AND assessed_on BETWEEN :year_start AND :end GROUP BY resident_id",
        params,
    ):
        target = facts.get(resident_id)
        if target is not None:
            target[_ANNUAL_CHECK] = bool(checked)
            target[_AD8 : _CARE_LEVEL + 1] = [ad8 or 0, ad8_positive or 0, care_level or 0]

    params.update(referral_params(period, today))
    for resident_id, *referrals in uow.fast_rows(f"SELECT resident_id, {REFERRAL_SUMS} " + REFERRALS_FROM, params):
        target = facts.get(resident_id)
        if target is not None:
            target[_REFERRALS : _REFERRALS + 4] = [int(n or 0) for n in referrals[:4]]
            target[_OUTCOMES : _OUTCOMES + 5] = [int(n or 0) for n in referrals[4:]]

    # family beds from the beds' table (a resident may have had several); proxy refills dispensed in the period
    for resident_id, opened_on, closed_on in uow.fast_rows(
        "SELECT resident_id, opened_on, closed_on FROM family_bed WHERE deleted = 0 AND opened_on <= :end "
        "ORDER BY resident_id, opened_on",
        params,
    ):
        target = facts.get(resident_id)
        if target is not None:
            target[_BED_PERIODS] = (*target[_BED_PERIODS], (date.fromisoformat(opened_on), _day(closed_on)))
    for resident_id, dispensed in uow.fast_rows(
        "SELECT resident_id, COUNT(*) FROM medication_dispense WHERE deleted = 0 "
        "AND dispensed_on BETWEEN :start AND :end GROUP BY resident_id",
        params,
    ):
        target = facts.get(resident_id)
        if target is not None:
            target[_REFILLS] = int(dispensed)

    # the colour history up to the period end: the last confirmed colour, and the changes within the period
    following = (period.end + timedelta(days=1)).isoformat()
    for resident_id, colour, decided_at, previous in uow.fast_rows(
        "SELECT resident_id, colour, decided_at, "
        "LAG(colour) OVER (PARTITION BY resident_id ORDER BY decided_at, id) "
        "FROM triagedecision WHERE deleted = 0 AND decided_at < :following ORDER BY resident_id, decided_at, id",
        {"following": following},
    ):
        target = facts.get(resident_id)
        if target is None:
            continue
        target[_COLOUR_END] = str(colour)
        if previous is not None and str(decided_at) >= start and previous != colour:
            target[_COLOUR_UP if colour_rank(colour) > colour_rank(previous) else _COLOUR_DOWN] += 1

    return [ResidentFacts(*values) for values in facts.values()]


_FIELDS = [name for name in ResidentFacts.__dataclass_fields__]
(
    _ANNUAL_CHECK,
    _HYPERTENSIVE,
    _HT_FOLLOW_UPS,
    _HT_LAST_BP,
    _DIABETIC,
    _DM_FOLLOW_UPS,
    _DM_LAST_GLUCOSE,
    _COLOUR_END,
    _COLOUR_UP,
    _COLOUR_DOWN,
    _VISITS,
) = (
    _FIELDS.index(name)
    for name in (
        "annual_check",
        "hypertensive",
        "ht_follow_ups",
        "ht_last_bp",
        "diabetic",
        "dm_follow_ups",
        "dm_last_glucose",
        "colour_end",
        "colour_up",
        "colour_down",
        "visits",
    )
)
_REFERRALS, _AD8, _CARE_LEVEL, _BED_PERIODS, _REFILLS, _OUTCOMES = (
    _FIELDS.index(name)
    for name in ("referrals_urgent", "ad8", "care_level", "bed_periods", "refills", "referrals_admitted")
)
assert _FIELDS[_OUTCOMES : _OUTCOMES + 5] == [
    "referrals_admitted",
    "referrals_returned",
    "referrals_declined",
    "referrals_not_needed",
    "referrals_overdue",
]
assert _FIELDS[_REFERRALS : _REFERRALS + 4] == [
    "referrals_urgent",
    "referrals_routine",
    "referrals_closed",
    "referrals_open_end",
]
assert _FIELDS[_AD8 : _CARE_LEVEL + 1] == ["ad8", "ad8_positive", "care_level"]


def round_facts(uow: UnitOfWork, first: date, last: date, institution_id: str | None = None) -> list[RoundFacts]:
    """The rounds dated ``first``..``last`` (not removed), with whether a planned one has visits recorded."""
    params: dict[str, Any] = {"first": first.isoformat(), "last": last.isoformat()}
    where = ""
    if institution_id is not None:
        where = " AND r.institution_id = :institution"
        params["institution"] = institution_id
    return [
        RoundFacts(str(row[0]), str(row[1]), date.fromisoformat(row[2]), str(row[3]), int(row[4]))
        for row in uow.fast_rows(
            "SELECT r.id, r.institution_id, r.round_date, r.status, CASE WHEN r.status = 'planned' THEN "
            "(SELECT COUNT(*) FROM visit v WHERE v.round_id = r.id AND v.deleted = 0) ELSE 0 END "
            "FROM round r WHERE r.deleted = 0 AND r.round_date BETWEEN :first AND :last" + where,
            params,
        )
    ]


def agreement_facts(uow: UnitOfWork, institution_id: str | None = None) -> list[AgreementFacts]:
    """Every agreement not removed, with the rounds a week it asks for."""
    params: dict[str, Any] = {}
    where = ""
    if institution_id is not None:
        where = " AND institution_id = :institution"
        params["institution"] = institution_id
    return [
        AgreementFacts(
            str(row[0]), date.fromisoformat(row[1]), _day(row[2]), agreed_rounds_per_week(int(row[3] or 0), row[4])
        )
        for row in uow.fast_rows(
            "SELECT institution_id, start_date, end_date, min_rounds_per_week, round_weekdays FROM agreement "
            "WHERE deleted = 0" + where,
            params,
        )
    ]


def resident_rows(uow: UnitOfWork, resident_ids: Iterable[str]) -> list[tuple[Any, ...]]:
    """For the lists behind figures: ``(id, name, sex, birth_date, institution, building, room, bed, colour,
    record_number)`` of the given residents (any order)."""
    ids = list(dict.fromkeys(resident_ids))
    rows: list[tuple[Any, ...]] = []
    for first in range(0, len(ids), 500):
        chunk: Sequence[str] = ids[first : first + 500]
        marks = ", ".join(f":p{i}" for i in range(len(chunk)))
        rows += uow.fast_rows(
            "SELECT r.id, r.name, r.sex, r.birth_date, COALESCE(i.name, ''), r.building, r.room, r.bed, r.colour, "
            "r.record_number FROM resident r LEFT JOIN institution i ON i.id = r.institution_id "
            f"WHERE r.id IN ({marks})",
            {f"p{i}": value for i, value in enumerate(chunk)},
        )
    return rows


def stays(uow: UnitOfWork, first: date, last: date, institution_id: str | None = None) -> list[Stay]:
    """The stays overlapping ``first``..``last`` (a resident without any: from admission, at their institution)."""
    params: dict[str, Any] = {"first": first.isoformat(), "last": last.isoformat()}
    where = ""
    if institution_id is not None:
        where = " AND COALESCE(p.institution_id, r.institution_id) = :institution"
        params["institution"] = institution_id
    result = []
    for rid, institution, start, end, status, status_date in uow.fast_rows(
        "SELECT r.id, COALESCE(p.institution_id, r.institution_id), COALESCE(p.start_date, r.admission_date, "
        "'0001-01-01'), p.end_date, r.status, r.status_date FROM resident r "
        "LEFT JOIN residenceperiod p ON p.resident_id = r.id AND p.deleted = 0 "
        "WHERE r.deleted = 0 AND COALESCE(p.start_date, r.admission_date, '0001-01-01') <= :last "
        "AND (p.end_date IS NULL OR p.end_date >= :first)" + where,
        params,
    ):
        departed = None
        if status in {s.value for s in DEPARTED_STATUSES}:
            departed = _day(status_date) or date.min
        result.append(Stay(rid, institution, date.fromisoformat(start[:10]), _day(end), departed))
    return result


def colour_decisions(uow: UnitOfWork, last: date) -> list[tuple[str, str, date]]:
    """Every confirmed colour up to ``last``: ``(resident_id, colour, day)`` in time order."""
    following = (last + timedelta(days=1)).isoformat()
    return [
        (rid, colour, date.fromisoformat(str(decided)[:10]))
        for rid, colour, decided in uow.fast_rows(
            "SELECT resident_id, colour, decided_at FROM triagedecision WHERE deleted = 0 AND decided_at < :following "
            "ORDER BY decided_at, id",
            {"following": following},
        )
    ]


def open_referrals(
    uow: UnitOfWork, institution_id: str | None = None
) -> list[tuple[str, str, str, str, str, bool, date]]:
    """The referrals not closed, oldest first: ``(institution, name, bed, destination, reason, urgent, opened_on)``."""
    params: dict[str, Any] = {}
    where = ""
    if institution_id is not None:
        where = " AND r.institution_id = :institution"
        params["institution"] = institution_id
    return [
        (
            str(row[0] or ""),
            str(row[1]),
            str(row[2]),
            str(row[3]),
            str(row[4]),
            bool(row[5]),
            date.fromisoformat(row[6]),
        )
        for row in uow.fast_rows(
            "SELECT i.name, r.name, trim(r.building || '-' || r.room || '-' || r.bed, '-'), f.destination, f.reason, "
            "f.urgent, f.opened_on FROM referral f JOIN resident r ON r.id = f.resident_id "
            "LEFT JOIN institution i ON i.id = r.institution_id "
            "WHERE f.deleted = 0 AND f.closed_on IS NULL AND r.deleted = 0" + where + " ORDER BY f.opened_on, r.name",
            params,
        )
    ]


@dataclass
class DatedFacts:
    """What the overdue rule reads of each resident, dated, for the weeks ``first``..``until`` (day ordinals).

    Per resident: the days seen (the last before ``first`` and every one up to ``until``, corrected versions left
    out), the annual checks the same way, the chronic follow-up days with their most severe classification
    (0–3), birth and since (admission, else signing) days and the current colour (for one never confirmed);
    ``chronic`` gives, per day asked, the residents with a condition needing chronic follow-up that day;
    ``statuses`` each resident's status changes (hospitalised, back, ...) up to ``until``, in order.
    """

    residents: dict[str, tuple[int, int | None, str]] = field(default_factory=dict)  # birth, since, colour
    seen: dict[str, list[int]] = field(default_factory=dict)
    checks: dict[str, list[int]] = field(default_factory=dict)
    follow_ups: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    chronic: dict[date, set[str]] = field(default_factory=dict)
    statuses: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # status changes, in order


_ORDINAL = "CAST(julianday({}) - 1721424.5 AS INTEGER)"


def dated_facts(uow: UnitOfWork, first: date, until: date, days: Sequence[date], codes: Sequence[str]) -> DatedFacts:
    """The facts of :class:`DatedFacts` before ``until`` (exclusive), in a few passes over narrow indexes."""
    params: dict[str, Any] = {"first": first.isoformat(), "until": until.isoformat()}
    facts = DatedFacts()
    for rid, birth, since, colour in uow.fast_rows(
        f"SELECT r.id, {_ORDINAL.format('r.birth_date')}, "
        f"{_ORDINAL.format('COALESCE(r.admission_date, r.signed_on)')}, r.colour FROM resident r WHERE r.deleted = 0"
    ):
        facts.residents[rid] = (int(birth), None if since is None else int(since), str(colour or ""))
    seen = "v.outcome = 'seen' AND v.deleted = 0"
    rows = uow.fast_rows(
        f"SELECT v.resident_id, {_ORDINAL.format('MAX(v.visit_date)')} FROM visit v WHERE {seen} "
        "AND v.visit_date < :first GROUP BY v.resident_id "
        f"UNION ALL SELECT v.resident_id, {_ORDINAL.format('v.visit_date')} FROM visit v WHERE {seen} "
        "AND v.visit_date >= :first AND v.visit_date < :until",
        params,
    )
    # a corrected version is no visit: the few residents with one are read again, exactly (the index of seen
    # visits the passes above read has no visit id)
    corrected = [
        rid
        for (rid,) in uow.fast_rows(
            f"SELECT DISTINCT v.resident_id FROM visit v WHERE v.id IN {CORRECTED} AND {seen} "
            "AND v.visit_date < :until",
            params,
        )
    ]
    if corrected:
        again = {**params, "ids": json.dumps(corrected)}
        rows = [row for row in rows if row[0] not in set(corrected)] + uow.fast_rows(
            f"SELECT v.resident_id, {_ORDINAL.format('v.visit_date')} FROM visit v WHERE {seen} "
            f"AND v.visit_date < :until AND v.id NOT IN {CORRECTED} "
            "AND v.resident_id IN (SELECT value FROM json_each(:ids))",
            again,
        )
    for rid, day in rows:
        facts.seen.setdefault(rid, []).append(int(day))
    for rid, day in uow.fast_rows(
        f"SELECT a.resident_id, {_ORDINAL.format('MAX(a.assessed_on)')} FROM assessment a WHERE a.deleted = 0 "
        "AND a.kind = 'annual_check' AND a.assessed_on < :first GROUP BY a.resident_id "
        f"UNION ALL SELECT a.resident_id, {_ORDINAL.format('a.assessed_on')} FROM assessment a WHERE a.deleted = 0 "
        "AND a.kind = 'annual_check' AND a.assessed_on >= :first AND a.assessed_on < :until",
        params,
    ):
        facts.checks.setdefault(rid, []).append(int(day))
    severity = SEVERITY_SQL.format("v.chronic_class")
    live = f"{FOLLOW_UP} AND v.id NOT IN {CORRECTED}"
    for rid, day, worst in uow.fast_rows(
        f"WITH last AS (SELECT v.resident_id AS rid, MAX(v.visit_date) AS day FROM visit v WHERE {live} "
        "AND v.visit_date < :first GROUP BY v.resident_id) "
        f"SELECT v.resident_id, {_ORDINAL.format('v.visit_date')}, MAX({severity}) FROM last "
        f"JOIN visit v ON v.resident_id = last.rid AND v.visit_date = last.day WHERE {live} "
        "GROUP BY v.resident_id, v.visit_date "
        f"UNION ALL SELECT v.resident_id, {_ORDINAL.format('v.visit_date')}, MAX({severity}) FROM visit v "
        f"WHERE {live} AND v.visit_date >= :first AND v.visit_date < :until GROUP BY v.resident_id, v.visit_date",
        params,
    ):
        facts.follow_ups.setdefault(rid, []).append((int(day), int(worst or 0)))
    # a condition active and known before the first day is one on every day asked (most of them: read once);
    # the others — resolved since, or diagnosed in the window — are asked day by day
    codes_json = json.dumps(list(codes))
    of_codes = "c.deleted = 0 AND c.code IN (SELECT value FROM json_each(:codes))"
    always = "c.active = 1 AND (c.diagnosed_on IS NULL OR c.diagnosed_on <= :first)"
    throughout = {
        rid
        for (rid,) in uow.fast_rows(
            f"SELECT DISTINCT c.resident_id FROM condition c WHERE {of_codes} AND {always}",
            {"codes": codes_json, "first": first.isoformat()},
        )
    }
    for day in days:
        facts.chronic[day] = throughout | {
            rid
            for (rid,) in uow.fast_rows(
                f"SELECT DISTINCT c.resident_id FROM condition c WHERE {of_codes} AND NOT ({always}) "
                f"AND {had_condition_on('c.', ':day')}",
                {"codes": codes_json, "day": day.isoformat(), "first": first.isoformat()},
            )
        }
    for rid, day, status in uow.fast_rows(
        f"SELECT s.resident_id, {_ORDINAL.format('s.on_date')}, s.status FROM statuschange s WHERE s.deleted = 0 "
        "AND s.on_date <= :until ORDER BY s.on_date, s.created_at",
        params,
    ):
        facts.statuses.setdefault(rid, []).append((int(day), str(status)))
    for days_of in (*facts.seen.values(), *facts.checks.values()):
        days_of.sort()
    for follow_ups in facts.follow_ups.values():
        follow_ups.sort()
    return facts
