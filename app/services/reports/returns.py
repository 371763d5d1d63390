"""The monitoring return — 监测报表: the figures as an Excel workbook or a PDF, and a district's merge of returns.

A return has one sheet per table of its layout (:class:`app.domain.report_layout.ReturnLayout`): a row per
institution and the center total, with the center and the period in the title. A hidden sheet keeps what
``report merge`` needs: the format, the center, the period, the layout's indicator keys and every count the
rates are made of. :func:`merge_returns` adds the counts of centers' returns of the same period and layout
(a district needs no database of its own), recomputes the rates from the sums, and writes a district return
with a row per center.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.errors import DomainError
from app.domain.i18n import register, t
from app.domain.report_indicators import BY_KEY, INSTITUTION_KEYS, RESIDENT_KEYS
from app.domain.report_layout import ReturnLayout, layout_from
from app.domain.report_periods import parse_period, period_title
from app.domain.reports import TOTAL, Figures, rate
from app.printing.tables_pdf import build_tables_pdf
from app.printing.workbook import SheetTable, read_metadata, write_workbook
from app.services.output_files import OutputKind, atomic_output, check_output
from app.services.reports.figures import Report

FORMAT = "carerounds-return/1"
COUNT_KEYS = (*RESIDENT_KEYS, *INSTITUTION_KEYS)

register(
    {
        "return.title": {"zh_CN": "{center}　{table}", "en": "{center} — {table}"},
        "return.subtitle": {
            "zh_CN": "统计期：{period}（{start} 至 {end}）　制表日期：{today}",
            "en": "Period: {period} ({start} to {end}) — made on {today}",
        },
        "return.institution": {"zh_CN": "机构", "en": "Institution"},
        "return.center_total": {"zh_CN": "中心合计", "en": "Center total"},
        "return.district_total": {"zh_CN": "全区合计", "en": "District total"},
        "return.center": {"zh_CN": "社区卫生服务中心", "en": "Health center"},
        "return.note": {
            "zh_CN": "比率 = 分子 / 分母，合计行按合计数重新计算；指标定义见 docs/reports.md。",
            "en": "Rates = numerator / denominator; total rows are recomputed from the totals. "
            "Definitions: docs/reports.md.",
        },
        "return.running": {"zh_CN": "{center}　监测报表　{period}", "en": "{center} — monitoring return — {period}"},
        "return.district": {"zh_CN": "{count} 个中心汇总", "en": "{count} centers"},
        "return.not_xlsx_or_pdf": {
            "zh_CN": "应是 .xlsx 或 .pdf 文件",
            "en": "must be an .xlsx or a .pdf file",
        },
        "merge.out_is_input": {
            "zh_CN": "输出文件 {path} 是要汇总的报表之一，不能覆盖：请给汇总结果另起一个文件名",
            "en": "the output file {path} is one of the returns to add up and is not written over: name another file",
        },
        "merge.none": {"zh_CN": "请给出至少一个报表文件", "en": "give at least one return file"},
        "merge.not_return": {
            "zh_CN": "{path} 不是本软件导出的监测报表（.xlsx）",
            "en": "{path} is not a monitoring return written by this app (.xlsx)",
        },
        "merge.period": {
            "zh_CN": "{path} 的统计期是 {found}，与 {first} 的 {wanted} 不同",
            "en": "{path} is for {found}, {first} for {wanted}: the periods differ",
        },
        "merge.layout": {
            "zh_CN": "{path} 的指标栏目与 {first} 不同，不能相加",
            "en": "{path} has other indicators than {first}; they cannot be added up",
        },
        "merge.twice": {
            "zh_CN": "{center} 出现了两次：{first} 和 {path}",
            "en": "{center} appears twice: {first} and {path}",
        },
    }
)


class MergeRefused(DomainError):
    """The returns cannot be added up (the message names the file and why); exit code 2."""


@dataclass(frozen=True)
class Unit:
    """A row of a return: an institution of a center, or a center of a district, with its counts."""

    name: str
    counts: Mapping[str, int]


def _cell(key: str, counts: Mapping[str, int]) -> int | float | None:
    indicator = BY_KEY[key]
    if indicator.is_rate:
        value = rate(counts.get(indicator.numerator, 0), counts.get(indicator.denominator, 0))
        return None if value is None else value / 100.0
    return int(counts.get(key, 0))


def return_tables(
    layout: ReturnLayout,
    *,
    center: str,
    period_label: str,
    period_text: str,
    today: str,
    units: Sequence[Unit],
    total: Unit,
    unit_title: str,
) -> list[SheetTable]:
    """The sheets of a return: per table of ``layout``, a row per unit and the total."""
    tables = []
    subtitle = t(
        "return.subtitle",
        period=period_label,
        start=period_text.split("|")[0],
        end=period_text.split("|")[1],
        today=today,
    )
    for table in layout.tables:
        keys = [column.key for column in table.columns]
        rows = [[unit.name, *(_cell(key, unit.counts) for key in keys)] for unit in (*units, total)]
        tables.append(
            SheetTable(
                name=table.title(),
                title=t("return.title", center=center, table=table.title()),
                subtitle=subtitle,
                headers=[unit_title, *(column.title() for column in table.columns)],
                rows=rows,
                formats=["text", *("percent" if BY_KEY[key].is_rate else "int" for key in keys)],
                total_rows=1,
                notes=(t("return.note"),),
                groups=[("", 1), *table.group_titles()] if table.groups else (),
            )
        )
    return tables


def _metadata(
    kind: str, center: str, period_label: str, layout: ReturnLayout, units: Sequence[Unit], total: Unit
) -> dict[str, str]:
    return {
        "format": FORMAT,
        "kind": kind,
        "center": center,
        "period": period_label,
        "layout": json.dumps(_layout_json(layout), ensure_ascii=False),
        "total": json.dumps({key: int(total.counts.get(key, 0)) for key in COUNT_KEYS}),
        "units": json.dumps(
            [[unit.name, {key: int(unit.counts.get(key, 0)) for key in COUNT_KEYS}] for unit in units],
            ensure_ascii=False,
        ),
    }


def _layout_json(layout: ReturnLayout) -> dict[str, Any]:
    return {
        "tables": [
            {
                "key": table.key,
                "title": dict(table.titles),
                "columns": [{"key": c.key, "title": dict(c.titles)} if c.titles else c.key for c in table.columns],
                "groups": [{"title": dict(titles), "columns": span} for titles, span in table.groups],
            }
            for table in layout.tables
        ]
    }


@dataclass(frozen=True)
class Written:
    path: Path
    tables: int
    pages: int  # a PDF's pages; 0 for a workbook


def _units(figures: Figures) -> tuple[list[Unit], Unit]:
    units = [Unit(name, figures.counts[institution_id]) for institution_id, name in figures.institutions]
    return units, Unit(t("return.center_total"), figures.counts[TOTAL])


def write_return(
    report: Report,
    out: Path,
    *,
    database: Path | None,
    force: bool = False,
    force_hint: bool = False,
    printed_at: datetime | None = None,
) -> Written:
    """Write the return of ``report`` to ``out`` (.xlsx or .pdf), atomically, 0600.

    ``out`` is checked first: never the database, any SQLite file, or an existing file of another kind
    (unless ``force``).

    Raises:
        ValidationError: ``out`` is neither .xlsx nor .pdf.
        OutputRefused: ``out`` may not be written over.
    """
    from app.domain.errors import ValidationError

    suffix = Path(out).suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise ValidationError("out", out, "return.not_xlsx_or_pdf")
    kind = OutputKind.XLSX if suffix == ".xlsx" else OutputKind.PDF
    out = check_output(Path(out), kind=kind, database=database, force=force, force_hint=force_hint)
    period = report.period
    units, total = _units(report.figures)
    tables = return_tables(
        report.layout,
        center=report.center,
        period_label=period_title(period, report.today),
        period_text=f"{period.start.isoformat()}|{period.end.isoformat()}",
        today=report.today.isoformat(),
        units=units,
        total=total,
        unit_title=t("return.institution"),
    )
    moment = printed_at or datetime.now()
    with atomic_output(out) as (handle, _):
        if kind is OutputKind.XLSX:
            metadata = _metadata("center", report.center, period.label, report.layout, units, total)
            write_workbook(handle, tables, metadata=metadata, title=tables[0].title, author=report.center)
            pages = 0
        else:
            running = t("return.running", center=report.center, period=period_title(period, report.today))
            pages = build_tables_pdf(tables, handle, title=running, running=running, printed_at=moment)
    return Written(out, len(tables), pages)


@dataclass(frozen=True)
class Merged:
    path: Path
    period: str
    centers: list[str]
    total: dict[str, int]


def merge_returns(
    paths: Sequence[Path], out: Path, *, force: bool = False, force_hint: bool = False, today: str = ""
) -> Merged:
    """Add up centers' returns into a district return at ``out`` (.xlsx).

    Raises:
        MergeRefused: a file is not a return, or is for another period or layout, or a center appears twice.
        OutputRefused: ``out`` may not be written over.
        OSError: a file cannot be read.
    """
    from app.domain.errors import ValidationError

    if not paths:
        raise MergeRefused("merge.none")
    if Path(out).suffix.lower() != ".xlsx":
        raise ValidationError("out", out, "return.not_xlsx_or_pdf")
    for path in paths:  # never write the district's return over one of the centers' (even with --force)
        if Path(out).exists() and Path(path).exists() and os.path.samefile(out, path):
            raise MergeRefused("merge.out_is_input", path=path)
    out = check_output(Path(out), kind=OutputKind.XLSX, database=None, force=force, force_hint=force_hint)
    first: tuple[Path, str, str] | None = None
    seen: dict[str, Path] = {}
    units: list[Unit] = []
    layout: ReturnLayout | None = None
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(2, "No such file", str(path))
        meta = read_metadata(path)
        if meta is None or meta.get("format") != FORMAT:
            raise MergeRefused("merge.not_return", path=path)
        try:
            this_layout = layout_from(json.loads(meta["layout"]))
            counts = {key: int(value) for key, value in json.loads(meta["total"]).items()}
            parse_period(meta["period"])
        except (KeyError, ValueError, DomainError) as error:
            raise MergeRefused("merge.not_return", path=path) from error
        period, center = meta["period"], meta.get("center", "")
        if first is None:
            first, layout = (path, period, json.dumps(this_layout.keys)), this_layout
        else:
            if period != first[1]:
                raise MergeRefused("merge.period", path=path, found=period, first=first[0], wanted=first[1])
            if json.dumps(this_layout.keys) != first[2]:
                raise MergeRefused("merge.layout", path=path, first=first[0])
        if center in seen:
            raise MergeRefused("merge.twice", center=center, first=seen[center], path=path)
        seen[center] = path
        units.append(Unit(center, counts))
    assert first is not None and layout is not None
    units.sort(key=lambda unit: unit.name)
    total_counts = {key: sum(int(unit.counts.get(key, 0)) for unit in units) for key in COUNT_KEYS}
    total = Unit(t("return.district_total"), total_counts)
    merged_period = parse_period(first[1])
    district = t("return.district", count=len(units))
    tables = return_tables(
        layout,
        center=district,
        period_label=merged_period.label,
        period_text=f"{merged_period.start.isoformat()}|{merged_period.end.isoformat()}",
        today=today or datetime.now().date().isoformat(),
        units=units,
        total=total,
        unit_title=t("return.center"),
    )
    with atomic_output(out) as (handle, _):
        write_workbook(
            handle,
            tables,
            metadata=_metadata("district", district, merged_period.label, layout, units, total),
            title=tables[0].title,
        )
    return Merged(out, merged_period.label, [unit.name for unit in units], total_counts)
