"""The audit page (app.ui.admin.audit_page): filter by person, resident and date; details; verify."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlmodel import select
from widget_lifetime import keep, settle

from app.bootstrap import AppContext, open_context
from app.domain.roles import Role
from app.services.accounts import sign_in as accounts
from app.services.accounts.sign_in import create_staff, sign_in
from app.services.admin.audit import describe_changes, record_opened
from app.services.admin.center import set_up_center
from app.store.models import Institution, Resident
from app.store.sqlite import sqlite3
from app.ui.admin.audit_page import AuditPage
from app.ui.shell.i18n import install_translators

WAIT_MS = 10_000
PASSWORD = "s3cret-pass"

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"), pytest.mark.usefixtures("english")]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A center where a nurse signed in and opened a record, and a resident's room changed."""
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
            create_staff(uow, name="张护士", role=Role.NURSE, login="nurse", password=PASSWORD)
            institution = Institution(name="康宁养老院", kind="nursing_home")
            uow.session.add(institution)
            uow.session.add(
                Resident(
                    name="张红丽",
                    sex="F",
                    birth_date=date(1940, 5, 17),
                    id_number="310104194005170023",
                    institution_id=institution.id,
                    room="201",
                    search_text="张红丽 zhl zhanghongli",
                )
            )
            uow.commit()
        nurse = sign_in(ctx.uow(), login="nurse", password=PASSWORD)
        ctx.actor_id = nurse.staff_id
        with ctx.uow() as uow:
            resident = uow.session.exec(select(Resident)).one()
        record_opened(ctx.uow(), resident_id=resident.id)  # outside: an open unit of work holds the write lock
        with ctx.uow() as uow:
            resident = uow.session.exec(select(Resident)).one()
            resident.room = "305"
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
    settle()
    ctx.close()


def staff_id(context: AppContext, login: str) -> str:
    with context.uow() as uow:
        return str(uow.rows("SELECT id FROM staff WHERE login = :l", {"l": login})[0][0])


def open_page(qtbot: QtBot, context: AppContext) -> AuditPage:
    page = AuditPage(context, today=date.today())
    qtbot.addWidget(keep(page))
    page.resize(1100, 700)
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.show()
    qtbot.waitUntil(lambda: page.person_combo.count() > 1, timeout=WAIT_MS)
    return page


def column(page: AuditPage, col: int) -> list[str]:
    return [page.model.index(row, col).data() for row in range(page.model.rowCount())]


def test_the_newest_entries_come_first_in_words(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    actions = column(page, page.model.ACTION)
    assert actions[:3] == ["changed", "opened record", "signed in"]
    assert column(page, page.model.PERSON)[:3] == ["张护士"] * 3
    assert column(page, page.model.CHANGES)[0] == "room: 201 → 305"
    assert column(page, page.model.RESIDENT)[0] == "张红丽"
    assert page.count_label.text() == f"{page.model.rowCount()} entries"
    assert "(not signed in)" in column(page, page.model.PERSON)  # the center's set-up
    assert "account 张护士 (nurse)" in column(page, page.model.RECORD)


def test_filtering_by_person(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.person_combo.setCurrentIndex(page.person_combo.findData(staff_id(context, "nurse")))
    assert set(column(page, page.model.PERSON)) == {"张护士"}


def test_filtering_by_resident_as_you_type(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        qtbot.keyClicks(page.resident_edit, "zhl")
    assert set(column(page, page.model.RESIDENT)) == {"张红丽"}
    assert set(column(page, page.model.ACTION)) == {"created", "opened record", "changed"}


def test_filtering_by_date(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    everything = page.model.rowCount()
    yesterday = QDate.currentDate().addDays(-1)
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.dates_check.setChecked(True)
    assert page.model.rowCount() == everything
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.to_edit.setDate(yesterday)
    assert page.model.rowCount() == 0 and page.count_label.text() == "0 entries"


def test_selecting_an_entry_shows_every_changed_field(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    created = column(page, page.model.ACTION).index("created")
    page.table.selectRow(created)
    details = page.details.toPlainText()
    assert "created" in details
    assert details.count("\n") >= 3


def test_changes_read_as_old_to_new() -> None:
    assert describe_changes({"room": ["201", "305"], "hospice": [True, False]}) == "room: 201 → 305\nhospice: yes → no"
    assert describe_changes({"name": [None, "张红丽"], "role": ["nurse", "doctor"]}) == (
        "name: 张红丽\nrole: Community nurse → Family doctor"
    )
    assert describe_changes({"locked_until": [None, "2026-11-22T01:02:03.000000Z"]}).startswith(
        "locked until: 2026-11-2"
    )
    assert describe_changes({"notes": [None, "x" * 400]}, limit=20).endswith("…")


def test_verifying_an_intact_and_a_tampered_trail(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)  # keep the result box off screen
    page = open_page(qtbot, context)
    with qtbot.waitSignal(page.verified, timeout=WAIT_MS) as verified:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert verified.args[0].ok
    with sqlite3.connect(context.database.path) as raw:
        raw.execute("UPDATE auditentry SET staff_name = '别人' WHERE action = 'open'")
    with qtbot.waitSignal(page.verified, timeout=WAIT_MS) as verified:
        page.verify()
    assert not verified.args[0].ok and page.verify_button.isEnabled()
    box = page.window().findChildren(QMessageBox, "verifyResult")[-1]
    assert box is not None and "1 problem" in box.text() and "changed after it was written" in box.detailedText()


def test_anyone_but_the_administrator_sees_a_refusal(qtbot: QtBot, context: AppContext) -> None:
    context.actor_id = staff_id(context, "nurse")
    page = AuditPage(context)
    qtbot.addWidget(keep(page))
    page.show()
    qtbot.waitUntil(lambda: not page.note_label.isHidden(), timeout=WAIT_MS)
    assert page.model.rowCount() == 0 and "may not" in page.note_label.text()


def test_the_page_speaks_chinese(qtbot: QtBot, context: AppContext, qapp: QApplication) -> None:
    install_translators(qapp, "zh_CN")
    page = open_page(qtbot, context)
    assert page.model.headerData(page.model.PERSON, Qt.Orientation.Horizontal) == "操作人"
    assert column(page, page.model.ACTION)[0] == "修改"
    assert page.count_label.text().startswith("共")


def test_entries_cut_from_the_end_are_found_against_the_newest_backup(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.admin.backups import create_backup

    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    page = open_page(qtbot, context)
    with qtbot.waitSignal(page.verified, timeout=WAIT_MS) as verified:
        page.verify()
    assert verified.args[0].ok and verified.args[0].anchor == ""  # no backup yet: said, not hidden
    assert "No backup to compare with" in page.window().findChildren(QMessageBox, "verifyResult")[-1].detailedText()
    backup = create_backup(context.database.path)
    with sqlite3.connect(context.database.path) as raw:
        raw.execute("DELETE FROM auditentry WHERE rowid = (SELECT MAX(rowid) FROM auditentry)")
    with qtbot.waitSignal(page.verified, timeout=WAIT_MS) as verified:
        page.verify()
    report = verified.args[0]
    assert not report.ok and report.anchor == backup.path.name
    assert [problem.kind.value for problem in report.problems] == ["cut_off"]
