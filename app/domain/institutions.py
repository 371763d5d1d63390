"""Institution kinds — 机构类型 (DOMAIN §1)."""

from __future__ import annotations

from enum import StrEnum

from app.domain.i18n import register, t


class InstitutionKind(StrEnum):
    NURSING_HOME = "nursing_home"  # 养老机构
    ELDER_CARE_HOME = "elder_care_home"  # 长者照护之家
    DAY_CARE = "day_care"  # 日间照料中心
    SERVICE_HUB = "service_hub"  # 社区综合为老服务中心
    NURSING_HOSPITAL = "nursing_hospital"  # 护理院
    OTHER = "other"

    @property
    def label(self) -> str:
        return t(f"kind.{self.value}")


register(
    {
        "kind.nursing_home": {"zh_CN": "养老机构", "en": "Nursing home"},
        "kind.elder_care_home": {"zh_CN": "长者照护之家", "en": "Elder-care home"},
        "kind.day_care": {"zh_CN": "日间照料中心", "en": "Day-care center"},
        "kind.service_hub": {"zh_CN": "社区综合为老服务中心", "en": "Elder-service hub"},
        "kind.nursing_hospital": {"zh_CN": "护理院", "en": "Nursing hospital"},
        "kind.other": {"zh_CN": "其他", "en": "Other"},
    }
)
