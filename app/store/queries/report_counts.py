"""The center's figures counted by the database, set-based (DOMAIN §9; docs/reports.md "Speed").

:func:`resident_counts` returns every resident-level indicator of :data:`app.domain.reports.RESIDENT_KEYS`
summed per institution by one SQL statement: no row per resident crosses into Python. Each resident's facts
are found by seeks in narrow covering indexes (migration 0011): the stay at period end, the conditions, the
last confirmed colour, and — only for the managed hypertensive and diabetic residents — the fourth follow-up of
the year and the last follow-up's BP or fasting glucose. The visits of the period are counted from the index of
"seen" visits, the corrected versions subtracted (there are few).

The same conditions are read per resident by :func:`app.store.queries.reports.resident_facts` for the lists
behind the figures, where :func:`app.domain.reports.resident_values` applies the rules in Python; the SQL
fragments below are shared by both, and a test (tests/services/reports) checks the two agree on every figure of
the hand-built center and of a demo center, per institution and for several periods.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.domain.referrals import FOLLOW_UP_DAYS
from app.domain.report_indicators import RESIDENT_KEYS
from app.domain.report_periods import Period
from app.domain.reports import AGE_ELDERLY, BP_TARGET, BP_TARGET_ELDERLY, FASTING_GLUCOSE_TARGET, REGULAR_FOLLOW_UPS
from app.domain.residents import DEPARTED_STATUSES
from app.store.uow import UnitOfWork

REFERRAL_OUTCOMES = ("admitted", "returned", "declined", "not_needed")
"""The outcomes a referral is closed with (:class:`app.domain.referrals.ReferralOutcome`), in the return's order."""

DEPARTED = ", ".join(f"'{status.value}'" for status in sorted(DEPARTED_STATUSES))

CORRECTED = "(SELECT c.corrects_id FROM visit c WHERE c.corrects_id IS NOT NULL AND c.deleted = 0)"
"""SQL: the ids of the visits a live correction replaced (only the last version of a visit counts)."""

FOLLOW_UP = "v.chronic_class != '' AND v.outcome = 'seen' AND v.deleted = 0"
"""SQL: a live chronic-disease follow-up (a visit seen with a classification): ``ix_visit_report``'s rows."""

HT_FOLLOW_UP = "(v.hypertension_class != '' OR (v.chronic_class != '' AND v.diabetes_class = ''))"
"""SQL: a follow-up of the hypertension: classified for it, or an older form's one classification (neither
disease's own set), which stood for each disease the resident has (as migration 0010 reads them)."""

DM_FOLLOW_UP = "(v.diabetes_class != '' OR (v.chronic_class != '' AND v.hypertension_class = ''))"
"""SQL: a follow-up of the type 2 diabetes (the same rule)."""

REFERRALS_FROM = "FROM referral WHERE deleted = 0 AND opened_on <= :end GROUP BY resident_id"
_REFERRAL_CASES = (
    "opened_on >= :start AND urgent = 1",
    "opened_on >= :start AND urgent = 0",
    "closed_on BETWEEN :start AND :end",
    "closed_on IS NULL OR closed_on > :end",
    *(f"closed_on BETWEEN :start AND :end AND outcome = '{o}'" for o in REFERRAL_OUTCOMES),
    "(closed_on IS NULL OR closed_on > :as_of) AND opened_on <= :overdue_opened",
)
REFERRAL_SUMS = ", ".join(
    f"SUM(CASE WHEN {case} THEN 1 ELSE 0 END) AS n{number}" for number, case in enumerate(_REFERRAL_CASES)
)
"""SQL, per resident's referrals (opened on or before the period end): opened in the period urgent / routine,
closed in the period, open at its end, closed in the period by each outcome, and open 14 days or more on the
report's day (the period end, or today for a period in progress) — due for follow-up (DOMAIN §8)."""

STAYS = (
    "FROM resident r LEFT JOIN residenceperiod p ON p.resident_id = r.id AND p.deleted = 0 "
    "WHERE r.deleted = 0 AND COALESCE(p.start_date, r.admission_date, '0001-01-01') <= :end "
    "AND (p.end_date IS NULL OR p.end_date >= :start) "
    f"AND NOT (r.status IN ({DEPARTED}) AND COALESCE(r.status_date, '0001-01-01') < :start) "
    # several stays in the period: the last one (the earliest made among those starting the same day)
    "AND NOT EXISTS (SELECT 1 FROM residenceperiod q WHERE q.resident_id = r.id AND q.deleted = 0 "
    "AND q.start_date <= :end AND (q.end_date IS NULL OR q.end_date >= :start) "
    "AND (q.start_date > p.start_date OR (q.start_date = p.start_date AND q.id < p.id)))"
)
"""SQL: the residents who lived in an institution at some time in the period, one row each with its stay
(``r``, ``p``; ``p`` is null for a resident with no stay recorded, who counts from admission)."""

AT_END = (
    f"CASE WHEN (p.end_date IS NULL OR p.end_date > :end) AND NOT (r.status IN ({DEPARTED}) "
    "AND (r.status_date IS NULL OR r.status_date <= :end)) THEN 1 ELSE 0 END"
)
"""SQL: 1 when the resident of :data:`STAYS` is in residence on the period's last day."""


def referral_params(period: Period, today: date | None) -> dict[str, str]:
    """The parameters of :data:`REFERRAL_SUMS` (besides the period's ``start`` and ``end``)."""
    as_of = min(period.end, today) if today is not None else period.end
    return {"as_of": as_of.isoformat(), "overdue_opened": (as_of - timedelta(days=FOLLOW_UP_DAYS)).isoformat()}


def _has(code: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM condition k WHERE k.code = '{code}' AND k.resident_id = r.id AND k.active = 1 "
        "AND k.deleted = 0)"
    )


def _follow_up(rule: str, condition: str, order: str, value: str, offset: int = 0) -> str:
    """SQL: of the resident ``w.rid``'s follow-ups of a disease in the year window, ``value`` of the first in
    ``order`` meeting ``condition`` (after ``offset`` of them)."""
    return (
        f"(SELECT {value} FROM visit v WHERE v.resident_id = w.rid AND {FOLLOW_UP} AND {rule} AND {condition} "
        f"AND v.visit_date BETWEEN :year_start AND :end AND v.id NOT IN {CORRECTED} ORDER BY {order} "
        f"LIMIT 1 OFFSET {offset})"
    )


_LATEST = "v.visit_date DESC, v.visited_at DESC NULLS LAST, v.id DESC"
_RANK = "(CASE {} WHEN 'red' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END)"

_REGULAR = (
    "CASE WHEN {flag} = 1 AND "
    + _follow_up("{rule}", "1 = 1", "v.visit_date", "v.visit_date", REGULAR_FOLLOW_UPS - 1)
    + " IS NOT NULL THEN 1 ELSE 0 END"
)
_BP_OK = (
    "CASE WHEN w.ht = 1 AND "
    + _follow_up(
        HT_FOLLOW_UP,
        "v.sbp IS NOT NULL AND v.dbp IS NOT NULL",
        _LATEST,
        # the target by the age on the follow-up's day: below 150/90 from 65, else below 140/90
        f"CASE WHEN v.sbp < CASE WHEN v.visit_date >= date(w.birth, '+{AGE_ELDERLY} years') "
        f"THEN {BP_TARGET_ELDERLY[0]} ELSE {BP_TARGET[0]} END "
        f"AND v.dbp < CASE WHEN v.visit_date >= date(w.birth, '+{AGE_ELDERLY} years') "
        f"THEN {BP_TARGET_ELDERLY[1]} ELSE {BP_TARGET[1]} END THEN 1 ELSE 0 END",
    )
    + " = 1 THEN 1 ELSE 0 END"
)
_GLUCOSE_OK = (
    "CASE WHEN w.dm = 1 AND "
    + _follow_up(
        DM_FOLLOW_UP,
        "v.glucose IS NOT NULL AND v.glucose_fasting = 1",
        _LATEST,
        f"CASE WHEN v.glucose < {FASTING_GLUCOSE_TARGET} THEN 1 ELSE 0 END",
    )
    + " = 1 THEN 1 ELSE 0 END"
)

_BED_DAYS = "CASE WHEN {stop} > {first} THEN CAST(julianday({stop}) - julianday({first}) AS INTEGER) ELSE 0 END".format(
    first="CASE WHEN b.opened > :start THEN b.opened ELSE :start END",
    stop="CASE WHEN b.closed IS NOT NULL AND b.closed < :bed_stop THEN b.closed ELSE :bed_stop END",
)

COUNTS_SQL = f"""
WITH w AS MATERIALIZED (
  SELECT r.id AS rid, COALESCE(p.institution_id, r.institution_id) AS inst, r.birth_date AS birth,
    r.family_bed_start AS bed_start, r.family_bed_end AS bed_end, {AT_END} AS at_end,
    CASE WHEN {AT_END} = 1 AND r.signed_on <= :end THEN 1 ELSE 0 END AS signed,
    CASE WHEN {AT_END} = 1 AND r.birth_date < :elderly_born_before THEN 1 ELSE 0 END AS elderly,
    CASE WHEN {AT_END} = 1 AND {_has("hypertension")} THEN 1 ELSE 0 END AS ht,
    CASE WHEN {AT_END} = 1 AND {_has("diabetes_t2")} THEN 1 ELSE 0 END AS dm,
    CASE WHEN {AT_END} = 1 THEN COALESCE((SELECT d.colour FROM triagedecision d WHERE d.resident_id = r.id
      AND d.deleted = 0 AND d.decided_at < :following ORDER BY d.decided_at DESC, d.id DESC LIMIT 1), '') END AS colour
  {STAYS}
),
seen AS (
  SELECT resident_id AS rid, COUNT(*) AS n FROM visit
  WHERE outcome = 'seen' AND deleted = 0 AND visit_date BETWEEN :start AND :end GROUP BY resident_id
),
replaced AS (
  SELECT resident_id AS rid, COUNT(*) AS n FROM visit WHERE id IN {CORRECTED}
  AND outcome = 'seen' AND deleted = 0 AND visit_date BETWEEN :start AND :end GROUP BY resident_id
),
changes AS (
  SELECT rid, SUM(CASE WHEN {_RANK.format("colour")} > {_RANK.format("before")} THEN 1 ELSE 0 END) AS up,
    SUM(CASE WHEN {_RANK.format("colour")} > {_RANK.format("before")} THEN 0 ELSE 1 END) AS down
  FROM (SELECT d.resident_id AS rid, d.colour, (SELECT e.colour FROM triagedecision e
      WHERE e.resident_id = d.resident_id AND e.deleted = 0
      AND (e.decided_at < d.decided_at OR (e.decided_at = d.decided_at AND e.id < d.id))
      ORDER BY e.decided_at DESC, e.id DESC LIMIT 1) AS before
    FROM triagedecision d WHERE d.deleted = 0 AND d.decided_at >= :start AND d.decided_at < :following) x
  WHERE before IS NOT NULL AND before != colour GROUP BY rid
),
assessed AS (
  SELECT resident_id AS rid,
    MAX(CASE WHEN kind = 'annual_check' AND assessed_on >= :year_start THEN 1 ELSE 0 END) AS checked,
    SUM(CASE WHEN kind = 'ad8' AND assessed_on >= :start THEN 1 ELSE 0 END) AS ad8,
    SUM(CASE WHEN kind = 'ad8' AND assessed_on >= :start AND result = 'positive' THEN 1 ELSE 0 END) AS ad8_positive,
    SUM(CASE WHEN kind = 'care_level' AND assessed_on >= :start THEN 1 ELSE 0 END) AS care_level
  FROM assessment WHERE deleted = 0 AND kind IN ('annual_check', 'ad8', 'care_level')
  AND assessed_on BETWEEN :year_start AND :end GROUP BY resident_id
),
beds AS (
  SELECT resident_id AS rid, opened_on AS opened, closed_on AS closed FROM family_bed
  WHERE deleted = 0 AND opened_on <= :end
  UNION ALL
  SELECT w.rid, w.bed_start, w.bed_end FROM w WHERE w.bed_start IS NOT NULL AND NOT EXISTS
    (SELECT 1 FROM family_bed f WHERE f.resident_id = w.rid AND f.deleted = 0 AND f.opened_on <= :end)
),
bed_sums AS (
  SELECT b.rid, SUM(CASE WHEN b.opened BETWEEN :start AND :end THEN 1 ELSE 0 END) AS opened,
    SUM(CASE WHEN b.closed BETWEEN :start AND :end THEN 1 ELSE 0 END) AS closed,
    MAX(CASE WHEN b.opened <= :end AND (b.closed IS NULL OR b.closed > :end) THEN 1 ELSE 0 END) AS open_end,
    SUM({_BED_DAYS}) AS days
  FROM beds b GROUP BY b.rid
),
referrals AS (SELECT resident_id AS rid, {REFERRAL_SUMS} {REFERRALS_FROM}),
refills AS (
  SELECT resident_id AS rid, COUNT(*) AS n FROM medication_dispense
  WHERE deleted = 0 AND dispensed_on BETWEEN :start AND :end GROUP BY resident_id
)
SELECT w.inst,
  SUM(w.at_end), SUM(w.signed),
  SUM(COALESCE(seen.n, 0) - COALESCE(replaced.n, 0)),
  SUM(CASE WHEN COALESCE(seen.n, 0) - COALESCE(replaced.n, 0) > 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN w.colour = 'red' THEN 1 ELSE 0 END), SUM(CASE WHEN w.colour = 'yellow' THEN 1 ELSE 0 END),
  SUM(CASE WHEN w.colour = 'green' THEN 1 ELSE 0 END), SUM(CASE WHEN w.colour = '' THEN 1 ELSE 0 END),
  SUM(COALESCE(changes.up, 0)), SUM(COALESCE(changes.down, 0)),
  SUM(w.elderly), SUM(CASE WHEN w.elderly = 1 AND assessed.checked = 1 THEN 1 ELSE 0 END),
  SUM(w.ht), SUM({_REGULAR.format(flag="w.ht", rule=HT_FOLLOW_UP)}), SUM({_BP_OK}),
  SUM(w.dm), SUM({_REGULAR.format(flag="w.dm", rule=DM_FOLLOW_UP)}), SUM({_GLUCOSE_OK}),
  SUM(COALESCE(bed_sums.opened, 0)), SUM(COALESCE(bed_sums.closed, 0)),
  SUM(CASE WHEN w.at_end = 1 AND bed_sums.open_end = 1 THEN 1 ELSE 0 END), SUM(COALESCE(bed_sums.days, 0)),
  {", ".join(f"SUM(COALESCE(referrals.n{i}, 0))" for i in range(9))},
  SUM(COALESCE(assessed.ad8, 0)), SUM(COALESCE(assessed.ad8_positive, 0)), SUM(COALESCE(assessed.care_level, 0)),
  SUM(COALESCE(refills.n, 0)), SUM(CASE WHEN refills.n > 0 THEN 1 ELSE 0 END)
FROM w
LEFT JOIN seen ON seen.rid = w.rid
LEFT JOIN replaced ON replaced.rid = w.rid
LEFT JOIN changes ON changes.rid = w.rid
LEFT JOIN assessed ON assessed.rid = w.rid
LEFT JOIN bed_sums ON bed_sums.rid = w.rid
LEFT JOIN referrals ON referrals.rid = w.rid
LEFT JOIN refills ON refills.rid = w.rid
{{where}}
GROUP BY w.inst
"""
"""The statement of :func:`resident_counts`: a row per institution, the sums in :data:`RESIDENT_KEYS`' order."""


def resident_counts(
    uow: UnitOfWork, period: Period, *, today: date, institution_id: str | None = None
) -> dict[str, dict[str, int]]:
    """Every resident-level indicator of ``period`` per institution (``institution id -> key -> count``).

    Institutions with nobody in the period are absent. Nothing after ``today`` counts (bed-days).
    """
    params: dict[str, Any] = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "year_start": min(period.year_window()[0], period.start).isoformat(),
        "following": (period.end + timedelta(days=1)).isoformat(),
        "elderly_born_before": date(period.end.year - AGE_ELDERLY + 1, 1, 1).isoformat(),
        "bed_stop": (min(period.end, today) + timedelta(days=1)).isoformat(),
        **referral_params(period, today),
    }
    where = ""
    if institution_id is not None:
        where = "WHERE w.inst = :institution"
        params["institution"] = institution_id
    sql = COUNTS_SQL.replace("{where}", where)
    return {
        str(row[0]): dict(zip(RESIDENT_KEYS, (int(value or 0) for value in row[1:]), strict=True))
        for row in uow.fast_rows(sql, params)
    }
