"""Proxy refills — 代配药: each long-term medication's supply, the refill list of a round, dispensing.

- :func:`set_supply` gives a medication its daily quantity and unit (it becomes a long-term medication the
  refill list follows); :func:`record_dispense` records what the center dispensed for the home.
- :func:`refill_list` — before a round: whose medications run out on or before the home's next round, with
  the quantity to dispense (:mod:`app.domain.refills`). Stopped medications leave the list by themselves.
- :func:`supply_of` — a resident's long-term medications with the day each runs out (the record's flag).

Nurses and doctors record (``RECORD_REFILLS``); everyone may read and print the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.refills import REFILL_DAYS, check_dispense, check_unit, needs_refill, quantity_to_dispense, ran_out
from app.domain.residents import DEPARTED_STATUSES
from app.domain.search import bed_label
from app.printing.homecare_lists import RefillDocument, RefillEntry, build_refill_list
from app.printing.workbook import SheetTable
from app.services.editing import apply_changes, get_live, permit
from app.services.homecare.supply import supplies
from app.services.output_files import OutputKind, atomic_output, check_output
from app.services.printing import Printed
from app.services.rounds.calendar import agreements_of, round_calendars
from app.store.models import Medication, MedicationDispense, Resident
from app.store.queries import beds as queries
from app.store.queries import printing as printing_queries
from app.store.uow import UnitOfWork

DEFAULT_NEXT_ROUND_DAYS = 7
"""Without an agreement or a planned round ahead, the next round is taken to be a week later."""

register(
    {
        "refill.no_daily": {
            "zh_CN": "“{name}”没有每日用量，无法计算何时用完：请先填写每日用量",
            "en": "“{name}” has no daily quantity, so its run-out day is unknown: set the daily quantity first",
        },
        "refill.unknown_medication": {
            "zh_CN": "{resident}没有名为“{name}”的在用药物",
            "en": "{resident} takes no medication named “{name}”",
        },
        "refill.ambiguous_medication": {
            "zh_CN": "{resident}有多种药物与“{name}”相符：{names}",
            "en": "several of {resident}'s medications match “{name}”: {names}",
        },
        "refill.stopped": {
            "zh_CN": "“{name}”已于 {stop} 停用",
            "en": "“{name}” was stopped on {stop}",
        },
        "refill.departed": {
            "zh_CN": "{name}已于 {day} 离院（出院、转出或死亡），不能记录之后的配药",
            "en": "{name} left the home on {day} (discharged, transferred or died): no refill after that day",
        },
        "refill.future": {"zh_CN": "不能晚于今天（{today}）", "en": "not after today ({today})"},
        "refill.daily": {"zh_CN": "每日 {quantity}{unit}", "en": "{quantity} {unit} a day"},
    }
)


class RefillRefused(DomainError):
    """The dispensing cannot be recorded as asked (no daily quantity, no such medication, stopped)."""


@dataclass(frozen=True)
class SupplyLine:
    """A long-term medication and its supply as the refill list and the record show it."""

    medication_id: str
    resident_id: str
    resident_name: str
    institution: str
    bed: str
    medication: str
    dose: str
    frequency: str
    daily_quantity: Decimal
    unit: str
    last_dispensed: date | None
    runs_out: date | None
    ran_out: bool
    quantity: int
    """Units to dispense: enough for the refill period from the day it runs out."""


@dataclass(frozen=True)
class RefillList:
    """The refill list — 代配药清单 — of one home for one round."""

    institution_id: str
    institution: str
    round_date: date
    next_round: date
    lines: tuple[SupplyLine, ...]


def _lines(uow: UnitOfWork, rows: Sequence[tuple[object, ...]], today: date) -> list[SupplyLine]:
    held = supplies(uow, [(str(row[0]), str(row[1]), Decimal(str(row[10]))) for row in rows])
    lines = []
    for row in rows:
        (medication_id, resident_id, name, institution, building, room, bed, medication, dose, frequency) = row[:10]
        daily = Decimal(str(row[10]))
        supply = held[str(medication_id)]
        lines.append(
            SupplyLine(
                medication_id=str(medication_id),
                resident_id=str(resident_id),
                resident_name=str(name),
                institution=str(institution),
                bed=bed_label(str(building), str(room), str(bed)),
                medication=str(medication),
                dose=str(dose),
                frequency=str(frequency),
                daily_quantity=daily,
                unit=str(row[11]),
                last_dispensed=supply.last_dispensed,
                runs_out=supply.runs_out,
                ran_out=ran_out(supply.runs_out, today),
                quantity=quantity_to_dispense(daily),
            )
        )
    return lines


def next_round_after(uow: UnitOfWork, *, institution_id: str, day: date) -> date:
    """Return the home's next round after ``day``: planned or agreed, else a week later."""
    agreements = [a for a in agreements_of(uow) if a.institution_id == institution_id]
    calendars = round_calendars(uow, agreements, until=day + timedelta(days=35), virtual_from=day + timedelta(days=1))
    later = [d for d in calendars.get(institution_id, []) if d > day]
    return later[0] if later else day + timedelta(days=DEFAULT_NEXT_ROUND_DAYS)


def refill_list(uow: UnitOfWork, *, institution_id: str, day: date) -> RefillList:
    """Return the refill list of the home's round on ``day``: what runs out on or before its next round."""
    from app.store.queries import institutions

    with uow.reading() as uow:
        permit(uow, Action.VIEW_RECORDS)
        name = institutions.name_of(uow, institution_id) or ""
        next_round = next_round_after(uow, institution_id=institution_id, day=day)
        rows = queries.long_term_medications(uow, institution_id=institution_id, day=day.isoformat())
        lines = [line for line in _lines(uow, rows, day) if needs_refill(line.runs_out, next_round)]
    return RefillList(institution_id, name, day, next_round, tuple(lines))


def supply_of(uow: UnitOfWork, *, resident_id: str, today: date) -> list[SupplyLine]:
    """Return the resident's long-term medications taken today, each with the day it runs out."""
    with uow.reading() as uow:
        permit(uow, Action.VIEW_RECORDS)
        rows = queries.long_term_medications(uow, institution_id=None, day=today.isoformat(), resident_id=resident_id)
        return _lines(uow, rows, today)


def set_supply(uow: UnitOfWork, *, medication_id: str, daily_quantity: Decimal | None, unit: str = "") -> None:
    """Set a medication's daily quantity (None: no longer followed for refills) and its unit (片, 粒, …).

    Raises:
        PermissionDenied, NotFound, ValidationError (unit too long).
    """
    unit = _check_unit(unit)
    with uow:
        permit(uow, Action.RECORD_REFILLS)
        medication = get_live(uow, Medication, medication_id)
        value = float(daily_quantity) if daily_quantity is not None else None
        apply_changes(uow, medication, {"daily_quantity": value, "unit": unit or medication.unit})
        uow.commit()


def _check_unit(unit: str) -> str:
    return check_unit(unit)


def find_medication(uow: UnitOfWork, *, resident_id: str, name: str, resident_name: str = "") -> str:
    """Return the id of the resident's live medication named ``name`` (exactly, else the one containing it).

    Raises:
        RefillRefused: none matches, or several do.
    """
    wanted = name.strip().casefold()
    with uow.reading() as uow:
        rows = queries.medications_of(uow, resident_id)
    exact = [row for row in rows if str(row[1]).casefold() == wanted]
    found = exact or [row for row in rows if wanted and wanted in str(row[1]).casefold()]
    if not found:
        raise RefillRefused("refill.unknown_medication", resident=resident_name or resident_id, name=name)
    if len(found) > 1:
        names = "、".join(str(row[1]) for row in found)
        raise RefillRefused(
            "refill.ambiguous_medication", resident=resident_name or resident_id, name=name, names=names
        )
    return str(found[0][0])


def record_dispense(
    uow: UnitOfWork,
    *,
    medication_id: str,
    quantity: int,
    dispensed_on: date,
    today: date,
    collected_by: str = "",
    daily_quantity: Decimal | None = None,
    unit: str = "",
) -> date | None:
    """Record a refill dispensed for the home; return the day the medication now runs out.

    With ``daily_quantity`` the medication's daily quantity (and ``unit``) are set first, in the same
    transaction: a dispensing refused leaves them as they were.

    Raises:
        PermissionDenied: the signed-in person may not record refills (nurses and doctors may).
        NotFound: no such medication.
        RefillRefused: the medication has no daily quantity, or was stopped before ``dispensed_on``.
        ValidationError: quantity outside 1–10 000, collector's name too long, a day after today.
    """
    quantity, collected_by = check_dispense(quantity, collected_by)
    unit = _check_unit(unit)
    if dispensed_on > today:
        raise ValidationError("dispensed_on", dispensed_on.isoformat(), "refill.future", today=today.isoformat())
    with uow:
        permit(uow, Action.RECORD_REFILLS)
        medication = get_live(uow, Medication, medication_id)
        if daily_quantity is not None:
            apply_changes(uow, medication, {"daily_quantity": float(daily_quantity), "unit": unit or medication.unit})
        if medication.daily_quantity is None:
            raise RefillRefused("refill.no_daily", name=medication.name)
        if medication.stop_date is not None and medication.stop_date < dispensed_on:
            raise RefillRefused("refill.stopped", name=medication.name, stop=medication.stop_date.isoformat())
        resident = get_live(uow, Resident, medication.resident_id)
        left_on = resident.status_date
        if resident.status in DEPARTED_STATUSES and (left_on is None or left_on <= dispensed_on):
            left = resident.status_date.isoformat() if resident.status_date else "—"
            raise RefillRefused("refill.departed", name=resident.name, day=left)
        queries.add(
            uow,
            MedicationDispense(
                medication_id=medication.id,
                resident_id=medication.resident_id,
                dispensed_on=dispensed_on,
                quantity=quantity,
                collected_by=collected_by,
                recorded_by=uow.actor_id,
                updated_by=uow.actor_id,
            ),
        )
        uow.session.flush()
        daily = Decimal(str(medication.daily_quantity))
        uow.commit()
    with uow.reading() as reading:  # the change of daily quantity is in the audit trail once committed
        return supplies(reading, [(medication_id, medication.resident_id, daily)])[medication_id].runs_out


def print_refill_list(
    uow: UnitOfWork,
    *,
    institution_id: str,
    day: date,
    out: Path,
    now: datetime | None = None,
    force: bool = False,
    force_hint: bool = False,
) -> Printed:
    """Write the refill list — 代配药清单 — of the home's round on ``day`` as an A4 PDF to ``out``.

    Raises:
        OSError: ``out`` cannot be written. DomainError: ``out`` may not be replaced (see output_files).
    """
    listed = refill_list(uow, institution_id=institution_id, day=day)
    with uow.reading() as reading:
        center = printing_queries.center_name(reading)
    document = RefillDocument(
        center=center,
        institution=listed.institution,
        round_date=listed.round_date,
        next_round=listed.next_round,
        refill_days=REFILL_DAYS,
        printed_at=now or datetime.now(),
        entries=[
            RefillEntry(
                bed=line.bed,
                name=line.resident_name,
                medication=line.medication,
                usage=usage_text(line),
                runs_out=line.runs_out,
                ran_out=line.ran_out,
                quantity=f"{line.quantity} {line.unit}".strip(),
            )
            for line in listed.lines
        ],
    )
    target = check_output(
        Path(out), kind=OutputKind.PDF, database=uow.database.path, force=force, force_hint=force_hint
    )
    with atomic_output(target) as (_, temporary):
        pages = build_refill_list(document, temporary)
    return Printed(Path(out), pages, len(listed.lines))


def refill_sheet(uow: UnitOfWork, *, institution_id: str, day: date) -> SheetTable:
    """Return the refill list of the home's round on ``day`` as the shared exporter's table
    (:func:`app.services.reports.exports.export_list`, ``ListKind.REFILLS``): the page's and the PDF's lines,
    with the daily quantity and the quantity to dispense as numbers and the days as dates."""
    listed = refill_list(uow, institution_id=institution_id, day=day)
    keys = ("bed", "name", "medication", "dose", "frequency", "daily", "unit", "last", "runs_out", "state", "quantity")
    never, ran = t("refill_list.never"), t("refill.sheet.ran_out")
    return SheetTable(
        name=t("refill_list.title"),
        title=f"{t('refill_list.title')} {listed.institution}",
        headers=[t(f"refill.sheet.{key}") for key in keys],
        rows=[
            [
                line.bed,
                line.resident_name,
                line.medication,
                line.dose,
                line.frequency,
                float(line.daily_quantity),
                line.unit,
                line.last_dispensed,
                line.runs_out,
                never if line.runs_out is None else ran if line.ran_out else "",
                line.quantity,
            ]
            for line in listed.lines
        ],
        formats=["text", "text", "text", "text", "text", "general", "text", "date", "date", "text", "int"],
        notes=(
            t("refill.sheet.round", round=day.isoformat(), next=listed.next_round.isoformat()),
            t("refill_list.note", days=REFILL_DAYS),
        ),
    )


register(
    {
        "refill.sheet.bed": {"zh_CN": "床位", "en": "Bed"},
        "refill.sheet.name": {"zh_CN": "姓名", "en": "Name"},
        "refill.sheet.medication": {"zh_CN": "药品", "en": "Medication"},
        "refill.sheet.dose": {"zh_CN": "剂量", "en": "Dose"},
        "refill.sheet.frequency": {"zh_CN": "频次", "en": "Frequency"},
        "refill.sheet.daily": {"zh_CN": "每日用量", "en": "Daily quantity"},
        "refill.sheet.unit": {"zh_CN": "单位", "en": "Unit"},
        "refill.sheet.last": {"zh_CN": "末次配药", "en": "Last dispensed"},
        "refill.sheet.runs_out": {"zh_CN": "用完日期", "en": "Runs out"},
        "refill.sheet.state": {"zh_CN": "状态", "en": "State"},
        "refill.sheet.quantity": {"zh_CN": "配药数量", "en": "To dispense"},
        "refill.sheet.ran_out": {"zh_CN": "已断药", "en": "ran out"},
        "refill.sheet.round": {
            "zh_CN": "巡诊日 {round}，下次巡诊 {next}：列出在下次巡诊当日或之前用完的长期用药。",
            "en": "Round of {round}, next round {next}: the long-term medications that run out by the next round.",
        },
    }
)


def usage_text(line: SupplyLine) -> str:
    """Return how the medication is taken, as the list prints it: dose, frequency, units a day."""
    daily = t("refill.daily", quantity=f"{line.daily_quantity.normalize():f}", unit=line.unit)
    return "　".join(part for part in (line.dose, line.frequency, daily) if part)
