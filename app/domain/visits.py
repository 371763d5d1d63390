"""Visit outcomes — 巡诊记录: what a nurse records for one resident at a round, and its checks.

A visit has an outcome (seen, absent, hospitalized, refused, deceased); a resident who was seen may have
vital signs (checked by :mod:`app.domain.vitals`: refused outside the accepted range, flagged when
abnormal or urgent), findings, actions, medication changes, a referral, the chronic-disease
classification (hypertension, type 2 diabetes; DOMAIN §4) and a note for the next visit.

:func:`check_visit` turns what was typed into a :class:`CheckedVisit` or raises a
:class:`~app.domain.errors.ValidationError` naming the field, the value and the accepted range. A visit
entered after its day (from the paper round sheet) is *late*: it is accepted with its reason, never refused
for being late. Visits are append-only (DESIGN §6): a correction is a new version pointing at the one it
corrects; :func:`changed_fields` tells what a correction changed.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.residents import ResidentStatus
from app.domain.validation import to_half_width
from app.domain.vitals import FlagLevel, VitalsAssessment, parse_measurement, validate_vital_values

register(
    {
        "field.outcome": {"zh_CN": "巡诊结果", "en": "outcome"},
        "field.visit_date": {"zh_CN": "巡诊日期", "en": "visit date"},
        "field.late_reason": {"zh_CN": "补录原因", "en": "reason for the late entry"},
        "field.findings": {"zh_CN": "症状和体征", "en": "symptoms and findings"},
        "field.actions": {"zh_CN": "处理措施", "en": "actions"},
        "field.medication_changes": {"zh_CN": "用药调整", "en": "medication changes"},
        "field.referral_destination": {"zh_CN": "转诊去向", "en": "referral destination"},
        "field.referral_reason": {"zh_CN": "转诊原因", "en": "referral reason"},
        "field.chronic_class": {"zh_CN": "慢病随访分类", "en": "chronic follow-up classification"},
        "field.next_visit_note": {"zh_CN": "下次巡诊提示", "en": "note for the next visit"},
        "outcome.seen": {"zh_CN": "已巡诊", "en": "Seen"},
        "outcome.absent": {"zh_CN": "不在", "en": "Absent"},
        "outcome.hospitalized": {"zh_CN": "住院", "en": "Hospitalized"},
        "outcome.refused": {"zh_CN": "拒绝", "en": "Refused"},
        "outcome.deceased": {"zh_CN": "死亡", "en": "Deceased"},
        "chronic.controlled": {"zh_CN": "控制满意", "en": "Controlled"},
        "chronic.not_controlled": {"zh_CN": "控制不满意", "en": "Not controlled"},
        "chronic.adverse_reaction": {"zh_CN": "不良反应", "en": "Adverse reaction"},
        "chronic.complication": {"zh_CN": "并发症", "en": "Complication"},
        "visit.outcome_invalid": {
            "zh_CN": "巡诊结果只能是：已巡诊、不在、住院、拒绝、死亡",
            "en": "the outcome is one of: seen, absent, hospitalized, refused, deceased",
        },
        "visit.chronic_invalid": {
            "zh_CN": "分类只能是：控制满意、控制不满意、不良反应、并发症",
            "en": "the classification is one of: controlled, not controlled, adverse reaction, complication",
        },
        "visit.chronic_not_applicable": {
            "zh_CN": "只有高血压或糖尿病患者需要慢病随访分类",
            "en": "only residents with hypertension or diabetes get a chronic follow-up classification",
        },
        "visit.whole_number": {"zh_CN": "请填写整数", "en": "enter a whole number"},
        "visit.only_when_seen": {
            "zh_CN": "巡诊结果为“{outcome}”时不能填写{what}；请把结果改为“已巡诊”或清空这些内容",
            "en": "with the outcome “{outcome}” there is no {what}; set the outcome to seen or clear them",
        },
        "visit.what.vitals": {"zh_CN": "生命体征", "en": "vital signs"},
        "visit.what.chronic": {"zh_CN": "慢病随访分类", "en": "chronic follow-up classification"},
        "visit.what.referral": {"zh_CN": "转诊", "en": "referral"},
        "visit.referral_destination_required": {
            "zh_CN": "填写了转诊原因或勾选了紧急/绿色通道，请同时填写转诊去向",
            "en": "a referral needs its destination (a reason or urgent / green channel was given)",
        },
        "visit.before_birth": {
            "zh_CN": "不能早于出生日期（{birth_date}）",
            "en": "cannot be earlier than the date of birth ({birth_date})",
        },
        "visit.before_admission": {
            "zh_CN": "不能早于入住日期（{admission_date}）",
            "en": "cannot be earlier than the admission ({admission_date})",
        },
        "visit.fasting_needs_glucose": {
            "zh_CN": "勾选了“空腹”，请填写血糖值（或取消“空腹”）",
            "en": "fasting is ticked: enter the glucose value (or untick fasting)",
        },
        "visit.bp_pair": {
            "zh_CN": "收缩压和舒张压要一起填写（请补上{missing}，或两项都不填）",
            "en": "systolic and diastolic BP go together (add the {missing}, or leave both empty)",
        },
        "visit.future": {
            "zh_CN": "不能晚于今天（{today}）",
            "en": "cannot be later than today ({today})",
        },
        "visit.text_too_long": {"zh_CN": "最多 {maximum} 个字", "en": "at most {maximum} characters"},
        "visit.urgent_banner": {"zh_CN": "紧急：{reasons}", "en": "Urgent: {reasons}"},
        "visit.urgent_advice": {
            "zh_CN": "请今天处理：考虑转诊（可走绿色通道），并提请医生复核分类颜色。",
            "en": "Act today: consider a referral (green channel) and ask the doctor to review the colour.",
        },
        "visit.urgent_advice_referred": {
            "zh_CN": "已填写转诊；请提请医生复核分类颜色。",
            "en": "A referral is entered; ask the doctor to review the colour.",
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
        "field.follow_up": {"zh_CN": "分病种随访分类", "en": "follow-up classification by disease"},
        "field.adherence": {"zh_CN": "服药依从性", "en": "medication adherence"},
        "field.hypertension_class": {"zh_CN": "高血压随访分类", "en": "hypertension follow-up classification"},
        "field.diabetes_class": {"zh_CN": "糖尿病随访分类", "en": "diabetes follow-up classification"},
        "field.lifestyle_advice": {"zh_CN": "生活方式指导", "en": "lifestyle advice"},
        "field.height": {"zh_CN": "身高", "en": "height"},
        "field.foot_pulse": {"zh_CN": "足背动脉搏动", "en": "foot pulses"},
        "visit.disease_invalid": {
            "zh_CN": "病种只能是：hypertension（高血压）、diabetes（糖尿病）",
            "en": "the disease is one of: hypertension, diabetes",
        },
        "visit.disease_not_applicable": {
            "zh_CN": "该居民没有{disease}，不能填写{disease}随访分类",
            "en": "the resident has no {disease}: no {disease} follow-up classification",
        },
        "visit.adherence_invalid": {
            "zh_CN": "服药依从性只能是：规律、间断、不服药",
            "en": "adherence is one of: regular, intermittent, not taking",
        },
        "visit.foot_pulse_invalid": {
            "zh_CN": "足背动脉搏动只能是：触及正常、减弱、消失",
            "en": "foot pulses are one of: normal, weak, absent",
        },
        "visit.foot_pulse_not_diabetic": {
            "zh_CN": "足背动脉搏动只在糖尿病随访中填写",
            "en": "foot pulses are recorded at a diabetes follow-up only",
        },
        "visit.height_range": {
            "zh_CN": "超出可录入范围 100–220 cm，请检查是否输错",
            "en": "outside the accepted range 100–220 cm; check for a typing error",
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


class VisitOutcome(StrEnum):
    """What happened at a visit — 巡诊结果."""

    SEEN = "seen"  # 已巡诊
    ABSENT = "absent"  # 不在
    HOSPITALIZED = "hospitalized"  # 住院
    REFUSED = "refused"  # 拒绝
    DECEASED = "deceased"  # 死亡

    @property
    def label(self) -> str:
        return t(f"outcome.{self.value}")

    @property
    def status(self) -> ResidentStatus | None:
        """Return the residence status this outcome implies (hospitalized, deceased), or None."""
        return _OUTCOME_STATUS.get(self)


_OUTCOME_STATUS = {
    VisitOutcome.HOSPITALIZED: ResidentStatus.HOSPITALIZED,
    VisitOutcome.DECEASED: ResidentStatus.DECEASED,
}


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


TEXT_LIMITS = {
    "findings": 1000,
    "actions": 1000,
    "medication_changes": 500,
    "next_visit_note": 300,
    "referral_destination": 60,
    "referral_reason": 300,
    "late_reason": 200,
    "lifestyle_advice": 300,
}
"""The most characters each free-text field keeps."""

WHOLE_NUMBER_VITALS = ("sbp", "dbp", "pulse", "spo2")
VITAL_FIELDS = ("sbp", "dbp", "pulse", "temperature", "spo2", "glucose", "weight")


@dataclass(frozen=True)
class ReferralEntry:
    """A referral — 转诊 — opened at a visit: where to, why, urgent, through the green channel."""

    destination: str
    reason: str = ""
    urgent: bool = False
    green_channel: bool = False


@dataclass(frozen=True)
class VisitEntry:
    """What a nurse records for one visit, as plain values (numbers already parsed).

    Attributes:
        outcome: a :class:`VisitOutcome` value.
        sbp, dbp, pulse, spo2: whole numbers (mmHg, /min, %); None when not measured.
        temperature, glucose, weight: °C, mmol/L, kg; None when not measured.
        glucose_fasting: the glucose was measured fasting (空腹) rather than at random.
        referral: the referral opened at this visit, or None.
        chronic_class: a :class:`ChronicClass` value, or "" when not classified. With ``follow_ups`` it is
            worked out (the most severe of them); without, an older form's one classification, taken for
            each disease the resident has.
        follow_ups: (disease, classification) pairs, one per :class:`Disease` followed up (empty classification:
            proposed from the values by :func:`check_visit`).
        adherence: an :class:`Adherence` value, or "".
        lifestyle_advice: the lifestyle advice given (diet, salt, exercise, smoking, alcohol).
        height: cm, for the BMI; None when not measured.
        foot_pulse: a :class:`FootPulse` value (diabetes only), or "".
    """

    outcome: str = VisitOutcome.SEEN.value
    sbp: float | None = None
    dbp: float | None = None
    pulse: float | None = None
    temperature: float | None = None
    spo2: float | None = None
    glucose: float | None = None
    glucose_fasting: bool = False
    weight: float | None = None
    findings: str = ""
    actions: str = ""
    medication_changes: str = ""
    referral: ReferralEntry | None = None
    chronic_class: str = ""
    next_visit_note: str = ""
    follow_ups: tuple[tuple[str, str], ...] = ()
    adherence: str = ""
    lifestyle_advice: str = ""
    height: float | None = None
    foot_pulse: str = ""

    def vitals(self) -> dict[str, float | None]:
        """Return the vital signs by field name."""
        return {name: getattr(self, name) for name in VITAL_FIELDS}

    @property
    def has_vitals(self) -> bool:
        return any(value is not None for value in self.vitals().values())


@dataclass(frozen=True)
class CheckedVisit:
    """A visit that passed :func:`check_visit`: cleaned values, the vital-sign flags, and whether it is late.

    Attributes:
        entry: the cleaned entry (texts stripped, whole-number vitals as ``int``).
        outcome: the outcome.
        chronic_class: the classification, or None.
        visit_date: the day of the visit.
        late: entered after the visit's day (补录).
        late_reason: why it is entered late ("" when not late or not given).
        assessment: one flag per vital sign recorded.
        follow_ups: per disease followed up, its classification (given, or proposed from the values).
        proposed: the diseases whose classification was proposed from the values (none was given).
    """

    entry: VisitEntry
    outcome: VisitOutcome
    chronic_class: ChronicClass | None
    visit_date: date
    late: bool
    late_reason: str
    assessment: VitalsAssessment
    follow_ups: tuple[tuple[Disease, ChronicClass], ...] = ()
    proposed: tuple[Disease, ...] = ()

    def follow_up(self, disease: Disease) -> ChronicClass | None:
        """Return the classification of ``disease`` at this visit, or None."""
        return dict(self.follow_ups).get(disease)

    @property
    def urgent(self) -> bool:
        return self.assessment.is_urgent

    def advice(self) -> list[str]:
        """Return what an urgent visit asks for, in the current language (empty when not urgent)."""
        return urgent_advice(self.assessment, referred=self.entry.referral is not None)


# --- parsing what was typed -------------------------------------------------------------------------------------


def parse_outcome(text: str) -> VisitOutcome:
    """Return the outcome named by ``text``: its value (seen), English or Chinese label (已巡诊, 住院).

    Raises:
        ValidationError: on ``outcome`` for anything else.
    """
    folded = to_half_width(text).strip().lower()
    for outcome in VisitOutcome:
        if folded in {outcome.value, *(name.lower() for name in _OUTCOME_NAMES[outcome])}:
            return outcome
    raise ValidationError("outcome", text, "visit.outcome_invalid")


_OUTCOME_NAMES = {
    VisitOutcome.SEEN: ("已巡诊", "已访", "见到", "seen", "visited"),
    VisitOutcome.ABSENT: ("不在", "外出", "absent", "away"),
    VisitOutcome.HOSPITALIZED: ("住院", "hospitalised", "hospitalized", "in hospital"),
    VisitOutcome.REFUSED: ("拒绝", "拒访", "refused"),
    VisitOutcome.DECEASED: ("死亡", "去世", "deceased", "dead"),
}


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


def parse_vital(field: str, text: str) -> float | None:
    """Return the number typed for vital sign ``field`` (None when empty), whole for SBP/DBP/pulse/SpO2.

    Full-width digits and a decimal comma are accepted. The range is checked by :func:`check_visit`.

    Raises:
        ValidationError: on ``field`` when the text is not a number, or not whole where it must be.
    """
    value = parse_measurement(field, text)
    if value is not None and field in WHOLE_NUMBER_VITALS and not float(value).is_integer():
        raise ValidationError(field, text.strip(), "visit.whole_number")
    return value


def clean_text(value: str, *, field: str) -> str:
    """Return free text with each line's spaces tidied and blank lines at either end removed.

    Line breaks are kept (findings are often a short list).

    Raises:
        ValidationError: on ``field`` when longer than its limit in :data:`TEXT_LIMITS`.
    """
    lines = [" ".join(to_half_width(line).split()) for line in value.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    cleaned = "\n".join(lines)
    maximum = TEXT_LIMITS[field]
    if len(cleaned) > maximum:
        raise ValidationError(field, cleaned[:20] + "…", "visit.text_too_long", maximum=maximum)
    return cleaned


# --- the checks ---------------------------------------------------------------------------------------------------


def is_late(visit_date: date, today: date) -> bool:
    """Return whether a visit on ``visit_date`` entered on ``today`` is a late entry (补录)."""
    return visit_date < today


def check_visit(
    entry: VisitEntry,
    *,
    visit_date: date,
    today: date,
    birth_date: date | None = None,
    late_reason: str = "",
    previous_weight: float | None = None,
    chronic_follow_up: bool = True,
    admission_date: date | None = None,
    diseases: Collection[str] | None = None,
) -> CheckedVisit:
    """Check one visit before it is saved.

    Args:
        entry: what was recorded.
        visit_date: the day of the visit; any day in the past is accepted (a late entry).
        today: the day it is entered; the visit cannot be later.
        birth_date: the resident's date of birth; the visit cannot be earlier.
        late_reason: why a past visit is entered only now (kept only for late entries).
        previous_weight: the last recorded weight, to flag a change of more than 5 %.
        chronic_follow_up: whether the resident has hypertension or diabetes (a classification applies).
        admission_date: the resident's first admission (first residence period); the visit cannot be earlier.
        diseases: the resident's condition codes (or :class:`Disease` values) with a follow-up form. Given, each
            of those diseases gets its own classification — as given in ``entry.follow_ups``, else (an older
            form's single ``chronic_class``) that one, else proposed from the values (:func:`suggest_follow_up`,
            with the age on the visit's day) — and ``chronic_follow_up`` is ignored; a pulse > 100 is urgent
            for a diabetic. Not given: only the single ``chronic_class`` is checked (``chronic_follow_up``).

    Returns:
        The cleaned visit with the flags of its vital signs.

    Raises:
        ValidationError: naming the field — an unknown outcome or classification, a date in the future or
            before birth or admission, a vital sign outside its accepted range (with the range), not a whole
            number, SBP without DBP (or the reverse), fasting without a glucose value, or SBP not above DBP,
            vitals or a classification with an outcome other than seen, a referral
            without its destination or with outcome deceased, a text too long.
    """
    outcome = parse_outcome(entry.outcome)
    if visit_date > today:
        raise ValidationError("visit_date", visit_date.isoformat(), "visit.future", today=today.isoformat())
    if birth_date is not None and visit_date < birth_date:
        raise ValidationError(
            "visit_date", visit_date.isoformat(), "visit.before_birth", birth_date=birth_date.isoformat()
        )
    if admission_date is not None and visit_date < admission_date:
        raise ValidationError(
            "visit_date", visit_date.isoformat(), "visit.before_admission", admission_date=admission_date.isoformat()
        )
    allowed = (
        diseases_of({DISEASE_OF_CONDITION.get(code, code) for code in diseases} | set(diseases))
        if (diseases is not None)
        else None
    )
    vitals = {name: _number(name, value) for name, value in entry.vitals().items()}
    assessment = validate_vital_values(
        {name: value for name, value in vitals.items() if value is not None},
        glucose_fasting=entry.glucose_fasting,
        previous_weight=previous_weight if previous_weight and previous_weight > 0 else None,
        diabetic=allowed is not None and Disease.DIABETES in allowed,
    )
    chronic = parse_chronic_class(entry.chronic_class)
    given = _given_follow_ups(entry.follow_ups, allowed)
    if given and outcome is not VisitOutcome.SEEN:
        disease, value = next(iter(given.items()))
        raise ValidationError(
            "follow_up",
            f"{disease.value}={value.value}",
            "visit.only_when_seen",
            outcome=outcome.label,
            what=t("visit.what.chronic"),
        )
    height = _height(entry.height, outcome)
    adherence = parse_adherence(entry.adherence)
    foot_pulse = parse_foot_pulse(entry.foot_pulse)
    if foot_pulse is not None and allowed is not None and Disease.DIABETES not in allowed:
        raise ValidationError("foot_pulse", entry.foot_pulse, "visit.foot_pulse_not_diabetic")
    if outcome is not VisitOutcome.SEEN:
        present = [name for name, value in vitals.items() if value is not None]
        if present:
            raise ValidationError(
                present[0],
                entry.vitals()[present[0]],
                "visit.only_when_seen",
                outcome=outcome.label,
                what=t("visit.what.vitals"),
            )
        if chronic is not None:
            raise ValidationError(
                "chronic_class",
                chronic.label,
                "visit.only_when_seen",
                outcome=outcome.label,
                what=t("visit.what.chronic"),
            )
    else:
        _check_pairs(entry, vitals)
    follow_ups: dict[Disease, ChronicClass] = {}
    proposed: list[Disease] = []
    if allowed is None:
        if chronic is not None and not chronic_follow_up:
            raise ValidationError("chronic_class", chronic.label, "visit.chronic_not_applicable")
    else:
        if chronic is not None and not allowed and not given:
            raise ValidationError("chronic_class", chronic.label, "visit.chronic_not_applicable")
        if outcome is VisitOutcome.SEEN:
            age = age_in_years(birth_date, visit_date) if birth_date is not None else None
            for disease in allowed:
                found: ChronicClass | None = given.get(disease) or (chronic if not given else None)
                if found is None:
                    suggestion = suggest_follow_up(
                        disease,
                        age=age,
                        sbp=vitals["sbp"],
                        dbp=vitals["dbp"],
                        glucose=vitals["glucose"],
                        glucose_fasting=bool(entry.glucose_fasting),
                    )
                    if suggestion is not None:
                        found = suggestion.chronic_class
                        proposed.append(disease)
                if found is not None:
                    follow_ups[disease] = found
            chronic = max(follow_ups.values(), key=lambda c: c.severity) if follow_ups else None
    referral = _checked_referral(entry.referral, outcome)
    late = is_late(visit_date, today)
    cleaned = replace(
        entry,
        outcome=outcome.value,
        **vitals,
        glucose_fasting=bool(entry.glucose_fasting) and vitals["glucose"] is not None,
        findings=clean_text(entry.findings, field="findings"),
        actions=clean_text(entry.actions, field="actions"),
        medication_changes=clean_text(entry.medication_changes, field="medication_changes"),
        next_visit_note=clean_text(entry.next_visit_note, field="next_visit_note"),
        referral=referral,
        chronic_class=chronic.value if chronic else "",
        follow_ups=tuple((disease.value, value.value) for disease, value in follow_ups.items())
        if allowed is not None
        else tuple((disease.value, value.value) for disease, value in given.items()),
        adherence=adherence.value if adherence else "",
        lifestyle_advice=clean_text(entry.lifestyle_advice, field="lifestyle_advice"),
        height=height,
        foot_pulse=foot_pulse.value if foot_pulse else "",
    )
    reason = clean_text(late_reason, field="late_reason") if late else ""
    return CheckedVisit(
        cleaned, outcome, chronic, visit_date, late, reason, assessment, tuple(follow_ups.items()), tuple(proposed)
    )


def age_in_years(birth_date: date, day: date) -> int:
    """Return the age in whole years on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _given_follow_ups(
    pairs: Sequence[tuple[str, str]], allowed: tuple[Disease, ...] | None
) -> dict[Disease, ChronicClass]:
    given: dict[Disease, ChronicClass] = {}
    for disease_text, class_text in pairs:
        disease = parse_disease(disease_text)
        if allowed is not None and disease not in allowed:
            raise ValidationError("follow_up", disease_text, "visit.disease_not_applicable", disease=disease.label)
        value = parse_chronic_class(class_text)
        if value is not None:
            given[disease] = value
    return given


def _height(value: float | None, outcome: VisitOutcome) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or not math.isfinite(value):
        raise ValidationError("height", value, "vital.not_number")
    if not HEIGHT_RANGE[0] <= Decimal(str(value)) <= HEIGHT_RANGE[1]:
        raise ValidationError("height", value, "visit.height_range")
    if outcome is not VisitOutcome.SEEN:
        what = t("visit.what.vitals")
        raise ValidationError("height", value, "visit.only_when_seen", outcome=outcome.label, what=what)
    return float(value)


def _check_pairs(entry: VisitEntry, vitals: dict[str, float | None]) -> None:
    """Refuse SBP without DBP (or the reverse) and fasting without a glucose value."""
    for given, missing in (("sbp", "dbp"), ("dbp", "sbp")):
        if vitals[given] is not None and vitals[missing] is None:
            raise ValidationError(given, entry.vitals()[given], "visit.bp_pair", missing=t(f"field.{missing}"))
    if entry.glucose_fasting and vitals["glucose"] is None:
        raise ValidationError("glucose", "", "visit.fasting_needs_glucose")


def _number(field: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or not math.isfinite(value):
        raise ValidationError(field, value, "vital.not_number")
    if field in WHOLE_NUMBER_VITALS:
        if not float(value).is_integer():
            raise ValidationError(field, value, "visit.whole_number")
        return int(value)
    return float(value)


def _checked_referral(referral: ReferralEntry | None, outcome: VisitOutcome) -> ReferralEntry | None:
    if referral is None:
        return None
    destination = clean_text(referral.destination, field="referral_destination").replace("\n", " ")
    reason = clean_text(referral.reason, field="referral_reason")
    if not destination:
        if reason or referral.urgent or referral.green_channel:
            raise ValidationError("referral_destination", "", "visit.referral_destination_required")
        return None
    if outcome is VisitOutcome.DECEASED:
        raise ValidationError(
            "referral_destination",
            destination,
            "visit.only_when_seen",
            outcome=outcome.label,
            what=t("visit.what.referral"),
        )
    return ReferralEntry(destination, reason, bool(referral.urgent), bool(referral.green_channel))


# --- what the screen shows beside the values ------------------------------------------------------------------


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
        params = {"sbp": _plain(sbp), "dbp": _plain(dbp)}
        if sbp >= target_sbp or dbp >= target_dbp:
            key = "visit.suggest.bp_high_aged" if aged else "visit.suggest.bp_high"
            return ChronicSuggestion(ChronicClass.NOT_CONTROLLED, (t(key, **params),))
        key = "visit.suggest.bp_ok_aged" if aged else "visit.suggest.bp_ok"
        return ChronicSuggestion(ChronicClass.CONTROLLED, (t(key, **params),))
    if glucose is None or not glucose_fasting:
        return None
    if Decimal(str(glucose)) >= Decimal("7.0"):
        return ChronicSuggestion(ChronicClass.NOT_CONTROLLED, (t("visit.suggest.glucose_high", value=_plain(glucose)),))
    return ChronicSuggestion(ChronicClass.CONTROLLED, (t("visit.suggest.glucose_ok", value=_plain(glucose)),))


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


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- corrections --------------------------------------------------------------------------------------------------

COMPARED_FIELDS = (
    "visit_date",
    "outcome",
    *VITAL_FIELDS,
    "glucose_fasting",
    "findings",
    "actions",
    "medication_changes",
    "referral",
    "chronic_class",
    "follow_ups",
    "adherence",
    "lifestyle_advice",
    "height",
    "foot_pulse",
    "next_visit_note",
    "late_reason",
)


def changed_fields(
    old: VisitEntry,
    new: VisitEntry,
    *,
    old_date: date,
    new_date: date,
    old_late_reason: str = "",
    new_late_reason: str = "",
) -> tuple[str, ...]:
    """Return the names of the fields a correction changed, in the form's order.

    ``referral`` counts as one field (destination, reason, urgent, green channel).
    """
    changed = [name for name in ("visit_date",) if old_date != new_date]
    for spec in fields(VisitEntry):
        if getattr(old, spec.name) != getattr(new, spec.name):
            changed.append(spec.name)
    if old_late_reason != new_late_reason:
        changed.append("late_reason")
    order = {name: index for index, name in enumerate(COMPARED_FIELDS)}
    return tuple(sorted(changed, key=lambda name: order.get(name, len(order))))


def describe_vitals(entry: VisitEntry, *, separator: str | None = None) -> str:
    """Return the measured vital signs in one short line, e.g. ``BP 150/95 · P 72 · T 36.8 · Glu 7.2 F``."""
    parts: list[str] = []
    if entry.sbp is not None or entry.dbp is not None:
        parts.append(f"{t('visit.short.bp')} {_value(entry.sbp)}/{_value(entry.dbp)}")
    for name in ("pulse", "temperature", "spo2"):
        value = getattr(entry, name)
        if value is not None:
            parts.append(f"{t('visit.short.' + name)} {_plain(value)}")
    if entry.glucose is not None:
        kind = t("visit.short.fasting") if entry.glucose_fasting else t("visit.short.random")
        parts.append(f"{t('visit.short.glucose')} {_plain(entry.glucose)} {kind}")
    if entry.weight is not None:
        parts.append(f"{t('visit.short.weight')} {_plain(entry.weight)}")
    return (separator if separator is not None else " · ").join(parts)


def _value(value: float | None) -> str:
    return "–" if value is None else _plain(value)


register(
    {
        "visit.short.bp": {"zh_CN": "血压", "en": "BP"},
        "visit.short.pulse": {"zh_CN": "脉搏", "en": "P"},
        "visit.short.temperature": {"zh_CN": "体温", "en": "T"},
        "visit.short.spo2": {"zh_CN": "血氧", "en": "SpO2"},
        "visit.short.glucose": {"zh_CN": "血糖", "en": "Glu"},
        "visit.short.fasting": {"zh_CN": "空腹", "en": "fasting"},
        "visit.short.random": {"zh_CN": "随机", "en": "random"},
        "visit.short.weight": {"zh_CN": "体重", "en": "Wt"},
    }
)


def field_labels(names: Sequence[str]) -> str:
    """Return field names as their labels in one list (收缩压、血糖), for "what changed" lines."""
    labels = []
    for name in names:
        key = "field.referral_destination" if name == "referral" else f"field.{name}"
        if name == "glucose_fasting":
            key = "field.glucose"
        label = t(key)
        if label not in labels:
            labels.append(label)
    return t("list.separator").join(labels)
