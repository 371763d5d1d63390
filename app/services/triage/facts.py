"""Triage facts — 分类依据: the residents in residence (all, one institution's, or a list) with the facts the
rules need, loaded in bulk (a handful of queries, never one per resident), and the bed order lists use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.colours import TriageColour
from app.domain.triage import (
    ResidentFacts,
    TriageRules,
    back_from_hospital,
)
from app.store.queries import triage as queries
from app.store.queries.triage import Scope
from app.store.uow import UnitOfWork

__all__ = ["ResidentInfo", "Scope", "Vitals", "bed_label", "bed_sort_key", "load_facts", "natural_key"]


@dataclass(frozen=True)
class ResidentInfo:
    """Who a resident is and where they live: what lists show next to a colour."""

    id: str
    name: str
    sex: str
    birth_date: date
    institution_id: str
    building: str
    room: str
    bed: str
    colour: TriageColour
    suggested_colour: TriageColour
    phone: str = ""

    @property
    def bed_label(self) -> str:
        return bed_label(self.building, self.room, self.bed)


def bed_label(building: str, room: str, bed: str) -> str:
    """Return building, room and bed as one label, e.g. ``A-201-2``."""
    return "-".join(part for part in (building, room, bed) if part)


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def load_facts(
    uow: UnitOfWork, *, scope: Scope, today: date, rules: TriageRules
) -> dict[str, tuple[ResidentInfo, ResidentFacts]]:
    """Return the residents in residence within ``scope`` with the facts the rules need (inside ``with uow``).

    Six queries whatever the number of residents. Visits are read newest first; a visit that a later
    version corrects (``corrects_id``) is skipped.
    """
    residents = queries.residents(uow, scope)
    assessments: dict[tuple[str, str], tuple[date, int | None]] = {}
    for resident_id, kind, on, score in queries.latest_assessments(uow, scope):
        assessments[(resident_id, kind)] = (date.fromisoformat(on), score)
    conditions: dict[str, list[str]] = {}
    for resident_id, code, name in queries.active_conditions(uow, scope):
        conditions.setdefault(resident_id, []).append(code or name)
    referrals: dict[str, tuple[date, str]] = {}
    for resident_id, opened, destination in queries.open_referrals(uow, scope):
        referrals[resident_id] = (date.fromisoformat(opened), destination)  # the newest open one
    referral_days: dict[str, tuple[date | None, date | None]] = {}
    for resident_id, last_opened, returned in queries.referral_days(uow, scope):
        referral_days[resident_id] = (_date(last_opened), _date(returned))
    changes: dict[str, list[tuple[date, str]]] = {}
    for resident_id, on, status in queries.status_changes(uow, scope):
        changes.setdefault(resident_id, []).append((date.fromisoformat(on), status))
    vitals = _latest_vitals(uow, scope, max(2, rules.red.not_controlled_in_a_row))

    result: dict[str, tuple[ResidentInfo, ResidentFacts]] = {}
    for row in residents:
        (
            resident_id,
            name,
            sex,
            birth,
            institution_id,
            building,
            room,
            bed,
            colour,
            suggested,
            hospice,
            family_bed,
            bed_start,
            bed_end,
            care_level,
            phone,
        ) = row
        info = ResidentInfo(
            resident_id,
            name,
            sex,
            date.fromisoformat(birth),
            institution_id,
            building,
            room,
            bed,
            TriageColour(colour),
            TriageColour(suggested),
            phone or "",
        )
        codes = tuple(conditions.get(resident_id, ()))
        self_care = assessments.get((resident_id, "self_care"))
        ad8 = assessments.get((resident_id, "ad8"))
        fall = assessments.get((resident_id, "fall"))
        last_bp, last_glucose, classes, follow_ups, readings = vitals.get(resident_id, _NO_VITALS)
        last_opened, returned = referral_days.get(resident_id, (None, None))
        # a referral opened on or after the latest AD8 counts as its "referral for diagnosis" (DOMAIN §5)
        referred_after_ad8 = ad8 is not None and last_opened is not None and last_opened >= ad8[0]
        facts = ResidentFacts(
            birth_date=info.birth_date,
            in_residence=True,
            self_care_score=self_care[1] if self_care else None,
            care_level=care_level,
            hospice=bool(hospice),
            family_bed=bool(family_bed),
            family_bed_start=_date(bed_start),
            family_bed_end=_date(bed_end),
            last_bp=last_bp,
            last_glucose=last_glucose,
            chronic_classes=classes,
            follow_ups=follow_ups,
            last_spo2=readings[0],
            last_temperature=readings[1],
            last_pulse=readings[2],
            open_referral=referrals.get(resident_id),
            back_from_hospital=back_from_hospital(changes.get(resident_id, ())),
            referral_returned=returned,
            ad8_score=ad8[1] if ad8 else None,
            dementia_diagnosed="dementia" in codes or referred_after_ad8,
            conditions=codes,
            last_fall=fall[0] if fall else None,
        )
        result[resident_id] = (info, facts)
    return result


Reading = tuple[date, Any] | None
Vitals = tuple[
    tuple[date, int, int] | None,
    tuple[date, float] | None,
    tuple[str, ...],
    tuple[tuple[str, tuple[str, ...]], ...],
    tuple[Reading, Reading, Reading],
]
_NO_VITALS: Vitals = (None, None, (), (), (None, None, None))


def _reading(text: str | None, kind: type) -> Reading:
    if not text:
        return None
    day, _, value = text.partition("|")
    return date.fromisoformat(day[:10]), kind(float(value)) if kind is int else kind(value)


def _latest_vitals(uow: UnitOfWork, scope: Scope, classes_wanted: int) -> dict[str, Vitals]:
    """Return per resident (of ``scope``) the last BP, the last glucose, the last chronic classifications (the
    visit's, and per disease), newest first, and the last SpO2, temperature and pulse, leaving out visits a
    later version corrects (:func:`queries.latest_vitals`).
    """
    result: dict[str, Vitals] = {}
    day = date.fromisoformat
    for row in queries.latest_vitals(uow, scope, classes_wanted):
        resident_id, bp_day, sbp, dbp, glucose_day, glucose, classes, hypertension, diabetes, spo2, temp, pulse = row
        follow_ups = tuple(
            (disease, tuple(found.split(",")))
            for disease, found in (("hypertension", hypertension), ("diabetes", diabetes))
            if found
        )
        result[resident_id] = (
            (day(bp_day), sbp, dbp) if bp_day is not None else None,
            (day(glucose_day), glucose) if glucose_day is not None else None,
            tuple(classes.split(",")) if classes else (),
            follow_ups,
            (_reading(spo2, int), _reading(temp, float), _reading(pulse, int)),
        )
    return result


def bed_sort_key(resident: Any) -> tuple[Any, ...]:
    """Return a key ordering residents by building, room and bed, numbers by value (2 before 10)."""
    return (natural_key(resident.building), natural_key(resident.room), natural_key(resident.bed), resident.name)


def natural_key(text: str) -> tuple[tuple[int, Any], ...]:
    """Return a key that orders "2" before "10" and "A2" before "A10"."""
    parts: list[tuple[int, Any]] = []
    number = ""
    word = ""
    for char in text:
        if char.isdigit():
            if word:
                parts.append((1, word))
                word = ""
            number += char
        else:
            if number:
                parts.append((0, int(number)))
                number = ""
            word += char
    if number:
        parts.append((0, int(number)))
    if word:
        parts.append((1, word))
    return tuple(parts)
