"""Issue #16 on the record: the annual check recorded, AD8 not interpretable, a 15-digit ID number converted."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.domain.assessments import AD8_ITEMS
from app.domain.errors import ValidationError
from app.domain.i18n import set_language
from app.services.institutions import save_institution
from app.services.records.assessments import record_ad8, record_annual_check
from app.services.records.load import load_record
from app.services.records.residents import create_resident, update_identity

TODAY = date(2026, 11, 16)
OLD_NUMBER = "110105491231002"  # 15 digits: 11010519491231002X
NUMBER = "11010519491231002X"

CHECK: dict[str, object] = {
    "temperature": 36.5, "pulse": 70, "respiration": 16, "sbp_left": 138, "dbp_left": 80, "sbp_right": 136,
    "dbp_right": 78, "height": 158, "weight": 55, "waist": 80, "self_care_score": 0, "cognition": "normal",
    "mood": "normal", "blood_routine": "normal", "urine_routine": "normal", "fasting_glucose": 5.6,
    "lipids": "abnormal", "liver_function": "normal", "kidney_function": "normal", "ecg": "normal",
    "abdominal_ultrasound": "not_done",
}  # fmt: skip


@pytest.fixture
def resident_id(context: AppContext) -> str:
    home = save_institution(context.uow(), name="康宁养老院", kind="nursing_home", beds=220)
    set_language("zh_CN")
    return create_resident(
        context.uow(), name="张红丽", id_number=OLD_NUMBER, institution_id=home, admission_date=date(2020, 1, 5),
        today=TODAY,
    ).resident_id  # fmt: skip


def test_a_15_digit_number_is_stored_as_18_with_a_note(context: AppContext, resident_id: str) -> None:
    record = load_record(context.uow(), resident_id=resident_id)
    assert record.resident.id_number == NUMBER
    assert record.resident.notes == "身份证号由 15 位旧号码 110105491231002 转换为 18 位"


def test_correcting_to_a_15_digit_number_adds_the_note_once(context: AppContext) -> None:
    home = save_institution(context.uow(), name="枫林敬老院", kind="nursing_home", beds=20)
    set_language("en")
    resident = create_resident(
        context.uow(), name="王秀英", id_number="110105194912310046", institution_id=home, today=TODAY
    ).resident_id
    update_identity(context.uow(), resident_id=resident, name="王秀英", id_number=OLD_NUMBER, today=TODAY)
    update_identity(context.uow(), resident_id=resident, name="王秀英", id_number=OLD_NUMBER, today=TODAY)
    record = load_record(context.uow(), resident_id=resident)
    assert record.resident.id_number == NUMBER
    assert record.resident.notes == "ID card number converted from the old 15-digit number 110105491231002"


def test_the_annual_check_is_recorded_and_resets_the_due_clock(context: AppContext, resident_id: str) -> None:
    record_annual_check(
        context.uow(), resident_id=resident_id, values=CHECK, summary="血脂异常：低脂饮食，3 个月复查",
        checked_on=date(2026, 11, 10), today=TODAY,
    )  # fmt: skip
    record = load_record(context.uow(), resident_id=resident_id)
    check = next(a for a in record.assessments if a.kind == "annual_check")
    assert (check.assessed_on, check.result) == (date(2026, 11, 10), "done")
    assert check.notes == "血脂异常:低脂饮食,3 个月复查"  # notes are kept half-width, like every note
    assert check.items["bmi"] == 22.0 and check.items["lipids"] == "abnormal"
    with context.uow().reading() as uow:
        row = uow.fast_rows("SELECT checked_day FROM resident_facts WHERE resident_id = :r", {"r": resident_id})
    assert row[0][0] == date(2026, 11, 10).toordinal()


def test_an_annual_check_with_an_item_missing_is_refused(context: AppContext, resident_id: str) -> None:
    values = dict(CHECK)
    del values["ecg"]
    with pytest.raises(ValidationError) as caught:
        record_annual_check(
            context.uow(), resident_id=resident_id, values=values, summary="x", checked_on=TODAY, today=TODAY
        )
    assert caught.value.reason_key == "annual.missing_items"


def test_an_ad8_with_four_dont_know_is_saved_as_not_interpretable(context: AppContext, resident_id: str) -> None:
    answers: dict[str, object] = dict.fromkeys(AD8_ITEMS, "no")
    for key in AD8_ITEMS[:4]:
        answers[key] = "unknown"
    answers[AD8_ITEMS[5]] = "yes"
    answers[AD8_ITEMS[6]] = "yes"
    record_ad8(
        context.uow(),
        resident_id=resident_id,
        answers=answers,
        assessed_on=TODAY,
        today=TODAY,  # type: ignore[arg-type]
    )
    record = load_record(context.uow(), resident_id=resident_id)
    ad8 = next(a for a in record.assessments if a.kind == "ad8")
    assert (ad8.score, ad8.result) == (2, "not_interpretable")
