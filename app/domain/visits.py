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
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.follow_up import (
    DISEASE_OF_CONDITION,
    HEIGHT_RANGE,
    ChronicClass,
    Disease,
    diseases_of,
    parse_adherence,
    parse_chronic_class,
    parse_disease,
    parse_foot_pulse,
    suggest_follow_up,
)
from app.domain.i18n import register, t
from app.domain.residents import ResidentStatus, age_in_years
from app.domain.validation import to_half_width
from app.domain.vitals import VitalsAssessment, parse_measurement, urgent_advice, validate_vital_values

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
        "visit.outcome_invalid": {
            "zh_CN": "巡诊结果只能是：已巡诊、不在、住院、拒绝、死亡",
            "en": "the outcome is one of: seen, absent, hospitalized, refused, deceased",
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
        "field.follow_up": {"zh_CN": "分病种随访分类", "en": "follow-up classification by disease"},
        "field.adherence": {"zh_CN": "服药依从性", "en": "medication adherence"},
        "field.hypertension_class": {"zh_CN": "高血压随访分类", "en": "hypertension follow-up classification"},
        "field.diabetes_class": {"zh_CN": "糖尿病随访分类", "en": "diabetes follow-up classification"},
        "field.lifestyle_advice": {"zh_CN": "生活方式指导", "en": "lifestyle advice"},
        "field.height": {"zh_CN": "身高", "en": "height"},
        "field.foot_pulse": {"zh_CN": "足背动脉搏动", "en": "foot pulses"},
        "visit.disease_not_applicable": {
            "zh_CN": "该居民没有{disease}，不能填写{disease}随访分类",
            "en": "the resident has no {disease}: no {disease} follow-up classification",
        },
        "visit.foot_pulse_not_diabetic": {
            "zh_CN": "足背动脉搏动只在糖尿病随访中填写",
            "en": "foot pulses are recorded at a diabetes follow-up only",
        },
        "visit.height_range": {
            "zh_CN": "超出可录入范围 100–220 cm，请检查是否输错",
            "en": "outside the accepted range 100–220 cm; check for a typing error",
        },
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


# --- corrections --------------------------------------------------------------------------------------------------
