"""``visit add``: record a visit outcome from a script or a paper round sheet (DESIGN §7).

The same checks as the visit page (:func:`app.services.visits.save.record_visit`). Exit codes: 0 recorded,
1 not recorded because the resident already has a visit at that round or day (use ``--correct``), 2 bad
usage, an unreadable database or a value that is not acceptable (the message names the field, the value
and the accepted range). The command line has no sign-in: ``recorded_by`` stays empty and the history
shows the visit as entered from the command line.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from app.cli.main import EXIT_OK, EXIT_REJECTED, add_common, emit, printable
from app.cli.signin import open_signed_in
from app.domain.errors import DomainError
from app.domain.i18n import register, t
from app.domain.permissions import Action

register(
    {
        "cli.visit.recorded": {
            "zh_CN": "已记录 {name}（{where}）{date} 的巡诊：{outcome}（第 {version} 版{late}）",
            "en": "Recorded the visit of {name} ({where}) on {date}: {outcome} (version {version}{late})",
        },
        "cli.visit.corrected": {
            "zh_CN": "已更正 {name}（{where}）{date} 的巡诊：{outcome}（第 {version} 版，更正第 {previous} 版；"
            "改动：{changes}）",
            "en": "Corrected the visit of {name} ({where}) on {date}: {outcome} (version {version}, corrects "
            "version {previous}; changed: {changes})",
        },
        "cli.visit.no_changes": {"zh_CN": "无", "en": "nothing"},
        "cli.visit.late": {"zh_CN": "，补录", "en": ", late entry"},
        "cli.visit.late_reason": {"zh_CN": "，补录：{reason}", "en": ", late entry: {reason}"},
        "cli.visit.round": {"zh_CN": "巡诊 {date}", "en": "round of {date}"},
        "cli.visit.no_round": {"zh_CN": "巡诊外", "en": "outside a round"},
        "cli.visit.where": {"zh_CN": "{place}，{round}", "en": "{place}, {round}"},
        "cli.visit.flag_line": {"zh_CN": "  {symbol} {text}", "en": "  {symbol} {text}"},
        "cli.visit.suggestion": {
            "zh_CN": "  分类建议：{before} → {after}（确认分类：{colour}；请医生在分类复核中确认）",
            "en": "  Triage suggestion: {before} → {after} (confirmed colour: {colour}; for the doctor's review)",
        },
        "cli.visit.status_set": {"zh_CN": "  居住状态已改为：{status}", "en": "  Residence status set to: {status}"},
        "cli.visit.status_hint": {
            "zh_CN": "  居住状态未改变；如需同时改为“{status}”，请加 --update-status",
            "en": "  The residence status was not changed; add --update-status to set it to {status}",
        },
        "cli.visit.status_restored": {
            "zh_CN": "  居住状态已恢复为：{status}（撤销了 {date} 由这条巡诊记录设置的“{undone}”）",
            "en": "  Residence status restored to: {status} (undid “{undone}” of {date}, set from this visit)",
        },
        "cli.visit.status_left": {
            "zh_CN": "  ‼ 居住状态仍为“{undone}”（{date} 由这条巡诊记录设置）；如需恢复为“{status}”，"
            "请再次更正并加 --update-status",
            "en": "  ‼ The residence status is still “{undone}” (set from this visit on {date}); to restore "
            "“{status}”, correct the visit again with --update-status",
        },
        "cli.visit.status_moved": {
            "zh_CN": "  居住状态“{status}”的日期已改为 {date}（原为 {old}，由这条巡诊记录设置）",
            "en": "  Residence status “{status}” now dated {date} (was {old}, set from this visit)",
        },
        "cli.visit.status_date_left": {
            "zh_CN": "  ‼ 居住状态“{status}”仍记为 {old}（由这条巡诊记录设置）；如需改为 {date}，请再次更正并加 "
            "--update-status",
            "en": "  ‼ The residence status “{status}” is still dated {old} (set from this visit); to date it {date}, "
            "correct the visit again with --update-status",
        },
        "cli.visit.new_date_needs_correct": {
            "zh_CN": "--new-date 只能与 --correct 一起使用（更正已记录的巡诊日期）",
            "en": "--new-date goes only with --correct (it changes the day of a visit already recorded)",
        },
        "cli.visit.medication_needs_new": {
            "zh_CN": "--medication 只能用于新的巡诊记录；更正记录不会再次调整用药（请在档案中修改）",
            "en": "--medication goes only with a new visit: a correction changes no medication (use the record)",
        },
        "cli.visit.duplicate_hint": {
            "zh_CN": "未记录：{message}（加 --correct 即可更正）",
            "en": "Not recorded: {message} (add --correct to do so)",
        },
        "cli.visit.follow_up_line": {
            "zh_CN": "  {disease}随访分类：{value}{proposed}",
            "en": "  {disease} follow-up: {value}{proposed}",
        },
        "cli.visit.proposed": {"zh_CN": "（按测量值建议）", "en": " (proposed from the values)"},
        "cli.visit.followup_format": {
            "zh_CN": "应写作 病种=分类，如 hypertension=uncontrolled（病种 hypertension、diabetes；"
            "分类 controlled、uncontrolled、adverse、complication）",
            "en": "write DISEASE=CLASS, e.g. hypertension=uncontrolled (diseases hypertension, diabetes; "
            "classes controlled, uncontrolled, adverse, complication)",
        },
        "cli.visit.referral_closed": {
            "zh_CN": "  转诊（{opened} 转往{destination}）已结束：{outcome}",
            "en": "  Referral ({opened}, to {destination}) closed: {outcome}",
        },
        "cli.visit.no_open_referral": {
            "zh_CN": "{name}没有未结束的转诊，无法记录转诊结果",
            "en": "{name} has no open referral whose outcome could be recorded",
        },
        "field.followup": {"zh_CN": "分病种随访分类（--followup）", "en": "follow-up (--followup)"},
        "cli.visit.nothing_to_correct": {
            "zh_CN": "{date} 没有可更正的巡诊记录；去掉 --correct 即可新建",
            "en": "there is no visit on {date} to correct; leave out --correct to record a new one",
        },
    }
)

_NUMBERS = (
    ("sbp", "sbp"),
    ("dbp", "dbp"),
    ("pulse", "pulse"),
    ("temp", "temperature"),
    ("spo2", "spo2"),
    ("glucose", "glucose"),
    ("weight", "weight"),
)


def add_commands(commands: Any) -> None:
    visit = commands.add_parser("visit", help="record visit outcomes")
    actions = visit.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="record one visit (checked like the visit page); exit 1 if the resident already has a visit "
        "at that round or day",
    )
    add_common(add)
    add.add_argument("--resident", required=True, metavar="ID_OR_NUMBER", help="the resident's id or ID card number")
    add.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day of the visit (may be past)")
    add.add_argument("--sbp", metavar="N", help="systolic BP, mmHg (50–300)")
    add.add_argument("--dbp", metavar="N", help="diastolic BP, mmHg (20–200)")
    add.add_argument("--pulse", metavar="N", help="pulse, /min (20–250)")
    add.add_argument("--temp", metavar="X", help="temperature, °C (30.0–45.0)")
    add.add_argument("--spo2", metavar="N", help="SpO2, %% (50–100)")
    add.add_argument("--glucose", metavar="X", help="blood glucose, mmol/L (1.0–40.0)")
    add.add_argument("--fasting", action="store_true", help="the glucose was measured fasting")
    add.add_argument("--weight", metavar="X", help="weight, kg (20–250)")
    add.add_argument(
        "--outcome",
        default="seen",
        metavar="OUTCOME",
        help="seen (default), absent, hospitalized, refused or deceased (Chinese labels work too)",
    )
    add.add_argument("--note", default="", metavar="TEXT", help="symptoms and findings")
    add.add_argument(
        "--followup",
        action="append",
        default=[],
        metavar="DISEASE=CLASS",
        help="a disease's follow-up classification: DISEASE hypertension or diabetes, CLASS controlled, "
        "uncontrolled, adverse or complication; left out for a disease the resident has, it is proposed from "
        "the values (BP target 150/90 from 65, fasting glucose 7.0)",
    )
    add.add_argument(
        "--medication",
        action="append",
        default=[],
        metavar="NAME=DAILY_QUANTITY",
        help="change a long-term medication's daily quantity from today (0 stops it); the refill list follows "
        "and a line is added to the visit's medication changes (repeat for several)",
    )
    add.add_argument(
        "--adherence", default="", metavar="WORD", help="medication adherence: regular, intermittent, none"
    )
    add.add_argument("--advice", default="", metavar="TEXT", help="lifestyle advice given (生活方式指导)")
    add.add_argument("--height", metavar="CM", help="height, cm (100–220), for the BMI")
    add.add_argument("--foot-pulse", default="", metavar="WORD", help="diabetic foot pulses: normal, weak, absent")
    add.add_argument(
        "--referral",
        metavar="DEST",
        help="refer the resident to DEST; 'green' for the home's green-channel hospital",
    )
    add.add_argument("--referral-reason", default="", metavar="TEXT", help="why the resident is referred")
    add.add_argument("--urgent", action="store_true", help="the referral is urgent")
    add.add_argument(
        "--referral-outcome",
        metavar="OUTCOME",
        help="record the outcome of the resident's open referral on the visit's day (admitted, returned, "
        "declined, not_needed): it closes the referral",
    )
    add.add_argument(
        "--late-reason",
        default="",
        metavar="TEXT",
        help="why a past visit is entered only now, e.g. typed from the paper round sheet",
    )
    add.add_argument(
        "--update-status",
        action="store_true",
        help="with outcome hospitalized or deceased, also change the residence status; with "
        "--correct, also undo the status the visit set when the new outcome no longer implies it, "
        "or move its date when only the visit's day changes",
    )
    add.add_argument(
        "--correct",
        action="store_true",
        help="correct the visit already recorded at that round or day: a new version with the "
        "values given here replacing the old ones",
    )
    add.add_argument(
        "--new-date",
        metavar="YYYY-MM-DD",
        help="with --correct: the corrected day of the visit found by --date (with --update-status "
        "the residence status the visit set moves to it too)",
    )
    add.set_defaults(handler=_add)


def _add(args: argparse.Namespace) -> int:
    from app.domain.validation import parse_date
    from app.domain.visits import parse_outcome, parse_vital

    visit_date = parse_date(args.date, field="visit_date")
    if args.new_date is not None and not args.correct:
        raise DomainError("cli.visit.new_date_needs_correct")
    if args.medication and args.correct:
        raise DomainError("cli.visit.medication_needs_new")
    new_date = parse_date(args.new_date, field="visit_date") if args.new_date is not None else None
    numbers = {
        name: parse_vital(name, getattr(args, option)) for option, name in _NUMBERS if getattr(args, option) is not None
    }
    outcome = parse_outcome(args.outcome)
    context = open_signed_in(args, Action.RECORD_VISITS)
    try:
        return _record(context, args, visit_date, numbers, outcome.value, new_date)
    finally:
        context.close()


def _record(
    context: Any,
    args: argparse.Namespace,
    visit_date: date,
    numbers: dict[str, float | None],
    outcome: str,
    new_date: date | None = None,
) -> int:
    from dataclasses import replace

    from app.domain.visits import VITAL_FIELDS, VisitEntry
    from app.services.records.residents import resolve_resident
    from app.services.visits.save import (
        DuplicateVisit,
        correct_visit,
        existing_visit,
        record_visit,
        round_for_visit,
    )

    today = date.today()
    resident_id = resolve_resident(context.uow(), key=args.resident)
    round_id = round_for_visit(context.uow(), resident_id=resident_id, visit_date=visit_date)
    given: dict[str, Any] = dict(numbers)
    if args.fasting:
        given["glucose_fasting"] = True
    if args.note:
        given["findings"] = args.note
    given.update(_clinical(context, args, resident_id))
    if args.correct:
        current = existing_visit(context.uow(), resident_id=resident_id, round_id=round_id, visit_date=visit_date)
        if current is None:
            raise DomainError("cli.visit.nothing_to_correct", date=visit_date.isoformat())
        carried = current.entry
        if outcome != "seen":  # values that go only with "seen" are not carried over (given ones are checked)
            cleared: dict[str, Any] = dict.fromkeys(VITAL_FIELDS)
            carried = replace(
                carried, **cleared, glucose_fasting=False, chronic_class="", follow_ups=(), height=None, foot_pulse=""
            )
        entry = replace(carried, outcome=outcome, **given)
        saved = correct_visit(
            context.uow(),
            visit_id=current.id,
            entry=entry,
            visit_date=new_date or visit_date,
            late_reason=args.late_reason or None,
            update_status=args.update_status,
            today=today,
        )
    else:
        from app.services.visits.doses import parse_dose_options

        entry = VisitEntry(outcome=outcome, **given)
        doses = parse_dose_options(context.uow(), resident_id=resident_id, options=args.medication, day=today)
        try:
            saved = record_visit(
                context.uow(),
                resident_id=resident_id,
                visit_date=visit_date,
                entry=entry,
                round_id=round_id,
                late_reason=args.late_reason,
                update_status=args.update_status,
                today=today,
                dose_changes=doses,
            )
        except DuplicateVisit as duplicate:
            message = t("cli.visit.duplicate_hint", message=duplicate)
            if args.json:
                emit(
                    args,
                    "",
                    {
                        "recorded": False,
                        "reason": "duplicate",
                        "message": message,
                        "visit_id": duplicate.visit_id,
                        "version": duplicate.version,
                    },
                )
            else:
                print(printable(message), file=sys.stderr)
            return EXIT_REJECTED
    closed = _close_referral(context, args, resident_id, visit_date, today)
    payload = _payload(saved, round_id)
    text = _text(context, saved, round_id, args.update_status)
    if closed is not None:
        from app.domain.referrals import ReferralOutcome

        payload["referral_closed"] = {"id": closed.id, "outcome": closed.outcome}
        text += "\n" + t(
            "cli.visit.referral_closed",
            opened=closed.opened_on.isoformat(),
            destination=closed.destination,
            outcome=ReferralOutcome(closed.outcome).label,
        )
    emit(args, text, payload)
    return EXIT_OK


_CLASS_WORDS = {"uncontrolled": "not_controlled", "adverse": "adverse_reaction"}


def _clinical(context: Any, args: argparse.Namespace, resident_id: str) -> dict[str, Any]:
    """Return the follow-up form's values given on the command line (``--followup``, ``--referral``, ...)."""
    from app.domain.errors import ValidationError
    from app.domain.visits import ReferralEntry, parse_vital
    from app.services.referrals import default_destination

    given: dict[str, Any] = {}
    pairs = []
    for text in args.followup:
        disease, equals, value = text.partition("=")
        if not equals or not disease.strip() or not value.strip():
            raise ValidationError("followup", text, "cli.visit.followup_format")
        pairs.append((disease.strip(), _CLASS_WORDS.get(value.strip().lower(), value.strip())))
    if pairs:
        given["follow_ups"] = tuple(pairs)
    for option, name in (("adherence", "adherence"), ("advice", "lifestyle_advice"), ("foot_pulse", "foot_pulse")):
        if getattr(args, option):
            given[name] = getattr(args, option)
    if args.height is not None:
        given["height"] = parse_vital("height", args.height)
    if args.referral is not None:
        destination = args.referral.strip()
        green = destination.lower() in ("green", "绿色通道")
        if green:
            destination = default_destination(context.uow(), resident_id=resident_id) or destination
        given["referral"] = ReferralEntry(destination, args.referral_reason, bool(args.urgent), green)
    return given


def _close_referral(context: Any, args: argparse.Namespace, resident_id: str, day: date, today: date) -> Any:
    """Close the resident's oldest open referral with ``--referral-outcome`` (None without it)."""
    if not args.referral_outcome:
        return None
    from app.services.referrals import close_referral, list_referrals

    views = list_referrals(context.uow(), today=today, resident_id=resident_id, open_only=True)
    views = [view for view in views if view.opened_on <= day]
    if not views:
        from app.services.records.load import load_record

        name = load_record(context.uow(), resident_id=resident_id).resident.name
        raise DomainError("cli.visit.no_open_referral", name=name)
    return close_referral(
        context.uow(), referral_id=views[0].id, outcome=args.referral_outcome, closed_on=day, today=today
    )


def _payload(saved: Any, round_id: str | None) -> dict[str, Any]:
    from app.services.visits.save import visit_summary_json

    return {"recorded": True, "round_id": round_id, **visit_summary_json(saved)}


def _text(context: Any, saved: Any, round_id: str | None, update_status: bool) -> str:
    from app.domain.colours import TriageColour
    from app.domain.visit_changes import describe_vitals, field_labels
    from app.domain.vitals import FlagLevel
    from app.services.visits.save import resident_for_visit

    checked = saved.checked
    info = resident_for_visit(context.uow(), resident_id=saved.resident_id)
    place = " ".join(part for part in (info.institution, info.bed_label) if part)
    when = t("cli.visit.round", date=checked.visit_date.isoformat()) if round_id else t("cli.visit.no_round")
    where = t("cli.visit.where", place=place, round=when)
    late = ""
    if checked.late:
        late = t("cli.visit.late_reason", reason=checked.late_reason) if checked.late_reason else t("cli.visit.late")
    params = {
        "name": saved.resident_name,
        "where": where,
        "date": checked.visit_date.isoformat(),
        "outcome": checked.outcome.label,
        "version": saved.version,
    }
    if saved.corrects_id:
        lines = [
            t(
                "cli.visit.corrected",
                **params,
                previous=saved.version - 1,
                changes=field_labels(saved.changed) or t("cli.visit.no_changes"),
            )
        ]
    else:
        lines = [t("cli.visit.recorded", **params, late=late)]
    vitals = describe_vitals(checked.entry)
    if vitals:
        lines.append(f"  {vitals}")
    for disease, value in checked.follow_ups:
        proposed = t("cli.visit.proposed") if disease in checked.proposed else ""
        lines.append(t("cli.visit.follow_up_line", disease=disease.label, value=value.label, proposed=proposed))
    symbols = {FlagLevel.URGENT: "‼", FlagLevel.ABNORMAL: "▲"}
    advice = checked.advice()  # names every urgent value once, with what to do
    for flag in checked.assessment.flags:
        if flag.level is FlagLevel.ABNORMAL or (flag.level is FlagLevel.URGENT and not advice):
            lines.append(t("cli.visit.flag_line", symbol=symbols[flag.level], text=flag.reason))
    lines += [f"  ‼ {line}" for line in advice]
    undos = (("cli.visit.status_restored", saved.status_restored), ("cli.visit.status_left", saved.status_left))
    for key, undo in undos:
        if undo is not None:
            lines.append(t(key, status=undo.restores.label, undone=undo.status.label, date=undo.on_date.isoformat()))
    moves = (("cli.visit.status_moved", saved.status_moved), ("cli.visit.status_date_left", saved.status_date_left))
    for key, move in moves:
        if move is not None:
            lines.append(
                t(key, status=move.status.label, old=move.on_date.isoformat(), date=checked.visit_date.isoformat())
            )
    if saved.status_changed is not None:
        lines.append(t("cli.visit.status_set", status=saved.status_changed.label))
    elif checked.outcome.status is not None and not update_status and info.status != checked.outcome.status:
        lines.append(t("cli.visit.status_hint", status=checked.outcome.status.label))
    if saved.suggestion_changed and saved.suggested_before is not None and saved.suggested_after is not None:
        lines.append(
            t(
                "cli.visit.suggestion",
                before=TriageColour(saved.suggested_before).badge,
                after=TriageColour(saved.suggested_after).badge,
                colour=TriageColour(saved.colour).badge,
            )
        )
    return "\n".join(lines)
