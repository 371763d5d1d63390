"""Residents: lists and search as you type; adding, editing, moving, discharging, marking deceased.

Search matches the name, pinyin, bed or last ID digits. Every change is one transaction and keeps its
history: a move between beds or institutions closes the current residence period and opens a new one;
a change of status is added to the status history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlmodel import col, select

from app.domain.colours import TriageColour
from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.idcard import normalize_id_number
from app.domain.permissions import Action
from app.domain.records import (
    NOTE_TEXT,
    Bed,
    Identity,
    clean,
    parse_care_level,
    parse_flag,
    validate_bed,
    validate_identity,
)
from app.domain.residents import (
    DEPARTED_STATUSES,
    PeriodReason,
    ResidentStatus,
    check_move,
    check_status_change,
    parse_status,
)
from app.domain.search import bed_label, normalize_query, search_text
from app.domain.validation import parse_date, validate_admission_date
from app.services.institutions import find_institution
from app.services.records import NotFound, Saved, apply_changes, apply_flags, get_live, permit
from app.store.models import Institution, ResidencePeriod, Resident, StatusChange
from app.store.uow import UnitOfWork

register(
    {
        "resident.described": {"zh_CN": "{name}（{where}，{status}）", "en": "{name} ({where}, {status})"},
        "resident.duplicate": {
            "zh_CN": "中心已有此身份证号的居民：{resident}",
            "en": "a resident with this ID card number is already in the center: {resident}",
        },
        "institution.unknown": {"zh_CN": "找不到该机构", "en": "no such institution"},
        "move.departed": {
            "zh_CN": "居民已{status}，不能调换床位；如再次入住，请先把状态改为“在住”",
            "en": "the resident is {status} and cannot move bed; to readmit, set the status to in residence first",
        },
    }
)

CURRENT_STATUSES = (ResidentStatus.IN_RESIDENCE, ResidentStatus.HOSPITALIZED)


class ResidentRow(NamedTuple):
    """One line of the resident list; raw values, formatted by whoever shows them."""

    id: str
    name: str
    sex: str
    birth_date: str  # ISO date
    institution: str
    building: str
    room: str
    bed: str
    colour: str
    status: str
    id_number: str

    def age_on(self, today: date) -> int:
        born = date.fromisoformat(self.birth_date)
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_residents(
    uow: UnitOfWork,
    *,
    text: str = "",
    institution_id: str | None = None,
    colour: TriageColour | None = None,
    statuses: Sequence[ResidentStatus] | None = CURRENT_STATUSES,
    limit: int | None = None,
) -> list[ResidentRow]:
    """Return residents matching the typed text and filters, ordered by institution and bed.

    Args:
        text: any part of the name, pinyin initials ("zhl") or full pinyin ("zhanghongli"), the bed
            ("201-2") or the last digits of the ID number; a whole 18-character ID number matches exactly.
        institution_id: only this institution.
        colour: only this confirmed colour.
        statuses: residence statuses to include (None = all).
        limit: at most this many rows.
    """
    # With an institution chosen, its (institution_id, colour) index narrows the rows most; the unary "+"
    # keeps SQLite from preferring the (deleted, status, search_text) index, which would read every resident.
    plus = "+" if institution_id else ""
    where = [f"{plus}r.deleted = 0"]
    params: dict[str, object] = {}
    query = normalize_query(text)
    if query:
        if len(query) == 18 and query[:17].isdigit():
            where.append("r.id_number = :id_number")
            params["id_number"] = query.upper()
        else:
            where.append("r.search_text LIKE :q ESCAPE '\\'")
            params["q"] = _like_pattern(query)
    if institution_id:
        where.append("r.institution_id = :institution_id")
        params["institution_id"] = institution_id
    if colour:
        where.append("r.colour = :colour")
        params["colour"] = colour.value
    if statuses is not None:
        names = []
        for index, status in enumerate(statuses):
            params[f"s{index}"] = status.value
            names.append(f":s{index}")
        where.append(f"{plus}r.status IN ({', '.join(names)})")
    sql = (
        "SELECT r.id, r.name, r.sex, r.birth_date, i.name, r.building, r.room, r.bed, r.colour, "
        "r.status, r.id_number FROM resident r JOIN institution i ON i.id = r.institution_id "
        f"WHERE {' AND '.join(where)} ORDER BY i.name, r.building, r.room, r.bed, r.name"
    )
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    with uow:
        return list(map(ResidentRow._make, uow.fast_rows(sql, params)))


# --- adding and editing residents ------------------------------------------------------------------------


def describe_resident(name: str, institution: str, building: str, room: str, bed: str, status: str) -> str:
    """Return how messages name a resident: ``张红丽（康宁养老院 A-101-1，在住）``."""
    where = " ".join(part for part in (institution, bed_label(building, room, bed)) if part)
    try:
        status_text = ResidentStatus(status).label
    except ValueError:
        status_text = status
    return t("resident.described", name=name, where=where, status=status_text)


def _ensure_new_id_number(uow: UnitOfWork, id_number: str, *, except_id: str | None = None) -> None:
    rows = uow.fast_rows(
        "SELECT r.id, r.name, i.name, r.building, r.room, r.bed, r.status FROM resident r "
        "JOIN institution i ON i.id = r.institution_id WHERE r.id_number = :n AND r.deleted = 0",
        {"n": id_number},
    )
    for row in rows:
        if row[0] != except_id:
            raise ValidationError("id_number", id_number, "resident.duplicate", resident=describe_resident(*row[1:]))


def existing_id_numbers(uow: UnitOfWork, numbers: Iterable[str]) -> dict[str, str]:
    """Return ``{ID card number: description}`` for those of ``numbers`` already in the center."""
    wanted = sorted(set(numbers))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join(f":n{i}" for i in range(len(chunk)))
        for row in uow.fast_rows(
            "SELECT r.id_number, r.name, i.name, r.building, r.room, r.bed, r.status FROM resident r "
            f"JOIN institution i ON i.id = r.institution_id WHERE r.deleted = 0 AND r.id_number IN ({marks})",
            {f"n{i}": number for i, number in enumerate(chunk)},
        ):
            found.setdefault(row[0], describe_resident(*row[1:]))
    return found


def resolve_resident(uow: UnitOfWork, *, key: str) -> str:
    """Return the id of the resident named by ``key``: the resident's id or ID card number.

    Raises:
        NotFound: no such resident.
    """
    text = key.strip()
    with uow:
        if text and uow.session.get(Resident, text) is not None:
            row = uow.session.get(Resident, text)
            if row is not None and not row.deleted:
                return row.id
        number = normalize_id_number(text)
        rows = uow.fast_rows(
            "SELECT id FROM resident WHERE id_number = :n AND deleted = 0 ORDER BY created_at", {"n": number}
        )
    if not rows:
        raise NotFound("resident.not_found", key=key)
    return str(rows[0][0])


def _institution(uow: UnitOfWork, institution_id: str) -> Institution:
    institution = uow.session.get(Institution, institution_id)
    if institution is None or institution.deleted:
        raise ValidationError("institution", institution_id, "institution.unknown")
    return institution


def _refresh_search_text(resident: Resident) -> None:
    resident.search_text = search_text(
        name=resident.name, building=resident.building, room=resident.room, bed=resident.bed,
        id_number=resident.id_number,
    )


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
        name=name, id_number=id_number, birth_date=birth_date, sex=sex, insurance_number=insurance_number,
        phone=phone, guardian_name=guardian_name, guardian_relation=guardian_relation,
        guardian_phone=guardian_phone, record_number=record_number, today=day,
    )
    place = validate_bed(building=building, room=room, bed=bed)
    if admission_date is not None:
        validate_admission_date(admission_date, birth_date=identity.birth_date, today=day)
    with uow:
        permit(uow, Action.EDIT_RESIDENTS)
        _institution(uow, institution_id)
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
        name=identity.name, sex=identity.sex, birth_date=identity.birth_date, id_number=identity.id_number,
        insurance_number=identity.insurance_number, phone=identity.phone, institution_id=institution_id,
        building=place.building, room=place.room, bed=place.bed, admission_date=admission_date,
        status=ResidentStatus.IN_RESIDENCE.value, guardian_name=identity.guardian_name,
        guardian_relation=identity.guardian_relation, guardian_phone=identity.guardian_phone,
        record_number=identity.record_number, updated_by=uow.actor_id,
    )
    _refresh_search_text(resident)
    uow.session.add(resident)
    period = ResidencePeriod(
        resident_id=resident.id, institution_id=institution_id, building=place.building, room=place.room,
        bed=place.bed, start_date=admission_date or today, reason=reason.value, updated_by=uow.actor_id,
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
        name=name, id_number=id_number, birth_date=birth_date, sex=sex, insurance_number=insurance_number,
        phone=phone, guardian_name=guardian_name, guardian_relation=guardian_relation,
        guardian_phone=guardian_phone, record_number=record_number, today=today or date.today(),
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
        uow, resident,
        {"name": identity.name, "id_number": identity.id_number, "birth_date": identity.birth_date,
         "sex": identity.sex, "insurance_number": identity.insurance_number, "phone": identity.phone,
         "guardian_name": identity.guardian_name, "guardian_relation": identity.guardian_relation,
         "guardian_phone": identity.guardian_phone, "record_number": identity.record_number},
    )
    if {"name", "id_number"} & set(changed):
        _refresh_search_text(resident)
    return changed


def _open_period(uow: UnitOfWork, resident_id: str) -> ResidencePeriod | None:
    periods = uow.session.exec(
        select(ResidencePeriod).where(
            ResidencePeriod.resident_id == resident_id,
            ResidencePeriod.deleted == False,
            col(ResidencePeriod.end_date).is_(None),
        )
    ).all()
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
    _institution(uow, institution_id)
    if ResidentStatus(resident.status) in DEPARTED_STATUSES:
        raise ValidationError("bed", bed_label(place.building, place.room, place.bed), "move.departed",
                              status=ResidentStatus(resident.status).label.lower())
    period = _open_period(uow, resident.id)
    check_move(on_date=on_date, today=today, current_start=period.start_date if period else None)
    reason = PeriodReason.INSTITUTION_MOVE if institution_id != resident.institution_id else PeriodReason.BED_MOVE
    if period is not None:
        apply_changes(uow, period, {"end_date": on_date})
    uow.session.add(
        ResidencePeriod(
            resident_id=resident.id, institution_id=institution_id, building=place.building, room=place.room,
            bed=place.bed, start_date=on_date, reason=reason.value, updated_by=uow.actor_id,
        )
    )
    changed = apply_changes(uow, resident, values)
    _refresh_search_text(resident)
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
    last = uow.fast_rows(
        "SELECT MAX(on_date) FROM statuschange WHERE resident_id = :id AND deleted = 0", {"id": resident.id}
    )[0][0]
    period = _open_period(uow, resident.id)
    starts = (
        resident.admission_date, date.fromisoformat(last) if last else None, period.start_date if period else None
    )
    bounds = [d for d in starts if d is not None]
    check_status_change(current, status, on_date=on_date, today=today, not_before=max(bounds) if bounds else None)
    note_text = clean(note, field="status_note", maximum=NOTE_TEXT)
    uow.session.add(
        StatusChange(resident_id=resident.id, status=status.value, on_date=on_date, note=note_text,
                     updated_by=uow.actor_id)
    )
    values: dict[str, object] = {"status": status.value, "status_date": on_date}
    if status in DEPARTED_STATUSES:
        if period is not None:
            apply_changes(uow, period, {"end_date": on_date})
        if resident.family_bed:
            values.update(family_bed=False, family_bed_end=on_date)
    elif current in DEPARTED_STATUSES:
        values["admission_date"] = on_date
        uow.session.add(
            ResidencePeriod(
                resident_id=resident.id, institution_id=resident.institution_id, building=resident.building,
                room=resident.room, bed=resident.bed, start_date=on_date, reason=PeriodReason.READMISSION.value,
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


# --- the command line's ``resident edit`` ------------------------------------------------------------------

EDITABLE_FIELDS = (
    "name", "sex", "birth_date", "id_number", "phone", "building", "room", "bed", "status", "institution",
    "family_bed", "hospice", "ltc_insurance", "care_level",
)
"""The fields ``resident edit --set FIELD=VALUE`` changes (DESIGN §7)."""

DATE_FIELDS = ("status_date", "family_bed_start", "family_bed_end")
"""Dates that go with the fields above: when a status change or a family bed took effect (default today)."""

_SHOWN = ("name", "sex", "birth_date", "id_number", "phone", "institution_id", "building", "room", "bed", "status",
          "status_date", "family_bed", "family_bed_start", "family_bed_end", "hospice", "ltc_insurance", "care_level")

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
    """Raise :class:`UnknownField` for an empty edit or a field ``resident edit`` does not know."""
    if not values:
        raise UnknownField("edit.no_fields")
    known = (*EDITABLE_FIELDS, *DATE_FIELDS)
    for name in values:
        if name not in known:
            raise UnknownField("edit.unknown_field", field=name, fields=", ".join(known))


def edit_resident(
    uow: UnitOfWork, *, key: str, values: Mapping[str, str], today: date | None = None
) -> EditResult:
    """Change a resident's fields given as text (``--set FIELD=VALUE``), all in one transaction.

    Identity fields are checked together (birth date and sex must agree with the ID number, which
    supplies them when only the number changes); a new bed or institution is a move dated today; a
    status change is dated ``status_date`` (default today).

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
                building=values.get("building", resident.building), room=values.get("room", resident.room),
                bed=values.get("bed", resident.bed),
            )
            apply_move(uow, resident, institution_id or resident.institution_id, place, day, day)
        if status is not None and leaving:
            apply_status(uow, resident, status, status_date, "", day)
        if {"family_bed", "hospice", "ltc_insurance", "care_level", "family_bed_start", "family_bed_end"} & set(
            values
        ):
            _edit_flags(uow, resident, values, day)
        uow.commit()
        after = {name: getattr(resident, name) for name in _SHOWN}
        names = _institution_names(uow, {str(before["institution_id"]), str(after["institution_id"])})
    changes = [
        _change(name, before[name], after[name], names) for name in _SHOWN if before[name] != after[name]
    ]
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
        uow, resident,
        family_bed=family_bed, family_bed_start=start, family_bed_end=end,
        hospice=parse_flag(values["hospice"], field="hospice") if "hospice" in values else resident.hospice,
        ltc_insurance=(
            parse_flag(values["ltc_insurance"], field="ltc_insurance") if "ltc_insurance" in values
            else resident.ltc_insurance
        ),
        care_level=parse_care_level(values["care_level"]) if "care_level" in values else resident.care_level,
        today=today,
    )


def _institution_names(uow: UnitOfWork, ids: set[str]) -> dict[str, str]:
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    params = {f"i{n}": i for n, i in enumerate(ids)}
    return dict(uow.fast_rows(f"SELECT id, name FROM institution WHERE id IN ({marks})", params))


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
