"""Recovering a lost administrator password with the center's recovery key (issue 15).

The database was opened with the recovery key (:class:`app.store.cipher.Credentials`): whoever holds it may
give an active administrator account a new password. The change is the administrator's own (audited as
such, no "must change" flag) and the key is rewrapped for it at commit.
"""

from __future__ import annotations

from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.roles import Role
from app.services.accounts.sign_in import record_sign_in, validate_password
from app.services.accounts.users import reset_password
from app.store.models import Staff
from app.store.queries import accounts as queries
from app.store.uow import UnitOfWork

register(
    {
        "recovery.not_admin": {
            "zh_CN": "“{login}”不是在用的管理员账号。恢复密钥只能为管理员重设密码。",
            "en": "“{login}” is not an active administrator account. The recovery key resets an administrator's "
            "password only.",
        },
    }
)


class RecoveryRefused(DomainError):
    """The login named is not an active administrator."""


def reset_admin_password(uow: UnitOfWork, *, login: str, new_password: str, via: str = "") -> None:
    """Give the active administrator ``login`` the password ``new_password`` (the database opened with the
    recovery key: nobody is signed in).

    Args:
        via: where the recovery comes from when not the window (``cli:center recover``): with it, the
            recovery is also audited as the administrator's ``sign_in`` with ``recovery_key: true``.

    Raises:
        RecoveryRefused: no active administrator with this login.
        ValidationError: the password is too short or equals the login.
    """
    login = login.strip().lower()
    with uow.reading() as reading:
        staff = queries.staff_with_login(reading, login, live_only=True)
        admin_id = staff.id if staff is not None and staff.active and staff.role == Role.ADMIN.value else None
    if admin_id is None:
        raise RecoveryRefused("recovery.not_admin", login=login)
    if via:
        validate_password(new_password, login=login)  # refused before anything is recorded
        with UnitOfWork(uow.database, actor_id=admin_id) as recording:
            admin = recording.session.get(Staff, admin_id)
            if admin is None:  # gone between the two reads (another program): nothing recorded
                raise RecoveryRefused("recovery.not_admin", login=login)
            record_sign_in(recording, admin, {"via": [None, via], "recovery_key": [None, True]})
            recording.commit()
    acting = UnitOfWork(uow.database, actor_id=admin_id)  # the administrator resets their own password
    reset_password(acting, staff_id=admin_id, new_password=new_password)
