"""Referrals — 转诊 / 双向转诊: the list per home, and closing one with its outcome (DOMAIN §4, §8).

A referral is opened at a visit (:mod:`app.services.visits.referrals`), to the home's green-channel hospital
by default (:func:`default_destination`). Recording its outcome — admitted, treated and returned, declined,
no longer needed — closes it (:func:`close_referral`), from the record, the visit form or ``referral close``.
An open referral keeps the resident red; one open 14 days or more is listed as due for follow-up; a return
opens the 30-day window of the triage rules. Closing refreshes the resident's suggested colour.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.permissions import Action
from app.domain.referrals import ReferralState, check_closing, follow_up_due_on, referral_state
from app.services.editing import permit
from app.store.queries import referrals as queries
from app.store.uow import UnitOfWork

log = logging.getLogger(__name__)

register(
    {
        "referral.not_found": {
            "zh_CN": "找不到转诊 {key}（请用 referral list 查看编号）",
            "en": "no referral {key} (see referral list for the numbers)",
        },
    }
)


@dataclass(frozen=True)
class ReferralView:
    """One referral as the lists show it."""

    id: str
    resident_id: str
    resident_name: str
    institution: str
    bed: str
    destination: str
    reason: str
    urgent: bool
    green_channel: bool
    opened_on: date
    closed_on: date | None
    outcome: str
    visit_id: str | None
    state: ReferralState
    follow_up_due_on: date


def referral_view(row: tuple[object, ...], today: date) -> ReferralView:
    """Return a row of :func:`app.store.queries.referrals.referrals` as a view, its state on ``today``."""
    opened = date.fromisoformat(str(row[11])[:10])
    closed = date.fromisoformat(str(row[12])[:10]) if row[12] else None
    bed = "-".join(str(part) for part in row[4:7] if part)
    return ReferralView(
        id=str(row[0]),
        resident_id=str(row[1]),
        resident_name=str(row[2]),
        institution=str(row[3]),
        bed=bed,
        destination=str(row[7]),
        reason=str(row[8] or ""),
        urgent=bool(row[9]),
        green_channel=bool(row[10]),
        opened_on=opened,
        closed_on=closed,
        outcome=str(row[13] or ""),
        visit_id=str(row[14]) if row[14] else None,
        state=referral_state(opened, closed, today),
        follow_up_due_on=follow_up_due_on(opened),
    )


def list_referrals(
    uow: UnitOfWork,
    *,
    today: date,
    institution_id: str | None = None,
    resident_id: str | None = None,
    open_only: bool = False,
) -> list[ReferralView]:
    """Return the referrals (of one home, one resident, or the center), open ones first, oldest first."""
    with uow.reading() as reader:
        rows = queries.referrals(reader, institution_id=institution_id, open_only=open_only, resident_id=resident_id)
    return [referral_view(row, today) for row in rows]


def default_destination(uow: UnitOfWork, *, resident_id: str) -> str:
    """Return where a referral of the resident goes by default: the home's green-channel hospital, or ""."""
    with uow.reading() as reader:
        return queries.green_channel_of_resident(reader, resident_id)


def close_referral(uow: UnitOfWork, *, referral_id: str, outcome: str, closed_on: date, today: date) -> ReferralView:
    """Record a referral's outcome, which closes it; the resident's suggested colour is worked out again.

    Raises:
        DomainError: ``referral.not_found``.
        ValidationError: an unknown outcome, a day before the referral or after today, or a referral already
            closed (naming when and how).
        PermissionDenied: the role may not record visits.
    """
    with uow:
        permit(uow, Action.RECORD_VISITS)
        row = queries.referral(uow, referral_id)
        if row is None:
            raise DomainError("referral.not_found", key=referral_id)
        already = (row.closed_on, row.outcome) if row.closed_on is not None else None
        closing = check_closing(outcome, closed_on, opened_on=row.opened_on, today=today, already=already)
        row.outcome = closing.outcome.value
        row.closed_on = closing.closed_on
        uow.session.add(row)
        resident_id, closed_id = row.resident_id, row.id
        uow.commit()
    _refresh_colour(uow, resident_id, today)
    found = [view for view in list_referrals(uow, today=today, resident_id=resident_id) if view.id == closed_id]
    return found[0]


def _refresh_colour(uow: UnitOfWork, resident_id: str, today: date) -> None:
    from app.services.triage import refresh_suggestions

    try:
        refresh_suggestions(uow, today=today, resident_ids=[resident_id])
    except Exception:  # the outcome is committed; a failed refresh is logged, never reported as a failed save
        log.exception("refreshing the suggestion after closing a referral failed")
