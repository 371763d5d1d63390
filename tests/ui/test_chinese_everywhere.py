"""Issue 14 §7: no English inside the Chinese user interface — Qt's own dialogs, and every page on a demo center."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from app.ui.i18n import install_translators

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


@pytest.mark.parametrize("mode", [QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave])
def test_qts_file_dialog_speaks_chinese(qtbot: QtBot, chinese: None, mode: QFileDialog.AcceptMode, tmp_path) -> None:
    dialog = QFileDialog(None, "导入名单", str(tmp_path), "Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own widgets, as on Linux desktops without a portal
    dialog.setAcceptMode(mode)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = sorted(label.text() for label in dialog.findChildren(QLabel) if label.text())
    assert labels == ["文件名称(&N)：", "文件类型(&T)：", "查找范围(&L)："]
