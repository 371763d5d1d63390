"""``roster import``: the report, dry runs, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.idcard import make_id_number

WANG = make_id_number("310104", date(1940, 5, 6), 11, "M")
LI = make_id_number("310104", date(1938, 1, 2), 12, "F")
BAD = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")


def csv_file(tmp_path: Path, *rows: str, encoding: str = "gbk") -> Path:
    path = tmp_path / "名单.csv"
    path.write_bytes("\r\n".join(rows).encode(encoding))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def count(capsys: pytest.CaptureFixture[str], db: Path) -> int:
    _, out, _ = run(capsys, "resident", "list", "--db", str(db), "--institution", "康宁养老院", "--json")
    return len(json.loads(out))


def test_rejected_rows_are_reported_and_the_rest_imported_with_exit_1(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = (date.today() + timedelta(days=3)).isoformat()
    path = csv_file(
        tmp_path,
        "康宁养老院入住名单",
        "姓名,身份证号码,床号,入住日期,民族",
        f"王建国,{WANG},A-1,2020-01-05,汉",
        f"李秀英,{LI},A-2,{future},汉",
        f",{LI[:-1]}0,A-3,,",
        f"赵四,{BAD},A-4,,",
    )
    before = count(capsys, db)
    code, out, err = run(
        capsys, "--lang", "en", "roster", "import", str(path), "--institution", "康宁养老院", "--db", str(db)
    )
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith("row 4: admission_date: cannot be later than today")
    assert any(line.startswith("row 5: name: a name is required") for line in lines)
    assert any(line.startswith("row 6: id_number: check character is wrong") for line in lines)
    assert "Header in row 2; file read as CSV (GBK/GB18030)" in out and "Columns ignored: 民族" in out
    assert lines[-1] == "Imported 1 resident(s) into 康宁养老院; 3 row(s) rejected (4 data rows)"
    assert count(capsys, db) == before + 1


def test_dry_run_writes_nothing_and_a_clean_file_exits_0(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = csv_file(tmp_path, "Name,ID number,Bed", f"王建国,{WANG},1", f"李秀英,{LI},2", encoding="utf-8-sig")
    before = count(capsys, db)
    code, out, _ = run(
        capsys, "roster", "import", str(path), "--institution", "康宁养老院", "--db", str(db), "--dry-run", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert (payload["dry_run"], payload["valid"], payload["imported"], payload["problems"]) == (True, 2, 0, [])
    assert count(capsys, db) == before
    code, out, _ = run(capsys, "roster", "import", str(path), "--institution", "康宁养老院", "--db", str(db))
    assert code == 0 and "已导入 2 人" in out
    assert count(capsys, db) == before + 2
    code, out, _ = run(capsys, "roster", "import", str(path), "--institution", "康宁养老院", "--db", str(db))
    assert code == 1 and out.startswith("第 2 行：身份证号：中心已有此人：王建国")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing.csv", "missing.csv"),
        (lambda tmp: csv_file(tmp, "名单", "a,b"), "header"),
        (lambda tmp: csv_file(tmp, "姓名,床号", "王,1"), "ID card number"),
        (lambda tmp: (tmp / "x.xls").write_bytes(b"\xd0\xcf") and tmp / "x.xls", ".xls"),
    ],
)
def test_unreadable_input_exits_2_with_a_clear_message(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, expected: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    code, _, err = run(
        capsys, "--lang", "en", "roster", "import", str(path), "--institution", "康宁养老院", "--db", str(db)
    )
    assert code == 2 and expected in err and "Traceback" not in err


def test_an_unknown_institution_exits_2(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = csv_file(tmp_path, "姓名,身份证号", f"王建国,{WANG}")
    code, _, err = run(capsys, "roster", "import", str(path), "--institution", "无此机构", "--db", str(db))
    assert code == 2 and "找不到机构" in err
