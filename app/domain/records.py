"""The resident's health record — 健康档案: checks for each section before it is saved.

Identity (name, ID card number with the birth date and sex it implies, insurance number, guardian),
residence (bed, admission), the family-doctor signing, flags (family bed, hospice, long-term-care
insurance with its care level), medications, allergies and dated assessments. Each ``validate_*``
returns the cleaned values or raises a :class:`~app.domain.errors.ValidationError` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.domain.assessments import (
    AD8_ITEMS,
    SELF_CARE_ITEMS,
    Ad8Input,
    ad8_result,
    ad8_score,
    normalize_ad8_answers,
    self_care_band,
    self_care_score,
    validate_care_level,
)
from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.idcard import IdCardInfo, cross_check_id, parse_id_number
from app.domain.validation import to_half_width, validate_birth_date, validate_name, validate_phone

SHORT_TEXT = 20
MEDIUM_TEXT = 60
NOTE_TEXT = 500

register(
    {
        "field.insurance_number": {"zh_CN": "医保号", "en": "insurance number"},
        "field.guardian_name": {"zh_CN": "监护人", "en": "guardian"},
        "field.guardian_relation": {"zh_CN": "与居民关系", "en": "relationship"},
        "field.guardian_phone": {"zh_CN": "监护人电话", "en": "guardian's phone"},
        "field.record_number": {"zh_CN": "健康档案编号", "en": "health record number"},
        "field.building": {"zh_CN": "楼栋", "en": "building"},
        "field.room": {"zh_CN": "房间", "en": "room"},
        "field.bed": {"zh_CN": "床位", "en": "bed"},
        "field.signed_on": {"zh_CN": "签约日期", "en": "signing date"},
        "field.signed_doctor": {"zh_CN": "签约医生", "en": "family doctor"},
        "field.service_package": {"zh_CN": "签约服务包", "en": "service package"},
        "field.family_bed": {"zh_CN": "家庭病床", "en": "family bed"},
        "field.family_bed_start": {"zh_CN": "家庭病床开始日期", "en": "family bed start"},
        "field.family_bed_end": {"zh_CN": "家庭病床结束日期", "en": "family bed end"},
        "field.hospice": {"zh_CN": "安宁疗护", "en": "hospice"},
        "field.ltc_insurance": {"zh_CN": "长护险", "en": "long-term-care insurance"},
        "field.medication": {"zh_CN": "药品名称", "en": "medication"},
        "field.dose": {"zh_CN": "剂量", "en": "dose"},
        "field.frequency": {"zh_CN": "用法频次", "en": "frequency"},
        "field.medication_start": {"zh_CN": "开始用药日期", "en": "start of the medication"},
        "field.medication_stop": {"zh_CN": "停药日期", "en": "stop date"},
        "field.substance": {"zh_CN": "过敏原", "en": "allergen"},
        "field.reaction": {"zh_CN": "过敏反应", "en": "reaction"},
        "field.assessed_on": {"zh_CN": "评估日期", "en": "assessment date"},
        "field.assessment_notes": {"zh_CN": "评估备注", "en": "notes"},
        "field.status_note": {"zh_CN": "状态备注", "en": "note"},
        "text.too_long": {"zh_CN": "最多 {maximum} 个字", "en": "at most {maximum} characters"},
        "insurance.invalid": {
            "zh_CN": "医保号只能由字母、数字和连字符组成（最多 30 位）",
            "en": "an insurance number has letters, digits and hyphens only (at most 30)",
        },
        "record_number.invalid": {
            "zh_CN": "档案编号只能由字母、数字和连字符组成（最多 30 位）",
            "en": "a record number has letters, digits and hyphens only (at most 30)",
        },
        "date.before_birth": {
            "zh_CN": "不能早于出生日期（{birth_date}）",
            "en": "cannot be earlier than the date of birth ({birth_date})",
        },
        "signing.date_required": {
            "zh_CN": "填写签约医生或服务包时，请同时填写签约日期",
            "en": "a signing date is required with a family doctor or service package",
        },
        "family_bed.start_required": {
            "zh_CN": "开设家庭病床时请填写开始日期",
            "en": "a family bed needs its start date",
        },
        "family_bed.end_before_start": {
            "zh_CN": "不能早于开始日期（{start}）",
            "en": "cannot be earlier than the start date ({start})",
        },
        "ltc.needs_level": {
            "zh_CN": "长护险需要照护等级 2–6 级（现为 {level}）",
            "en": "long-term-care insurance needs care level 2–6 (now {level})",
        },
        "level.none": {"zh_CN": "未评估", "en": "not assessed"},
        "medication.name_required": {"zh_CN": "请填写药品名称", "en": "the medication's name is required"},
        "medication.stop_before_start": {
            "zh_CN": "不能早于开始用药日期（{start}）",
            "en": "cannot be earlier than the start date ({start})",
        },
        "allergy.substance_required": {"zh_CN": "请填写过敏原", "en": "the allergen is required"},
        "flag.invalid": {
            "zh_CN": "请填写“是”或“否”（yes/no、1/0）",
            "en": "write yes or no (是/否, 1/0)",
        },
        "care_level.not_number": {
            "zh_CN": "照护等级应为 0–6 的数字，或留空表示未评估",
            "en": "the care level is a number 0–6, or empty when not assessed",
        },
        "assessment.kind.self_care": {"zh_CN": "生活自理能力", "en": "Self-care ability"},
        "assessment.kind.ad8": {"zh_CN": "AD8 认知筛查", "en": "AD8 cognitive screen"},
        "assessment.kind.care_level": {"zh_CN": "照护等级", "en": "Care level"},
        "assessment.kind.fall": {"zh_CN": "跌倒", "en": "Fall"},
        "assessment.kind.annual_check": {"zh_CN": "年度健康体检", "en": "Annual health check"},
        "assessment.ad8.positive": {"zh_CN": "阳性，疑似认知障碍", "en": "positive: cognitive impairment suspected"},
        "assessment.ad8.negative": {"zh_CN": "阴性", "en": "negative"},
        "assessment.ad8.not_interpretable": {
            "zh_CN": "无法判断（“不知道”≥ 4 项）",
            "en": "not interpretable (4 or more “don't know”)",
        },
        "assessment.care_level.result": {"zh_CN": "{level} 级", "en": "level {level}"},
        "assessment.annual_check.done": {"zh_CN": "已完成", "en": "done"},
        "assessment.fall.injury": {"zh_CN": "有受伤", "en": "with injury"},
        "assessment.fall.no_injury": {"zh_CN": "未受伤", "en": "no injury"},
    }
)


# --- small checks shared by the editor, the roster import and the command line ----------------------------


def clean(value: str, *, field: str, maximum: int) -> str:
    """Return ``value`` half-width, stripped, with inner white space runs made one space.

    Raises:
        ValidationError: on ``field`` when longer than ``maximum``.
    """
    cleaned = " ".join(to_half_width(value).split())
    if len(cleaned) > maximum:
        raise ValidationError(field, value, "text.too_long", maximum=maximum)
    return cleaned


_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,29}", re.ASCII)


def check_code(value: str, *, field: str, reason: str) -> str:
    """Return an optional code (insurance or record number) upper-cased, "" when empty.

    Raises:
        ValidationError: on ``field`` with ``reason`` when it is not 1–30 letters, digits and hyphens.
    """
    cleaned = "".join(to_half_width(value).split()).upper()
    if cleaned and not _CODE.fullmatch(cleaned):
        raise ValidationError(field, value, reason)
    return cleaned


def check_phone(value: str, *, field: str = "phone") -> str:
    """Return a phone number in standard form ("" when empty), errors on ``field``."""
    try:
        return validate_phone(value)
    except ValidationError as error:
        raise ValidationError(field, value, error.reason_key, **error.reason_params) from None


def check_person_name(value: str, *, field: str) -> str:
    """Return an optional person's name (a guardian), "" when empty, errors on ``field``."""
    if not value.strip():
        return ""
    try:
        return validate_name(value)
    except ValidationError as error:
        raise ValidationError(field, value, error.reason_key, **error.reason_params) from None


def check_past_date(value: date, *, field: str, today: date, birth_date: date | None = None) -> date:
    """Return ``value`` if it is not later than ``today`` nor earlier than ``birth_date``.

    Raises:
        ValidationError: on ``field`` (``date.future`` or ``date.before_birth``).
    """
    if value > today:
        raise ValidationError(field, value, "date.future", today=today.isoformat())
    if birth_date is not None and value < birth_date:
        raise ValidationError(field, value, "date.before_birth", birth_date=birth_date.isoformat())
    return value


_YES = {"1", "y", "yes", "true", "on", "是", "有", "√", "✓"}
_NO = {"0", "n", "no", "false", "off", "否", "无", "", "×"}


def parse_flag(text: str, *, field: str) -> bool:
    """Return a yes/no flag written as yes/no, true/false, 1/0, 是/否 or 有/无.

    Raises:
        ValidationError: on ``field`` for anything else.
    """
    folded = to_half_width(text).strip().lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValidationError(field, text, "flag.invalid")


def parse_care_level(text: str) -> int | None:
    """Return a care level 0–6 from text, or None for empty (not assessed).

    Raises:
        ValidationError: on field ``care_level``.
    """
    folded = to_half_width(text).strip().removesuffix("级").strip()
    if not folded:
        return None
    if not folded.isascii() or not folded.isdigit():
        raise ValidationError("care_level", text, "care_level.not_number")
    return validate_care_level(int(folded))


# --- sections ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """A resident's identity — 基本信息 — checked and normalised."""

    name: str
    id_number: str
    birth_date: date
    sex: str
    insurance_number: str = ""
    phone: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    record_number: str = ""
    id_converted_from: str = ""  # the 15-digit first-generation number the ID number was converted from


def converted_id_note(identity: Identity) -> str:
    """Return the record's note for an ID number converted from 15 digits ("" when it was not)."""
    return t("id.converted_note", old=identity.id_converted_from) if identity.id_converted_from else ""


def check_id_number(text: str, *, today: date, birth_date: date | None = None, sex: str | None = None) -> IdCardInfo:
    """Return what an ID card number says, cross-checked with a stated birth date and sex, age ≤ 120.

    Raises:
        ValidationError: a bad number (``id_number``), a birth date or sex that disagrees with it
            (``birth_date`` / ``sex``), or an age over 120 (``birth_date``).
    """
    info = parse_id_number(text, today=today)
    cross_check_id(info, birth_date=birth_date, sex=sex)
    validate_birth_date(info.birth_date, today=today)
    return info


def validate_identity(
    *,
    name: str,
    id_number: str,
    today: date,
    birth_date: date | None = None,
    sex: str | None = None,
    insurance_number: str = "",
    phone: str = "",
    guardian_name: str = "",
    guardian_relation: str = "",
    guardian_phone: str = "",
    record_number: str = "",
) -> Identity:
    """Check a resident's identity; birth date and sex come from the ID number when not stated.

    Raises:
        ValidationError: on the first field that is not acceptable.
    """
    clean_name = validate_name(name)
    info = check_id_number(id_number, today=today, birth_date=birth_date, sex=sex or None)
    return Identity(
        name=clean_name,
        id_number=info.number,
        birth_date=info.birth_date,
        sex=info.sex,
        insurance_number=check_code(insurance_number, field="insurance_number", reason="insurance.invalid"),
        phone=check_phone(phone),
        guardian_name=check_person_name(guardian_name, field="guardian_name"),
        guardian_relation=clean(guardian_relation, field="guardian_relation", maximum=SHORT_TEXT),
        guardian_phone=check_phone(guardian_phone, field="guardian_phone"),
        record_number=check_code(record_number, field="record_number", reason="record_number.invalid"),
        id_converted_from=info.converted_from,
    )


@dataclass(frozen=True)
class Bed:
    """Building, room and bed — 楼栋/房间/床位."""

    building: str
    room: str
    bed: str


def validate_bed(*, building: str, room: str, bed: str) -> Bed:
    """Return the bed's parts cleaned (each at most 20 characters).

    Raises:
        ValidationError: on ``building``, ``room`` or ``bed`` when too long.
    """
    return Bed(
        clean(building, field="building", maximum=SHORT_TEXT),
        clean(room, field="room", maximum=SHORT_TEXT),
        clean(bed, field="bed", maximum=SHORT_TEXT),
    )


@dataclass(frozen=True)
class Signing:
    """The family-doctor signing — 家庭医生签约."""

    signed_on: date | None
    doctor_id: str | None
    service_package: str


def validate_signing(
    *, signed_on: date | None, doctor_id: str | None, service_package: str, birth_date: date, today: date
) -> Signing:
    """Check the signing date, doctor and service package.

    Raises:
        ValidationError: a doctor or package without a date, a date in the future or before birth, a
            package name that is too long.
    """
    package = clean(service_package, field="service_package", maximum=MEDIUM_TEXT)
    if signed_on is None:
        if doctor_id or package:
            raise ValidationError("signed_on", "", "signing.date_required")
        return Signing(None, None, "")
    check_past_date(signed_on, field="signed_on", today=today, birth_date=birth_date)
    return Signing(signed_on, doctor_id or None, package)


@dataclass(frozen=True)
class Flags:
    """Family bed (家庭病床) with its dates, hospice (安宁疗护), long-term-care insurance (长护险) and level."""

    family_bed: bool
    family_bed_start: date | None
    family_bed_end: date | None
    hospice: bool
    ltc_insurance: bool
    care_level: int | None


def validate_flags(
    *,
    family_bed: bool,
    family_bed_start: date | None,
    family_bed_end: date | None,
    hospice: bool,
    ltc_insurance: bool,
    care_level: int | None,
    today: date,
) -> Flags:
    """Check the flags: a family bed has a start (not in the future) and an end not before it; the
    long-term-care insurance needs care level 2–6.

    Raises:
        ValidationError: on the field at fault.
    """
    if family_bed and family_bed_start is None:
        raise ValidationError("family_bed_start", "", "family_bed.start_required")
    if family_bed_start is not None:
        check_past_date(family_bed_start, field="family_bed_start", today=today)
        if family_bed_end is not None and family_bed_end < family_bed_start:
            raise ValidationError(
                "family_bed_end", family_bed_end, "family_bed.end_before_start", start=family_bed_start.isoformat()
            )
    level = None if care_level is None else validate_care_level(care_level)
    if ltc_insurance and (level is None or level < 2):
        shown = t("level.none") if level is None else level
        raise ValidationError("ltc_insurance", t("flag.yes"), "ltc.needs_level", level=shown)
    return Flags(family_bed, family_bed_start, family_bed_end, hospice, ltc_insurance, level)


register({"flag.yes": {"zh_CN": "是", "en": "yes"}, "flag.no": {"zh_CN": "否", "en": "no"}})


@dataclass(frozen=True)
class MedicationFields:
    name: str
    dose: str
    frequency: str
    start_date: date | None
    stop_date: date | None


def validate_medication(
    *, name: str, dose: str, frequency: str, start_date: date | None, stop_date: date | None
) -> MedicationFields:
    """Check a medication — 用药: a name, short dose and frequency, a stop not before the start.

    Raises:
        ValidationError: on the field at fault.
    """
    clean_name = clean(name, field="medication", maximum=MEDIUM_TEXT)
    if not clean_name:
        raise ValidationError("medication", name, "medication.name_required")
    if start_date is not None and stop_date is not None and stop_date < start_date:
        raise ValidationError(
            "medication_stop", stop_date, "medication.stop_before_start", start=start_date.isoformat()
        )
    return MedicationFields(
        clean_name,
        clean(dose, field="dose", maximum=SHORT_TEXT),
        clean(frequency, field="frequency", maximum=SHORT_TEXT),
        start_date,
        stop_date,
    )


@dataclass(frozen=True)
class AllergyFields:
    substance: str
    reaction: str


def validate_allergy(*, substance: str, reaction: str) -> AllergyFields:
    """Check an allergy — 过敏史: the allergen is required.

    Raises:
        ValidationError: on ``substance`` or ``reaction``.
    """
    clean_substance = clean(substance, field="substance", maximum=MEDIUM_TEXT)
    if not clean_substance:
        raise ValidationError("substance", substance, "allergy.substance_required")
    return AllergyFields(clean_substance, clean(reaction, field="reaction", maximum=MEDIUM_TEXT))


# --- assessments ------------------------------------------------------------------------------------------


class AssessmentKind(StrEnum):
    """The kinds of dated assessment in a record (DOMAIN §3)."""

    SELF_CARE = "self_care"  # 老年人生活自理能力评估
    AD8 = "ad8"  # AD8 认知筛查
    CARE_LEVEL = "care_level"  # 照护等级
    FALL = "fall"  # 跌倒
    ANNUAL_CHECK = "annual_check"  # 年度健康体检

    @property
    def label(self) -> str:
        return t(f"assessment.kind.{self.value}")


@dataclass(frozen=True)
class AssessmentFields:
    """A checked assessment: its score and result worked out from the items."""

    kind: AssessmentKind
    assessed_on: date
    score: int | None
    result: str
    items: dict[str, object] = field(default_factory=dict)
    notes: str = ""


def _assessment_date(assessed_on: date, *, birth_date: date | None, today: date) -> date:
    return check_past_date(assessed_on, field="assessed_on", today=today, birth_date=birth_date)


def self_care_assessment(
    levels: Mapping[str, int], *, assessed_on: date, today: date, birth_date: date | None = None, notes: str = ""
) -> AssessmentFields:
    """Score the self-care form — five items, levels 0–3 — and give its band.

    Raises:
        ValidationError: a missing or unknown item, a bad level, or a bad date.
    """
    _assessment_date(assessed_on, birth_date=birth_date, today=today)
    score = self_care_score(levels)
    items: dict[str, object] = {item.key: int(levels[item.key]) for item in SELF_CARE_ITEMS}
    return AssessmentFields(
        AssessmentKind.SELF_CARE,
        assessed_on,
        score,
        self_care_band(score).key,
        items,
        clean(notes, field="assessment_notes", maximum=NOTE_TEXT),
    )


def ad8_assessment(
    answers: Mapping[str, Ad8Input], *, assessed_on: date, today: date, birth_date: date | None = None, notes: str = ""
) -> AssessmentFields:
    """Score the AD8 screen — eight yes/no/don't-know items; ≥ 2 is positive, ≥ 4 "don't know" not interpretable.

    Raises:
        ValidationError: a missing or unknown item, a bad answer, or a bad date.
    """
    _assessment_date(assessed_on, birth_date=birth_date, today=today)
    normalized = normalize_ad8_answers(answers)
    score = ad8_score(normalized)
    items: dict[str, object] = {key: normalized[key].value for key in AD8_ITEMS}
    return AssessmentFields(
        AssessmentKind.AD8,
        assessed_on,
        score,
        ad8_result(normalized).value,
        items,
        clean(notes, field="assessment_notes", maximum=NOTE_TEXT),
    )


def care_level_assessment(
    level: int, *, assessed_on: date, today: date, birth_date: date | None = None, notes: str = ""
) -> AssessmentFields:
    """Record an assessed care level 0–6 (照护等级).

    Raises:
        ValidationError: a level outside 0–6 or a bad date.
    """
    _assessment_date(assessed_on, birth_date=birth_date, today=today)
    value = validate_care_level(level)
    return AssessmentFields(
        AssessmentKind.CARE_LEVEL,
        assessed_on,
        value,
        str(value),
        {},
        clean(notes, field="assessment_notes", maximum=NOTE_TEXT),
    )


def fall_assessment(
    *, assessed_on: date, today: date, injury: bool, birth_date: date | None = None, notes: str = ""
) -> AssessmentFields:
    """Record a fall — 跌倒 — on its date, with or without injury.

    Raises:
        ValidationError: a bad date or notes that are too long.
    """
    _assessment_date(assessed_on, birth_date=birth_date, today=today)
    return AssessmentFields(
        AssessmentKind.FALL,
        assessed_on,
        None,
        "injury" if injury else "no_injury",
        {},
        clean(notes, field="assessment_notes", maximum=NOTE_TEXT),
    )


def assessment_result_label(kind: str, result: str, score: int | None) -> str:
    """Return an assessment's result as people read it: the band, positive/negative, the level."""
    if kind == AssessmentKind.SELF_CARE and result:
        return t(f"self_care.band.{result}")
    if kind == AssessmentKind.AD8 and result in ("positive", "negative", "not_interpretable"):
        return t(f"assessment.ad8.{result}")
    if kind == AssessmentKind.CARE_LEVEL:
        return t("assessment.care_level.result", level=score if score is not None else result)
    if kind == AssessmentKind.FALL and result in ("injury", "no_injury"):
        return t(f"assessment.fall.{result}")
    if kind == AssessmentKind.ANNUAL_CHECK and result == "done":
        return t("assessment.annual_check.done")
    return result
