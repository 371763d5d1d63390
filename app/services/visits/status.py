"""The residence status a visit set — 巡诊记录的状态变更 — undone when a correction removes its outcome, moved
when a correction changes only its day.

A visit with outcome hospitalized or deceased may set the residence status (``update_status=True``): a
:class:`~app.store.models.StatusChange` on the visit's day, made by
:func:`app.services.records.residence.apply_status`. When a later correction of that visit says something else
("seen" after all: the death was entered on the wrong resident), that status change was a mistake, not an
event: :func:`undo_visit_status` removes it (tombstone, ``deleted = 1``, so the removal syncs) and puts the
resident back as before — the status and status date of the change before it, the residence period it
closed (death) reopened, the family bed it closed reopened. Adding a second change "back in residence"
instead would record a readmission that never happened (a new stay, a new admission date).

What counts as "set by this visit" (:func:`visit_status`): the resident's status is hospitalized or deceased,
the newest status change still in force is that status, dated the day of a version of the visit whose
outcome implies it. A status that came from a departed one (a readmission: new stay, new admission date)
is not undone automatically: what the admission date was cannot be restored; the status is changed in the
resident's record instead.

A correction that keeps the outcome but changes the visit's day ("the death was on the 14th, not the 15th")
moves that same status change to the corrected day (:func:`move_visit_status`): its date, the resident's
status date, and for a departure the end of the stay and of the family bed it closed — under the same
conditions (a status this visit set, still in force) and the same confirmation (``update_status``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.residents import DEPARTED_STATUSES, ResidentStatus, check_status_change
from app.domain.visits import VisitOutcome
from app.services.editing import apply_changes
from app.store.models import ResidencePeriod, Resident, StatusChange
from app.store.queries import visits as queries
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class VisitStatus:
    """A residence status set from a visit, which a correction of the visit may undo.

    Attributes:
        status: the status the visit set (hospitalized or deceased).
        on_date: its date (the visit's day).
        change_id: the status-history row.
        restores: the status before it, which undoing puts back.
        restores_date: the status date before it (None: never changed before).
        visit_ids: every version of the visit (a correction of any of them may undo it).
    """

    status: ResidentStatus
    on_date: date
    change_id: str
    restores: ResidentStatus
    restores_date: date | None
    visit_ids: frozenset[str]


def visit_status(uow: UnitOfWork, resident: Resident, chains: Sequence[Sequence[str]]) -> VisitStatus | None:
    """Return the status one of the visits set and still in force, or None.

    Args:
        chains: visits, each as the ids of all its versions (a correction of any of them may undo it).
    """
    current = ResidentStatus(resident.status)
    if current not in (ResidentStatus.HOSPITALIZED, ResidentStatus.DECEASED) or not chains:
        return None
    changes = queries.last_status_changes(uow, resident.id)
    if not changes or changes[0][1] != current.value:
        return None
    on_date = date.fromisoformat(str(changes[0][2])[:10])
    that_day = queries.visits_on(uow, resident.id, on_date)
    setting = {str(visit_id) for visit_id, outcome in that_day if VisitOutcome(outcome).status is current}
    chain = next((ids for ids in chains if setting & set(ids)), None)
    if chain is None:
        return None
    restores = ResidentStatus(changes[1][1]) if len(changes) > 1 else ResidentStatus.IN_RESIDENCE
    if restores in DEPARTED_STATUSES:
        return None
    restores_date = date.fromisoformat(str(changes[1][2])[:10]) if len(changes) > 1 else None
    return VisitStatus(current, on_date, str(changes[0][0]), restores, restores_date, frozenset(chain))


def undo_visit_status(uow: UnitOfWork, resident: Resident, found: VisitStatus) -> list[str]:
    """Remove the status change ``found`` and put the resident back as before it (inside an open unit of work).

    Returns:
        The resident's fields that changed.
    """
    change = uow.session.get(StatusChange, found.change_id)
    if change is not None:
        apply_changes(uow, change, {"deleted": True})
    if found.status in DEPARTED_STATUSES:
        _reopen_stay(uow, resident, found.on_date)
    values: dict[str, object] = {"status": found.restores.value, "status_date": found.restores_date}
    if found.status in DEPARTED_STATUSES and not resident.family_bed and resident.family_bed_end == found.on_date:
        values.update(family_bed=True, family_bed_end=None)
    changed = apply_changes(uow, resident, values)
    uow.session.flush()  # the status history is read next with plain SQL (a new status from the correction)
    return changed


def move_visit_status(uow: UnitOfWork, resident: Resident, found: VisitStatus, on_date: date, today: date) -> list[str]:
    """Move the status change ``found`` to ``on_date``: a correction kept the outcome but changed the visit's day
    (the death was on the 14th, not the 15th). Inside an open unit of work.

    The same row is moved, not replaced (the status history keeps one change): its ``on_date``, the resident's
    status date, and for a departure the residence period and family bed it closed that day.

    Returns:
        The resident's fields that changed.

    Raises:
        ValidationError: on ``status_date`` when ``on_date`` is after ``today``, or before the status before
            it, the admission or the start of the stay the status belongs to.
    """
    departed = found.status in DEPARTED_STATUSES
    stay = _stay_of(uow, resident, found.on_date if departed else None)
    bounds = [d for d in (found.restores_date, resident.admission_date, stay[1] if stay else None) if d is not None]
    check_status_change(
        found.restores, found.status, on_date=on_date, today=today, not_before=max(bounds) if bounds else None
    )
    change = uow.session.get(StatusChange, found.change_id)
    if change is not None:
        apply_changes(uow, change, {"on_date": on_date})
    values: dict[str, object] = {"status_date": on_date}
    if departed:
        period = uow.session.get(ResidencePeriod, stay[0]) if stay else None
        if period is not None:
            apply_changes(uow, period, {"end_date": on_date})
        if not resident.family_bed and resident.family_bed_end == found.on_date:
            values["family_bed_end"] = on_date
    changed = apply_changes(uow, resident, values)
    uow.session.flush()  # the status history is read next with plain SQL
    return changed


def _stay_of(uow: UnitOfWork, resident: Resident, closed_on: date | None) -> tuple[str, date] | None:
    """Return (id, start) of the residence period a departure closed on ``closed_on``, or of the open one
    (``closed_on`` None), or None."""
    rows = queries.residence_periods(uow, resident.id)
    wanted = closed_on.isoformat() if closed_on else None
    for period_id, start, end in rows:
        if (str(end)[:10] if end is not None else None) == wanted:
            return str(period_id), date.fromisoformat(str(start)[:10])
    return None


def _reopen_stay(uow: UnitOfWork, resident: Resident, on_date: date) -> None:
    """Reopen the residence period the departure closed on ``on_date`` (the latest one, if none is open)."""
    rows = queries.residence_periods(uow, resident.id)
    if not rows or rows[0][2] is None or str(rows[0][2])[:10] != on_date.isoformat():
        return
    period = uow.session.get(ResidencePeriod, rows[0][0])
    if period is not None:
        apply_changes(uow, period, {"end_date": None})
