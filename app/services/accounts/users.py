"""Staff accounts — 账号管理 — for the administrator: add, edit, disable, reset passwords, teams.

Also the center-wide auto-lock time (a :class:`~app.store.models.CenterSetting`, so it travels to
every device with sync). Every function here checks the signed-in role first.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, NamedTuple

from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register
from app.domain.permissions import Action
from app.domain.roles import Role
from app.domain.validation import strip_controls
from app.services.accounts.sign_in import create_staff, hash_password, set_password, validate_password
from app.services.authz import require
from app.store import sign_in_throttle
from app.store.models import CenterSetting, SignInState, Staff, Team
from app.store.queries import accounts as queries
from app.store.uow import UnitOfWork

AUTO_LOCK_KEY = "auto_lock_minutes"
DEFAULT_AUTO_LOCK_MINUTES = 10
MAX_AUTO_LOCK_MINUTES = 24 * 60
ROLE_ORDER = (Role.DOCTOR, Role.NURSE, Role.ASSISTANT, Role.ADMIN)

register(
    {
        "users.last_admin": {
            "zh_CN": "至少要保留一个启用的管理员账号",
            "en": "at least one active administrator account must remain",
        },
        "users.not_yourself": {
            "zh_CN": "不能停用自己正在使用的账号",
            "en": "you cannot disable the account you are signed in with",
        },
        "users.no_such_staff": {"zh_CN": "找不到该账号（可能已在其他设备上删除）。", "en": "No such account."},
        "users.no_such_team": {"zh_CN": "找不到该团队", "en": "no such team"},
        "users.team_name_required": {"zh_CN": "请填写团队名称", "en": "the team's name is required"},
        "users.team_exists": {"zh_CN": "已有同名团队", "en": "a team of that name exists"},
        "users.bad_role": {"zh_CN": "未知的角色", "en": "unknown role"},
        "users.auto_lock_range": {
            "zh_CN": "应在 0 到 {max} 分钟之间（0 表示不自动锁定）",
            "en": "must be 0 to {max} minutes (0 turns auto-lock off)",
        },
        "staff.name_required": {"zh_CN": "请填写姓名", "en": "the name is required"},
        "field.staff_name": {"zh_CN": "姓名", "en": "Name"},
        "field.role": {"zh_CN": "角色", "en": "Role"},
        "field.team": {"zh_CN": "团队", "en": "Team"},
        "field.active": {"zh_CN": "状态", "en": "Status"},
        "field.team_name": {"zh_CN": "团队名称", "en": "Team name"},
        "field.auto_lock_minutes": {"zh_CN": "自动锁定时间", "en": "Auto-lock time"},
    }
)


class AccountRefused(DomainError):
    """The account cannot be found or changed that way."""


class StaffRow(NamedTuple):
    """One account in the users list."""

    id: str
    name: str
    login: str
    role: Role
    team_id: str | None
    team_name: str
    phone: str
    practice_sites: str
    active: bool
    locked_until: datetime | None  # on this device, after repeated failed sign-ins; None if not locked
    must_change_password: bool = False  # an administrator set the password; they choose their own at sign-in


class TeamChoice(NamedTuple):
    id: str
    name: str


# --- reading -------------------------------------------------------------------------------------------


def list_staff(uow: UnitOfWork, *, now: datetime | None = None) -> list[StaffRow]:
    """Return every account (disabled ones too): active first, then by team and role.

    Raises:
        PermissionDenied: the role may not manage accounts.
    """
    now = now or datetime.now(timezone.utc)
    with uow.reading() as uow:
        require(uow, Action.MANAGE_USERS)
        rows = queries.staff_list(uow)
    staff = [_staff_row(tuple(row), now) for row in rows]
    # active first, then team by team ("1+1+X": doctor, nurse, assistants), accounts without a team last
    staff.sort(key=lambda r: (not r.active, r.team_name == "", r.team_name, ROLE_ORDER.index(r.role), r.login))
    return staff


def list_teams(uow: UnitOfWork) -> list[TeamChoice]:
    """Return every team, by name.

    Raises:
        PermissionDenied: the role may not manage accounts.
    """
    with uow.reading() as uow:
        require(uow, Action.MANAGE_USERS)
        return [TeamChoice(*row) for row in queries.teams(uow)]


def _staff_row(row: tuple[Any, ...], now: datetime) -> StaffRow:
    staff_id, name, login, role, team_id, team_name, phone, sites, active, locked, must_change = row
    locked_until = _parse_moment(locked)
    if locked_until is not None and locked_until <= now:
        locked_until = None
    return StaffRow(
        staff_id, name, login, Role(role), team_id or None, team_name, phone, sites, bool(active), locked_until,
        bool(must_change),
    )  # fmt: skip


def _parse_moment(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


# --- changing ------------------------------------------------------------------------------------------


def add_staff(
    uow: UnitOfWork,
    *,
    name: str,
    role: Role,
    login: str,
    password: str,
    team_id: str | None = None,
    phone: str = "",
    practice_sites: str = "",
    must_change_password: bool = True,
) -> StaffRow:
    """Add an account; the password must have 8 characters or more and differ from the login.

    Args:
        must_change_password: the person chooses their own password at the first sign-in (the
            administrator knows this one); on unless the administrator turns it off.

    Raises:
        PermissionDenied: the role may not manage accounts.
        ValidationError: a field is missing or not acceptable, or the login is taken.
    """
    name = _require_name(name)
    with uow:
        require(uow, Action.MANAGE_USERS)
        _check_team(uow, team_id)
        staff = create_staff(
            uow, name=name, role=Role(role), login=login, password=password, team_id=team_id,
            phone=strip_controls(phone).strip(), must_change_password=must_change_password,
        )  # fmt: skip
        staff.practice_sites = strip_controls(practice_sites).strip()
        uow.commit()
        return _row_for(uow, staff)


def update_staff(
    uow: UnitOfWork,
    *,
    staff_id: str,
    name: str,
    role: Role,
    team_id: str | None,
    phone: str = "",
    practice_sites: str = "",
) -> StaffRow:
    """Change an account's name, role, team, phone and practice sites (the login stays).

    Raises:
        PermissionDenied: the role may not manage accounts.
        AccountRefused: no such account.
        ValidationError: a field is not acceptable, or this would leave no active administrator.
    """
    name = _require_name(name)
    with uow:
        require(uow, Action.MANAGE_USERS)
        staff = _get_staff(uow, staff_id)
        _check_team(uow, team_id)
        role = Role(role)
        if staff.role == Role.ADMIN.value and role is not Role.ADMIN and staff.active:
            _keep_an_admin(uow, staff, field="role", value=role.label)
        staff.name = name
        staff.role = role.value
        staff.team_id = team_id
        staff.phone = strip_controls(phone).strip()
        staff.practice_sites = strip_controls(practice_sites).strip()
        uow.commit()
        return _row_for(uow, staff)


def set_staff_active(uow: UnitOfWork, *, staff_id: str, active: bool) -> StaffRow:
    """Disable an account (it can no longer sign in; its history stays) or enable it again.

    Raises:
        PermissionDenied: the role may not manage accounts.
        AccountRefused: no such account.
        ValidationError: disabling yourself, or the last active administrator.
    """
    with uow:
        actor = require(uow, Action.MANAGE_USERS)
        staff = _get_staff(uow, staff_id)
        if not active and staff.active:
            if staff.id == actor.staff_id:
                raise ValidationError("active", staff.name, "users.not_yourself")
            if staff.role == Role.ADMIN.value:
                _keep_an_admin(uow, staff, field="active", value=staff.name)
        staff.active = active
        uow.commit()
        return _row_for(uow, staff)


def reset_password(uow: UnitOfWork, *, staff_id: str, new_password: str) -> None:
    """Give an account a new password (and lift a lockout on this device).

    The person must choose their own password at their next sign-in, unless the administrator reset
    their own account's (then they chose it themselves).

    Raises:
        PermissionDenied: the role may not manage accounts.
        AccountRefused: no such account.
        ValidationError: the password is too short or equals the login.
    """
    with uow:
        actor = require(uow, Action.MANAGE_USERS)
        staff = _get_staff(uow, staff_id)
        validate_password(new_password, login=staff.login)
        set_password(uow, staff, hash_password(new_password), must_change=staff.id != actor.staff_id)
        _clear_lock(uow, staff.login)
        uow.commit()


def unlock_account(uow: UnitOfWork, *, staff_id: str) -> None:
    """Lift a lockout after failed sign-ins on this device before its five minutes are over.

    Raises:
        PermissionDenied: the role may not manage accounts.
        AccountRefused: no such account.
    """
    with uow:
        require(uow, Action.MANAGE_USERS)
        staff = _get_staff(uow, staff_id)
        _clear_lock(uow, staff.login)
        uow.commit()


def add_team(uow: UnitOfWork, *, name: str, phone: str = "") -> TeamChoice:
    """Add a family-doctor team (家庭医生团队).

    Raises:
        PermissionDenied: the role may not manage accounts.
        ValidationError: the name is empty or taken.
    """
    name = strip_controls(name).strip()
    if not name:
        raise ValidationError("team_name", name, "users.team_name_required")
    with uow:
        require(uow, Action.MANAGE_USERS)
        if queries.live_team_named(uow, name) is not None:
            raise ValidationError("team_name", name, "users.team_exists")
        team = Team(name=name, phone=strip_controls(phone).strip())
        uow.session.add(team)
        uow.commit()
        return TeamChoice(team.id, team.name)


def _require_name(name: str) -> str:
    name = strip_controls(name).strip()
    if not name:
        raise ValidationError("staff_name", name, "staff.name_required")
    return name


def _get_staff(uow: UnitOfWork, staff_id: str) -> Staff:
    staff = uow.session.get(Staff, staff_id)
    if staff is None or staff.deleted:
        raise AccountRefused("users.no_such_staff")
    return staff


def _check_team(uow: UnitOfWork, team_id: str | None) -> None:
    if team_id is None:
        return
    team = uow.session.get(Team, team_id)
    if team is None or team.deleted:
        raise ValidationError("team", team_id, "users.no_such_team")


def _keep_an_admin(uow: UnitOfWork, staff: Staff, *, field: str, value: str) -> None:
    others = queries.other_active_with_role(uow, role=Role.ADMIN.value, except_id=staff.id)
    if others is None:
        raise ValidationError(field, value, "users.last_admin")


def _clear_lock(uow: UnitOfWork, login: str) -> None:
    state = uow.session.get(SignInState, login)
    if state is not None:
        state.failed_attempts = 0
        state.locked_until = None
    if not uow.database.is_server:  # and a lock counted before an encrypted database was opened (<db>.signin)
        sign_in_throttle.record_success(uow.database.path, login)


def _row_for(uow: UnitOfWork, staff: Staff) -> StaffRow:
    team = uow.session.get(Team, staff.team_id) if staff.team_id else None
    state = uow.session.get(SignInState, staff.login)
    return _staff_row(
        (staff.id, staff.name, staff.login, staff.role, staff.team_id, team.name if team else "", staff.phone,
         staff.practice_sites, staff.active, state.locked_until if state else None, staff.must_change_password),
        datetime.now(timezone.utc),
    )  # fmt: skip


# --- the center's auto-lock time -------------------------------------------------------------------------


def auto_lock_minutes(uow: UnitOfWork, *, default: int = DEFAULT_AUTO_LOCK_MINUTES) -> int:
    """Return the center's auto-lock time in minutes (0: off), or ``default`` if the center set none.

    Anyone may read it (the window needs it at every sign-in).
    """
    with uow.reading() as uow:
        setting = _auto_lock_setting(uow)
        if setting is None:
            return default
        try:
            value = json.loads(setting.value)
        except ValueError:
            return default
        return value if isinstance(value, int) and 0 <= value <= MAX_AUTO_LOCK_MINUTES else default


def set_auto_lock_minutes(uow: UnitOfWork, *, minutes: int) -> int:
    """Set the center's auto-lock time (0 turns auto-lock off); it travels to every device with sync.

    Raises:
        PermissionDenied: the role may not change settings.
        ValidationError: not 0 to 1440 minutes.
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_AUTO_LOCK_MINUTES:
        raise ValidationError("auto_lock_minutes", minutes, "users.auto_lock_range", max=MAX_AUTO_LOCK_MINUTES)
    with uow:
        require(uow, Action.MANAGE_SETTINGS)
        setting = _auto_lock_setting(uow)
        if setting is None:
            uow.session.add(CenterSetting(key=AUTO_LOCK_KEY, value=json.dumps(minutes)))
        else:
            setting.value = json.dumps(minutes)
        uow.commit()
    return minutes


def _auto_lock_setting(uow: UnitOfWork) -> CenterSetting | None:
    # two devices may each have created the setting before they synced: the newest one counts
    return queries.newest_setting(uow, AUTO_LOCK_KEY)
