"""``visit add``: the same checks as the visit page, text and JSON, exit codes 0 / 1 / 2, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from center_sql import connect
from sqlmodel import col, select

from app.bootstrap import open_context
from app.cli.main import main
from app.domain.idcard import make_id_number
from app.domain.roles import Role
from app.services.accounts.sign_in import create_staff
from app.services.demo import DEMO_PASSWORD
from app.services.institutions import save_institution
from app.services.records.residents import create_resident
from app.store.models import Resident, Round, Visit

DAY = date(2026, 11, 16)  # a past day: visits on it are late entries
NUMBER = make_id_number("310104", date(1941, 6, 1), 3, "F")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One home with a round on DAY and one resident (张红丽), made once."""
    path = tmp_path_factory.mktemp("visit-cli") / "center.sqlite"
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
        with context.uow() as uow:
            uow.session.add(Round(institution_id=home, round_date=DAY, status="done"))
            create_staff(uow, name="李护士", role=Role.NURSE, login="nurse1", password=DEMO_PASSWORD)
            uow.commit()
    finally:
        context.close()
    return path, resident_id


@pytest.fixture(autouse=True)
def _signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """A nurse records the visits (the command needs RECORD_VISITS, which nurses have)."""
    monkeypatch.setenv("CARE_USER", "nurse1")


@pytest.fixture
def db(template: tuple[Path, str], center_copy: Callable[[Path], Path | str]) -> Path | str:
    return center_copy(template[0])


def staff_id(db: Path, login: str) -> str:
    with connect(db) as raw:
        return str(raw.execute("SELECT id FROM staff WHERE login = ?", (login,)).fetchone()[0])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def add(capsys: pytest.CaptureFixture[str], db: Path, *extra: str, lang: str = "en") -> tuple[int, str, str]:
    return run(
        capsys, "--lang", lang, "visit", "add", "--db", str(db), "--resident", NUMBER, "--date", DAY.isoformat(), *extra
    )


def stored(db: Path) -> list[Visit]:
    context = open_context(db)
    try:
        with context.uow() as uow:
            return list(uow.session.exec(select(Visit).order_by(col(Visit.version))))
    finally:
        context.close()


def test_a_visit_is_recorded_at_that_days_round_with_its_flags(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = add(
        capsys,
        db,
        "--sbp",
        "152",
        "--dbp",
        "94",
        "--pulse",
        "76",
        "--temp",
        "36.8",
        "--spo2",
        "97",
        "--glucose",
        "7.4",
        "--fasting",
        "--weight",
        "61.5",
        "--note",
        "头晕两天",
        "--late-reason",
        "typed from the paper round sheet",
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Recorded the visit of 张红丽 (康宁养老院 A-101-1, round of 2026-11-16) on 2026-11-16")
    assert "version 1, late entry: typed from the paper round sheet" in lines[0]
    assert lines[1] == "  BP 152/94 · P 76 · T 36.8 · SpO2 97 · Glu 7.4 fasting · Wt 61.5"
    assert "  ▲ systolic ≥ 140 mmHg: high" in lines and "  ▲ fasting glucose ≥ 7.0 mmol/L: high" in lines
    [visit] = stored(db)
    assert (visit.sbp, visit.dbp, visit.glucose, visit.glucose_fasting) == (152, 94, 7.4, True)
    assert visit.findings == "头晕两天"
    assert visit.round_id is not None and visit.recorded_by == staff_id(db, "nurse1")
    assert visit.late_reason == "typed from the paper round sheet"


def test_json_output_and_the_resident_by_id(
    db: Path, template: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "visit",
        "add",
        "--db",
        str(db),
        "--resident",
        template[1],
        "--date",
        "2026-11-16",
        "--sbp",
        "186",
        "--dbp",
        "112",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["recorded"] and payload["version"] == 1 and payload["urgent"] is True
    assert {(f["field"], f["level"]) for f in payload["flags"]} == {("sbp", "urgent"), ("dbp", "urgent")}
    assert payload["suggested_after"] == "red" and payload["needs_review"] is True
    assert payload["values"] == {"sbp": 186, "dbp": 112}


def test_urgent_values_print_the_alert(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = add(capsys, db, "--glucose", "17.5", lang="zh_CN")
    assert code == 0
    assert "  ‼ 紧急：血糖 ≥ 16.7 mmol/L，需当天处理" in out.splitlines()
    assert out.count("血糖 ≥ 16.7 mmol/L") == 1  # said once, not once per list
    assert "考虑转诊" in out and "分类建议：○ 绿 → ● 红" in out


def test_each_urgent_value_is_said_once_and_abnormal_ones_are_listed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = add(capsys, db, "--sbp", "185", "--dbp", "112", "--glucose", "12", lang="zh_CN")
    assert code == 0
    assert out.count("收缩压 ≥ 180 mmHg") == 1 and out.count("舒张压 ≥ 110 mmHg") == 1
    assert "  ▲ 随机血糖 ≥ 11.1 mmol/L，偏高" in out.splitlines()


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        (
            "--sbp",
            "301",
            "Error: systolic BP: outside the accepted range 50–300 mmHg; check for a typing error (value: 301)",
        ),
        ("--temp", "29.9", "Error: temperature: outside the accepted range 30.0–45.0 °C"),
        ("--spo2", "abc", "Error: SpO2: enter a number (value: abc)"),
        ("--pulse", "72.5", "Error: pulse: enter a whole number (value: 72.5)"),
        ("--date", "2026-02-30", "Error: visit date: there is no day 30 in month 2 of 2026"),
        ("--date", "2999-01-01", "Error: visit date: cannot be later than today"),
        ("--outcome", "gone", "Error: outcome: the outcome is one of: seen, absent"),
        (
            "--date",
            "1990-01-01",
            "Error: visit date: cannot be earlier than the admission (2020-01-05) (value: 1990-01-01)",
        ),
        ("--fasting", None, "Error: blood glucose: fasting is ticked: enter the glucose value"),
        ("--sbp", "150", "Error: systolic BP: systolic and diastolic BP go together (add the diastolic BP"),
    ],
)
def test_an_invalid_value_exits_2_naming_field_value_and_range_and_writes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], option: str, value: str | None, expected: str
) -> None:
    code, out, err = add(capsys, db, option) if value is None else add(capsys, db, option, value)
    assert code == 2 and out == ""
    assert err.startswith(expected)
    assert stored(db) == []


def test_a_second_visit_the_same_day_exits_1_and_correct_makes_version_2(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(capsys, db, "--sbp", "150", "--dbp", "90")[0] == 0
    code, out, err = add(capsys, db, "--sbp", "130", "--dbp", "80")
    assert code == 1 and out == ""
    assert "already has a visit at this round" in err and "--correct" in err
    code, out, _ = add(capsys, db, "--sbp", "130", "--correct")
    assert code == 0
    assert "version 2, corrects version 1; changed: systolic BP" in out
    first, second = stored(db)
    assert (first.sbp, second.sbp, second.dbp, second.corrects_id, second.version) == (150, 130, 90, first.id, 2)
    code, out, _ = add(capsys, db, "--json", "--sbp", "131", "--dbp", "80")
    assert code == 1 and json.loads(out)["reason"] == "duplicate"


def test_correct_without_a_visit_exits_2(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = add(capsys, db, "--correct", "--sbp", "120")
    assert code == 2 and "no visit on 2026-11-16 to correct" in err


def test_hospitalized_changes_the_status_only_with_update_status(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = add(capsys, db, "--outcome", "住院")
    assert code == 0 and "add --update-status to set it to Hospitalized" in out
    code, out, _ = run(
        capsys,
        "--lang",
        "en",
        "visit",
        "add",
        "--db",
        str(db),
        "--resident",
        NUMBER,
        "--date",
        "2026-11-17",
        "--outcome",
        "hospitalized",
        "--update-status",
    )
    assert code == 0 and "Residence status set to: Hospitalized" in out
    context = open_context(db)
    try:
        with context.uow() as uow:
            resident = uow.session.exec(select(Resident)).one()
            assert (resident.status, resident.status_date) == ("hospitalized", date(2026, 11, 17))
    finally:
        context.close()


def resident_status(db: Path) -> tuple[str, date | None]:
    context = open_context(db)
    try:
        with context.uow() as uow:
            resident = uow.session.exec(select(Resident)).one()
            return resident.status, resident.status_date
    finally:
        context.close()


def test_correcting_a_death_back_to_seen_warns_and_undoes_it_with_update_status(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(capsys, db, "--sbp", "150", "--dbp", "90")[0] == 0
    code, out, _ = add(capsys, db, "--outcome", "deceased", "--correct", "--update-status", lang="zh_CN")
    assert code == 0 and "居住状态已改为：死亡" in out
    assert resident_status(db) == ("deceased", DAY)
    code, out, _ = add(capsys, db, "--sbp", "120", "--dbp", "80", "--correct", lang="zh_CN")
    assert code == 0
    assert (
        "  ‼ 居住状态仍为“死亡”（2026-11-16 由这条巡诊记录设置）；如需恢复为“在住”，请再次更正并加 --update-status"
        in out.splitlines()
    )
    assert resident_status(db) == ("deceased", DAY)
    code, out, _ = add(capsys, db, "--json", "--sbp", "120", "--dbp", "80", "--correct", "--update-status")
    assert code == 0
    assert json.loads(out)["status_restored"] == {
        "status": "deceased",
        "on_date": "2026-11-16",
        "restores": "in_residence",
        "restores_date": None,
    }
    assert resident_status(db) == ("in_residence", None)


def test_correcting_the_day_of_a_death_moves_the_status_date_with_update_status(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def visit(day: str, *extra: str, lang: str = "en") -> tuple[int, str, str]:
        return run(
            capsys,
            "--lang",
            lang,
            "visit",
            "add",
            "--db",
            str(db),
            "--resident",
            NUMBER,
            "--date",
            day,
            "--outcome",
            "deceased",
            "--late-reason",
            "补录",
            *extra,
        )

    assert visit("2026-11-15", "--update-status")[0] == 0  # a day without a round: outside rounds
    assert resident_status(db) == ("deceased", date(2026, 11, 15))
    # the death was on the 14th: without --update-status the status keeps its date, and the output says so
    code, out, _ = visit("2026-11-15", "--correct", "--new-date", "2026-11-14", lang="zh_CN")
    assert code == 0 and "（第 2 版，更正第 1 版；改动：巡诊日期）" in out
    assert (
        "  ‼ 居住状态“死亡”仍记为 2026-11-15（由这条巡诊记录设置）；如需改为 2026-11-14，请再次更正并加 "
        "--update-status" in out.splitlines()
    )
    assert resident_status(db) == ("deceased", date(2026, 11, 15))
    # corrected again (found on its new day) with --update-status: the status moves to the 14th
    code, out, _ = visit("2026-11-14", "--correct", "--update-status")
    assert code == 0
    assert (
        "  Residence status “Deceased” now dated 2026-11-14 (was 2026-11-15, set from this visit)" in out.splitlines()
    )
    assert resident_status(db) == ("deceased", date(2026, 11, 14))
    code, out, _ = visit("2026-11-14", "--correct", "--new-date", "2026-11-13", "--update-status", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["status_moved"] == {"status": "deceased", "from_date": "2026-11-14", "to_date": "2026-11-13"}
    assert payload["status_date_left"] is None and payload["date"] == "2026-11-13"
    assert resident_status(db) == ("deceased", date(2026, 11, 13))
    # not before the admission: refused naming the field and the value, nothing saved
    code, _, err = visit("2026-11-13", "--correct", "--new-date", "2019-12-31", "--update-status")
    assert code == 2 and "2019-12-31" in err
    assert resident_status(db) == ("deceased", date(2026, 11, 13)) and len(stored(db)) == 4


def test_new_date_goes_only_with_correct(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = add(capsys, db, "--new-date", "2026-11-14")
    assert code == 2 and "--new-date" in err and "--correct" in err
    assert stored(db) == []
    assert add(capsys, db)[0] == 0
    code, _, err = add(capsys, db, "--correct", "--new-date", "14/11/2026")
    assert code == 2 and "14/11/2026" in err


def test_a_vital_with_another_outcome_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = add(capsys, db, "--outcome", "absent", "--pulse", "70")
    assert code == 2 and "pulse: with the outcome “Absent” there is no vital signs" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--resident", "110105194912310047"], "no resident “110105194912310047”"),
        (["--db", "missing.sqlite"], "There is no database file"),
        (["--db", "not-a-db.sqlite"], "is not a CareRounds database"),
    ],
)
def test_bad_usage_or_an_unreadable_database_exits_2_with_a_message(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    (tmp_path / "not-a-db.sqlite").write_text("hello", encoding="utf-8")
    values = {"--db": str(db), "--resident": NUMBER, "--date": DAY.isoformat()}
    for key, value in zip(argv[::2], argv[1::2], strict=True):
        values[key] = str(tmp_path / value) if key == "--db" else value
    code, out, err = run(capsys, "--lang", "en", "visit", "add", *[x for pair in values.items() for x in pair])
    assert code == 2 and out == "" and expected in err


def test_missing_required_options_is_bad_usage(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "visit", "add", "--db", str(db), "--resident", NUMBER)
    assert code == 2 and "--date" in err
