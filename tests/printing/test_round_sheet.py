"""The round sheet PDF (app.printing.round_sheet): header on every page, page numbers, Chinese text, B&W."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

import app.printing.fonts as fonts
from app.domain.colours import TriageColour
from app.domain.i18n import set_language
from app.printing.fonts import CID_FALLBACK, FONT_NAME, choose_font, pdf_font
from app.printing.layout import wrap
from app.printing.round_sheet import RoundSheet, SheetResident, build_round_sheet, sheet_rows

NAMES = ["张红丽", "欧阳秀英", "买买提·艾力", "王建国", "李秀兰"]
COLOURS = [TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN]


def sheet(count: int) -> RoundSheet:
    residents = [
        SheetResident(
            bed=f"A-{101 + n}-{1 + n % 3}",
            name=NAMES[n % len(NAMES)],
            sex="女" if n % 2 else "男",
            age=70 + n % 30,
            colour=COLOURS[n % 3],
            problems="高血压、2型糖尿病、冠心病；过敏：青霉素",
            last_visit="2026-11-09\n血压 152/88 · 空腹血糖 7.2",
            why_due="7 天一访，上次 11-09；年度体检到期",
        )
        for n in range(count)
    ]
    return RoundSheet(
        center="示范区康宁街道社区卫生服务中心",
        institution="康宁养老院",
        day=date(2026, 11, 16),
        team="第一家庭医生团队（医生 周海燕、护士 陈立群）",
        residents=residents,
        printed_at=datetime(2026, 11, 15, 16, 30),
    )


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def cid_font() -> Iterator[None]:
    """Print with reportlab's built-in CID font, as on a machine without a TrueType CJK font."""
    saved = fonts._chosen
    fonts._chosen = choose_font([])
    yield
    fonts._chosen = saved


def test_every_page_has_the_header_the_column_titles_and_its_number(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    pages = build_round_sheet(sheet(40), out)
    texts = pages_text(out)
    assert pages == len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        flat = squeeze(text)
        assert f"第{number}页/共{pages}页" in flat
        assert "巡诊单" in flat and "康宁养老院" in flat and "2026-11-16周一" in flat and "第一家庭医生团队" in flat
        assert "序号" in flat and "应访原因" in flat and "情况与处理" in flat  # the table header repeats
        assert "医生签名" in flat and "护士签名" in flat and "机构负责人签名" in flat
        assert "●红重点人群" in flat and "▲黄次重点人群" in flat and "○绿一般人群" in flat  # the legend
    everything = squeeze("".join(texts))
    for name in NAMES:
        assert squeeze(name) in everything
    assert everything.count("A-1") == 40
    assert "应访40人" in everything and "●红14" in everything


def test_rows_show_colour_as_symbol_and_word(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    build_round_sheet(sheet(3), out)
    flat = squeeze(pages_text(out)[0])
    assert "●红" in flat and "▲黄" in flat and "○绿" in flat
    assert "血压152/88" in flat and "7天一访，上次11-09" in flat


def test_the_chinese_font_is_embedded(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    build_round_sheet(sheet(5), out)
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    lines = listing.splitlines()[2:]
    assert lines, listing
    assert pdf_font().name == FONT_NAME
    for line in lines:  # every font in the file is embedded: no stray Helvetica
        assert " yes yes " in line, line


def test_the_cid_font_works_without_a_truetype_font(tmp_path: Path, cid_font: None) -> None:
    assert pdf_font().name == CID_FALLBACK and not pdf_font().embedded
    out = tmp_path / "sheet.pdf"
    build_round_sheet(sheet(5), out)
    flat = squeeze(pages_text(out)[0])
    assert "张红丽" in flat and "●红" in flat and "第1页/共1页" in flat
    assert "CID" in subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout


def test_an_empty_round_says_so(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    assert build_round_sheet(sheet(0), out) == 1
    assert "本次巡诊无应访居民" in squeeze(pages_text(out)[0])


def test_the_sheet_in_english(tmp_path: Path) -> None:
    set_language("en")
    out = tmp_path / "sheet.pdf"
    pages = build_round_sheet(sheet(20), out)
    text = pages_text(out)
    assert "Page 1 of" in text[0] and f"Page {pages} of {pages}" in text[-1]
    assert "Round sheet" in text[0] and "Why due" in text[-1] and "Doctor:" in text[-1]
    assert "● Red" in text[0] or "●Red" in squeeze(text[0])


def test_pages_render_in_grayscale_with_ink_in_every_row(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    build_round_sheet(sheet(3), out)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p-*.pgm")).read_bytes()
    pixels = image.split(b"\n", 3)[3]
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 500  # text, grid and badges are dark enough to print in black and white


def test_long_text_is_wrapped_to_the_column_and_cut_after_three_lines() -> None:
    long = sheet(1).residents[0]
    rows = sheet_rows(
        RoundSheet(
            center="c",
            institution="i",
            day=date(2026, 11, 16),
            team="t",
            residents=[SheetResident(long.bed, long.name, long.sex, long.age, long.colour, "高血压、" * 30, "", "")],
            printed_at=datetime(2026, 11, 15),
        )
    )
    problems = rows[1][6]
    assert problems.count("\n") == 2 and problems.endswith("…")


def test_wrap_breaks_chinese_anywhere_and_english_between_words() -> None:
    font = pdf_font().name
    text = wrap("高血压2型糖尿病冠心病脑卒中后遗症慢性阻塞性肺疾病", 60, size=8, max_lines=9, font=font)
    assert len(text.splitlines()) > 2
    assert "".join(text.splitlines()) == "高血压2型糖尿病冠心病脑卒中后遗症慢性阻塞性肺疾病"
    english = wrap("every 14 days, last seen 2026-11-09", 70, size=8, max_lines=9, font=font)
    assert all(not line.startswith(" ") for line in english.splitlines())
    assert english.splitlines()[0].startswith("every")
    assert english.replace("\n", " ").split() == ["every", "14", "days,", "last", "seen", "2026-11-09"]
    assert wrap("短", 100, size=8, max_lines=1, font=font) == "短"
    assert wrap("第一行\n第二行", 100, size=8, max_lines=5, font=font) == "第一行\n第二行"
