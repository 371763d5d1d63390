"""``plan --week``: the rounds of an ISO week and the residents due at each."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from app.cli.main import EXIT_OK, EncodedItems, add_common, emit
from app.cli.signin import open_signed_in
from app.cli.triage import parse_day
from app.domain.i18n import register, t
from app.domain.permissions import Action

register(
    {
        "cli.plan.title": {
            "zh_CN": "{week}（{monday} 至 {sunday}）共 {rounds} 次巡诊",
            "en": "{week} ({monday} to {sunday}): {rounds} rounds",
        },
        "cli.plan.round": {
            "zh_CN": "{day} {weekday}  {institution}  {team}  {status}",
            "en": "{weekday} {day}  {institution}  {team}  {status}",
        },
        "cli.plan.due": {"zh_CN": "  应访 {count} 人：{counts}", "en": "  {count} due: {counts}"},
        "cli.plan.held": {"zh_CN": "  已巡诊 {count} 人", "en": "  {count} seen"},
        "cli.plan.cancelled": {"zh_CN": "  已取消：{reason}", "en": "  cancelled: {reason}"},
        "cli.plan.moved": {"zh_CN": "（由 {day} 改期）", "en": "(moved from {day})"},
        "cli.plan.resident": {
            "zh_CN": "  {number:>3}. {bed}  {name}  {sex}  {age} 岁  {colour}  {reasons}",
            "en": "  {number:>3}. {bed}  {name}  {sex}  {age}  {colour}  {reasons}",
        },
        "cli.plan.gaps": {
            "zh_CN": "未达到协议要求（每周至少巡诊 {required} 次）：",
            "en": "Not meeting the agreement (at least {required} round(s) a week):",
        },
        "cli.plan.gap": {
            "zh_CN": "  {institution}（{team}）：本周 {rounds} 次",
            "en": "  {institution} ({team}): {rounds} this week",
        },
        "cli.plan.no_rounds": {"zh_CN": "本周没有巡诊安排", "en": "No rounds this week"},
        "cli.plan.created": {
            "zh_CN": "已按协议生成 {count} 次巡诊",
            "en": "Generated {count} round(s) from the agreements",
        },
        "cli.plan.ended": {"zh_CN": "协议已到期，未安排巡诊：", "en": "Agreement ended, no rounds planned:"},
        "cli.plan.ended_item": {
            "zh_CN": "  {institution}：协议于 {ended} 到期 — {residents} 名在住居民无人巡诊",
            "en": "  {institution}: agreement ended {ended} — {residents} residents not covered",
        },
        "cli.plan.ended_booked": {
            "zh_CN": "  {institution}：协议于 {ended} 到期 — 本周仍安排了 {rounds} 次巡诊"
            "（{residents} 名在住居民），请续签协议",
            "en": "  {institution}: agreement ended {ended} — {rounds} round(s) booked this week without one "
            "({residents} residents); renew the agreement",
        },
    }
)


def add_commands(commands: Any) -> None:
    plan = commands.add_parser("plan", help="rounds of a week and the residents due at each")
    plan.add_argument("--week", required=True, metavar="YYYY-Www", help="ISO week, e.g. 2026-W47")
    add_common(plan)
    plan.add_argument("--institution", metavar="NAME", help="only this institution (full name or a unique part)")
    plan.add_argument("--today", metavar="YYYY-MM-DD", help="the reference day for due residents (default: today)")
    plan.set_defaults(handler=_plan)


def _plan(args: argparse.Namespace) -> int:
    from app.domain.scheduling import parse_week
    from app.services.rounds.plan import plan_week

    monday = parse_week(args.week)
    today = parse_day(args.today)
    context = open_signed_in(args, Action.VIEW_RECORDS)
    try:
        institution_id = None
        if args.institution:  # the institutions service (and the records it edits) only when one is named
            from app.services.institutions import find_institution

            institution_id = find_institution(context.uow(), name=args.institution).id
        plan = plan_week(context.uow(), week=monday, today=today, institution_id=institution_id)
    finally:
        context.close()
    if args.json:  # only what is printed is built (a district's week is some 50 000 residents)
        emit(args, "", _payload(plan))
    else:
        emit(args, _text(plan), None)
    return EXIT_OK


def _status(status: str) -> str:
    return t(f"round.status.{status}")


def _text(plan: Any) -> str:
    from app.domain.agreements import weekday_labels
    from app.domain.residents import Sex

    lines = [
        t(
            "cli.plan.title",
            week=plan.label,
            monday=plan.monday.isoformat(),
            sunday=plan.sunday.isoformat(),
            rounds=sum(not r.cancelled for r in plan.rounds),
        )
    ]
    if plan.created:
        lines.append(t("cli.plan.created", count=plan.created))
    if not plan.rounds:
        lines.append(t("cli.plan.no_rounds"))
    for planned in plan.rounds:
        status = _status(planned.status)
        if planned.moved_from:
            status += " " + t("cli.plan.moved", day=planned.moved_from.isoformat())
        lines.append("")
        lines.append(
            t(
                "cli.plan.round",
                day=planned.day.isoformat(),
                weekday=weekday_labels([planned.day.isoweekday()]),
                institution=planned.institution,
                team=planned.team or "–",
                status=status,
            )
        )
        if planned.cancelled:
            lines.append(t("cli.plan.cancelled", reason=planned.cancel_reason))
        elif planned.past:
            lines.append(t("cli.plan.held", count=planned.seen))
        else:
            counts = "  ".join(f"{colour.badge} {n}" for colour, n in planned.due_by_colour.items())
            lines.append(t("cli.plan.due", count=len(planned.due), counts=counts))
            for number, resident in enumerate(planned.due, start=1):
                reasons = t("triage.reason_separator").join(reason.text(planned.day) for reason in resident.reasons)
                try:
                    sex = Sex(resident.sex).label
                except ValueError:
                    sex = resident.sex
                lines.append(
                    t(
                        "cli.plan.resident",
                        number=number,
                        bed=resident.bed_label,
                        name=resident.name,
                        sex=sex,
                        age=resident.age_on(planned.day),
                        colour=resident.colour.badge,
                        reasons=reasons,
                    )
                )
    if plan.gaps:
        lines.append("")
        lines.append(t("cli.plan.gaps", required=max(gap.required for gap in plan.gaps)))
        lines += [
            t("cli.plan.gap", institution=gap.institution, team=gap.team or "–", rounds=gap.rounds) for gap in plan.gaps
        ]
    if plan.ended:
        lines.append("")
        lines.append(t("cli.plan.ended"))
        lines += [
            t(
                "cli.plan.ended_booked" if e.rounds else "cli.plan.ended_item",
                institution=e.institution,
                ended=e.ended.isoformat(),
                residents=e.residents,
                rounds=e.rounds,
            )
            for e in plan.ended
        ]
    return "\n".join(lines)


def _payload(plan: Any) -> dict[str, Any]:
    return {
        "week": plan.label,
        "monday": plan.monday.isoformat(),
        "sunday": plan.sunday.isoformat(),
        "today": plan.today.isoformat(),
        "rounds_created": plan.created,
        "rounds": [
            {
                "id": r.id,
                "date": r.day.isoformat(),
                "institution_id": r.institution_id,
                "institution": r.institution,
                "team": r.team,
                "status": r.status,
                "moved_from": r.moved_from.isoformat() if r.moved_from else None,
                "cancel_reason": r.cancel_reason,
                "held": r.past,
                "seen": r.seen,
                "next_round": r.next_date.isoformat() if r.next_date else None,
                "due_count": len(r.due),
                "due": _due_items(r),
            }
            for r in plan.rounds
        ],
        "not_meeting_agreement": [
            {
                "institution_id": g.institution_id,
                "institution": g.institution,
                "team": g.team,
                "rounds": g.rounds,
                "required": g.required,
            }
            for g in plan.gaps
        ],
        "agreement_ended": [
            {
                "institution_id": e.institution_id,
                "institution": e.institution,
                "ended": e.ended.isoformat(),
                "residents": e.residents,
                "rounds": e.rounds,
            }
            for e in plan.ended
        ],
    }


def _due_items(planned: Any) -> EncodedItems:
    """The residents due at a round as JSON, one line each: the text ``json`` writes for
    ``{"resident_id", "name", "sex", "age", "bed", "colour", "last_seen", "reasons": [{"kind", "due_on", "last",
    "text"}, ...]}``, put together from the json module's own text of each string (a district's week is some
    50 000 residents: a dict each, encoded one by one, took longer than planning the week).

    Read from each resident's row (:class:`~app.services.rounds.due.DueRow`: its properties, without going through
    those of :class:`~app.services.rounds.due.DueResident` that forward to them); the bed is
    ``DueResident.bed_label``'s "A-201-2". Residents due for the same reasons (many are: the same colour and last
    visit) share one text of them, worded once, as residents seen the same day share its date.
    ``tests/cli/test_plan_json_output.py`` holds the output to the plain ``json.dumps`` of ``DueResident``'s fields.
    """
    from app.domain.colours import TriageColour
    from app.domain.triage import age_on
    from app.services.rounds.due import bulk_objects

    string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str (C)
    day_of = date.fromordinal
    day = planned.day
    because_of: dict[tuple[Any, ...], str] = {}
    dates: dict[int | None, str] = {None: "null"}
    colours = {colour: string(colour.value) for colour in TriageColour}
    items = EncodedItems()
    append = items.append
    with bulk_objects():
        for due in planned.due:
            reasons = due.reasons
            because = because_of.get(reasons)
            if because is None:
                because = because_of[reasons] = (
                    "["
                    + ", ".join(
                        [
                            f'{{"kind": {string(reason.kind.value)}, "due_on": {string(reason.due_on.isoformat())}, '
                            f'"last": {string(reason.last.isoformat()) if reason.last else "null"}, '
                            f'"text": {string(reason.text(day))}}}'
                            for reason in reasons
                        ]
                    )
                    + "]"
                )
            row = due.row
            seen = row.last_seen
            last = dates.get(seen)
            if last is None:
                last = dates[seen] = string(day_of(seen).isoformat())
            building, room, bed = row.building, row.room, row.bed
            if building and room and bed:
                bed = f"{building}-{room}-{bed}"
            else:
                bed = "-".join([part for part in (building, room, bed) if part])
            append(
                f'{{"resident_id": {string(row.resident_id)}, "name": {string(row.name)}, "sex": {string(row.sex)}, '
                f'"age": {age_on(day_of(row.birth), day)}, "bed": {string(bed)}, "colour": {colours[row.colour]}, '
                f'"last_seen": {last}, "reasons": {because}}}'
            )
    return items
