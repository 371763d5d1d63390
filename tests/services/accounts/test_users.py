"""Account management for the administrator, and the center's auto-lock time."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.errors import ValidationError
from app.domain.permissions import Action
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts import users
from app.services.accounts.sign_in import SignInFailed, change_own_password, create_staff, sign_in
from app.services.admin.center import set_up_center
from app.services.authz import PermissionDenied, permitted_actions
from app.store.models import AuditEntry, Team

PASSWORD = "s3cret-pass"
NOW = datetime.now(timezone.utc)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center with one account per role and a team, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "center.sqlite"
    real, accounts._hasher = accounts._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    ctx = open_context(path)
    try:
        set_up_center(
            ctx.uow(),
            name="康宁街道社区卫生服务中心",
            code="KN01",
            admin_name="王管理",
            admin_login="admin",
            admin_password=PASSWORD,
        )
        with ctx.uow() as uow:
            team = Team(name="第一家庭医生团队")
            uow.session.add(team)
            for name, role, login in (
                ("李医生", Role.DOCTOR, "doctor"),
                ("张护士", Role.NURSE, "nurse"),
                ("刘助理", Role.ASSISTANT, "assistant"),
            ):
                create_staff(uow, name=name, role=role, login=login, password=PASSWORD, team_id=team.id)
            uow.commit()
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture
def context(template: Path, db_path: Path) -> Iterator[AppContext]:
    shutil.copyfile(template, db_path)
    ctx = open_context(db_path)
    ctx.actor_id = staff_id(ctx, "admin")
    yield ctx
    ctx.close()


def staff_id(context: AppContext, login: str) -> str:
    with context.uow() as uow:
        return str(uow.rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0])


def team_id(context: AppContext) -> str:
    with context.uow() as uow:
        return str(uow.rows("SELECT id FROM team")[0][0])


def row_of(context: AppContext, login: str) -> users.StaffRow:
    # NOW, not the wall clock: a lockout made at NOW must still show however long the test run takes
    return next(row for row in users.list_staff(context.uow(), now=NOW) if row.login == login)


# --- listing and adding -------------------------------------------------------------------------------


def test_the_list_shows_every_account_with_role_team_and_status(context: AppContext) -> None:
    rows = users.list_staff(context.uow())
    assert {row.login for row in rows} == {"admin", "doctor", "nurse", "assistant"}
    nurse = row_of(context, "nurse")
    assert (nurse.role, nurse.team_name, nurse.active, nurse.locked_until) == (
        Role.NURSE,
        "第一家庭医生团队",
        True,
        None,
    )
    assert [team.name for team in users.list_teams(context.uow())] == ["第一家庭医生团队"]


def test_an_administrator_adds_an_account_that_can_sign_in(context: AppContext) -> None:
    row = users.add_staff(
        context.uow(),
        name=" 赵医生 ",
        role=Role.DOCTOR,
        login="Zhao.Doc",
        password="another-pass",
        team_id=team_id(context),
        phone="13800000000",
        practice_sites="示范区中心医院",
    )
    assert (row.name, row.login, row.role, row.team_name) == ("赵医生", "zhao.doc", Role.DOCTOR, "第一家庭医生团队")
    assert row.practice_sites == "示范区中心医院"
    assert sign_in(context.uow(), login="zhao.doc", password="another-pass").role is Role.DOCTOR


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"password": "short"}, "password", "password.too_short"),
        ({"login": "newdoctor", "password": "NEWDOCTOR"}, "password", "password.equals_login"),
        ({"login": "nurse"}, "login", "login.taken"),
        ({"login": "a b"}, "login", "login.invalid"),
        ({"name": "  "}, "staff_name", "staff.name_required"),
        ({"team_id": "no-such-team"}, "team", "users.no_such_team"),
    ],
)
def test_adding_refuses_bad_fields_and_writes_nothing(
    context: AppContext, kwargs: dict[str, Any], field: str, reason: str
) -> None:
    values = {"name": "赵医生", "role": Role.DOCTOR, "login": "newdoctor", "password": "another-pass"} | kwargs
    with pytest.raises(ValidationError) as refused:
        users.add_staff(context.uow(), **values)
    assert (refused.value.field, refused.value.reason_key) == (field, reason)
    assert len(users.list_staff(context.uow())) == 4


def test_adding_and_changing_accounts_is_audited_without_the_password(context: AppContext) -> None:
    row = users.add_staff(context.uow(), name="赵医生", role=Role.DOCTOR, login="zhao", password="another-pass")
    users.update_staff(context.uow(), staff_id=row.id, name="赵医生", role=Role.NURSE, team_id=None)
    users.reset_password(context.uow(), staff_id=row.id, new_password="third-password")
    with context.uow() as uow:
        trail = uow.session.exec(select(AuditEntry).where(AuditEntry.entity_id == row.id)).all()
    assert [e.action for e in trail] == ["create", "update", "update"]
    assert all(e.staff_name == "王管理" for e in trail)
    assert json.loads(trail[1].changes) == {"role": ["doctor", "nurse"]}
    assert json.loads(trail[2].changes) == {"password_hash": ["***", "***"]}  # still to change: True, as added
    assert not any("argon2" in e.changes for e in trail)


# --- editing, disabling, passwords ---------------------------------------------------------------------


def test_editing_changes_name_role_team_and_keeps_the_login(context: AppContext) -> None:
    nurse = staff_id(context, "nurse")
    row = users.update_staff(
        context.uow(), staff_id=nurse, name="张护士长", role=Role.DOCTOR, team_id=None, phone="021-1234"
    )
    assert (row.name, row.role, row.team_id, row.phone, row.login) == (
        "张护士长",
        Role.DOCTOR,
        None,
        "021-1234",
        "nurse",
    )


def test_a_disabled_account_cannot_sign_in_until_enabled_again(context: AppContext) -> None:
    nurse = staff_id(context, "nurse")
    assert not users.set_staff_active(context.uow(), staff_id=nurse, active=False).active
    with pytest.raises(SignInFailed) as refused:
        sign_in(context.uow(), login="nurse", password=PASSWORD)
    assert refused.value.key == "signin.inactive"
    users.set_staff_active(context.uow(), staff_id=nurse, active=True)
    assert sign_in(context.uow(), login="nurse", password=PASSWORD).login == "nurse"


def test_a_disabled_account_still_signed_in_elsewhere_can_do_nothing(context: AppContext) -> None:
    users.set_staff_active(context.uow(), staff_id=staff_id(context, "doctor"), active=False)
    context.actor_id = staff_id(context, "doctor")
    assert permitted_actions(context.uow()) == frozenset()


def test_the_last_active_administrator_cannot_be_demoted(context: AppContext) -> None:
    admin = staff_id(context, "admin")
    with pytest.raises(ValidationError) as refused:
        users.update_staff(context.uow(), staff_id=admin, name="王管理", role=Role.DOCTOR, team_id=None)
    assert refused.value.reason_key == "users.last_admin"
    second = users.add_staff(context.uow(), name="钱管理", role=Role.ADMIN, login="admin2", password="another-pass")
    users.update_staff(context.uow(), staff_id=admin, name="王管理", role=Role.DOCTOR, team_id=None)
    context.actor_id = second.id
    with pytest.raises(ValidationError) as last:
        users.update_staff(context.uow(), staff_id=second.id, name="钱管理", role=Role.NURSE, team_id=None)
    assert last.value.reason_key == "users.last_admin"
    assert [r.login for r in users.list_staff(context.uow()) if r.role is Role.ADMIN] == ["admin2"]


def test_one_of_two_administrators_may_disable_the_other(context: AppContext) -> None:
    second = users.add_staff(context.uow(), name="钱管理", role=Role.ADMIN, login="admin2", password="another-pass")
    assert not users.set_staff_active(context.uow(), staff_id=second.id, active=False).active


def test_nobody_disables_their_own_account(context: AppContext) -> None:
    users.add_staff(context.uow(), name="钱管理", role=Role.ADMIN, login="admin2", password="another-pass")
    with pytest.raises(ValidationError) as refused:
        users.set_staff_active(context.uow(), staff_id=staff_id(context, "admin"), active=False)
    assert refused.value.reason_key == "users.not_yourself"


def test_a_reset_password_works_and_the_old_one_no_longer_does(context: AppContext) -> None:
    nurse = staff_id(context, "nurse")
    with pytest.raises(ValidationError):
        users.reset_password(context.uow(), staff_id=nurse, new_password="nurse")
    users.reset_password(context.uow(), staff_id=nurse, new_password="new-password-1")
    with pytest.raises(SignInFailed):
        sign_in(context.uow(), login="nurse", password=PASSWORD)
    assert sign_in(context.uow(), login="nurse", password="new-password-1").login == "nurse"


def lock_out(context: AppContext, login: str) -> None:
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed):
            sign_in(context.uow(), login=login, password="wrong-pass", now=NOW)


def test_the_list_shows_a_lockout_and_unlocking_lifts_it(context: AppContext) -> None:
    lock_out(context, "nurse")
    locked = row_of(context, "nurse").locked_until
    assert locked is not None and locked > NOW + timedelta(minutes=4)
    users.unlock_account(context.uow(), staff_id=staff_id(context, "nurse"))
    assert row_of(context, "nurse").locked_until is None
    assert sign_in(context.uow(), login="nurse", password=PASSWORD, now=NOW).login == "nurse"


def test_resetting_the_password_also_lifts_a_lockout(context: AppContext) -> None:
    lock_out(context, "nurse")
    users.reset_password(context.uow(), staff_id=staff_id(context, "nurse"), new_password="new-password-1")
    assert sign_in(context.uow(), login="nurse", password="new-password-1", now=NOW).login == "nurse"


def test_staff_change_their_own_password_with_the_current_one(context: AppContext) -> None:
    context.actor_id = staff_id(context, "nurse")
    with pytest.raises(SignInFailed):
        change_own_password(context.uow(), current_password="wrong-pass", new_password="new-password-1")
    with pytest.raises(ValidationError):
        change_own_password(context.uow(), current_password=PASSWORD, new_password="short")
    change_own_password(context.uow(), current_password=PASSWORD, new_password="new-password-1")
    assert sign_in(context.uow(), login="nurse", password="new-password-1").login == "nurse"
    context.actor_id = None
    with pytest.raises(PermissionDenied):
        change_own_password(context.uow(), current_password=PASSWORD, new_password="new-password-2")


def test_unknown_accounts_are_refused(context: AppContext) -> None:
    with pytest.raises(users.AccountRefused):
        users.set_staff_active(context.uow(), staff_id="no-such-id", active=False)
    with pytest.raises(users.AccountRefused):
        users.reset_password(context.uow(), staff_id="no-such-id", new_password="new-password-1")


# --- teams ------------------------------------------------------------------------------------------


def test_teams_are_added_once_by_name(context: AppContext) -> None:
    team = users.add_team(context.uow(), name=" 第二家庭医生团队 ")
    assert team.name == "第二家庭医生团队"
    with pytest.raises(ValidationError):
        users.add_team(context.uow(), name="第二家庭医生团队")
    with pytest.raises(ValidationError):
        users.add_team(context.uow(), name=" ")
    assert [t.name for t in users.list_teams(context.uow())] == ["第一家庭医生团队", "第二家庭医生团队"]


# --- the auto-lock time --------------------------------------------------------------------------------


def test_the_auto_lock_time_defaults_to_ten_minutes_and_is_center_wide(context: AppContext) -> None:
    assert users.auto_lock_minutes(context.uow()) == 10
    assert users.auto_lock_minutes(context.uow(), default=7) == 7
    users.set_auto_lock_minutes(context.uow(), minutes=3)
    users.set_auto_lock_minutes(context.uow(), minutes=0)
    context.actor_id = None  # read by the window at sign-in, by anyone
    assert users.auto_lock_minutes(context.uow()) == 0
    with context.uow() as uow:
        assert len(uow.rows("SELECT id FROM centersetting WHERE key = 'auto_lock_minutes'")) == 1


@pytest.mark.parametrize("minutes", [-1, 24 * 60 + 1, True])
def test_the_auto_lock_time_must_be_0_to_1440_minutes(context: AppContext, minutes: int) -> None:
    with pytest.raises(ValidationError):
        users.set_auto_lock_minutes(context.uow(), minutes=minutes)


# --- permissions: every function, every role ------------------------------------------------------------

MANAGE_USERS_CALLS: dict[str, Callable[[AppContext], object]] = {
    "list_staff": lambda c: users.list_staff(c.uow()),
    "list_teams": lambda c: users.list_teams(c.uow()),
    "add_staff": lambda c: users.add_staff(
        c.uow(), name="赵医生", role=Role.DOCTOR, login="zhao", password="another-pass"
    ),
    "update_staff": lambda c: users.update_staff(
        c.uow(), staff_id=staff_id(c, "nurse"), name="张", role=Role.NURSE, team_id=None
    ),
    "set_staff_active": lambda c: users.set_staff_active(c.uow(), staff_id=staff_id(c, "nurse"), active=False),
    "reset_password": lambda c: users.reset_password(
        c.uow(), staff_id=staff_id(c, "nurse"), new_password="new-password-1"
    ),
    "unlock_account": lambda c: users.unlock_account(c.uow(), staff_id=staff_id(c, "nurse")),
    "add_team": lambda c: users.add_team(c.uow(), name="第三团队"),
}


@pytest.mark.parametrize("call", list(MANAGE_USERS_CALLS))
@pytest.mark.parametrize("login", ["doctor", "nurse", "assistant", None])
def test_only_the_administrator_manages_accounts(context: AppContext, call: str, login: str | None) -> None:
    context.actor_id = staff_id(context, login) if login else None
    with pytest.raises(PermissionDenied):
        MANAGE_USERS_CALLS[call](context)
    context.actor_id = staff_id(context, "admin")
    MANAGE_USERS_CALLS[call](context)


@pytest.mark.parametrize("login", ["doctor", "nurse", "assistant"])
def test_only_the_administrator_sets_the_auto_lock_time(context: AppContext, login: str) -> None:
    context.actor_id = staff_id(context, login)
    with pytest.raises(PermissionDenied):
        users.set_auto_lock_minutes(context.uow(), minutes=5)


@pytest.mark.parametrize(
    ("login", "expected"),
    [("admin", True), ("doctor", False), ("nurse", False), ("assistant", False), (None, False)],
)
def test_the_window_learns_what_the_signed_in_role_may_do(
    context: AppContext, login: str | None, expected: bool
) -> None:
    context.actor_id = staff_id(context, login) if login else None
    actions = permitted_actions(context.uow())
    assert (Action.MANAGE_USERS in actions) is expected
    if login == "nurse":
        assert Action.RECORD_VISITS in actions and Action.CONFIRM_TRIAGE not in actions


# --- "must change the password at next sign-in" -----------------------------------------------------------


def must_change(context: AppContext, login: str) -> bool:
    with context.uow() as uow:
        return bool(uow.rows("SELECT must_change_password FROM staff WHERE login = :l", {"l": login})[0][0])


def field_clocks(context: AppContext, login: str) -> dict[str, str]:
    with context.uow() as uow:
        text = uow.rows("SELECT field_clocks FROM staff WHERE login = :l", {"l": login})[0][0]
    return dict(json.loads(text)) if text else {}


def test_existing_accounts_need_not_change_their_password(context: AppContext) -> None:
    assert not any(row.must_change_password for row in users.list_staff(context.uow()))
    assert sign_in(context.uow(), login="nurse", password=PASSWORD).must_change_password is False


def test_a_reset_makes_the_person_choose_a_password_at_the_next_sign_in(context: AppContext) -> None:
    users.reset_password(context.uow(), staff_id=staff_id(context, "nurse"), new_password="new-password-1")
    assert must_change(context, "nurse") and row_of(context, "nurse").must_change_password
    signed = sign_in(context.uow(), login="nurse", password="new-password-1")  # the sign-in itself succeeds
    assert (signed.login, signed.must_change_password) == ("nurse", True)
    assert sign_in(context.uow(), login="nurse", password="new-password-1").must_change_password  # until changed


def test_choosing_ones_own_password_clears_the_flag(context: AppContext) -> None:
    users.reset_password(context.uow(), staff_id=staff_id(context, "nurse"), new_password="new-password-1")
    context.actor_id = staff_id(context, "nurse")
    with pytest.raises(ValidationError) as same:  # the administrator's password is not a choice of one's own
        change_own_password(context.uow(), current_password="new-password-1", new_password="new-password-1")
    assert same.value.reason_key == "password.same_as_current" and must_change(context, "nurse")
    change_own_password(context.uow(), current_password="new-password-1", new_password="my-own-pass")
    assert not must_change(context, "nurse")
    assert sign_in(context.uow(), login="nurse", password="my-own-pass").must_change_password is False


def test_the_reset_and_the_flag_are_audited_as_an_account_change(context: AppContext) -> None:
    nurse = staff_id(context, "nurse")
    users.reset_password(context.uow(), staff_id=nurse, new_password="new-password-1")
    context.actor_id = nurse
    change_own_password(context.uow(), current_password="new-password-1", new_password="my-own-pass")
    with context.uow() as uow:
        trail = uow.session.exec(
            select(AuditEntry).where(AuditEntry.entity_id == nurse, AuditEntry.action == "update")
        ).all()
    assert [(e.staff_name, json.loads(e.changes)) for e in trail] == [
        ("王管理", {"password_hash": ["***", "***"], "must_change_password": [False, True]}),
        ("张护士", {"password_hash": ["***", "***"], "must_change_password": [True, False]}),
    ]


def test_the_audit_trail_names_the_flag_in_words() -> None:
    from app.domain import i18n
    from app.services.admin.audit import field_label

    i18n.set_language("zh_CN")
    assert field_label("must_change_password") == "须改为本人密码"
    i18n.set_language("en")
    assert field_label("must_change_password") == "must change password"


def test_an_administrator_resetting_their_own_password_chose_it_themselves(context: AppContext) -> None:
    users.reset_password(context.uow(), staff_id=staff_id(context, "admin"), new_password="admins-own-1")
    assert not must_change(context, "admin")
    assert sign_in(context.uow(), login="admin", password="admins-own-1").must_change_password is False


@pytest.mark.parametrize(("must", "expected"), [(None, True), (True, True), (False, False)])
def test_a_new_account_must_choose_its_password_unless_the_administrator_says_otherwise(
    context: AppContext, must: bool | None, expected: bool
) -> None:
    extra = {} if must is None else {"must_change_password": must}
    row = users.add_staff(
        context.uow(), name="赵医生", role=Role.DOCTOR, login="zhao", password="another-pass", **extra
    )
    assert row.must_change_password is expected
    assert sign_in(context.uow(), login="zhao", password="another-pass").must_change_password is expected


@pytest.mark.parametrize("login", ["doctor", "nurse", "assistant"])
def test_only_an_administrator_sets_the_flag(context: AppContext, login: str) -> None:
    context.actor_id = staff_id(context, login)
    with pytest.raises(PermissionDenied):
        users.reset_password(context.uow(), staff_id=staff_id(context, "nurse"), new_password="new-password-1")
    with pytest.raises(PermissionDenied):
        users.add_staff(context.uow(), name="赵医生", role=Role.DOCTOR, login="zhao", password="another-pass")
    assert not must_change(context, "nurse")


@pytest.mark.parametrize("already", [False, True])
def test_the_flag_is_stamped_with_every_new_password_so_sync_keeps_the_pair(context: AppContext, already: bool) -> None:
    """A reset of an account that still had to change its password leaves the flag's value as it was; its clock
    must still move with the hash, or a change of one's own password made on another device in between would
    win for the flag and lose for the hash (a password the person never chose, and no prompt to change it)."""
    nurse = staff_id(context, "nurse")
    if already:
        users.reset_password(context.uow(), staff_id=nurse, new_password="new-password-1")
    users.reset_password(context.uow(), staff_id=nurse, new_password="new-password-2")
    clocks = field_clocks(context, "nurse")
    assert clocks["must_change_password"] == clocks["password_hash"] != ""
    context.actor_id = nurse
    change_own_password(context.uow(), current_password="new-password-2", new_password="my-own-pass")
    clocks_after = field_clocks(context, "nurse")
    assert clocks_after["must_change_password"] == clocks_after["password_hash"] > clocks["password_hash"]
