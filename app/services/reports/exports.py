"""Every list out to Excel — 导出 Excel: residents, overdue, triage list, week plan, open referrals, audit entries,
the refill list of a round (代配药清单).

One exporter for all of them: :func:`list_tables` turns a list (read through the service that shows it on its
page, with the same filters) into :class:`~app.printing.workbook.SheetTable` rows, and :func:`export_list`
writes them with the shared workbook writer, atomically, 0600, an existing file replaced only when it is an
Excel workbook (or with ``force``). The page's "导出 Excel" action and ``export LIST`` call the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.domain.colours import TriageColour
from app.domain.i18n import register, t
from app.domain.residents import ResidentStatus
from app.printing.workbook import SheetTable, write_workbook
from app.services.output_files import OutputKind, atomic_output, check_output
from app.services.reports.figures import permit_figures
from app.store.queries import reports as queries
from app.store.uow import UnitOfWork

register(
    {
        "export.residents": {"zh_CN": "居民名单", "en": "Residents"},
        "export.overdue": {"zh_CN": "逾期未访名单", "en": "Overdue residents"},
        "export.triage": {"zh_CN": "分类名单", "en": "Triage list"},
        "export.plan": {"zh_CN": "周巡诊计划", "en": "Week plan"},
        "export.plan_due": {"zh_CN": "应访居民", "en": "Residents due"},
        "export.referrals": {"zh_CN": "未结转诊", "en": "Open referrals"},
        "export.audit": {"zh_CN": "操作记录", "en": "Audit entries"},
        "export.refills": {"zh_CN": "代配药清单", "en": "Proxy refill list"},
        "export.subtitle": {
            "zh_CN": "{center}　导出：{moment}　共 {count} 条",
            "en": "{center} — {moment} — {count} rows",
        },
        "export.col.name": {"zh_CN": "姓名", "en": "Name"},
        "export.col.sex": {"zh_CN": "性别", "en": "Sex"},
        "export.col.born": {"zh_CN": "出生日期", "en": "Born"},
        "export.col.age": {"zh_CN": "年龄", "en": "Age"},
        "export.col.institution": {"zh_CN": "机构", "en": "Institution"},
        "export.col.bed": {"zh_CN": "床位", "en": "Bed"},
        "export.col.colour": {"zh_CN": "分类", "en": "Colour"},
        "export.col.status": {"zh_CN": "居住状态", "en": "Status"},
        "export.col.id_number": {"zh_CN": "身份证号", "en": "ID number"},
        "export.col.days": {"zh_CN": "逾期天数", "en": "Days overdue"},
        "export.col.last_visit": {"zh_CN": "上次巡诊", "en": "Last visit"},
        "export.col.outstanding": {"zh_CN": "待办", "en": "Outstanding"},
        "export.col.phone": {"zh_CN": "联系电话", "en": "Phone"},
        "export.col.watch": {"zh_CN": "请注意观察", "en": "What to watch for"},
        "export.col.date": {"zh_CN": "日期", "en": "Date"},
        "export.col.team": {"zh_CN": "团队", "en": "Team"},
        "export.col.round_status": {"zh_CN": "巡诊状态", "en": "Round status"},
        "export.col.due": {"zh_CN": "应访人数", "en": "Due"},
        "export.col.seen": {"zh_CN": "已访人数", "en": "Seen"},
        "export.col.reasons": {"zh_CN": "原因", "en": "Why due"},
        "export.col.destination": {"zh_CN": "转诊去向", "en": "Destination"},
        "export.col.reason": {"zh_CN": "转诊原因", "en": "Reason"},
        "export.col.urgent": {"zh_CN": "紧急", "en": "Urgent"},
        "export.col.opened": {"zh_CN": "转出日期", "en": "Opened"},
        "export.col.days_open": {"zh_CN": "已开天数", "en": "Days open"},
        "export.col.at": {"zh_CN": "时间", "en": "When"},
        "export.col.who": {"zh_CN": "操作人", "en": "Who"},
        "export.col.action": {"zh_CN": "操作", "en": "Action"},
        "export.col.record": {"zh_CN": "记录", "en": "Record"},
        "export.col.resident": {"zh_CN": "居民", "en": "Resident"},
        "export.col.changes": {"zh_CN": "变更内容", "en": "Changes"},
        "export.yes": {"zh_CN": "是", "en": "yes"},
        "export.not_xlsx": {"zh_CN": "应是 .xlsx 文件", "en": "must be an .xlsx file"},
        "export.refills_institution": {
            "zh_CN": "代配药清单按机构导出：请选择机构",
            "en": "the refill list is exported per institution: choose one",
        },
    }
)


class ListKind(StrEnum):
    RESIDENTS = "residents"
    OVERDUE = "overdue"
    TRIAGE = "triage"
    PLAN = "plan"
    REFERRALS = "referrals"
    AUDIT = "audit"
    REFILLS = "refills"


@dataclass(frozen=True)
class ListFilters:
    """The filters of a list, as its page or the command line sets them."""

    institution_id: str | None = None
    colour: TriageColour | None = None
    text: str = ""
    week: date | None = None  # the week plan: any day of the week
    statuses: tuple[ResidentStatus, ...] | None = (ResidentStatus.IN_RESIDENCE, ResidentStatus.HOSPITALIZED)
    audit_from: date | None = None
    audit_to: date | None = None
    audit_staff_id: str | None = None
    audit_limit: int = 5000
    day: date | None = None  # the refill list: the round's day (the reference day when missing)


@dataclass(frozen=True)
class ExportedList:
    path: Path
    rows: int


def _c(key: str) -> str:
    return t(f"export.col.{key}")


def _colour(value: str | TriageColour) -> str:
    try:
        return TriageColour(value).badge
    except ValueError:
        return str(value)


def list_tables(
    uow: UnitOfWork, kind: ListKind, *, today: date, filters: ListFilters = ListFilters()
) -> list[SheetTable]:
    """The sheets of list ``kind`` (the week plan has two: rounds, and residents due)."""
    builder = _BUILDERS[kind]
    return builder(uow, today, filters)


def _residents(uow: UnitOfWork, today: date, filters: ListFilters) -> list[SheetTable]:
    from app.services.records.search import search_residents

    rows = search_residents(
        uow, text=filters.text, institution_id=filters.institution_id, colour=filters.colour, statuses=filters.statuses
    )
    return [
        SheetTable(
            name=t("export.residents"),
            title=t("export.residents"),
            headers=[
                _c(k) for k in ("name", "sex", "born", "age", "institution", "bed", "colour", "status", "id_number")
            ],
            rows=[
                [
                    r.name,
                    _sex(r.sex),
                    date.fromisoformat(r.birth_date),
                    r.age_on(today),
                    r.institution,
                    "-".join(p for p in (r.building, r.room, r.bed) if p),
                    _colour(r.colour),
                    _status(r.status),
                    r.id_number,
                ]
                for r in rows
            ],
            formats=["text", "text", "date", "int", "text", "text", "text", "text", "text"],
        )
    ]


def _sex(value: str) -> str:
    key = f"sex.{value}"
    text = t(key)
    return value if text == key else text


def _status(value: str) -> str:
    key = f"status.{value}"
    text = t(key)
    return value if text == key else text


def _overdue(uow: UnitOfWork, today: date, filters: ListFilters) -> list[SheetTable]:
    from app.services.printing import short_reason
    from app.services.rounds.plan import overdue_residents

    rows = overdue_residents(uow, today=today, institution_id=filters.institution_id)
    return [
        SheetTable(
            name=t("export.overdue"),
            title=t("export.overdue"),
            headers=[
                _c(k) for k in ("days", "name", "institution", "bed", "colour", "last_visit", "outstanding", "phone")
            ],
            rows=[
                [
                    r.days,
                    r.name,
                    r.institution,
                    r.bed_label,
                    r.colour.badge,
                    r.last_seen,
                    "；".join(short_reason(reason) for reason in r.overdue.reasons),
                    r.phone,
                ]
                for r in rows
            ],
            formats=["int", "text", "text", "text", "text", "date", "text", "text"],
        )
    ]


def _triage(uow: UnitOfWork, today: date, filters: ListFilters) -> list[SheetTable]:
    from app.services.institutions import list_institutions
    from app.services.printing import triage_list

    chosen = [c for c in list_institutions(uow) if filters.institution_id in (None, c.id)]
    rows: list[list[Any]] = []
    for choice in chosen:
        document = triage_list(uow, institution_id=choice.id, today=today)
        rows += [[choice.name, e.bed, e.name, e.age, e.colour.badge, e.watch] for e in document.entries]
    return [
        SheetTable(
            name=t("export.triage"),
            title=t("export.triage"),
            headers=[_c(k) for k in ("institution", "bed", "name", "age", "colour", "watch")],
            rows=rows,
            formats=["text", "text", "text", "int", "text", "text"],
        )
    ]


def _plan(uow: UnitOfWork, today: date, filters: ListFilters) -> list[SheetTable]:
    from app.services.printing import short_reason
    from app.services.rounds.plan import plan_week

    plan = plan_week(
        uow, week=filters.week or today, today=today, institution_id=filters.institution_id, generate=False
    )
    rounds = [[r.day, r.institution, r.team, t(f"round.status.{r.status}"), len(r.due), r.seen] for r in plan.rounds]
    due = [
        [r.day, r.institution, d.bed_label, d.name, d.colour.badge, "；".join(short_reason(x) for x in d.reasons)]
        for r in plan.rounds
        for d in r.due
    ]
    title = f"{t('export.plan')} {plan.label}"
    return [
        SheetTable(
            name=t("export.plan"),
            title=title,
            headers=[_c(k) for k in ("date", "institution", "team", "round_status", "due", "seen")],
            rows=rounds,
            formats=["date", "text", "text", "text", "int", "int"],
        ),
        SheetTable(
            name=t("export.plan_due"),
            title=f"{title} — {t('export.plan_due')}",
            headers=[_c(k) for k in ("date", "institution", "bed", "name", "colour", "reasons")],
            rows=due,
            formats=["date", "text", "text", "text", "text", "text"],
        ),
    ]


def _referrals(uow: UnitOfWork, today: date, filters: ListFilters) -> list[SheetTable]:
    with uow.reading() as uow:
        permit_figures(uow)
        found = queries.open_referrals(uow, filters.institution_id)
    rows = [
        [institution, name, bed, destination, reason, t("export.yes") if urgent else "", opened, (today - opened).days]
        for institution, name, bed, destination, reason, urgent, opened in found
    ]
    return [
        SheetTable(
            name=t("export.referrals"),
            title=t("export.referrals"),
            headers=[
                _c(k) for k in ("institution", "name", "bed", "destination", "reason", "urgent", "opened", "days_open")
            ],
            rows=rows,
            formats=["text", "text", "text", "text", "text", "text", "date", "int"],
        )
    ]


def _audit(uow: UnitOfWork, today: date, filters: ListFilters) -> list[SheetTable]:
    from app.services.admin.audit import action_label, describe_changes, entity_label, record_label, search_audit

    found = search_audit(
        uow,
        staff_id=filters.audit_staff_id,
        resident_text=filters.text,
        date_from=filters.audit_from,
        date_to=filters.audit_to,
        limit=filters.audit_limit,
    )
    rows = [
        [
            r.at.astimezone().replace(tzinfo=None) if r.at.tzinfo else r.at,
            r.staff_name,
            action_label(r.action),
            f"{entity_label(r.entity)} {record_label(r)}".strip(),
            r.resident_name,
            describe_changes(r.changes, entity=r.entity),
        ]
        for r in found.rows
    ]
    return [
        SheetTable(
            name=t("export.audit"),
            title=t("export.audit"),
            headers=[_c(k) for k in ("at", "who", "action", "record", "resident", "changes")],
            rows=rows,
            formats=["datetime", "text", "text", "text", "text", "text"],
        )
    ]


def _refills(uow: UnitOfWork, today: date, filters: ListFilters) -> list[SheetTable]:
    from app.services.homecare.refills import refill_sheet

    if filters.institution_id is None:
        from app.domain.errors import ValidationError

        raise ValidationError("institution", "", "export.refills_institution")
    return [refill_sheet(uow, institution_id=filters.institution_id, day=filters.day or today)]


_BUILDERS = {
    ListKind.RESIDENTS: _residents,
    ListKind.OVERDUE: _overdue,
    ListKind.TRIAGE: _triage,
    ListKind.PLAN: _plan,
    ListKind.REFERRALS: _referrals,
    ListKind.AUDIT: _audit,
    ListKind.REFILLS: _refills,
}


def export_list(
    uow: UnitOfWork,
    kind: ListKind,
    out: Path,
    *,
    today: date,
    filters: ListFilters = ListFilters(),
    force: bool = False,
    force_hint: bool = False,
    now: datetime | None = None,
) -> ExportedList:
    """Write list ``kind`` (with ``filters``) to ``out`` as an Excel workbook; return where and how many rows.

    Raises:
        ValidationError: ``out`` is not an .xlsx file.
        OutputRefused: ``out`` may not be written over (the database, any database, another kind of file).
        PermissionDenied: the role may not see the list (the audit trail: administrators).
    """
    from app.domain.errors import ValidationError

    if Path(out).suffix.lower() != ".xlsx":
        raise ValidationError("out", out, "export.not_xlsx")
    out = check_output(Path(out), kind=OutputKind.XLSX, database=uow.database.path, force=force, force_hint=force_hint)
    tables = list_tables(uow, kind, today=today, filters=filters)
    with uow.reading() as reading:
        center = queries.center_name(reading)
    moment = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    tables = [
        SheetTable(
            name=table.name,
            title=f"{center} {table.title}".strip(),
            headers=table.headers,
            rows=table.rows,
            formats=table.formats,
            subtitle=t("export.subtitle", center=center, moment=moment, count=len(table.rows)),
            notes=table.notes,
        )
        for table in tables
    ]
    with atomic_output(out) as (handle, _):
        write_workbook(handle, tables, title=tables[0].title, author=center)
    return ExportedList(out, len(tables[0].rows))
