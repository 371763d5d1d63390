"""The triage list — 分类名单: A4 portrait, per institution, for the home's staff (nursing-station wall).

Residents grouped red, yellow, green, each with bed, name, age, colour and what staff should watch for;
on top, whom to call: the family-doctor team's phone numbers and the green-channel hospital.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.colours import TriageColour
from app.domain.i18n import register, t
from app.printing.layout import (
    COLOUR_INK,
    GREY,
    LIGHT_GREY,
    ColourBadge,
    badge,
    font_name,
    numbered_canvas,
    page_label,
    styles,
)

register(
    {
        "triage_list.title": {"zh_CN": "分类名单", "en": "Triage list"},
        "triage_list.running": {"zh_CN": "分类名单 · {institution}", "en": "Triage list · {institution}"},
        "triage_list.as_of": {
            "zh_CN": "{center}　截至 {date}，共 {count} 人",
            "en": "{center} — as of {date}, {count} residents",
        },
        "triage_list.team": {"zh_CN": "家庭医生团队", "en": "Family-doctor team"},
        "triage_list.green_channel": {"zh_CN": "绿色通道医院", "en": "Green-channel hospital"},
        "triage_list.emergency": {"zh_CN": "紧急情况", "en": "Emergency"},
        "triage_list.emergency_text": {
            "zh_CN": "先拨打 120，再通知家庭医生团队",
            "en": "call 120 first, then tell the family-doctor team",
        },
        "triage_list.group": {"zh_CN": "{badge} {group}（{count} 人）", "en": "{badge} {group} ({count})"},
        "triage_list.group_empty": {"zh_CN": "无", "en": "none"},
        "triage_list.col.bed": {"zh_CN": "床位", "en": "Bed"},
        "triage_list.col.name": {"zh_CN": "姓名", "en": "Name"},
        "triage_list.col.age": {"zh_CN": "年龄", "en": "Age"},
        "triage_list.col.colour": {"zh_CN": "分类", "en": "Colour"},
        "triage_list.col.watch": {"zh_CN": "请注意观察", "en": "What to watch for"},
        "triage_list.footer": {
            "zh_CN": "分类由家庭医生确认，如有变化以团队通知为准。{legend}",
            "en": "Colours are confirmed by the family doctor; the team tells you of changes. {legend}",
        },
        "triage_list.legend": {
            "zh_CN": "{red} 重点　{yellow} 次重点　{green} 一般",
            "en": "{red} key  {yellow} secondary  {green} general",
        },
        "triage_list.printed": {"zh_CN": "打印：{moment}", "en": "Printed {moment}"},
    }
)

MARGIN = 14 * mm
COLUMNS_MM = (20, 22, 12, 18, 110)


@dataclass(frozen=True)
class TriageEntry:
    """One resident on the list, as printed."""

    bed: str
    name: str
    age: int
    colour: TriageColour
    watch: str


@dataclass(frozen=True)
class TriageList:
    """Everything a triage list shows."""

    center: str
    institution: str
    as_of: date
    printed_at: datetime
    team: str
    team_phones: str
    green_channel: str
    green_channel_phone: str
    entries: Sequence[TriageEntry]


def build_triage_list(document: TriageList, out: str | Path | IO[bytes]) -> int:
    """Write the triage list as a PDF to ``out``; return the number of pages."""
    font = font_name()
    style = styles(cell_size=9)
    width, height = A4
    story: list[Any] = [
        Paragraph(f"{t('triage_list.title')} — {_escape(document.institution)}", style.title),
        Paragraph(
            _escape(
                t(
                    "triage_list.as_of",
                    center=document.center,
                    date=document.as_of.isoformat(),
                    count=len(document.entries),
                )
            ),
            style.body,
        ),
        Spacer(1, 3 * mm),
        _contacts(document, style.body, font),
        Spacer(1, 2 * mm),
    ]
    for colour in (TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN):
        entries = [entry for entry in document.entries if entry.colour is colour]
        heading = Paragraph(
            f'<font color="#{COLOUR_INK[colour].hexval()[2:]}">'
            + _escape(t("triage_list.group", badge=badge(colour), group=colour.group, count=len(entries)))
            + "</font>",
            style.heading,
        )
        if not entries:
            story.append(KeepTogether([heading, Paragraph(t("triage_list.group_empty"), style.body)]))
            continue
        story.append(heading)
        story.append(_group_table(entries, style.cell, font))
    doc = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{t('triage_list.title')} {document.institution}",
        author=document.center,
        creator="CareRounds",
    )
    pages = 0

    def draw(canvas: Canvas, page: int, total: int) -> None:
        nonlocal pages
        pages = total
        canvas.setFillColor("black")
        canvas.setFont(font, 8.5)
        canvas.drawString(MARGIN, height - 9 * mm, t("triage_list.running", institution=document.institution))
        canvas.drawRightString(width - MARGIN, height - 9 * mm, page_label(page, total))
        legend = t(
            "triage_list.legend",
            red=badge(TriageColour.RED),
            yellow=badge(TriageColour.YELLOW),
            green=badge(TriageColour.GREEN),
        )
        canvas.setFont(font, 7.5)
        canvas.drawString(MARGIN, 9 * mm, t("triage_list.footer", legend=legend))
        canvas.drawRightString(
            width - MARGIN, 9 * mm, t("triage_list.printed", moment=document.printed_at.strftime("%Y-%m-%d %H:%M"))
        )

    doc.build(story, canvasmaker=numbered_canvas(draw))
    return pages


def _contacts(document: TriageList, body: Any, font: str) -> Table:
    rows = [
        [t("triage_list.team"), Paragraph(_escape(f"{document.team}　{document.team_phones}"), body)],
        [
            t("triage_list.green_channel"),
            Paragraph(_escape(f"{document.green_channel}　{document.green_channel_phone}"), body),
        ],
        [t("triage_list.emergency"), Paragraph(_escape(t("triage_list.emergency_text")), body)],
    ]
    table = Table(rows, colWidths=[32 * mm, (210 - 28 - 32) * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9.5),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), LIGHT_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _group_table(entries: Sequence[TriageEntry], cell: Any, font: str) -> Table:
    header = [t(f"triage_list.col.{key}") for key in ("bed", "name", "age", "colour", "watch")]
    rows: list[list[Any]] = [header]
    for entry in entries:
        rows.append(
            [
                entry.bed,
                Paragraph(_escape(entry.name), cell),
                str(entry.age),
                ColourBadge(entry.colour, 9),
                Paragraph(_escape(entry.watch).replace("\n", "<br/>"), cell),
            ]
        )
    table = Table(rows, colWidths=[width * mm for width in COLUMNS_MM], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9, 11.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (2, -1), "CENTER"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), (None, LIGHT_GREY)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
