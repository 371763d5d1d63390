"""Checks of the resident record's sections, agreements, institutions, conditions and statuses."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import i18n
from app.domain.agreements import (
    AgreementState,
    agreement_state,
    current_agreement,
    parse_weekdays,
    signing_coverage,
    validate_agreement,
    weekday_labels,
)
from app.domain.conditions import CONDITIONS, condition_label, find_condition, resolve_condition
from app.domain.errors import ValidationError
from app.domain.institutions import InstitutionKind, medical_unit_label, validate_institution
from app.domain.records import (
    AssessmentKind,
    ad8_assessment,
    assessment_result_label,
    care_level_assessment,
    parse_care_level,
    parse_flag,
    self_care_assessment,
    validate_allergy,
    validate_flags,
    validate_identity,
    validate_medication,
    validate_signing,
)
from app.domain.residents import ResidentStatus, check_move, check_status_change, parse_status, period_reason_label

TODAY = date(2026, 11, 16)
NUMBER = "11010519491231002X"  # DOMAIN §2: a woman born 1949-12-31


def reason(error: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str]:
    return error.value.field, error.value.reason_key


# --- identity -------------------------------------------------------------------------------------------------


def test_identity_takes_birth_date_and_sex_from_the_number() -> None:
    identity = validate_identity(
        name=" 张 红丽 ", id_number="11010519491231002x", today=TODAY, phone="+86 138 1234 5678"
    )
    assert (identity.name, identity.id_number, identity.birth_date, identity.sex) == (
        "张 红丽",
        NUMBER,
        date(1949, 12, 31),
        "F",
    )
    assert identity.phone == "13812345678"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"birth_date": date(1949, 12, 30)}, ("birth_date", "id.birth_mismatch")),
        ({"sex": "男"}, ("sex", "id.sex_mismatch")),
        ({"id_number": NUMBER[:-1] + "1"}, ("id_number", "id.checksum")),
        ({"name": ""}, ("name", "name.required")),
        ({"guardian_phone": "12"}, ("guardian_phone", "phone.invalid")),
        ({"guardian_name": "王2"}, ("guardian_name", "name.digits")),
        ({"insurance_number": "医保"}, ("insurance_number", "insurance.invalid")),
    ],
)
def test_identity_refusals_name_the_field(changes: dict[str, object], expected: tuple[str, str]) -> None:
    values: dict[str, object] = {"name": "张红丽", "id_number": NUMBER, **changes}
    with pytest.raises(ValidationError) as refused:
        validate_identity(today=TODAY, **values)  # type: ignore[arg-type]
    assert reason(refused) == expected


def test_an_age_over_120_is_refused() -> None:
    from app.domain.idcard import make_id_number

    with pytest.raises(ValidationError) as refused:
        validate_identity(name="周七", id_number=make_id_number("310104", date(1905, 1, 1), 1, "M"), today=TODAY)
    assert reason(refused) == ("birth_date", "birth.too_old")


# --- signing, flags, medications, allergies ------------------------------------------------------------------------


def test_signing_needs_a_date_with_a_doctor_and_not_in_the_future() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_signing(signed_on=None, doctor_id="d1", service_package="", birth_date=date(1949, 1, 1), today=TODAY)
    assert reason(refused) == ("signed_on", "signing.date_required")
    with pytest.raises(ValidationError) as refused:
        validate_signing(
            signed_on=date(2026, 11, 17), doctor_id=None, service_package="", birth_date=date(1949, 1, 1), today=TODAY
        )
    assert reason(refused) == ("signed_on", "date.future")
    assert (
        validate_signing(
            signed_on=None, doctor_id=None, service_package="  ", birth_date=date(1949, 1, 1), today=TODAY
        ).service_package
        == ""
    )


def flags(**changes: object) -> object:
    values: dict[str, object] = {
        "family_bed": False,
        "family_bed_start": None,
        "family_bed_end": None,
        "hospice": False,
        "ltc_insurance": False,
        "care_level": None,
        **changes,
    }
    return validate_flags(today=TODAY, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"family_bed": True}, ("family_bed_start", "family_bed.start_required")),
        (
            {"family_bed": True, "family_bed_start": date(2026, 11, 1), "family_bed_end": date(2026, 10, 1)},
            ("family_bed_end", "family_bed.end_before_start"),
        ),
        ({"family_bed": True, "family_bed_start": date(2026, 12, 1)}, ("family_bed_start", "date.future")),
        ({"ltc_insurance": True, "care_level": 1}, ("ltc_insurance", "ltc.needs_level")),
        ({"ltc_insurance": True}, ("ltc_insurance", "ltc.needs_level")),
        ({"care_level": 7}, ("care_level", "care_level.range")),
    ],
)
def test_flag_refusals(changes: dict[str, object], expected: tuple[str, str]) -> None:
    with pytest.raises(ValidationError) as refused:
        flags(**changes)
    assert reason(refused) == expected


def test_flags_that_agree_pass() -> None:
    checked = flags(family_bed=True, family_bed_start=date(2026, 10, 1), ltc_insurance=True, care_level=4, hospice=True)
    assert checked.care_level == 4  # type: ignore[attr-defined]


def test_medication_and_allergy_checks() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_medication(name=" ", dose="", frequency="", start_date=None, stop_date=None)
    assert reason(refused) == ("medication", "medication.name_required")
    with pytest.raises(ValidationError) as refused:
        validate_medication(
            name="阿司匹林", dose="100mg", frequency="qd", start_date=date(2026, 1, 2), stop_date=date(2026, 1, 1)
        )
    assert reason(refused) == ("medication_stop", "medication.stop_before_start")
    with pytest.raises(ValidationError) as refused:
        validate_allergy(substance="", reaction="皮疹")
    assert reason(refused) == ("substance", "allergy.substance_required")


@pytest.mark.parametrize(("text", "value"), [("是", True), ("YES", True), ("1", True), ("否", False), ("off", False)])
def test_flags_in_words(text: str, value: bool) -> None:
    assert parse_flag(text, field="hospice") is value


def test_care_level_text() -> None:
    assert parse_care_level("3级") == 3
    assert parse_care_level(" ") is None
    with pytest.raises(ValidationError):
        parse_care_level("三")


# --- assessments ---------------------------------------------------------------------------------------------


def test_self_care_assessment_scores_and_bands() -> None:
    levels = {"eating": 2, "grooming": 1, "dressing": 2, "toileting": 1, "moving": 1}
    fields = self_care_assessment(levels, assessed_on=TODAY, today=TODAY)
    assert (fields.kind, fields.score, fields.result) == (AssessmentKind.SELF_CARE, 3 + 1 + 3 + 1 + 1, "moderate")
    i18n.set_language("zh_CN")
    assert assessment_result_label("self_care", fields.result, fields.score) == "中度依赖"


def test_ad8_assessment_is_positive_from_two_yes_answers() -> None:
    answers = {
        key: "no"
        for key in (
            "judgement",
            "interest",
            "repeats",
            "learning_tools",
            "forgets_month_year",
            "finances",
            "appointments",
            "daily_memory",
        )
    }
    answers.update(repeats="yes", finances="yes", judgement="unknown")
    fields = ad8_assessment(answers, assessed_on=TODAY, today=TODAY)
    assert (fields.score, fields.result) == (2, "positive")
    assert fields.items["judgement"] == "unknown"


def test_assessment_dates_are_not_in_the_future_nor_before_birth() -> None:
    with pytest.raises(ValidationError) as refused:
        care_level_assessment(3, assessed_on=date(2026, 11, 17), today=TODAY)
    assert reason(refused) == ("assessed_on", "date.future")
    with pytest.raises(ValidationError) as refused:
        care_level_assessment(3, assessed_on=date(1940, 1, 1), today=TODAY, birth_date=date(1949, 1, 1))
    assert reason(refused) == ("assessed_on", "date.before_birth")


# --- conditions -------------------------------------------------------------------------------------------------


def test_the_coded_list_has_the_conditions_the_issue_names() -> None:
    codes = {c.code: c.icd10 for c in CONDITIONS}
    for code, icd10 in {
        "hypertension": "I10",
        "diabetes_t2": "E11",
        "chd": "I25",
        "stroke_sequelae": "I69",
        "copd": "J44",
        "dementia": "F03",
        "parkinson": "G20",
        "ckd": "N18",
        "osteoporosis": "M81",
        "cancer": "C80",
    }.items():
        assert codes[code] == icd10


@pytest.mark.parametrize("text", ["高血压", "Hypertension", "i10", " 高 血压 "])
def test_free_text_naming_a_coded_condition_becomes_coded(text: str) -> None:
    assert find_condition(text) is not None
    assert resolve_condition(name=text) == resolve_condition(code="hypertension")
    assert resolve_condition(code="hypertension").name == "高血压"


def test_other_free_text_is_kept_with_an_optional_icd10_code() -> None:
    entry = resolve_condition(name="腰椎间盘突出", icd10="m51.2")
    assert (entry.code, entry.icd10, entry.name) == ("", "M51.2", "腰椎间盘突出")
    with pytest.raises(ValidationError) as refused:
        resolve_condition(name="腰椎间盘突出", icd10="51")
    assert reason(refused) == ("icd10", "condition.icd10_format")
    with pytest.raises(ValidationError):
        resolve_condition(name="")


def test_condition_labels_follow_the_language() -> None:
    i18n.set_language("en")
    assert condition_label("copd", "慢性阻塞性肺疾病") == "COPD"
    assert condition_label("", "腰椎间盘突出") == "腰椎间盘突出"


# --- agreements and institutions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "state"),
    [
        (date(2026, 12, 1), None, AgreementState.NOT_STARTED),
        (date(2025, 1, 1), None, AgreementState.ACTIVE),
        (date(2025, 1, 1), date(2027, 1, 16), AgreementState.ACTIVE),
        (date(2025, 1, 1), date(2027, 1, 15), AgreementState.EXPIRING),  # 60 days
        (date(2025, 1, 1), TODAY, AgreementState.EXPIRING),
        (date(2025, 1, 1), date(2026, 11, 15), AgreementState.EXPIRED),
    ],
)
def test_agreement_states_around_the_60_day_warning(start: date, end: date | None, state: AgreementState) -> None:
    assert agreement_state(start, end, TODAY) is state


def test_the_agreement_in_force_speaks_for_the_institution_not_an_old_expired_one() -> None:
    periods = [(date(2020, 1, 1), date(2023, 1, 1)), (date(2023, 1, 2), date(2029, 1, 1)), (date(2027, 1, 1), None)]
    assert current_agreement(periods, TODAY) == 1
    assert current_agreement([(date(2020, 1, 1), date(2023, 1, 1))], TODAY) == 0
    assert current_agreement([(date(2027, 1, 1), None)], TODAY) == 0
    assert current_agreement([], TODAY) is None


def test_weekdays_and_frequency() -> None:
    assert parse_weekdays("4，1、1") == (1, 4)
    i18n.set_language("zh_CN")
    assert weekday_labels((1, 4)) == "周一、周四"
    with pytest.raises(ValidationError) as refused:
        validate_agreement(start_date=TODAY, end_date=None, round_weekdays="2", min_rounds_per_week=2)
    assert reason(refused) == ("round_weekdays", "agreement.frequency_weekdays")
    with pytest.raises(ValidationError) as refused:
        validate_agreement(start_date=TODAY, end_date=None, round_weekdays="8", min_rounds_per_week=1)
    assert reason(refused) == ("round_weekdays", "agreement.weekday_invalid")
    with pytest.raises(ValidationError) as refused:
        validate_agreement(start_date=TODAY, end_date=date(2026, 1, 1), round_weekdays="1", min_rounds_per_week=1)
    assert reason(refused) == ("agreement_end", "agreement.end_before_start")
    with pytest.raises(ValidationError) as refused:
        validate_agreement(start_date=TODAY, end_date=None, round_weekdays="", min_rounds_per_week=1)
    assert reason(refused) == ("round_weekdays", "agreement.weekdays_required")


def test_signing_coverage() -> None:
    assert signing_coverage(43, 50) == pytest.approx(0.86)
    assert signing_coverage(0, 0) is None


def test_institution_checks() -> None:
    fields = validate_institution(
        name=" 康宁  养老院 ", kind="nursing_home", beds=220, medical_unit="医务室", contact_phone="021 6400 1234"
    )
    assert (fields.name, fields.kind, fields.contact_phone) == (
        "康宁 养老院",
        InstitutionKind.NURSING_HOME,
        "021-64001234",
    )
    for changes, expected in (
        ({"name": ""}, ("institution_name", "institution.name_required")),
        ({"kind": "hotel"}, ("institution_kind", "institution.kind_invalid")),
        ({"beds": -1}, ("beds", "institution.beds_range")),
        ({"medical_unit": "药房"}, ("medical_unit", "institution.unit_invalid")),
        ({"green_channel_phone": "abc"}, ("green_channel_phone", "phone.invalid")),
    ):
        values: dict[str, object] = {"name": "康宁养老院", "kind": "nursing_home", **changes}
        with pytest.raises(ValidationError) as refused:
            validate_institution(**values)  # type: ignore[arg-type]
        assert reason(refused) == expected
    i18n.set_language("en")
    assert medical_unit_label("护理站") == "Nursing station" and medical_unit_label("") == "None"


# --- status -------------------------------------------------------------------------------------------------------


def test_status_changes_and_their_dates() -> None:
    check_status_change(
        ResidentStatus.IN_RESIDENCE, ResidentStatus.DECEASED, on_date=TODAY, today=TODAY, not_before=date(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        check_status_change(
            ResidentStatus.DISCHARGED, ResidentStatus.DISCHARGED, on_date=TODAY, today=TODAY, not_before=None
        )
    assert reason(refused) == ("residence_status", "status.unchanged")
    with pytest.raises(ValidationError) as refused:
        check_status_change(
            ResidentStatus.IN_RESIDENCE,
            ResidentStatus.HOSPITALIZED,
            on_date=date(2019, 1, 1),
            today=TODAY,
            not_before=date(2020, 1, 1),
        )
    assert reason(refused) == ("status_date", "status.date_too_early")
    with pytest.raises(ValidationError) as refused:
        check_move(on_date=date(2026, 11, 17), today=TODAY, current_start=None)
    assert reason(refused) == ("move_date", "date.future")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("出院", ResidentStatus.DISCHARGED),
        ("deceased", ResidentStatus.DECEASED),
        ("In residence", ResidentStatus.IN_RESIDENCE),
        ("住院", ResidentStatus.HOSPITALIZED),
    ],
)
def test_status_in_words(text: str, status: ResidentStatus) -> None:
    assert parse_status(text) is status


def test_period_reasons_read_in_both_languages_including_the_demo_text() -> None:
    i18n.set_language("en")
    assert period_reason_label("入住") == "Admission"
    assert period_reason_label("bed_move") == "Moved bed"
    assert period_reason_label("其他") == "其他"
