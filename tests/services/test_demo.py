"""The demo center: realistic, valid, deterministic, all or nothing."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import AppContext, open_context
from app.domain.assessments import ad8_score, self_care_band, self_care_score
from app.domain.colours import TriageColour
from app.domain.conditions import BY_CODE
from app.domain.idcard import make_id_number, parse_id_number
from app.domain.institutions import InstitutionKind
from app.domain.scheduling import days_overdue
from app.domain.search import search_text
from app.domain.triage import DEFAULT_RULES, reasons_from_json, suggest_colour
from app.domain.vitals import validate_vitals
from app.services.accounts.sign_in import SignInFailed, sign_in
from app.services.demo import blocks, center, plan, vocabulary
from app.services.demo.center import DemoRefused, create_demo_center
from app.services.demo.plan import DEMO_PASSWORD, DemoSummary
from app.services.records.residents import search_residents
from app.services.triage import Scope, load_facts, refresh_suggestions, triage_review
from app.store.sqlite import sqlite3
from app.sync.clock import Timestamp

TODAY = date(2026, 11, 16)
RESIDENTS = 600
BLOCK_TABLES = (
    "resident",
    "residenceperiod",
    "statuschange",
    "condition",
    "medication",
    "allergy",
    "assessment",
    "triagedecision",
    "visit",
)
HOMECARE_TABLES = ("family_bed", "bed_order", "bed_check", "medication_dispense")
ALL_TABLES = (
    "center", "team", "staff", "institution", "agreement", "round", *BLOCK_TABLES, *HOMECARE_TABLES, "referral"
)  # fmt: skip
UUID7 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
CLINICAL_COLUMNS = {
    "resident": "id, name, sex, birth_date, id_number, institution_id, building, room, bed, admission_date, status, "
    "status_date, signed_on, signed_doctor_id, family_bed, hospice, care_level, colour, search_text",
    "visit": "id, resident_id, round_id, visit_date, visited_at, recorded_by, outcome, sbp, dbp, pulse, temperature, "
    "spo2, glucose, glucose_fasting, weight, findings, actions, chronic_class, hypertension_class, diabetes_class, "
    "adherence, lifestyle_advice, height, foot_pulse",
    "assessment": "id, resident_id, kind, assessed_on, assessed_by, score, result, items, notes",
    "condition": "id, resident_id, code, icd10, name, diagnosed_on",
    "medication": "id, resident_id, name, dose, frequency, start_date",
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, DemoSummary, list[str]]]:
    ctx = open_context(tmp_path_factory.mktemp("demo") / "x.sqlite")
    steps: list[str] = []
    summary = create_demo_center(ctx.database, residents=RESIDENTS, today=TODAY, progress=steps.append)
    yield ctx, summary, steps
    ctx.close()


@pytest.fixture
def ctx(made: tuple[AppContext, DemoSummary, list[str]]) -> AppContext:
    return made[0]


@pytest.fixture
def db(ctx: AppContext) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(ctx.database.path)) as connection:
        connection.row_factory = sqlite3.Row
        yield connection


def _rows(db: sqlite3.Connection, sql: str, *params: Any) -> list[sqlite3.Row]:
    return db.execute(sql, params).fetchall()


def _count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _indexes(path: Path) -> list[tuple[str, str | None]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()


def _fresh(folder: Path) -> Path:
    path = folder / "fresh.sqlite"
    open_context(path).close()
    return path


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as connection:
        for table, columns in CLINICAL_COLUMNS.items():
            for row in connection.execute(f"SELECT {columns} FROM {table} ORDER BY id"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def _make(path: Path, **options: Any) -> DemoSummary:
    options.setdefault("today", TODAY)
    context = open_context(path)
    try:
        return create_demo_center(context.database, **options)
    finally:
        context.close()


# --- what is written -------------------------------------------------------------------------------------


def test_counts_are_plausible_and_reported(
    made: tuple[AppContext, DemoSummary, list[str]], db: sqlite3.Connection
) -> None:
    _ctx, summary, _steps = made
    counts = {table: _rows(db, f"SELECT COUNT(*) FROM {table}")[0][0] for table in ALL_TABLES}
    assert summary.counts == counts
    assert counts["center"] == 1 and counts["institution"] == 12 and counts["agreement"] == 12
    assert counts["resident"] == counts["residenceperiod"] == counts["triagedecision"] == RESIDENTS
    assert 8 * RESIDENTS <= counts["visit"] <= 14 * RESIDENTS  # 100 000 residents: about 1.1 million visits
    assert 1.2 * RESIDENTS <= counts["condition"] <= 2.5 * RESIDENTS
    assert 0.8 * RESIDENTS <= counts["medication"] <= 2.5 * RESIDENTS
    assert 3 * RESIDENTS <= counts["assessment"] <= 5 * RESIDENTS
    assert 0 < counts["statuschange"] < 0.15 * RESIDENTS and 0 < counts["allergy"] < 0.2 * RESIDENTS
    assert 300 <= counts["round"] <= 500
    # family beds: open for the flagged residents (a dozen at most), three closed; orders, checks; refills
    assert 0 < counts["family_bed"] <= 15 and counts["bed_order"] >= counts["family_bed"] and counts["bed_check"] > 0
    assert 0 < counts["medication_dispense"] <= 40


def test_progress_reports_the_steps_in_order(made: tuple[AppContext, DemoSummary, list[str]]) -> None:
    assert made[2] == ["teams", "institutions", "residents", "rounds", "visits"]


def test_logins(made: tuple[AppContext, DemoSummary, list[str]]) -> None:
    logins = {login.login for login in made[1].logins}
    assert {"admin", "doctor1", "nurse1", "assistant1"} <= logins


def test_every_demo_login_signs_in_with_the_demo_password(tmp_path: Path) -> None:
    summary = _make(tmp_path / "x.sqlite", residents=10)
    context = open_context(tmp_path / "x.sqlite")
    try:
        for login in summary.logins:
            assert sign_in(context.uow(), login=login.login, password=DEMO_PASSWORD).role is login.role
        with pytest.raises(SignInFailed):
            sign_in(context.uow(), login="doctor1", password="wrong-password")
    finally:
        context.close()


def test_id_numbers_are_valid_unique_and_agree_with_birth_date_and_sex(db: sqlite3.Connection) -> None:
    rows = _rows(db, "SELECT id_number, birth_date, sex FROM resident")
    for row in rows:
        info = parse_id_number(row["id_number"], today=TODAY)
        assert info.birth_date.isoformat() == row["birth_date"] and info.sex == row["sex"]
    assert len({row["id_number"] for row in rows}) == len(rows)


def test_names_ages_and_beds(db: sqlite3.Connection) -> None:
    rows = _rows(db, "SELECT name, birth_date, institution_id, building, room, bed FROM resident")
    for row in rows:
        birth = date.fromisoformat(row["birth_date"])
        age = TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
        assert 60 <= age <= 100
        assert 2 <= len(row["name"]) <= 4 and all("\u4e00" <= char <= "\u9fff" for char in row["name"])
    beds = Counter((row["institution_id"], row["building"], row["room"], row["bed"]) for row in rows)
    assert beds.most_common(1)[0][1] == 1  # nobody shares a bed
    ages = [TODAY.year - int(row["birth_date"][:4]) for row in rows]
    assert 80 <= sorted(ages)[len(ages) // 2] <= 88  # a nursing-home population


def test_every_institution_kind_and_two_or_three_teams_of_one_doctor_and_one_nurse(db: sqlite3.Connection) -> None:
    assert {row[0] for row in _rows(db, "SELECT kind FROM institution")} == {kind.value for kind in InstitutionKind}
    teams = _rows(db, "SELECT id FROM team")
    assert 2 <= len(teams) <= 3
    for (team_id,) in teams:
        roles = Counter(row[0] for row in _rows(db, "SELECT role FROM staff WHERE team_id = ? AND active", team_id))
        assert roles["doctor"] == 1 and roles["nurse"] == 1
    served = {row[0] for row in _rows(db, "SELECT team_id FROM agreement")}
    assert served == {team[0] for team in teams}


def test_beds_of_an_institution_hold_its_residents(db: sqlite3.Connection) -> None:
    for beds, residents in _rows(
        db,
        "SELECT i.beds, COUNT(r.id) FROM institution i LEFT JOIN resident r ON r.institution_id = i.id GROUP BY i.id",
    ):
        assert residents <= beds


def test_one_agreement_expired_and_two_expiring_within_60_days(db: sqlite3.Connection) -> None:
    ends = [date.fromisoformat(row[0]) for row in _rows(db, "SELECT end_date FROM agreement")]
    assert sum(end < TODAY for end in ends) == 1
    assert sum(0 <= (end - TODAY).days <= 60 for end in ends) == 2


def test_every_visit_has_valid_vitals(db: sqlite3.Connection) -> None:
    seen = 0
    for row in _rows(db, "SELECT * FROM visit"):
        if row["outcome"] != "seen":
            assert row["sbp"] is None and row["weight"] is None and row["findings"] == ""
            continue
        seen += 1
        validate_vitals(
            sbp=row["sbp"],
            dbp=row["dbp"],
            pulse=row["pulse"],
            temperature=row["temperature"],
            spo2=row["spo2"],
            glucose=row["glucose"],
            glucose_fasting=bool(row["glucose_fasting"]),
            weight=row["weight"],
        )
        assert row["sbp"] > row["dbp"] and row["findings"] and row["actions"]
    assert seen > 0


def test_visits_fall_between_admission_and_today_at_the_residents_institution(db: sqlite3.Connection) -> None:
    rows = _rows(
        db,
        """SELECT v.visit_date, v.visited_at, r.admission_date, r.status, r.status_date, ro.round_date,
                  ro.institution_id = r.institution_id AS same_home, ro.status AS round_status
           FROM visit v JOIN resident r ON r.id = v.resident_id JOIN round ro ON ro.id = v.round_id""",
    )
    assert rows
    for row in rows:
        assert row["admission_date"] <= row["visit_date"] < TODAY.isoformat()
        assert row["visit_date"] == row["round_date"] == row["visited_at"][:10]
        assert row["same_home"] and row["round_status"] == "done"
        if row["status"] != "in_residence":
            assert row["visit_date"] < row["status_date"]


def test_history_covers_about_six_months(db: sqlite3.Connection) -> None:
    first, last = _rows(db, "SELECT MIN(visit_date), MAX(visit_date) FROM visit")[0]
    assert 170 <= (TODAY - date.fromisoformat(first)).days <= 190
    assert (TODAY - date.fromisoformat(last)).days <= 7


def test_some_residents_are_overdue_and_colours_are_mixed(db: sqlite3.Connection) -> None:
    residents = _rows(db, "SELECT id, colour, admission_date FROM resident WHERE status = 'in_residence'")
    last_seen = {
        row[0]: date.fromisoformat(row[1])
        for row in _rows(
            db, "SELECT resident_id, MAX(visit_date) FROM visit WHERE outcome = 'seen' GROUP BY resident_id"
        )
    }
    overdue = [
        row
        for row in residents
        if days_overdue(
            TriageColour(row["colour"]),
            last_seen.get(row["id"]),
            TODAY,
            since=date.fromisoformat(row["admission_date"]),
        )
        > 0
    ]
    assert 0 < len(overdue) < len(residents) / 4
    colours = Counter(row["colour"] for row in residents)
    assert all(colours[colour.value] >= len(residents) / 50 for colour in TriageColour)


def test_records_are_consistent(db: sqlite3.Connection) -> None:
    for row in _rows(db, "SELECT code, icd10, name FROM condition"):
        assert BY_CODE[row["code"]].icd10 == row["icd10"] and row["name"]
    assert all(row[0] and row[1] for row in _rows(db, "SELECT name, dose FROM medication"))
    kinds = Counter(row[0] for row in _rows(db, "SELECT kind FROM assessment"))
    assert kinds["self_care"] == kinds["care_level"] == RESIDENTS and kinds["ad8"] > 0 and kinds["annual_check"] > 0
    for row in _rows(db, "SELECT * FROM assessment WHERE kind IN ('self_care', 'ad8')"):
        items = json.loads(row["items"])
        if row["kind"] == "self_care":
            assert self_care_score(items) == row["score"] and self_care_band(row["score"]).key == row["result"]
        else:
            assert ad8_score(items) == row["score"]
            assert row["result"] == ("positive" if row["score"] >= 2 else "negative")
    for row in _rows(
        db, "SELECT r.admission_date, a.assessed_on FROM assessment a JOIN resident r ON r.id = a.resident_id"
    ):
        assert row["admission_date"] <= row["assessed_on"] <= TODAY.isoformat()
    for row in _rows(db, "SELECT r.colour, t.colour FROM triagedecision t JOIN resident r ON r.id = t.resident_id"):
        assert row[0] == row[1]


def _local(stamp: str) -> datetime:
    """Return a stored UTC ``created_at``/``decided_at`` in this computer's time, as the application shows it."""
    return datetime.fromisoformat(stamp).replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)


def test_few_residents_wait_in_the_triage_review(ctx: AppContext, db: sqlite3.Connection) -> None:
    # the doctors reviewed last week: only what happened since (last week's visits, a fall) is to review
    in_residence = _rows(db, "SELECT COUNT(*) FROM resident WHERE status = 'in_residence'")[0][0]
    review = triage_review(ctx.uow(), today=TODAY)
    assert 0.01 * in_residence <= len(review) <= 0.10 * in_residence
    assert refresh_suggestions(ctx.uow(), today=TODAY).changed == 0  # the stored suggestions are the rules'


def test_confirmed_colours_are_what_the_rules_suggested_at_the_last_review(
    ctx: AppContext, db: sqlite3.Connection
) -> None:
    reviewed_on = TODAY - timedelta(days=plan.REVIEW_DAYS)
    changed_since = {
        row[0]
        for row in _rows(
            db,
            "SELECT resident_id FROM visit WHERE visit_date > :day UNION "
            "SELECT resident_id FROM assessment WHERE assessed_on > :day",
            reviewed_on.isoformat(),
        )
    }
    with ctx.uow() as uow:
        facts = load_facts(uow, scope=Scope(), today=TODAY, rules=DEFAULT_RULES)
    unchanged = [(info, resident) for info, resident in facts.values() if info.id not in changed_since]
    assert len(unchanged) > len(facts) / 3
    for info, resident in unchanged:
        suggestion = suggest_colour(resident, DEFAULT_RULES, reviewed_on)
        assert suggestion is not None and suggestion.colour is info.colour, info.name
    for row in _rows(
        db,
        "SELECT t.colour, t.decided_at, t.reasons, s.role FROM triagedecision t JOIN staff s ON s.id = t.confirmed_by",
    ):
        reasons = reasons_from_json(row["reasons"])
        assert reasons and max(reason.colour.severity for reason in reasons) == TriageColour(row["colour"]).severity
        assert _local(row["decided_at"]).date() == reviewed_on and row["role"] == "doctor"


def test_most_chronic_follow_ups_are_controlled(db: sqlite3.Connection) -> None:
    # about two in three, as in community follow-up; the poorly controlled are visited more often
    classes = Counter(row[0] for row in _rows(db, "SELECT chronic_class FROM visit WHERE chronic_class != ''"))
    assert classes["controlled"] > 0.55 * sum(classes.values())
    latest = Counter(
        row[0]
        for row in _rows(
            db,
            "SELECT v.chronic_class FROM visit v WHERE v.chronic_class != '' AND v.visit_date = "
            "(SELECT MAX(w.visit_date) FROM visit w WHERE w.resident_id = v.resident_id AND w.chronic_class != '')",
        )
    )
    assert 0.65 * sum(latest.values()) < latest["controlled"] < 0.9 * sum(latest.values())


def test_visits_are_entered_during_the_round_by_its_team(db: sqlite3.Connection) -> None:
    rows = _rows(
        db,
        """SELECT v.visit_date, v.visited_at, v.created_at, s.role, s.team_id = ro.team_id AS same_team
           FROM visit v JOIN round ro ON ro.id = v.round_id JOIN staff s ON s.id = v.recorded_by""",
    )
    assert len(rows) == _rows(db, "SELECT COUNT(*) FROM visit")[0][0]
    next_day = 0
    for row in rows:
        visited = datetime.fromisoformat(row["visited_at"])
        entered = _local(row["created_at"])
        assert time(8, 30) <= visited.time() <= time(11, 30)  # rounds are morning work
        assert visited < entered and entered.date() in (visited.date(), visited.date() + timedelta(days=1))
        next_day += entered.date() != visited.date()
        assert row["same_team"] and row["role"] in ("doctor", "nurse")
    assert 0 < next_day < 0.06 * len(rows)
    roles = Counter(row["role"] for row in rows)
    assert roles["doctor"] > 0.2 * len(rows) and roles["nurse"] > 0.4 * len(rows)


def test_a_visit_finds_a_resident_in_hospital_only_during_a_stay_there(db: sqlite3.Connection) -> None:
    stays: dict[str, list[tuple[str, str]]] = {}
    for resident_id, status, on in _rows(db, "SELECT resident_id, status, on_date FROM statuschange ORDER BY on_date"):
        if status == "hospitalized":
            stays.setdefault(resident_id, []).append((on, "9999-12-31"))
        elif status == "in_residence":
            stays[resident_id][-1] = (stays[resident_id][-1][0], on)
    back = _rows(
        db,
        "SELECT r.status_date, MAX(s.on_date) FROM resident r JOIN statuschange s ON s.resident_id = r.id "
        "WHERE r.status = 'in_residence' GROUP BY r.id",
    )
    assert back and all(row[0] == row[1] for row in back)  # came back from hospital: in residence since
    away = _rows(db, "SELECT resident_id, visit_date FROM visit WHERE outcome = 'hospitalized'")
    assert away
    for resident_id, day in away:
        assert any(start <= day < end for start, end in stays.get(resident_id, ())), (resident_id, day)
    for resident_id, day in _rows(db, "SELECT resident_id, visit_date FROM visit WHERE outcome != 'hospitalized'"):
        assert not any(start <= day < end for start, end in stays.get(resident_id, ()))


def test_findings_vary_and_actions_follow_the_classification(db: sqlite3.Connection) -> None:
    rows = _rows(db, "SELECT findings, actions, chronic_class, sbp FROM visit WHERE outcome = 'seen'")
    assert len({row["findings"] for row in rows}) >= 40
    assert Counter(row["findings"] for row in rows).most_common(1)[0][1] < 0.05 * len(rows)
    for row in rows:
        if row["chronic_class"] == "not_controlled":
            assert row["actions"] in (*vocabulary.BP_ACTIONS, vocabulary.BP_URGENT_ACTION, *vocabulary.GLUCOSE_ACTIONS)
        elif row["sbp"] < 180:
            assert row["actions"] in vocabulary.ACTIONS
    copd = _rows(
        db,
        "SELECT v.findings FROM visit v JOIN condition c ON c.resident_id = v.resident_id AND c.code = 'copd' "
        "WHERE v.outcome = 'seen'",
    )
    remarks = vocabulary.CONDITION_REMARKS["copd"]
    assert copd and any(any(remark in row[0] for remark in remarks) for row in copd)
    others = _rows(
        db,
        "SELECT findings FROM visit v WHERE outcome = 'seen' AND NOT EXISTS "
        "(SELECT 1 FROM condition c WHERE c.resident_id = v.resident_id AND c.code = 'copd')",
    )
    assert not any(remark in row[0] for row in others for remark in remarks)  # a remark is on one's own condition


def test_search_text_is_the_domains(db: sqlite3.Connection) -> None:
    for row in _rows(db, "SELECT name, building, room, bed, id_number, search_text FROM resident"):
        expected = search_text(
            name=row["name"], building=row["building"], room=row["room"], bed=row["bed"], id_number=row["id_number"]
        )
        assert row["search_text"] == expected


def test_zhang_hongli_is_found_by_initials(ctx: AppContext) -> None:
    assert "张红丽" in {row.name for row in search_residents(ctx.uow(), text="zhl")}


def test_foreign_keys_indexes_and_integrity(ctx: AppContext, db: sqlite3.Connection, tmp_path: Path) -> None:
    assert _rows(db, "PRAGMA foreign_key_check") == []
    assert _rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    assert _rows(db, "PRAGMA journal_mode")[0][0] == "wal"
    assert _indexes(ctx.database.path) == _indexes(_fresh(tmp_path))


def test_sync_columns(ctx: AppContext, db: sqlite3.Connection) -> None:
    device = ctx.database.device_id
    stamps: list[str] = []
    for table in ALL_TABLES:
        rows = _rows(db, f"SELECT id, created_at, updated_at, origin_device, deleted FROM {table} ORDER BY rowid")
        ids = [row["id"] for row in rows]
        assert all(UUID7.fullmatch(value) for value in ids), table
        assert ids == sorted(ids) and len(set(ids)) == len(ids), table  # time-ordered, in the order written
        assert all(row["origin_device"] == device and row["deleted"] == 0 and row["created_at"] for row in rows)
        stamps += [row["updated_at"] for row in rows]
    assert len(set(stamps)) == len(stamps)
    last = max(stamps)
    assert all(Timestamp.decode(stamp).device == device for stamp in stamps[:: len(stamps) // 50])
    assert ctx.database.clock.last > last and ctx.database.clock.now() > last
    assert _rows(db, "SELECT last_clock FROM device_state")[0][0] > last


def test_updated_at_increases_in_the_order_written(db: sqlite3.Connection) -> None:
    for table in ALL_TABLES:
        stamps = [row[0] for row in _rows(db, f"SELECT updated_at FROM {table} ORDER BY rowid")]
        assert stamps == sorted(stamps), table
    first_visit = _rows(db, "SELECT MIN(updated_at) FROM visit")[0][0]
    assert _rows(db, "SELECT MAX(updated_at) FROM round")[0][0] < first_visit


# --- the same seed, the same data -----------------------------------------------------------------------


def test_same_seed_and_day_give_the_same_data_and_another_seed_other_data(tmp_path: Path) -> None:
    _make(tmp_path / "a.sqlite", residents=200, seed=3)
    _make(tmp_path / "b.sqlite", residents=200, seed=3)
    _make(tmp_path / "c.sqlite", residents=200, seed=4)
    assert _digest(tmp_path / "a.sqlite") == _digest(tmp_path / "b.sqlite")
    assert _digest(tmp_path / "a.sqlite") != _digest(tmp_path / "c.sqlite")


NOT_CONTENT = {"updated_at", "origin_device", "password_hash"}
"""Sync stamps of this device's clock, and a salted hash: everything else is the demo's content."""


def content_digest(path: Path) -> str:
    """Return a digest of every row of every table but this device's (``device_state``), less :data:`NOT_CONTENT`."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as connection:
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "AND name != 'device_state' ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            names = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            columns = ", ".join(f'"{name}"' for name in names if name not in NOT_CONTENT)
            digest.update(table.encode())
            for row in connection.execute(f'SELECT {columns} FROM "{table}" ORDER BY {columns}'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


# a Thursday, a Sunday, the last evening of a year, a leap day: the real day must not matter
REAL_DAYS = ("2026-12-10T10:00", "2027-01-03T08:00", "2026-12-31T23:30", "2028-02-29T12:00")


def test_the_same_seed_and_day_give_the_same_demo_whatever_the_real_day(tmp_path: Path) -> None:
    import time_machine

    _make(tmp_path / "here.sqlite", residents=120, seed=5)
    expected = content_digest(tmp_path / "here.sqlite")
    for moment in REAL_DAYS:
        with time_machine.travel(datetime.fromisoformat(moment).astimezone(), tick=True):
            path = tmp_path / f"{moment[:10]}.sqlite"
            _make(path, residents=120, seed=5)
        assert content_digest(path) == expected, f"the demo of {TODAY} made on {moment} differs"
    _make(tmp_path / "other-day.sqlite", residents=120, seed=5, today=TODAY + timedelta(days=1))
    assert content_digest(tmp_path / "other-day.sqlite") != expected


def test_the_data_does_not_depend_on_the_number_of_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan, "BLOCK_RESIDENTS", 100)  # travels to the workers with the plan
    here = _make(tmp_path / "here.sqlite", residents=350, seed=9, workers=0)
    spread = _make(tmp_path / "spread.sqlite", residents=350, seed=9, workers=2)
    assert here.counts == spread.counts
    assert _digest(tmp_path / "here.sqlite") == _digest(tmp_path / "spread.sqlite")


def test_id_numbers_drawn_twice_in_different_blocks_are_renumbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 400 residents born within 41 days, ten ID numbers per birth date and sex: blocks draw the same ones
    monkeypatch.setattr(plan, "BLOCK_RESIDENTS", 50)
    monkeypatch.setattr(blocks, "_years_before", lambda day, years: date(1940, 1, 1) + timedelta(days=100 - years))
    original, free = make_id_number, center._free_id_number

    def few_numbers(region: str, birth: date, seq: int, sex: str) -> str:
        return original("310104", birth, seq % 10, sex)

    renumbered: list[str] = []

    def renumber(number: str, used: set[str]) -> str:
        renumbered.append(number)
        with monkeypatch.context() as inner:
            inner.setattr(center, "make_id_number", original)
            return free(number, used)

    monkeypatch.setattr(blocks, "make_id_number", few_numbers)
    monkeypatch.setattr(center, "_free_id_number", renumber)
    _make(tmp_path / "x.sqlite", residents=400, seed=2, workers=0)
    with closing(sqlite3.connect(tmp_path / "x.sqlite")) as connection:
        rows = connection.execute(
            "SELECT id_number, birth_date, sex, name, building, room, bed, search_text FROM resident"
        )
        numbers = []
        for number, birth, sex, name, building, room, bed, text in rows:
            info = parse_id_number(number, today=TODAY)
            assert (info.birth_date.isoformat(), info.sex) == (birth, sex)
            assert text == search_text(name=name, building=building, room=room, bed=bed, id_number=number)
            numbers.append(number)
    assert len(set(numbers)) == len(numbers) == 400
    assert len(renumbered) > 20


# --- all or nothing ---------------------------------------------------------------------------------------


def test_refused_on_a_database_with_a_center(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    _make(path, residents=20)
    before = _digest(path)
    with pytest.raises(DemoRefused):
        _make(path, residents=20)
    assert _digest(path) == before and _count(path, "center") == 1


@pytest.mark.parametrize("residents", [0, -5, 1_000_001])
def test_refused_for_a_resident_count_out_of_range(tmp_path: Path, residents: int) -> None:
    path = tmp_path / "x.sqlite"
    with pytest.raises(DemoRefused):
        _make(path, residents=residents)
    assert _count(path, "center") == 0


def test_a_failure_midway_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan, "BLOCK_RESIDENTS", 100)
    calls = 0
    original = blocks._search_text

    def failing(*args: str) -> str:
        nonlocal calls
        calls += 1
        if calls == 250:  # in the third block, after two were loaded
            raise RuntimeError("disk on fire")
        return original(*args)

    monkeypatch.setattr(blocks, "_search_text", failing)
    path = tmp_path / "x.sqlite"
    with pytest.raises(RuntimeError, match="disk on fire"):
        _make(path, residents=300, workers=0)
    for table in ALL_TABLES:
        assert _count(path, table) == 0, table
    assert _indexes(path) == _indexes(_fresh(tmp_path))  # the dropped ones are back
    monkeypatch.undo()
    assert _make(path, residents=30).counts["resident"] == 30  # the file is fine for another try


def test_a_failure_in_a_worker_process_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    context = open_context(path)
    try:
        with pytest.raises(ValueError, match="1900"):  # residents born before 1900 have no ID numbers
            create_demo_center(context.database, residents=20, today=date(1950, 1, 1), workers=1)
    finally:
        context.close()
    assert _count(path, "center") == 0 and _count(path, "resident") == 0


def test_the_demo_has_residents_in_each_clinical_state(ctx: AppContext, db: sqlite3.Connection) -> None:
    """Issue #16: a recheck due, open and closed referrals, an annual check done this year and one missing."""
    from app.services.referrals import list_referrals
    from app.services.rounds.plan import plan_week

    states = [view.state.value for view in list_referrals(ctx.uow(), today=TODAY)]
    assert {"open", "follow_up_due", "closed"} <= set(states)
    old = "date(birth_date, '+65 years') <= :today"
    missing = _rows(
        db,
        f"SELECT COUNT(*) FROM resident r WHERE {old.replace(':today', repr(TODAY.isoformat()))} AND NOT EXISTS "
        "(SELECT 1 FROM assessment a WHERE a.resident_id = r.id AND a.kind = 'annual_check')",
    )[0][0]
    this_year = _rows(
        db, f"SELECT COUNT(*) FROM assessment WHERE kind = 'annual_check' AND assessed_on >= '{TODAY.year}-01-01'"
    )[0][0]
    assert missing > 0 and this_year > 0
    plan = plan_week(ctx.uow(), week=TODAY, today=TODAY)
    kinds = {reason.kind.value for planned in plan.rounds for resident in planned.due for reason in resident.reasons}
    assert "recheck" in kinds


def test_long_term_medications_get_a_daily_quantity_that_follows_their_frequency(db: sqlite3.Connection) -> None:
    """每日3次 was given 1 a day (issue 18's demo): a dose of a tablet (or half of one) times the doses a day."""
    sql = "SELECT frequency, daily_quantity, unit FROM medication WHERE daily_quantity IS NOT NULL"
    rows = db.execute(sql).fetchall()
    assert rows
    doses = {"每日1次": 1, "每晚1次": 1, "每日2次": 2, "每日3次": 3}
    for frequency, daily, unit in rows:
        if frequency in doses:
            assert daily in (doses[frequency], doses[frequency] / 2), (frequency, daily)
        assert unit in ("片", "粒") and (unit == "片" or daily == int(daily))
    assert any(daily == 3 for frequency, daily, _ in rows if frequency == "每日3次")
