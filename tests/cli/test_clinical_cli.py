"""Issue #16 on the command line: ``assessment add`` and ``referral list|close``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main

TODAY = "2026-11-16"  # the demo's day (tests/cli/conftest.py)

ANNUAL = [
    "temperature=36.5", "pulse=70", "respiration=16", "sbp_left=138", "dbp_left=80", "sbp_right=136",
    "dbp_right=78", "height=158", "weight=55", "waist=80", "self_care_score=0", "cognition=normal", "mood=正常",
    "blood_routine=normal", "urine_routine=normal", "fasting_glucose=5.6", "lipids=abnormal",
    "liver_function=normal", "kidney_function=normal", "ecg=normal", "abdominal_ultrasound=not_done",
    "summary=血脂异常，低脂饮食",
]  # fmt: skip


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    code, out, err = _run(capsys, [*argv, "--json"])
    assert code == 0, err
    return json.loads(out)


def _resident(db: Path, capsys: pytest.CaptureFixture[str]) -> str:
    listed = _json(capsys, ["resident", "list", "--db", str(db)])
    residents = listed["residents"] if isinstance(listed, dict) else listed
    return str(residents[0]["id"])


def _sets(values: list[str]) -> list[str]:
    return [part for value in values for part in ("--set", value)]


def test_an_annual_check_is_recorded_with_every_field(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    resident = _resident(db, capsys)
    base = ["assessment", "add", "--db", str(db), "--resident", resident, "--kind", "annual_check", "--date", TODAY]
    saved = _json(capsys, [*base, *_sets(ANNUAL), "--today", TODAY])
    assert saved["ok"] and saved["kind"] == "annual_check" and saved["result"] == "done"
    assert saved["items"]["bmi"] == 22.0 and saved["items"]["mood"] == "normal"
    code, _, err = _run(capsys, [*base, *_sets(ANNUAL[:-2]), "--today", TODAY])  # no ultrasound, no summary
    assert code == 2 and "腹部B超" in err and "Traceback" not in err


def test_self_care_needs_every_item_and_ad8_can_be_not_interpretable(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resident = _resident(db, capsys)
    base = ["assessment", "add", "--db", str(db), "--resident", resident, "--date", TODAY, "--today", TODAY]
    code, _, err = _run(capsys, [*base, "--kind", "self_care", "--set", "eating=0", "--set", "grooming=1"])
    assert code == 2 and "穿衣" in err and "如厕" in err
    items = ["eating=3", "grooming=3", "dressing=3", "toileting=3", "moving=3"]
    saved = _json(capsys, [*base, "--kind", "self_care", *_sets(items)])
    assert (saved["score"], saved["result"]) == (37, "dependent")
    answers = [f"{key}={'unknown' if n < 4 else 'no'}" for n, key in enumerate(
        ["judgement", "interest", "repeats", "learning_tools", "forgets_month_year", "finances", "appointments",
         "daily_memory"]
    )]  # fmt: skip
    saved = _json(capsys, [*base, "--kind", "ad8", *_sets(answers)])
    assert saved["result"] == "not_interpretable"
    code, _, err = _run(capsys, [*base, "--kind", "care_level", "--set", "level=7"])
    assert code == 2 and "0–6" in err
    code, _, err = _run(capsys, [*base, "--kind", "care_level", "--set", "grade=3"])
    assert code == 2 and "level" in err


def test_assessment_add_help_lists_the_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assessment", "add", "--help"]) == 0
    out = capsys.readouterr().out
    assert "abdominal_ultrasound" in out and "forgets_month_year" in out and "toileting" in out
