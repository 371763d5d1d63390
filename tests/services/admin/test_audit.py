"""The audit trail service: opened records, sign-ins, searching, and verifying the hash chains."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.i18n import set_language
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import SignInFailed, create_staff, sign_in
from app.services.admin.audit import audit_people, record_opened, search_audit
from app.services.admin.audit_verify import (
    AuditUnreadable,
    describe_verification,
    verify_audit_file,
    verify_audit_trail,
)
from app.services.admin.center import set_up_center
from app.services.authz import PermissionDenied
from app.store.audit import ChainProblemKind, chain_hash, entry_content
from app.store.models import AuditEntry, Institution, Resident
from app.store.sqlite import sqlite3
from app.store.stamping import APPLYING_SYNC_KEY

PASSWORD = "s3cret-pass"
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center with one account per role and two residents, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "center.sqlite"
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    real, accounts._hasher = accounts._hasher, cheap
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
            for name, role, login in (
                ("李医生", Role.DOCTOR, "doctor"),
                ("张护士", Role.NURSE, "nurse"),
                ("刘助理", Role.ASSISTANT, "assistant"),
            ):
                create_staff(uow, name=name, role=role, login=login, password=PASSWORD)
            institution = Institution(name="康宁养老院", kind="nursing_home")
            uow.session.add(institution)
            for name, number in (("张红丽", "310104194005170023"), ("王建国", "310104193801020011")):
                uow.session.add(
                    Resident(
                        name=name,
                        sex="F",
                        birth_date=date(1940, 5, 17),
                        id_number=number,
                        institution_id=institution.id,
                        search_text=f"{name} zhl zhanghongli" if name == "张红丽" else f"{name} wjg wangjianguo",
                    )
                )
            uow.commit()
    finally:
        ctx.close()
        accounts._hasher = real
    return path


@pytest.fixture
def context(template: Path, db_path: Path) -> Iterator[AppContext]:
    shutil.copyfile(template, db_path)
    ctx = open_context(db_path)
    yield ctx
    ctx.close()


def staff_id(context: AppContext, login: str) -> str:
    with context.uow() as uow:
        return str(uow.rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0])


def resident_id(context: AppContext, name: str) -> str:
    with context.uow() as uow:
        return str(uow.rows("SELECT id FROM resident WHERE name = :n", {"n": name})[0][0])


def as_role(context: AppContext, login: str) -> AppContext:
    context.actor_id = staff_id(context, login)
    return context


def all_entries(context: AppContext) -> list[AuditEntry]:
    with context.uow() as uow:
        return list(uow.session.exec(select(AuditEntry).order_by(AuditEntry.updated_at)).all())


def tamper(context: AppContext, sql: str, params: tuple[object, ...] = ()) -> None:
    """Change the file behind the app's back, as someone with the file and an SQLite tool could."""
    with sqlite3.connect(context.database.path) as raw:
        raw.execute(sql, params)


# --- recording --------------------------------------------------------------------------------------


def test_opening_a_record_is_recorded_with_who_and_which_resident(context: AppContext) -> None:
    as_role(context, "nurse")
    rid = resident_id(context, "张红丽")
    record_opened(context.uow(), resident_id=rid)
    last = all_entries(context)[-1]
    assert (last.action, last.entity, last.resident_id, last.staff_name) == ("open", "resident", rid, "张护士")


def test_opening_a_record_needs_someone_signed_in(context: AppContext) -> None:
    with pytest.raises(PermissionDenied):
        record_opened(context.uow(), resident_id=resident_id(context, "张红丽"))


def test_sign_ins_failures_and_lockouts_are_recorded(context: AppContext) -> None:
    nurse = staff_id(context, "nurse")
    before = len(all_entries(context))
    sign_in(context.uow(), login="nurse", password=PASSWORD, now=NOW)
    for _ in range(5):
        with pytest.raises(SignInFailed):
            sign_in(context.uow(), login="nurse", password="wrong-pass", now=NOW)
    with pytest.raises(SignInFailed):
        sign_in(context.uow(), login="nobody", password="whatever1", now=NOW)
    recorded = [(e.action, e.entity_id, e.staff_id) for e in all_entries(context)[before:]]
    assert recorded == [
        ("sign_in", nurse, nurse),
        *[("sign_in_failed", nurse, None)] * 5,
        ("account_locked", nurse, None),
    ]


def test_a_failed_sign_in_on_a_locked_screen_is_not_put_on_the_previous_user(context: AppContext) -> None:
    as_role(context, "admin")  # the admin was signed in when the screen locked
    with pytest.raises(SignInFailed):
        sign_in(context.uow(), login="doctor", password="wrong-pass", now=NOW)
    assert all_entries(context)[-1].staff_id is None


def test_a_disabled_account_trying_to_sign_in_is_recorded(context: AppContext) -> None:
    tamper(context, "UPDATE staff SET active = 0 WHERE login = 'assistant'")
    with pytest.raises(SignInFailed):
        sign_in(context.uow(), login="assistant", password=PASSWORD, now=NOW)
    last = all_entries(context)[-1]
    assert last.action == "sign_in_failed" and '"inactive"' in last.changes


# --- searching --------------------------------------------------------------------------------------


def test_search_filters_by_person_resident_and_date(context: AppContext) -> None:
    as_role(context, "nurse")
    red, wang = resident_id(context, "张红丽"), resident_id(context, "王建国")
    record_opened(context.uow(), resident_id=red)
    as_role(context, "doctor")
    record_opened(context.uow(), resident_id=wang)
    as_role(context, "admin")
    nurse = staff_id(context, "nurse")

    by_nurse = search_audit(context.uow(), staff_id=nurse)
    assert [(r.action, r.resident_name) for r in by_nurse.rows] == [("open", "张红丽")]
    about_red = search_audit(context.uow(), resident_text="zhl")
    assert {r.resident_id for r in about_red.rows} == {red}
    assert {"create", "open"} <= {r.action for r in about_red.rows}
    assert search_audit(context.uow(), resident_text="310104193801020011").rows[0].resident_id == wang
    assert search_audit(context.uow(), resident_id=wang).rows[0].staff_name == "李医生"

    today = datetime.now().date()
    assert search_audit(context.uow(), date_from=today, date_to=today).total == len(all_entries(context))
    assert search_audit(context.uow(), date_to=today - timedelta(days=1)).total == 0
    assert search_audit(context.uow(), date_from=today + timedelta(days=1)).total == 0


def test_the_date_filter_counts_days_in_the_given_time_zone(context: AppContext) -> None:
    as_role(context, "admin")
    shanghai = timezone(timedelta(hours=8))
    tamper(context, "UPDATE auditentry SET at = '2026-11-21 16:30:00.000000'")  # 00:30 on the 22nd in Shanghai
    # (changing "at" breaks the seals, which is fine here: this test is about the filter)
    day = date(2026, 11, 22)
    assert search_audit(context.uow(), date_from=day, date_to=day, tz=shanghai).total > 0
    assert search_audit(context.uow(), date_from=day, date_to=day, tz=timezone.utc).total == 0


def test_search_returns_the_newest_first_and_counts_all(context: AppContext) -> None:
    as_role(context, "admin")
    rid = resident_id(context, "张红丽")
    for _ in range(5):
        record_opened(context.uow(), resident_id=rid)
    page = search_audit(context.uow(), limit=3)
    assert len(page.rows) == 3 and page.total == len(all_entries(context))
    assert [r.at for r in page.rows] == sorted((r.at for r in page.rows), reverse=True)
    assert page.rows[0].at.tzinfo is not None


@pytest.mark.parametrize("login", ["doctor", "nurse", "assistant"])
def test_only_the_administrator_reads_and_verifies_the_trail(context: AppContext, login: str) -> None:
    as_role(context, login)
    with pytest.raises(PermissionDenied):
        search_audit(context.uow())
    with pytest.raises(PermissionDenied):
        audit_people(context.uow())
    with pytest.raises(PermissionDenied):
        verify_audit_trail(context.uow())


def test_the_people_filter_lists_everyone_including_disabled_accounts(context: AppContext) -> None:
    tamper(context, "UPDATE staff SET active = 0 WHERE login = 'assistant'")
    as_role(context, "admin")
    people = audit_people(context.uow())
    assert {p.name for p in people} == {"王管理", "李医生", "张护士", "刘助理"}
    assert people[-1].name == "刘助理" and not people[-1].active


# --- verifying --------------------------------------------------------------------------------------


def open_a_few(context: AppContext, n: int = 4) -> list[AuditEntry]:
    as_role(context, "admin")
    rid = resident_id(context, "张红丽")
    for _ in range(n):
        record_opened(context.uow(), resident_id=rid)
    return all_entries(context)


def test_an_untouched_trail_verifies(context: AppContext) -> None:
    chain = open_a_few(context)
    report = verify_audit_trail(context.uow())
    assert report.ok and report.entries == len(chain) and len(report.chains) == 1
    assert report.chains[0].head == chain[-1].hash
    assert verify_audit_file(context.database.path).ok


def test_an_edited_entry_is_found(context: AppContext) -> None:
    chain = open_a_few(context)
    tamper(context, "UPDATE auditentry SET staff_name = '别人' WHERE id = ?", (chain[3].id,))
    [problem] = verify_audit_trail(context.uow()).problems
    assert (problem.kind, problem.entry_id, problem.position) == (ChainProblemKind.EDITED, chain[3].id, 4)


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(context: AppContext) -> None:
    chain = open_a_few(context)
    victim = chain[3]
    victim.staff_name = "别人"
    forged = chain_hash(victim.prev_hash, entry_content(victim))
    tamper(context, "UPDATE auditentry SET staff_name = '别人', hash = ? WHERE id = ?", (forged, victim.id))
    [problem] = verify_audit_trail(context.uow()).problems
    assert (problem.kind, problem.entry_id) == (ChainProblemKind.MISSING_BEFORE, chain[4].id)


@pytest.mark.parametrize("index", [0, 2])
def test_a_deleted_entry_is_found(context: AppContext, index: int) -> None:
    chain = open_a_few(context)
    tamper(context, "DELETE FROM auditentry WHERE id = ?", (chain[index].id,))
    [problem] = verify_audit_trail(context.uow()).problems
    assert (problem.kind, problem.entry_id, problem.position) == (
        ChainProblemKind.MISSING_BEFORE,
        chain[index + 1].id,
        index + 1,
    )


def test_reordered_entries_are_found(context: AppContext) -> None:
    chain = open_a_few(context)
    a, b = chain[2], chain[3]
    tamper(context, "UPDATE auditentry SET updated_at = ? WHERE id = ?", (b.updated_at, a.id))
    tamper(context, "UPDATE auditentry SET updated_at = ? WHERE id = ?", (a.updated_at, b.id))
    problems = verify_audit_trail(context.uow()).problems
    assert {p.kind for p in problems} == {ChainProblemKind.OUT_OF_ORDER}
    assert {p.entry_id for p in problems} >= {a.id, b.id}


def test_a_tombstoned_entry_is_found(context: AppContext) -> None:
    chain = open_a_few(context)
    tamper(context, "UPDATE auditentry SET deleted = 1 WHERE id = ?", (chain[1].id,))
    assert [p.kind for p in verify_audit_trail(context.uow()).problems] == [ChainProblemKind.EDITED]


def test_each_device_has_its_own_chain(context: AppContext) -> None:
    open_a_few(context, 2)
    remote: list[AuditEntry] = []
    prev = ""
    for n in range(3):
        entry = AuditEntry(
            action="open",
            entity="resident",
            entity_id="r",
            staff_name="远端护士",
            origin_device="laptop-2",
            updated_at=f"9999999999999-{n:06d}-laptop-2",
            prev_hash=prev,
        )
        entry.hash = prev = chain_hash(prev, entry_content(entry))
        remote.append(entry)
    with context.uow() as uow:
        uow.session.info[APPLYING_SYNC_KEY] = True  # as the sync import applies them
        uow.session.add_all(remote)
        uow.commit()
    report = verify_audit_trail(context.uow())
    assert report.ok and {c.device for c in report.chains} == {context.database.device_id, "laptop-2"}
    tamper(context, "DELETE FROM auditentry WHERE id = ?", (remote[1].id,))
    [problem] = verify_audit_trail(context.uow()).problems
    assert (problem.device, problem.entry_id) == ("laptop-2", remote[2].id)


def test_new_entries_continue_the_chain_after_a_verification(context: AppContext) -> None:
    open_a_few(context, 2)
    assert verify_audit_trail(context.uow()).ok
    open_a_few(context, 2)
    assert verify_audit_trail(context.uow()).ok


def test_verifying_a_file_that_is_missing_or_not_ours_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AuditUnreadable):
        verify_audit_file(tmp_path / "missing.sqlite")
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(AuditUnreadable):
        verify_audit_file(garbage)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE things (x)")
    with pytest.raises(AuditUnreadable):
        verify_audit_file(other)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_verification_is_described_in_words(context: AppContext, language: str) -> None:
    set_language(language)
    chain = open_a_few(context)
    [ok_line] = describe_verification(verify_audit_trail(context.uow()))
    assert str(len(chain)) in ok_line
    tamper(context, "DELETE FROM auditentry WHERE id = ?", (chain[2].id,))
    lines = describe_verification(verify_audit_trail(context.uow()))
    assert len(lines) == 2 and chain[3].id in lines[1] and "{" not in "".join(lines)


@pytest.mark.parametrize(
    ("changes", "zh", "en"),
    [
        ({"suggested_colour": ["green", "red"]}, "建议分类：○ 绿 → ● 红", "suggested colour: ○ Green → ● Red"),
        ({"colour": ["yellow", "green"]}, "▲ 黄 → ○ 绿", "▲ Yellow → ○ Green"),
        ({"status": ["in_residence", "hospitalized"]}, "在住 → 住院", "→"),
        ({"sex": ["F", "M"]}, "女 → 男", "→"),
        ({"outcome": [None, "seen"]}, "已巡诊", "Seen"),
    ],
)
def test_stored_codes_are_shown_as_words(changes: dict[str, list[str | None]], zh: str, en: str) -> None:
    from app.services.admin.audit import describe_changes

    set_language("zh_CN")
    text = describe_changes(changes)
    assert zh in text
    assert not any(code in text for pair in changes.values() for code in pair if code)
    set_language("en")
    assert en in describe_changes(changes)
    set_language("zh_CN")


def test_every_audited_field_action_and_round_status_has_words_in_both_languages() -> None:
    """Issue 14 §7: the trail showed "glucose_fasting", "agreement_id", "planned → cancelled", "roster_import"."""
    from app.domain import i18n
    from app.domain.records import AssessmentKind
    from app.domain.residents import PeriodReason
    from app.services.admin.audit import action_label, describe_changes, field_label, value_text
    from app.store import models
    from app.store.audit import NOT_AUDITED, AuditAction

    tables = [
        table
        for table in vars(models).values()
        if isinstance(table, type) and issubclass(table, models.Synced) and hasattr(table, "__table__")
    ]
    columns = {c.name for table in tables if table is not models.AuditEntry for c in table.__table__.columns}
    for language in ("zh_CN", "en"):
        i18n.set_language(language)
        unlabelled = sorted(
            name
            for name in columns - NOT_AUDITED
            if not (i18n.templates(f"audit.field.{name}") or i18n.templates(f"field.{name}"))
            or "_" in field_label(name)
        )
        assert unlabelled == [], language
        assert [a for a in AuditAction if action_label(a.value) == a.value] == [], language
        for status in ("planned", "done", "cancelled", "moved"):
            assert i18n.templates(f"audit.round_status.{status}")
            assert value_text("status", status, "round") == i18n.t(f"audit.round_status.{status}")
        for reason in PeriodReason:
            assert value_text("reason", reason.value, "residenceperiod") == reason.label
        for kind in AssessmentKind:
            assert value_text("kind", kind.value, "assessment") == kind.label
    i18n.set_language("zh_CN")
    assert value_text("status", "cancelled", "round") == "已取消"
    assert describe_changes({"status": ["planned", "cancelled"]}, entity="round") == "状态：计划 → 已取消"
    assert describe_changes({"glucose_fasting": [False, True]}, entity="visit") == "空腹血糖：否 → 是"
    assert describe_changes({"reason": [None, "roster_import"]}, entity="residenceperiod") == "原因：名单导入"
    assert value_text("status", "in_residence") == "在住"  # a resident's status, as before


def test_a_triage_decisions_reasons_read_in_words_not_as_json() -> None:
    # seen by the admin's GUI walk: 分类依据：[{"colour": "green", "key": "triage.no_risk", "params": {}}]
    from app.domain import i18n
    from app.services.admin.audit import value_text

    stored = '[{"colour": "green", "key": "triage.no_risk", "params": {}}, {"colour": "red", "key": "triage.no_risk"}]'
    i18n.set_language("zh_CN")
    assert value_text("reasons", stored, "triagedecision") == "未见重点或次重点因素；未见重点或次重点因素"
    i18n.set_language("en")
    assert value_text("reasons", '[{"key": "triage.no_risk", "params": {}}]') == "no key or secondary risk found"
    assert value_text("reasons", "[]") == "—"
    assert value_text("reasons", "not the stored shape") == "not the stored shape"  # shown, not guessed at
