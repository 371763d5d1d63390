"""Vital signs (生命体征): accepted input ranges and which values to highlight.

Values outside the accepted range are refused as typing errors; values inside it are accepted
and flagged ``normal``, ``abnormal`` (highlighted) or ``urgent`` (act today). Comparisons use
:class:`~decimal.Decimal` of the value as written, so 37.3 °C is exactly 37.3.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import MessageRef, to_half_width

register(
    {
        "field.sbp": {"zh_CN": "收缩压", "en": "systolic BP"},
        "field.dbp": {"zh_CN": "舒张压", "en": "diastolic BP"},
        "field.pulse": {"zh_CN": "脉搏", "en": "pulse"},
        "field.temperature": {"zh_CN": "体温", "en": "temperature"},
        "field.spo2": {"zh_CN": "血氧饱和度", "en": "SpO2"},
        "field.glucose": {"zh_CN": "血糖", "en": "blood glucose"},
        "field.weight": {"zh_CN": "体重", "en": "weight"},
        "unit.mmhg": {"zh_CN": "mmHg", "en": "mmHg"},
        "unit.per_minute": {"zh_CN": "次/分", "en": "/min"},
        "unit.celsius": {"zh_CN": "°C", "en": "°C"},
        "unit.percent": {"zh_CN": "%", "en": "%"},
        "unit.mmol_l": {"zh_CN": "mmol/L", "en": "mmol/L"},
        "unit.kg": {"zh_CN": "kg", "en": "kg"},
        "vital.not_number": {"zh_CN": "请填写数字", "en": "enter a number"},
        "vital.out_of_range": {
            "zh_CN": "超出可录入范围 {minimum}–{maximum} {unit}，请检查是否输错",
            "en": "outside the accepted range {minimum}–{maximum} {unit}; check for a typing error",
        },
        "vital.sbp_not_above_dbp": {
            "zh_CN": "应高于舒张压（{dbp} mmHg），请检查是否填反",
            "en": "must be higher than the diastolic pressure ({dbp} mmHg); check they are not swapped",
        },
        "vital.normal": {"zh_CN": "正常", "en": "normal"},
        "vital.sbp_urgent": {
            "zh_CN": "收缩压 ≥ 180 mmHg，需当天处理",
            "en": "systolic ≥ 180 mmHg: act today",
        },
        "vital.sbp_high": {"zh_CN": "收缩压 ≥ 140 mmHg，偏高", "en": "systolic ≥ 140 mmHg: high"},
        "vital.sbp_low": {"zh_CN": "收缩压 < 90 mmHg，偏低", "en": "systolic < 90 mmHg: low"},
        "vital.dbp_urgent": {
            "zh_CN": "舒张压 ≥ 110 mmHg，需当天处理",
            "en": "diastolic ≥ 110 mmHg: act today",
        },
        "vital.dbp_high": {"zh_CN": "舒张压 ≥ 90 mmHg，偏高", "en": "diastolic ≥ 90 mmHg: high"},
        "vital.dbp_low": {"zh_CN": "舒张压 < 60 mmHg，偏低", "en": "diastolic < 60 mmHg: low"},
        "vital.pulse_low": {"zh_CN": "脉搏 < 50 次/分，偏慢", "en": "pulse < 50 /min: slow"},
        "vital.pulse_high": {"zh_CN": "脉搏 > 100 次/分，偏快", "en": "pulse > 100 /min: fast"},
        "vital.pulse_urgent": {
            "zh_CN": "糖尿病患者脉搏 > 100 次/分，如持续需当天处理",
            "en": "diabetic with pulse > 100 /min: act today if it persists",
        },
        "vital.fever": {"zh_CN": "体温 ≥ 37.3 °C，发热", "en": "temperature ≥ 37.3 °C: fever"},
        "vital.fever_urgent": {
            "zh_CN": "体温 > 39.0 °C，高热，需当天处理",
            "en": "temperature > 39.0 °C: high fever, act today",
        },
        "vital.spo2_low": {"zh_CN": "血氧饱和度 < 93%，偏低", "en": "SpO2 < 93%: low"},
        "vital.spo2_urgent": {
            "zh_CN": "血氧饱和度 < 90%，需当天处理",
            "en": "SpO2 < 90%: act today",
        },
        "vital.glucose_urgent_high": {
            "zh_CN": "血糖 ≥ 16.7 mmol/L，需当天处理",
            "en": "glucose ≥ 16.7 mmol/L: act today",
        },
        "vital.glucose_urgent_low": {
            "zh_CN": "血糖 ≤ 3.9 mmol/L，低血糖，需当天处理",
            "en": "glucose ≤ 3.9 mmol/L: hypoglycaemia, act today",
        },
        "vital.glucose_fasting_high": {
            "zh_CN": "空腹血糖 ≥ 7.0 mmol/L，偏高",
            "en": "fasting glucose ≥ 7.0 mmol/L: high",
        },
        "vital.glucose_random_high": {
            "zh_CN": "随机血糖 ≥ 11.1 mmol/L，偏高",
            "en": "random glucose ≥ 11.1 mmol/L: high",
        },
        "vital.weight_gain": {
            "zh_CN": "体重较上次增加 {percent}%（上次 {previous} kg）",
            "en": "weight up {percent}% since last time ({previous} kg)",
        },
        "vital.weight_loss": {
            "zh_CN": "体重较上次减少 {percent}%（上次 {previous} kg）",
            "en": "weight down {percent}% since last time ({previous} kg)",
        },
    }
)


class FlagLevel(StrEnum):
    """How a recorded value is shown: plain, highlighted, or as needing action today."""

    NORMAL = "normal"
    ABNORMAL = "abnormal"
    URGENT = "urgent"


@dataclass(frozen=True)
class VitalRange:
    """The accepted input range of one measure, inclusive at both ends.

    Attributes:
        field: the field key, e.g. ``"sbp"`` (label ``field.sbp``).
        minimum: smallest accepted value.
        maximum: largest accepted value.
        unit_key: message key of the unit, e.g. ``"unit.mmhg"``.
    """

    field: str
    minimum: Decimal
    maximum: Decimal
    unit_key: str

    def contains(self, value: Decimal) -> bool:
        return self.minimum <= value <= self.maximum


VITAL_RANGES: dict[str, VitalRange] = {
    vital.field: vital
    for vital in (
        VitalRange("sbp", Decimal(50), Decimal(300), "unit.mmhg"),
        VitalRange("dbp", Decimal(20), Decimal(200), "unit.mmhg"),
        VitalRange("pulse", Decimal(20), Decimal(250), "unit.per_minute"),
        VitalRange("temperature", Decimal("30.0"), Decimal("45.0"), "unit.celsius"),
        VitalRange("spo2", Decimal(50), Decimal(100), "unit.percent"),
        VitalRange("glucose", Decimal("1.0"), Decimal("40.0"), "unit.mmol_l"),
        VitalRange("weight", Decimal(20), Decimal(250), "unit.kg"),
    )
}

# A weight change of more than this share of the previous weight is highlighted.
WEIGHT_CHANGE_LIMIT = Decimal("0.05")


@dataclass(frozen=True)
class VitalFlag:
    """The assessment of one recorded value.

    Attributes:
        field: the field key, e.g. ``"sbp"``.
        level: normal, abnormal or urgent.
        reason_key: message key explaining the level (``vital.normal`` when normal).
        params: parameters of the reason message.
    """

    field: str
    level: FlagLevel
    reason_key: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def reason(self) -> MessageRef:
        return MessageRef(self.reason_key, **dict(self.params))


@dataclass(frozen=True)
class VitalsAssessment:
    """The flags of one set of vital signs, one per value recorded, in table order."""

    flags: tuple[VitalFlag, ...]

    @property
    def is_urgent(self) -> bool:
        return any(flag.level is FlagLevel.URGENT for flag in self.flags)

    @property
    def is_abnormal(self) -> bool:
        """Whether any value is highlighted (abnormal or urgent)."""
        return any(flag.level is not FlagLevel.NORMAL for flag in self.flags)

    def flag(self, field: str) -> VitalFlag | None:
        """Return the flag of ``field``, or ``None`` if that value was not recorded."""
        return next((flag for flag in self.flags if flag.field == field), None)

    def level(self, field: str) -> FlagLevel | None:
        found = self.flag(field)
        return None if found is None else found.level


def parse_measurement(field: str, text: str) -> float | None:
    """Return the number typed for a vital sign, or ``None`` if the box is empty.

    Full-width digits and a decimal comma are accepted; the range is checked by
    :func:`validate_vitals`.

    Raises:
        ValidationError: ``vital.not_number`` on ``field`` if ``text`` is not a number.
    """
    cleaned = to_half_width(text).strip().replace(",", ".").replace("。", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationError(field, text, "vital.not_number") from None
    if not math.isfinite(value):
        raise ValidationError(field, text, "vital.not_number")
    return value


def validate_vitals(
    *,
    sbp: float | None = None,
    dbp: float | None = None,
    pulse: float | None = None,
    temperature: float | None = None,
    spo2: float | None = None,
    glucose: float | None = None,
    glucose_fasting: bool = False,
    weight: float | None = None,
    previous_weight: float | None = None,
    diabetic: bool = False,
) -> VitalsAssessment:
    """Check a set of vital signs and flag each recorded value.

    Urgent (DOMAIN §4, §7): SBP ≥ 180, DBP ≥ 110, glucose ≥ 16.7 or ≤ 3.9 (3.9 itself), temperature
    > 39.0 °C and SpO2 < 90 % for anyone; pulse > 100 for a diabetic (for anyone else it is only high).

    Args:
        glucose_fasting: whether ``glucose`` was measured fasting (空腹) rather than random.
        diabetic: the resident has diabetes (a fast pulse is urgent).
        previous_weight: the last recorded weight in kg, to flag a change of more than 5 %.

    Returns:
        One flag per value that is not ``None``.

    Raises:
        ValidationError: on the field of the first value outside its accepted range (the message
            gives the range and unit), or on ``sbp`` when it is not higher than ``dbp``.
        ValueError: if ``previous_weight`` is not a positive number (a programming error).
    """
    given = {
        "sbp": sbp,
        "dbp": dbp,
        "pulse": pulse,
        "temperature": temperature,
        "spo2": spo2,
        "glucose": glucose,
        "weight": weight,
    }
    values = {field: _checked(field, value) for field, value in given.items() if value is not None}
    if "sbp" in values and "dbp" in values and values["sbp"] <= values["dbp"]:
        raise ValidationError("sbp", sbp, "vital.sbp_not_above_dbp", dbp=dbp)
    rules: dict[str, Callable[[Decimal], VitalFlag]] = {
        "sbp": _sbp_flag,
        "dbp": _dbp_flag,
        "pulse": lambda value: _pulse_flag(value, diabetic=diabetic),
        "temperature": _temperature_flag,
        "spo2": _spo2_flag,
        "glucose": lambda value: _glucose_flag(value, fasting=glucose_fasting),
        "weight": lambda value: _weight_flag(value, previous=previous_weight),
    }
    return VitalsAssessment(tuple(rules[field](value) for field, value in values.items()))


def validate_vital_values(
    values: Mapping[str, float],
    *,
    glucose_fasting: bool = False,
    previous_weight: float | None = None,
    diabetic: bool = False,
) -> VitalsAssessment:
    """Return :func:`validate_vitals` of ``values`` given by field name (``sbp``, ``glucose``, ...).

    Raises:
        ValidationError: as :func:`validate_vitals`; a name that is not a vital sign is a programming error.
    """
    unknown = set(values) - set(VITAL_RANGES)
    if unknown:
        raise ValueError(f"not vital signs: {sorted(unknown)}")
    return validate_vitals(
        sbp=values.get("sbp"),
        dbp=values.get("dbp"),
        pulse=values.get("pulse"),
        temperature=values.get("temperature"),
        spo2=values.get("spo2"),
        glucose=values.get("glucose"),
        glucose_fasting=glucose_fasting,
        weight=values.get("weight"),
        previous_weight=previous_weight,
        diabetic=diabetic,
    )


def _checked(field: str, value: float) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValidationError(field, value, "vital.not_number")
    if not math.isfinite(value):
        raise ValidationError(field, value, "vital.not_number")
    number = Decimal(str(value))
    vital = VITAL_RANGES[field]
    if not vital.contains(number):
        raise ValidationError(
            field,
            value,
            "vital.out_of_range",
            minimum=vital.minimum,
            maximum=vital.maximum,
            unit=MessageRef(vital.unit_key),
        )
    return number


def _flag(field: str, level: FlagLevel, reason_key: str, **params: object) -> VitalFlag:
    return VitalFlag(field, level, reason_key, tuple(params.items()))


def _normal(field: str) -> VitalFlag:
    return _flag(field, FlagLevel.NORMAL, "vital.normal")


def _sbp_flag(value: Decimal) -> VitalFlag:
    if value >= 180:
        return _flag("sbp", FlagLevel.URGENT, "vital.sbp_urgent")
    if value >= 140:
        return _flag("sbp", FlagLevel.ABNORMAL, "vital.sbp_high")
    if value < 90:
        return _flag("sbp", FlagLevel.ABNORMAL, "vital.sbp_low")
    return _normal("sbp")


def _dbp_flag(value: Decimal) -> VitalFlag:
    if value >= 110:
        return _flag("dbp", FlagLevel.URGENT, "vital.dbp_urgent")
    if value >= 90:
        return _flag("dbp", FlagLevel.ABNORMAL, "vital.dbp_high")
    if value < 60:
        return _flag("dbp", FlagLevel.ABNORMAL, "vital.dbp_low")
    return _normal("dbp")


def _pulse_flag(value: Decimal, *, diabetic: bool) -> VitalFlag:
    if value < 50:
        return _flag("pulse", FlagLevel.ABNORMAL, "vital.pulse_low")
    if value > 100:
        if diabetic:
            return _flag("pulse", FlagLevel.URGENT, "vital.pulse_urgent")
        return _flag("pulse", FlagLevel.ABNORMAL, "vital.pulse_high")
    return _normal("pulse")


def _temperature_flag(value: Decimal) -> VitalFlag:
    if value > Decimal("39.0"):
        return _flag("temperature", FlagLevel.URGENT, "vital.fever_urgent")
    if value >= Decimal("37.3"):
        return _flag("temperature", FlagLevel.ABNORMAL, "vital.fever")
    return _normal("temperature")


def _spo2_flag(value: Decimal) -> VitalFlag:
    if value < 90:
        return _flag("spo2", FlagLevel.URGENT, "vital.spo2_urgent")
    if value < 93:
        return _flag("spo2", FlagLevel.ABNORMAL, "vital.spo2_low")
    return _normal("spo2")


def _glucose_flag(value: Decimal, *, fasting: bool) -> VitalFlag:
    if value >= Decimal("16.7"):
        return _flag("glucose", FlagLevel.URGENT, "vital.glucose_urgent_high")
    if value <= Decimal("3.9"):
        return _flag("glucose", FlagLevel.URGENT, "vital.glucose_urgent_low")
    if fasting and value >= Decimal("7.0"):
        return _flag("glucose", FlagLevel.ABNORMAL, "vital.glucose_fasting_high")
    if not fasting and value >= Decimal("11.1"):
        return _flag("glucose", FlagLevel.ABNORMAL, "vital.glucose_random_high")
    return _normal("glucose")


def _weight_flag(value: Decimal, *, previous: float | None) -> VitalFlag:
    if previous is None:
        return _normal("weight")
    if isinstance(previous, bool) or not math.isfinite(previous) or previous <= 0:
        raise ValueError(f"previous_weight must be a positive number, got {previous!r}")
    before = Decimal(str(previous))
    change = value - before
    if abs(change) <= before * WEIGHT_CHANGE_LIMIT:
        return _normal("weight")
    percent = (abs(change) * 100 / before).quantize(Decimal("0.1"))
    reason = "vital.weight_gain" if change > 0 else "vital.weight_loss"
    return _flag("weight", FlagLevel.ABNORMAL, reason, percent=percent, previous=before)


register(
    {
        "visit.urgent_banner": {"zh_CN": "紧急：{reasons}", "en": "Urgent: {reasons}"},
        "visit.urgent_advice": {
            "zh_CN": "请今天处理：考虑转诊（可走绿色通道），并提请医生复核分类颜色。",
            "en": "Act today: consider a referral (green channel) and ask the doctor to review the colour.",
        },
        "visit.urgent_advice_referred": {
            "zh_CN": "已填写转诊；请提请医生复核分类颜色。",
            "en": "A referral is entered; ask the doctor to review the colour.",
        },
    }
)


def urgent_advice(assessment: VitalsAssessment, *, referred: bool) -> list[str]:
    """Return the alert lines for urgent vital signs: what is urgent, then what to do (empty if none).

    Args:
        assessment: the flags of the visit's vital signs.
        referred: a referral is already entered (then only the colour review is asked for).
    """
    urgent = [flag.reason for flag in assessment.flags if flag.level is FlagLevel.URGENT]
    if not urgent:
        return []
    reasons = t("list.separator").join(str(reason) for reason in urgent)
    advice = t("visit.urgent_advice_referred") if referred else t("visit.urgent_advice")
    return [t("visit.urgent_banner", reasons=reasons), advice]
