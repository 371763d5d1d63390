"""The Conflicts page: both values with device and time, keep either, merge a resident recorded twice."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sync"))
from sync_world import Device, add_resident, add_visit, build_center, edit_resident, open_devices, resident

from app.bootstrap import AppContext
from app.domain.roles import Role
from app.services.accounts.sign_in import create_staff
from app.services.sync.exchange import export_package, import_package
from app.ui.shell import tasks
from app.ui.sync.conflicts_page import ConflictsPage

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Device, Device, str, str, str]]:
    """A workstation with a phone conflict and a duplicate resident, after the laptop's file arrived."""
    workstation, laptop = open_devices(build_center(tmp_path / "center", 2))
    rid = add_resident(workstation, name="王建华", id_number="310104194001020013")
    export_package(workstation.context.uow(), out=tmp_path / "w0.crsync")
    import_package(laptop.context.uow(), path=tmp_path / "w0.crsync")
    edit_resident(workstation, rid, phone="13800000001")
    edit_resident(laptop, rid, phone="13900000002")
    first = add_resident(workstation, name="孙玉兰", id_number="310104193805060021")
    second = add_resident(laptop, name="孙玉兰", id_number="310104193805060021")
    add_visit(laptop, second)
    export_package(laptop.context.uow(), out=tmp_path / "l1.crsync")
    import_package(workstation.context.uow(), path=tmp_path / "l1.crsync")
    yield workstation, laptop, rid, first, second
    workstation.close()
    laptop.close()


@pytest.fixture
def page(qtbot: QtBot, world: tuple[Device, Device, str, str, str]) -> Iterator[ConflictsPage]:
    with tasks.run_sync_for_tests():
        widget = ConflictsPage(world[0].context)
        qtbot.addWidget(widget)
        widget.resize(1100, 700)
        widget.refresh()
        yield widget


def text(page: ConflictsPage, row: int, column: int) -> str:
    return str(page.model.data(page.model.index(row, column), Qt.ItemDataRole.DisplayRole))


def select(page: ConflictsPage, kind: str) -> int:
    row = next(i for i, r in enumerate(page.model.rows) if r.kind == kind)
    page.table.selectRow(row)
    return row


def test_each_conflict_shows_both_values_and_which_device(page: ConflictsPage) -> None:
    assert page.count_label.text() == "2 to review"
    row = select(page, "field")
    assert text(page, row, 0).startswith("王建华 · 康宁养老院")
    assert text(page, row, 1) == "Resident · Phone"
    assert text(page, row, 2) == "13900000002 (laptop-1)" and text(page, row, 3) == "13800000001 (workstation)"
    tooltip = page.model.data(page.model.index(row, 3), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("13800000001 (workstation, 20")
    assert "13900000002" in page.kept_box.text() and "on laptop-1" in page.kept_box.text()
    assert "13800000001" in page.other_box.text() and page.not_same_button.isHidden()


def test_using_the_other_value_resolves_the_conflict(
    page: ConflictsPage, world: tuple[Device, Device, str, str, str], qtbot: QtBot
) -> None:
    workstation, _, rid, _, _ = world
    select(page, "field")
    with tasks.run_sync_for_tests(), qtbot.waitSignal(page.resolved, timeout=1000):
        qtbot.mouseClick(page.use_other_button, Qt.MouseButton.LeftButton)
    assert resident(workstation, rid).phone == "13800000001"
    assert [r.kind for r in page.model.rows] == ["duplicate"] and page.count_label.text() == "1 to review"
    with tasks.run_sync_for_tests():
        page.show_resolved.setChecked(True)
    assert {page.status_text(r) for r in page.model.rows} == {"To review", "Value chosen"}


def test_a_resident_recorded_twice_can_be_merged(
    page: ConflictsPage, world: tuple[Device, Device, str, str, str], qtbot: QtBot
) -> None:
    workstation, _, _, first, second = world
    select(page, "duplicate")
    assert not page.not_same_button.isHidden()
    assert "孙玉兰" in page.kept_box.text() and "孙玉兰" in page.other_box.text()
    with tasks.run_sync_for_tests():
        qtbot.mouseClick(page.keep_button, Qt.MouseButton.LeftButton)  # keep the first, merge the second into it
    assert resident(workstation, second).deleted and not resident(workstation, first).deleted
    assert [r.kind for r in page.model.rows] == ["field"]


def test_two_people_can_be_kept_apart(page: ConflictsPage, world: tuple[Device, Device, str, str, str]) -> None:
    workstation, _, _, first, second = world
    select(page, "duplicate")
    with tasks.run_sync_for_tests():
        page.not_the_same_person()
    assert not resident(workstation, first).deleted and not resident(workstation, second).deleted
    assert [r.kind for r in page.model.rows] == ["field"]


def test_with_nothing_selected_there_is_nothing_to_choose(qtbot: QtBot, tmp_path: Path) -> None:
    (path,) = build_center(tmp_path / "empty", 1)
    (device,) = open_devices([path])
    try:
        with tasks.run_sync_for_tests():
            widget = ConflictsPage(device.context)
            qtbot.addWidget(widget)
            widget.refresh()
        assert widget.count_label.text() == "Nothing to review"
        assert widget.keep_button.isHidden() and widget.use_other_button.isHidden()
    finally:
        device.close()


# --- per role: only doctors and administrators may choose -------------------------------------------------

ROLE_MAY_RESOLVE = {Role.ADMIN: True, Role.DOCTOR: True, Role.NURSE: False, Role.ASSISTANT: False}


def signed_in_as(device: Device, role: Role) -> AppContext:
    """The device's database acting as a new staff member of ``role``."""
    with device.context.uow() as uow:
        staff = create_staff(uow, name=f"{role.value} 甲", role=role, login=f"{role.value}-9", password="secret-123")
        uow.commit()
        staff_id = staff.id
    return AppContext(database=device.context.database, report=device.context.report, actor_id=staff_id)


@pytest.mark.parametrize("role", list(ROLE_MAY_RESOLVE), ids=lambda role: role.value)
def test_only_roles_that_may_resolve_get_the_buttons(
    role: Role, world: tuple[Device, Device, str, str, str], qtbot: QtBot
) -> None:
    workstation, _, rid, first, second = world
    may = ROLE_MAY_RESOLVE[role]
    with tasks.run_sync_for_tests():
        widget = ConflictsPage(signed_in_as(workstation, role))
        qtbot.addWidget(widget)
        widget.resize(1100, 700)
        widget.show()
        widget.refresh()
    assert widget.may_resolve is may
    assert widget.count_label.text() == "2 to review"  # every role sees the conflicts
    select(widget, "duplicate")
    buttons = (widget.keep_button, widget.use_other_button, widget.not_same_button)
    assert all(button.isVisible() for button in buttons)
    assert [button.isEnabled() for button in buttons] == [may] * 3
    assert widget.read_only_note.isVisible() is not may
    if may:
        return
    assert "doctor or an administrator" in widget.read_only_note.text()
    select(widget, "field")
    assert not widget.keep_button.isEnabled() and not widget.use_other_button.isEnabled()
    with tasks.run_sync_for_tests():  # a disabled button does nothing, and neither does a direct call
        qtbot.mouseClick(widget.use_other_button, Qt.MouseButton.LeftButton)
        widget.keep(kept=False)
        select(widget, "duplicate")
        widget.not_the_same_person()
        widget.refresh()
    assert widget.count_label.text() == "2 to review"
    assert resident(workstation, rid).phone == "13900000002"
    assert not resident(workstation, first).deleted and not resident(workstation, second).deleted


def test_the_read_only_note_speaks_chinese(
    world: tuple[Device, Device, str, str, str], qapp: object, qtbot: QtBot
) -> None:
    from app.ui.shell.i18n import install_translators

    with tasks.run_sync_for_tests():
        widget = ConflictsPage(signed_in_as(world[0], Role.NURSE))
        qtbot.addWidget(widget)
        widget.refresh()
    select(widget, "field")
    english = widget.read_only_note.text()
    install_translators(qapp, "zh_CN")  # type: ignore[arg-type]
    try:  # Qt posts the language change to the windows
        qtbot.waitUntil(lambda: "医生或管理员" in widget.read_only_note.text(), timeout=5000)
    finally:
        install_translators(qapp, "en")  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: widget.read_only_note.text() == english, timeout=5000)


def test_two_family_beds_opened_apart_show_and_one_is_kept(qtbot: QtBot, tmp_path: Path) -> None:
    """Two beds opened for one resident on two devices apart (issue 18): a conflict on the page, resolved by
    keeping one bed (the other's orders and checks move to it)."""
    from datetime import date

    from app.services.homecare import beds

    today = date(2026, 11, 16)
    workstation, laptop = open_devices(build_center(tmp_path / "center", 2))
    rid = add_resident(workstation, name="王建华", id_number="310104194001020013")
    export_package(workstation.context.uow(), out=tmp_path / "w0.crsync")
    import_package(laptop.context.uow(), path=tmp_path / "w0.crsync")
    first = beds.open_bed(workstation.context.uow(), resident_id=rid, indication="压疮", opened_on=today, today=today)
    second = beds.open_bed(laptop.context.uow(), resident_id=rid, indication="导尿", opened_on=today, today=today)
    export_package(laptop.context.uow(), out=tmp_path / "l1.crsync")
    import_package(workstation.context.uow(), path=tmp_path / "l1.crsync")
    try:
        with tasks.run_sync_for_tests():
            widget = ConflictsPage(workstation.context)
            qtbot.addWidget(widget)
            widget.resize(1100, 700)
            widget.refresh()
        row = select(widget, "two_beds")
        assert text(widget, row, 0).startswith("王建华") and text(widget, row, 1) == "Two open family beds"
        assert "压疮" in widget.kept_box.text() and "on workstation" in widget.kept_box.text()
        assert "导尿" in widget.other_box.text() and "on laptop-1" in widget.other_box.text()
        assert "second bed" in widget.use_other_button.text() and widget.not_same_button.isHidden()
        with tasks.run_sync_for_tests():
            qtbot.mouseClick(widget.use_other_button, Qt.MouseButton.LeftButton)  # keep the laptop's bed
        assert [b.id for b in beds.list_beds(workstation.context.uow(), today=today, resident_id=rid)] == [second]
        assert "two_beds" not in [r.kind for r in widget.model.rows] and first != second
    finally:
        workstation.close()
        laptop.close()
