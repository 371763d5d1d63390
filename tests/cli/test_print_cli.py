"""``print rounds`` / ``print triage`` / ``print overdue``: PDFs from the command line, and clear refusals."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from center_sql import connect

from app.bootstrap import open_context
from app.cli.main import main
from app.services.demo.center import create_demo_center


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("print-cli") / "demo.sqlite"
    context = open_context(path)
    create_demo_center(context.database, residents=150, seed=4, today=date(2026, 11, 16))
    context.close()
    return path


@pytest.fixture
def db(demo_file: Path, center_copy: Callable[[Path], Path | str]) -> str:
    return str(center_copy(demo_file))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_print_rounds_writes_the_round_sheet(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheets" / "kangning.pdf"
    argv = [
        "print",
        "rounds",
        "--institution",
        "康宁养老院",
        "--date",
        "2026-11-16",
        "--out",
        str(out),
        "--db",
        db,
        "--today",
        "2026-11-16",
    ]
    assert main(["--lang", "zh_CN", *argv]) == 0
    assert capsys.readouterr().out.startswith(f"已写入 {out}（")
    text = "".join(pdf_text(out).split())
    assert "巡诊单" in text and "康宁养老院" in text and "2026-11-16周一" in text and "第1页/共" in text
    assert main([*argv, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["path"] == str(out) and payload["pages"] >= 1 and payload["residents"] > 0


def test_reprinting_a_held_round_lists_who_was_due_then_and_who_was_seen(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with connect(db) as connection:
        round_id, institution = connection.execute(
            "SELECT r.id, i.name FROM round r JOIN institution i ON i.id = r.institution_id "
            "WHERE r.round_date = '2026-11-09' AND r.deleted = 0 ORDER BY "
            "(SELECT COUNT(*) FROM visit v WHERE v.round_id = r.id) DESC LIMIT 1"
        ).fetchone()
        visited = connection.execute(
            "SELECT COUNT(DISTINCT resident_id) FROM visit WHERE round_id = ? AND deleted = 0", (round_id,)
        ).fetchone()[0]
    assert visited > 3
    out = tmp_path / "held.pdf"
    argv = [
        "print",
        "rounds",
        "--institution",
        institution,
        "--date",
        "2026-11-09",
        "--out",
        str(out),
        "--db",
        db,
        "--json",
    ]
    assert main([*argv, "--today", "2026-11-22"]) == 0
    later = json.loads(capsys.readouterr().out)["residents"]
    assert main([*argv, "--today", "2026-11-09"]) == 0  # the sheet as printed the morning of the round
    morning = json.loads(capsys.readouterr().out)["residents"]
    assert later >= visited and later >= morning  # the same residents due, plus anyone seen though not due
    assert main(["--lang", "zh_CN", *argv[:-1], "--today", "2026-11-22"]) == 0
    text = "".join(pdf_text(out).split())
    assert f"到访{visited}人" in text and "已巡诊：应访" in text


def test_print_triage_writes_the_list(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "triage.pdf"
    assert main(["--lang", "en", "print", "triage", "--institution", "枫林", "--out", str(out), "--db", db]) == 0
    assert "Wrote" in capsys.readouterr().out
    text = pdf_text(out)
    assert "Triage list" in text and "枫林敬老院" in text and "Green-channel hospital" in text


def test_print_overdue_writes_the_list(db: str, tmp_path: Path) -> None:
    out = tmp_path / "overdue.pdf"
    assert main(["print", "overdue", "--out", str(out), "--db", db, "--today", "2026-11-18"]) == 0
    assert "逾期未访名单" in pdf_text(out)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--institution", "康宁养老院", "--date", "2026-11-17"], "康宁养老院 has no round on 2026-11-17"),
        (["--institution", "康宁养老院", "--date", "next monday"], "date"),
        (["--institution", "养老", "--date", "2026-11-16"], "matches several institutions"),
        (["--institution", "nowhere", "--date", "2026-11-16"], "no institution called “nowhere”"),
    ],
)
def test_print_rounds_refusals_exit_2(
    db: str, tmp_path: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--lang", "en", "print", "rounds", *extra, "--out", str(out), "--db", db]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_an_unwritable_output_exits_2(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["print", "triage", "--institution", "枫林敬老院", "--out", str(blocker / "t.pdf"), "--db", db]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_missing_arguments_are_usage_errors(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print", "rounds", "--institution", "康宁养老院", "--db", db]) == 2
    assert "--date" in capsys.readouterr().err


def test_reprinting_a_held_round_prints_the_conditions_of_that_day(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services.records.sections import save_condition

    with connect(db) as connection:
        institution, resident_id = connection.execute(
            "SELECT i.name, v.resident_id FROM round r JOIN institution i ON i.id = r.institution_id "
            "JOIN visit v ON v.round_id = r.id AND v.deleted = 0 JOIN resident p ON p.id = v.resident_id "
            "WHERE r.round_date = '2026-11-09' AND r.deleted = 0 ORDER BY p.name LIMIT 1"
        ).fetchone()
        connection.execute("UPDATE condition SET deleted = ? WHERE resident_id = ?", (True, resident_id))
    context = open_context(db)
    try:
        for name, diagnosed, active in (
            ("新发病", date(2026, 11, 12), True),  # diagnosed after the round
            ("老慢病", date(2024, 3, 1), True),
            ("已愈病", date(2025, 6, 1), False),  # resolved after the round (stamped below)
        ):
            save_condition(
                context.uow(),
                resident_id=resident_id,
                name=name,
                diagnosed_on=diagnosed,
                active=active,
                today=date(2026, 11, 16),
            )
    finally:
        context.close()
    with connect(db) as connection:  # entered resolved on 2026-11-12: it was current on the 9th
        connection.execute(
            "UPDATE condition SET created_at = '2026-11-12 04:00:00.000000' WHERE resident_id = ? AND name = '已愈病'",
            (resident_id,),
        )
    out = tmp_path / "held.pdf"
    argv = [
        "--lang",
        "zh_CN",
        "print",
        "rounds",
        "--institution",
        institution,
        "--date",
        "2026-11-09",
        "--out",
        str(out),
        "--db",
        db,
        "--today",
        "2026-11-16",
    ]
    assert main(argv) == 0
    capsys.readouterr()
    text = "".join(pdf_text(out).split())
    assert "老慢病" in text and "已愈病" in text and "新发病" not in text
