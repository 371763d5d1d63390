"""``export LIST``: every list out to Excel through the one exporter, its rows those of the list's own service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.bootstrap import open_context
from app.cli.main import main
from app.services.records.search import search_residents
from app.services.rounds.plan import overdue_residents

TODAY = "2026-11-18"


def _rows(path: Path, sheet: int = 0) -> list[list[object]]:
    book = load_workbook(path)
    return [[cell.value for cell in row] for row in book.worksheets[sheet].iter_rows(min_row=4)]


def test_residents_with_filters(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "residents.xlsx"
    argv = ["--lang", "zh_CN", "export", "residents", "--db", str(db), "--out", str(out), "--colour", "red"]
    assert main([*argv, "--today", TODAY]) == 0
    assert "已写入" in capsys.readouterr().out
    rows = _rows(out)
    context = open_context(db, create=False)
    try:
        from app.domain.colours import TriageColour

        expected = search_residents(context.uow(), colour=TriageColour.RED)
    finally:
        context.close()
    assert [row[0] for row in rows] == [r.name for r in expected] and rows
    assert {row[6] for row in rows} == {"● 红"}
    assert load_workbook(out).worksheets[0]["C4"].number_format == "yyyy-mm-dd"
    assert out.stat().st_mode & 0o777 == 0o600


def test_overdue_triage_plan_and_referrals(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("overdue", "triage", "plan", "referrals"):
        out = tmp_path / f"{name}.xlsx"
        extra = ["--week", "2026-W47"] if name == "plan" else []
        assert main(["export", name, "--db", str(db), "--out", str(out), "--today", TODAY, *extra, "--json"]) == 0, name
    capsys.readouterr()
    context = open_context(db, create=False)
    try:
        overdue = overdue_residents(context.uow(), today=date.fromisoformat(TODAY))
    finally:
        context.close()
    assert [row[1] for row in _rows(tmp_path / "overdue.xlsx")] == [r.name for r in overdue]
    assert [row[0] for row in _rows(tmp_path / "overdue.xlsx")] == [r.days for r in overdue]
    plan = load_workbook(tmp_path / "plan.xlsx")
    assert [sheet.title for sheet in plan.worksheets] == ["周巡诊计划", "应访居民"]
    assert "2026-W47" in plan.worksheets[0]["A1"].value
    assert _rows(tmp_path / "triage.xlsx")


def test_export_refusals(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "export", "residents", "--db", str(db), "--out", str(tmp_path / "x.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert (
        main(["--lang", "en", "export", "plan", "--db", str(db), "--out", str(tmp_path / "p.xlsx"), "--week", "W47"])
        == 2
    )
    assert "Traceback" not in capsys.readouterr().err
    pdf = tmp_path / "a.xlsx"
    pdf.write_bytes(b"%PDF-1.4 a pdf named .xlsx")
    assert main(["--lang", "en", "export", "residents", "--db", str(db), "--out", str(pdf)]) == 2
    assert "--force" in capsys.readouterr().err and pdf.read_bytes().startswith(b"%PDF")
    assert main(["export", "nonsense", "--db", str(db), "--out", str(tmp_path / "n.xlsx")]) == 2


def test_the_audit_entries_for_an_administrator(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit.xlsx"
    assert main(["--lang", "zh_CN", "export", "audit", "--db", str(db), "--out", str(out), "--json"]) == 0
    rows = _rows(out)
    assert rows and all(row[1] for row in rows)  # who did it, on every line
    assert load_workbook(out).worksheets[0]["A3"].value == "时间"
