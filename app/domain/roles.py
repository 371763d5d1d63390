"""Staff roles — 角色."""

from __future__ import annotations

from enum import StrEnum

from app.domain.i18n import register, t


class Role(StrEnum):
    ADMIN = "admin"
    DOCTOR = "doctor"
    NURSE = "nurse"
    ASSISTANT = "assistant"

    @property
    def label(self) -> str:
        return t(f"role.{self.value}")


register(
    {
        "role.admin": {"zh_CN": "管理员", "en": "Administrator"},
        "role.doctor": {"zh_CN": "家庭医生", "en": "Family doctor"},
        "role.nurse": {"zh_CN": "社区护士", "en": "Community nurse"},
        "role.assistant": {"zh_CN": "助理", "en": "Assistant"},
    }
)
