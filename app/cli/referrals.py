"""``referral list|close`` (转诊, DOMAIN §4, §8; issue #16): open referrals per home, and closing one.

``referral list --db PATH [--institution NAME] [--open] [--json]`` lists the referrals, open ones first; an
open one 14 days old or more is marked as due for follow-up. ``referral close ID --outcome OUTCOME --date D``
records the outcome (admitted, returned, declined, not_needed), which closes it; ID may be the first
characters of the referral's id as the list shows them.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.main import EXIT_OK, add_common, emit
from app.cli.signin import open_signed_in
from app.cli.triage import parse_day
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.referrals import ReferralOutcome, ReferralState

register(
    {
        "cli.referral.line": {
            "zh_CN": "{id}  {home}  {bed}  {name}  {opened} 转往{destination}{urgent}  {state}",
            "en": "{id}  {home}  {bed}  {name}  {opened} to {destination}{urgent}  {state}",
        },
        "cli.referral.urgent": {"zh_CN": "（紧急）", "en": " (urgent)"},
        "cli.referral.closed_state": {"zh_CN": "已结束 {date}：{outcome}", "en": "closed {date}: {outcome}"},
        "cli.referral.count": {
            "zh_CN": "共 {count} 条转诊，其中 {open} 条未结束、{due} 条需随访",
            "en": "{count} referrals: {open} open, {due} due for follow-up",
        },
        "cli.referral.closed": {
            "zh_CN": "已记录 {name} 的转诊结果：{outcome}（{date}），转诊已结束",
            "en": "Outcome of {name}'s referral recorded: {outcome} ({date}); the referral is closed",
        },
    }
)

DATE = "YYYY-MM-DD"
SHORT_ID = 8


def add_commands(commands: Any) -> None:
    referral = commands.add_parser("referral", help="referrals (转诊): list them, record their outcome")
    actions = referral.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="referrals per home or center, open ones first")
    listing.add_argument("--institution", metavar="NAME", help="only this institution (full name or a unique part)")
    listing.add_argument("--open", action="store_true", help="only the referrals still open")
    add_common(listing)
    listing.add_argument("--today", metavar=DATE, help="as of this day (default: today)")
    listing.set_defaults(handler=_list)

    outcomes = ", ".join(outcome.value for outcome in ReferralOutcome)
    closing = actions.add_parser("close", help="record a referral's outcome, which closes it")
    closing.add_argument("id", metavar="ID", help="the referral's id (or its first 8 characters, from the list)")
    closing.add_argument("--outcome", required=True, metavar="OUTCOME", help=f"one of {outcomes}")
    closing.add_argument("--date", required=True, metavar=DATE, help="the day of the outcome")
    add_common(closing)
    closing.add_argument("--today", metavar=DATE, help="the day rules are checked against (default: today)")
    closing.set_defaults(handler=_close)


def _state(view: Any) -> str:
    if view.state is ReferralState.CLOSED:
        outcome = ReferralOutcome(view.outcome).label if view.outcome in set(ReferralOutcome) else view.outcome
        return t("cli.referral.closed_state", date=view.closed_on.isoformat(), outcome=outcome)
    return str(view.state.label)


def _payload(view: Any) -> dict[str, Any]:
    return {
        "id": view.id,
        "resident_id": view.resident_id,
        "name": view.resident_name,
        "institution": view.institution,
        "bed": view.bed,
        "destination": view.destination,
        "reason": view.reason,
        "urgent": view.urgent,
        "green_channel": view.green_channel,
        "opened_on": view.opened_on.isoformat(),
        "closed_on": view.closed_on.isoformat() if view.closed_on else None,
        "outcome": view.outcome or None,
        "state": view.state.value,
        "follow_up_due_on": view.follow_up_due_on.isoformat(),
    }


def _list(args: argparse.Namespace) -> int:
    from app.services.institutions import find_institution
    from app.services.referrals import list_referrals

    today = parse_day(args.today)
    context = open_signed_in(args, Action.VIEW_RECORDS)
    try:
        institution_id = find_institution(context.uow(), name=args.institution).id if args.institution else None
        views = list_referrals(context.uow(), today=today, institution_id=institution_id, open_only=args.open)
    finally:
        context.close()
    lines = [
        t(
            "cli.referral.line",
            id=view.id[:SHORT_ID],
            home=view.institution,
            bed=view.bed,
            name=view.resident_name,
            opened=view.opened_on.isoformat(),
            destination=view.destination,
            urgent=t("cli.referral.urgent") if view.urgent else "",
            state=_state(view),
        )
        for view in views
    ]
    still_open = sum(1 for view in views if view.state is not ReferralState.CLOSED)
    due = sum(1 for view in views if view.state is ReferralState.FOLLOW_UP_DUE)
    lines.append(t("cli.referral.count", count=len(views), open=still_open, due=due))
    emit(args, "\n".join(lines), {"referrals": [_payload(view) for view in views]})
    return EXIT_OK


def _close(args: argparse.Namespace) -> int:
    from app.services.referrals import close_referral

    day = parse_day(args.date, field="closed_on")
    today = parse_day(args.today)
    context = open_signed_in(args, Action.RECORD_VISITS)
    try:
        view = close_referral(
            context.uow(), referral_id=args.id.strip(), outcome=args.outcome, closed_on=day, today=today
        )
    finally:
        context.close()
    outcome = ReferralOutcome(view.outcome).label
    text = t("cli.referral.closed", name=view.resident_name, outcome=outcome, date=day.isoformat())
    emit(args, text, {"ok": True, **_payload(view)})
    return EXIT_OK
