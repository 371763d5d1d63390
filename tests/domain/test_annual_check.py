"""The annual health check as a record (app.domain.annual_check; DOMAIN §3; issue #16 item 7)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.annual_check import ANNUAL_ITEMS, annual_check_assessment
from app.domain.errors import ValidationError
from app.domain.i18n import set_language

TODAY = date(2026, 11, 16)

COMPLETE: dict[str, object] = {
    "temperature": "36.6",
    "pulse": 72,
    "respiration": 16,
    "sbp_left": 138,
    "dbp_left": 82,
    "sbp_right": 136,
    "dbp_right": 80,
    "height": 160,
    "weight": 56.3,
    "waist": 82,
    "self_care_score": 3,
    "cognition": "normal",
    "mood": "正常",
    "blood_routine": "normal",
    "urine_routine": "abnormal",
    "fasting_glucose": "6.1",
    "lipids": "异常",
    "liver_function": "normal",
    "kidney_function": "normal",
    "ecg": "normal",
    "abdominal_ultrasound": "未做",
}


def record(values: dict[str, object], summary: str = "尿常规异常，复查；低盐低脂饮食") -> object:
    return annual_check_assessment(values, summary=summary, assessed_on=TODAY, today=TODAY)


def refused(values: dict[str, object], summary: str = "总结") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        record(values, summary)
    return caught.value


def test_a_complete_check_is_done_with_the_bmi_and_the_summary() -> None:
    fields = annual_check_assessment(COMPLETE, summary=" 尿常规异常 ", assessed_on=TODAY, today=TODAY)
    assert (fields.kind.value, fields.result, fields.notes) == ("annual_check", "done", "尿常规异常")
    assert fields.score is None
    assert fields.items["bmi"] == 22.0 and fields.items["pulse"] == 72 and fields.items["temperature"] == 36.6
    assert (fields.items["mood"], fields.items["lipids"], fields.items["abdominal_ultrasound"]) == (
        "normal",
        "abnormal",
        "not_done",
    )
    assert list(fields.items) == [item.key for item in ANNUAL_ITEMS] + ["bmi"]


@pytest.mark.parametrize("key", [item.key for item in ANNUAL_ITEMS])
def test_every_item_is_required(key: str) -> None:
    values = dict(COMPLETE)
    values[key] = ""
    error = refused(values)
    assert error.reason_key == "annual.missing_items"
    del values[key]
    assert refused(values).reason_key == "annual.missing_items"


def test_the_summary_closes_the_check() -> None:
    assert refused(COMPLETE, summary="  ").field == "annual_summary"


@pytest.mark.parametrize(
    ("key", "value", "accepted"),
    [
        ("respiration", 4, False),
        ("respiration", 5, True),
        ("respiration", 60, True),
        ("respiration", 61, False),
        ("respiration", 16.5, False),
        ("waist", 39.9, False),
        ("waist", 40, True),
        ("waist", 200, True),
        ("waist", 200.1, False),
        ("self_care_score", 37, True),
        ("self_care_score", 38, False),
        ("self_care_score", -1, False),
        ("temperature", "45.1", False),
        ("temperature", "四十", False),
        ("fasting_glucose", "0.9", False),
        ("fasting_glucose", "1.0", True),
        ("height", 99, False),
        ("ecg", "maybe", False),
    ],
)
def test_numbers_in_range_and_findings(key: str, value: object, accepted: bool) -> None:
    values = {**COMPLETE, key: value}
    if accepted:
        assert record(values) is not None
    else:
        assert refused(values).field == "annual_check"


def test_sbp_above_dbp_on_each_arm_and_unknown_items() -> None:
    error = refused({**COMPLETE, "sbp_right": 80, "dbp_right": 80})
    set_language("en")
    assert error.reason_key == "annual.sbp_not_above_dbp" and "right" in error.reason
    assert refused({**COMPLETE, "hearing": "normal"}).reason_key == "annual.unknown_item"


def test_not_in_the_future() -> None:
    with pytest.raises(ValidationError) as caught:
        annual_check_assessment(COMPLETE, summary="x", assessed_on=date(2026, 11, 17), today=TODAY)
    assert caught.value.field == "assessed_on"
