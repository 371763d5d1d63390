"""Chronic-disease follow-up — 慢病随访 (DOMAIN §4): the diseases, their classifications, and proposals.

Hypertension and type 2 diabetes each have their own follow-up form at a visit: a classification
(:class:`ChronicClass`), medication adherence, foot pulses for diabetes, height for the BMI. This module names
them, parses what was typed, and proposes a classification from the measured values
(:func:`suggest_follow_up`, with the BP target of :func:`bp_target`) and a referral (:func:`proposed_referral`);
the doctor or nurse always chooses. :mod:`app.domain.visits` checks a whole visit with them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import to_half_width

register(
    {
        "chronic.controlled": {"zh_CN": "控制满意", "en": "Controlled"},
        "chronic.not_controlled": {"zh_CN": "控制不满意", "en": "Not controlled"},
        "chronic.adverse_reaction": {"zh_CN": "不良反应", "en": "Adverse reaction"},
        "chronic.complication": {"zh_CN": "并发症", "en": "Complication"},
        "visit.chronic_invalid": {
            "zh_CN": "分类只能是：控制满意、控制不满意、不良反应、并发症",
            "en": "the classification is one of: controlled, not controlled, adverse reaction, complication",
        },
        "visit.suggest.bp_high": {
            "zh_CN": "血压 {sbp}/{dbp} mmHg（≥ 140/90）",
            "en": "BP {sbp}/{dbp} mmHg (≥ 140/90)",
        },
        "visit.suggest.bp_ok": {"zh_CN": "血压 {sbp}/{dbp} mmHg（< 140/90）", "en": "BP {sbp}/{dbp} mmHg (< 140/90)"},
        "visit.suggest.glucose_high": {
            "zh_CN": "空腹血糖 {value} mmol/L（≥ 7.0）",
            "en": "fasting glucose {value} mmol/L (≥ 7.0)",
        },
        "visit.suggest.glucose_ok": {
            "zh_CN": "空腹血糖 {value} mmol/L（< 7.0）",
            "en": "fasting glucose {value} mmol/L (< 7.0)",
        },
        "visit.suggest.bp_high_aged": {
            "zh_CN": "血压 {sbp}/{dbp} mmHg（≥ 150/90，≥ 65 岁）",
            "en": "BP {sbp}/{dbp} mmHg (≥ 150/90, aged ≥ 65)",
        },
        "visit.suggest.bp_ok_aged": {
            "zh_CN": "血压 {sbp}/{dbp} mmHg（< 150/90，≥ 65 岁）",
            "en": "BP {sbp}/{dbp} mmHg (< 150/90, aged ≥ 65)",
        },
        "visit.suggest.bp_missing": {"zh_CN": "未测血压", "en": "no BP measured"},
        "disease.hypertension": {"zh_CN": "高血压", "en": "hypertension"},
        "disease.diabetes": {"zh_CN": "糖尿病", "en": "diabetes"},
        "adherence.regular": {"zh_CN": "规律", "en": "regular"},
        "adherence.intermittent": {"zh_CN": "间断", "en": "intermittent"},
        "adherence.none": {"zh_CN": "不服药", "en": "not taking"},
        "foot_pulse.normal": {"zh_CN": "触及正常", "en": "felt, normal"},
        "foot_pulse.weak": {"zh_CN": "减弱", "en": "weak"},
        "foot_pulse.absent": {"zh_CN": "消失", "en": "absent"},
        "visit.disease_invalid": {
            "zh_CN": "病种只能是：hypertension（高血压）、diabetes（糖尿病）",
            "en": "the disease is one of: hypertension, diabetes",
        },
        "visit.adherence_invalid": {
            "zh_CN": "服药依从性只能是：规律、间断、不服药",
            "en": "adherence is one of: regular, intermittent, not taking",
        },
        "visit.foot_pulse_invalid": {
            "zh_CN": "足背动脉搏动只能是：触及正常、减弱、消失",
            "en": "foot pulses are one of: normal, weak, absent",
        },
        "visit.propose_referral": {
            "zh_CN": "{disease}连续两次控制不满意：建议转诊，2 周内随访转诊结果",
            "en": "{disease} not controlled twice in a row: refer, and follow up the outcome within 2 weeks",
        },
        "visit.propose_referral_complication": {
            "zh_CN": "{disease}出现并发症：建议转诊，2 周内随访转诊结果",
            "en": "{disease} complication: refer, and follow up the outcome within 2 weeks",
        },
        "visit.suggest.glucose_missing": {"zh_CN": "未测空腹血糖", "en": "no fasting glucose measured"},
    }
)


class ChronicClass(StrEnum):
    """Chronic-disease follow-up classification — 随访分类 (DOMAIN §4); the most severe one applies."""

    CONTROLLED = "controlled"  # 控制满意
    NOT_CONTROLLED = "not_controlled"  # 控制不满意
    ADVERSE_REACTION = "adverse_reaction"  # 不良反应
    COMPLICATION = "complication"  # 并发症

    @property
    def label(self) -> str:
        return t(f"chronic.{self.value}")

    @property
    def severity(self) -> int:
        return list(ChronicClass).index(self)


CHRONIC_CONDITIONS = ("hypertension", "diabetes_t2")
"""Condition codes whose residents get a chronic follow-up classification at each visit."""


class Disease(StrEnum):
    """A disease with its own follow-up form (DOMAIN §4): each gets its own classification at a visit."""

    HYPERTENSION = "hypertension"  # 高血压
    DIABETES = "diabetes"  # 2 型糖尿病

    @property
    def label(self) -> str:
        return t(f"disease.{self.value}")

    @property
    def condition_code(self) -> str:
        return "hypertension" if self is Disease.HYPERTENSION else "diabetes_t2"


DISEASE_OF_CONDITION = {disease.condition_code: disease for disease in Disease}
"""The follow-up form of each condition code that has one."""


def diseases_of(codes: Collection[str]) -> tuple[Disease, ...]:
    """Return the diseases followed up for a resident with the condition ``codes`` (form order)."""
    return tuple(disease for disease in Disease if disease.condition_code in codes)


def parse_disease(text: str) -> Disease:
    """Return the disease named by ``text``: hypertension / htn / 高血压, diabetes / dm / 糖尿病.

    Raises:
        ValidationError: on ``follow_up`` for anything else.
    """
    folded = to_half_width(text).strip().lower()
    names = {
        Disease.HYPERTENSION: {"hypertension", "htn", "高血压", "i10"},
        Disease.DIABETES: {"diabetes", "dm", "diabetes_t2", "糖尿病", "e11"},
    }
    for disease, known in names.items():
        if folded in known:
            return disease
    raise ValidationError("follow_up", text, "visit.disease_invalid")


class Adherence(StrEnum):
    """Medication adherence — 服药依从性."""

    REGULAR = "regular"  # 规律
    INTERMITTENT = "intermittent"  # 间断
    NONE = "none"  # 不服药

    @property
    def label(self) -> str:
        return t(f"adherence.{self.value}")


class FootPulse(StrEnum):
    """Dorsalis pedis pulses at a diabetes follow-up — 足背动脉搏动."""

    NORMAL = "normal"  # 触及正常
    WEAK = "weak"  # 减弱
    ABSENT = "absent"  # 消失

    @property
    def label(self) -> str:
        return t(f"foot_pulse.{self.value}")


_E = TypeVar("_E", Adherence, FootPulse)


_ADHERENCE_NAMES = {
    Adherence.REGULAR: ("regular", "规律"),
    Adherence.INTERMITTENT: ("intermittent", "间断"),
    Adherence.NONE: ("none", "not taking", "不服药"),
}


_FOOT_PULSE_NAMES = {
    FootPulse.NORMAL: ("normal", "触及正常", "正常"),
    FootPulse.WEAK: ("weak", "减弱"),
    FootPulse.ABSENT: ("absent", "消失"),
}


def parse_adherence(text: str) -> Adherence | None:
    """Return the adherence named by ``text`` (value or Chinese word), None when empty.

    Raises:
        ValidationError: on ``adherence`` for anything else.
    """
    return _named(_ADHERENCE_NAMES, text, field="adherence", reason="visit.adherence_invalid")


def parse_foot_pulse(text: str) -> FootPulse | None:
    """Return the foot-pulse finding named by ``text`` (value or Chinese word), None when empty.

    Raises:
        ValidationError: on ``foot_pulse`` for anything else.
    """
    return _named(_FOOT_PULSE_NAMES, text, field="foot_pulse", reason="visit.foot_pulse_invalid")


def _named(names: Mapping[_E, tuple[str, ...]], text: str, *, field: str, reason: str) -> _E | None:
    folded = to_half_width(text).strip().lower()
    if not folded:
        return None
    for member, known in names.items():
        if folded in known:
            return member
    raise ValidationError(field, text, reason)


BP_TARGET_AGE = 65
"""From this age the BP target is 150/90 mmHg instead of 140/90 (规范, third edition)."""


def bp_target(age: int | None) -> tuple[int, int]:
    """Return the (SBP, DBP) a controlled BP stays below: 150/90 from age 65, else 140/90 (DOMAIN §4)."""
    return (150, 90) if age is not None and age >= BP_TARGET_AGE else (140, 90)


HEIGHT_RANGE = (Decimal(100), Decimal(220))
"""Accepted height in cm."""


def bmi(weight: float | None, height: float | None) -> float | None:
    """Return the body-mass index kg/m² to one decimal, or None without both weight and height (cm)."""
    if weight is None or height is None or height <= 0:
        return None
    metres = Decimal(str(height)) / 100
    return float((Decimal(str(weight)) / (metres * metres)).quantize(Decimal("0.1")))


def parse_chronic_class(text: str) -> ChronicClass | None:
    """Return the classification named by ``text`` (value, English or Chinese label), None when empty.

    Raises:
        ValidationError: on ``chronic_class`` for anything else.
    """
    folded = to_half_width(text).strip().lower().replace(" ", "_")
    if not folded:
        return None
    for value in ChronicClass:
        names = {value.value, *(name.lower().replace(" ", "_") for name in _CHRONIC_NAMES[value])}
        if folded in names:
            return value
    raise ValidationError("chronic_class", text, "visit.chronic_invalid")


_CHRONIC_NAMES = {
    ChronicClass.CONTROLLED: ("控制满意", "Controlled"),
    ChronicClass.NOT_CONTROLLED: ("控制不满意", "Not controlled", "uncontrolled"),
    ChronicClass.ADVERSE_REACTION: ("不良反应", "Adverse reaction"),
    ChronicClass.COMPLICATION: ("并发症", "Complication"),
}


@dataclass(frozen=True)
class ChronicSuggestion:
    """The classification the measured values suggest, and why (in the current language)."""

    chronic_class: ChronicClass
    reasons: tuple[str, ...]

    @property
    def text(self) -> str:
        return t("list.separator").join(self.reasons)


def suggest_follow_up(
    disease: Disease,
    *,
    age: int | None = None,
    sbp: float | None = None,
    dbp: float | None = None,
    glucose: float | None = None,
    glucose_fasting: bool = False,
) -> ChronicSuggestion | None:
    """Propose one disease's classification from the values (DOMAIN §4); the doctor may change it.

    Hypertension: controlled below 140/90 mmHg, from age 65 below 150/90 (:func:`bp_target`); not controlled at
    or above. Diabetes: a fasting glucose below 7.0 mmol/L is controlled, at or above not controlled (a random
    glucose decides nothing). Adverse reactions and complications are never proposed: they are observations.

    Returns:
        The proposal, or None when the values that decide it were not measured.
    """
    if disease is Disease.HYPERTENSION:
        if sbp is None or dbp is None:
            return None
        target_sbp, target_dbp = bp_target(age)
        aged = target_sbp != 140
        params = {"sbp": plain_number(sbp), "dbp": plain_number(dbp)}
        if sbp >= target_sbp or dbp >= target_dbp:
            key = "visit.suggest.bp_high_aged" if aged else "visit.suggest.bp_high"
            return ChronicSuggestion(ChronicClass.NOT_CONTROLLED, (t(key, **params),))
        key = "visit.suggest.bp_ok_aged" if aged else "visit.suggest.bp_ok"
        return ChronicSuggestion(ChronicClass.CONTROLLED, (t(key, **params),))
    if glucose is None or not glucose_fasting:
        return None
    if Decimal(str(glucose)) >= Decimal("7.0"):
        reason = t("visit.suggest.glucose_high", value=plain_number(glucose))
        return ChronicSuggestion(ChronicClass.NOT_CONTROLLED, (reason,))
    return ChronicSuggestion(ChronicClass.CONTROLLED, (t("visit.suggest.glucose_ok", value=plain_number(glucose)),))


def suggest_chronic_class(
    *,
    hypertension: bool,
    diabetes: bool,
    sbp: float | None = None,
    dbp: float | None = None,
    glucose: float | None = None,
    glucose_fasting: bool = False,
    age: int | None = None,
) -> ChronicSuggestion | None:
    """Suggest the visit's one (most severe) classification from the values; the nurse chooses.

    Not controlled when any disease's proposal is (:func:`suggest_follow_up`: the BP target is 150/90 from
    age 65). Controlled only when every condition the resident has was measured and is under its limit.

    Returns:
        The suggestion, or None when nothing was measured that decides it (or no condition applies).
    """
    wanted = [d for d, has in ((Disease.HYPERTENSION, hypertension), (Disease.DIABETES, diabetes)) if has]
    if not wanted:
        return None
    high: list[str] = []
    fine: list[str] = []
    missing: list[str] = []
    for disease in wanted:
        found = suggest_follow_up(disease, age=age, sbp=sbp, dbp=dbp, glucose=glucose, glucose_fasting=glucose_fasting)
        if found is None:
            missing.append(
                t("visit.suggest.bp_missing" if disease is Disease.HYPERTENSION else "visit.suggest.glucose_missing")
            )
        elif found.chronic_class is ChronicClass.NOT_CONTROLLED:
            high.extend(found.reasons)
        else:
            fine.extend(found.reasons)
    if high:
        return ChronicSuggestion(ChronicClass.NOT_CONTROLLED, tuple(high))
    if fine and not missing:
        return ChronicSuggestion(ChronicClass.CONTROLLED, tuple(fine))
    return None


def proposed_referral(disease: Disease, current: ChronicClass | None, previous: ChronicClass | None) -> str:
    """Return why the form proposes a referral for ``disease`` ("" when it does not; DOMAIN §4).

    Two "not controlled" in a row for the same disease, or a complication, propose a referral and a
    follow-up of its outcome within 2 weeks. (An adverse reaction that cannot be controlled is the doctor's
    judgement: the first one asks for a 2-week recheck, not a referral.)
    """
    if current is ChronicClass.COMPLICATION:
        return t("visit.propose_referral_complication", disease=disease.label)
    if current is ChronicClass.NOT_CONTROLLED and previous is ChronicClass.NOT_CONTROLLED:
        return t("visit.propose_referral", disease=disease.label)
    return ""


def plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
