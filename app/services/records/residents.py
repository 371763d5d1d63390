"""Residents — 居民: adding a resident, editing the identity, and ``resident edit`` from the command line.

Finding residents is in :mod:`app.services.records.search`, moves and changes of status in
:mod:`app.services.records.residence`; their names stay importable from here. Every change is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.records import (
    Bed,
    Identity,
    converted_id_note,
    parse_care_level,
    parse_flag,
    validate_bed,
    validate_identity,
)
from app.domain.residents import DEPARTED_STATUSES, PeriodReason, ResidentStatus, parse_status
from app.domain.validation import parse_date, validate_admission_date
from app.services.editing import Saved, apply_changes, get_live, permit
from app.services.institutions import find_institution
from app.services.records.residence import (
    apply_move,
    apply_status,
    change_status,
    correct_place,
    discharge_resident,
    live_institution,
    mark_deceased,
    save_residence,
)
from app.services.records.search import (
    CURRENT_STATUSES,
    ResidentRow,
    describe_resident,
    existing_id_numbers,
    refresh_search_text,
    resolve_resident,
    search_residents,
)
from app.services.records.sections import apply_flags
from app.store.models import ResidencePeriod, Resident
from app.store.queries import records as queries
from app.store.uow import UnitOfWork

__all__ = [
    "CURRENT_STATUSES",
    "DATE_FIELDS",
    "EDITABLE_FIELDS",
    "EditResult",
    "ResidentRow",
    "UnknownField",
    "add_resident",
    "apply_identity",
    "apply_move",
    "apply_status",
    "change_status",
    "check_edit_fields",
    "correct_place",
    "create_resident",
    "describe_resident",
    "discharge_resident",
    "edit_resident",
    "existing_id_numbers",
    "mark_deceased",
    "resolve_resident",
    "save_residence",
    "search_residents",
    "update_identity",
]

register(
    {
        "resident.duplicate": {
            "zh_CN": "中心已有此身份证号的居民：{resident}",
            "en": "a resident with this ID card number is already in the center: {resident}",
        },
    }
)


def _ensure_new_id_number(uow: UnitOfWork, id_number: str, *, except_id: str | None = None) -> None:
    for row in queries.residents_with_id_number(uow, id_number):
        if row[0] != except_id:
            raise ValidationError("id_number", id_number, "resident.duplicate", resident=describe_resident(*row[1:]))


def create_resident(
    uow: UnitOfWork,
    *,
    name: str,
    id_number: str,
    institution_id: str,
    birth_date: date | None = None,
    sex: str | None = None,
    insurance_number: str = "",
    phone: str = "",
    guardian_name: str = "",
    guardian_relation: str = "",
    guardian_phone: str = "",
    record_number: str = "",
    building: str = "",
    room: str = "",
    bed: str = "",
    admission_date: date | None = None,
    today: date | None = None,
) -> Saved:
    """Add a resident in residence at an institution; the stay starts on the admission date (or today).

    Raises:
        ValidationError: a field is not acceptable, or the ID card number is already in the center
            (the message names that resident).
    """
    day = today or date.today()
    identity = validate_identity(
        name=name,
        id_number=id_number,
        birth_date=birth_date,
        sex=sex,
        insurance_number=insurance_number,
        phone=phone,
        guardian_name=guardian_name,
        guardian_relation=guardian_relation,
        guardian_phone=guardian_phone,
        record_number=record_number,
        today=day,
    )
    place = validate_bed(building=building, room=room, bed=bed)
    if admission_date is not None:
        validate_admission_date(admission_date, birth_date=identity.birth_date, today=day)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        live_institution(uow, institution_id)
        _ensure_new_id_number(uow, identity.id_number)
        resident, period = add_resident(
            uow, identity, institution_id, place, admission_date, day, PeriodReason.ADMISSION
        )
        uow.session.flush()
        uow.session.add(period)
        uow.commit()
        return Saved(resident.id, ("created",))


def add_resident(
    uow: UnitOfWork,
    identity: Identity,
    institution_id: str,
    place: Bed,
    admission_date: date | None,
    today: date,
    reason: PeriodReason,
) -> tuple[Resident, ResidencePeriod]:
    """Add a checked resident inside an open unit of work; return it and its first residence period.

    The period is not added yet: the models have no ORM relationships, so the caller flushes the
    residents before adding their periods, which keeps the foreign keys satisfied.
    """
    resident = Resident(
        name=identity.name,
        sex=identity.sex,
        birth_date=identity.birth_date,
        id_number=identity.id_number,
        insurance_number=identity.insurance_number,
        phone=identity.phone,
        institution_id=institution_id,
        building=place.building,
        room=place.room,
        bed=place.bed,
        admission_date=admission_date,
        status=ResidentStatus.IN_RESIDENCE.value,
        guardian_name=identity.guardian_name,
        guardian_relation=identity.guardian_relation,
        guardian_phone=identity.guardian_phone,
        record_number=identity.record_number,
        notes=converted_id_note(identity),
        updated_by=uow.actor_id,
    )
    refresh_search_text(resident)
    uow.session.add(resident)
    period = ResidencePeriod(
        resident_id=resident.id,
        institution_id=institution_id,
        building=place.building,
        room=place.room,
        bed=place.bed,
        start_date=admission_date or today,
        reason=reason.value,
        updated_by=uow.actor_id,
    )
    return resident, period


def update_identity(
    uow: UnitOfWork,
    *,
    resident_id: str,
    name: str,
    id_number: str,
    birth_date: date | None = None,
    sex: str | None = None,
    insurance_number: str = "",
    phone: str = "",
    guardian_name: str = "",
    guardian_relation: str = "",
    guardian_phone: str = "",
    record_number: str = "",
    today: date | None = None,
) -> Saved:
    """Save the identity section: name, ID number (birth date and sex checked against it), contacts.

    Raises:
        ValidationError: a field is not acceptable, or another resident has this ID card number.
        NotFound: no such resident.
    """
    identity = validate_identity(
        name=name,
        id_number=id_number,
        birth_date=birth_date,
        sex=sex,
        insurance_number=insurance_number,
        phone=phone,
        guardian_name=guardian_name,
        guardian_relation=guardian_relation,
        guardian_phone=guardian_phone,
        record_number=record_number,
        today=today or date.today(),
    )
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        resident = get_live(uow, Resident, resident_id)
        changed = apply_identity(uow, resident, identity)
        uow.commit()
        return Saved(resident_id, tuple(changed))


def apply_identity(uow: UnitOfWork, resident: Resident, identity: Identity) -> list[str]:
    """Set a checked identity on ``resident`` inside an open unit of work; return the changed fields."""
    if identity.id_number != resident.id_number:
        _ensure_new_id_number(uow, identity.id_number, except_id=resident.id)
    changed = apply_changes(
        uow,
        resident,
        {
            "name": identity.name,
            "id_number": identity.id_number,
            "birth_date": identity.birth_date,
            "sex": identity.sex,
            "insurance_number": identity.insurance_number,
            "phone": identity.phone,
            "guardian_name": identity.guardian_name,
            "guardian_relation": identity.guardian_relation,
            "guardian_phone": identity.guardian_phone,
            "record_number": identity.record_number,
        },
    )
    note = converted_id_note(identity)
    if "id_number" in changed and note and note not in resident.notes:
        changed += apply_changes(uow, resident, {"notes": "\n".join(filter(None, (resident.notes, note)))})
    if {"name", "id_number"} & set(changed):
        refresh_search_text(resident)
    return changed


# --- the command line's ``resident edit`` ------------------------------------------------------------------

EDITABLE_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "id_number",
    "phone",
    "building",
    "room",
    "bed",
    "status",
    "institution",
    "family_bed",
    "hospice",
    "ltc_insurance",
    "care_level",
)
"""The fields ``resident edit --set FIELD=VALUE`` changes (DESIGN §7)."""

DATE_FIELDS = ("status_date", "family_bed_start", "family_bed_end")
"""Dates that go with the fields above: when a status change or a family bed took effect (default today)."""

_SHOWN = (
    "name",
    "sex",
    "birth_date",
    "id_number",
    "phone",
    "institution_id",
    "building",
    "room",
    "bed",
    "status",
    "status_date",
    "family_bed",
    "family_bed_start",
    "family_bed_end",
    "hospice",
    "ltc_insurance",
    "care_level",
)

register(
    {
        "edit.unknown_field": {
            "zh_CN": "没有可修改的字段“{field}”；可用字段：{fields}",
            "en": "there is no field “{field}” to edit; the fields are: {fields}",
        },
        "edit.no_fields": {
            "zh_CN": "请用 --set 字段=值 指定要修改的内容",
            "en": "give the changes as --set FIELD=VALUE",
        },
        "edit.status_date_alone": {
            "zh_CN": "只能与居住状态一起修改（例如 --set status=住院 --set status_date=2026-11-20）",
            "en": "goes with a status change (e.g. --set status=hospitalized --set status_date=2026-11-20)",
        },
    }
)


@dataclass(frozen=True)
class EditResult:
    """What ``resident edit`` changed: (field, old value, new value) for each changed field."""

    resident_id: str
    name: str
    changes: list[tuple[str, str, str]]


class UnknownField(DomainError):
    """``resident edit`` was asked to change a field it does not know, or nothing at all."""


def check_edit_fields(values: Mapping[str, str]) -> None:
    """Raise :class:`UnknownField` for an empty edit or a field ``resident edit`` does not know.

    Raises:
        UnknownField: no field, or one ``resident edit`` does not know.
        ValidationError: ``status_date`` without ``status`` (the date is that of a status change).
    """
    if not values:
        raise UnknownField("edit.no_fields")
    known = (*EDITABLE_FIELDS, *DATE_FIELDS)
    for name in values:
        if name not in known:
            raise UnknownField("edit.unknown_field", field=name, fields=", ".join(known))
    if "status_date" in values and "status" not in values:
        raise ValidationError("status_date", values["status_date"], "edit.status_date_alone")


def edit_resident(uow: UnitOfWork, *, key: str, values: Mapping[str, str], today: date | None = None) -> EditResult:
    """Change a resident's fields given as text (``--set FIELD=VALUE``), all in one transaction.

    Identity fields are checked together (birth date and sex must agree with the ID number, which
    supplies them when only the number changes); another institution is a move dated today, while a new
    building, room or bed in the same institution corrects the current stay in place (a typing error: no
    new residence period, so a status change can still be dated back); a status change is dated
    ``status_date`` (default today).

    Raises:
        ValidationError: an unknown field or a value that is not acceptable (nothing is written).
        NotFound: no such resident.
    """
    check_edit_fields(values)
    day = today or date.today()
    institution_id = find_institution(uow, name=values["institution"]).id if "institution" in values else None
    resident_id = resolve_resident(uow, key=key)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        resident = get_live(uow, Resident, resident_id)
        before = {name: getattr(resident, name) for name in _SHOWN}
        if {"name", "sex", "birth_date", "id_number", "phone"} & set(values):
            apply_identity(uow, resident, _edited_identity(resident, values, day))
        status = parse_status(values["status"]) if "status" in values else None
        status_date = parse_date(values["status_date"], field="status_date") if "status_date" in values else day
        leaving = status is not None and status in DEPARTED_STATUSES
        if status is not None and not leaving:
            apply_status(uow, resident, status, status_date, "", day)
        if {"institution", "building", "room", "bed"} & set(values):
            place = validate_bed(
                building=values.get("building", resident.building),
                room=values.get("room", resident.room),
                bed=values.get("bed", resident.bed),
            )
            if institution_id is not None and institution_id != resident.institution_id:
                apply_move(uow, resident, institution_id, place, day, day)  # another institution: a move today
            else:
                correct_place(uow, resident, place)  # a bed / room / building typo: the current stay, corrected
        if status is not None and leaving:
            apply_status(uow, resident, status, status_date, "", day)
        if {"family_bed", "hospice", "ltc_insurance", "care_level", "family_bed_start", "family_bed_end"} & set(values):
            _edit_flags(uow, resident, values, day)
        uow.commit()
        after = {name: getattr(resident, name) for name in _SHOWN}
        names = _institution_names(uow, {str(before["institution_id"]), str(after["institution_id"])})
    changes = [_change(name, before[name], after[name], names) for name in _SHOWN if before[name] != after[name]]
    return EditResult(resident_id, resident.name, changes)


def _edited_identity(resident: Resident, values: Mapping[str, str], today: date) -> Identity:
    return validate_identity(
        name=values.get("name", resident.name),
        id_number=values.get("id_number", resident.id_number),
        birth_date=parse_date(values["birth_date"], field="birth_date") if "birth_date" in values else None,
        sex=values.get("sex"),
        insurance_number=resident.insurance_number,
        phone=values.get("phone", resident.phone),
        guardian_name=resident.guardian_name,
        guardian_relation=resident.guardian_relation,
        guardian_phone=resident.guardian_phone,
        record_number=resident.record_number,
        today=today,
    )


def _edit_flags(uow: UnitOfWork, resident: Resident, values: Mapping[str, str], today: date) -> None:
    family_bed = parse_flag(values["family_bed"], field="family_bed") if "family_bed" in values else resident.family_bed
    start = resident.family_bed_start
    if "family_bed_start" in values:
        start = parse_date(values["family_bed_start"], field="family_bed_start")
    elif family_bed and not resident.family_bed:
        start = today  # opening a family bed from the command line: it starts today unless a date is given
    end = resident.family_bed_end
    if "family_bed_end" in values:
        end = parse_date(values["family_bed_end"], field="family_bed_end") if values["family_bed_end"] else None
    elif family_bed and not resident.family_bed:
        end = None
    elif not family_bed and resident.family_bed and end is None:
        end = today
    apply_flags(
        uow,
        resident,
        family_bed=family_bed,
        family_bed_start=start,
        family_bed_end=end,
        hospice=parse_flag(values["hospice"], field="hospice") if "hospice" in values else resident.hospice,
        ltc_insurance=(
            parse_flag(values["ltc_insurance"], field="ltc_insurance")
            if "ltc_insurance" in values
            else resident.ltc_insurance
        ),
        care_level=parse_care_level(values["care_level"]) if "care_level" in values else resident.care_level,
        today=today,
    )


def _institution_names(uow: UnitOfWork, ids: set[str]) -> dict[str, str]:
    return queries.institution_names(uow, ids)


def _change(name: str, old: object, new: object, institutions: Mapping[str, str]) -> tuple[str, str, str]:
    if name == "institution_id":
        return "institution", institutions.get(str(old), str(old)), institutions.get(str(new), str(new))
    return name, _shown(old), _shown(new)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("flag.yes") if value else t("flag.no")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
