"""Dose changes made at a visit — 巡诊中的用药调整 that reach the refill list (issue 18, docs/homecare.md).

A visit may change the daily quantity of the resident's long-term medications (those with a daily quantity,
followed for proxy refills) or stop them (0). :func:`apply_dose_changes` writes each change through the
record's own path (:func:`app.services.records.sections.set_daily_quantity`) inside the visit's unit of work:
the audit trail records it, the run-out day and the refill list follow from the day it is saved, and a visit
that is refused changes no medication. Each change also adds a line to the visit's free text 用药调整.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.refills import MAX_DAILY_QUANTITY, parse_daily_quantity
from app.services.editing import permit
from app.services.records.sections import set_daily_quantity
from app.store.queries import beds as queries
from app.store.uow import UnitOfWork

register(
    {
        "visit.dose.stop": {
            "zh_CN": "停用 {name} (原每日 {old} {unit})",
            "en": "Stopped {name} (was {old} {unit} a day)",
        },
        "visit.dose.change": {
            "zh_CN": "{name} 每日用量 {old} → {new} {unit}",
            "en": "{name}: daily quantity {old} → {new} {unit}",
        },
        "visit.dose.unknown": {
            "zh_CN": "该居民没有名为“{name}”的长期用药（需已设每日用量、未停用）；可选：{names}",
            "en": "the resident has no long-term medication named “{name}” (a daily quantity set, not stopped); "
            "known: {names}",
        },
        "visit.dose.twice": {
            "zh_CN": "同一药物在一次巡诊中只能调整一次",
            "en": "a medication can be changed only once in a visit",
        },
        "visit.dose.format": {
            "zh_CN": "请写成 药名=每日用量（0 表示停用），例如 氨氯地平=2",
            "en": "write NAME=DAILY_QUANTITY (0 stops it), e.g. Amlodipine=2",
        },
    }
)


@dataclass(frozen=True)
class LongTermMedication:
    """A medication the visit form offers to change: followed for proxy refills, taken on the visit's day."""

    id: str
    name: str
    dose: str
    daily_quantity: Decimal
    unit: str


@dataclass(frozen=True)
class DoseChange:
    """A change asked for at a visit: the new daily quantity of a medication (0: stop it)."""

    medication_id: str
    daily_quantity: Decimal


def long_term_in_uow(uow: UnitOfWork, resident_id: str, day: date) -> list[LongTermMedication]:
    """Inside an open unit of work: the resident's live medications with a daily quantity above 0, taken on
    ``day`` (started on or before it, not stopped before it), by name."""
    found = []
    for medication_id, name, dose, _frequency, start, stop, daily, unit in queries.medications_of(uow, resident_id):
        if daily is None or Decimal(str(daily)) <= 0:
            continue
        if start is not None and str(start)[:10] > day.isoformat():
            continue
        if stop is not None and str(stop)[:10] < day.isoformat():
            continue
        quantity = Decimal(str(daily)).quantize(Decimal("0.01"))
        found.append(LongTermMedication(str(medication_id), str(name), str(dose or ""), quantity, str(unit or "")))
    return found


def long_term_medications(uow: UnitOfWork, *, resident_id: str, day: date) -> list[LongTermMedication]:
    """Return the medications the visit form offers to change (:func:`long_term_in_uow`)."""
    with uow.reading() as uow:
        return long_term_in_uow(uow, resident_id, day)


def parse_dose_options(uow: UnitOfWork, *, resident_id: str, options: Sequence[str], day: date) -> list[DoseChange]:
    """Return the changes written ``NAME=DAILY_QUANTITY`` (the command line's ``--medication``), a name matched
    exactly or as the one long-term medication containing it (case ignored).

    Raises:
        ValidationError: on ``medication`` for a malformed option, an unknown or ambiguous name, a medication
            given twice; on ``daily_quantity`` for a quantity that is not a number in [0, 100].
    """
    medications = long_term_medications(uow, resident_id=resident_id, day=day)
    names = "、".join(m.name for m in medications) or "—"
    changes: list[DoseChange] = []
    for option in options:
        name, equals, quantity = option.partition("=")
        if not equals or not name.strip():
            raise ValidationError("medication", option, "visit.dose.format")
        wanted = name.strip().casefold()
        exact = [m for m in medications if m.name.casefold() == wanted]
        found = exact or [m for m in medications if wanted in m.name.casefold()]
        if len(found) != 1:
            raise ValidationError("medication", name.strip(), "visit.dose.unknown", name=name.strip(), names=names)
        changes.append(DoseChange(found[0].id, parse_daily_quantity(quantity, stop=True)))
    return changes


def dose_lines(uow: UnitOfWork, resident_id: str, changes: Sequence[DoseChange], day: date) -> list[str]:
    """Inside an open unit of work: check the changes and return the line each adds to 用药调整 (a change to
    the quantity already set adds none).

    Raises:
        ValidationError: a medication that is not one of the resident's long-term ones, one changed twice, a
            quantity out of [0, 100].
    """
    known: Mapping[str, LongTermMedication] = {m.id: m for m in long_term_in_uow(uow, resident_id, day)}
    seen: set[str] = set()
    lines = []
    for change in changes:
        medication = known.get(change.medication_id)
        if medication is None:
            names = "、".join(m.name for m in known.values()) or "—"
            raise ValidationError(
                "medication", change.medication_id, "visit.dose.unknown", name=change.medication_id, names=names
            )
        if change.medication_id in seen:
            raise ValidationError("medication", medication.name, "visit.dose.twice")
        seen.add(change.medication_id)
        new = change.daily_quantity
        if not new.is_finite() or new < 0 or new > MAX_DAILY_QUANTITY:
            raise ValidationError("daily_quantity", str(new), "refill.error.daily_or_stop")
        if new == medication.daily_quantity:
            continue
        old = _number(medication.daily_quantity)
        if new == 0:
            lines.append(t("visit.dose.stop", name=medication.name, old=old, unit=medication.unit))
        else:
            lines.append(t("visit.dose.change", name=medication.name, old=old, new=_number(new), unit=medication.unit))
    return lines


def with_dose_lines(text: str, lines: Sequence[str]) -> str:
    """Return the free text 用药调整 with the lines of the dose changes after what was typed."""
    return "\n".join(part for part in (text.rstrip(), *lines) if part)


def apply_dose_changes(uow: UnitOfWork, resident_id: str, changes: Sequence[DoseChange], today: date) -> None:
    """Inside the visit's open writing unit of work: set each daily quantity from ``today`` through the
    record's path (the caller has checked them with :func:`dose_lines`).

    Raises:
        PermissionDenied: the signed-in role may not change the record (nurses: a doctor changes doses).
        ValidationError: as :func:`app.services.records.sections.save_medication` (0 for a medication that
            starts today).
    """
    if not changes:
        return
    permit(uow, Action.EDIT_RESIDENTS)
    for change in changes:
        set_daily_quantity(
            uow,
            resident_id=resident_id,
            medication_id=change.medication_id,
            daily_quantity=change.daily_quantity,
            today=today,
        )


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"
