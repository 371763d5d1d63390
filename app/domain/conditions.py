"""Coded chronic conditions — 慢性病 — with ICD-10 codes (free text is allowed beside these)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.i18n import register, t


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
)

BY_CODE = {c.code: c for c in CONDITIONS}
CHRONIC_FOLLOW_UP_CODES = frozenset(c.code for c in CONDITIONS if c.chronic_follow_up)

register(
    {
        "condition.hypertension": {"zh_CN": "高血压", "en": "Hypertension"},
        "condition.diabetes_t2": {"zh_CN": "2型糖尿病", "en": "Type 2 diabetes"},
        "condition.chd": {"zh_CN": "冠心病", "en": "Coronary heart disease"},
        "condition.stroke_sequelae": {"zh_CN": "脑卒中后遗症", "en": "Stroke sequelae"},
        "condition.copd": {"zh_CN": "慢性阻塞性肺疾病", "en": "COPD"},
        "condition.dementia": {"zh_CN": "痴呆", "en": "Dementia"},
        "condition.parkinson": {"zh_CN": "帕金森病", "en": "Parkinson's disease"},
        "condition.ckd": {"zh_CN": "慢性肾脏病", "en": "Chronic kidney disease"},
        "condition.osteoporosis": {"zh_CN": "骨质疏松", "en": "Osteoporosis"},
        "condition.cancer": {"zh_CN": "恶性肿瘤", "en": "Cancer"},
        "condition.heart_failure": {"zh_CN": "心力衰竭", "en": "Heart failure"},
        "condition.atrial_fibrillation": {"zh_CN": "心房颤动", "en": "Atrial fibrillation"},
        "condition.hyperlipidaemia": {"zh_CN": "高脂血症", "en": "Hyperlipidaemia"},
        "condition.depression": {"zh_CN": "抑郁症", "en": "Depression"},
        "condition.cataract": {"zh_CN": "白内障", "en": "Cataract"},
    }
)
