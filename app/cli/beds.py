"""``bed open|check|close|list`` (家庭病床) and ``refill list|record`` (代配药), DESIGN §7 and DOMAIN §8."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, add_common, add_force, check_out, emit
from app.cli.signin import open_signed_in
from app.cli.triage import parse_day
from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.sickbeds import CloseReason, OrderKind

register(
    {
        "cli.bed.opened": {
            "zh_CN": "已为 {name} 建床（{date}），医嘱 {orders} 条",
            "en": "Family bed opened for {name} on {date} with {orders} orders",
        },
        "cli.bed.checked": {"zh_CN": "已记录 {name} 的查床（{date}）", "en": "Check of {name}'s bed recorded ({date})"},
        "cli.bed.closed": {"zh_CN": "已为 {name} 撤床（{date}）", "en": "{name}'s family bed closed on {date}"},
        "cli.bed.none_open": {"zh_CN": "{name}没有未撤的家庭病床", "en": "{name} has no open family bed"},
        "cli.bed.line": {
            "zh_CN": "{home}  {bed}  {name}  {indication}  建床 {opened}  家床日 {days}  "
            "末次查床 {last}  漏查 {missed} 周",
            "en": "{home}  {bed}  {name}  {indication}  opened {opened}  {days} bed-days  last check {last}  "
            "{missed} weeks missed",
        },
        "cli.bed.count": {"zh_CN": "共 {count} 张家庭病床", "en": "{count} family beds"},
        "cli.bed.order_format": {
            "zh_CN": "应写作 类别:间隔天数[:内容]，如 dressing:2:碘伏换药",
            "en": "write KIND:EVERY_DAYS[:DETAIL], e.g. dressing:2:iodine dressing",
        },
        "field.order": {"zh_CN": "医嘱（--order）", "en": "order (--order)"},
        "field.done": {"zh_CN": "已执行医嘱（--done）", "en": "orders carried out (--done)"},
        "cli.bed.done_unknown": {
            "zh_CN": "这张病床没有“{kind}”类医嘱",
            "en": "this bed has no “{kind}” order",
        },
        "cli.refill.line": {
            "zh_CN": "{bed}  {name}  {medication}  {usage}  用完 {runs_out}  配 {quantity}",
            "en": "{bed}  {name}  {medication}  {usage}  runs out {runs_out}  dispense {quantity}",
        },
        "cli.refill.head": {
            "zh_CN": "{institution} {date} 巡诊代配药清单（下次巡诊 {next}）：{count} 项",
            "en": "Refill list of {institution} for the round of {date} (next round {next}): {count} items",
        },
        "cli.refill.recorded": {
            "zh_CN": "已记录 {name} 的“{medication}”配药 {quantity}，可用至 {runs_out}",
            "en": "{quantity} of “{medication}” recorded for {name}; supply lasts until {runs_out}",
        },
        "cli.refill.never": {"zh_CN": "无发药记录", "en": "never dispensed"},
        "cli.refill.written": {"zh_CN": "已写入 {path}", "en": "Wrote {path}"},
        "cli.refill.out": {"zh_CN": "应是 .pdf 或 .xlsx 文件", "en": "must be a .pdf or an .xlsx file"},
    }
)

DATE = "YYYY-MM-DD"


def add_commands(commands: Any) -> None:
    bed = commands.add_parser("bed", help="family sickbeds (家庭病床): open, check, close, list")
    actions = bed.add_subparsers(dest="action", required=True, metavar="ACTION")

    opening = actions.add_parser("open", help="open a family bed for a resident (doctors)")
    opening.add_argument("--resident", required=True, metavar="ID", help="resident id or ID card number")
    opening.add_argument("--indication", required=True, help="why the bed is opened (建床指征)")
    opening.add_argument("--date", required=True, metavar=DATE, help="the day the bed opens")
    opening.add_argument("--care-plan", default="", help="the care plan (护理计划)")
    kinds = ", ".join(kind.value for kind in OrderKind)
    opening.add_argument(
        "--order", action="append", default=[], metavar="KIND:EVERY[:DETAIL]", help=f"an order; KIND one of {kinds}"
    )
    add_common(opening)
    opening.add_argument("--today", metavar=DATE, help="the day rules are checked against (default: today)")
    opening.set_defaults(handler=_open)

    check = actions.add_parser("check", help="record a check of a resident's open bed (nurses, doctors)")
    check.add_argument("--resident", required=True, metavar="ID", help="resident id or ID card number")
    check.add_argument("--date", required=True, metavar=DATE, help="the day of the check")
    check.add_argument("--findings", required=True, help="what was found (查床所见)")
    check.add_argument("--done", action="append", default=[], metavar="KIND", help="an order kind carried out")
    add_common(check)
    check.add_argument("--today", metavar=DATE, help="the day rules are checked against (default: today)")
    check.set_defaults(handler=_check)

    closing = actions.add_parser("close", help="close a resident's open bed (doctors)")
    closing.add_argument("--resident", required=True, metavar="ID", help="resident id or ID card number")
    closing.add_argument("--date", required=True, metavar=DATE, help="the day the bed closes")
    closing.add_argument("--reason", required=True, choices=[r.value for r in CloseReason], help="why")
    closing.add_argument("--summary", required=True, help="the discharge summary (撤床小结)")
    add_common(closing)
    closing.add_argument("--today", metavar=DATE, help="the day rules are checked against (default: today)")
    closing.set_defaults(handler=_close)

    listing = actions.add_parser("list", help="open family beds (or all with --all), per home or center")
    listing.add_argument("--institution", metavar="NAME", help="only this institution")
    listing.add_argument("--all", action="store_true", help="closed beds too")
    listing.add_argument("--out", type=Path, metavar="FILE.pdf", help="also write the list as a PDF")
    add_common(listing)
    listing.add_argument("--today", metavar=DATE, help="as of this day (default: today)")
    add_force(listing, "an existing PDF is replaced without it")
    listing.set_defaults(handler=_list)

    refill = commands.add_parser("refill", help="proxy refills (代配药): the list before a round, dispensing")
    refill_actions = refill.add_subparsers(dest="action", required=True, metavar="ACTION")
    refill_list = refill_actions.add_parser("list", help="who runs out before the home's next round")
    refill_list.add_argument("--institution", required=True, metavar="NAME", help="full name or a unique part")
    refill_list.add_argument("--date", required=True, metavar=DATE, help="the day of the round")
    refill_list.add_argument(
        "--out",
        type=Path,
        metavar="FILE.pdf|FILE.xlsx",
        help="write the 代配药清单 as a PDF (.pdf) or an Excel workbook (.xlsx)",
    )
    add_common(refill_list)
    add_force(refill_list, "an existing PDF (or workbook, for .xlsx) is replaced without it")
    refill_list.set_defaults(handler=_refill_list)

    record = refill_actions.add_parser("record", help="record a refill dispensed (nurses, doctors)")
    record.add_argument("--resident", required=True, metavar="ID", help="resident id or ID card number")
    record.add_argument("--medication", required=True, metavar="NAME", help="the medication's name or a unique part")
    record.add_argument("--quantity", required=True, type=int, metavar="N", help="units dispensed")
    record.add_argument("--date", required=True, metavar=DATE, help="the day it was dispensed")
    record.add_argument("--daily", metavar="Q", help="set the daily quantity first (units a day, e.g. 2 or 0.5)")
    record.add_argument("--unit", default="", help="the unit (片, 粒, 支, …) when setting --daily")
    record.add_argument("--collected-by", default="", metavar="NAME", help="who collected it for the home")
    add_common(record)
    record.add_argument("--today", metavar=DATE, help="the day rules are checked against (default: today)")
    record.set_defaults(handler=_refill_record)


def _parse_order(text: str, start: Any) -> Any:
    from app.services.homecare.beds import OrderInput

    parts = text.split(":", 2)
    every = parts[1].strip() if len(parts) >= 2 else ""
    if not (every.isascii() and every.isdigit()):  # "²" passes str.isdigit, int() refuses it
        raise ValidationError("order", text, "cli.bed.order_format")
    return OrderInput(parts[0].strip(), int(parts[1]), start, None, parts[2] if len(parts) == 3 else "")


def _resident(context: Any, key: str) -> tuple[str, str]:
    from app.services.records.load import load_record
    from app.services.records.search import resolve_resident

    resident_id = resolve_resident(context.uow(), key=key)
    record = load_record(context.uow(), resident_id=resident_id)
    return resident_id, record.resident.name


def _open(args: argparse.Namespace) -> int:
    from app.services.homecare.beds import open_bed

    day = parse_day(args.date, field="bed_opened_on")
    today = parse_day(args.today)
    orders = [_parse_order(text, day) for text in args.order]
    context = open_signed_in(args, Action.MANAGE_BEDS)
    try:
        resident_id, name = _resident(context, args.resident)
        bed_id = open_bed(
            context.uow(),
            resident_id=resident_id,
            indication=args.indication,
            opened_on=day,
            today=today,
            care_plan=args.care_plan,
            orders=orders,
        )
    finally:
        context.close()
    payload = {"ok": True, "bed_id": bed_id, "resident_id": resident_id, "opened_on": day.isoformat()}
    emit(args, t("cli.bed.opened", name=name, date=day.isoformat(), orders=len(orders)), payload)
    return EXIT_OK


def _open_bed_of(context: Any, resident_id: str, name: str, today: Any) -> Any:
    from app.domain.errors import DomainError
    from app.services.homecare.beds import bed_of_resident

    bed = bed_of_resident(context.uow(), resident_id=resident_id, today=today)
    if bed is None:
        raise DomainError("cli.bed.none_open", name=name)
    return bed


def _check(args: argparse.Namespace) -> int:
    from app.services.homecare.beds import check_bed

    day = parse_day(args.date, field="bed_checked_on")
    today = parse_day(args.today)
    context = open_signed_in(args, Action.CHECK_BEDS)
    try:
        resident_id, name = _resident(context, args.resident)
        bed = _open_bed_of(context, resident_id, name, today)
        done: list[str] = []
        for kind in args.done:
            matching = [view.id for view in bed.orders if view.order.kind.value == kind.strip()]
            if not matching:
                raise ValidationError("done", kind, "cli.bed.done_unknown", kind=kind)
            done += [order_id for order_id in matching if order_id not in done]  # --done x --done x: once
        check_id = check_bed(
            context.uow(), bed_id=bed.id, checked_on=day, today=today, findings=args.findings, orders_done=done
        )
    finally:
        context.close()
    payload = {"ok": True, "bed_id": bed.id, "check_id": check_id, "checked_on": day.isoformat(), "orders_done": done}
    emit(args, t("cli.bed.checked", name=name, date=day.isoformat()), payload)
    return EXIT_OK


def _close(args: argparse.Namespace) -> int:
    from app.services.homecare.beds import close_bed

    day = parse_day(args.date, field="bed_closed_on")
    today = parse_day(args.today)
    context = open_signed_in(args, Action.MANAGE_BEDS)
    try:
        resident_id, name = _resident(context, args.resident)
        bed = _open_bed_of(context, resident_id, name, today)
        close_bed(context.uow(), bed_id=bed.id, closed_on=day, today=today, reason=args.reason, summary=args.summary)
    finally:
        context.close()
    emit(args, t("cli.bed.closed", name=name, date=day.isoformat()), {"ok": True, "bed_id": bed.id})
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from app.services.homecare.beds import list_beds, print_beds_list
    from app.services.institutions import find_institution

    today = parse_day(args.today)
    if args.out is not None:
        check_out(args.out, suffix=".pdf", kind="pdf", db=args.db, force=args.force)
    context = open_signed_in(args, Action.VIEW_RECORDS)
    try:
        institution_id = find_institution(context.uow(), name=args.institution).id if args.institution else None
        beds = list_beds(context.uow(), today=today, institution_id=institution_id, open_only=not args.all)
        if args.out is not None:
            print_beds_list(
                context.uow(),
                out=args.out,
                today=today,
                institution_id=institution_id,
                open_only=not args.all,
                force=args.force,
                force_hint=True,
            )
    finally:
        context.close()
    lines = [
        t(
            "cli.bed.line",
            home=bed.institution,
            bed=bed.bed,
            name=bed.resident_name,
            indication=bed.indication,
            opened=bed.opened_on.isoformat(),
            days=bed.bed_days,
            last=bed.last_check.isoformat() if bed.last_check else "—",
            missed=bed.checks_missed,
        )
        for bed in beds
    ]
    payload = {
        "beds": [
            {
                "id": bed.id,
                "resident_id": bed.resident_id,
                "name": bed.resident_name,
                "institution": bed.institution,
                "bed": bed.bed,
                "indication": bed.indication,
                "doctor": bed.doctor,
                "opened_on": bed.opened_on.isoformat(),
                "closed_on": bed.closed_on.isoformat() if bed.closed_on else None,
                "close_reason": bed.close_reason,
                "bed_days": bed.bed_days,
                "last_check": bed.last_check.isoformat() if bed.last_check else None,
                "checks_missed": bed.checks_missed,
                "next_check_due": bed.next_check_due.isoformat() if bed.next_check_due else None,
                "orders": [
                    {
                        "id": view.id,
                        "kind": view.order.kind.value,
                        "every_days": view.order.every_days,
                        "start": view.order.start.isoformat(),
                        "stop": view.order.stop.isoformat() if view.order.stop else None,
                        "detail": view.order.detail,
                        "due_today": view.order.due_on(today),
                    }
                    for view in bed.orders
                ],
            }
            for bed in beds
        ],
        "pdf": str(args.out) if args.out else None,
    }
    emit(args, "\n".join([*lines, t("cli.bed.count", count=len(beds))]), payload)
    return EXIT_OK


def _refill_list(args: argparse.Namespace) -> int:
    from app.services.homecare.refills import print_refill_list, refill_list, usage_text
    from app.services.institutions import find_institution

    day = parse_day(args.date, field="date")
    kind = _out_kind(args.out)
    if args.out is not None:
        check_out(args.out, kind=kind, db=args.db, force=args.force)
    context = open_signed_in(args, Action.VIEW_RECORDS)
    try:
        institution = find_institution(context.uow(), name=args.institution)
        listed = refill_list(context.uow(), institution_id=institution.id, day=day)
        if kind == "pdf":
            print_refill_list(
                context.uow(), institution_id=institution.id, day=day, out=args.out, force=args.force, force_hint=True
            )
        elif kind == "xlsx":  # the shared exporter, as the Proxy refills page's "导出 Excel"
            from app.services.reports.exports import ListFilters, ListKind, export_list

            filters = ListFilters(institution_id=institution.id, day=day)
            export_list(
                context.uow(), ListKind.REFILLS, args.out, today=day, filters=filters, force=args.force, force_hint=True
            )
    finally:
        context.close()
    never = t("cli.refill.never")
    lines = [
        t(
            "cli.refill.head",
            institution=listed.institution,
            date=day.isoformat(),
            next=listed.next_round.isoformat(),
            count=len(listed.lines),
        )
    ]
    for line in listed.lines:
        lines.append(
            t(
                "cli.refill.line",
                bed=line.bed,
                name=line.resident_name,
                medication=line.medication,
                usage=usage_text(line),
                runs_out=line.runs_out.isoformat() if line.runs_out else never,
                quantity=f"{line.quantity}{line.unit}",
            )
        )
    payload = {
        "institution": listed.institution,
        "round_date": day.isoformat(),
        "next_round": listed.next_round.isoformat(),
        "lines": [
            {
                "medication_id": line.medication_id,
                "resident_id": line.resident_id,
                "name": line.resident_name,
                "bed": line.bed,
                "medication": line.medication,
                "dose": line.dose,
                "frequency": line.frequency,
                "daily_quantity": str(line.daily_quantity),
                "unit": line.unit,
                "last_dispensed": line.last_dispensed.isoformat() if line.last_dispensed else None,
                "runs_out": line.runs_out.isoformat() if line.runs_out else None,
                "ran_out": line.ran_out,
                "quantity": line.quantity,
            }
            for line in listed.lines
        ],
        "pdf": str(args.out) if kind == "pdf" else None,
        "xlsx": str(args.out) if kind == "xlsx" else None,
    }
    if args.out is not None:
        lines.append(t("cli.refill.written", path=args.out))
    emit(args, "\n".join(lines), payload)
    return EXIT_OK


def _out_kind(out: Path | None) -> str | None:
    """The kind of file ``refill list --out`` writes, by its suffix: ``pdf``, ``xlsx`` (None: no file).

    Raises:
        ValidationError: on ``out``: neither .pdf nor .xlsx.
    """
    if out is None:
        return None
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationError("out", out, "cli.refill.out")
    return suffix[1:]


def _refill_record(args: argparse.Namespace) -> int:
    from app.domain.refills import parse_daily_quantity
    from app.services.homecare.refills import find_medication, record_dispense

    day = parse_day(args.date, field="dispensed_on")
    today = parse_day(args.today)
    daily: Decimal | None = parse_daily_quantity(args.daily) if args.daily is not None else None
    context = open_signed_in(args, Action.RECORD_REFILLS)
    try:
        resident_id, name = _resident(context, args.resident)
        medication_id = find_medication(
            context.uow(), resident_id=resident_id, name=args.medication, resident_name=name
        )
        runs_out = record_dispense(
            context.uow(),
            medication_id=medication_id,
            quantity=args.quantity,
            dispensed_on=day,
            today=today,
            collected_by=args.collected_by,
            daily_quantity=daily,  # set in the dispensing's transaction: a refusal leaves it unchanged
            unit=args.unit,
        )
    finally:
        context.close()
    shown = runs_out.isoformat() if runs_out else "—"
    emit(
        args,
        t("cli.refill.recorded", name=name, medication=args.medication, quantity=args.quantity, runs_out=shown),
        {"ok": True, "medication_id": medication_id, "runs_out": runs_out.isoformat() if runs_out else None},
    )
    return EXIT_OK
