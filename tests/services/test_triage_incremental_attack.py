"""Attacks on the incremental suggestion refresh (issue 19): sequences of changes after which a refresh that
remembers what it worked out before might store another colour than a refresh from scratch.

Each test changes the records in a way the incremental refresh might miss — by another process, by rows that
bypass the audit trail, by a correction that hides a visit of another resident, by rowids rewritten — and
then checks (``refresh``, from test_triage_incremental) that what is stored is what a refresh from scratch
stores. The oracle, the demo center and the helpers are those of test_triage_incremental.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from test_triage_incremental import (
    TODAY,
    add,
    from_scratch,
    in_residence,
    incremental_here,
    quiet_resident,
    refresh,
    stored,
)

from app.bootstrap import AppContext
from app.domain.triage import DEFAULT_RULES, rules_to_dict
from app.services.triage import incremental, save_rules
from app.store.models import Condition, Referral, Resident, Visit
from app.store.uow import UnitOfWork

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_file(demo_center: Callable[..., Path]) -> Path:
    return demo_center(residents=200, seed=5, today=TODAY)


@pytest.fixture
def ctx(demo_file: Path, engine_copy: Callable[[Path], AppContext]) -> Iterator[AppContext]:
    context = engine_copy(demo_file)
    incremental.forget()
    yield context
    incremental.forget()


def in_another_process(ctx: AppContext, body: str) -> None:
    """Run ``body`` in another Python process with ``context`` open on the same database file (its own
    memory of the refresh, its own connections), as the command line would while a window stays open."""
    script = textwrap.dedent(
        """
        import sys
        from datetime import date
        from app.bootstrap import open_context
        from app.store.models import Visit, Resident, Condition
        context = open_context(sys.argv[1], create=False)
        try:
        {body}
        finally:
            context.close()
        """
    ).format(body=textwrap.indent(textwrap.dedent(body), "    "))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(ctx.database.path)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def sqlite_only(ctx: AppContext) -> None:
    if not incremental_here(ctx):
        pytest.skip("PostgreSQL: nothing is remembered, everyone is worked out each time")


def set_fields(ctx: AppContext, model: type, row_id: str, **values: object) -> None:
    with ctx.uow() as uow:
        row = uow.session.get(model, row_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        uow.session.add(row)
        uow.commit()


# --- another process --------------------------------------------------------------------------------------------


def test_a_visit_added_by_another_process_is_seen_by_the_process_that_remembers(ctx: AppContext) -> None:
    """`visit add` from the command line while the window keeps its memory: the audit entry is in the file."""
    sqlite_only(ctx)
    refresh(ctx, TODAY)
    resident_id = quiet_resident(ctx, TODAY)
    in_another_process(
        ctx,
        f"""
        with context.uow() as uow:
            uow.session.add(Visit(resident_id="{resident_id}", visit_date=date.fromisoformat("{TODAY}"), spo2=84))
            uow.commit()
        """,
    )
    result = refresh(ctx, TODAY)
    assert stored(ctx)[resident_id] == "red" and result.worked_out == 1


def test_a_refresh_of_another_process_for_another_day_and_its_rule_edit(ctx: AppContext) -> None:
    """Another process refreshes for a later day (storing that day's colours), then edits the rules: this process
    puts the stored colours right for its own day and works everyone out again under the new rules."""
    sqlite_only(ctx)
    resident_id = quiet_resident(ctx, TODAY)
    add(ctx, Visit(resident_id=resident_id, visit_date=TODAY, sbp=192, dbp=96))
    refresh(ctx, TODAY)
    assert stored(ctx)[resident_id] == "red"
    later = TODAY + timedelta(days=31)  # the reading no longer counts then
    in_another_process(
        ctx,
        f"""
        from app.services.triage import refresh_suggestions
        refresh_suggestions(context.uow(), today=date.fromisoformat("{later}"))
        """,
    )
    assert stored(ctx)[resident_id] == "green"
    assert refresh(ctx, TODAY).changed >= 1 and stored(ctx)[resident_id] == "red"
    in_another_process(
        ctx,
        """
        from app.domain.triage import DEFAULT_RULES, rules_to_dict
        from app.services.triage import save_rules
        from app.store.uow import UnitOfWork
        with UnitOfWork(context.database, write=False) as uow:
            doctor = str(uow.fast_rows("SELECT id FROM staff WHERE login = 'doctor1'")[0][0])
        document = rules_to_dict(DEFAULT_RULES)
        document["red"]["sbp_min"] = 200
        save_rules(UnitOfWork(context.database, actor_id=doctor), document=document)
        """,
    )
    result = refresh(ctx, TODAY)
    assert result.worked_out == len(in_residence(ctx)) and stored(ctx)[resident_id] == "green"


# --- corrections, deletions, moves ------------------------------------------------------------------------------


def test_a_correction_and_its_deletion_bring_the_corrected_reading_back(ctx: AppContext) -> None:
    refresh(ctx, TODAY)
    resident_id = quiet_resident(ctx, TODAY)
    first = Visit(resident_id=resident_id, visit_date=TODAY, spo2=85)
    add(ctx, first)
    refresh(ctx, TODAY)
    correction = Visit(resident_id=resident_id, visit_date=TODAY, spo2=97, corrects_id=first.id, version=2)
    add(ctx, correction)
    refresh(ctx, TODAY)
    assert stored(ctx)[resident_id] == "green"
    set_fields(ctx, Visit, correction.id, deleted=True)
    refresh(ctx, TODAY)
    assert stored(ctx)[resident_id] == "red"


def test_a_correction_that_belongs_to_another_resident_than_the_visit_it_corrects(ctx: AppContext) -> None:
    """A correction hides the visit it corrects whoever that visit belongs to (``corrects_id``): once the
    correction is on another resident (moved after it was made, or merged), deleting or moving it changes the
    facts of the resident of the corrected visit, whom its audit entry does not name."""
    refresh(ctx, TODAY)
    one, other = quiet_resident(ctx, TODAY, 0), quiet_resident(ctx, TODAY, 1)
    first = Visit(resident_id=one, visit_date=TODAY, spo2=85)
    add(ctx, first)
    correction = Visit(resident_id=one, visit_date=TODAY, spo2=97, corrects_id=first.id, version=2)
    add(ctx, correction)
    refresh(ctx, TODAY)
    assert stored(ctx)[one] == "green"
    set_fields(ctx, Visit, correction.id, resident_id=other)  # names both: both worked out again
    refresh(ctx, TODAY)
    set_fields(ctx, Visit, correction.id, deleted=True)  # names `other` only: `one`'s reading is back
    refresh(ctx, TODAY)
    assert stored(ctx)[one] == "red"
    set_fields(ctx, Visit, first.id, deleted=True)
    refresh(ctx, TODAY)
    assert stored(ctx)[one] == "green"
    # a correction made on another resident from the start hides the visit it corrects
    second = Visit(resident_id=one, visit_date=TODAY, spo2=86)
    add(ctx, second)
    refresh(ctx, TODAY)
    third = Visit(resident_id=other, visit_date=TODAY, spo2=98, corrects_id=second.id, version=2)
    add(ctx, third)
    refresh(ctx, TODAY)
    assert stored(ctx)[one] == "green"
    # pointed at another visit: the one it corrected before counts again
    fourth = Visit(resident_id=other, visit_date=TODAY, spo2=97)
    add(ctx, fourth)
    set_fields(ctx, Visit, third.id, corrects_id=fourth.id)
    refresh(ctx, TODAY)
    assert stored(ctx)[one] == "red"


def test_a_referral_closed_a_condition_resolved_a_resident_discharged_and_back(ctx: AppContext) -> None:
    refresh(ctx, TODAY)
    ids = [quiet_resident(ctx, TODAY, index) for index in range(3)]
    referral = Referral(resident_id=ids[0], destination="市第一医院", opened_on=TODAY - timedelta(days=3))
    conditions = [Condition(resident_id=ids[1], code=code, name=code) for code in ("hypertension", "copd")]
    add(ctx, referral, *conditions)
    set_fields(ctx, Resident, ids[1], birth_date=date(1930, 5, 1))
    refresh(ctx, TODAY)
    assert [stored(ctx)[i] for i in ids[:2]] == ["red", "yellow"]
    set_fields(ctx, Referral, referral.id, closed_on=TODAY - timedelta(days=1), outcome="returned")
    set_fields(ctx, Condition, conditions[1].id, active=False)
    refresh(ctx, TODAY)
    refresh(ctx, TODAY + timedelta(days=40))  # the return's window closed meanwhile
    # discharged, a reading recorded while away, back: worked out on the way back
    set_fields(ctx, Resident, ids[2], status="discharged")
    refresh(ctx, TODAY + timedelta(days=40))
    assert ids[2] not in stored(ctx)
    add(ctx, Visit(resident_id=ids[2], visit_date=TODAY + timedelta(days=40), temperature=39.8))
    refresh(ctx, TODAY + timedelta(days=40))
    set_fields(ctx, Resident, ids[2], status="in_residence")
    refresh(ctx, TODAY + timedelta(days=41))
    assert stored(ctx)[ids[2]] == "red"


def test_a_family_bed_opened_and_closed_through_the_homecare_service(ctx: AppContext) -> None:
    from app.services.homecare import beds

    sqlite_only(ctx)
    refresh(ctx, TODAY)
    resident_id = quiet_resident(ctx, TODAY)
    with ctx.uow().reading() as uow:
        doctor = str(uow.fast_rows("SELECT id FROM staff WHERE login = 'doctor1'")[0][0])
    uow = UnitOfWork(ctx.database, actor_id=doctor)
    bed_id = beds.open_bed(uow, resident_id=resident_id, indication="压疮", opened_on=TODAY, today=TODAY)
    for n in range(3):
        refresh(ctx, TODAY + timedelta(days=n))
    assert stored(ctx)[resident_id] == "red"
    closed = TODAY + timedelta(days=3)
    beds.close_bed(uow, bed_id=bed_id, closed_on=closed, today=closed, reason="recovered", summary="创面愈合")
    for n in range(3, 6):
        refresh(ctx, TODAY + timedelta(days=n))
    assert stored(ctx)[resident_id] == "green"


# --- writes outside the audit trail -----------------------------------------------------------------------------


def test_rows_written_by_a_sync_import_without_audit_entries_are_seen(ctx: AppContext) -> None:
    """An import applies rows with the sync columns as they came, and writes no audit entry of its own (the
    sender's travel with them, and a package's rows may arrive without theirs): recorded in imported_package,
    which makes the next refresh work everyone out again."""
    sqlite_only(ctx)
    refresh(ctx, TODAY)
    resident_id = quiet_resident(ctx, TODAY)
    with ctx.uow() as uow:  # what the applier does: rows straight in, then the package marked imported
        driver = uow.session.connection().connection.driver_connection
        assert driver is not None
        names = [row[1] for row in driver.execute("PRAGMA table_info(visit)")]
        values = driver.execute("SELECT * FROM visit WHERE corrects_id IS NULL LIMIT 1").fetchone()
        row = dict(zip(names, values, strict=True))
        row.update(id="imported-visit", resident_id=resident_id, visit_date=TODAY.isoformat(), spo2=83)
        driver.execute(f"INSERT INTO visit ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        driver.execute(
            "INSERT INTO imported_package (package_id, source_device, imported_at) VALUES ('p1', 'other', ?)",
            ("2026-11-16T08:00:00.000000Z",),
        )
        uow.commit()
    result = refresh(ctx, TODAY)
    assert result.worked_out == len(in_residence(ctx)) and stored(ctx)[resident_id] == "red"


# --- the audit trail's rowids -----------------------------------------------------------------------------------


def test_a_rolled_back_change_leaves_no_entry_and_the_next_one_is_seen(ctx: AppContext) -> None:
    refresh(ctx, TODAY)
    one, other = quiet_resident(ctx, TODAY, 0), quiet_resident(ctx, TODAY, 1)
    with ctx.uow() as uow:  # audited at the flush, then rolled back: the rowid is given again below
        uow.session.add(Visit(resident_id=one, visit_date=TODAY, spo2=80))
        uow.session.flush()
    refresh(ctx, TODAY)
    add(ctx, Visit(resident_id=other, visit_date=TODAY, spo2=81))
    refresh(ctx, TODAY)
    assert stored(ctx)[one] == "green" and stored(ctx)[other] == "red"


def test_audit_rowids_with_a_gap_and_a_vacuum(ctx: AppContext) -> None:
    """VACUUM keeps the rowids of a table without INTEGER PRIMARY KEY here, but SQLite does not promise it (and
    an encrypted copy renumbers): an entry that is no longer at its rowid makes the refresh start again."""
    sqlite_only(ctx)
    residents = [quiet_resident(ctx, TODAY, index) for index in range(3)]
    add(ctx, Visit(resident_id=residents[0], visit_date=TODAY, sbp=120, dbp=80))
    add(ctx, Visit(resident_id=residents[2], visit_date=TODAY, sbp=121, dbp=80))
    refresh(ctx, TODAY)
    with ctx.uow() as uow:  # a gap before the remembered entry, then the table rewritten without it
        driver = uow.session.connection().connection.driver_connection
        assert driver is not None
        last = driver.execute("SELECT MAX(rowid) FROM auditentry").fetchone()[0]
        rows = driver.execute("SELECT * FROM auditentry ORDER BY rowid").fetchall()
        marks = ", ".join("?" * len(rows[0]))
        driver.execute("DELETE FROM auditentry")
        driver.executemany(f"INSERT INTO auditentry VALUES ({marks})", [row for row in rows if row != rows[-2]])
        assert driver.execute("SELECT MAX(rowid) FROM auditentry").fetchone()[0] == last - 1
        uow.commit()
    add(ctx, Visit(resident_id=residents[1], visit_date=TODAY, spo2=82))  # at the remembered rowid now
    refresh(ctx, TODAY)
    assert stored(ctx)[residents[1]] == "red"


# --- days -------------------------------------------------------------------------------------------------------


def test_days_back_and_forth_in_one_process(ctx: AppContext) -> None:
    """A window refreshing for today while a test or a command in the same process refreshes another day."""
    resident_id = quiet_resident(ctx, TODAY)
    add(ctx, Visit(resident_id=resident_id, visit_date=TODAY - timedelta(days=29), glucose=2.1))
    for day in (TODAY, TODAY + timedelta(days=3), TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=2)):
        refresh(ctx, day)
    assert from_scratch(ctx, TODAY + timedelta(days=1))[resident_id] == "red"
    assert from_scratch(ctx, TODAY + timedelta(days=2))[resident_id] == "green"


def test_the_memory_is_per_file(ctx: AppContext, tmp_path: Path, demo_file: Path) -> None:
    """Two files of the same center (a copy: same device id) open in one process keep separate memories."""
    import shutil

    from app.bootstrap import open_context

    sqlite_only(ctx)
    refresh(ctx, TODAY)
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_file, copy)
    second = open_context(copy)
    try:
        resident_id = quiet_resident(second, TODAY)
        add(second, Visit(resident_id=resident_id, visit_date=TODAY, spo2=84))
        refresh(second, TODAY)
        assert stored(second)[resident_id] == "red"
        refresh(ctx, TODAY)
        assert stored(ctx)[resident_id] == "green"
    finally:
        second.close()
        incremental.forget()


def test_a_visit_fetched_with_select_and_moved_keeps_both_residents(ctx: AppContext) -> None:
    refresh(ctx, TODAY)
    one, other = quiet_resident(ctx, TODAY, 0), quiet_resident(ctx, TODAY, 1)
    add(ctx, Visit(resident_id=one, visit_date=TODAY, temperature=39.9))
    refresh(ctx, TODAY)
    with ctx.uow() as uow:
        visit = uow.session.exec(select(Visit).where(Visit.resident_id == one, Visit.temperature == 39.9)).one()
        visit.resident_id = other
        uow.session.add(visit)
        uow.commit()
    refresh(ctx, TODAY)
    assert (stored(ctx)[one], stored(ctx)[other]) == ("green", "red")


def test_a_backup_restored_in_the_open_window(ctx: AppContext, tmp_path: Path) -> None:
    """The window restores a backup (the same Database keeps working on the restored file): the colours worked
    out after the backup was made must not be kept for records the restore took back."""
    from app.services.admin.backups import create_backup
    from app.services.admin.restore import restore_backup

    sqlite_only(ctx)
    resident_id = quiet_resident(ctx, TODAY)
    first = Visit(resident_id=resident_id, visit_date=TODAY, spo2=85)
    add(ctx, first)
    refresh(ctx, TODAY)
    backup = create_backup(ctx.database.path, folder=tmp_path / "backups")
    set_fields(ctx, Visit, first.id, deleted=True)
    refresh(ctx, TODAY)
    assert stored(ctx)[resident_id] == "green"
    with ctx.uow().reading() as uow:
        ctx.actor_id = str(uow.fast_rows("SELECT id FROM staff WHERE role = 'admin' ORDER BY login")[0][0])
    restore_backup(ctx.uow(), backup=backup.path, folder=tmp_path / "backups")
    refresh(ctx, TODAY)
    assert stored(ctx)[resident_id] == "red"
    # a backup made while the memory was current, restored after changes that no refresh saw
    set_fields(ctx, Visit, first.id, deleted=True)
    restore_backup(ctx.uow(), backup=backup.path, folder=tmp_path / "backups")
    refresh(ctx, TODAY)
    assert stored(ctx)[resident_id] == "red"


# --- random sequences -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 10, 15, 16, 21])  # 10, 15, 16, 21 broke before 1215aa4
def test_random_sequences_of_changes_and_days(ctx: AppContext, seed: int) -> None:
    """Random changes of every kind on a few residents (so that they meet: corrections across residents, moves
    back and forth, readings dated ahead), days forward and back, each refresh checked against one from scratch.
    Seeded: a failure names its seed and is repeated exactly."""
    import random

    from app.store.models import Assessment, StatusChange

    sqlite_only(ctx)
    rng = random.Random(seed)
    with ctx.uow().reading() as uow:
        doctor = str(uow.fast_rows("SELECT id FROM staff WHERE login = 'doctor1'")[0][0])
    pool = [quiet_resident(ctx, TODAY, index) for index in range(3)]
    visits: list[str] = []
    referrals: list[str] = []
    conditions: list[str] = []
    day = TODAY
    refresh(ctx, day)

    def some_day() -> date:
        return day + timedelta(days=rng.choice([rng.randint(-45, 5), rng.randint(-3, 0)]))

    for _step in range(40):
        who = rng.choice(pool)
        kind = rng.choice([0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])  # visits meet most often
        if kind == 0:
            reading = rng.choice(
                [{"sbp": 190, "dbp": 100}, {"sbp": 120, "dbp": 80}, {"glucose": 17.5}, {"glucose": 2.2},
                 {"spo2": 85}, {"spo2": 97}, {"temperature": 39.5}, {"pulse": 130}]
            )  # fmt: skip
            visit = Visit(resident_id=who, visit_date=some_day(), **reading)  # type: ignore[arg-type]
            add(ctx, visit)
            visits.append(visit.id)
        elif kind == 1 and visits:
            corrected = rng.choice(visits)
            visit = Visit(resident_id=who, visit_date=some_day(), spo2=rng.choice([84, 98]), corrects_id=corrected)
            add(ctx, visit)
            visits.append(visit.id)
        elif kind == 2 and visits:
            set_fields(ctx, Visit, rng.choice(visits), deleted=rng.random() < 0.8)
        elif kind == 3 and visits:
            set_fields(ctx, Visit, rng.choice(visits), resident_id=who)
        elif kind == 4:
            gone = some_day()
            add(
                ctx,
                StatusChange(resident_id=who, status="hospitalized", on_date=gone),
                StatusChange(resident_id=who, status="in_residence", on_date=gone + timedelta(days=rng.randint(1, 9))),
            )
        elif kind == 5:
            set_fields(ctx, Resident, who, status=rng.choice(["discharged", "in_residence", "in_residence"]))
        elif kind == 6:
            assessment_kind = rng.choice(["fall", "self_care", "ad8"])
            score = {"fall": None, "self_care": rng.randint(0, 37), "ad8": rng.randint(0, 8)}[assessment_kind]
            add(ctx, Assessment(resident_id=who, kind=assessment_kind, assessed_on=some_day(), score=score))
        elif kind == 7:
            referral = Referral(resident_id=who, destination="市第一医院", opened_on=some_day())
            add(ctx, referral)
            referrals.append(referral.id)
        elif kind == 8 and referrals:
            set_fields(ctx, Referral, rng.choice(referrals), closed_on=some_day(), outcome="returned")
        elif kind == 9:
            if conditions and rng.random() < 0.4:
                set_fields(ctx, Condition, rng.choice(conditions), active=False)
            else:
                code = rng.choice(["hypertension", "copd", "diabetes_t2", "dementia", "chd"])
                condition = Condition(resident_id=who, code=code, name=code)
                add(ctx, condition)
                conditions.append(condition.id)
        elif kind == 10:
            start = some_day()
            set_fields(
                ctx, Resident, who, family_bed=rng.random() < 0.7, family_bed_start=start,
                family_bed_end=rng.choice([None, start + timedelta(days=rng.randint(0, 20))]),
            )  # fmt: skip
        elif kind == 11:
            born = day - timedelta(days=rng.choice([80 * 365 + 20, 80 * 365 - 3, 70 * 365, 90 * 365]))
            set_fields(ctx, Resident, who, birth_date=born)
        elif kind == 12:  # a rule edit: the windows and the age move
            document = rules_to_dict(DEFAULT_RULES)
            document["yellow"]["age_min"] = rng.choice([75, 80])
            document["red"]["reading_valid_days"] = rng.choice([14, 30])
            save_rules(UnitOfWork(ctx.database, actor_id=doctor), document=document)
        elif kind == 13:  # a suggestion stored by something else (another process, another day)
            with ctx.uow() as uow:
                uow.session.execute(
                    Resident.__table__.update()  # type: ignore[attr-defined]
                    .where(Resident.__table__.c.id == who)  # type: ignore[attr-defined]
                    .values(suggested_colour=rng.choice(["red", "yellow", "green"]))
                )
                uow.commit()
        if rng.random() < 0.5:
            day += timedelta(days=rng.choice([0, 1, 1, 2, 5, 13, 31, -3]))
        refresh(ctx, day)
