"""Staff accounts and signing in: argon2id password hashes, failed-attempt lockout.

Sign-ins, failed sign-ins on existing accounts and lockouts are written to the audit trail. Where the
database cannot count a failure — an encrypted one whose key a wrong password did not unwrap, a read-only
one — it is counted in ``<database>.signin`` (:mod:`app.store.sign_in_throttle`, the same rule), and the
next sign-in that can write the database copies those failures into the audit trail. A password an
administrator gave (a reset, a new account) sets ``must_change_password``: the sign-in still succeeds and
says so, and the window asks for a password of the person's own before anything else
(:func:`change_own_password` clears the flag).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register
from app.domain.roles import Role
from app.domain.validation import strip_controls
from app.services.authz import PermissionDenied
from app.store import key_wraps, sign_in_throttle
from app.store.audit import AuditAction, audit_value
from app.store.models import AuditEntry, SignInState, Staff
from app.store.queries import accounts as queries
from app.store.sign_in_throttle import LOCK_DURATION, MAX_FAILED_ATTEMPTS  # one rule for the table and <db>.signin
from app.store.uow import UnitOfWork

MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters

register(
    {
        "signin.failed": {"zh_CN": "用户名或密码不正确。", "en": "Wrong login or password."},
        "signin.locked": {
            "zh_CN": "该账号因多次登录失败已锁定，请于 {minutes} 分钟后再试。",
            "en": "This account is locked after repeated failed sign-ins; try again in {minutes} min.",
        },
        "signin.inactive": {"zh_CN": "该账号已停用。", "en": "This account is disabled."},
        "password.too_short": {
            "zh_CN": "密码至少需要 {n} 个字符",
            "en": "the password needs at least {n} characters",
        },
        "password.equals_login": {"zh_CN": "密码不能与用户名相同", "en": "the password must differ from the login"},
        "password.same_as_current": {
            "zh_CN": "新密码不能与当前密码相同",
            "en": "the new password must differ from the current one",
        },
        "password.current_wrong": {"zh_CN": "当前密码不正确。", "en": "The current password is not correct."},
        "login.invalid": {
            "zh_CN": "用户名只能包含字母、数字、点、下划线或连字符（2–32 个字符）",
            "en": "a login has 2–32 letters, digits, dots, underscores or hyphens",
        },
        "login.taken": {"zh_CN": "用户名已被使用", "en": "this login is already in use"},
        "field.password": {"zh_CN": "密码", "en": "Password"},
        "field.must_change_password": {"zh_CN": "须改为本人密码", "en": "must change password"},
        "field.login": {"zh_CN": "用户名", "en": "Login"},
    }
)


class SignInFailed(DomainError):
    """Wrong login or password, a locked or a disabled account."""


@dataclass(frozen=True)
class SignedIn:
    """The staff member now using the app."""

    staff_id: str
    name: str
    role: Role
    team_id: str | None
    login: str
    must_change_password: bool = False  # an administrator set the password: choose one's own before going on


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def validate_login(login: str) -> str:
    """Return the login stripped and lowercased, or raise ValidationError."""
    cleaned = login.strip().lower()
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
    if not (2 <= len(cleaned) <= 32) or not set(cleaned) <= allowed:
        raise ValidationError("login", login, "login.invalid")
    return cleaned


def set_password(uow: UnitOfWork, staff: Staff, password_hash: str, *, must_change: bool) -> None:
    """Give ``staff`` a new password hash and the must-change flag that goes with it (the caller commits).

    The two are stamped together (``Staff.STAMPED_TOGETHER``), so sync keeps or drops them as a pair.
    """
    staff.password_hash = password_hash
    staff.must_change_password = must_change
    uow.session.flush()


def validate_password(password: str, *, login: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", "********", "password.too_short", n=MIN_PASSWORD_LENGTH)
    if password.strip().lower() == login.strip().lower():
        raise ValidationError("password", "********", "password.equals_login")


def create_staff(
    uow: UnitOfWork,
    *,
    name: str,
    role: Role,
    login: str,
    password: str,
    team_id: str | None = None,
    phone: str = "",
    must_change_password: bool = False,
) -> Staff:
    """Add a staff account inside an open unit of work (the caller commits).

    Args:
        must_change_password: the person must choose their own password at the first sign-in.
    """
    login = validate_login(login)
    validate_password(password, login=login)
    existing = queries.staff_with_login(uow, login)
    if existing is not None:
        raise ValidationError("login", login, "login.taken")
    staff = Staff(
        name=strip_controls(name).strip(),
        role=role.value,
        login=login,
        password_hash=hash_password(password),
        team_id=team_id,
        phone=phone,
        must_change_password=must_change_password,
    )
    uow.session.add(staff)
    return staff


def active_accounts(uow: UnitOfWork, *, logins: list[str]) -> dict[str, tuple[str, str]]:
    """Return ``{login: (role, name)}`` of the active accounts among ``logins`` (for the demo's console list)."""
    with uow.reading() as uow:
        rows = queries.active_accounts(uow, logins)
    return {login: (role, name) for login, role, name in rows}


def sign_in(uow: UnitOfWork, *, login: str, password: str, now: datetime | None = None, via: str = "") -> SignedIn:
    """Check a login and password; count failures and lock after five for five minutes.

    Args:
        via: where the sign-in comes from when not the window, recorded with it in the audit trail
            (``cli:resident list``: the command line, and the command).

    Raises:
        SignInFailed: wrong credentials, locked or disabled account (the message says which,
            without telling whether the login exists).
    """
    now = now or datetime.now(timezone.utc)
    key = login.strip().lower()
    where: dict[str, list[object]] = {"via": [None, via]} if via else {}
    if uow.database.read_only:
        return _sign_in_viewing(uow, key, password, now)
    with uow:
        # whoever was signed in before (the screen was locked) is not the one acting now
        uow.session.info["actor_id"] = None
        state = uow.session.get(SignInState, key) or SignInState(login=key)
        locked_until = _aware(state.locked_until)
        if locked_until and locked_until > now:
            minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
            raise SignInFailed("signin.locked", minutes=minutes)
        staff = queries.staff_with_login(uow, key, live_only=True)
        if staff is None or not _verify(staff.password_hash, password):
            state.failed_attempts += 1
            locked = state.failed_attempts >= MAX_FAILED_ATTEMPTS
            if locked:
                state.locked_until = now + LOCK_DURATION
                state.failed_attempts = 0
            uow.session.add(state)
            if staff is not None:  # attempts on logins that do not exist are not recorded (typos, passwords)
                _record(uow, AuditAction.SIGN_IN_FAILED, staff, {"reason": [None, "password"], **where})
                if locked:
                    _record(uow, AuditAction.ACCOUNT_LOCKED, staff, {"locked_until": [None, state.locked_until]})
            uow.commit()
            raise SignInFailed("signin.failed")
        if not staff.active:
            _record(uow, AuditAction.SIGN_IN_FAILED, staff, {"reason": [None, "inactive"], **where})
            uow.commit()
            raise SignInFailed("signin.inactive")
        state.failed_attempts = 0
        state.locked_until = None
        uow.session.add(state)
        if not uow.database.is_server:  # wrong passwords counted before the database could be opened
            for moment in sign_in_throttle.take_failures(uow.database.path, key):
                _record(uow, AuditAction.SIGN_IN_FAILED, staff, {"reason": [None, "password"], "at": [None, moment]})
            uow.session.flush()  # stamped as nobody's: nobody was signed in when they were tried
        uow.session.info["actor_id"] = staff.id
        if _hasher.check_needs_rehash(staff.password_hash):
            set_password(uow, staff, hash_password(password), must_change=staff.must_change_password)
        _record(uow, AuditAction.SIGN_IN, staff, where, actor=staff)
        uow.commit()
        return SignedIn(
            staff.id, staff.name, Role(staff.role), staff.team_id, staff.login, bool(staff.must_change_password)
        )


def _sign_in_viewing(uow: UnitOfWork, login: str, password: str, now: datetime) -> SignedIn:
    """Sign in on a database opened read-only: the password checked, nothing written to the database.

    Failures are counted in ``<database>.signin`` (or this process's memory), with the same lockout; the
    database's own lock (``signinstate``) still applies. Nothing is audited: nothing can be written
    (docs/security.md, "A read-only database").
    """
    path = uow.database.path
    with uow.reading() as reading:
        state = reading.session.get(SignInState, login)
        locked_until = _aware(state.locked_until) if state is not None else None
        minutes = sign_in_throttle.locked_minutes(path, login, now=now)
        if minutes is None and locked_until and locked_until > now:
            minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        if minutes is not None:
            raise SignInFailed("signin.locked", minutes=minutes)
        staff = queries.staff_with_login(reading, login, live_only=True)
        if staff is None or not _verify(staff.password_hash, password):
            sign_in_throttle.record_failure(path, login, now=now)
            raise SignInFailed("signin.failed")
        if not staff.active:
            raise SignInFailed("signin.inactive")
        sign_in_throttle.record_success(path, login)
        return SignedIn(
            staff.id, staff.name, Role(staff.role), staff.team_id, staff.login, bool(staff.must_change_password)
        )


def change_own_password(
    uow: UnitOfWork, *, current_password: str, new_password: str, now: datetime | None = None
) -> None:
    """Let the signed-in staff member change their own password, after typing the current one.

    A wrong current password counts as a failed sign-in of that login (audited, and five of them lock the
    login for five minutes), so an unattended, signed-in screen cannot be used to guess the password.
    The change itself is audited as an update of the account (the hash masked), and it clears
    ``must_change_password`` (the person has now chosen their own).

    Raises:
        PermissionDenied: nobody is signed in.
        SignInFailed: the current password is wrong, or the login is locked after failed attempts.
        ValidationError: the new password is too short, equals the login or the current password.
    """
    now = now or datetime.now(timezone.utc)
    with uow:
        staff = uow.session.get(Staff, uow.actor_id) if uow.actor_id else None
        if staff is None or staff.deleted or not staff.active:
            raise PermissionDenied("permission.signed_out")
        state = uow.session.get(SignInState, staff.login) or SignInState(login=staff.login)
        locked_until = _aware(state.locked_until)
        if locked_until and locked_until > now:
            minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
            raise SignInFailed("signin.locked", minutes=minutes)
        if not _verify(staff.password_hash, current_password):
            state.failed_attempts += 1
            locked = state.failed_attempts >= MAX_FAILED_ATTEMPTS
            if locked:
                state.locked_until = now + LOCK_DURATION
                state.failed_attempts = 0
            uow.session.add(state)
            _record(uow, AuditAction.SIGN_IN_FAILED, staff, {"reason": [None, "current_password"]}, actor=staff)
            if locked:
                _record(uow, AuditAction.ACCOUNT_LOCKED, staff, {"locked_until": [None, state.locked_until]})
            uow.commit()
            raise SignInFailed("password.current_wrong")
        validate_password(new_password, login=staff.login)
        if new_password == current_password:
            raise ValidationError("password", "********", "password.same_as_current")
        set_password(uow, staff, hash_password(new_password), must_change=False)
        if state.failed_attempts:
            state.failed_attempts = 0
            uow.session.add(state)
        uow.commit()


def record_sign_in(uow: UnitOfWork, staff: Staff, changes: dict[str, list[object]]) -> None:
    """Add a ``sign_in`` audit entry of ``staff`` acting (the recovery key's holder, for one; caller commits)."""
    _record(uow, AuditAction.SIGN_IN, staff, changes, actor=staff)


def _record(
    uow: UnitOfWork, action: AuditAction, staff: Staff, changes: dict[str, list[object]], *, actor: Staff | None = None
) -> None:
    """Add a sign-in audit entry about ``staff``'s account (the flush hook seals it)."""
    uow.session.add(
        AuditEntry(
            action=action.value,
            entity="staff",
            entity_id=staff.id,
            staff_id=actor.id if actor else None,
            staff_name=actor.name if actor else "",
            changes=json.dumps({k: [audit_value(v) for v in pair] for k, pair in changes.items()}) if changes else "",
        )
    )


def _verify(password_hash: str, password: str) -> bool:
    """Whether ``password`` is the one ``password_hash`` was made from (argon2id: ≈ 0.2 s of work).

    When this process has just unwrapped the key of an encrypted database with this very password and the
    account's salt and parameters, that work gave the answer already (:func:`key_wraps.verified_by_unwrap`).
    """
    known = key_wraps.verified_by_unwrap(password_hash, password)
    if known is not None:
        return known
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment
