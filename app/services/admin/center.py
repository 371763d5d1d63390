"""The center itself: first-start set-up (name, code, first admin) and its description."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.domain.i18n import register
from app.domain.roles import Role
from app.domain.validation import strip_controls
from app.services.accounts.sign_in import create_staff
from app.store.models import Center
from app.store.queries.center import the_center
from app.store.uow import UnitOfWork

register(
    {
        "center.name_required": {"zh_CN": "请填写中心名称", "en": "the center's name is required"},
        "center.code_invalid": {
            "zh_CN": "机构代码为 2–20 位字母或数字",
            "en": "the center code has 2–20 letters or digits",
        },
        "center.exists": {"zh_CN": "本数据库已设置中心", "en": "this database already has a center"},
        "field.center_name": {"zh_CN": "中心名称", "en": "Center name"},
        "field.center_code": {"zh_CN": "机构代码", "en": "Center code"},
        "field.staff_name": {"zh_CN": "姓名", "en": "Name"},
        "staff.name_required": {"zh_CN": "请填写姓名", "en": "the name is required"},
    }
)


@dataclass(frozen=True)
class CenterInfo:
    id: str
    name: str
    code: str
    district: str
    phone: str


def needs_setup(uow: UnitOfWork) -> bool:
    """Return True when the database has no center yet (first start)."""
    with uow.reading() as uow:
        return the_center(uow) is None


def center_info(uow: UnitOfWork) -> CenterInfo | None:
    with uow.reading() as uow:
        center = the_center(uow)
        if center is None:
            return None
        return CenterInfo(center.id, center.name, center.code, center.district, center.phone)


def set_up_center(
    uow: UnitOfWork,
    *,
    name: str,
    code: str,
    district: str = "",
    admin_name: str,
    admin_login: str,
    admin_password: str,
) -> CenterInfo:
    """Create the center and its first administrator account in one transaction.

    Raises:
        ValidationError: a field is missing or malformed, or the center already exists.
    """
    name = strip_controls(name).strip()
    code = code.strip().upper()
    if not name:
        raise ValidationError("center_name", name, "center.name_required")
    if not (2 <= len(code) <= 20) or not code.isalnum() or not code.isascii():
        raise ValidationError("center_code", code, "center.code_invalid")
    if not admin_name.strip():
        raise ValidationError("staff_name", admin_name, "staff.name_required")
    with uow:
        if the_center(uow, deleted_too=True) is not None:
            raise ValidationError("center_name", name, "center.exists")
        center = Center(name=name, code=code, district=strip_controls(district).strip())
        uow.session.add(center)
        create_staff(uow, name=admin_name, role=Role.ADMIN, login=admin_login, password=admin_password)
        uow.commit()
        return CenterInfo(center.id, center.name, center.code, center.district, center.phone)
