"""The round sheet — 巡诊单: A4 landscape, one per round, for writing on at the home.

Every page has the header (center, institution, date, team, "第 x 页 / 共 y 页"), the table's column
titles, and the footer (signature lines for the doctor, the nurse and the home's person in charge, and a
legend). A row per resident due — number, bed, name, sex, age, colour, main problems, last visit with its
BP and glucose, why due — and empty boxes for BP, pulse, glucose, temperature, findings and actions.
For a resident with an open family bed or a medication run out, the findings box starts with what the
homes' services ask of the round (:mod:`app.services.homecare.round_sheet`): the bed's orders due that day, each
with a box to tick, and "已断药" with the day each medication ran out.
Rows have a fixed height, enough to write in, so the layout costs no more than a bare table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from app.domain.agreements import weekday_labels
from app.domain.colours import TriageColour
from app.domain.i18n import register, t
from app.printing.layout import (
    GREY,
    LIGHT_GREY,
    ColourBadge,
    badge,
    font_name,
    numbered_canvas,
    page_label,
    wrap,
)

register(
    {
        "sheet.title": {"zh_CN": "巡诊单", "en": "Round sheet"},
        "sheet.center": {"zh_CN": "服务中心：{name}", "en": "Center: {name}"},
        "sheet.institution": {"zh_CN": "巡诊机构：{name}", "en": "Institution: {name}"},
        "sheet.date": {"zh_CN": "巡诊日期：{date} {weekday}", "en": "Date: {weekday} {date}"},
        "sheet.team": {"zh_CN": "家庭医生团队：{name}", "en": "Team: {name}"},
        "sheet.count": {"zh_CN": "应访 {count} 人", "en": "{count} residents due"},
        "sheet.count_held": {
            "zh_CN": "已巡诊：应访 {due} 人，到访 {visited} 人",
            "en": "Held: {due} due, {visited} visited",
        },
        "sheet.count_by_colour": {"zh_CN": "其中 {counts}", "en": "of whom {counts}"},
        "sheet.none_due": {"zh_CN": "本次巡诊无应访居民。", "en": "Nobody is due at this round."},
        "sheet.col.number": {"zh_CN": "序号", "en": "No."},
        "sheet.col.bed": {"zh_CN": "床位", "en": "Bed"},
        "sheet.col.name": {"zh_CN": "姓名", "en": "Name"},
        "sheet.col.sex": {"zh_CN": "性别", "en": "Sex"},
        "sheet.col.age": {"zh_CN": "年龄", "en": "Age"},
        "sheet.col.colour": {"zh_CN": "分类", "en": "Colour"},
        "sheet.col.problems": {"zh_CN": "主要问题", "en": "Main problems"},
        "sheet.col.last_visit": {"zh_CN": "上次巡诊", "en": "Last visit"},
        "sheet.col.why": {"zh_CN": "应访原因", "en": "Why due"},
        "sheet.col.bp": {"zh_CN": "血压\nmmHg", "en": "BP\nmmHg"},
        "sheet.col.pulse": {"zh_CN": "脉搏\n次/分", "en": "Pulse\n/min"},
        "sheet.col.glucose": {"zh_CN": "血糖\nmmol/L", "en": "Glucose\nmmol/L"},
        "sheet.col.temperature": {"zh_CN": "体温\n°C", "en": "Temp.\n°C"},
        "sheet.col.findings": {"zh_CN": "情况与处理", "en": "Findings and actions"},
        "sheet.sign.doctor": {"zh_CN": "医生签名：", "en": "Doctor:"},
        "sheet.sign.nurse": {"zh_CN": "护士签名：", "en": "Nurse:"},
        "sheet.sign.home": {"zh_CN": "机构负责人签名：", "en": "Home's person in charge:"},
        "sheet.legend": {
            "zh_CN": "分类：{red}（{red_days} 天一访）  {yellow}（{yellow_days} 天一访）  "
            "{green}（{green_days} 天一访）   上次巡诊：日期、血压 mmHg、血糖 mmol/L   未测项目请划“—”",
            "en": "Colours: {red} (every {red_days} days)  {yellow} (every {yellow_days} days)  "
            "{green} (every {green_days} days)   Last visit: date, BP mmHg, glucose mmol/L   "
            "Strike out what was not measured",
        },
        "sheet.printed": {"zh_CN": "打印：{moment}", "en": "Printed {moment}"},
    }
)

PAGE = landscape(A4)
MARGIN_X = 12 * mm
HEADER_HEIGHT = 27 * mm
FOOTER_HEIGHT = 22 * mm
CELL_SIZE = 7.5
ROW_HEIGHT = 30.0  # points: three lines of 7.5 pt text, or room to write by hand
HEADER_ROW_HEIGHT = 22.0
COLUMNS_MM = (8, 17, 16, 7, 8, 12, 34, 30, 36, 18, 10, 11, 10, 56)
COLUMN_KEYS = (
    "number",
    "bed",
    "name",
    "sex",
    "age",
    "colour",
    "problems",
    "last_visit",
    "why",
    "bp",
    "pulse",
    "glucose",
    "temperature",
    "findings",
)
WRAPPED = {"bed": 2, "name": 2, "problems": 3, "last_visit": 3, "why": 3}
"""Columns whose text is wrapped, and how many lines each may take."""


@dataclass(frozen=True)
class SheetResident:
    """One row of the sheet, as printed (texts already in the document's language)."""

    bed: str
    name: str
    sex: str
    age: int
    colour: TriageColour
    problems: str
    last_visit: str
    why_due: str
    recorded: tuple[str, str, str, str, str] | None = None
    """For a round already held, what was recorded at it: BP, pulse, glucose, temperature, findings."""
    due: bool = True
    """False for a resident visited at a held round who was not due at it."""
    homecare: str = ""
    """The family-bed orders due that day and the medications run out, as printed (lines), or ""."""


@dataclass(frozen=True)
class RoundSheet:
    """Everything a round sheet shows."""

    center: str
    institution: str
    day: date
    team: str
    residents: Sequence[SheetResident]
    printed_at: datetime
    intervals: dict[TriageColour, int] = field(
        default_factory=lambda: {TriageColour.RED: 7, TriageColour.YELLOW: 14, TriageColour.GREEN: 28}
    )
    held: bool = False
    """A round already held: the header counts who was due and who was visited, not "residents due"."""


def _column_widths() -> list[float]:
    return [width * mm for width in COLUMNS_MM]


def sheet_rows(sheet: RoundSheet) -> list[list[Any]]:
    """Return the table's rows as printed: the column titles, then one row per resident (texts wrapped)."""
    widths = dict(zip(COLUMN_KEYS, _column_widths(), strict=True))
    font = font_name()
    header = [t(f"sheet.col.{key}") for key in COLUMN_KEYS]
    rows: list[list[Any]] = [header]
    padding = 4.0

    def fit(key: str, text: str) -> str:
        return wrap(text, widths[key] - padding, size=CELL_SIZE, max_lines=WRAPPED[key], font=font)

    for number, resident in enumerate(sheet.residents, start=1):
        rows.append(
            [
                str(number),
                fit("bed", resident.bed),
                fit("name", resident.name),
                resident.sex,
                str(resident.age),
                ColourBadge(resident.colour, CELL_SIZE + 1.5),
                fit("problems", resident.problems),
                fit("last_visit", resident.last_visit),
                fit("why", resident.why_due),
                *_boxes(resident, widths, font),
            ]
        )
    return rows


def _boxes(resident: SheetResident, widths: dict[str, float], font: str) -> list[str]:
    """The five boxes to write in: empty, or what was recorded (a held round); the findings box starts with the
    homecare lines when there are any."""
    recorded = resident.recorded or ("",) * 5
    if resident.homecare:
        recorded = (*recorded[:4], "\n".join(text for text in (resident.homecare, recorded[4]) if text))
    if not any(recorded):
        return [""] * 5
    keys = ("bp", "pulse", "glucose", "temperature", "findings")
    return [
        wrap(text, widths[key] - 4.0, size=CELL_SIZE, max_lines=3, font=font) if text else ""
        for key, text in zip(keys, recorded, strict=True)
    ]


def build_round_sheet(sheet: RoundSheet, out: str | Path | IO[bytes]) -> int:
    """Write the round sheet as a PDF to ``out`` (a path or a binary file).

    Returns:
        The number of pages.
    """
    font = font_name()
    rows = sheet_rows(sheet)
    if len(rows) == 1:
        rows.append([t("sheet.none_due")] + [""] * (len(COLUMN_KEYS) - 1))
    table = Table(
        rows,
        colWidths=_column_widths(),
        rowHeights=[HEADER_ROW_HEIGHT] + [ROW_HEIGHT] * (len(rows) - 1),
        repeatRows=1,
    )
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, CELL_SIZE, CELL_SIZE * 1.2),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("BOX", (0, 0), (-1, -1), 1.0, "black"),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (3, 1), (4, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("FONT", (2, 1), (2, -1), font, CELL_SIZE + 0.5, CELL_SIZE * 1.3),
        ("ROWBACKGROUNDS", (0, 1), (8, -1), (None, LIGHT_GREY)),  # the boxes to write in stay white
    ]
    table.setStyle(TableStyle(commands))

    width, height = PAGE
    document = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out),
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=HEADER_HEIGHT,
        bottomMargin=FOOTER_HEIGHT,
        title=f"{t('sheet.title')} {sheet.institution} {sheet.day.isoformat()}",
        author=sheet.center,
        creator="CareRounds",
    )
    pages = 0

    def draw(canvas: Canvas, page: int, total: int) -> None:
        nonlocal pages
        pages = total
        _draw_header(canvas, sheet, page, total, width, height, font)
        _draw_footer(canvas, sheet, width, font)

    document.build([table], canvasmaker=numbered_canvas(draw))
    return pages


def _draw_header(
    canvas: Canvas, sheet: RoundSheet, page: int, total: int, width: float, height: float, font: str
) -> None:
    top = height - 10 * mm
    canvas.setFillColor("black")
    canvas.setFont(font, 17)
    canvas.drawCentredString(width / 2, top - 2, t("sheet.title"))
    canvas.setFont(font, 9)
    canvas.drawString(MARGIN_X, top, t("sheet.center", name=sheet.center))
    canvas.setFont(font, 10)
    canvas.drawRightString(width - MARGIN_X, top, page_label(page, total))
    weekday = weekday_labels([sheet.day.isoweekday()])
    second = top - 15
    canvas.setFont(font, 11)
    canvas.drawString(MARGIN_X, second, t("sheet.institution", name=sheet.institution))
    canvas.drawString(MARGIN_X + 110 * mm, second, t("sheet.date", date=sheet.day.isoformat(), weekday=weekday))
    third = second - 14
    canvas.setFont(font, 9.5)
    canvas.drawString(MARGIN_X, third, t("sheet.team", name=sheet.team))
    counts = {colour: 0 for colour in TriageColour}
    for resident in sheet.residents:
        counts[resident.colour] += 1
    if sheet.held:
        visited = sum(resident.recorded is not None for resident in sheet.residents)
        due = sum(resident.due for resident in sheet.residents)
        summary = t("sheet.count_held", due=due, visited=visited)
    else:
        summary = t("sheet.count", count=len(sheet.residents))
    if sheet.residents:
        detail = "  ".join(f"{badge(colour)} {counts[colour]}" for colour in TriageColour)
        summary += "    " + t("sheet.count_by_colour", counts=detail)
    canvas.drawRightString(width - MARGIN_X, third, summary)


def _draw_footer(canvas: Canvas, sheet: RoundSheet, width: float, font: str) -> None:
    base = 9 * mm
    canvas.setStrokeColor("black")
    canvas.setLineWidth(0.6)
    canvas.setFont(font, 10)
    labels = ("sheet.sign.doctor", "sheet.sign.nurse", "sheet.sign.home")
    slot = (width - 2 * MARGIN_X) / 3
    line_y = base + 7 * mm
    for index, key in enumerate(labels):
        x = MARGIN_X + index * slot
        label = t(key)
        canvas.drawString(x, line_y, label)
        start = x + canvas.stringWidth(label, font, 10) + 2
        canvas.line(start, line_y - 2, x + slot - 10 * mm, line_y - 2)
    canvas.setFont(font, 7.5)
    intervals = sheet.intervals
    canvas.drawString(
        MARGIN_X,
        base,
        t(
            "sheet.legend",
            red=f"{badge(TriageColour.RED)} {TriageColour.RED.group}",
            yellow=f"{badge(TriageColour.YELLOW)} {TriageColour.YELLOW.group}",
            green=f"{badge(TriageColour.GREEN)} {TriageColour.GREEN.group}",
            red_days=intervals[TriageColour.RED],
            yellow_days=intervals[TriageColour.YELLOW],
            green_days=intervals[TriageColour.GREEN],
        ),
    )
    canvas.drawRightString(
        width - MARGIN_X, base, t("sheet.printed", moment=sheet.printed_at.strftime("%Y-%m-%d %H:%M"))
    )
