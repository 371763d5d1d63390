"""Residence — 居住与状态: moving a resident between beds and institutions, and changes of status.

Every change is one transaction and keeps its history: a move between beds or institutions closes the
current residence period and opens a new one; a change of status (住院, back in residence, 出院, 转出, 死亡)
is added to the status history, and leaving ends the current stay.
"""

from __future__ import annotations

from datetime import date

from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.domain.permissions import Action
from app.domain.records import NOTE_TEXT, Bed, clean, validate_bed
from app.domain.residents import DEPARTED_STATUSES, PeriodReason, ResidentStatus, check_move, check_status_change
from app.domain.search import bed_label
from app.domain.validation import validate_admission_date
from app.services.editing import Saved, apply_changes, get_live, permit
from app.services.homecare.beds import close_on_departure
from app.services.records.search import refresh_search_text
from app.store.models import Institution, ResidencePeriod, Resident, StatusChange
from app.store.queries import records as queries
from app.store.uow import UnitOfWork

register(
    {
        "institution.unknown": {"zh_CN": "找不到该机构", "en": "no such institution"},
        "move.departed": {
            "zh_CN": "居民已{status}，不能调换床位；如再次入住，请先把状态改为“在住”",
            "en": "the resident is {status} and cannot move bed; to readmit, set the status to in residence first",
        },
    }
)


def live_institution(uow: UnitOfWork, institution_id: str) -> Institution:
    """Return the institution unless missing or removed.

    Raises:
        ValidationError: no such institution.
    """
    institution = uow.session.get(Institution, institution_id)
    if institution is None or institution.deleted:
        raise ValidationError("institution", institution_id, "institution.unknown")
    return institution


def _open_period(uow: UnitOfWork, resident_id: str) -> ResidencePeriod | None:
    periods = queries.open_periods(uow, resident_id)
    return max(periods, key=lambda p: p.start_date) if periods else None


def save_residence(
    uow: UnitOfWork,
    *,
    resident_id: str,
    institution_id: str,
    building: str,
    room: str,
    bed: str,
    admission_date: date | None,
    move_date: date | None = None,
    today: date | None = None,
) -> Saved:
    """Save the residence section; a change of bed or institution is a move that keeps its history.

    The current stay ends on ``move_date`` (today by default) and a new one starts there.

    Raises:
        ValidationError: an unknown institution, text too long, a move of a resident who has left, a
            move date in the future or before the current stay began, a bad admission date.
        NotFound: no such resident.
    """
    day = today or date.today()
    place = validate_bed(building=building, room=room, bed=bed)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        resident = get_live(uow, Resident, resident_id)
        changed: list[str] = []
        if admission_date != resident.admission_date:
            if admission_date is not None:
                validate_admission_date(admission_date, birth_date=resident.birth_date, today=day)
            changed += apply_changes(uow, resident, {"admission_date": admission_date})
        changed += apply_move(uow, resident, institution_id, place, move_date or day, day)
        uow.commit()
        return Saved(resident_id, tuple(changed))


def apply_move(
    uow: UnitOfWork, resident: Resident, institution_id: str, place: Bed, on_date: date, today: date
) -> list[str]:
    """Move ``resident`` to another bed or institution inside an open unit of work (nothing if the same)."""
    values = {"institution_id": institution_id, "building": place.building, "room": place.room, "bed": place.bed}
    if all(getattr(resident, name) == value for name, value in values.items()):
        return []
    live_institution(uow, institution_id)
    if ResidentStatus(resident.status) in DEPARTED_STATUSES:
        raise ValidationError(
            "bed",
            bed_label(place.building, place.room, place.bed),
            "move.departed",
            status=ResidentStatus(resident.status).label.lower(),
        )
    period = _open_period(uow, resident.id)
    check_move(on_date=on_date, today=today, current_start=period.start_date if period else None)
    reason = PeriodReason.INSTITUTION_MOVE if institution_id != resident.institution_id else PeriodReason.BED_MOVE
    if period is not None:
        apply_changes(uow, period, {"end_date": on_date})
    uow.session.add(
        ResidencePeriod(
            resident_id=resident.id,
            institution_id=institution_id,
            building=place.building,
            room=place.room,
            bed=place.bed,
            start_date=on_date,
            reason=reason.value,
            updated_by=uow.actor_id,
        )
    )
    changed = apply_changes(uow, resident, values)
    refresh_search_text(resident)
    return changed


def correct_place(uow: UnitOfWork, resident: Resident, place: Bed) -> list[str]:
    """Correct the building, room or bed of the current stay in place (a typing error, not a move).

    The open residence period keeps its start and takes the corrected place; no new period begins, so a
    change of status can still be dated back to the start of the stay. A real move to another bed, on a day,
    is :func:`apply_move`.

    Raises:
        ValidationError: the resident has left (discharged, transferred, deceased): there is no current stay.
    """
    values = {"building": place.building, "room": place.room, "bed": place.bed}
    if all(getattr(resident, name) == value for name, value in values.items()):
        return []
    if ResidentStatus(resident.status) in DEPARTED_STATUSES:
        raise ValidationError(
            "bed",
            bed_label(place.building, place.room, place.bed),
            "move.departed",
            status=ResidentStatus(resident.status).label.lower(),
        )
    period = _open_period(uow, resident.id)
    if period is not None:
        apply_changes(uow, period, values)
    changed = apply_changes(uow, resident, values)
    refresh_search_text(resident)
    return changed


def change_status(
    uow: UnitOfWork,
    *,
    resident_id: str,
    status: ResidentStatus,
    on_date: date,
    note: str = "",
    today: date | None = None,
) -> Saved:
    """Change the residence status (住院, back in residence, 出院, 转出, 死亡) as of ``on_date``.

    Leaving (discharged, transferred, deceased) ends the current stay and an open family bed on that
    day; coming back after leaving starts a new stay in the resident's bed. The change is kept in the
    status history.

    Raises:
        ValidationError: the same status, a date in the future or before the admission / last change.
        NotFound: no such resident.
    """
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        resident = get_live(uow, Resident, resident_id)
        changed = apply_status(uow, resident, status, on_date, note, today or date.today())
        uow.commit()
        return Saved(resident_id, tuple(changed))


def apply_status(
    uow: UnitOfWork, resident: Resident, status: ResidentStatus, on_date: date, note: str, today: date
) -> list[str]:
    """Change the status of ``resident`` inside an open unit of work; return the changed fields."""
    current = ResidentStatus(resident.status)
    last = queries.last_status_date(uow, resident.id)
    period = _open_period(uow, resident.id)
    starts = (
        resident.admission_date,
        date.fromisoformat(last) if last else None,
        period.start_date if period else None,
    )
    bounds = [d for d in starts if d is not None]
    check_status_change(current, status, on_date=on_date, today=today, not_before=max(bounds) if bounds else None)
    note_text = clean(note, field="status_note", maximum=NOTE_TEXT)
    uow.session.add(
        StatusChange(
            resident_id=resident.id, status=status.value, on_date=on_date, note=note_text, updated_by=uow.actor_id
        )
    )
    values: dict[str, object] = {"status": status.value, "status_date": on_date}
    if status in DEPARTED_STATUSES:
        if period is not None:
            apply_changes(uow, period, {"end_date": on_date})
        if resident.family_bed:
            values.update(family_bed=False, family_bed_end=on_date)
        close_on_departure(uow, resident_id=resident.id, on_date=on_date, status=status.value)
    elif current in DEPARTED_STATUSES:
        values["admission_date"] = on_date
        uow.session.add(
            ResidencePeriod(
                resident_id=resident.id,
                institution_id=resident.institution_id,
                building=resident.building,
                room=resident.room,
                bed=resident.bed,
                start_date=on_date,
                reason=PeriodReason.READMISSION.value,
                updated_by=uow.actor_id,
            )
        )
    return apply_changes(uow, resident, values)


def discharge_resident(
    uow: UnitOfWork, *, resident_id: str, on_date: date, note: str = "", today: date | None = None
) -> Saved:
    """Discharge a resident from the home — 出院 (see :func:`change_status`)."""
    return change_status(
        uow, resident_id=resident_id, status=ResidentStatus.DISCHARGED, on_date=on_date, note=note, today=today
    )


def mark_deceased(
    uow: UnitOfWork, *, resident_id: str, on_date: date, note: str = "", today: date | None = None
) -> Saved:
    """Record a resident's death — 死亡 (see :func:`change_status`)."""
    return change_status(
        uow, resident_id=resident_id, status=ResidentStatus.DECEASED, on_date=on_date, note=note, today=today
    )
