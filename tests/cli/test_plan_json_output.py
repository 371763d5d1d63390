"""``plan --week --json`` prints exactly the JSON it always has (issue 19: its writing was made fast, not different).

The expected text is built here the plain way from the same week's plan, with :func:`json.dumps` and
``is_unsafe_control``: every field, in order, indented down to four levels and one line per due resident
below, with every control character escaped. Names, beds and teams holding control and bidi characters, quotes
and backslashes are included.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from center_sql import connect

from app.bootstrap import open_context
from app.cli.main import main
from app.domain.validation import is_unsafe_control
from app.services.demo.center import create_demo_center
from app.services.rounds.plan import WeekPlan, plan_week

ROOT = Path(__file__).resolve().parents[2]
AWKWARD = '王\x1b[31m\u202e梅\x85"\\\x7f'
"""Escapes of every kind: ESC (json's own \\u001b), a bidi override, C1 and DEL (escaped after json), a quote and a
backslash."""


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan-json") / "demo.sqlite"
    context = open_context(path)
    create_demo_center(context.database, residents=60, seed=5, today=date(2026, 11, 16))
    context.close()
    return path


def plain_payload(plan: WeekPlan) -> dict[str, Any]:
    """What ``plan --json`` has always printed, field by field."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "week": plan.label,
        "monday": plan.monday.isoformat(),
        "sunday": plan.sunday.isoformat(),
        "today": plan.today.isoformat(),
        "rounds_created": plan.created,
        "rounds": [
            {
                "id": r.id,
                "date": r.day.isoformat(),
                "institution_id": r.institution_id,
                "institution": r.institution,
                "team": r.team,
                "status": r.status,
                "moved_from": day(r.moved_from),
                "cancel_reason": r.cancel_reason,
                "held": r.past,
                "seen": r.seen,
                "next_round": day(r.next_date),
                "due_count": len(r.due),
                "due": [
                    {
                        "resident_id": d.resident_id,
                        "name": d.name,
                        "sex": d.sex,
                        "age": d.age_on(r.day),
                        "bed": "-".join(part for part in (d.building, d.room, d.bed) if part),
                        "colour": d.colour.value,
                        "last_seen": day(d.last_seen),
                        "reasons": [
                            {
                                "kind": reason.kind.value,
                                "due_on": reason.due_on.isoformat(),
                                "last": day(reason.last),
                                "text": reason.text(r.day),
                            }
                            for reason in d.reasons
                        ],
                    }
                    for d in r.due
                ],
            }
            for r in plan.rounds
        ],
        "not_meeting_agreement": [
            {
                "institution_id": g.institution_id,
                "institution": g.institution,
                "team": g.team,
                "rounds": g.rounds,
                "required": g.required,
            }
            for g in plan.gaps
        ],
        "agreement_ended": [
            {
                "institution_id": e.institution_id,
                "institution": e.institution,
                "ended": e.ended.isoformat(),
                "residents": e.residents,
                "rounds": e.rounds,
            }
            for e in plan.ended
        ],
    }


def plain_text(value: Any, depth: int = 0) -> str:
    """``json.dumps(indent=2)`` down to four levels, one line below, every control character escaped."""
    if depth >= 4 or not isinstance(value, dict | list) or not value:
        text = json.dumps(value, ensure_ascii=False)
        return "".join(f"\\u{ord(char):04x}" if is_unsafe_control(char) else char for char in text)
    inner, outer = "\n" + "  " * (depth + 1), "\n" + "  " * depth
    if isinstance(value, dict):
        items = [f"{plain_text(key)}: {plain_text(item, depth + 1)}" for key, item in value.items()]
        return "{" + inner + ("," + inner).join(items) + outer + "}"
    return "[" + inner + ("," + inner).join(plain_text(item, depth + 1) for item in value) + outer + "]"


def week_plan(db: str, week: date, today: date) -> WeekPlan:
    context = open_context(db)
    try:
        return plan_week(context.uow(), week=week, today=today)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("week", "monday", "today"),
    [("2026-W47", date(2026, 11, 16), "2026-11-18"), ("2026-W48", date(2026, 11, 23), "2026-11-16")],
)
def test_plan_json_is_exactly_the_plain_json_of_the_plan(
    demo_file: Path, center_copy: Any, week: str, monday: date, today: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """This week's (a round held, the others to come) and next week's, both as the plain JSON of the plan."""
    db = str(center_copy(demo_file))
    argv = ["plan", "--week", week, "--db", db, "--json", "--today", today]
    assert main(argv) == 0  # the week's rounds are generated once
    first = json.loads(capsys.readouterr().out)
    upcoming = [r for r in first["rounds"] if r["due"]]
    assert upcoming, "the week has a round with residents due"
    resident = upcoming[0]["due"][-1]["resident_id"]
    with connect(db) as raw:
        raw.execute(
            "UPDATE resident SET name = ?, building = ?, room = '', bed = ? WHERE id = ?",
            (AWKWARD, "楼\u2066", '"1"\\', resident),
        )
        raw.execute("UPDATE team SET name = ?", (AWKWARD,))
    assert main(argv) == 0
    out = capsys.readouterr().out
    expected = plain_text(plain_payload(week_plan(db, monday, date.fromisoformat(today))))
    assert out == expected + "\n"
    assert not any(is_unsafe_control(char) for char in out.replace("\n", ""))
    printed = json.loads(out)
    assert {d["resident_id"]: d for r in printed["rounds"] for d in r["due"]}[resident]["name"] == AWKWARD
    held = [r for r in printed["rounds"] if r["held"]]
    assert (held or week == "2026-W48") and any(len(d["reasons"]) > 1 for r in upcoming for d in r["due"])


def test_the_whole_command_prints_the_same_and_leaves_the_database_closed(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m app`` ends without the interpreter's last sweep of its objects (app/__main__.py): what it
    printed is whole, and its connections were closed (SQLite removes the ``-wal`` file when the last one is)."""
    db = tmp_path / "center.sqlite"
    shutil.copyfile(demo_file, db)
    argv = ["plan", "--week", "2026-W48", "--db", str(db), "--json", "--today", "2026-11-16"]
    assert main(argv) == 0  # the week's rounds generated
    capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "app", *argv], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert main(argv) == 0
    assert done.stdout == capsys.readouterr().out
    assert sorted(path.name for path in tmp_path.iterdir()) == ["center.sqlite"]
