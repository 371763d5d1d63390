"""A visit's referral — 转诊: one row per visit, opened with it and kept up to date by its corrections.

The referral belongs to the whole visit rather than to one version, so a correction updates it, removes it
(a tombstone, synced like any edit) or opens it, and every version shows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.visits import CheckedVisit, ReferralEntry
from app.store.models import Referral
from app.store.queries import visits as queries
from app.store.uow import UnitOfWork


def new_referral(resident_id: str, visit_id: str, checked: CheckedVisit) -> Referral:
    """Return the referral opened at a new visit (``checked`` has one)."""
    referral = checked.entry.referral
    assert referral is not None
    return Referral(
        resident_id=resident_id,
        visit_id=visit_id,
        destination=referral.destination,
        reason=referral.reason,
        urgent=referral.urgent,
        green_channel=referral.green_channel,
        opened_on=checked.visit_date,
    )


def carry_referral(
    uow: UnitOfWork, resident_id: str, chain: Sequence[str], new_visit_id: str, checked: CheckedVisit
) -> None:
    """Keep one referral per visit across its versions: update it, remove it, or open it."""
    wanted = checked.entry.referral
    current = _referral_row(uow, chain)
    if current is None:
        if wanted is not None:
            uow.session.add(new_referral(resident_id, new_visit_id, checked))
        return
    if wanted is None:
        current.deleted = True  # the correction says there was no referral: a tombstone, synced like any edit
    else:
        current.destination = wanted.destination
        current.reason = wanted.reason
        current.urgent = wanted.urgent
        current.green_channel = wanted.green_channel
    uow.session.add(current)


def _referral_row(uow: UnitOfWork, chain: Sequence[str]) -> Referral | None:
    if not chain:
        return None
    return queries.first_referral(uow, chain)


def chain_referral(uow: UnitOfWork, chain: Sequence[str]) -> ReferralEntry | None:
    """Return the referral of the visit whose versions are ``chain``, or None."""
    row = _referral_row(uow, chain)
    return None if row is None else ReferralEntry(row.destination, row.reason, row.urgent, row.green_channel)
