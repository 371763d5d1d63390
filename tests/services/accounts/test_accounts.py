"""Set-up of a center, staff accounts, signing in and lockout."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from app.bootstrap import AppContext
from app.domain.errors import ValidationError
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import SignInFailed, create_staff, sign_in
from app.services.admin.center import center_info, needs_setup, set_up_center
from app.services.authz import PermissionDenied
from app.store.models import AuditEntry, SignInState, Staff

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def _set_up(context: AppContext) -> None:
    set_up_center(
        context.uow(),
        name="康宁街道社区卫生服务中心",
        code="kn01",
        district="示范区",
        admin_name="王管理",
        admin_login="Admin",
        admin_password="s3cret-pass",
    )


def test_first_start_needs_set_up_then_not(context: AppContext) -> None:
    assert needs_setup(context.uow())
    _set_up(context)
    assert not needs_setup(context.uow())
    info = center_info(context.uow())
    assert info is not None and info.code == "KN01" and info.name == "康宁街道社区卫生服务中心"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("center_name", {"name": "  "}),
        ("center_code", {"code": "x"}),
        ("center_code", {"code": "医院01"}),
        ("staff_name", {"admin_name": ""}),
        ("login", {"admin_login": "a b"}),
        ("password", {"admin_password": "short"}),
        ("password", {"admin_login": "longlogin", "admin_password": "LONGLOGIN"}),
    ],
)
def test_set_up_refuses_bad_fields_and_writes_nothing(context: AppContext, field: str, kwargs: dict[str, str]) -> None:
    values = {
        "name": "中心",
        "code": "C01",
        "admin_name": "王管理",
        "admin_login": "admin",
        "admin_password": "s3cret-pass",
    } | kwargs
    with pytest.raises(ValidationError) as error:
        set_up_center(context.uow(), **values)
    assert error.value.field == field
    assert needs_setup(context.uow())


def test_set_up_twice_is_refused(context: AppContext) -> None:
    _set_up(context)
    with pytest.raises(ValidationError):
        _set_up(context)


def test_passwords_are_argon2id_hashes(context: AppContext) -> None:
    _set_up(context)
    with context.uow() as uow:
        staff = uow.session.exec(select(Staff)).one()
    assert staff.password_hash.startswith("$argon2id$")
    assert "s3cret-pass" not in staff.password_hash


def test_sign_in_with_the_right_password_case_insensitive_login(context: AppContext) -> None:
    _set_up(context)
    signed = sign_in(context.uow(), login=" ADMIN ", password="s3cret-pass", now=NOW)
    assert signed.role is Role.ADMIN and signed.name == "王管理"


@pytest.mark.parametrize(("login", "password"), [("admin", "wrong-pass"), ("nobody", "s3cret-pass")])
def test_wrong_login_or_password_gives_the_same_message(context: AppContext, login: str, password: str) -> None:
    _set_up(context)
    with pytest.raises(SignInFailed) as failed:
        sign_in(context.uow(), login=login, password=password, now=NOW)
    assert failed.value.key == "signin.failed"


def test_five_failures_lock_the_account_for_five_minutes(context: AppContext) -> None:
    _set_up(context)
    for _ in range(5):
        with pytest.raises(SignInFailed):
            sign_in(context.uow(), login="admin", password="wrong-pass", now=NOW)
    with pytest.raises(SignInFailed) as locked:
        sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW + timedelta(minutes=4))
    assert locked.value.key == "signin.locked"
    signed = sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW + timedelta(minutes=5, seconds=1))
    assert signed.login == "admin"


def test_a_disabled_account_cannot_sign_in(context: AppContext) -> None:
    _set_up(context)
    with context.uow() as uow:
        uow.session.exec(select(Staff)).one().active = False
        uow.commit()
    with pytest.raises(SignInFailed) as failed:
        sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW)
    assert failed.value.key == "signin.inactive"


def test_duplicate_login_is_refused(context: AppContext) -> None:
    _set_up(context)
    with context.uow() as uow, pytest.raises(ValidationError) as error:
        create_staff(uow, name="李医生", role=Role.DOCTOR, login="admin", password="another-pass")
    assert error.value.reason_key == "login.taken"


def test_hash_is_upgraded_when_parameters_change(context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", weak)
    _set_up(context)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())
    sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW)
    with context.uow() as uow:
        staff = uow.session.exec(select(Staff)).one()
    assert "m=8192" not in staff.password_hash
    assert sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW).login == "admin"


# --- changing one's own password ------------------------------------------------------------------------


def _signed_in_admin(context: AppContext) -> str:
    _set_up(context)
    with context.uow() as uow:
        admin_id = uow.session.exec(select(Staff)).one().id
    context.actor_id = admin_id
    return admin_id


def _trail(context: AppContext, staff_id: str) -> list[tuple[str, str | None, dict[str, list[object]]]]:
    with context.uow() as uow:
        entries = uow.session.exec(
            select(AuditEntry).where(AuditEntry.entity_id == staff_id).order_by(AuditEntry.updated_at)
        ).all()
        return [(e.action, e.staff_id, json.loads(e.changes) if e.changes else {}) for e in entries]


def test_changing_ones_own_password_needs_the_current_one_and_is_audited(context: AppContext) -> None:
    admin_id = _signed_in_admin(context)
    accounts.change_own_password(context.uow(), current_password="s3cret-pass", new_password="n3w-password", now=NOW)
    assert sign_in(context.uow(), login="admin", password="n3w-password", now=NOW).login == "admin"
    with pytest.raises(SignInFailed):
        sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW)
    with context.uow() as uow:
        assert uow.session.get(Staff, admin_id).password_hash.startswith("$argon2id$")  # type: ignore[union-attr]
    updates = [entry for entry in _trail(context, admin_id) if entry[0] == "update"]
    assert updates == [("update", admin_id, {"password_hash": ["***", "***"]})]  # who, and never the hash


def test_a_wrong_current_password_is_refused_audited_and_counted(context: AppContext) -> None:
    admin_id = _signed_in_admin(context)
    with context.uow() as uow:
        before = uow.session.get(Staff, admin_id).password_hash  # type: ignore[union-attr]
    with pytest.raises(SignInFailed) as failed:
        accounts.change_own_password(context.uow(), current_password="wrong-pass", new_password="n3w-password", now=NOW)
    assert failed.value.key == "password.current_wrong"
    assert str(failed.value) in {"当前密码不正确。", "The current password is not correct."}
    with context.uow() as uow:
        assert uow.session.get(Staff, admin_id).password_hash == before  # type: ignore[union-attr]
        assert uow.session.get(SignInState, "admin").failed_attempts == 1  # type: ignore[union-attr]
    assert ("sign_in_failed", admin_id, {"reason": [None, "current_password"]}) in _trail(context, admin_id)


def test_five_wrong_current_passwords_lock_the_login(context: AppContext) -> None:
    _signed_in_admin(context)
    for _ in range(5):
        with pytest.raises(SignInFailed):
            accounts.change_own_password(
                context.uow(), current_password="wrong-pass", new_password="n3w-password", now=NOW
            )
    with pytest.raises(SignInFailed) as locked:  # even the right one, while locked
        accounts.change_own_password(
            context.uow(), current_password="s3cret-pass", new_password="n3w-password", now=NOW + timedelta(minutes=1)
        )
    assert locked.value.key == "signin.locked"
    with pytest.raises(SignInFailed) as locked_sign_in:
        sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW + timedelta(minutes=1))
    assert locked_sign_in.value.key == "signin.locked"
    accounts.change_own_password(
        context.uow(), current_password="s3cret-pass", new_password="n3w-password", now=NOW + timedelta(minutes=6)
    )
    assert sign_in(context.uow(), login="admin", password="n3w-password", now=NOW + timedelta(minutes=6))


@pytest.mark.parametrize(
    ("new_password", "reason"),
    [
        ("short", "password.too_short"),
        ("ADMIN", "password.too_short"),
        ("Admin12", "password.too_short"),
        ("s3cret-pass", "password.same_as_current"),
    ],
)
def test_the_new_password_follows_the_rules(context: AppContext, new_password: str, reason: str) -> None:
    _signed_in_admin(context)
    with pytest.raises(ValidationError) as refused:
        accounts.change_own_password(context.uow(), current_password="s3cret-pass", new_password=new_password, now=NOW)
    assert refused.value.field == "password" and refused.value.reason_key == reason
    assert "s3cret-pass" not in str(refused.value)
    assert sign_in(context.uow(), login="admin", password="s3cret-pass", now=NOW).login == "admin"


def test_the_new_password_may_not_be_the_login(context: AppContext) -> None:
    set_up_center(
        context.uow(),
        name="中心",
        code="C01",
        admin_name="王管理",
        admin_login="longadmin",
        admin_password="s3cret-pass",
    )
    with context.uow() as uow:
        context.actor_id = uow.session.exec(select(Staff)).one().id
    with pytest.raises(ValidationError) as refused:
        accounts.change_own_password(context.uow(), current_password="s3cret-pass", new_password="LongAdmin", now=NOW)
    assert refused.value.reason_key == "password.equals_login"


def test_nobody_signed_in_cannot_change_a_password(context: AppContext) -> None:
    _set_up(context)
    context.actor_id = None
    with pytest.raises(PermissionDenied):
        accounts.change_own_password(context.uow(), current_password="s3cret-pass", new_password="n3w-password")
