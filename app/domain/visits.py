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
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.residents import ResidentStatus
from app.domain.validation import to_half_width
from app.domain.vitals import FlagLevel, VitalsAssessment, parse_measurement, validate_vitals

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
        "visit.suggest.bp_missing": {"zh_CN": "未测血压", "en": "no BP measured"},
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

TEXT_LIMITS = {
    "findings": 1000,
    "actions": 1000,
    "medication_changes": 500,
    "next_visit_note": 300,
    "referral_destination": 60,
    "referral_reason": 300,
    "late_reason": 200,
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
        chronic_class: a :class:`ChronicClass` value, or "" when not classified.
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
    """

    entry: VisitEntry
    outcome: VisitOutcome
    chronic_class: ChronicClass | None
    visit_date: date
    late: bool
    late_reason: str
    assessment: VitalsAssessment

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
    vitals = {name: _number(name, value) for name, value in entry.vitals().items()}
    assessment = validate_vitals(
        **{name: value for name, value in vitals.items() if value is not None},
        glucose_fasting=entry.glucose_fasting,
        previous_weight=previous_weight if previous_weight and previous_weight > 0 else None,
    )
    chronic = parse_chronic_class(entry.chronic_class)
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
    if chronic is not None and not chronic_follow_up:
        raise ValidationError("chronic_class", chronic.label, "visit.chronic_not_applicable")
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
    )
    reason = clean_text(late_reason, field="late_reason") if late else ""
    return CheckedVisit(cleaned, outcome, chronic, visit_date, late, reason, assessment)


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


def suggest_chronic_class(
    *,
    hypertension: bool,
    diabetes: bool,
    sbp: float | None = None,
    dbp: float | None = None,
    glucose: float | None = None,
    glucose_fasting: bool = False,
) -> ChronicSuggestion | None:
    """Suggest controlled / not controlled from the values (DOMAIN §4); the nurse chooses.

    Not controlled: SBP ≥ 140 or DBP ≥ 90 for hypertension, fasting glucose ≥ 7.0 mmol/L for diabetes.
    Controlled only when every condition the resident has was measured and is under its limit. Adverse
    reactions and complications are never suggested: they are the nurse's observation.

    Returns:
        The suggestion, or None when nothing was measured that decides it (or no condition applies).
    """
    if not (hypertension or diabetes):
        return None
    high: list[str] = []
    fine: list[str] = []
    missing: list[str] = []
    if hypertension:
        if sbp is not None and dbp is not None:
            params = {"sbp": _plain(sbp), "dbp": _plain(dbp)}
            if sbp >= 140 or dbp >= 90:
                high.append(t("visit.suggest.bp_high", **params))
            else:
                fine.append(t("visit.suggest.bp_ok", **params))
        else:
            missing.append(t("visit.suggest.bp_missing"))
    if diabetes:
        if glucose is not None and glucose_fasting:
            if Decimal(str(glucose)) >= Decimal("7.0"):
                high.append(t("visit.suggest.glucose_high", value=_plain(glucose)))
            else:
                fine.append(t("visit.suggest.glucose_ok", value=_plain(glucose)))
        else:
            missing.append(t("visit.suggest.glucose_missing"))
    if high:
        return ChronicSuggestion(ChronicClass.NOT_CONTROLLED, tuple(high))
    if fine and not missing:
        return ChronicSuggestion(ChronicClass.CONTROLLED, tuple(fine))
    return None


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
