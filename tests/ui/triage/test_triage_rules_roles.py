"""The triage rules editor by role: doctors and administrators change them, everyone else reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDoubleSpinBox, QListWidget, QSpinBox
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.roles import Role
from app.services.accounts.sign_in import create_staff
from app.services.admin.center import set_up_center
from app.store.models import Staff
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests
from app.ui.triage.rules import TriageRulesEditor
from app.ui.widgets.read_only import is_locked

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules-roles") / "center.sqlite"
    context = open_context(path)
    set_up_center(
        context.uow(),
        name="康宁中心",
        code="KN01",
        admin_name="王管理",
        admin_login="admin",
        admin_password="s3cret-pass",
    )
    with context.uow() as uow:
        for role in (Role.DOCTOR, Role.NURSE, Role.ASSISTANT):
            create_staff(uow, name=role.value, role=role, login=role.value, password="s3cret-pass")
        uow.commit()
    context.close()
    return path


def editor_for(qtbot: QtBot, template: Path, tmp_path: Path, login: str) -> tuple[TriageRulesEditor, AppContext]:
    path = tmp_path / "center.sqlite"
    path.write_bytes(template.read_bytes())
    context = open_context(path)
    with context.uow() as uow:
        context.actor_id = uow.session.exec(select(Staff).where(Staff.login == login)).one().id
    editor = TriageRulesEditor(context)
    qtbot.addWidget(editor)
    return editor, context


def is_editable(editor: TriageRulesEditor) -> list[bool]:
    states = []
    for widget in editor.editors.values():
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            states.append(not widget.isReadOnly())
        elif isinstance(widget, QListWidget):
            states.extend(
                bool(widget.item(row).flags() & Qt.ItemFlag.ItemIsUserCheckable) for row in range(widget.count())
            )
        else:
            assert isinstance(widget, QCheckBox)
            states.append(not is_locked(widget))
    return states


@pytest.mark.parametrize("login", ["nurse", "assistant"])
def test_a_nurse_or_an_assistant_reads_the_rules_but_cannot_change_them(
    qtbot: QtBot, template: Path, tmp_path: Path, english: None, login: str
) -> None:
    editor, context = editor_for(qtbot, template, tmp_path, login)
    try:
        with run_sync_for_tests():
            editor.show()
        assert not editor.may_edit
        assert editor.document()["red"]["sbp_min"] == 180  # the rules are shown
        assert not any(is_editable(editor))
        assert editor.save_button.isHidden() and editor.defaults_button.isHidden()
        assert editor.read_only_label.isVisible() and "not change them" in editor.read_only_label.text()
    finally:
        context.close()


@pytest.mark.parametrize("login", ["doctor", "admin"])
def test_a_doctor_or_an_administrator_may_change_them(
    qtbot: QtBot, template: Path, tmp_path: Path, english: None, login: str
) -> None:
    editor, context = editor_for(qtbot, template, tmp_path, login)
    try:
        assert not any(is_editable(editor)) and editor.save_button.isHidden()  # read-only until the load says
        assert editor.read_only_label.isHidden()  # ... without claiming anything yet
        with run_sync_for_tests():
            editor.show()
        assert editor.may_edit and all(is_editable(editor))
        assert editor.save_button.isVisible() and editor.defaults_button.isVisible()
        assert editor.read_only_label.isHidden()
    finally:
        context.close()


def test_the_read_only_note_speaks_chinese(qtbot: QtBot, qapp: QApplication, template: Path, tmp_path: Path) -> None:
    install_translators(qapp, "zh_CN")
    try:
        editor, context = editor_for(qtbot, template, tmp_path, "nurse")
        with run_sync_for_tests():
            editor.show()
        assert editor.read_only_label.text().startswith("只读")
        context.close()
    finally:
        install_translators(qapp, "en")


@pytest.mark.parametrize(("language", "words"), [("en", "not an official standard"), ("zh_CN", "并非官方标准")])
def test_the_editor_says_the_defaults_are_the_products(
    qtbot: QtBot, qapp: QApplication, template: Path, tmp_path: Path, language: str, words: str
) -> None:
    """Issue #16 item 10: the defaults are this product's, not an official standard."""
    install_translators(qapp, language)
    try:
        editor, context = editor_for(qtbot, template, tmp_path, "doctor")
        with run_sync_for_tests():
            editor.show()
        assert editor.defaults_note.isVisible() and words in editor.defaults_note.text()
        context.close()
    finally:
        install_translators(qapp, "en")
