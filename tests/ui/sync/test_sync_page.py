"""The Sync page: what is not exported, export and import through the buttons, history, add and join a device."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sync"))
from sync_world import PASSPHRASE, Device, add_resident, add_visit, build_center, edit_resident, open_devices

from app.domain import i18n
from app.services.sync.exchange import export_package
from app.store.backup import wait_for_pending_backups
from app.ui.shell import tasks
from app.ui.sync.dialogs import AddDeviceDialog, JoinCenterDialog
from app.ui.sync.page import SyncPage

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[list[Device]]:
    opened = open_devices(build_center(tmp_path / "center", 2))
    yield opened
    for device in opened:
        device.close()


@pytest.fixture
def page(qtbot: QtBot, devices: list[Device]) -> Iterator[SyncPage]:
    i18n.set_language("en")  # messages from the services, like the interface
    with tasks.run_sync_for_tests():
        widget = SyncPage(devices[1].context)
        qtbot.addWidget(widget)
        widget.refresh()
        yield widget


def cell(view_model: object, row: int, column: int) -> str:
    model = view_model  # a RowsModel
    return str(model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole))  # type: ignore[attr-defined]


def test_visits_not_yet_exported_are_shown_then_cleared_by_an_export(
    page: SyncPage, devices: list[Device], tmp_path: Path, qtbot: QtBot
) -> None:
    laptop = devices[1]
    rid = add_resident(laptop, name="孙玉兰", id_number="310104193805060021")
    add_visit(laptop, rid)
    add_visit(laptop, rid)
    with tasks.run_sync_for_tests():
        page.refresh()
        assert "2 visit(s)" in page.pending_label.text() and "1 resident(s)" in page.pending_label.text()
        assert "audit" not in page.pending_label.text()
        assert page.pending_model.rowCount() == 3
        assert {cell(page.pending_model, r, 1) for r in range(3)} == {"Visit", "Resident"}
        usb = tmp_path / "usb"
        usb.mkdir()
        page.choose_export_folder = lambda: str(usb)  # type: ignore[method-assign]
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    (written,) = usb.glob("*.crsync")
    assert "safe to unplug" in page.result_label.text() and written.name in page.result_label.text()
    assert page.pending_label.text().startswith("✓") and page.pending_model.rowCount() == 0
    assert cell(page.history_model, 0, 1) == "Export" and cell(page.history_model, 0, 5) == written.name


def test_an_import_shows_its_summary_and_offers_the_conflicts(
    page: SyncPage, devices: list[Device], tmp_path: Path, qtbot: QtBot
) -> None:
    workstation, laptop = devices
    rid = add_resident(workstation, name="王建华", id_number="310104194001020013")
    export_package(workstation.context.uow(), out=tmp_path / "w1.crsync")
    with tasks.run_sync_for_tests():
        page.choose_import_file = lambda: str(tmp_path / "w1.crsync")  # type: ignore[method-assign]
        page.import_file()
    assert "1 new" in page.result_label.text() or "new" in page.result_label.text()
    assert page.review_button.isHidden()
    edit_resident(workstation, rid, phone="13800000001")
    edit_resident(laptop, rid, phone="13900000002")
    export_package(workstation.context.uow(), out=tmp_path / "w2.crsync")
    add_resident(workstation, name="孙玉兰", id_number="310104193805060021")
    add_resident(laptop, name="孙玉兰", id_number="310104193805060021")
    export_package(workstation.context.uow(), out=tmp_path / "w3.crsync")
    with tasks.run_sync_for_tests():
        page.choose_import_file = lambda: str(tmp_path / "w3.crsync")  # type: ignore[method-assign]
        page.import_file()
    assert "1 conflicts" in page.result_label.text() and "1 possible duplicate" in page.result_label.text()
    assert not page.review_button.isHidden()
    with qtbot.waitSignal(page.conflicts_requested, timeout=1000):
        qtbot.mouseClick(page.review_button, Qt.MouseButton.LeftButton)
    with tasks.run_sync_for_tests():
        page.import_file()  # the same file again
    assert "imported before" in page.result_label.text()
    assert cell(page.history_model, 0, 1) == "Import" and cell(page.history_model, 0, 2) == "workstation"


def test_a_refused_file_says_why_and_changes_nothing(
    page: SyncPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    bad = tmp_path / "photo.crsync"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a sync file")
    with tasks.run_sync_for_tests():
        page.choose_import_file = lambda: str(bad)  # type: ignore[method-assign]
        page.import_file()
    assert shown and "not a CareRounds sync file" in shown[0]
    assert page.result_label.text().startswith("✗ Not imported")
    assert page.history_model.rowCount() == 1  # only the join


def test_adding_a_device_refuses_a_weak_passphrase_then_writes_a_join_package(
    page: SyncPage, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AddDeviceDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase_edit, "1234567890")
    qtbot.keyClicks(dialog.confirm_edit, "1234567890")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and "digits" in dialog.error_label.text()

    def filled(self: AddDeviceDialog) -> int:
        self.label_edit.setText("护士站笔记本")
        self.passphrase_edit.setText(PASSPHRASE)
        self.confirm_edit.setText(PASSPHRASE)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(AddDeviceDialog, "exec", filled)
    target = tmp_path / "join.crsync"
    with tasks.run_sync_for_tests():
        page.choose_join_package_path = lambda: str(target)  # type: ignore[method-assign]
        page.add_device()
    assert target.exists() and "Join package written and checked" in page.result_label.text()
    rows = [(cell(page.devices_model, r, 0), cell(page.devices_model, r, 1)) for r in range(2)]
    assert rows == [("workstation", "syncs with this device"), ("护士站笔记本", "invited, not joined yet")]


def test_the_join_package_is_never_saved_over_the_database(
    page: SyncPage, devices: list[Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 §3: choosing the open database (or another) as the join package is refused in a dialog."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))

    def filled(self: AddDeviceDialog) -> int:
        self.passphrase_edit.setText(PASSPHRASE)
        self.confirm_edit.setText(PASSPHRASE)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(AddDeviceDialog, "exec", filled)
    database, other = devices[1].context.database.path, devices[0].context.database.path
    before = {path: path.stat().st_size for path in (database, other)}
    for target in (database, other):
        with tasks.run_sync_for_tests():
            page.choose_join_package_path = lambda target=target: str(target)  # type: ignore[method-assign]
            page.add_device()
        assert shown and str(target) in shown[-1] and "never" in shown[-1]
    assert {path: path.stat().st_size for path in (database, other)} == before


def test_a_fresh_install_joins_with_the_dialog(devices: list[Device], tmp_path: Path, qtbot: QtBot) -> None:
    from app.services.sync.join import invite_device

    package = tmp_path / "join.crsync"
    invite_device(devices[0].context.uow(), out=package, passphrase=PASSPHRASE, scrypt_n=1 << 10)
    dialog = JoinCenterDialog(tmp_path / "new.sqlite")
    qtbot.addWidget(dialog)
    dialog.file_edit.setText(str(package))
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(dialog.name_edit, "laptop-2")
    with tasks.run_sync_for_tests(), qtbot.waitSignal(dialog.joined, timeout=5000) as joined:
        dialog.join()
    assert joined.args[0].device_name == "laptop-2" and (tmp_path / "new.sqlite").exists()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_page_speaks_chinese(page: SyncPage, qapp: object, qtbot: QtBot) -> None:
    from app.ui.shell.i18n import install_translators

    install_translators(qapp, "zh_CN")  # type: ignore[arg-type]
    try:
        qtbot.waitUntil(lambda: page.heading.text() == "数据同步", timeout=5000)  # Qt posts the language change
        assert page.export_button.text() == "导出到文件夹或U盘(&E)…"
        assert page.tabs.tabText(1) == "尚未导出"
    finally:
        install_translators(qapp, "en")  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: page.heading.text() == "Sync", timeout=5000)


def test_an_import_that_changed_records_tells_the_other_pages(
    page: SyncPage, devices: list[Device], tmp_path: Path, qtbot: QtBot
) -> None:
    workstation, laptop = devices
    add_resident(workstation, name="王建华", id_number="310104194001020013")
    export_package(workstation.context.uow(), out=tmp_path / "w1.crsync")
    page.choose_import_file = lambda: str(tmp_path / "w1.crsync")  # type: ignore[method-assign]
    with tasks.run_sync_for_tests(), qtbot.waitSignal(page.data_changed, timeout=1000):
        page.import_file()
    summary = page.last_result
    backups = laptop.path.parent / "backups"
    assert wait_for_pending_backups(30)  # the backup is renamed into place just after the import returns
    assert summary.backup is not None and summary.backup.parent == backups  # type: ignore[attr-defined]
    assert [p.name for p in backups.iterdir()] == [summary.backup.name]  # type: ignore[attr-defined]
    with tasks.run_sync_for_tests(), qtbot.assertNotEmitted(page.data_changed):
        page.import_file()  # the same file again: nothing changed, nothing to refresh
    assert "imported before" in page.result_label.text()


def test_other_records_are_counted_once_and_the_export_count_matches_the_history(
    page: SyncPage, devices: list[Device], tmp_path: Path, qtbot: QtBot
) -> None:
    """Issue 14 §7: "602 条其他记录" was repeated for each unnamed table, and the export said 13 610 records
    where its history row said 13 584 (the audit entries were counted in one and not the other)."""
    from app.store.models import Allergy, Institution, Team

    laptop = devices[1]
    rid = add_resident(laptop, name="孙玉兰", id_number="310104193805060021")
    add_visit(laptop, rid)
    with laptop.context.uow() as uow:
        uow.session.add(Team(name="第二团队"))
        uow.session.add(Institution(name="枫林敬老院", kind="nursing_home"))
        uow.session.add(Allergy(resident_id=rid, substance="青霉素"))
        uow.commit()
    with tasks.run_sync_for_tests():
        page.refresh()
    text = page.pending_label.text()
    assert text.count("other record") == 1, text
    assert "3 other record(s)" in text and "1 visit(s)" in text and "1 resident(s)" in text
    assert text.index("1 resident(s)") < text.index("3 other record(s)")  # the unnamed ones last
    usb = tmp_path / "usb"
    usb.mkdir()
    page.choose_export_folder = lambda: str(usb)  # type: ignore[method-assign]
    with tasks.run_sync_for_tests():
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    shown = cell(page.history_model, 0, 3)
    assert shown == "5 records"
    assert "(5 records)" in page.result_label.text()


def test_the_name_typed_in_add_a_device_names_the_device_that_joins(
    page: SyncPage, devices: list[Device], tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 §10: the name typed in 添加设备 was only a placeholder; the laptop took its computer's name."""
    import platform

    monkeypatch.setattr(platform, "node", lambda: "DESKTOP-3F8K2")  # what the laptop took

    def filled(self: AddDeviceDialog) -> int:
        self.label_edit.setText("护士站笔记本")
        self.passphrase_edit.setText(PASSPHRASE)
        self.confirm_edit.setText(PASSPHRASE)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(AddDeviceDialog, "exec", filled)
    package = tmp_path / "join.crsync"
    with tasks.run_sync_for_tests():
        page.choose_join_package_path = lambda: str(package)  # type: ignore[method-assign]
        page.add_device()
    assert package.exists()
    dialog = JoinCenterDialog(tmp_path / "new.sqlite")
    qtbot.addWidget(dialog)
    dialog.file_edit.setText(str(package))
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)  # the name left empty
    with tasks.run_sync_for_tests(), qtbot.waitSignal(dialog.joined, timeout=20_000) as joined:
        dialog.join()
    assert joined.args[0].device_name == "护士站笔记本"
