"""Tests for app.domain.vitals: accepted ranges (DOMAIN §7) and highlighting (DOMAIN §4, §7)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationError
from app.domain.i18n import LANGUAGES, current_language, known_keys, set_language, t
from app.domain.vitals import (
    VITAL_RANGES,
    FlagLevel,
    VitalsAssessment,
    parse_measurement,
    validate_vitals,
)

NORMAL, ABNORMAL, URGENT = FlagLevel.NORMAL, FlagLevel.ABNORMAL, FlagLevel.URGENT


@pytest.fixture
def language() -> Iterator[None]:
    saved = current_language()
    yield
    set_language(saved)


def one(field: str, value: float, **extra: object) -> VitalsAssessment:
    return validate_vitals(**{field: value}, **extra)  # type: ignore[arg-type]


def refused(field: str, value: float, **extra: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        one(field, value, **extra)
    assert caught.value.field == field
    return caught.value


# --- the table ------------------------------------------------------------------------------


def test_range_table_matches_domain_section_7() -> None:
    table = {field: (str(r.minimum), str(r.maximum), r.unit_key) for field, r in VITAL_RANGES.items()}
    assert table == {
        "sbp": ("50", "300", "unit.mmhg"),
        "dbp": ("20", "200", "unit.mmhg"),
        "pulse": ("20", "250", "unit.per_minute"),
        "temperature": ("30.0", "45.0", "unit.celsius"),
        "spo2": ("50", "100", "unit.percent"),
        "glucose": ("1.0", "40.0", "unit.mmol_l"),
        "weight": ("20", "250", "unit.kg"),
    }


# --- accepted range, both sides of both ends ------------------------------------------------

ACCEPTED_EDGES = [
    ("sbp", 50), ("sbp", 300), ("dbp", 20), ("dbp", 200),
    ("pulse", 20), ("pulse", 250), ("temperature", 30.0), ("temperature", 45.0),
    ("spo2", 50), ("spo2", 100), ("glucose", 1.0), ("glucose", 40.0),
    ("weight", 20), ("weight", 250),
]  # fmt: skip
REFUSED_EDGES = [
    ("sbp", 49), ("sbp", 49.9), ("sbp", 301), ("sbp", 300.1), ("sbp", 0), ("sbp", -120),
    ("dbp", 19), ("dbp", 19.9), ("dbp", 201),
    ("pulse", 19), ("pulse", 251), ("pulse", 0),
    ("temperature", 29.9), ("temperature", 45.1), ("temperature", 365), ("temperature", 3.65),
    ("spo2", 49), ("spo2", 101), ("spo2", 0.97),
    ("glucose", 0.9), ("glucose", 40.1), ("glucose", 0),
    ("weight", 19.9), ("weight", 250.1), ("weight", 0), ("weight", 650),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value"), ACCEPTED_EDGES)
def test_range_ends_are_accepted(field: str, value: float) -> None:
    assessment = one(field, value)
    assert [flag.field for flag in assessment.flags] == [field]


@pytest.mark.parametrize(("field", "value"), REFUSED_EDGES)
def test_values_just_outside_the_range_are_refused(field: str, value: float) -> None:
    error = refused(field, value)
    vital = VITAL_RANGES[field]
    assert error.reason_key == "vital.out_of_range"
    assert error.reason_params["minimum"] == vital.minimum
    assert error.reason_params["maximum"] == vital.maximum
    assert error.value == value


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, False])
@pytest.mark.parametrize("field", sorted(VITAL_RANGES))
def test_non_numbers_are_refused(field: str, value: float) -> None:
    assert refused(field, value).reason_key == "vital.not_number"


@given(data=st.data(), field=st.sampled_from(sorted(VITAL_RANGES)))
def test_every_value_in_range_is_accepted_and_every_other_refused(data: st.DataObject, field: str) -> None:
    value = data.draw(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
    vital = VITAL_RANGES[field]
    if vital.minimum <= Decimal(str(value)) <= vital.maximum:
        assert one(field, value).flag(field) is not None
    else:
        assert refused(field, value).reason_key == "vital.out_of_range"


# --- highlighting, both sides of every threshold --------------------------------------------

LEVELS = [
    # SBP: < 90 low, ≥ 140 high, ≥ 180 urgent
    ("sbp", 50, ABNORMAL, "vital.sbp_low"),
    ("sbp", 89, ABNORMAL, "vital.sbp_low"),
    ("sbp", 89.9, ABNORMAL, "vital.sbp_low"),
    ("sbp", 90, NORMAL, "vital.normal"),
    ("sbp", 139, NORMAL, "vital.normal"),
    ("sbp", 139.9, NORMAL, "vital.normal"),
    ("sbp", 140, ABNORMAL, "vital.sbp_high"),
    ("sbp", 179, ABNORMAL, "vital.sbp_high"),
    ("sbp", 180, URGENT, "vital.sbp_urgent"),
    ("sbp", 300, URGENT, "vital.sbp_urgent"),
    # DBP: < 60 low, ≥ 90 high, ≥ 110 urgent
    ("dbp", 20, ABNORMAL, "vital.dbp_low"),
    ("dbp", 59, ABNORMAL, "vital.dbp_low"),
    ("dbp", 60, NORMAL, "vital.normal"),
    ("dbp", 89, NORMAL, "vital.normal"),
    ("dbp", 90, ABNORMAL, "vital.dbp_high"),
    ("dbp", 109, ABNORMAL, "vital.dbp_high"),
    ("dbp", 110, URGENT, "vital.dbp_urgent"),
    ("dbp", 200, URGENT, "vital.dbp_urgent"),
    # pulse: < 50 or > 100 (DOMAIN §7; urgent for a diabetic, below)
    ("pulse", 20, ABNORMAL, "vital.pulse_low"),
    ("pulse", 49, ABNORMAL, "vital.pulse_low"),
    ("pulse", 50, NORMAL, "vital.normal"),
    ("pulse", 99, NORMAL, "vital.normal"),
    ("pulse", 100, NORMAL, "vital.normal"),
    ("pulse", 101, ABNORMAL, "vital.pulse_high"),
    ("pulse", 250, ABNORMAL, "vital.pulse_high"),
    # temperature: ≥ 37.3, urgent > 39.0
    ("temperature", 30.0, NORMAL, "vital.normal"),
    ("temperature", 37.2, NORMAL, "vital.normal"),
    ("temperature", 37.29, NORMAL, "vital.normal"),
    ("temperature", 37.3, ABNORMAL, "vital.fever"),
    ("temperature", 38.9, ABNORMAL, "vital.fever"),
    ("temperature", 39.0, ABNORMAL, "vital.fever"),
    ("temperature", 39.1, URGENT, "vital.fever_urgent"),
    ("temperature", 45.0, URGENT, "vital.fever_urgent"),
    # SpO2: < 93, urgent < 90 for anyone
    ("spo2", 50, URGENT, "vital.spo2_urgent"),
    ("spo2", 89, URGENT, "vital.spo2_urgent"),
    ("spo2", 89.9, URGENT, "vital.spo2_urgent"),
    ("spo2", 90, ABNORMAL, "vital.spo2_low"),
    ("spo2", 91, ABNORMAL, "vital.spo2_low"),
    ("spo2", 92, ABNORMAL, "vital.spo2_low"),
    ("spo2", 92.9, ABNORMAL, "vital.spo2_low"),
    ("spo2", 93, NORMAL, "vital.normal"),
    ("spo2", 100, NORMAL, "vital.normal"),
]


@pytest.mark.parametrize(("field", "value", "level", "reason_key"), LEVELS)
def test_highlighting_thresholds(field: str, value: float, level: FlagLevel, reason_key: str) -> None:
    flag = one(field, value).flag(field)
    assert flag is not None
    assert (flag.level, flag.reason_key) == (level, reason_key)


GLUCOSE = [
    # (value, fasting level and reason, random level and reason)
    (1.0, URGENT, "vital.glucose_urgent_low", URGENT, "vital.glucose_urgent_low"),
    (3.8, URGENT, "vital.glucose_urgent_low", URGENT, "vital.glucose_urgent_low"),
    (3.9, URGENT, "vital.glucose_urgent_low", URGENT, "vital.glucose_urgent_low"),
    (3.91, NORMAL, "vital.normal", NORMAL, "vital.normal"),
    (4.0, NORMAL, "vital.normal", NORMAL, "vital.normal"),
    (6.9, NORMAL, "vital.normal", NORMAL, "vital.normal"),
    (7.0, ABNORMAL, "vital.glucose_fasting_high", NORMAL, "vital.normal"),
    (11.0, ABNORMAL, "vital.glucose_fasting_high", NORMAL, "vital.normal"),
    (11.1, ABNORMAL, "vital.glucose_fasting_high", ABNORMAL, "vital.glucose_random_high"),
    (16.6, ABNORMAL, "vital.glucose_fasting_high", ABNORMAL, "vital.glucose_random_high"),
    (16.7, URGENT, "vital.glucose_urgent_high", URGENT, "vital.glucose_urgent_high"),
    (40.0, URGENT, "vital.glucose_urgent_high", URGENT, "vital.glucose_urgent_high"),
]


@pytest.mark.parametrize(("value", "fasting_level", "fasting_reason", "random_level", "random_reason"), GLUCOSE)
def test_glucose_thresholds_fasting_and_random(
    value: float,
    fasting_level: FlagLevel,
    fasting_reason: str,
    random_level: FlagLevel,
    random_reason: str,
) -> None:
    fasting = validate_vitals(glucose=value, glucose_fasting=True).flag("glucose")
    random = validate_vitals(glucose=value).flag("glucose")
    assert fasting is not None
    assert random is not None
    assert (fasting.level, fasting.reason_key) == (fasting_level, fasting_reason)
    assert (random.level, random.reason_key) == (random_level, random_reason)


@pytest.mark.parametrize(
    ("weight", "previous", "level", "reason_key"),
    [
        (60, None, NORMAL, "vital.normal"),
        (60, 60, NORMAL, "vital.normal"),
        (63, 60, NORMAL, "vital.normal"),  # exactly 5 %: not more than 5 %
        (63.1, 60, ABNORMAL, "vital.weight_gain"),
        (57, 60, NORMAL, "vital.normal"),
        (56.9, 60, ABNORMAL, "vital.weight_loss"),
        (73.5, 70, NORMAL, "vital.normal"),
        (73.6, 70, ABNORMAL, "vital.weight_gain"),
        (66.5, 70, NORMAL, "vital.normal"),
        (66.4, 70, ABNORMAL, "vital.weight_loss"),
        (42.1, 40.1, NORMAL, "vital.normal"),  # 4.99 %
        (20, 250, ABNORMAL, "vital.weight_loss"),
    ],
)
def test_weight_change_of_more_than_5_percent_is_highlighted(
    weight: float, previous: float | None, level: FlagLevel, reason_key: str
) -> None:
    flag = validate_vitals(weight=weight, previous_weight=previous).flag("weight")
    assert flag is not None
    assert (flag.level, flag.reason_key) == (level, reason_key)


def test_weight_change_reason_gives_percent_and_previous_weight(language: None) -> None:
    flag = validate_vitals(weight=66, previous_weight=60).flag("weight")
    assert flag is not None
    assert dict(flag.params) == {"percent": Decimal("10.0"), "previous": Decimal(60)}
    set_language("zh_CN")
    assert str(flag.reason) == "体重较上次增加 10.0%（上次 60 kg）"
    set_language("en")
    assert str(flag.reason) == "weight up 10.0% since last time (60 kg)"


def test_previous_weight_alone_is_ignored() -> None:
    assert validate_vitals(previous_weight=60).flags == ()


@pytest.mark.parametrize("previous", [0, -60, math.nan, math.inf])
def test_previous_weight_must_be_positive(previous: float) -> None:
    with pytest.raises(ValueError, match="previous_weight must be a positive number"):
        validate_vitals(weight=60, previous_weight=previous)


# --- SBP above DBP --------------------------------------------------------------------------


@pytest.mark.parametrize(("sbp", "dbp"), [(90, 90), (80, 90), (120, 180), (100, 100.0)])
def test_sbp_not_above_dbp_is_refused(sbp: float, dbp: float) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_vitals(sbp=sbp, dbp=dbp)
    assert (caught.value.field, caught.value.reason_key) == ("sbp", "vital.sbp_not_above_dbp")


@pytest.mark.parametrize(("sbp", "dbp"), [(91, 90), (90.1, 90), (51, 50)])
def test_sbp_just_above_dbp_is_accepted(sbp: float, dbp: float) -> None:
    assert len(validate_vitals(sbp=sbp, dbp=dbp).flags) == 2


def test_range_errors_come_before_the_sbp_dbp_check() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_vitals(sbp=120, dbp=210)
    assert (caught.value.field, caught.value.reason_key) == ("dbp", "vital.out_of_range")


# --- the assessment -------------------------------------------------------------------------


def test_no_values_no_flags() -> None:
    assessment = validate_vitals()
    assert assessment.flags == ()
    assert not assessment.is_urgent
    assert not assessment.is_abnormal
    assert assessment.flag("sbp") is None
    assert assessment.level("sbp") is None


def test_flags_follow_table_order_and_levels_are_strings() -> None:
    assessment = validate_vitals(weight=60, glucose=5.0, spo2=98, temperature=36.5, pulse=72, dbp=80, sbp=120)
    assert [flag.field for flag in assessment.flags] == [
        "sbp", "dbp", "pulse", "temperature", "spo2", "glucose", "weight",
    ]  # fmt: skip
    assert all(flag.level == "normal" for flag in assessment.flags)
    assert not assessment.is_abnormal
    assert not assessment.is_urgent


@pytest.mark.parametrize(
    ("values", "abnormal", "urgent"),
    [
        ({"sbp": 139, "dbp": 89}, False, False),
        ({"sbp": 140, "dbp": 89}, True, False),
        ({"sbp": 150, "dbp": 110}, True, True),
        ({"sbp": 180, "dbp": 80}, True, True),
        ({"glucose": 3.8}, True, True),
        ({"glucose": 16.7}, True, True),
        ({"glucose": 12.0}, True, False),
        ({"temperature": 39.0, "spo2": 91, "pulse": 120}, True, False),
        ({"temperature": 39.1}, True, True),
        ({"spo2": 89}, True, True),
    ],
)
def test_is_abnormal_and_is_urgent(values: dict[str, float], abnormal: bool, urgent: bool) -> None:
    assessment = validate_vitals(**values)  # type: ignore[arg-type]
    assert (assessment.is_abnormal, assessment.is_urgent) == (abnormal, urgent)


@pytest.mark.parametrize(
    ("pulse", "diabetic", "level"),
    [(100, True, NORMAL), (101, True, URGENT), (101, False, ABNORMAL), (49, True, ABNORMAL), (160, True, URGENT)],
)
def test_a_fast_pulse_is_urgent_for_a_diabetic_only(pulse: int, diabetic: bool, level: FlagLevel) -> None:
    assert validate_vitals(pulse=pulse, diabetic=diabetic).level("pulse") == level


def test_level_returns_the_fields_level() -> None:
    assessment = validate_vitals(sbp=185, dbp=95, pulse=70)
    assert assessment.level("sbp") == "urgent"
    assert assessment.level("dbp") == "abnormal"
    assert assessment.level("pulse") == "normal"
    assert assessment.level("glucose") is None


# --- parse_measurement ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), ("  ", None), ("120", 120.0), (" 36.5 ", 36.5), ("３６．５", 36.5),
     ("36,5", 36.5), ("36。5", 36.5), ("5", 5.0)],
)  # fmt: skip
def test_parse_measurement(text: str, expected: float | None) -> None:
    assert parse_measurement("temperature", text) == expected


@pytest.mark.parametrize("text", ["abc", "36.5度", "1.2.3", "nan", "inf", "120/80"])
def test_parse_measurement_refuses_non_numbers(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_measurement("sbp", text)
    assert (caught.value.field, caught.value.reason_key) == ("sbp", "vital.not_number")


# --- messages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "zh", "en"),
    [
        ("sbp", 350, "50–300 mmHg", "50–300 mmHg"),
        ("pulse", 300, "20–250 次/分", "20–250 /min"),
        ("temperature", 29.9, "30.0–45.0 °C", "30.0–45.0 °C"),
        ("spo2", 101, "50–100 %", "50–100 %"),
        ("glucose", 40.1, "1.0–40.0 mmol/L", "1.0–40.0 mmol/L"),
        ("weight", 650, "20–250 kg", "20–250 kg"),
    ],
)
def test_range_error_gives_range_and_unit_in_both_languages(
    field: str, value: float, zh: str, en: str, language: None
) -> None:
    error = refused(field, value)
    for lang, expected in (("zh_CN", zh), ("en", en)):
        set_language(lang)
        message = str(error)
        assert expected in message
        assert t(f"field.{field}") in message
        assert str(value) in message
        assert error.reason in message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sbp_dbp_error_names_field_value_and_reason(lang: str, language: None) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_vitals(sbp=80, dbp=90)
    set_language(lang)
    message = str(caught.value)
    assert t("field.sbp") in message
    assert "80" in message
    assert "90" in message
    assert caught.value.reason in message


REASONS = sorted(
    {reason for _, _, _, reason in LEVELS}
    | {row[2] for row in GLUCOSE}
    | {row[4] for row in GLUCOSE}
    | {"vital.weight_gain", "vital.weight_loss"}
)


@pytest.mark.parametrize("reason_key", REASONS)
def test_every_flag_reason_is_registered(reason_key: str, language: None) -> None:
    assert reason_key in known_keys()
    texts = set()
    for lang in LANGUAGES:
        set_language(lang)
        text = t(reason_key, percent=Decimal("6.0"), previous=Decimal(60))
        assert text
        assert "{" not in text
        texts.add(text)
    assert len(texts) == 2
