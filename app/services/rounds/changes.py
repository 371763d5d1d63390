"""Rounds — changing one round: adding an extra round, moving, cancelling (with a reason) and restoring.

**Moving** keeps one row: ``round_date`` becomes the new day and ``moved_from`` keeps the agreed day it was
first planned on (status stays *planned*), so visits and sync keep pointing at the same round. **Cancelling**
needs a reason; a cancelled round can be **restored** (planned again); **adding** makes an extra round.
"""

from __future__ import annotations

from datetime import date

from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.validation import strip_controls
from app.services.authz import require
from app.store.models import Agreement, Institution, Round
from app.store.queries import institutions as institution_queries
from app.store.queries import rounds as queries
from app.store.uow import UnitOfWork

CANCEL_REASON_MAX = 200
"""The longest reason for cancelling a round, in characters."""

register(
    {
        "field.institution": {"zh_CN": "机构", "en": "institution"},
        "field.round": {"zh_CN": "巡诊", "en": "round"},
        "field.cancel_reason": {"zh_CN": "取消原因", "en": "reason for cancelling"},
        "rounds.no_institution": {"zh_CN": "没有这个机构", "en": "no such institution"},
        "rounds.no_round": {"zh_CN": "找不到该巡诊", "en": "no such round"},
        "rounds.already_on_day": {
            "zh_CN": "{institution} 在这一天已有巡诊",
            "en": "{institution} already has a round that day",
        },
        "rounds.cannot_change": {
            "zh_CN": "该巡诊已{status}，不能再调整",
            "en": "the round is {status} and can no longer be changed",
        },
        "rounds.has_visits": {
            "zh_CN": "该巡诊已有 {count} 条巡诊记录，不能取消",
            "en": "the round already has {count} visit(s) recorded and cannot be cancelled",
        },
        "rounds.same_day": {"zh_CN": "与原日期相同", "en": "the same day as now"},
        "rounds.not_cancelled": {
            "zh_CN": "该巡诊未取消（{status}），无需恢复",
            "en": "the round is not cancelled ({status}): nothing to restore",
        },
        "rounds.reason_required": {"zh_CN": "请填写取消原因", "en": "give a reason for cancelling"},
        "rounds.reason_too_long": {"zh_CN": "最多 {maximum} 个字", "en": "at most {maximum} characters"},
        "round.status.planned": {"zh_CN": "计划", "en": "planned"},
        "round.status.done": {"zh_CN": "已完成", "en": "done"},
        "round.status.cancelled": {"zh_CN": "已取消", "en": "cancelled"},
        "round.status.moved": {"zh_CN": "已改期", "en": "moved"},
    }
)


class RoundNotFound(DomainError):
    """No round with this id (or on this day)."""


def _live_round(uow: UnitOfWork, round_id: str) -> Round:
    row = uow.session.get(Round, round_id)
    if row is None or row.deleted:
        raise RoundNotFound("rounds.no_round")
    return row


def _institution_name(uow: UnitOfWork, institution_id: str) -> str:
    institution = uow.session.get(Institution, institution_id)
    return institution.name if institution is not None else institution_id


def _occupied(uow: UnitOfWork, institution_id: str, day: date, *, other_than: str | None = None) -> bool:
    return any(round_id != other_than for round_id in queries.open_rounds_on(uow, institution_id, day))


def add_round(uow: UnitOfWork, *, institution_id: str, day: date, note: str = "") -> str:
    """Add an extra round of an institution on ``day``; the team comes from the agreement in force.

    Returns:
        The new round's id.

    Raises:
        PermissionDenied: the role may not plan rounds.
        ValidationError: on ``institution`` for an unknown institution, on ``date`` when it already has a
            round that day.
    """
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        institution = uow.session.get(Institution, institution_id)
        if institution is None or institution.deleted:
            raise ValidationError("institution", institution_id, "rounds.no_institution")
        if _occupied(uow, institution_id, day):
            raise ValidationError("date", day.isoformat(), "rounds.already_on_day", institution=institution.name)
        agreement = _agreement_on(uow, institution_id, day)
        row = Round(
            institution_id=institution_id,
            team_id=agreement.team_id if agreement else None,
            agreement_id=agreement.id if agreement else None,
            round_date=day,
            status="planned",
            note=" ".join(strip_controls(note).split())[:200],
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def _agreement_on(uow: UnitOfWork, institution_id: str, day: date) -> Agreement | None:
    """Return the institution's agreement in force on ``day`` (the latest-starting), or None."""
    best: Agreement | None = None
    for agreement in institution_queries.live_agreements_of(uow, institution_id):
        in_force = agreement.start_date <= day and (agreement.end_date is None or agreement.end_date >= day)
        if in_force and (best is None or agreement.start_date > best.start_date):
            best = agreement
    return best


def _changeable(round_row: Round) -> None:
    if round_row.status in ("done", "cancelled"):
        raise ValidationError(
            "round",
            round_row.round_date.isoformat(),
            "rounds.cannot_change",
            status=_status_label(round_row.status),
        )


def _status_label(status: str) -> str:
    return t(f"round.status.{status}")


def move_round(uow: UnitOfWork, *, round_id: str, to: date) -> None:
    """Move a planned round to another day; ``moved_from`` keeps the day it was first planned on.

    Raises:
        PermissionDenied: the role may not plan rounds.
        RoundNotFound: no such round.
        ValidationError: the round is done or cancelled, the day is the same, or the institution already
            has a round on ``to``.
    """
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        row = _live_round(uow, round_id)
        _changeable(row)
        if row.round_date == to:
            raise ValidationError("date", to.isoformat(), "rounds.same_day")
        if _occupied(uow, row.institution_id, to, other_than=row.id):
            raise ValidationError(
                "date", to.isoformat(), "rounds.already_on_day", institution=_institution_name(uow, row.institution_id)
            )
        if row.moved_from is None:
            row.moved_from = row.round_date
        elif row.moved_from == to:
            row.moved_from = None  # moved back to the agreed day
        row.round_date = to
        uow.session.add(row)
        uow.commit()


def cancel_round(uow: UnitOfWork, *, round_id: str, reason: str) -> None:
    """Cancel a planned round, with the reason (the agreed slot is not generated again).

    Raises:
        PermissionDenied: the role may not plan rounds.
        RoundNotFound: no such round.
        ValidationError: no reason or a reason too long, the round is done or cancelled, or visits were
            already recorded at it.
    """
    cleaned = " ".join(strip_controls(reason).split())
    if not cleaned:
        raise ValidationError("cancel_reason", reason, "rounds.reason_required")
    if len(cleaned) > CANCEL_REASON_MAX:
        raise ValidationError("cancel_reason", cleaned[:20] + "…", "rounds.reason_too_long", maximum=CANCEL_REASON_MAX)
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        row = _live_round(uow, round_id)
        _changeable(row)
        visits = queries.visit_count(uow, round_id)
        if visits:
            raise ValidationError("round", row.round_date.isoformat(), "rounds.has_visits", count=visits)
        row.status = "cancelled"
        row.cancel_reason = cleaned
        uow.session.add(row)
        uow.commit()


def restore_round(uow: UnitOfWork, *, round_id: str) -> None:
    """Bring a cancelled round back as planned (a cancellation made by mistake, or the reason gone).

    The reason is cleared on the round; the audit trail keeps the cancellation and the restoring (who, when,
    the reason as it was).

    Raises:
        PermissionDenied: the role may not plan rounds.
        RoundNotFound: no such round.
        ValidationError: on ``round`` when it is not cancelled, on ``date`` when the institution has another
            round that day by now (an extra round added in its place).
    """
    with uow:
        require(uow, Action.PLAN_ROUNDS)
        row = _live_round(uow, round_id)
        if row.status != "cancelled":
            raise ValidationError(
                "round", row.round_date.isoformat(), "rounds.not_cancelled", status=_status_label(row.status)
            )
        if _occupied(uow, row.institution_id, row.round_date, other_than=row.id):
            raise ValidationError(
                "date",
                row.round_date.isoformat(),
                "rounds.already_on_day",
                institution=_institution_name(uow, row.institution_id),
            )
        row.status = "planned"
        row.cancel_reason = ""
        uow.session.add(row)
        uow.commit()
