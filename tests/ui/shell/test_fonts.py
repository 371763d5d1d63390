"""Tests for the CJK font set-up (app.ui.shell.fonts)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QFontDatabase, QImage, QPainter, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.ui.shell import fonts
from app.ui.shell.fonts import find_cjk_family, install_cjk_font, preferred_families

WQY_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WQY_FAMILY = "WenQuanYi Micro Hei"


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[QFont]:
    """Give the test the original application font and put it back afterwards."""
    original = QFont(qapp.font())
    yield QFont(original)
    qapp.setFont(original)


def test_wenquanyi_backs_the_platform_ui_font(qapp: QApplication, app_font: QFont) -> None:
    chosen = install_cjk_font(qapp)

    assert chosen == WQY_FAMILY
    font = qapp.font()
    assert font.families() == [app_font.family(), WQY_FAMILY], "platform UI font first, CJK second"
    assert font.pointSizeF() == app_font.pointSizeF()


def test_install_twice_keeps_one_cjk_entry(qapp: QApplication, app_font: QFont) -> None:
    install_cjk_font(qapp)
    install_cjk_font(qapp)

    assert qapp.font().families() == [app_font.family(), WQY_FAMILY]


def test_label_renders_chinese_with_the_cjk_font(qtbot: QtBot, qapp: QApplication, app_font: QFont) -> None:
    install_cjk_font(qapp)
    label = QLabel("医养巡诊")
    qtbot.addWidget(label)

    assert WQY_FAMILY in label.font().families()
    layout = QTextLayout(label.text(), label.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    assert {run.rawFont().familyName() for run in runs} == {WQY_FAMILY}
    assert all(run.rawFont().supportsCharacter(ord(ch)) for run in runs for ch in label.text())
    assert all(index != 0 for run in runs for index in run.glyphIndexes()), "no missing-glyph boxes"

    image = QImage(200, 40, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    layout.draw(painter, QPointF(0, 0))
    painter.end()
    inked = sum(
        1 for x in range(image.width()) for y in range(image.height()) if image.pixelColor(x, y).lightness() < 128
    )
    assert inked > 50, "the characters left ink on the image"


@pytest.mark.skipif(not WQY_FILE.is_file(), reason="needs fonts-wqy-microhei")
def test_font_file_is_registered_when_no_preferred_family_is_installed(qapp: QApplication) -> None:
    family = find_cjk_family(preferred=("Imaginary Hei",), font_files=(Path("/no/such/font.ttc"), WQY_FILE))

    assert family == WQY_FAMILY, "the UI face, not the Mono one"
    assert QFontDatabase.writingSystems(family).count(QFontDatabase.WritingSystem.SimplifiedChinese) == 1


def test_any_simplified_chinese_family_is_the_last_resort(qapp: QApplication) -> None:
    family = find_cjk_family(preferred=("Imaginary Hei",), font_files=())

    assert family is not None
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


class FontDatabaseWithoutChinese:
    """Stand in for QFontDatabase on a machine with Latin fonts only."""

    WritingSystem = QFontDatabase.WritingSystem

    @staticmethod
    def families(writing_system: QFontDatabase.WritingSystem | None = None) -> list[str]:
        return [] if writing_system is not None else ["DejaVu Sans"]


def test_no_cjk_font_leaves_the_app_font_and_warns(
    qapp: QApplication, app_font: QFont, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fonts, "QFontDatabase", FontDatabaseWithoutChinese)

    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        chosen = install_cjk_font(qapp, font_files=())

    assert chosen is None
    assert qapp.font().families() == app_font.families()
    assert "Chinese" in caplog.text


@pytest.mark.parametrize(
    ("platform", "first"),
    [("win32", "Microsoft YaHei UI"), ("darwin", "PingFang SC"), ("linux", "Noto Sans CJK SC")],
)
def test_each_os_prefers_its_own_fonts_first(platform: str, first: str) -> None:
    families = preferred_families(platform)

    assert families[0] == first
    assert len(families) == len(set(families))
    assert {"Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei"} <= set(families)
