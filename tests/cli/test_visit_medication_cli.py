"""``visit add --medication NAME=DAILY_QUANTITY``: a visit's dose change reaches the record (issue 18); bad input
exits 2 naming the field and value, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from app.bootstrap import open_context
from app.cli.main import main
from app.domain.idcard import make_id_number
from app.domain.roles import Role
from app.services.accounts.sign_in import create_staff
from app.services.demo import DEMO_PASSWORD
from app.services.institutions import save_institution
from app.services.records.residents import create_resident
from app.services.records.sections import save_medication
from app.store.models import Medication, Visit

DAY = date(2026, 11, 16)  # the visit's day, in the past: the change applies from the day it is entered
NUMBER = make_id_number("310104", date(1941, 6, 1), 3, "F")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One resident (张红丽) taking 氨氯地平片 2 a day and 二甲双胍片 1 a day."""
    path = tmp_path_factory.mktemp("visit-medication-cli") / "center.sqlite"
    context = open_context(path)
    try:
        home = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=100)
        resident_id = create_resident(
            context.uow(),
            name="张红丽",
            id_number=NUMBER,
            institution_id=home,
            building="A",
            room="101",
            bed="1",
            admission_date=date(2020, 1, 5),
            today=DAY,
        ).resident_id
        for name, daily in (("氨氯地平片", 2), ("二甲双胍片", 1)):
            save_medication(
                context.uow(),
                resident_id=resident_id,
                name=name,
                start_date=date(2026, 1, 1),
                daily_quantity=Decimal(daily),
                unit="片",
                today=DAY,
            )
        with context.uow() as uow:
            create_staff(uow, name="李护士", role=Role.NURSE, login="nurse1", password=DEMO_PASSWORD)
            create_staff(uow, name="王医生", role=Role.DOCTOR, login="doctor1", password=DEMO_PASSWORD)
            uow.commit()
    finally:
        context.close()
    return path


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """A doctor records the visits (changing doses needs a doctor)."""
    monkeypatch.setenv("CARE_USER", "doctor1")


@pytest.fixture
def db(template: Path, center_copy: Callable[[Path], Path | str]) -> Path | str:
    return center_copy(template)


def add(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    argv = ["--lang", "en", "visit", "add", "--db", str(db), "--resident", NUMBER, "--date", DAY.isoformat()]
    code = main([*argv, *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def state(db: Path) -> tuple[dict[str, tuple[float | None, date | None]], list[str]]:
    """Each medication's (daily quantity, stop day) and the visits' medication changes."""
    context = open_context(db)
    try:
        with context.uow() as uow:
            medications = {m.name: (m.daily_quantity, m.stop_date) for m in uow.session.exec(select(Medication))}
            visits = [v.medication_changes for v in uow.session.exec(select(Visit))]
            return medications, visits
    finally:
        context.close()


def test_medication_options_stop_one_and_change_another(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = add(capsys, db, "--medication", "氨氯地平=0", "--medication", "二甲双胍片=1.5")
    assert code == 0, err
    medications, visits = state(db)
    today = date.today()  # the command's day: a stop ends the medication the day before
    assert medications["氨氯地平片"] == (0, today - timedelta(days=1))
    assert medications["二甲双胍片"] == (1.5, None)
    assert visits == ["Stopped 氨氯地平片 (was 2 片 a day)\n二甲双胍片: daily quantity 1 → 1.5 片"]


@pytest.mark.parametrize(
    ("option", "field", "value"),
    [
        ("阿司匹林=1", "medication", "阿司匹林"),
        ("氨氯地平=-1", "daily quantity", "-1"),
        ("氨氯地平=two", "daily quantity", "two"),
        ("氨氯地平", "medication", "氨氯地平"),
    ],
)
def test_bad_medication_options_exit_2_naming_field_and_value_and_change_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], option: str, field: str, value: str
) -> None:
    before = state(db)
    code, out, err = add(capsys, db, "--medication", option)
    assert code == 2 and out == ""
    assert err.startswith(f"Error: {field}: ") and f"(value: {value})" in err
    assert state(db) == before


def test_a_nurse_may_not_change_doses_and_the_visit_is_not_recorded(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "nurse1")
    before = state(db)
    code, _out, err = add(capsys, db, "--medication", "氨氯地平=1")
    assert code == 2 and err
    assert state(db) == before


def test_medication_goes_only_with_a_new_visit(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = add(capsys, db, "--correct", "--medication", "氨氯地平=1")
    assert code == 2 and "--medication" in err
