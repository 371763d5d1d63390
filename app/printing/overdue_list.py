"""The overdue list — 逾期未访名单: A4 portrait, the residents overdue for a visit, most days first.

Name, bed, institution, colour, days overdue, last visit, what is outstanding and a contact phone, so a
nurse can work down the list by telephone or plan a catch-up round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from app.domain.colours import TriageColour
from app.domain.i18n import register, t
from app.printing.layout import GREY, LIGHT_GREY, ColourBadge, badge, font_name, numbered_canvas, page_label, wrap

register(
    {
        "overdue_list.title": {"zh_CN": "逾期未访名单", "en": "Overdue residents"},
        "overdue_list.scope_all": {"zh_CN": "全部签约机构", "en": "all institutions"},
        "overdue_list.subtitle": {
            "zh_CN": "{center}　{scope}　截至 {date}，共 {count} 人",
            "en": "{center} — {scope} — as of {date}, {count} residents",
        },
        "overdue_list.none": {"zh_CN": "没有逾期未访的居民。", "en": "Nobody is overdue."},
        "overdue_list.col.number": {"zh_CN": "序号", "en": "No."},
        "overdue_list.col.name": {"zh_CN": "姓名", "en": "Name"},
        "overdue_list.col.bed": {"zh_CN": "床位", "en": "Bed"},
        "overdue_list.col.institution": {"zh_CN": "机构", "en": "Institution"},
        "overdue_list.col.colour": {"zh_CN": "分类", "en": "Colour"},
        "overdue_list.col.days": {"zh_CN": "逾期\n天数", "en": "Days\noverdue"},
        "overdue_list.col.last_visit": {"zh_CN": "上次巡诊", "en": "Last visit"},
        "overdue_list.col.why": {"zh_CN": "逾期项目", "en": "Outstanding"},
        "overdue_list.col.phone": {"zh_CN": "联系电话", "en": "Contact phone"},
        "overdue_list.never": {"zh_CN": "从未", "en": "never"},
        "overdue_list.footer": {
            "zh_CN": "逾期天数从应访而未访的那次巡诊算起。分类：{legend}",
            "en": "Days overdue count from the round at which the visit was due. Colours: {legend}",
        },
        "overdue_list.printed": {"zh_CN": "打印：{moment}", "en": "Printed {moment}"},
    }
)

MARGIN = 12 * mm
CELL_SIZE = 8.0
COLUMNS_MM = (9, 17, 17, 30, 15, 12, 19, 41, 26)
KEYS = ("number", "name", "bed", "institution", "colour", "days", "last_visit", "why", "phone")


@dataclass(frozen=True)
class OverdueEntry:
    """One overdue resident, as printed."""

    name: str
    bed: str
    institution: str
    colour: TriageColour
    days: int
    last_visit: date | None
    why: str
    phone: str


@dataclass(frozen=True)
class OverdueList:
    center: str
    scope: str  # the institution, or "" for all
    as_of: date
    printed_at: datetime
    entries: Sequence[OverdueEntry]


def build_overdue_list(document: OverdueList, out: str | Path | IO[bytes]) -> int:
    """Write the overdue list as a PDF to ``out``; return the number of pages."""
    font = font_name()
    widths = [width * mm for width in COLUMNS_MM]
    fit = dict(zip(KEYS, widths, strict=True))

    def cell(key: str, text: str, lines: int = 2) -> str:
        return wrap(text, fit[key] - 4, size=CELL_SIZE, max_lines=lines, font=font)

    rows: list[list[Any]] = [[t(f"overdue_list.col.{key}") for key in KEYS]]
    for number, entry in enumerate(document.entries, start=1):
        rows.append(
            [
                str(number),
                cell("name", entry.name),
                cell("bed", entry.bed),
                cell("institution", entry.institution),
                ColourBadge(entry.colour, CELL_SIZE + 0.5),
                str(entry.days),
                entry.last_visit.isoformat() if entry.last_visit else t("overdue_list.never"),
                cell("why", entry.why, 3),
                cell("phone", entry.phone),
            ]
        )
    if len(rows) == 1:
        rows.append([t("overdue_list.none")] + [""] * (len(KEYS) - 1))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, CELL_SIZE, CELL_SIZE * 1.25),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("BACKGROUND", (0, 0), (-1, 0), GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("ALIGN", (5, 1), (5, -1), "RIGHT"),
                ("FONT", (5, 1), (5, -1), font, CELL_SIZE + 2, CELL_SIZE * 1.5),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), (None, LIGHT_GREY)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    width, height = A4
    scope = document.scope or t("overdue_list.scope_all")
    doc = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=26 * mm,
        bottomMargin=16 * mm,
        title=f"{t('overdue_list.title')} {scope}",
        author=document.center,
        creator="CareRounds",
    )
    subtitle = t(
        "overdue_list.subtitle",
        center=document.center,
        scope=scope,
        date=document.as_of.isoformat(),
        count=len(document.entries),
    )
    legend = "　".join(f"{badge(colour)} {colour.group}" for colour in TriageColour)
    pages = 0

    def draw(canvas: Canvas, page: int, total: int) -> None:
        nonlocal pages
        pages = total
        canvas.setFillColor("black")
        canvas.setFont(font, 16)
        canvas.drawCentredString(width / 2, height - 13 * mm, t("overdue_list.title"))
        canvas.setFont(font, 9)
        canvas.drawString(MARGIN, height - 20 * mm, subtitle)
        canvas.drawRightString(width - MARGIN, height - 13 * mm, page_label(page, total))
        canvas.setFont(font, 7.5)
        canvas.drawString(MARGIN, 9 * mm, t("overdue_list.footer", legend=legend))
        canvas.drawRightString(
            width - MARGIN, 9 * mm, t("overdue_list.printed", moment=document.printed_at.strftime("%Y-%m-%d %H:%M"))
        )

    doc.build([table], canvasmaker=numbered_canvas(draw))
    return pages
