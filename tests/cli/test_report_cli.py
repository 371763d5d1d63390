"""``report``: the figures as text and JSON, the return as .xlsx and .pdf, and ``report merge``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.bootstrap import open_context
from app.cli.main import main
from app.domain.roles import Role
from app.services.accounts.sign_in import create_staff
from app.services.demo import DEMO_PASSWORD

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services" / "reports"))
from report_center import EXPECTED_Q4, build


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report-cli") / "center.sqlite"
    context = open_context(path)
    build(context)
    with context.uow() as uow:  # who runs the reports (conftest signs in as admin with the demo password)
        create_staff(uow, name="王管理", role=Role.ADMIN, login="admin", password=DEMO_PASSWORD)
        uow.commit()
    context.close()
    return path


@pytest.fixture
def db(template: Path, center_copy: Callable[[Path], Path | str]) -> str:
    return str(center_copy(template))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_json_gives_every_indicator(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "report", "--db", db, "--period", "2026-Q4", "--today", "2027-01-10", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["period"] == "2026-Q4" and payload["previous_period"] == "2026-Q3"
    assert {item["key"]: item["total"] for item in payload["indicators"]} == {
        key: value for key, value in EXPECTED_Q4.items() if key in {i["key"] for i in payload["indicators"]}
    }
    by_key = {item["key"]: item for item in payload["indicators"]}
    assert by_key["in_residence"]["by_institution"] == {"枫林敬老院": 3, "康宁养老院": 3}


def test_report_text_in_chinese_and_english(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--lang", "zh_CN", "report", "--db", db, "--period", "2026-Q4", "--today", "2027-01-10")
    assert code == 0
    assert "管理人群血压控制率" in out and "33.3%" in out and "手算社区卫生服务中心" in out
    code, out, _ = _run(capsys, "--lang", "en", "report", "--db", db, "--period", "2026-11", "--today", "2027-01-10")
    assert code == 0 and "BP control rate" in out and "2026-10" in out


def test_report_one_institution(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "report", "--db", db, "--period", "2026-Q4", "--institution", "枫林", "--json", "--today", "2027-01-10"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["institutions"] == ["枫林敬老院"]
    assert {item["key"]: item["total"] for item in payload["indicators"]}["in_residence"] == 3


def test_the_return_as_excel_reads_back_the_same_numbers(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "return.xlsx"
    code, _, _ = _run(
        capsys,
        "--lang",
        "zh_CN",
        "report",
        "--db",
        db,
        "--period",
        "2026-Q4",
        "--today",
        "2027-01-10",
        "--out",
        str(out),
    )
    assert code == 0
    assert out.stat().st_mode & 0o777 == 0o600
    book = load_workbook(out)
    assert [name for name in book.sheetnames if not name.startswith("_")] == [
        "表1 签约与巡诊",
        "表2 分类管理",
        "表3 老年人与慢性病健康管理",
        "表4 家庭病床、代配药与评估",
        "表5 双向转诊",
    ]
    sheet = book["表3 老年人与慢性病健康管理"]
    assert "手算社区卫生服务中心" in sheet["A1"].value and "2026-Q4" in sheet["A2"].value
    # a merged row of groups (老年人健康管理, 高血压, 2型糖尿病) over the column titles; 机构 spans both rows
    assert [sheet["B3"].value, sheet["E3"].value, sheet["J3"].value] == ["老年人健康管理", "高血压", "2型糖尿病"]
    assert {"A3:A4", "B3:D3", "E3:I3", "J3:N3"} <= {str(merged) for merged in sheet.merged_cells.ranges}
    headers = [sheet["A3"].value] + [cell.value for cell in sheet[4][1:]]
    total = [cell.value for cell in sheet[7]]
    assert total[0] == "中心合计"
    got = dict(zip(headers, total, strict=True))
    assert got["管理人群血压控制率"] == pytest.approx(0.333)
    assert got["65岁及以上老人数"] == 5 and got["老年人健康管理率"] == pytest.approx(0.2)
    assert sheet["I7"].number_format == "0.0%" and sheet["H7"].number_format == "#,##0"
    assert sheet.freeze_panes == "B5" and sheet.print_title_rows == "$3:$4"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert "A1:N1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert book["_carerounds"].sheet_state == "hidden"


def test_the_return_as_pdf(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "return.pdf"
    code, _, _ = _run(
        capsys,
        "--lang",
        "zh_CN",
        "report",
        "--db",
        db,
        "--period",
        "2026-Q4",
        "--today",
        "2027-01-10",
        "--out",
        str(out),
    )
    assert code == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = text.replace(" ", "")
    assert "手算社区卫生服务中心表3老年人与慢性病健康管理" in squeezed and "第1页/共5页" in squeezed
    assert "中心合计" in text and "46.4%" in text and "50.0%" in text and "表5双向转诊" in squeezed


def test_a_layout_file_chooses_the_columns(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = tmp_path / "district.json"
    layout.write_text(
        json.dumps(
            {"tables": [{"key": "d", "title": "区报表", "columns": ["signed", {"key": "visits", "title": "人次"}]}]},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "d.xlsx"
    code, _, _ = _run(
        capsys,
        "report",
        "--db",
        db,
        "--period",
        "2026-Q4",
        "--layout",
        str(layout),
        "--out",
        str(out),
        "--today",
        "2027-01-10",
    )
    assert code == 0
    sheet = load_workbook(out)["区报表"]
    assert [cell.value for cell in sheet[3]] == ["机构", "签约人数", "人次"]
    layout.write_text('{"tables": [{"columns": ["nonsense"]}]}', encoding="utf-8")
    code, _, err = _run(capsys, "--lang", "en", "report", "--db", db, "--period", "2026-Q4", "--layout", str(layout))
    assert code == 2 and "nonsense" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--period", "2026-Q5"], "2026-Q4"),
        (["--period", "2026-Q4", "--out", "x.docx"], ".xlsx"),
        (["--period", "2026-Q4", "--institution", "无此机构"], "无此机构"),
        ([], "--period"),
    ],
)
def test_report_refusals_exit_2(db: str, capsys: pytest.CaptureFixture[str], argv: list[str], words: str) -> None:
    code, _, err = _run(capsys, "report", "--db", db, *argv)
    assert code == 2 and words in err and "Traceback" not in err


def test_the_return_never_overwrites_the_database(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(db_file)  # file-only: --out over (a copy of) the database file
    before = Path(db).read_bytes()
    renamed = Path(db).with_suffix(".xlsx")
    renamed.write_bytes(before)
    code, _, err = _run(capsys, "report", "--db", db, "--period", "2026-Q4", "--out", str(renamed), "--force")
    assert code == 2 and renamed.read_bytes() == before and "Traceback" not in err


def _center_copy(template: Path, folder: Path, name: str) -> Path:
    path = folder / f"{name}.sqlite"
    path.write_bytes(template.read_bytes())
    with open_context(path).database.engine.begin() as connection:  # rename the center of the copy
        from sqlalchemy import text

        connection.execute(text("UPDATE center SET name = :n"), {"n": name})
    return path


def test_merge_adds_up_centers(template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    returns = []
    for name in ("甲中心", "乙中心"):
        path = _center_copy(template, tmp_path, name)
        out = tmp_path / f"{name}.xlsx"
        assert (
            main(["report", "--db", str(path), "--period", "2026-Q4", "--today", "2027-01-10", "--out", str(out)]) == 0
        )
        returns.append(str(out))
    capsys.readouterr()
    district = tmp_path / "district.xlsx"
    code, out, _ = _run(capsys, "--lang", "zh_CN", "report", "merge", *returns, "--out", str(district), "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["centers"] == ["乙中心", "甲中心"] and payload["total"]["in_residence"] == 12
    sheet = load_workbook(district)["表3 老年人与慢性病健康管理"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=7)]
    assert [row[0] for row in rows] == ["乙中心", "甲中心", "全区合计"]
    headers = [sheet["A3"].value] + [cell.value for cell in sheet[4][1:]]
    district_total = dict(zip(headers, rows[2], strict=True))
    assert district_total["65岁及以上老人数"] == 10 and district_total["管理人群血压控制率"] == pytest.approx(0.333)

    # the same center twice is named; another period is refused
    code, _, err = _run(capsys, "--lang", "zh_CN", "report", "merge", returns[0], returns[0], "--out", str(district))
    assert code == 2 and "甲中心 出现了两次" in err
    other = tmp_path / "other.xlsx"
    main(["report", "--db", str(template), "--period", "2026-Q3", "--today", "2027-01-10", "--out", str(other)])
    capsys.readouterr()
    code, _, err = _run(capsys, "--lang", "en", "report", "merge", returns[0], str(other), "--out", str(district))
    assert code == 2 and "2026-Q3" in err and "periods differ" in err
    stranger = tmp_path / "stranger.xlsx"
    stranger.write_bytes(b"not a workbook")
    code, _, err = _run(capsys, "--lang", "en", "report", "merge", str(stranger), "--out", str(district))
    assert code == 2 and "not a monitoring return" in err and "Traceback" not in err

    # the output is never one of the inputs, even with --force (the center's return was overwritten, exit 0)
    before = Path(returns[0]).read_bytes()
    code, _, err = _run(capsys, "--lang", "en", "report", "merge", *returns, "--out", returns[0], "--force")
    assert code == 2 and "one of the returns" in err and Path(returns[0]).read_bytes() == before


@pytest.mark.parametrize("period", ["2027-Q3", "2027-01", "2027", "2026-12-07..2026-12-31"])
def test_a_period_not_begun_is_refused(db: str, capsys: pytest.CaptureFixture[str], period: str) -> None:
    code, out, err = _run(capsys, "--lang", "en", "report", "--db", db, "--period", period, "--today", "2026-12-06")
    assert code == 2 and out == ""
    assert "has not begun (today is 2026-12-06)" in err and "Traceback" not in err


def test_a_period_in_progress_is_counted_to_date(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--lang", "en", "report", "--db", db, "--period", "2026-Q4", "--today", "2026-12-06")
    assert code == 0 and "2026-Q4 (to date, 2026-12-06)" in out
    code, out, _ = _run(capsys, "report", "--db", db, "--period", "2026-Q4", "--today", "2026-12-06", "--json")
    payload = json.loads(out)
    assert payload["to_date"] is True and payload["period"] == "2026-Q4"
    # 吴八's referral of 12-10 is open 14 days only on 12-24: not yet due on 6 December (it did not exist yet)
    overdue = {item["key"]: item["total"] for item in payload["indicators"]}["referrals_overdue"]
    assert overdue == 1  # 赵四's, open since 20 October
