"""``resident list`` and ``resident edit``: filters, text and JSON, changes, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli.main import main

DEMO_DAY = "2026-11-16"  # a Monday; the demo is made as on this day, whatever the real one


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert main(["demo", "--db", str(path), "--residents", "60", "--seed", "5", "--today", DEMO_DAY, "--plain"]) == 0
    return path


@pytest.fixture
def db(demo_db: Path, center_copy: Callable[[Path], Path | str]) -> Path | str:
    """The demo center of the test's own: a copy of the file, then (issue 20) a copy on the PostgreSQL server —
    the commands are the same with ``--db postgresql://…`` (tests/cli/conftest.py ``center_copy``)."""
    return center_copy(demo_db)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listing(capsys: pytest.CaptureFixture[str], db: Path | str, *extra: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "resident", "list", "--db", str(db), "--json", *extra)
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def test_list_filters_by_institution_colour_and_search(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    everyone = listing(capsys, db)
    assert everyone and {r["status"] for r in everyone} <= {"in_residence", "hospitalized"}
    red_kangning = listing(capsys, db, "--institution", "康宁养老院", "--colour", "red")
    assert {(r["institution"], r["colour"]) for r in red_kangning} <= {("康宁养老院", "red")}
    assert len(red_kangning) == sum(1 for r in everyone if r["institution"] == "康宁养老院" and r["colour"] == "red")
    assert [r["name"] for r in listing(capsys, db, "--search", "zhl")] == ["张红丽"]


def test_list_as_text_masks_id_numbers_and_counts(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "en", "resident", "list", "--db", str(db), "--search", "张红丽")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Name", "Sex", "Age"]
    assert "张红丽" in lines[1] and "**************" in lines[1]
    assert lines[-1] == "1 resident(s)"


def test_list_with_an_unknown_institution_exits_2_naming_the_choices(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--lang", "en", "resident", "list", "--db", str(db), "--institution", "无此机构")
    assert code == 2 and "康宁养老院" in err and "Traceback" not in err


def test_edit_by_id_number_changes_fields_and_reports_them(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    person = listing(capsys, db, "--search", "张红丽")[0]
    code, out, _ = run(
        capsys,
        "--lang",
        "en",
        "resident",
        "edit",
        str(person["id_number"]).lower(),
        "--db",
        str(db),
        "--set",
        "bed=9",
        "--set",
        "hospice=yes",
        "--set",
        "phone=138 1234 5678",
    )
    assert code == 0
    assert "bed: " in out and "→ 9" in out and "hospice: no → yes" in out and "13812345678" in out
    assert listing(capsys, db, "--search", "张红丽")[0]["bed"] == "9"

    code, out, _ = run(capsys, "resident", "edit", str(person["id"]), "--db", str(db), "--set", "status=死亡", "--json")
    assert code == 0
    assert {"field": "status", "old": "in_residence", "new": "deceased"} in json.loads(out)["changes"]
    assert listing(capsys, db, "--search", "张红丽") == []


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        (["colour=red"], "colour"),
        (["bed"], "FIELD=VALUE"),
        (["sex=M"], "sex"),
        (["birth_date=1900-01-01"], "birth date"),
        (["care_level=9"], "care level"),
        (["ltc_insurance=yes", "care_level=1"], "long-term-care"),
        (["status=gone"], "status"),
        (["institution=养老"], "several institutions"),
        (["status_date=2026-11-20"], "goes with a status change"),
    ],
)
def test_bad_edits_exit_2_with_a_message_and_change_nothing(
    db: Path | str, capsys: pytest.CaptureFixture[str], sets: list[str], expected: str
) -> None:
    person = listing(capsys, db, "--search", "张红丽")[0]
    args = [a for item in sets for a in ("--set", item)]
    code, out, err = run(capsys, "--lang", "en", "resident", "edit", str(person["id"]), "--db", str(db), *args)
    assert code == 2, out
    assert expected in err and "Traceback" not in err
    assert listing(capsys, db, "--search", "张红丽")[0] == person


def test_an_unknown_resident_exits_2(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "resident", "edit", "11010519491231002X", "--db", str(db), "--set", "bed=1")
    assert code == 2 and "找不到居民" in err


def test_edit_without_set_is_bad_usage(db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "resident", "edit", "x", "--db", str(db))
    assert code == 2 and "usage" in err


def test_fixing_the_bed_does_not_block_backdating_a_status_change(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date, timedelta

    person = listing(capsys, db, "--search", "张红丽")[0]
    code, out, _ = run(capsys, "--lang", "en", "resident", "edit", str(person["id"]), "--db", str(db), "--set", "bed=2")
    assert code == 0 and "→ 2" in out
    two_days_ago = (date.today() - timedelta(days=2)).isoformat()
    code, out, err = run(
        capsys,
        "--lang",
        "en",
        "resident",
        "edit",
        str(person["id"]),
        "--db",
        str(db),
        "--set",
        "status=住院",
        "--set",
        f"status_date={two_days_ago}",
    )
    assert (code, err) == (0, "")
    [row] = listing(capsys, db, "--search", "张红丽")
    assert (row["bed"], row["status"]) == ("2", "hospitalized")
