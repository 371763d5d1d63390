"""Coded chronic conditions — 慢性病 — with ICD-10 codes (free text is allowed beside these)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.domain.i18n import register, t
from app.domain.validation import to_half_width


@dataclass(frozen=True)
class ConditionCode:
    """A condition of the coded list: internal code, ICD-10 code, and whether it has chronic follow-up."""

    code: str
    icd10: str
    chronic_follow_up: bool = False  # hypertension and type 2 diabetes (DOMAIN §4)

    @property
    def label(self) -> str:
        return t(f"condition.{self.code}")


CONDITIONS: tuple[ConditionCode, ...] = (
    ConditionCode("hypertension", "I10", chronic_follow_up=True),
    ConditionCode("diabetes_t2", "E11", chronic_follow_up=True),
    ConditionCode("chd", "I25"),
    ConditionCode("stroke_sequelae", "I69"),
    ConditionCode("copd", "J44"),
    ConditionCode("dementia", "F03"),
    ConditionCode("parkinson", "G20"),
    ConditionCode("ckd", "N18"),
    ConditionCode("osteoporosis", "M81"),
    ConditionCode("cancer", "C80"),
    ConditionCode("heart_failure", "I50"),
    ConditionCode("atrial_fibrillation", "I48"),
    ConditionCode("hyperlipidaemia", "E78"),
    ConditionCode("depression", "F32"),
    ConditionCode("cataract", "H26"),
    ConditionCode("osteoarthritis", "M19"),
    ConditionCode("bph", "N40"),
    ConditionCode("gout", "M10"),
    ConditionCode("glaucoma", "H40"),
    ConditionCode("hypothyroidism", "E03"),
    ConditionCode("anaemia", "D64"),
    ConditionCode("chronic_hepatitis_b", "B18.1"),
    ConditionCode("severe_mental_disorder", "F20"),
)

BY_CODE = {c.code: c for c in CONDITIONS}
CHRONIC_FOLLOW_UP_CODES = frozenset(c.code for c in CONDITIONS if c.chronic_follow_up)

CONDITION_NAMES: dict[str, tuple[str, str]] = {
    "hypertension": ("高血压", "Hypertension"),
    "diabetes_t2": ("2型糖尿病", "Type 2 diabetes"),
    "chd": ("冠心病", "Coronary heart disease"),
    "stroke_sequelae": ("脑卒中后遗症", "Stroke sequelae"),
    "copd": ("慢性阻塞性肺疾病", "COPD"),
    "dementia": ("痴呆", "Dementia"),
    "parkinson": ("帕金森病", "Parkinson's disease"),
    "ckd": ("慢性肾脏病", "Chronic kidney disease"),
    "osteoporosis": ("骨质疏松", "Osteoporosis"),
    "cancer": ("恶性肿瘤", "Cancer"),
    "heart_failure": ("心力衰竭", "Heart failure"),
    "atrial_fibrillation": ("心房颤动", "Atrial fibrillation"),
    "hyperlipidaemia": ("高脂血症", "Hyperlipidaemia"),
    "depression": ("抑郁症", "Depression"),
    "cataract": ("白内障", "Cataract"),
    "osteoarthritis": ("骨关节炎", "Osteoarthritis"),
    "bph": ("前列腺增生", "Benign prostatic hyperplasia"),
    "gout": ("痛风", "Gout"),
    "glaucoma": ("青光眼", "Glaucoma"),
    "hypothyroidism": ("甲状腺功能减退症", "Hypothyroidism"),
    "anaemia": ("贫血", "Anaemia"),
    "chronic_hepatitis_b": ("慢性乙型肝炎", "Chronic hepatitis B"),
    "severe_mental_disorder": ("严重精神障碍", "Severe mental disorder"),
}
"""Chinese and English name of each coded condition."""

register({f"condition.{code}": {"zh_CN": zh, "en": en} for code, (zh, en) in CONDITION_NAMES.items()})
register(
    {
        "text.too_long": {"zh_CN": "最多 {maximum} 个字", "en": "at most {maximum} characters"},
        "field.condition": {"zh_CN": "疾病", "en": "condition"},
        "field.icd10": {"zh_CN": "ICD-10 编码", "en": "ICD-10 code"},
        "field.diagnosed_on": {"zh_CN": "诊断日期", "en": "date diagnosed"},
        "condition.name_required": {
            "zh_CN": "请从列表中选择疾病或填写病名",
            "en": "choose a condition from the list or type its name",
        },
        "condition.icd10_format": {
            "zh_CN": "ICD-10 编码应为一个字母加两位数字，可带小数，如 I10、E11.9",
            "en": "an ICD-10 code is a letter and two digits, optionally with a decimal part, e.g. I10 or E11.9",
        },
    }
)

NAME_MAX_LENGTH = 60
_ICD10 = re.compile(r"[A-Z]\d{2}(\.[0-9A-Z]{1,4})?", re.ASCII)


@dataclass(frozen=True)
class ConditionEntry:
    """A condition as stored: the coded one's code and ICD-10 code, or free text (code "")."""

    code: str
    icd10: str
    name: str


def _labels(condition: ConditionCode) -> set[str]:
    zh, en = CONDITION_NAMES[condition.code]
    return {_fold(zh), _fold(en), _fold(condition.code)}


def _fold(text: str) -> str:
    return "".join(to_half_width(text).split()).lower()


def condition_label(code: str, name: str) -> str:
    """Return how a stored condition reads in the current language: the coded name, else the text."""
    coded = BY_CODE.get(code)
    return coded.label if coded is not None else name


def find_condition(text: str) -> ConditionCode | None:
    """Return the coded condition named by ``text`` (its code, ICD-10 code, Chinese or English name)."""
    folded = _fold(text)
    if not folded:
        return None
    for condition in CONDITIONS:
        if folded in _labels(condition) or folded == condition.icd10.lower():
            return condition
    return None


def resolve_condition(*, code: str = "", name: str = "", icd10: str = "") -> ConditionEntry:
    """Return the condition to store for a choice from the coded list or free text.

    A known ``code`` gives the coded condition: its Chinese name, as health records keep it, and its
    ICD-10 code (screens show :func:`condition_label` in their language). Free text that names a coded
    condition (高血压, "hypertension", I10) becomes that coded condition, unless another ICD-10 code was
    given; other free text is kept as typed, with an ICD-10 code if one was given.

    Raises:
        ValidationError: on field ``condition`` when nothing was given or the name is too long, or on
            ``icd10`` for a malformed code.
    """
    if code:
        coded = BY_CODE.get(code)
        if coded is None:
            raise ValidationError("condition", code, "condition.name_required")
        return ConditionEntry(coded.code, coded.icd10, CONDITION_NAMES[coded.code][0])
    cleaned = " ".join(to_half_width(name).split())
    coded = find_condition(cleaned)
    if coded is not None and not icd10.strip():
        return ConditionEntry(coded.code, coded.icd10, CONDITION_NAMES[coded.code][0])
    if not cleaned:
        raise ValidationError("condition", name, "condition.name_required")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ValidationError("condition", name, "text.too_long", maximum=NAME_MAX_LENGTH)
    code_text = "".join(to_half_width(icd10).split()).upper()
    if code_text and not _ICD10.fullmatch(code_text):
        raise ValidationError("icd10", icd10, "condition.icd10_format")
    return ConditionEntry("", code_text, cleaned)
