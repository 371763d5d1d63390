"""``plan --week`` and ``triage suggest``: text, JSON, exit codes, clear refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from center_sql import connect

from app.bootstrap import open_context
from app.cli.main import main
from app.services.demo.center import create_demo_center
from app.services.rounds.plan import add_round

TODAY = "2026-11-16"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan-cli") / "demo.sqlite"
    context = open_context(path)
    create_demo_center(context.database, residents=150, seed=2, today=date(2026, 11, 16))
    context.close()
    return path


@pytest.fixture
def db(demo_file: Path, center_copy: Callable[[Path], Path | str]) -> str:
    return str(center_copy(demo_file))


def test_plan_prints_rounds_and_residents_due(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh_CN", "plan", "--week", "2026-W48", "--db", db, "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2026-W48（2026-11-23 至 2026-11-29）共")
    assert "2026-11-23 周一  康宁养老院  第一家庭医生团队  计划" in out
    assert "应访" in out and "● 红" in out and "天一访，上次" in out


def test_plan_json_has_rounds_due_residents_and_reasons(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    # on the Sunday before: this week's rounds held, so next week's first rounds list everyone due by then
    assert main(["plan", "--week", "2026-W48", "--db", db, "--json", "--today", "2026-11-22"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["week"] == "2026-W48" and payload["monday"] == "2026-11-23" and payload["rounds_created"] == 0
    rounds = payload["rounds"]
    assert rounds and all(r["due_count"] == len(r["due"]) for r in rounds)
    resident = rounds[0]["due"][0]
    assert resident["colour"] == "red" and resident["reasons"][0]["kind"] in ("colour", "never_seen")
    assert {"resident_id", "name", "sex", "age", "bed", "last_seen"} <= set(resident)
    assert payload["not_meeting_agreement"] == []


def test_plan_for_one_institution_in_english(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["plan", "--week", "2026-W48", "--db", db, "--institution", "颐和", "--today", TODAY]
    assert main(["--lang", "en", *argv]) == 0
    out = capsys.readouterr().out
    assert "2026-W48 (2026-11-23 to 2026-11-29): 1 rounds" in out
    assert "Thu 2026-11-26  颐和养老公寓" in out and "due:" in out and "康宁养老院" not in out


def test_a_week_past_shows_who_was_seen(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "plan", "--week", "2026-W46", "--db", db, "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert " seen" in out and " due:" not in out


def round_count(db: str) -> int:
    with connect(db) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM round").fetchone()[0])


@pytest.mark.parametrize("week", ["2026-W05", "2025-W30"])
def test_a_past_week_generates_nothing(db: str, week: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = round_count(db)
    argv = ["plan", "--week", week, "--institution", "康宁养老院", "--db", db, "--today", TODAY]
    assert main([*argv, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["rounds_created"] == 0 and all(r["held"] for r in payload["rounds"])
    assert {r["institution"] for r in payload["rounds"]} <= {"康宁养老院"}
    assert round_count(db) == before
    assert main(["--lang", "en", *argv]) == 0
    assert "Generated" not in capsys.readouterr().out and round_count(db) == before


def test_generating_says_so_and_only_for_the_institution_asked(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = round_count(db)
    argv = ["plan", "--week", "2026-W51", "--db", db, "--today", TODAY]
    assert main(["--lang", "zh_CN", *argv, "--institution", "颐和"]) == 0
    out = capsys.readouterr().out
    assert "已按协议生成 1 次巡诊" in out and round_count(db) == before + 1
    assert main(["--lang", "en", *argv, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["rounds_created"] == len(payload["rounds"]) - 1 > 0
    assert round_count(db) == before + len(payload["rounds"])
    assert main(["--lang", "en", *argv]) == 0
    assert "Generated" not in capsys.readouterr().out  # already there


def test_an_ended_agreement_is_named_with_the_residents_it_leaves(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with connect(db) as connection:
        name, ended, residents = connection.execute(
            "SELECT i.name, CAST(a.end_date AS TEXT), (SELECT COUNT(*) FROM resident r WHERE r.institution_id = i.id "
            "AND r.status = 'in_residence' AND r.deleted = 0) FROM agreement a "
            "JOIN institution i ON i.id = a.institution_id WHERE a.end_date < ?",
            (TODAY,),
        ).fetchone()
    argv = ["plan", "--week", "2026-W49", "--db", db, "--today", TODAY]
    assert main(["--lang", "en", *argv, "--institution", name]) == 0
    out = capsys.readouterr().out
    assert "No rounds this week" in out
    assert f"{name}: agreement ended {ended} — {residents} residents not covered" in out
    assert main(["--lang", "zh_CN", *argv]) == 0
    assert f"{name}：协议于 {ended} 到期 — {residents} 名在住居民无人巡诊" in capsys.readouterr().out
    assert main([*argv, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["agreement_ended"] == [
        {
            "institution_id": payload["agreement_ended"][0]["institution_id"],
            "institution": name,
            "ended": ended,
            "residents": residents,
            "rounds": 0,
        }
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "--week", "2026-47"], "write the week as YEAR-Wnn"),
        (["plan", "--week", "2027-W53"], "2027 has no week 53"),
        (["plan", "--week", "2026-W48", "--institution", "不存在的养老院"], "no institution called “不存在的养老院”"),
        (["plan", "--week", "2026-W48", "--today", "2026-02-30"], "today"),
    ],
)
def test_bad_input_exits_2_naming_field_and_value(
    db: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", *argv, "--db", db]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_missing_database_is_refused_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite"
    assert main(["--lang", "en", "plan", "--week", "2026-W48", "--db", str(missing)]) == 2
    assert "There is no database file" in capsys.readouterr().err and not missing.exists()


def test_missing_week_is_a_usage_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--db", db]) == 2
    assert "--week" in capsys.readouterr().err


def test_triage_suggest_lists_differences_with_reasons(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "triage", "suggest", "--db", db, "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert "residents have a suggestion that differs from their colour" in out
    assert " → " in out and "    - " in out
    assert main(["triage", "suggest", "--db", db, "--json", "--today", TODAY]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["differing"] == len(payload["suggestions"]) > 0
    first = payload["suggestions"][0]
    assert first["current"] != first["suggested"] and first["reasons"][0]["text"]


def test_triage_suggest_through_python_dash_m(db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "triage", "suggest", "--db", db, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["residents"] > 0


def test_an_ended_agreement_with_rounds_booked_asks_for_renewal(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    # issue 14: "81 名在住居民无人巡诊" was printed for a home whose rounds were booked all the same
    with connect(db) as connection:
        institution, name, ended = connection.execute(
            "SELECT a.institution_id, i.name, a.end_date FROM agreement a "
            "JOIN institution i ON i.id = a.institution_id WHERE a.end_date < ?",
            (TODAY,),
        ).fetchone()
    context = open_context(db)
    try:
        with context.uow() as uow:
            context.actor_id = uow.fast_rows("SELECT id FROM staff WHERE login = 'doctor1'")[0][0]
        add_round(context.uow(), institution_id=institution, day=date(2026, 12, 2))
    finally:
        context.close()
    argv = ["plan", "--week", "2026-W49", "--db", db, "--today", TODAY]
    assert main(["--lang", "zh_CN", *argv]) == 0
    out = capsys.readouterr().out
    assert f"{name}：协议于 {ended} 到期 — 本周仍安排了 1 次巡诊" in out and "无人巡诊" not in out
    assert main(["--lang", "en", *argv]) == 0
    assert f"{name}: agreement ended {ended} — 1 round(s) booked this week without one" in capsys.readouterr().out


def test_plan_json_builds_no_text(db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19: with --json only the JSON is built (the text of a district's week took seconds more)."""

    def no_text(plan: object) -> str:
        raise AssertionError("the text was built for --json")

    monkeypatch.setattr("app.cli.plan._text", no_text)
    assert main(["plan", "--week", "2026-W48", "--db", db, "--json", "--today", TODAY]) == 0
    assert json.loads(capsys.readouterr().out)["week"] == "2026-W48"
