"""``bed open|check|close|list`` and ``refill list|record`` from the command line (DESIGN §7)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from center_sql import connect, on_server

from app.cli.main import main

TODAY = "2026-11-16"  # the demo's day (tests/cli/conftest.py)


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _first_resident(db: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    """The first resident listed who takes a medication and never had a family bed (the demo gives some one)."""
    listed = _json(capsys, ["resident", "list", "--db", str(db)])
    residents = listed["residents"] if isinstance(listed, dict) else listed
    with connect(db) as connection:
        taken = {row[0] for row in connection.execute("SELECT resident_id FROM family_bed")}
        medicated = {row[0] for row in connection.execute("SELECT resident_id FROM medication WHERE deleted = 0")}
    return next(resident for resident in residents if resident["id"] not in taken and resident["id"] in medicated)


def _open_beds(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    return _json(capsys, ["bed", "list", "--db", str(db), "--today", TODAY, *extra])["beds"]


def test_a_bed_is_opened_checked_listed_printed_and_closed(
    db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    resident = _first_resident(db, capsys)
    opened = _json(
        capsys,
        [
            "bed",
            "open",
            "--resident",
            resident["id"],
            "--indication",
            "骶尾部压疮",
            "--date",
            "2026-11-10",
            "--order",
            "dressing:2:碘伏换药",
            "--order",
            "catheter:28",
            "--db",
            str(db),
            "--today",
            TODAY,
        ],
    )
    assert opened["ok"] and opened["opened_on"] == "2026-11-10"
    checked = _json(
        capsys,
        [
            "bed",
            "check",
            "--resident",
            resident["id"],
            "--date",
            TODAY,
            "--findings",
            "创面好转",
            "--done",
            "dressing",
            "--done",
            "dressing",  # named twice: carried out once (the JSON listed it twice)
            "--db",
            str(db),
            "--today",
            TODAY,
        ],
    )
    assert len(checked["orders_done"]) == 1
    pdf = tmp_path / "beds.pdf"
    listed = _json(capsys, ["bed", "list", "--db", str(db), "--today", TODAY, "--out", str(pdf)])
    (bed,) = [bed for bed in listed["beds"] if bed["resident_id"] == resident["id"]]
    assert bed["bed_days"] == 6 and bed["last_check"] == TODAY and bed["checks_missed"] == 0
    assert [o["kind"] for o in bed["orders"]] == ["dressing", "catheter"]
    assert [o["due_today"] for o in bed["orders"]] == [True, False]  # 10th + 6 days: dressing every 2 days
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "家庭病床一览" in text and "骶尾部压疮" in text and resident["name"] in text
    _json(
        capsys,
        [
            "bed",
            "close",
            "--resident",
            resident["id"],
            "--date",
            TODAY,
            "--reason",
            "recovered",
            "--summary",
            "愈合",
            "--db",
            str(db),
            "--today",
            TODAY,
        ],
    )
    assert [bed for bed in _open_beds(db, capsys) if bed["resident_id"] == resident["id"]] == []
    assert len([bed for bed in _open_beds(db, capsys, "--all") if bed["resident_id"] == resident["id"]]) == 1
    everything = tmp_path / "all.pdf"  # --all --out printed the open beds only
    _open_beds(db, capsys, "--all", "--out", str(everything))
    text = subprocess.run(["pdftotext", str(everything), "-"], capture_output=True, text=True, check=True).stdout
    assert "含已撤床" in text and resident["name"] in text and "治愈或好转" in text  # the closing reason


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--order", "massage:2"], "医嘱类别"),
        (["--order", "dressing"], "类别:间隔天数"),
        (["--order", "dressing:0"], "1–90"),
        (["--date", "2026-11-17"], "不能晚于今天"),
        (["--order", "dressing:²"], "类别:间隔天数"),  # was a ValueError traceback: "²".isdigit() is true
        (["--indication", "压疮\u202e"], "控制字符"),  # a bidi override: was saved, then refused by every sync
        (["--date", "2026-02-29"], "2 月没有 29 日"),
    ],
)
def test_bad_bed_input_names_the_field_and_exits_2(
    db: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    resident = _first_resident(db, capsys)
    argv = [
        "bed",
        "open",
        "--resident",
        resident["id"],
        "--indication",
        "压疮",
        "--date",
        "2026-11-10",
        "--db",
        str(db),
        "--today",
        TODAY,
    ]
    if extra[0] == "--date":
        argv[argv.index("--date") + 1] = extra[1]
    else:
        argv += extra
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert [bed for bed in _open_beds(db, capsys) if bed["resident_id"] == resident["id"]] == []  # nothing written


def test_checking_without_an_open_bed_says_so(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    resident = _first_resident(db, capsys)
    argv = [
        "bed",
        "check",
        "--resident",
        resident["id"],
        "--date",
        TODAY,
        "--findings",
        "好",
        "--db",
        str(db),
        "--today",
        TODAY,
    ]
    assert main(argv) == 2
    assert "没有未撤的家庭病床" in capsys.readouterr().err


def test_a_refill_is_recorded_and_the_list_follows_the_next_round(
    db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    resident = _first_resident(db, capsys)
    with connect(db) as connection:  # the demo's first medication of this resident, not followed yet
        connection.execute("DELETE FROM medication_dispense WHERE resident_id = ?", (resident["id"],))
        connection.execute("UPDATE medication SET daily_quantity = NULL WHERE resident_id = ?", (resident["id"],))
        (medication,) = connection.execute(
            "SELECT name FROM medication WHERE resident_id = ? AND deleted = 0 ORDER BY name LIMIT 1", (resident["id"],)
        ).fetchone()
    argv = [
        "refill",
        "record",
        "--resident",
        resident["id"],
        "--medication",
        medication,
        "--quantity",
        "10",
        "--date",
        "2026-11-10",
        "--db",
        str(db),
        "--today",
        TODAY,
    ]
    assert main(argv) == 2
    assert "每日用量" in capsys.readouterr().err
    recorded = _json(capsys, [*argv, "--daily", "1", "--unit", "片", "--collected-by", "王阿姨"])
    assert recorded["runs_out"] == "2026-11-20"
    institution = resident["institution"]
    pdf = tmp_path / "refill.pdf"
    later = _json(
        capsys,
        ["refill", "list", "--institution", institution, "--date", "2026-11-20", "--db", str(db), "--out", str(pdf)],
    )
    (line,) = [line for line in later["lines"] if line["resident_id"] == resident["id"]]
    assert line["runs_out"] == "2026-11-20" and line["ran_out"] and line["quantity"] == 28
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "代配药清单" in text and medication in text and "药房发药人" in text
    early = _json(capsys, ["refill", "list", "--institution", institution, "--date", "2026-11-10", "--db", str(db)])
    assert resident["id"] not in [line["resident_id"] for line in early["lines"]]


def test_a_refused_refill_with_daily_leaves_nothing_written(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --daily 3 was saved in its own transaction, then the dispensing was refused: half-written
    resident = _first_resident(db, capsys)
    with connect(db) as connection:  # not followed for refills yet (the demo follows some)
        connection.execute("UPDATE medication SET daily_quantity = NULL WHERE resident_id = ?", (resident["id"],))
        (medication,) = connection.execute(
            "SELECT name FROM medication WHERE resident_id = ? AND deleted = 0 ORDER BY name LIMIT 1", (resident["id"],)
        ).fetchone()
    argv = ["refill", "record", "--resident", resident["id"], "--medication", medication, "--date", "2026-11-10"]
    argv += ["--daily", "3", "--unit", "粒", "--db", str(db), "--today", TODAY]
    for bad in (["--quantity", "0"], ["--quantity", "9", "--collected-by", "\u202e王阿姨"]):
        assert main([*argv, *bad]) == 2
        assert "（输入值：" in capsys.readouterr().err
    with connect(db) as connection:
        (daily,) = connection.execute(
            "SELECT daily_quantity FROM medication WHERE resident_id = ? AND name = ?", (resident["id"], medication)
        ).fetchone()
    assert daily is None


def test_the_refill_list_exports_to_excel_with_the_list_s_numbers(
    db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``refill list --out FILE.xlsx`` (issue 18): the shared exporter's workbook; ``--out`` rules of issue 12."""
    from openpyxl import load_workbook

    with connect(db) as connection:  # a home with medications on its list at the demo's day
        (institution,) = connection.execute(
            "SELECT i.name FROM medication m JOIN resident r ON r.id = m.resident_id "
            "JOIN institution i ON i.id = r.institution_id WHERE m.daily_quantity IS NOT NULL "
            "GROUP BY i.name ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()
    out = tmp_path / "refills.xlsx"
    argv = ["refill", "list", "--institution", institution, "--date", TODAY, "--db", str(db)]
    listed = _json(capsys, [*argv, "--out", str(out)])
    assert listed["lines"] and listed["xlsx"] == str(out) and listed["pdf"] is None
    assert out.stat().st_mode & 0o777 == 0o600
    sheet = load_workbook(out).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] is not None]
    header = rows.index(next(row for row in rows if row[0] == "床位"))
    body = rows[header + 1 : header + 1 + len(listed["lines"])]
    assert [(r[1], r[2], r[5], r[10]) for r in body] == [
        (line["name"], line["medication"], float(line["daily_quantity"]), line["quantity"]) for line in listed["lines"]
    ]
    assert [r[8].date().isoformat() if r[8] else None for r in body] == [line["runs_out"] for line in listed["lines"]]
    assert main([*argv, "--out", str(out)]) == 0  # a workbook over a workbook
    capsys.readouterr()
    text = tmp_path / "notes.txt"
    text.write_text("keep me")
    assert main([*argv, "--out", str(tmp_path / "refills.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    (tmp_path / "other.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    assert main([*argv, "--out", str(tmp_path / "other.xlsx")]) == 2
    assert "other.xlsx" in capsys.readouterr().err
    if not on_server(db):  # a database file under another name (a server's has none): never written over
        live = tmp_path / "live.xlsx"
        live.symlink_to(db)
        assert main([*argv, "--out", str(live), "--force"]) == 2
        assert "live.xlsx" in capsys.readouterr().err
    assert text.read_text() == "keep me"
