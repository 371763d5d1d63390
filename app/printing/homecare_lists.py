"""Two A4 lists for the homes' services (DOMAIN §8): the refill list — 代配药清单 — and the family beds list.

- The refill list, portrait, for the center's pharmacy and the home's staff: per resident, each long-term
  medication that runs out on or before the next round, when, and how much to dispense; a column to tick
  what was handed over, and signature lines (pharmacy, the home's collector, date).
- The family beds list, landscape: open beds with the indication, doctor, days open, the last check, checks
  missed and the orders, for the team's weekly review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.domain.i18n import register, t
from app.printing.layout import LIGHT_GREY, font_name, numbered_canvas, page_label, styles

register(
    {
        "refill_list.title": {"zh_CN": "代配药清单", "en": "Proxy refill list"},
        "refill_list.scope": {
            "zh_CN": "{center}　{institution}　巡诊日 {round}　下次巡诊 {next}　共 {count} 项",
            "en": "{center} — {institution} — round {round}, next round {next} — {count} items",
        },
        "refill_list.col.bed": {"zh_CN": "床位", "en": "Bed"},
        "refill_list.col.name": {"zh_CN": "姓名", "en": "Name"},
        "refill_list.col.medication": {"zh_CN": "药品", "en": "Medication"},
        "refill_list.col.usage": {"zh_CN": "用法用量", "en": "Dose"},
        "refill_list.col.runs_out": {"zh_CN": "用完日期", "en": "Runs out"},
        "refill_list.col.quantity": {"zh_CN": "配药数量", "en": "To dispense"},
        "refill_list.col.given": {"zh_CN": "已发", "en": "Given"},
        "refill_list.never": {"zh_CN": "无发药记录", "en": "never dispensed"},
        "refill_list.ran_out": {"zh_CN": "{day}（已断药）", "en": "{day} (ran out)"},
        "refill_list.empty": {
            "zh_CN": "下次巡诊前没有需要代配的药品。",
            "en": "No medication runs out before the next round.",
        },
        "refill_list.sign": {
            "zh_CN": "药房发药人：__________　　机构代领人：__________　　日期：__________",
            "en": "Pharmacy: __________    Collected for the home by: __________    Date: __________",
        },
        "refill_list.note": {
            "zh_CN": "配药数量按每日用量计 {days} 天；请核对处方后发药。",
            "en": "Quantities cover {days} days at the daily quantity; check the prescription before dispensing.",
        },
        "beds_list.title": {"zh_CN": "家庭病床一览", "en": "Family beds"},
        "beds_list.scope": {
            "zh_CN": "{center}　{institution}　截至 {date}　在床 {count} 张",
            "en": "{center} — {institution} — as of {date}, {count} open beds",
        },
        "beds_list.scope_all": {
            "zh_CN": "{center}　{institution}　截至 {date}　在床 {open} 张，已撤床 {closed} 张",
            "en": "{center} — {institution} — as of {date}, {open} open beds, {closed} closed",
        },
        "beds_list.title_all": {"zh_CN": "家庭病床一览（含已撤床）", "en": "Family beds, closed ones included"},
        "beds_list.closed": {"zh_CN": "{day} 撤床\n{reason}", "en": "closed {day}\n{reason}"},
        "beds_list.all": {"zh_CN": "全部机构", "en": "all institutions"},
        "beds_list.col.home": {"zh_CN": "机构", "en": "Home"},
        "beds_list.col.bed": {"zh_CN": "床位", "en": "Bed"},
        "beds_list.col.name": {"zh_CN": "姓名", "en": "Name"},
        "beds_list.col.indication": {"zh_CN": "建床指征", "en": "Indication"},
        "beds_list.col.doctor": {"zh_CN": "责任医生", "en": "Doctor"},
        "beds_list.col.opened": {"zh_CN": "建床日期", "en": "Opened"},
        "beds_list.col.days": {"zh_CN": "家床日", "en": "Bed-days"},
        "beds_list.col.last_check": {"zh_CN": "末次查床", "en": "Last check"},
        "beds_list.col.missed": {"zh_CN": "漏查周数", "en": "Weeks missed"},
        "beds_list.col.orders": {"zh_CN": "医嘱", "en": "Orders"},
        "beds_list.none": {"zh_CN": "—", "en": "—"},
        "beds_list.empty": {"zh_CN": "目前没有在床的家庭病床。", "en": "No family bed is open."},
        "homecare.printed": {"zh_CN": "打印：{moment}", "en": "Printed {moment}"},
    }
)

MARGIN = 14 * mm


@dataclass(frozen=True)
class RefillEntry:
    bed: str
    name: str
    medication: str
    usage: str
    runs_out: date | None
    ran_out: bool
    quantity: str


@dataclass(frozen=True)
class RefillDocument:
    center: str
    institution: str
    round_date: date
    next_round: date
    refill_days: int
    printed_at: datetime
    entries: Sequence[RefillEntry]


@dataclass(frozen=True)
class BedEntry:
    home: str
    bed: str
    name: str
    indication: str
    doctor: str
    opened_on: date
    bed_days: int
    last_check: date | None
    missed: int
    orders: str
    closed_on: date | None = None
    close_reason: str = ""


@dataclass(frozen=True)
class BedsDocument:
    center: str
    institution: str
    as_of: date
    printed_at: datetime
    entries: Sequence[BedEntry]
    closed_too: bool = False
    """The list has the closed beds too (``bed list --all``): the title and count say so."""


def _table(rows: list[list[Any]], widths: Sequence[float], font: str) -> Table:
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT_GREY),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _build(
    out: str | Path | IO[bytes],
    story: list[Any],
    *,
    pagesize: tuple[float, float],
    title: str,
    running: str,
    printed: datetime,
    author: str,
) -> int:
    font = font_name()
    width, height = pagesize
    doc = SimpleDocTemplate(
        out if not isinstance(out, Path) else str(out),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=author,
        creator="CareRounds",
    )
    pages = 0

    def draw(canvas: Canvas, page: int, total: int) -> None:
        nonlocal pages
        pages = total
        canvas.setFillColor("black")
        canvas.setFont(font, 8.5)
        canvas.drawString(MARGIN, height - 9 * mm, running)
        canvas.drawRightString(width - MARGIN, height - 9 * mm, page_label(page, total))
        canvas.setFont(font, 7.5)
        canvas.drawRightString(width - MARGIN, 9 * mm, t("homecare.printed", moment=printed.strftime("%Y-%m-%d %H:%M")))

    doc.build(story, canvasmaker=numbered_canvas(draw))
    return pages


def build_refill_list(document: RefillDocument, out: str | Path | IO[bytes]) -> int:
    """Write the refill list as a PDF to ``out``; return the number of pages."""
    font = font_name()
    style = styles(cell_size=9)
    scope = t(
        "refill_list.scope",
        center=document.center,
        institution=document.institution,
        round=document.round_date.isoformat(),
        next=document.next_round.isoformat(),
        count=len(document.entries),
    )
    story: list[Any] = [
        Paragraph(f"{t('refill_list.title')} — {escape(document.institution)}", style.title),
        Paragraph(escape(scope), style.body),
        Spacer(1, 3 * mm),
    ]
    if document.entries:
        keys = ("bed", "name", "medication", "usage", "runs_out", "quantity", "given")
        rows: list[list[Any]] = [[t(f"refill_list.col.{key}") for key in keys]]
        for entry in document.entries:
            if entry.runs_out is None:
                runs_out = t("refill_list.never")
            elif entry.ran_out:
                runs_out = t("refill_list.ran_out", day=entry.runs_out.isoformat())
            else:
                runs_out = entry.runs_out.isoformat()
            rows.append(
                [
                    Paragraph(escape(entry.bed), style.cell),
                    Paragraph(escape(entry.name), style.cell),
                    Paragraph(escape(entry.medication), style.cell),
                    Paragraph(escape(entry.usage), style.cell),
                    Paragraph(escape(runs_out), style.cell),
                    Paragraph(escape(entry.quantity), style.cell),
                    "□",
                ]
            )
        story.append(_table(rows, (20, 20, 44, 34, 28, 22, 12), font))
    else:
        story.append(Paragraph(escape(t("refill_list.empty")), style.body))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(escape(t("refill_list.note", days=document.refill_days)), style.body),
        Spacer(1, 10 * mm),
        Paragraph(escape(t("refill_list.sign")), style.body),
    ]
    return _build(
        out,
        story,
        pagesize=A4,
        title=f"{t('refill_list.title')} {document.institution} {document.round_date.isoformat()}",
        running=f"{t('refill_list.title')} · {document.institution} · {document.round_date.isoformat()}",
        printed=document.printed_at,
        author=document.center,
    )


def build_beds_list(document: BedsDocument, out: str | Path | IO[bytes]) -> int:
    """Write the family beds list as a PDF to ``out`` (A4 landscape); return the number of pages."""
    font = font_name()
    style = styles(cell_size=8.5)
    institution = document.institution or t("beds_list.all")
    closed = sum(entry.closed_on is not None for entry in document.entries)
    scope = t(
        "beds_list.scope_all" if document.closed_too else "beds_list.scope",
        center=document.center,
        institution=institution,
        date=document.as_of.isoformat(),
        count=len(document.entries),
        open=len(document.entries) - closed,
        closed=closed,
    )
    title = t("beds_list.title_all" if document.closed_too else "beds_list.title")
    story: list[Any] = [
        Paragraph(f"{title} — {escape(institution)}", style.title),
        Paragraph(escape(scope), style.body),
        Spacer(1, 3 * mm),
    ]
    if document.entries:
        keys = ("home", "bed", "name", "indication", "doctor", "opened", "days", "last_check", "missed", "orders")
        rows: list[list[Any]] = [[t(f"beds_list.col.{key}") for key in keys]]
        for entry in document.entries:
            last = entry.last_check.isoformat() if entry.last_check else t("beds_list.none")
            if entry.closed_on is not None:  # the closing day and reason under the last check
                last += "\n" + t("beds_list.closed", day=entry.closed_on.isoformat(), reason=entry.close_reason)
            cells = [
                entry.home,
                entry.bed,
                entry.name,
                entry.indication,
                entry.doctor,
                entry.opened_on.isoformat(),
                str(entry.bed_days),
                last,
                str(entry.missed),
                entry.orders,
            ]
            rows.append([Paragraph(escape(cell).replace("\n", "<br/>"), style.cell) for cell in cells])
        story.append(_table(rows, (30, 18, 18, 40, 18, 22, 14, 22, 16, 71), font))
    else:
        story.append(Paragraph(escape(t("beds_list.empty")), style.body))
    return _build(
        out,
        story,
        pagesize=landscape(A4),
        title=f"{title} {institution}",
        running=f"{title} · {institution}",
        printed=document.printed_at,
        author=document.center,
    )
