"""Saving the record's sections — 健康档案: signing, flags, conditions, medications, allergies.

Each ``save_*`` function checks its input with :mod:`app.domain.records` and writes it in one transaction,
setting ``updated_by`` to the signed-in staff member (the sync stamps add when and on which device);
:func:`remove_entry` removes an entry entered in error.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.domain.conditions import resolve_condition
from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.domain.permissions import Action
from app.domain.records import (
    check_past_date,
    validate_allergy,
    validate_flags,
    validate_medication,
    validate_signing,
)
from app.domain.refills import check_unit
from app.services.editing import NotFound, Row, Saved, apply_changes, get_live, permit
from app.store.models import Allergy, Assessment, Condition, Medication, Resident, Staff, Synced
from app.store.queries import beds as bed_queries
from app.store.uow import UnitOfWork

register(
    {
        "medication.stop_before_taken": {
            "zh_CN": "每日用量 0 表示从今天起停药，但此药 {start} 才开始：如是误录请删除",
            "en": "a daily quantity of 0 stops it from today, but it starts on {start}: remove it if entered in error",
        },
        "record.family_bed_open": {
            "zh_CN": "该居民有一张未撤的家庭病床（此为建床日期）：请在“家庭病床”页撤床，标记会随之更新",
            "en": "the resident has an open family bed (opened on this day): close it on the Family beds page "
            "and the flag follows",
        },
        "record.wrong_resident": {
            "zh_CN": "该条记录不属于此居民",
            "en": "this entry belongs to another resident",
        },
        "doctor.not_found": {
            "zh_CN": "找不到该签约医生（需为在职的家庭医生）",
            "en": "no such family doctor (an active doctor account is needed)",
        },
    }
)


def _entry_of(uow: UnitOfWork, model: type[Row], entry_id: str, resident_id: str) -> Row:
    entry = get_live(uow, model, entry_id)
    if getattr(entry, "resident_id", None) != resident_id:
        raise NotFound("record.wrong_resident")
    return entry


def _today(today: date | None) -> date:
    return today or date.today()


# --- signing and flags ---------------------------------------------------------------------------------------


def save_signing(
    uow: UnitOfWork,
    *,
    resident_id: str,
    signed_on: date | None,
    doctor_id: str | None,
    service_package: str,
    today: date | None = None,
) -> Saved:
    """Save the family-doctor signing — 签约: date, doctor, service package.

    Raises:
        ValidationError: a doctor or package without a date, a date in the future or before birth.
        NotFound: no such resident or doctor.
    """
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        resident = get_live(uow, Resident, resident_id)
        signing = validate_signing(
            signed_on=signed_on,
            doctor_id=doctor_id,
            service_package=service_package,
            birth_date=resident.birth_date,
            today=_today(today),
        )
        if signing.doctor_id is not None:
            doctor = uow.session.get(Staff, signing.doctor_id)
            if doctor is None or doctor.deleted or doctor.role != "doctor":
                raise NotFound("doctor.not_found")
        changed = apply_changes(
            uow,
            resident,
            {
                "signed_on": signing.signed_on,
                "signed_doctor_id": signing.doctor_id,
                "service_package": signing.service_package,
            },
        )
        uow.commit()
        return Saved(resident_id, tuple(changed))


def save_flags(
    uow: UnitOfWork,
    *,
    resident_id: str,
    family_bed: bool,
    family_bed_start: date | None,
    family_bed_end: date | None,
    hospice: bool,
    ltc_insurance: bool,
    care_level: int | None,
    today: date | None = None,
) -> Saved:
    """Save the flags: family bed with its dates, hospice, long-term-care insurance and care level.

    Raises:
        ValidationError: see :func:`app.domain.records.validate_flags`.
        NotFound: no such resident.
    """
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        resident = get_live(uow, Resident, resident_id)
        changed = apply_flags(
            uow,
            resident,
            family_bed=family_bed,
            family_bed_start=family_bed_start,
            family_bed_end=family_bed_end,
            hospice=hospice,
            ltc_insurance=ltc_insurance,
            care_level=care_level,
            today=_today(today),
        )
        uow.commit()
        return Saved(resident_id, tuple(changed))


def apply_flags(
    uow: UnitOfWork,
    resident: Resident,
    *,
    family_bed: bool,
    family_bed_start: date | None,
    family_bed_end: date | None,
    hospice: bool,
    ltc_insurance: bool,
    care_level: int | None,
    today: date,
) -> list[str]:
    """Check and set the flags of ``resident`` inside an open unit of work; return the changed fields.

    Raises:
        ValidationError: see :func:`app.domain.records.validate_flags`; or the family bed flag is cleared (or its
            dates changed) while the resident has an open bed on the Family beds page, which owns them then.
    """
    open_bed = bed_queries.open_bed_of(uow, resident.id)
    if open_bed is not None and (
        not family_bed or family_bed_start != open_bed.opened_on or family_bed_end is not None
    ):
        raise ValidationError("family_bed", open_bed.opened_on.isoformat(), "record.family_bed_open")
    flags = validate_flags(
        family_bed=family_bed,
        family_bed_start=family_bed_start,
        family_bed_end=family_bed_end,
        hospice=hospice,
        ltc_insurance=ltc_insurance,
        care_level=care_level,
        today=today,
    )
    return apply_changes(
        uow,
        resident,
        {
            "family_bed": flags.family_bed,
            "family_bed_start": flags.family_bed_start,
            "family_bed_end": flags.family_bed_end,
            "hospice": flags.hospice,
            "ltc_insurance": flags.ltc_insurance,
            "care_level": flags.care_level,
        },
    )


# --- conditions, medications, allergies -------------------------------------------------------------------------


def save_condition(
    uow: UnitOfWork,
    *,
    resident_id: str,
    condition_id: str | None = None,
    code: str = "",
    name: str = "",
    icd10: str = "",
    diagnosed_on: date | None = None,
    active: bool = True,
    today: date | None = None,
) -> Saved:
    """Add a condition (``condition_id`` None) or change one: from the coded list or free text.

    Raises:
        ValidationError: nothing chosen, a malformed ICD-10 code, a diagnosis date in the future.
        NotFound: no such resident or condition.
    """
    entry = resolve_condition(code=code, name=name, icd10=icd10)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        resident = get_live(uow, Resident, resident_id)
        if diagnosed_on is not None:
            check_past_date(diagnosed_on, field="diagnosed_on", today=_today(today), birth_date=resident.birth_date)
        values = {
            "code": entry.code,
            "icd10": entry.icd10,
            "name": entry.name,
            "diagnosed_on": diagnosed_on,
            "active": active,
        }
        row = (
            _entry_of(uow, Condition, condition_id, resident_id)
            if condition_id
            else Condition(resident_id=resident_id, name=entry.name)
        )
        changed = apply_changes(uow, row, values)
        if condition_id is None:
            row.updated_by = uow.actor_id
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


KEEP = object()
"""``save_medication``'s daily quantity left as it is (a caller that does not show it)."""


def save_medication(
    uow: UnitOfWork,
    *,
    resident_id: str,
    medication_id: str | None = None,
    name: str,
    dose: str = "",
    frequency: str = "",
    start_date: date | None = None,
    stop_date: date | None = None,
    daily_quantity: Decimal | object | None = KEEP,
    unit: str | None = None,
    today: date | None = None,
) -> Saved:
    """Add or change a medication — 用药: name, dose, frequency, start and stop; and, for proxy refills, the
    daily quantity (units a day; None: not followed) and its unit.

    A change of the daily quantity applies from ``today`` (the day it is saved; docs/homecare.md, "A dose
    changed in the record") to the units left: the refill list and the run-out day follow. A daily quantity
    of 0 stops the medication: its stop day becomes yesterday (the last day it was taken) unless it stopped
    earlier.

    Raises:
        ValidationError: no name, text too long, a stop before the start, a unit too long, 0 for a medication
            that starts today or later (remove it instead).
        NotFound: no such resident or medication.
    """
    day = _today(today)
    fields = validate_medication(name=name, dose=dose, frequency=frequency, start_date=start_date, stop_date=stop_date)
    values: dict[str, object] = {
        "name": fields.name,
        "dose": fields.dose,
        "frequency": fields.frequency,
        "start_date": fields.start_date,
        "stop_date": fields.stop_date,
    }
    if daily_quantity is not KEEP:
        daily = daily_quantity if isinstance(daily_quantity, Decimal) else None
        values.update(_daily_values(daily, fields.start_date, fields.stop_date, day))
    if unit is not None:
        values["unit"] = check_unit(unit)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        get_live(uow, Resident, resident_id)
        row = (
            _entry_of(uow, Medication, medication_id, resident_id)
            if medication_id
            else Medication(resident_id=resident_id, name=fields.name)
        )
        changed = apply_changes(uow, row, values)
        if medication_id is None:
            row.updated_by = uow.actor_id
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


def _daily_values(
    daily: Decimal | None, start_date: date | None, stop_date: date | None, day: date
) -> dict[str, object]:
    """Return the columns a daily quantity set on ``day`` changes: 0 stops the medication (stop day
    yesterday, unless it stopped earlier).

    Raises:
        ValidationError: 0 for a medication that starts on ``day`` or later.
    """
    values: dict[str, object] = {"daily_quantity": float(daily) if daily is not None else None}
    if daily is not None and daily == 0:
        yesterday = day - timedelta(days=1)
        if start_date is not None and start_date > yesterday:
            raise ValidationError("daily_quantity", "0", "medication.stop_before_taken", start=start_date.isoformat())
        if stop_date is None or stop_date > yesterday:
            values["stop_date"] = yesterday
    return values


def set_daily_quantity(
    uow: UnitOfWork, *, resident_id: str, medication_id: str, daily_quantity: Decimal, today: date
) -> list[str]:
    """Inside an open writing unit of work (the caller checks permissions and commits): change a
    medication's daily quantity from ``today`` as :func:`save_medication` does (0 stops it). A visit's dose
    changes go through here, in the visit's transaction.

    Returns:
        The names of the fields that changed.

    Raises:
        ValidationError: as for :func:`save_medication`.
        NotFound: no such medication of this resident.
    """
    row = _entry_of(uow, Medication, medication_id, resident_id)
    return apply_changes(uow, row, _daily_values(daily_quantity, row.start_date, row.stop_date, today))


def save_allergy(
    uow: UnitOfWork, *, resident_id: str, allergy_id: str | None = None, substance: str, reaction: str = ""
) -> Saved:
    """Add or change an allergy — 过敏史.

    Raises:
        ValidationError: no allergen, text too long.
        NotFound: no such resident or allergy.
    """
    fields = validate_allergy(substance=substance, reaction=reaction)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        get_live(uow, Resident, resident_id)
        row = (
            _entry_of(uow, Allergy, allergy_id, resident_id)
            if allergy_id
            else Allergy(resident_id=resident_id, substance=fields.substance)
        )
        changed = apply_changes(uow, row, {"substance": fields.substance, "reaction": fields.reaction})
        if allergy_id is None:
            row.updated_by = uow.actor_id
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


_ENTRY_MODELS: dict[str, type[Synced]] = {
    "condition": Condition,
    "medication": Medication,
    "allergy": Allergy,
    "assessment": Assessment,
}


def remove_entry(uow: UnitOfWork, *, resident_id: str, kind: str, entry_id: str) -> Saved:
    """Remove a condition, medication, allergy or assessment entered in error (a tombstone, so it syncs).

    Assessments are clinical entries (they need the right to record visits); the rest are part of
    editing the resident.

    Args:
        kind: ``condition``, ``medication``, ``allergy`` or ``assessment``.

    Raises:
        NotFound: no such entry for this resident.
        ValueError: an unknown kind (a programming error).
    """
    model = _ENTRY_MODELS[kind]
    with uow:
        permit(uow, Action.RECORD_VISITS if kind == "assessment" else Action.EDIT_RESIDENTS)
        row = _entry_of(uow, model, entry_id, resident_id)
        row.deleted = True
        if hasattr(row, "updated_by"):
            row.updated_by = uow.actor_id
        uow.session.add(row)
        uow.commit()
        return Saved(resident_id, ("deleted",), entry_id)
