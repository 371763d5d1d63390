"""Issue #16 on the command line: ``assessment add`` and ``referral list|close``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from center_sql import connect

from app.cli.main import main

TODAY = "2026-11-16"  # the demo's day (tests/cli/conftest.py)

ANNUAL = [
    "temperature=36.5", "pulse=70", "respiration=16", "sbp_left=138", "dbp_left=80", "sbp_right=136",
    "dbp_right=78", "height=158", "weight=55", "waist=80", "self_care_score=0", "cognition=normal", "mood=正常",
    "blood_routine=normal", "urine_routine=normal", "fasting_glucose=5.6", "lipids=abnormal",
    "liver_function=normal", "kidney_function=normal", "ecg=normal", "abdominal_ultrasound=not_done",
    "summary=血脂异常，低脂饮食",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _signed_in_as_nurse(monkeypatch: pytest.MonkeyPatch) -> None:
    """A nurse records assessments, visits and referral outcomes."""
    monkeypatch.setenv("CARE_USER", "nurse1")


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


def _hypertensive(db: Path) -> str:
    """A demo resident in residence with hypertension and without diabetes."""
    with connect(db) as connection:
        return str(
            connection.execute(
                "SELECT r.id FROM resident r WHERE r.status = 'in_residence' AND EXISTS (SELECT 1 FROM condition c "
                "WHERE c.resident_id = r.id AND c.code = 'hypertension' AND c.active = 1 AND c.deleted = 0) "
                "AND NOT EXISTS (SELECT 1 FROM condition c WHERE c.resident_id = r.id AND c.code = 'diabetes_t2') "
                "ORDER BY r.id LIMIT 1"
            ).fetchone()[0]
        )


def test_visit_add_classifies_each_disease_refers_and_the_referral_is_closed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resident = _hypertensive(db)
    base = ["visit", "add", "--db", str(db), "--resident", resident]
    saved = _json(
        capsys,
        [*base, "--date", "2026-10-31", "--sbp", "186", "--dbp", "96", "--followup", "hypertension=uncontrolled",
         "--referral", "green", "--referral-reason", "血压 186/96", "--urgent", "--late-reason", "补录"],
    )  # fmt: skip
    assert saved["referral"]["urgent"] and saved["referral"]["green_channel"]
    assert saved["follow_ups"] == [{"disease": "hypertension", "class": "not_controlled", "proposed": False}]
    assert saved["urgent"]
    listed = _json(capsys, ["referral", "list", "--db", str(db), "--open", "--today", TODAY])["referrals"]
    mine = [r for r in listed if r["resident_id"] == resident and r["reason"] == "血压 186/96"]  # the demo has others
    assert len(mine) == 1 and mine[0]["state"] == "follow_up_due" and mine[0]["follow_up_due_on"] == "2026-11-14"
    code, out, err = _run(
        capsys, ["referral", "close", mine[0]["id"][:8], "--outcome", "cured", "--date", TODAY, "--db", str(db)]
    )
    assert code == 2 and "admitted" in err and "Traceback" not in err
    closed = _json(
        capsys,
        ["referral", "close", mine[0]["id"][:8], "--outcome", "returned", "--date", TODAY, "--db", str(db),
         "--today", TODAY],
    )  # fmt: skip
    assert closed["state"] == "closed" and closed["outcome"] == "returned"
    code, out, err = _run(
        capsys, ["referral", "close", mine[0]["id"], "--outcome", "declined", "--date", TODAY, "--db", str(db)]
    )
    assert code == 2 and "returned" not in out
    text_code, text, _ = _run(capsys, ["--lang", "en", "referral", "list", "--db", str(db), "--today", TODAY])
    assert text_code == 0 and "closed 2026-11-16: treated and returned" in text


def test_visit_add_refuses_a_follow_up_for_a_disease_the_resident_does_not_have(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resident = _hypertensive(db)
    code, _, err = _run(
        capsys,
        ["visit", "add", "--db", str(db), "--resident", resident, "--date", "2026-10-31", "--sbp", "150",
         "--dbp", "88", "--followup", "diabetes=controlled", "--late-reason", "补录"],
    )  # fmt: skip
    assert code == 2 and "糖尿病" in err
    code, _, err = _run(
        capsys,
        ["visit", "add", "--db", str(db), "--resident", resident, "--date", "2026-11-02", "--followup", "high"],
    )
    assert code == 2 and "DISEASE=CLASS" not in err and "hypertension" in err


def test_an_assistant_may_list_referrals_but_not_close_them(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "assistant1")
    assert _run(capsys, ["referral", "list", "--db", str(db)])[0] == 0
    code, _, err = _run(capsys, ["referral", "close", "00000000", "--outcome", "returned", "--date", TODAY,
                                 "--db", str(db)])  # fmt: skip
    assert code != 0 and "Traceback" not in err
