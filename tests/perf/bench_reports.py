"""The reports row of tests/perf/bench.py (``--only reports``): the quarter's return against plain SQL."""

from __future__ import annotations

import sqlite3
import statistics
from pathlib import Path

from bench import Row, median_ms

from app.bootstrap import open_context

# --- reports -----------------------------------------------------------------------------------------------

_AT_END = (
    "FROM resident r JOIN residenceperiod p ON p.resident_id = r.id AND p.deleted = 0 AND p.start_date <= :e "
    "AND (p.end_date IS NULL OR p.end_date > :e) WHERE r.deleted = 0 "
    "AND NOT (r.status IN ('deceased', 'discharged', 'transferred') AND COALESCE(r.status_date, '0') <= :e)"
)
_LIVE = (
    "v.deleted = 0 AND v.outcome = 'seen' AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND "
    "c.deleted = 0)"
)
_LAST_COLOUR = (
    "(SELECT colour FROM triagedecision d WHERE d.resident_id = r.id AND d.deleted = 0 AND d.decided_at < :f ORDER "
    "BY d.decided_at DESC LIMIT 1)"
)
_HAS = (
    "EXISTS (SELECT 1 FROM condition k WHERE k.resident_id = r.id AND k.code = '{code}' AND k.active = 1 AND "
    "k.deleted = 0)"
)
_HT = "(v.hypertension_class != '' OR (v.chronic_class != '' AND v.diabetes_class = ''))"  # each disease's own
_DM = "(v.diabetes_class != '' OR (v.chronic_class != '' AND v.hypertension_class = ''))"  # follow-ups (DOMAIN §4)
_FOLLOW_UPS = (
    "(SELECT COUNT(*) FROM visit v WHERE v.resident_id = r.id AND v.chronic_class != '' AND {rule} AND "
    f"v.visit_date BETWEEN :y AND :e AND {_LIVE})"
)
_LAST_BP = (
    f"(SELECT v.sbp < CASE WHEN (julianday(v.visit_date) - julianday(r.birth_date)) / 365.25 >= 65 THEN 150 ELSE "
    f"140 END "
    f"AND v.dbp < 90 FROM visit v WHERE v.resident_id = r.id AND v.chronic_class != '' AND {_HT} AND v.sbp IS NOT NULL "
    f"AND v.visit_date BETWEEN :y AND :e AND {_LIVE} ORDER BY v.visit_date DESC LIMIT 1)"
)
_LAST_GLUCOSE = (
    f"(SELECT v.glucose < 7.0 FROM visit v WHERE v.resident_id = r.id AND v.chronic_class != '' AND {_DM} AND "
    f"v.glucose_fasting = 1 "
    f"AND v.glucose IS NOT NULL AND v.visit_date BETWEEN :y AND :e AND {_LIVE} ORDER BY v.visit_date DESC LIMIT 1)"
)
REPORT_BASELINE = {
    # one hand-written query per indicator of the return (the rates are divisions of two of these)
    "signed_institutions": "SELECT COUNT(DISTINCT institution_id) FROM agreement WHERE deleted = 0 AND start_date "
    "<= :e AND (end_date IS NULL OR end_date >= :s)",
    "in_residence": f"SELECT COUNT(*) {_AT_END}",
    "signed": f"SELECT COUNT(*) {_AT_END} AND r.signed_on <= :e",
    "rounds_held": "SELECT COUNT(*) FROM round r WHERE r.deleted = 0 AND r.round_date BETWEEN :s AND :e AND "
    "(r.status = 'done' OR (r.status = 'planned' AND EXISTS (SELECT 1 FROM visit v WHERE v.round_id = r.id AND "
    "v.deleted = 0)))",
    "rounds_cancelled": "SELECT COUNT(*) FROM round WHERE deleted = 0 AND round_date BETWEEN :s AND :e AND status "
    "= 'cancelled'",
    "weeks_compliant": "SELECT COUNT(*) FROM (SELECT institution_id, strftime('%Y%W', round_date) FROM round WHERE "
    "deleted = 0 AND status = 'done' AND round_date BETWEEN :s AND :e GROUP BY 1, 2)",
    "visits": f"SELECT COUNT(*) FROM visit v WHERE v.visit_date BETWEEN :s AND :e AND {_LIVE}",
    "residents_seen": f"SELECT COUNT(DISTINCT v.resident_id) FROM visit v WHERE v.visit_date BETWEEN :s AND :e "
    f"AND {_LIVE}",
    "red": f"SELECT COUNT(*) {_AT_END} AND {_LAST_COLOUR} = 'red'",
    "yellow": f"SELECT COUNT(*) {_AT_END} AND {_LAST_COLOUR} = 'yellow'",
    "green": f"SELECT COUNT(*) {_AT_END} AND {_LAST_COLOUR} = 'green'",
    "unconfirmed": f"SELECT COUNT(*) {_AT_END} AND {_LAST_COLOUR} IS NULL",
    "colour_changes": "SELECT SUM(colour != before) FROM (SELECT colour, decided_at, LAG(colour) OVER (PARTITION "
    "BY resident_id ORDER BY decided_at) AS before FROM triagedecision WHERE deleted = 0 AND decided_at < :f) "
    "WHERE decided_at >= :s",
    "elderly": f"SELECT COUNT(*) {_AT_END} AND substr(r.birth_date, 1, 4) <= :old",
    "elderly_checked": f"SELECT COUNT(*) {_AT_END} AND substr(r.birth_date, 1, 4) <= :old AND EXISTS (SELECT 1 "
    "FROM assessment a WHERE a.resident_id = r.id AND a.kind = 'annual_check' AND a.deleted = 0 AND a.assessed_on "
    "BETWEEN :y AND :e)",
    "ht_managed": f"SELECT COUNT(*) {_AT_END} AND " + _HAS.format(code="hypertension"),
    "ht_regular": f"SELECT COUNT(*) {_AT_END} AND "
    + _HAS.format(code="hypertension")
    + f" AND {_FOLLOW_UPS.format(rule=_HT)} >= 4",
    "ht_controlled": f"SELECT COUNT(*) {_AT_END} AND " + _HAS.format(code="hypertension") + f" AND {_LAST_BP} = 1",
    "dm_managed": f"SELECT COUNT(*) {_AT_END} AND " + _HAS.format(code="diabetes_t2"),
    "dm_regular": f"SELECT COUNT(*) {_AT_END} AND "
    + _HAS.format(code="diabetes_t2")
    + f" AND {_FOLLOW_UPS.format(rule=_DM)} >= 4",
    "dm_controlled": f"SELECT COUNT(*) {_AT_END} AND " + _HAS.format(code="diabetes_t2") + f" AND {_LAST_GLUCOSE} = 1",
    "beds_opened": "SELECT COUNT(*) FROM resident WHERE deleted = 0 AND family_bed_start BETWEEN :s AND :e",
    "beds_closed": "SELECT COUNT(*) FROM resident WHERE deleted = 0 AND family_bed_end BETWEEN :s AND :e",
    "beds_open": "SELECT COUNT(*) FROM resident WHERE deleted = 0 AND family_bed_start <= :e AND (family_bed_end "
    "IS NULL OR family_bed_end > :e)",
    "bed_days": "SELECT SUM(julianday(MIN(COALESCE(family_bed_end, :f), :f)) - julianday(MAX(family_bed_start, "
    ":s))) FROM resident WHERE deleted = 0 AND family_bed_start <= :e AND (family_bed_end IS NULL OR "
    "family_bed_end > :s)",
    "referrals_urgent": "SELECT COUNT(*) FROM referral WHERE deleted = 0 AND urgent = 1 AND opened_on BETWEEN :s "
    "AND :e",
    "referrals_routine": "SELECT COUNT(*) FROM referral WHERE deleted = 0 AND urgent = 0 AND opened_on BETWEEN :s "
    "AND :e",
    "referrals_closed": "SELECT COUNT(*) FROM referral WHERE deleted = 0 AND closed_on BETWEEN :s AND :e",
    "referrals_open": "SELECT COUNT(*) FROM referral WHERE deleted = 0 AND opened_on <= :e AND (closed_on IS NULL "
    "OR closed_on > :e)",
    **{
        f"referrals_{outcome}": "SELECT COUNT(*) FROM referral WHERE deleted = 0 AND closed_on BETWEEN :s AND :e "
        f"AND outcome = '{outcome}'"
        for outcome in ("admitted", "returned", "declined", "not_needed")
    },
    "referrals_overdue": "SELECT COUNT(*) FROM referral WHERE deleted = 0 AND (closed_on IS NULL OR closed_on > :e) "
    "AND opened_on <= date(:e, '-14 days')",
    "ad8": "SELECT COUNT(*) FROM assessment WHERE deleted = 0 AND kind = 'ad8' AND assessed_on BETWEEN :s AND :e",
    "ad8_positive": "SELECT COUNT(*) FROM assessment WHERE deleted = 0 AND kind = 'ad8' AND result = 'positive' "
    "AND assessed_on BETWEEN :s AND :e",
    "care_level": "SELECT COUNT(*) FROM assessment WHERE deleted = 0 AND kind = 'care_level' AND assessed_on "
    "BETWEEN :s AND :e",
}
"""The baseline of the quarter's return: these queries one after the other, on one plain sqlite3 connection."""

SAME_ANSWER = tuple(
    key
    for key in REPORT_BASELINE
    # these few are simpler than the report's rules (weeks by the calendar, the resident's own bed dates, no
    # report day): they cost the same, their numbers may differ; every other one must find the same number
    if key not in ("weeks_compliant", "colour_changes", "referrals_overdue") and not key.startswith("bed")
)


def bench_reports(path: Path, repeat: int = 3) -> list[Row]:
    """The quarter's return for the whole center (one period, the previous one not beside) against
    :data:`REPORT_BASELINE` run in the same process; each alternately, so a busy moment falls on both."""
    from datetime import date, timedelta

    from app.domain.report_periods import quarter
    from app.services.reports.figures import compute_report

    today = date.today()
    period = quarter(today.year, (today.month - 1) // 3 + 1)
    params = {
        "s": period.start.isoformat(),
        "e": period.end.isoformat(),
        "y": date(period.end.year, 1, 1).isoformat(),
        "f": (period.end + timedelta(days=1)).isoformat(),
        "old": str(period.end.year - 65),
    }
    context = open_context(path, create=False)
    plain = sqlite3.connect(path)
    for pragma in ("cache_size=-65536", "mmap_size=268435456"):
        plain.execute("PRAGMA " + pragma)

    answers: dict[str, object] = {}

    def baseline() -> None:
        for key, sql in REPORT_BASELINE.items():
            found = plain.execute(sql, {name: value for name, value in params.items() if f":{name}" in sql})
            answers[key] = found.fetchall()[0][0]

    def ours() -> dict[str, int]:
        return compute_report(context.uow(), period=period, today=today, with_previous=False).figures.counts[""]

    try:
        baseline()
        counted = ours()  # warm the file cache for both, and check both found the same
        differ = {key: (answers[key], counted[key]) for key in SAME_ANSWER if answers[key] != counted[key]}
        if differ:
            raise SystemExit(f"the baseline and the report disagree (baseline, report): {differ}")
        times, baseline_times = [], []
        for _ in range(repeat):
            baseline_times.append(median_ms(baseline, 1))
            times.append(median_ms(ours, 1))
    finally:
        plain.close()
        context.close()
    ms, base = statistics.median(times), statistics.median(baseline_times)
    return [
        Row(
            f"quarter's return, whole center ({len(REPORT_BASELINE)} plain queries)",
            ms,
            base,
            "≤ 2 000 ms, ≤ 1.5× baseline",
            ms <= 2000 and ms <= 1.5 * base,
        )
    ]
