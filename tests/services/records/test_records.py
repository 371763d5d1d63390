"""The resident record: add, edit, move, discharge, mark deceased, sections saved one action at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain import i18n
from app.domain.errors import ValidationError
from app.domain.residents import ResidentStatus
from app.services.editing import NotFound, Saved
from app.services.institutions import save_institution
from app.services.records.assessments import record_ad8, record_care_level, record_fall, record_self_care
from app.services.records.load import ResidentRecord, list_doctors, load_record
from app.services.records.residence import change_status, discharge_resident, mark_deceased, save_residence
from app.services.records.residents import create_resident, edit_resident, update_identity
from app.services.records.search import resolve_resident, search_residents
from app.services.records.sections import (
    remove_entry,
    save_allergy,
    save_condition,
    save_flags,
    save_medication,
    save_signing,
)
from app.store.models import ResidencePeriod, Resident, Staff, StatusChange, Team

TODAY = date(2026, 11, 16)
NUMBER = "11010519491231002X"
OTHER = "110105194912310046"  # also valid: a woman born 1949-12-31


@pytest.fixture
def world(context: AppContext) -> dict[str, str]:
    """A team, a doctor (signed in), two institutions."""
    with context.uow() as uow:
        team = Team(name="第一家庭医生团队")
        uow.session.add(team)
        uow.session.flush()
        doctor = Staff(name="周海燕", role="doctor", login="doctor1", password_hash="x", team_id=team.id)
        nurse = Staff(name="陈立群", role="nurse", login="nurse1", password_hash="x", team_id=team.id)
        uow.session.add_all([doctor, nurse])
        uow.commit()
        ids = {"team": team.id, "doctor": doctor.id, "nurse": nurse.id}
    ids["home"] = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=220)
    ids["other_home"] = save_institution(context.uow(), name="枫林敬老院", kind="nursing_home", beds=120)
    context.actor_id = ids["doctor"]
    return ids


def add(context: AppContext, world: dict[str, str], **changes: object) -> str:
    values: dict[str, object] = {
        "name": "张红丽",
        "id_number": NUMBER,
        "institution_id": world["home"],
        "building": "A",
        "room": "101",
        "bed": "1",
        "admission_date": date(2020, 1, 5),
        "today": TODAY,
        **changes,
    }
    return create_resident(context.uow(), **values).resident_id  # type: ignore[arg-type]


def save_and_reload(
    context: AppContext, save: Callable[..., Saved], resident_id: str, **values: object
) -> tuple[Saved, ResidentRecord]:
    """Save one section of the resident's record, then read the record back as the record view does."""
    saved = save(context.uow(), resident_id=resident_id, **values)
    return saved, load_record(context.uow(), resident_id=resident_id)


def test_a_new_resident_gets_birth_date_sex_bed_history_search_and_who_changed_it(
    context: AppContext, world: dict[str, str]
) -> None:
    resident_id = add(
        context, world, id_number="11010519491231002x", guardian_name="王明", guardian_phone="13812345678"
    )
    record = load_record(context.uow(), resident_id=resident_id)
    details = record.resident
    assert (details.birth_date, details.sex, details.id_number) == (date(1949, 12, 31), "F", NUMBER)
    assert details.institution_name == "康宁养老院" and details.status == "in_residence"
    assert details.updated_by_name == "周海燕" and details.updated_at is not None
    assert [(p.start_date, p.end_date, p.bed) for p in record.periods] == [(date(2020, 1, 5), None, "1")]
    assert [r.id for r in search_residents(context.uow(), text="zhl")] == [resident_id]


def test_a_second_resident_with_the_same_id_number_is_refused_naming_the_first(
    context: AppContext, world: dict[str, str]
) -> None:
    add(context, world)
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as refused:
        add(context, world, name="李秀英", institution_id=world["other_home"])
    assert refused.value.field == "id_number"
    assert "张红丽（康宁养老院 A-101-1，在住）" in str(refused.value)
    with context.uow() as uow:
        assert len(uow.session.exec(select(Resident)).all()) == 1


def test_identity_edits_are_checked_against_the_number_and_other_residents(
    context: AppContext, world: dict[str, str]
) -> None:
    first = add(context, world)
    second = add(context, world, name="李秀英", id_number=OTHER, bed="2")
    with pytest.raises(ValidationError) as refused:
        update_identity(context.uow(), resident_id=second, name="李秀英", id_number=NUMBER, today=TODAY)
    assert refused.value.reason_key == "resident.duplicate"
    with pytest.raises(ValidationError) as refused:
        update_identity(context.uow(), resident_id=first, name="张红丽", id_number=NUMBER, sex="M", today=TODAY)
    assert refused.value.field == "sex"
    saved, record = save_and_reload(
        context, update_identity, first, name="张红莉", id_number=NUMBER, phone="021-64001234", today=TODAY
    )
    assert set(saved.changed) == {"name", "phone"}
    assert record.resident.name == "张红莉"
    assert (
        update_identity(
            context.uow(), resident_id=first, name="张红莉", id_number=NUMBER, phone="021-64001234", today=TODAY
        ).changed
        == ()
    )


def test_a_move_between_beds_and_institutions_keeps_its_history(context: AppContext, world: dict[str, str]) -> None:
    resident_id = add(context, world)
    save_residence(
        context.uow(),
        resident_id=resident_id,
        institution_id=world["home"],
        building="A",
        room="102",
        bed="3",
        admission_date=date(2020, 1, 5),
        move_date=date(2025, 6, 1),
        today=TODAY,
    )
    _, record = save_and_reload(
        context,
        save_residence,
        resident_id,
        institution_id=world["other_home"],
        building="",
        room="8",
        bed="1",
        admission_date=date(2020, 1, 5),
        move_date=date(2026, 1, 1),
        today=TODAY,
    )
    assert [(p.institution_name, p.room, p.start_date, p.end_date, p.reason) for p in record.periods] == [
        ("枫林敬老院", "8", date(2026, 1, 1), None, "institution_move"),
        ("康宁养老院", "102", date(2025, 6, 1), date(2026, 1, 1), "bed_move"),
        ("康宁养老院", "101", date(2020, 1, 5), date(2025, 6, 1), "admission"),
    ]
    assert record.resident.institution_name == "枫林敬老院"
    with pytest.raises(ValidationError) as refused:
        save_residence(
            context.uow(),
            resident_id=resident_id,
            institution_id=world["home"],
            building="",
            room="8",
            bed="1",
            admission_date=date(2020, 1, 5),
            move_date=date(2025, 12, 1),
            today=TODAY,
        )
    assert refused.value.reason_key == "move.before_start"


def test_discharge_and_death_close_the_stay_and_keep_the_record(context: AppContext, world: dict[str, str]) -> None:
    resident_id = add(context, world)
    save_flags(
        context.uow(),
        resident_id=resident_id,
        family_bed=True,
        family_bed_start=date(2026, 1, 1),
        family_bed_end=None,
        hospice=False,
        ltc_insurance=False,
        care_level=None,
        today=TODAY,
    )
    change_status(
        context.uow(),
        resident_id=resident_id,
        status=ResidentStatus.HOSPITALIZED,
        on_date=date(2026, 3, 1),
        today=TODAY,
    )
    change_status(
        context.uow(),
        resident_id=resident_id,
        status=ResidentStatus.IN_RESIDENCE,
        on_date=date(2026, 3, 9),
        today=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        discharge_resident(context.uow(), resident_id=resident_id, on_date=date(2026, 3, 1), today=TODAY)
    assert refused.value.reason_key == "status.date_too_early"
    _, record = save_and_reload(
        context, discharge_resident, resident_id, on_date=date(2026, 5, 1), note="回家", today=TODAY
    )
    assert record.resident.status == "discharged" and record.resident.status_date == date(2026, 5, 1)
    assert not record.resident.family_bed and record.resident.family_bed_end == date(2026, 5, 1)
    assert record.periods[0].end_date == date(2026, 5, 1)
    assert [s.status for s in record.statuses] == ["discharged", "in_residence", "hospitalized"]
    assert resident_id not in {r.id for r in search_residents(context.uow())}

    change_status(
        context.uow(),
        resident_id=resident_id,
        status=ResidentStatus.IN_RESIDENCE,
        on_date=date(2026, 8, 1),
        today=TODAY,
    )
    _, record = save_and_reload(context, mark_deceased, resident_id, on_date=date(2026, 10, 2), today=TODAY)
    assert record.resident.status == "deceased"
    assert [(p.start_date, p.end_date, p.reason) for p in record.periods][:1] == [
        (date(2026, 8, 1), date(2026, 10, 2), "readmission")
    ]
    assert record.resident.admission_date == date(2026, 8, 1)
    with context.uow() as uow:
        assert len(uow.session.exec(select(StatusChange)).all()) == 5
        assert all(p.end_date is not None for p in uow.session.exec(select(ResidencePeriod)).all())


def test_signing_flags_conditions_medications_allergies(context: AppContext, world: dict[str, str]) -> None:
    resident_id = add(context, world)
    doctors = list_doctors(context.uow())
    assert [d.name for d in doctors] == ["周海燕"]
    save_signing(
        context.uow(),
        resident_id=resident_id,
        signed_on=date(2026, 2, 1),
        doctor_id=doctors[0].id,
        service_package="老年人服务包",
        today=TODAY,
    )
    with pytest.raises(NotFound):
        save_signing(
            context.uow(),
            resident_id=resident_id,
            signed_on=date(2026, 2, 1),
            doctor_id=world["nurse"],
            service_package="",
            today=TODAY,
        )
    with pytest.raises(ValidationError):
        save_flags(
            context.uow(),
            resident_id=resident_id,
            family_bed=False,
            family_bed_start=None,
            family_bed_end=None,
            hospice=True,
            ltc_insurance=True,
            care_level=1,
            today=TODAY,
        )
    save_flags(
        context.uow(),
        resident_id=resident_id,
        family_bed=False,
        family_bed_start=None,
        family_bed_end=None,
        hospice=True,
        ltc_insurance=True,
        care_level=4,
        today=TODAY,
    )
    coded = save_condition(
        context.uow(), resident_id=resident_id, code="hypertension", diagnosed_on=date(2010, 1, 1), today=TODAY
    )
    free = save_condition(context.uow(), resident_id=resident_id, name="腰椎间盘突出", icd10="M51", today=TODAY)
    save_condition(
        context.uow(),
        resident_id=resident_id,
        condition_id=free.entry_id,
        name="腰椎管狭窄",
        icd10="M48.0",
        active=False,
        today=TODAY,
    )
    medication = save_medication(
        context.uow(),
        resident_id=resident_id,
        name="苯磺酸氨氯地平片",
        dose="5mg",
        frequency="每日1次",
        start_date=date(2025, 1, 1),
    )
    _, record = save_and_reload(context, save_allergy, resident_id, substance="青霉素", reaction="皮疹")
    assert (record.resident.signed_doctor_name, record.resident.service_package) == ("周海燕", "老年人服务包")
    assert (record.resident.hospice, record.resident.ltc_insurance, record.resident.care_level) == (True, True, 4)
    assert [(c.code, c.icd10, c.name, c.active) for c in record.conditions] == [
        ("hypertension", "I10", "高血压", True),
        ("", "M48.0", "腰椎管狭窄", False),
    ]
    assert [(m.name, m.dose) for m in record.medications] == [("苯磺酸氨氯地平片", "5mg")]
    assert [(a.substance, a.reaction) for a in record.allergies] == [("青霉素", "皮疹")]

    _, record = save_and_reload(
        context, remove_entry, resident_id, kind="medication", entry_id=medication.entry_id or ""
    )
    assert record.medications == []
    other = add(context, world, name="李秀英", id_number=OTHER, bed="2")
    with pytest.raises(NotFound):
        remove_entry(context.uow(), resident_id=other, kind="condition", entry_id=coded.entry_id or "")


def test_assessments_over_time_signed_by_the_actor(context: AppContext, world: dict[str, str]) -> None:
    resident_id = add(context, world)
    levels = {"eating": 3, "grooming": 3, "dressing": 3, "toileting": 2, "moving": 2}
    record_self_care(context.uow(), resident_id=resident_id, levels=levels, assessed_on=date(2026, 5, 1), today=TODAY)
    answers = dict.fromkeys(
        (
            "judgement",
            "interest",
            "repeats",
            "learning_tools",
            "forgets_month_year",
            "finances",
            "appointments",
            "daily_memory",
        ),
        "no",
    )
    record_ad8(
        context.uow(),
        resident_id=resident_id,
        answers={**answers, "repeats": "yes"},
        assessed_on=date(2026, 6, 1),
        today=TODAY,
    )
    record_care_level(context.uow(), resident_id=resident_id, level=5, assessed_on=date(2026, 7, 1), today=TODAY)
    record_care_level(context.uow(), resident_id=resident_id, level=2, assessed_on=date(2026, 1, 1), today=TODAY)
    with pytest.raises(ValidationError):
        record_care_level(context.uow(), resident_id=resident_id, level=3, assessed_on=date(2026, 12, 1), today=TODAY)
    _, record = save_and_reload(
        context, record_fall, resident_id, fell_on=date(2026, 9, 9), injury=True, notes="夜间如厕", today=TODAY
    )
    summary = [(a.kind, a.assessed_on, a.score, a.result) for a in record.assessments]
    assert summary == [
        ("fall", date(2026, 9, 9), None, "injury"),
        ("care_level", date(2026, 7, 1), 5, "5"),
        ("ad8", date(2026, 6, 1), 1, "negative"),
        ("self_care", date(2026, 5, 1), 5 + 7 + 5 + 5 + 5, "dependent"),
        ("care_level", date(2026, 1, 1), 2, "2"),
    ]
    assert record.resident.care_level == 5, "an older assessment does not replace the newest level"
    assert {a.assessed_by_name for a in record.assessments} == {"周海燕"}
    assert record.assessments[3].items == levels


def test_edit_resident_sets_fields_from_text_in_one_transaction(context: AppContext, world: dict[str, str]) -> None:
    resident_id = add(context, world)
    result = edit_resident(
        context.uow(),
        key=NUMBER.lower(),
        values={"bed": "2", "institution": "枫林", "family_bed": "是", "care_level": "3", "ltc_insurance": "yes"},
        today=TODAY,
    )
    assert result.resident_id == resident_id
    assert {field for field, _old, _new in result.changes} >= {
        "institution",
        "bed",
        "family_bed",
        "family_bed_start",
        "care_level",
        "ltc_insurance",
    }
    assert ("institution", "康宁养老院", "枫林敬老院") in result.changes
    before = load_record(context.uow(), resident_id=resident_id)
    with pytest.raises(ValidationError):
        edit_resident(context.uow(), key=resident_id, values={"bed": "9", "care_level": "9"}, today=TODAY)
    after = load_record(context.uow(), resident_id=resident_id)
    assert after.resident == before.resident and after.periods == before.periods, "nothing half-written"


def test_residents_are_found_by_id_or_id_number_only(context: AppContext, world: dict[str, str]) -> None:
    resident_id = add(context, world)
    assert resolve_resident(context.uow(), key=resident_id) == resident_id
    assert resolve_resident(context.uow(), key=" 11010519491231002x ") == resident_id
    with pytest.raises(NotFound):
        resolve_resident(context.uow(), key="张红丽")
    with pytest.raises(NotFound):
        load_record(context.uow(), resident_id="nope")


def test_the_demo_record_loads_and_its_visit_history_newest_first(demo_context: AppContext) -> None:
    from app.services.visits.history import visit_history

    resident_id = search_residents(demo_context.uow(), text="张红丽")[0].id
    record = load_record(demo_context.uow(), resident_id=resident_id)
    assert record.assessments and record.periods
    history = visit_history(demo_context.uow(), resident_id=resident_id)  # the Visits tab's own load
    dates = [chain.latest.visit_date for chain in history.chains]
    assert dates and dates == sorted(dates, reverse=True)
    assert record.periods[0].reason == "入住"


def test_who_may_change_what(context: AppContext, world: dict[str, str]) -> None:
    from app.services.authz import PermissionDenied

    resident_id = add(context, world)
    context.actor_id = world["nurse"]
    with pytest.raises(PermissionDenied):
        save_allergy(context.uow(), resident_id=resident_id, substance="青霉素")
    with pytest.raises(PermissionDenied):
        mark_deceased(context.uow(), resident_id=resident_id, on_date=TODAY, today=TODAY)
    saved = record_fall(context.uow(), resident_id=resident_id, fell_on=TODAY, injury=False, today=TODAY)
    assert saved.entry_id, "a nurse records assessments (clinical work)"
    with context.uow() as uow:
        assistant = Staff(name="王丽", role="assistant", login="assistant1", password_hash="x")
        uow.session.add(assistant)
        uow.commit()
        context.actor_id = assistant.id
    save_allergy(context.uow(), resident_id=resident_id, substance="青霉素")
    with pytest.raises(PermissionDenied):
        record_care_level(context.uow(), resident_id=resident_id, level=2, assessed_on=TODAY, today=TODAY)
