"""The resident's health record — 健康档案: read it whole, save each section as one action.

:func:`load_record` reads everything the record view shows (header, residence history, status
changes, conditions, medications, allergies, assessments, visits) in a handful of indexed queries.
Each ``save_*`` / ``record_*`` / ``remove_*`` function checks its input with :mod:`app.domain.records`
and writes it in one transaction, setting ``updated_by`` to the signed-in staff member (the sync
stamps add when and on which device).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from sqlmodel import SQLModel

from app.domain.assessments import Ad8Input
from app.domain.conditions import resolve_condition
from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.permissions import Action
from app.domain.records import (
    AssessmentFields,
    ad8_assessment,
    care_level_assessment,
    check_past_date,
    fall_assessment,
    self_care_assessment,
    validate_allergy,
    validate_flags,
    validate_medication,
    validate_signing,
)
from app.services.authz import require
from app.store.models import Allergy, Assessment, Condition, Medication, Resident, Staff
from app.store.uow import UnitOfWork
from app.sync.clock import Timestamp

register(
    {
        "resident.not_found": {
            "zh_CN": "找不到居民“{key}”：请使用居民编号或 18 位身份证号",
            "en": "no resident “{key}”: give the resident's id or 18-character ID card number",
        },
        "record.not_found": {
            "zh_CN": "该条记录已不存在（可能已被删除）",
            "en": "this entry no longer exists (it may have been removed)",
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

Row = TypeVar("Row", bound=SQLModel)


class NotFound(DomainError):
    """A resident or an entry of the record does not exist (or was removed)."""


# --- what the record view shows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentDetails:
    """The record's header: identity, residence, signing, flags, and who changed it last."""

    id: str
    name: str
    sex: str
    birth_date: date
    id_number: str
    insurance_number: str
    phone: str
    institution_id: str
    institution_name: str
    building: str
    room: str
    bed: str
    admission_date: date | None
    status: str
    status_date: date | None
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    signed_on: date | None
    signed_doctor_id: str | None
    signed_doctor_name: str
    service_package: str
    record_number: str
    family_bed: bool
    family_bed_start: date | None
    family_bed_end: date | None
    hospice: bool
    ltc_insurance: bool
    care_level: int | None
    colour: str
    updated_by_name: str
    updated_at: datetime | None


@dataclass(frozen=True)
class PeriodEntry:
    """A stay in one bed — 居住记录."""

    id: str
    institution_name: str
    building: str
    room: str
    bed: str
    start_date: date
    end_date: date | None
    reason: str


@dataclass(frozen=True)
class StatusEntry:
    id: str
    status: str
    on_date: date
    note: str


@dataclass(frozen=True)
class ConditionItem:
    id: str
    code: str
    icd10: str
    name: str
    diagnosed_on: date | None
    active: bool


@dataclass(frozen=True)
class MedicationItem:
    id: str
    name: str
    dose: str
    frequency: str
    start_date: date | None
    stop_date: date | None

    def current_on(self, day: date) -> bool:
        """Whether the medication is taken on ``day`` (started, not yet stopped)."""
        return (self.start_date is None or self.start_date <= day) and (self.stop_date is None or self.stop_date >= day)


@dataclass(frozen=True)
class AllergyItem:
    id: str
    substance: str
    reaction: str


@dataclass(frozen=True)
class AssessmentItem:
    id: str
    kind: str
    assessed_on: date
    assessed_by_name: str
    score: int | None
    result: str
    items: dict[str, Any]
    notes: str


@dataclass(frozen=True)
class VisitItem:
    """One visit in the record's timeline (the latest version of a corrected visit)."""

    id: str
    visit_date: date
    outcome: str
    sbp: int | None
    dbp: int | None
    pulse: int | None
    temperature: float | None
    spo2: int | None
    glucose: float | None
    glucose_fasting: bool
    weight: float | None
    findings: str
    actions: str
    chronic_class: str
    recorded_by_name: str
    version: int


@dataclass(frozen=True)
class ResidentRecord:
    """Everything the resident record view shows, as plain values."""

    resident: ResidentDetails
    periods: list[PeriodEntry] = field(default_factory=list)
    statuses: list[StatusEntry] = field(default_factory=list)
    conditions: list[ConditionItem] = field(default_factory=list)
    medications: list[MedicationItem] = field(default_factory=list)
    allergies: list[AllergyItem] = field(default_factory=list)
    assessments: list[AssessmentItem] = field(default_factory=list)
    visits: list[VisitItem] = field(default_factory=list)


@dataclass(frozen=True)
class Saved:
    """What a save changed: the resident and the fields (or entry) written; empty when nothing changed."""

    resident_id: str
    changed: tuple[str, ...] = ()
    entry_id: str | None = None


@dataclass(frozen=True)
class StaffChoice:
    id: str
    name: str
    role: str
    team: str


# --- reading -----------------------------------------------------------------------------------------------


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _wall_time(clock: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(Timestamp.decode(clock).wall_ms / 1000, tz=timezone.utc)
    except ValueError:
        return None


_RESIDENT_SQL = (
    "SELECT r.id, r.name, r.sex, r.birth_date, r.id_number, r.insurance_number, r.phone, r.institution_id, "
    "i.name, r.building, r.room, r.bed, r.admission_date, r.status, r.status_date, r.guardian_name, "
    "r.guardian_relation, r.guardian_phone, r.signed_on, r.signed_doctor_id, COALESCE(d.name, ''), "
    "r.service_package, r.record_number, r.family_bed, r.family_bed_start, r.family_bed_end, r.hospice, "
    "r.ltc_insurance, r.care_level, r.colour, COALESCE(u.name, ''), r.updated_at "
    "FROM resident r JOIN institution i ON i.id = r.institution_id "
    "LEFT JOIN staff d ON d.id = r.signed_doctor_id LEFT JOIN staff u ON u.id = r.updated_by "
    "WHERE r.id = :id AND r.deleted = 0"
)


def resident_details(uow: UnitOfWork, *, resident_id: str) -> ResidentDetails:
    """Return the header of a resident's record (inside an open unit of work).

    Raises:
        NotFound: there is no such resident.
    """
    rows = uow.fast_rows(_RESIDENT_SQL, {"id": resident_id})
    if not rows:
        raise NotFound("resident.not_found", key=resident_id)
    r = rows[0]
    return ResidentDetails(
        id=r[0], name=r[1], sex=r[2], birth_date=date.fromisoformat(r[3]), id_number=r[4], insurance_number=r[5],
        phone=r[6], institution_id=r[7], institution_name=r[8], building=r[9], room=r[10], bed=r[11],
        admission_date=_date(r[12]), status=r[13], status_date=_date(r[14]), guardian_name=r[15],
        guardian_relation=r[16], guardian_phone=r[17], signed_on=_date(r[18]), signed_doctor_id=r[19],
        signed_doctor_name=r[20], service_package=r[21], record_number=r[22], family_bed=bool(r[23]),
        family_bed_start=_date(r[24]), family_bed_end=_date(r[25]), hospice=bool(r[26]), ltc_insurance=bool(r[27]),
        care_level=r[28], colour=r[29], updated_by_name=r[30], updated_at=_wall_time(r[31]),
    )


def load_record(uow: UnitOfWork, *, resident_id: str) -> ResidentRecord:
    """Return a resident's whole record for the record view, newest entries first.

    Raises:
        NotFound: there is no such resident.
    """
    params = {"id": resident_id}
    with uow:
        details = resident_details(uow, resident_id=resident_id)
        periods = [
            PeriodEntry(row[0], row[1], row[2], row[3], row[4], date.fromisoformat(row[5]), _date(row[6]), row[7])
            for row in uow.fast_rows(
                "SELECT p.id, i.name, p.building, p.room, p.bed, p.start_date, p.end_date, p.reason "
                "FROM residenceperiod p JOIN institution i ON i.id = p.institution_id "
                "WHERE p.resident_id = :id AND p.deleted = 0 ORDER BY p.start_date DESC, p.created_at DESC",
                params,
            )
        ]
        statuses = [
            StatusEntry(row[0], row[1], date.fromisoformat(row[2]), row[3])
            for row in uow.fast_rows(
                "SELECT id, status, on_date, note FROM statuschange WHERE resident_id = :id AND deleted = 0 "
                "ORDER BY on_date DESC, created_at DESC",
                params,
            )
        ]
        conditions = [
            ConditionItem(row[0], row[1], row[2], row[3], _date(row[4]), bool(row[5]))
            for row in uow.fast_rows(
                "SELECT id, code, icd10, name, diagnosed_on, active FROM condition "
                "WHERE resident_id = :id AND deleted = 0 ORDER BY active DESC, diagnosed_on, name",
                params,
            )
        ]
        medications = [
            MedicationItem(row[0], row[1], row[2], row[3], _date(row[4]), _date(row[5]))
            for row in uow.fast_rows(
                "SELECT id, name, dose, frequency, start_date, stop_date FROM medication "
                "WHERE resident_id = :id AND deleted = 0 ORDER BY stop_date IS NOT NULL, stop_date DESC, name",
                params,
            )
        ]
        allergies = [
            AllergyItem(*row)
            for row in uow.fast_rows(
                "SELECT id, substance, reaction FROM allergy WHERE resident_id = :id AND deleted = 0 "
                "ORDER BY substance",
                params,
            )
        ]
        assessments = [
            AssessmentItem(
                row[0], row[1], date.fromisoformat(row[2]), row[3], row[4], row[5],
                json.loads(row[6]) if row[6] else {}, row[7],
            )
            for row in uow.fast_rows(
                "SELECT a.id, a.kind, a.assessed_on, COALESCE(s.name, ''), a.score, a.result, a.items, a.notes "
                "FROM assessment a LEFT JOIN staff s ON s.id = a.assessed_by "
                "WHERE a.resident_id = :id AND a.deleted = 0 ORDER BY a.assessed_on DESC, a.kind",
                params,
            )
        ]
        visit_rows = uow.fast_rows(
            "SELECT v.id, v.visit_date, v.outcome, v.sbp, v.dbp, v.pulse, v.temperature, v.spo2, v.glucose, "
            "v.glucose_fasting, v.weight, v.findings, v.actions, v.chronic_class, COALESCE(s.name, ''), v.version, "
            "v.corrects_id FROM visit v LEFT JOIN staff s ON s.id = v.recorded_by "
            "WHERE v.resident_id = :id AND v.deleted = 0 ORDER BY v.visit_date DESC, v.visited_at DESC",
            params,
        )
    corrected = {row[16] for row in visit_rows if row[16]}
    visits = [
        VisitItem(
            row[0], date.fromisoformat(row[1]), row[2], row[3], row[4], row[5], row[6], row[7], row[8], bool(row[9]),
            row[10], row[11], row[12], row[13], row[14], row[15],
        )
        for row in visit_rows
        if row[0] not in corrected
    ]
    return ResidentRecord(details, periods, statuses, conditions, medications, allergies, assessments, visits)


def list_doctors(uow: UnitOfWork) -> list[StaffChoice]:
    """Return the active family doctors, for the signing section, by team and name."""
    with uow:
        rows = uow.fast_rows(
            "SELECT s.id, s.name, s.role, COALESCE(t.name, '') FROM staff s LEFT JOIN team t ON t.id = s.team_id "
            "WHERE s.deleted = 0 AND s.active = 1 AND s.role = 'doctor' ORDER BY t.name, s.name"
        )
    return [StaffChoice(*row) for row in rows]


# --- writing: helpers shared by the resident services --------------------------------------------------------


def permit(uow: UnitOfWork, action: Action) -> None:
    """Check the signed-in staff member may do ``action`` (inside ``with uow``).

    A unit of work without an actor is the command line or a script run by whoever holds the database
    file; it is not asked (the desktop app always acts for the person signed in).

    Raises:
        PermissionDenied: the role may not do ``action``.
    """
    if uow.actor_id is not None:
        require(uow, action)


def get_live(uow: UnitOfWork, model: type[Row], row_id: str) -> Row:
    """Return the row ``row_id`` of ``model`` unless missing or removed (inside an open unit of work).

    Raises:
        NotFound: no such row, or it is a tombstone.
    """
    row = uow.session.get(model, row_id)
    if row is None or getattr(row, "deleted", False):
        raise NotFound("resident.not_found" if model is Resident else "record.not_found", key=row_id)
    return row


def apply_changes(uow: UnitOfWork, row: SQLModel, values: Mapping[str, object]) -> list[str]:
    """Set the attributes of ``row`` that differ from ``values``; stamp ``updated_by`` if any did.

    Returns:
        The names of the fields that changed.
    """
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed and hasattr(row, "updated_by"):
        row.updated_by = uow.actor_id
    uow.session.add(row)
    return changed


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
            signed_on=signed_on, doctor_id=doctor_id, service_package=service_package,
            birth_date=resident.birth_date, today=_today(today),
        )
        if signing.doctor_id is not None:
            doctor = uow.session.get(Staff, signing.doctor_id)
            if doctor is None or doctor.deleted or doctor.role != "doctor":
                raise NotFound("doctor.not_found")
        changed = apply_changes(
            uow, resident,
            {"signed_on": signing.signed_on, "signed_doctor_id": signing.doctor_id,
             "service_package": signing.service_package},
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
            uow, resident, family_bed=family_bed, family_bed_start=family_bed_start, family_bed_end=family_bed_end,
            hospice=hospice, ltc_insurance=ltc_insurance, care_level=care_level, today=_today(today),
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
    """Check and set the flags of ``resident`` inside an open unit of work; return the changed fields."""
    flags = validate_flags(
        family_bed=family_bed, family_bed_start=family_bed_start, family_bed_end=family_bed_end,
        hospice=hospice, ltc_insurance=ltc_insurance, care_level=care_level, today=today,
    )
    return apply_changes(
        uow, resident,
        {"family_bed": flags.family_bed, "family_bed_start": flags.family_bed_start,
         "family_bed_end": flags.family_bed_end, "hospice": flags.hospice, "ltc_insurance": flags.ltc_insurance,
         "care_level": flags.care_level},
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
        values = {"code": entry.code, "icd10": entry.icd10, "name": entry.name, "diagnosed_on": diagnosed_on,
                  "active": active}
        row = (
            _entry_of(uow, Condition, condition_id, resident_id) if condition_id
            else Condition(resident_id=resident_id, name=entry.name)
        )
        changed = apply_changes(uow, row, values)
        if condition_id is None:
            row.updated_by = uow.actor_id
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


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
) -> Saved:
    """Add or change a medication — 用药: name, dose, frequency, start and stop.

    Raises:
        ValidationError: no name, text too long, a stop before the start.
        NotFound: no such resident or medication.
    """
    fields = validate_medication(name=name, dose=dose, frequency=frequency, start_date=start_date, stop_date=stop_date)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        get_live(uow, Resident, resident_id)
        row = (
            _entry_of(uow, Medication, medication_id, resident_id) if medication_id
            else Medication(resident_id=resident_id, name=fields.name)
        )
        changed = apply_changes(
            uow, row,
            {"name": fields.name, "dose": fields.dose, "frequency": fields.frequency,
             "start_date": fields.start_date, "stop_date": fields.stop_date},
        )
        if medication_id is None:
            row.updated_by = uow.actor_id
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


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
            _entry_of(uow, Allergy, allergy_id, resident_id) if allergy_id
            else Allergy(resident_id=resident_id, substance=fields.substance)
        )
        changed = apply_changes(uow, row, {"substance": fields.substance, "reaction": fields.reaction})
        if allergy_id is None:
            row.updated_by = uow.actor_id
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


_ENTRY_MODELS: dict[str, type[SQLModel]] = {
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


# --- assessments --------------------------------------------------------------------------------------------


def _add_assessment(uow: UnitOfWork, resident_id: str, build: Any) -> Saved:
    with uow:
        permit(uow, Action.RECORD_VISITS)
        resident = get_live(uow, Resident, resident_id)
        fields: AssessmentFields = build(resident.birth_date)
        row = Assessment(
            resident_id=resident_id,
            kind=fields.kind.value,
            assessed_on=fields.assessed_on,
            assessed_by=uow.actor_id,
            score=fields.score,
            result=fields.result,
            items=json.dumps(fields.items, ensure_ascii=False) if fields.items else "",
            notes=fields.notes,
        )
        uow.session.add(row)
        changed: list[str] = ["assessment"]
        if fields.kind.value == "care_level" and _is_latest(uow, resident_id, "care_level", fields.assessed_on):
            changed += apply_changes(uow, resident, {"care_level": fields.score})
        uow.commit()
        return Saved(resident_id, tuple(changed), row.id)


def _is_latest(uow: UnitOfWork, resident_id: str, kind: str, on: date) -> bool:
    rows = uow.fast_rows(
        "SELECT MAX(assessed_on) FROM assessment WHERE resident_id = :id AND kind = :kind AND deleted = 0",
        {"id": resident_id, "kind": kind},
    )
    latest = rows[0][0] if rows else None
    return latest is None or on.isoformat() >= latest


def record_self_care(
    uow: UnitOfWork, *, resident_id: str, levels: Mapping[str, int], assessed_on: date, notes: str = "",
    today: date | None = None,
) -> Saved:
    """Record a self-care assessment (five items, levels 0–3); its score and band are worked out.

    Raises:
        ValidationError: a missing or bad item, a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow, resident_id,
        lambda born: self_care_assessment(levels, assessed_on=assessed_on, today=day, birth_date=born, notes=notes),
    )


def record_ad8(
    uow: UnitOfWork, *, resident_id: str, answers: Mapping[str, Ad8Input], assessed_on: date, notes: str = "",
    today: date | None = None,
) -> Saved:
    """Record an AD8 screen (eight yes/no/don't-know answers); ≥ 2 "yes" is positive.

    Raises:
        ValidationError: a missing or bad answer, a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow, resident_id,
        lambda born: ad8_assessment(answers, assessed_on=assessed_on, today=day, birth_date=born, notes=notes),
    )


def record_care_level(
    uow: UnitOfWork, *, resident_id: str, level: int, assessed_on: date, notes: str = "", today: date | None = None
) -> Saved:
    """Record an assessed care level 0–6; the newest one becomes the resident's care level.

    Raises:
        ValidationError: a level outside 0–6, a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow, resident_id,
        lambda born: care_level_assessment(level, assessed_on=assessed_on, today=day, birth_date=born, notes=notes),
    )


def record_fall(
    uow: UnitOfWork, *, resident_id: str, fell_on: date, injury: bool, notes: str = "", today: date | None = None
) -> Saved:
    """Record a fall — 跌倒 — on its date.

    Raises:
        ValidationError: a date in the future or before birth.
    """
    day = _today(today)
    return _add_assessment(
        uow, resident_id,
        lambda born: fall_assessment(assessed_on=fell_on, today=day, injury=injury, birth_date=born, notes=notes),
    )
