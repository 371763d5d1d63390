"""The institutions page: list with coverage and agreement flags, editing institutions and agreements."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.domain.agreements import AgreementState
from app.services.demo.center import create_demo_center
from app.services.institutions import institution_details, institution_overview
from app.store.models import Staff
from app.ui.institutions.page import InstitutionsPage
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests
from app.ui.widgets.read_only import is_locked

TODAY = date(2026, 11, 16)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("institutions") / "demo.sqlite"
    ctx = open_context(path)
    create_demo_center(ctx.database, residents=40, seed=6, today=TODAY)
    ctx.close()
    return path


@pytest.fixture
def context(template: Path, tmp_path: Path) -> Iterator[AppContext]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(template, path)
    ctx = open_context(path)
    ctx.actor_id = staff_id(ctx, "doctor1")
    yield ctx
    ctx.close()


def staff_id(context: AppContext, login: str) -> str:
    with context.uow() as uow:
        return uow.session.exec(select(Staff).where(Staff.login == login)).one().id


def open_page(qtbot: QtBot, context: AppContext) -> InstitutionsPage:
    page = InstitutionsPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    with run_sync_for_tests():
        page.show()
    return page


def click(qtbot: QtBot, button: object) -> None:
    with run_sync_for_tests():
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def choose(qtbot: QtBot, page: InstitutionsPage, name: str) -> None:
    with run_sync_for_tests():
        page.select_institution(next(r.id for r in page.model.rows() if r.name == name))


def test_the_list_shows_coverage_and_flags_expiring_and_expired_agreements(
    qtbot: QtBot, context: AppContext, english: None
) -> None:
    page = open_page(qtbot, context)
    overview = institution_overview(context.uow(), today=TODAY)
    assert page.model.rowCount() == len(overview) == 12
    flagged = {r.name: r.agreement_state for r in overview if r.agreement_state is not AgreementState.ACTIVE}
    texts = {
        page.model.data(page.model.index(row, 0)): page.model.data(page.model.index(row, 7))
        for row in range(page.model.rowCount())
    }
    assert sorted(flagged.values()) == sorted(
        [AgreementState.EXPIRED, AgreementState.EXPIRING, AgreementState.EXPIRING]
    )
    for name, state in flagged.items():
        assert texts[name] == ("⚠ Expiring soon" if state is AgreementState.EXPIRING else "✖ Expired")
        assert name in page.alert_label.text()
    assert "Expiring within 60 days" in page.alert_label.text()
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).in_residence)
    item = page.model.row_at(row)
    assert page.model.data(page.model.index(row, 5)) == f"{item.signed / item.in_residence:.0%}"


def test_choosing_an_institution_opens_it_and_saving_changes_it(
    qtbot: QtBot, context: AppContext, english: None
) -> None:
    page = open_page(qtbot, context)
    choose(qtbot, page, "康宁养老院")
    assert page.name_edit.text() == "康宁养老院" and page.beds_spin.value() == 220
    assert page.agreements.model.rowCount() == 1 and page.agreements.isEnabled()
    page.beds_spin.setValue(240)
    page.hospital_phone_edit.setText("021 5400 1234")
    with qtbot.waitSignal(page.institutionsChanged):
        click(qtbot, page.save_button)
    assert not page.banner.isVisible(), page.banner.text()
    details = page.details
    assert details is not None and details.beds == 240 and details.green_channel_phone == "021-54001234"
    assert page.changed_label.text() == "Last changed by 周海燕"


def test_a_new_institution_is_checked_then_added_and_chosen(qtbot: QtBot, context: AppContext, english: None) -> None:
    page = open_page(qtbot, context)
    click(qtbot, page.add_button)
    assert page.name_edit.text() == "" and not page.agreements.isEnabled()
    click(qtbot, page.save_button)
    assert page.banner.text() == "⚠ institution name: the institution's name is required (nothing entered)"
    page.name_edit.setText("康宁养老院")
    click(qtbot, page.save_button)
    assert "there is already an institution called “康宁养老院”" in page.banner.text()
    page.name_edit.setText("长青日间照料中心")
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("day_care"))
    click(qtbot, page.save_button)
    assert page.model.rowCount() == 13
    assert page.details is not None and page.details.name == "长青日间照料中心"
    assert page.agreements.isEnabled()


def test_agreements_are_added_checked_and_flagged(qtbot: QtBot, context: AppContext, english: None) -> None:
    page = open_page(qtbot, context)
    choose(qtbot, page, "康宁养老院")
    page.agreements.start_edit.setText("2026-12-01")
    page.agreements.end_edit.setText("2026-12-31")
    page.agreements.weekday_checks[0].setChecked(False)
    click(qtbot, page.agreements.save_button)
    assert "choose at least one weekday" in page.banner.text()
    page.agreements.weekday_checks[1].setChecked(True)
    page.agreements.frequency_spin.setValue(2)
    click(qtbot, page.agreements.save_button)
    assert "only 1 round weekday(s) agreed" in page.banner.text()
    page.agreements.weekday_checks[3].setChecked(True)
    page.agreements.team_combo.setCurrentIndex(1)
    click(qtbot, page.agreements.save_button)
    assert not page.banner.isVisible(), page.banner.text()
    assert page.agreements.model.rowCount() == 2
    newest = page.agreements.model.row_at(0)
    assert (newest.round_weekdays, newest.min_rounds_per_week, newest.state) == ((2, 4), 2, AgreementState.NOT_STARTED)
    assert page.agreements.model.data(page.agreements.model.index(0, 3)) == "Tue, Thu"


@pytest.mark.parametrize("login", ["assistant1", "nurse1"])
def test_a_nurse_or_an_assistant_sees_everything_read_only(
    qtbot: QtBot, context: AppContext, english: None, login: str
) -> None:
    context.actor_id = staff_id(context, login)
    page = open_page(qtbot, context)
    assert not page.may_edit
    assert page.read_only_label.isVisible()
    assert "not change them" in page.read_only_label.text()
    for button in (
        page.add_button,
        page.save_button,
        page.agreements.new_button,
        page.agreements.remove_button,
        page.agreements.save_button,
    ):
        assert button.isHidden(), button.objectName()
    choose(qtbot, page, "康宁养老院")
    assert page.name_edit.text() == "康宁养老院" and page.beds_spin.value() == 220  # shown, not editable
    for edit in (
        page.name_edit,
        page.address_edit,
        page.contact_phone_edit,
        page.agreements.start_edit,
        page.agreements.end_edit,
        page.agreements.services_edit,
        page.beds_spin,
        page.agreements.frequency_spin,
    ):
        assert edit.isReadOnly(), edit.objectName()
    for widget in (page.kind_combo, page.unit_combo, page.agreements.team_combo, *page.agreements.weekday_checks):
        assert is_locked(widget) and widget.focusPolicy() is Qt.FocusPolicy.NoFocus, widget.objectName()
    tuesday = page.agreements.weekday_checks[1]
    before = tuesday.isChecked()
    qtbot.mouseClick(tuesday, Qt.MouseButton.LeftButton)
    assert tuesday.isChecked() is before  # readable, but clicks do nothing
    kind = page.kind_combo.currentIndex()
    qtbot.keyClick(page.kind_combo, Qt.Key.Key_Down)
    assert page.kind_combo.currentIndex() == kind  # nor keys
    # the agreements table stays usable, and the form shows the newest agreement rather than a blank new one
    assert page.agreements.table.isEnabled()
    assert page.agreements.agreement_id == page.agreements.model.row_at(0).id
    qtbot.keyClicks(page.name_edit, "X")
    assert page.name_edit.text() == "康宁养老院"


def test_the_service_still_refuses_an_assistant_whatever_the_page_shows(
    qtbot: QtBot, context: AppContext, english: None
) -> None:
    context.actor_id = staff_id(context, "assistant1")
    page = open_page(qtbot, context)
    choose(qtbot, page, "康宁养老院")
    page.beds_spin.setValue(1)  # programmatically, past the read-only field
    with run_sync_for_tests():
        page.save_institution()
    assert "may not edit institutions and agreements" in page.banner.text()
    with context.uow() as uow:
        assert institution_details(uow, institution_id=page.details.id, today=TODAY).beds == 220  # type: ignore[union-attr]


@pytest.mark.parametrize("login", ["doctor1", "admin"])
def test_a_doctor_or_an_administrator_may_edit(qtbot: QtBot, context: AppContext, english: None, login: str) -> None:
    context.actor_id = staff_id(context, login)
    page = open_page(qtbot, context)
    assert page.may_edit and page.read_only_label.isHidden()
    assert page.add_button.isVisible() and page.save_button.isVisible()
    assert not page.name_edit.isReadOnly() and not page.beds_spin.isReadOnly()
    for widget in (page.kind_combo, page.unit_combo, page.agreements.team_combo, *page.agreements.weekday_checks):
        assert not is_locked(widget) and widget.focusPolicy() is not Qt.FocusPolicy.NoFocus, widget.objectName()
    assert page.institution_group.title() == "New institution"


def test_the_page_speaks_chinese(qtbot: QtBot, qapp: QApplication, context: AppContext) -> None:
    install_translators(qapp, "zh_CN")
    try:
        page = open_page(qtbot, context)
        assert page.model.headerData(0, Qt.Orientation.Horizontal) == "机构名称"
        assert "60 天内到期" in page.alert_label.text()
        assert page.add_button.text() == "新增机构(&N)"
    finally:
        install_translators(qapp, "en")
