"""The annual health check — 老年人健康管理年度体检 (DOMAIN §3): a dated record of its own.

Every item of the form is asked for (an item left out is an error, never a silent blank): the physical
exam as numbers (temperature, pulse, respiration, BP on both arms, height, weight, waist; BMI worked out),
the self-care score, the cognition and mood screens, the tests — blood and urine, fasting glucose (a
number), lipids, liver and kidney function, ECG, abdominal ultrasound (腹部B超) — each ``normal``,
``abnormal`` or ``not_done``, and the doctor's summary (abnormal findings, guidance), which closes it.

Stored as an ``assessment`` of kind ``annual_check``: the items as JSON, result ``done``, the summary as its
notes. Recording one resets the "annual check due" clock (``resident_facts.checked_day``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from app.domain.assessments import SELF_CARE_MAX_SCORE
from app.domain.errors import ValidationError
from app.domain.follow_up import bmi
from app.domain.i18n import register, t
from app.domain.records import AssessmentFields, AssessmentKind, check_past_date, clean
from app.domain.validation import MessageList, MessageRef, to_half_width
from app.domain.vitals import VITAL_RANGES

SUMMARY_TEXT = 1000

register(
    {
        "field.annual_check": {"zh_CN": "年度体检", "en": "annual health check"},
        "field.annual_summary": {"zh_CN": "体检结论（医生）", "en": "doctor's summary"},
        "annual.item.temperature": {"zh_CN": "体温 (°C)", "en": "temperature (°C)"},
        "annual.item.pulse": {"zh_CN": "脉率 (次/分)", "en": "pulse (/min)"},
        "annual.item.respiration": {"zh_CN": "呼吸频率 (次/分)", "en": "respiration (/min)"},
        "annual.item.sbp_left": {"zh_CN": "左侧收缩压 (mmHg)", "en": "left arm SBP (mmHg)"},
        "annual.item.dbp_left": {"zh_CN": "左侧舒张压 (mmHg)", "en": "left arm DBP (mmHg)"},
        "annual.item.sbp_right": {"zh_CN": "右侧收缩压 (mmHg)", "en": "right arm SBP (mmHg)"},
        "annual.item.dbp_right": {"zh_CN": "右侧舒张压 (mmHg)", "en": "right arm DBP (mmHg)"},
        "annual.item.height": {"zh_CN": "身高 (cm)", "en": "height (cm)"},
        "annual.item.weight": {"zh_CN": "体重 (kg)", "en": "weight (kg)"},
        "annual.item.waist": {"zh_CN": "腰围 (cm)", "en": "waist (cm)"},
        "annual.item.self_care_score": {"zh_CN": "生活自理能力评分", "en": "self-care score"},
        "annual.item.cognition": {"zh_CN": "认知功能筛查", "en": "cognition screen"},
        "annual.item.mood": {"zh_CN": "情感状态筛查", "en": "mood screen"},
        "annual.item.blood_routine": {"zh_CN": "血常规", "en": "blood count"},
        "annual.item.urine_routine": {"zh_CN": "尿常规", "en": "urinalysis"},
        "annual.item.fasting_glucose": {"zh_CN": "空腹血糖 (mmol/L)", "en": "fasting glucose (mmol/L)"},
        "annual.item.lipids": {"zh_CN": "血脂", "en": "lipids"},
        "annual.item.liver_function": {"zh_CN": "肝功能", "en": "liver function"},
        "annual.item.kidney_function": {"zh_CN": "肾功能", "en": "kidney function"},
        "annual.item.ecg": {"zh_CN": "心电图", "en": "ECG"},
        "annual.item.abdominal_ultrasound": {"zh_CN": "腹部B超", "en": "abdominal ultrasound"},
        "annual.finding.normal": {"zh_CN": "正常", "en": "normal"},
        "annual.finding.abnormal": {"zh_CN": "异常", "en": "abnormal"},
        "annual.finding.not_done": {"zh_CN": "未做", "en": "not done"},
        "annual.missing_items": {"zh_CN": "还有项目未填：{items}", "en": "some items are not filled in: {items}"},
        "annual.unknown_item": {
            "zh_CN": "没有“{item}”这一体检项目",
            "en": "“{item}” is not an item of the annual check",
        },
        "annual.not_number": {"zh_CN": "“{item}”应填数字", "en": "“{item}” must be a number"},
        "annual.out_of_range": {
            "zh_CN": "“{item}”超出可录入范围 {minimum}–{maximum}，请检查是否输错",
            "en": "“{item}” is outside the accepted range {minimum}–{maximum}; check for a typing error",
        },
        "annual.bad_finding": {
            "zh_CN": "“{item}”只能是：normal（正常）、abnormal（异常）、not_done（未做）",
            "en": "“{item}” must be normal, abnormal or not_done",
        },
        "annual.sbp_not_above_dbp": {
            "zh_CN": "收缩压应高于舒张压（{side}）",
            "en": "the systolic pressure must be above the diastolic ({side})",
        },
        "annual.side.left": {"zh_CN": "左侧", "en": "left arm"},
        "annual.side.right": {"zh_CN": "右侧", "en": "right arm"},
        "annual.summary_required": {
            "zh_CN": "请填写体检结论（异常发现和健康指导），体检以医生结论结束",
            "en": "enter the doctor's summary (abnormal findings, guidance): it closes the check",
        },
    }
)


@dataclass(frozen=True)
class AnnualItem:
    """One item of the form: a number in a range, or a finding (normal / abnormal / not done).

    Attributes:
        key: the item's key (``annual.item.<key>`` is its label).
        minimum, maximum: the accepted range of a number; None for a finding.
        whole: the number is a whole number.
    """

    key: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    whole: bool = False

    @property
    def numeric(self) -> bool:
        return self.minimum is not None

    @property
    def label(self) -> str:
        return t(f"annual.item.{self.key}")


def _vital(key: str, vital: str, *, whole: bool = False) -> AnnualItem:
    spec = VITAL_RANGES[vital]
    return AnnualItem(key, spec.minimum, spec.maximum, whole)


FINDINGS = ("normal", "abnormal", "not_done")

ANNUAL_ITEMS: tuple[AnnualItem, ...] = (
    _vital("temperature", "temperature"),
    _vital("pulse", "pulse", whole=True),
    AnnualItem("respiration", Decimal(5), Decimal(60), True),
    _vital("sbp_left", "sbp", whole=True),
    _vital("dbp_left", "dbp", whole=True),
    _vital("sbp_right", "sbp", whole=True),
    _vital("dbp_right", "dbp", whole=True),
    AnnualItem("height", Decimal(100), Decimal(220)),
    _vital("weight", "weight"),
    AnnualItem("waist", Decimal(40), Decimal(200)),
    AnnualItem("self_care_score", Decimal(0), Decimal(SELF_CARE_MAX_SCORE), True),
    AnnualItem("cognition"),
    AnnualItem("mood"),
    AnnualItem("blood_routine"),
    AnnualItem("urine_routine"),
    _vital("fasting_glucose", "glucose"),
    AnnualItem("lipids"),
    AnnualItem("liver_function"),
    AnnualItem("kidney_function"),
    AnnualItem("ecg"),
    AnnualItem("abdominal_ultrasound"),
)
"""The form's items in its order (DOMAIN §3)."""

ITEMS_BY_KEY = {item.key: item for item in ANNUAL_ITEMS}

_FINDING_NAMES = {
    "normal": ("normal", "正常", "阴性"),
    "abnormal": ("abnormal", "异常", "阳性"),
    "not_done": ("not_done", "not done", "未做", "未查"),
}


def annual_check_assessment(
    values: Mapping[str, object],
    *,
    summary: str,
    assessed_on: date,
    today: date,
    birth_date: date | None = None,
) -> AssessmentFields:
    """Check an annual health check: every item given, numbers in range, the doctor's summary written.

    Args:
        values: every item of :data:`ANNUAL_ITEMS` by key — numbers (or their text) for the exam, a finding
            (``normal`` / ``abnormal`` / ``not_done``, or 正常 / 异常 / 未做) for the screens and tests.

    Returns:
        The assessment to store: items (with the BMI worked out), result ``done``, the summary as notes.

    Raises:
        ValidationError: on ``annual_check`` for an unknown or missing item, a number out of range or not a
            number, a bad finding, SBP not above DBP on an arm; on ``annual_summary`` without a summary;
            on ``assessed_on`` for a bad date.
    """
    check_past_date(assessed_on, field="assessed_on", today=today, birth_date=birth_date)
    for key in values:
        if key not in ITEMS_BY_KEY:
            raise ValidationError("annual_check", key, "annual.unknown_item", item=key)
    missing = [item.key for item in ANNUAL_ITEMS if _blank(values.get(item.key))]
    if missing:
        raise ValidationError(
            "annual_check",
            "",
            "annual.missing_items",
            items=MessageList([f"annual.item.{key}" for key in missing]),
        )
    items: dict[str, object] = {}
    for item in ANNUAL_ITEMS:
        items[item.key] = _number(item, values[item.key]) if item.numeric else _finding(item, values[item.key])
    for side in ("left", "right"):
        sbp, dbp = items[f"sbp_{side}"], items[f"dbp_{side}"]
        assert isinstance(sbp, int | float) and isinstance(dbp, int | float)
        if sbp <= dbp:
            which = MessageRef(f"annual.side.{side}")
            raise ValidationError("annual_check", sbp, "annual.sbp_not_above_dbp", side=which)
    weight, height = items["weight"], items["height"]
    assert isinstance(weight, int | float) and isinstance(height, int | float)
    items["bmi"] = bmi(float(weight), float(height))
    text = clean(summary, field="annual_summary", maximum=SUMMARY_TEXT)
    if not text:
        raise ValidationError("annual_summary", "", "annual.summary_required")
    return AssessmentFields(AssessmentKind.ANNUAL_CHECK, assessed_on, None, "done", items, text)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(item: AnnualItem, value: object) -> int | float:
    assert item.minimum is not None and item.maximum is not None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(to_half_width(str(value)).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError("annual_check", value, "annual.not_number", item=item.label) from None
    if not number.is_finite() or (item.whole and number != number.to_integral_value()):
        raise ValidationError("annual_check", value, "annual.not_number", item=item.label)
    if not item.minimum <= number <= item.maximum:
        raise ValidationError(
            "annual_check", value, "annual.out_of_range", item=item.label, minimum=item.minimum, maximum=item.maximum
        )
    result = float(number)
    assert math.isfinite(result)
    return int(number) if item.whole else result


def _finding(item: AnnualItem, value: object) -> str:
    folded = to_half_width(str(value)).strip().lower()
    for finding, names in _FINDING_NAMES.items():
        if folded in names:
            return finding
    raise ValidationError("annual_check", value, "annual.bad_finding", item=item.label)


def finding_label(finding: str) -> str:
    """Return a finding in words (正常 / 异常 / 未做)."""
    return t(f"annual.finding.{finding}") if finding in FINDINGS else finding
