"""The resident's health record — 健康档案: read it whole.

:func:`load_record` reads what the record view shows (header, residence history, status changes,
conditions, medications, allergies, assessments, referrals), each section from one covering index (migration
0013). The visits are not part of it: the Visits tab reads their history, versions and chart itself
(:func:`app.services.visits.history.visit_history`).

Each section is saved as one action elsewhere: signing, flags, conditions, medications and allergies in
:mod:`app.services.records.sections`, assessments in :mod:`app.services.records.assessments`, with the checks
and bookkeeping they share in :mod:`app.services.editing`. Their names stay importable from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from app.services.editing import NotFound, Saved, apply_changes, get_live, permit
from app.services.records.assessments import (
    record_ad8,
    record_annual_check,
    record_care_level,
    record_fall,
    record_self_care,
)
from app.services.records.sections import (
    apply_flags,
    remove_entry,
    save_allergy,
    save_condition,
    save_flags,
    save_medication,
    save_signing,
)
from app.services.referrals import ReferralView, referral_view
from app.store.queries import records as queries
from app.store.queries import referrals as referral_queries
from app.store.uow import UnitOfWork
from app.sync.clock import Timestamp

__all__ = [
    "AllergyItem",
    "AssessmentItem",
    "ConditionItem",
    "MedicationItem",
    "NotFound",
    "PeriodEntry",
    "ResidentDetails",
    "ResidentRecord",
    "Saved",
    "StaffChoice",
    "StatusEntry",
    "apply_changes",
    "apply_flags",
    "get_live",
    "list_doctors",
    "load_record",
    "permit",
    "record_ad8",
    "record_annual_check",
    "record_care_level",
    "record_fall",
    "record_self_care",
    "remove_entry",
    "resident_details",
    "save_allergy",
    "save_condition",
    "save_flags",
    "save_medication",
    "save_signing",
]


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
    notes: str = ""  # e.g. that the ID number was converted from an old 15-digit one


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
    daily_quantity: Decimal | None = None
    """Units a day, for proxy refills (None: not followed)."""
    unit: str = ""

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
class ResidentRecord:
    """What the resident record view shows, as plain values (its Visits tab loads the visit history)."""

    resident: ResidentDetails
    periods: list[PeriodEntry] = field(default_factory=list)
    statuses: list[StatusEntry] = field(default_factory=list)
    conditions: list[ConditionItem] = field(default_factory=list)
    medications: list[MedicationItem] = field(default_factory=list)
    allergies: list[AllergyItem] = field(default_factory=list)
    assessments: list[AssessmentItem] = field(default_factory=list)
    referrals: list[ReferralView] = field(default_factory=list)  # newest last; open ones first


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


def resident_details(uow: UnitOfWork, *, resident_id: str) -> ResidentDetails:
    """Return the header of a resident's record (inside an open unit of work).

    Raises:
        NotFound: there is no such resident.
    """
    r = queries.resident_header(uow, resident_id)
    if r is None:
        raise NotFound("resident.not_found", key=resident_id)
    return ResidentDetails(
        id=r[0],
        name=r[1],
        sex=r[2],
        birth_date=date.fromisoformat(r[3]),
        id_number=r[4],
        insurance_number=r[5],
        phone=r[6],
        institution_id=r[7],
        institution_name=r[8],
        building=r[9],
        room=r[10],
        bed=r[11],
        admission_date=_date(r[12]),
        status=r[13],
        status_date=_date(r[14]),
        guardian_name=r[15],
        guardian_relation=r[16],
        guardian_phone=r[17],
        signed_on=_date(r[18]),
        signed_doctor_id=r[19],
        signed_doctor_name=r[20],
        service_package=r[21],
        record_number=r[22],
        family_bed=bool(r[23]),
        family_bed_start=_date(r[24]),
        family_bed_end=_date(r[25]),
        hospice=bool(r[26]),
        ltc_insurance=bool(r[27]),
        care_level=r[28],
        colour=r[29],
        updated_by_name=r[30],
        updated_at=_wall_time(r[31]),
        notes=r[32] or "",
    )


def load_record(uow: UnitOfWork, *, resident_id: str) -> ResidentRecord:
    """Return a resident's record for the record view, newest entries first (the visits: ``visit_history``).

    Raises:
        NotFound: there is no such resident.
    """
    with uow.reading() as uow:
        details = resident_details(uow, resident_id=resident_id)
        periods = [
            PeriodEntry(row[0], row[1], row[2], row[3], row[4], date.fromisoformat(row[5]), _date(row[6]), row[7])
            for row in queries.residence_periods(uow, resident_id)
        ]
        statuses = [
            StatusEntry(row[0], row[1], date.fromisoformat(row[2]), row[3])
            for row in queries.status_changes(uow, resident_id)
        ]
        conditions = [
            ConditionItem(row[0], row[1], row[2], row[3], _date(row[4]), bool(row[5]))
            for row in queries.conditions(uow, resident_id)
        ]
        medications = [
            MedicationItem(
                row[0],
                row[1],
                row[2],
                row[3],
                _date(row[4]),
                _date(row[5]),
                Decimal(str(row[6])).quantize(Decimal("0.01")) if row[6] is not None else None,
                row[7] or "",
            )
            for row in queries.medications(uow, resident_id)
        ]
        allergies = [AllergyItem(*row) for row in queries.allergies(uow, resident_id)]
        assessments = [
            AssessmentItem(
                row[0],
                row[1],
                date.fromisoformat(row[2]),
                row[3],
                row[4],
                row[5],
                json.loads(row[6]) if row[6] else {},
                row[7],
            )
            for row in queries.assessments(uow, resident_id)
        ]
        referral_rows = referral_queries.referrals(uow, institution_id=None, open_only=False, resident_id=resident_id)
    referrals = [referral_view(row, date.today()) for row in referral_rows]
    return ResidentRecord(details, periods, statuses, conditions, medications, allergies, assessments, referrals)


def list_doctors(uow: UnitOfWork) -> list[StaffChoice]:
    """Return the active family doctors, for the signing section, by team and name."""
    with uow.reading() as uow:
        rows = queries.active_doctors(uow)
    return [StaffChoice(*row) for row in rows]
