"""Resident vocabulary: residence status — 居住状态 — and sex."""

from __future__ import annotations

from enum import StrEnum

from app.domain.i18n import register, t


class ResidentStatus(StrEnum):
    IN_RESIDENCE = "in_residence"  # 在住
    HOSPITALIZED = "hospitalized"  # 住院
    DISCHARGED = "discharged"  # 出院
    TRANSFERRED = "transferred"  # 转出
    DECEASED = "deceased"  # 死亡

    @property
    def label(self) -> str:
        return t(f"status.{self.value}")


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"

    @property
    def label(self) -> str:
        import app.domain.validation  # noqa: F401  (registers the sex labels)

        return t(f"sex.{self.value}")


register(
    {
        "status.in_residence": {"zh_CN": "在住", "en": "In residence"},
        "status.hospitalized": {"zh_CN": "住院", "en": "Hospitalized"},
        "status.discharged": {"zh_CN": "出院", "en": "Discharged"},
        "status.transferred": {"zh_CN": "转出", "en": "Transferred"},
        "status.deceased": {"zh_CN": "死亡", "en": "Deceased"},
    }
)
