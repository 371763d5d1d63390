"""Issue 14 item 4: the visit page on a nurse's laptop — 1280×720, and 125 % of it (1024×576 logical pixels).

The form grew with issue 16 (a class per disease, adherence, height, foot pulses, referral): the vital signs
and the save button must still be in view without scrolling (at 1280×720 each disease's class too), in the
worst usual case (a resident followed up for hypertension and diabetes, urgent and abnormal values typed: the red
banner and four flag lines shown), and the names of the round sheet whole (no "…").
``tests/ui/test_daily_use.py`` measures the real 125 % (``QT_SCALE_FACTOR``) in a process of its own; this
builds the window at both sizes in the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import open_context
from app.domain import i18n
from app.domain.follow_up import Disease
from app.services.demo.center import create_demo_center
from app.settings import Settings
from app.ui.shell import workspace as workspace_module
from app.ui.shell.fonts import install_cjk_font
from app.ui.shell.i18n import install_translators
from app.ui.shell.main_window import THEME_PROPERTY, MainWindow
from app.ui.shell.tasks import database_pool
from app.ui.visits.page import VisitPage

DEMO_TODAY = date(2026, 11, 16)
WAIT_MS = 20_000
# typed at the bed: SBP high, a diabetic's pulse over 100 (urgent), fasting glucose high, weight down 15 %
TYPED = {"sbp": "158", "dbp": "88", "pulse": "104", "temperature": "36.8", "spo2": "97", "glucose": "8.3"}
ENGLISH_NAMES = ("Mary Smith", "John Williams", "Linda Johnson")  # a roster may hold them too

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("laptop-demo") / "demo.sqlite"
    context = open_context(path)
    try:
        create_demo_center(context.database, residents=120, seed=3, today=DEMO_TODAY)
    finally:
        context.close()
    return path


@pytest.fixture
def as_launched(qapp: QApplication) -> Iterator[None]:
    """The application's font and theme as the launch sets them (sizes depend on them); restored after."""
    font, palette, previous = qapp.font(), qapp.palette(), qapp.property(THEME_PROPERTY)
    install_cjk_font(qapp)
    yield
    database_pool().waitForDone(WAIT_MS)
    install_translators(qapp, "en")
    i18n.set_language("en")
    qapp.setStyleSheet("")
    qapp.setProperty(THEME_PROPERTY, previous)
    qapp.setPalette(palette)
    qapp.setFont(font)


def open_visits(
    qtbot: QtBot, qapp: QApplication, template: Path, tmp_path: Path, language: str, size: tuple[int, int]
) -> tuple[MainWindow, VisitPage]:
    """The main window at ``size``, signed in as the demo's nurse, on the Visits page (today fixed)."""
    install_translators(qapp, language)
    i18n.set_language(language)
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(template, path)
    settings = Settings(tmp_path / "settings.json")
    settings.set("backup_dir", str(tmp_path / "backups"))
    window = MainWindow(database_path=path, settings=settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    with qtbot.waitSignal(window.database_ready, timeout=WAIT_MS):
        window.open_database()
    window.apply_theme(settings.get("theme"))
    panel = window.sign_in_panel
    qtbot.keyClicks(panel.login_edit, "nurse1")
    qtbot.keyClicks(panel.password_edit, "demo1234")
    with qtbot.waitSignal(window.signed_in, timeout=WAIT_MS):
        qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)
    assert window.workspace is not None
    window.workspace.show_page("visits")
    page = window.workspace.page("visits")
    assert isinstance(page, VisitPage)
    qtbot.waitUntil(lambda: page.sheet is not None and page.editor.isEnabled(), timeout=WAIT_MS)
    return window, page


def open_resident_with_both_diseases(qtbot: QtBot, page: VisitPage) -> None:
    """Open the first resident of the round followed up for hypertension and diabetes (an unplanned visit of the
    round's home when none of the round is)."""
    sheet = page.sheet
    assert sheet is not None
    with page.editor._context.uow() as uow:
        found = [
            row[0]
            for row in uow.fast_rows(
                "SELECT r.id FROM resident r JOIN residenceperiod p ON p.resident_id = r.id AND p.end_date IS NULL"
                " WHERE p.institution_id = :home AND r.deleted = 0"
                " AND EXISTS (SELECT 1 FROM condition c WHERE c.resident_id = r.id AND c.code = 'hypertension'"
                " AND c.active = 1 AND c.deleted = 0)"
                " AND EXISTS (SELECT 1 FROM condition c WHERE c.resident_id = r.id AND c.code = 'diabetes_t2'"
                " AND c.active = 1 AND c.deleted = 0) ORDER BY r.id",
                {"home": sheet.institution_id},
            )
        ]
    assert found, "the demo's round home has no resident followed up for hypertension and diabetes"
    on_sheet = [resident for resident in found if page.model.index_of(resident) >= 0]
    resident_id = (on_sheet or found)[0]
    page.open_resident(resident_id)
    qtbot.waitUntil(
        lambda: (
            page.editor.isEnabled() and page.editor.info is not None and page.editor.info.resident_id == resident_id
        ),
        timeout=WAIT_MS,
    )
    info = page.editor.info
    assert info is not None and info.hypertension and info.diabetes


def place(widget: QWidget, within: QWidget) -> QRect:
    return QRect(widget.mapTo(within, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("urgent", [False, True], ids=["abnormal", "urgent"])
@pytest.mark.parametrize("size", [(1280, 720), (1024, 576)], ids=["1280x720", "125%"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_on_a_laptop_the_vitals_the_classes_and_save_are_in_view_and_the_names_whole(
    qtbot: QtBot,
    qapp: QApplication,
    demo_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    as_launched: None,
    language: str,
    size: tuple[int, int],
    urgent: bool,
) -> None:
    # the Visits list showed "…" for every name and the form needed scrolling (issue 14); the form then grew
    pages = tuple(
        replace(spec, build=lambda c, p: VisitPage(c, p, today=lambda: DEMO_TODAY, find_shortcut=False))
        if spec.key == "visits"
        else spec
        for spec in workspace_module.PAGES
    )
    monkeypatch.setattr(workspace_module, "PAGES", pages)
    window, page = open_visits(qtbot, qapp, demo_template, tmp_path, language, size)
    assert (window.width(), window.height()) == size  # the window's least size fits the laptop
    open_resident_with_both_diseases(qtbot, page)
    form = page.editor.form
    typed = TYPED if urgent else {**TYPED, "pulse": "76"}
    for name, text in typed.items():
        qtbot.keyClicks(form.vital_edits[name], text)
    qtbot.mouseClick(form.fasting_check, Qt.MouseButton.LeftButton)
    previous = page.editor.info.previous_weight if page.editor.info else None
    qtbot.keyClicks(form.vital_edits["weight"], f"{(previous or 70) * 0.85:.1f}")
    assert form.urgent_banner.isVisible() is urgent
    # SBP, glucose and weight flagged on lines of their own; the urgent pulse is said by the red banner
    assert sorted(name for name, flag in form.vital_flags.items() if flag.isVisible()) == ["glucose", "sbp", "weight"]
    assert all(form.follow_up_combos[disease].isVisible() for disease in Disease)

    # the vital signs (boxes, units, the fasting box), the flags but with the banner at 125 %, and at 1280 x 720
    # each disease's class: in the form's visible area, none cut, nothing scrolled
    viewport = page.editor.scroll_area.viewport()
    assert page.editor.scroll_area.verticalScrollBar().value() == 0
    assert form.minimumSizeHint().width() <= viewport.width()  # nothing cut on the right
    # the flags shown as typed have been laid out: the form fills the visible area's width again
    qtbot.waitUntil(lambda: form.width() == viewport.width(), timeout=WAIT_MS)
    parts: list[QWidget] = [*form.vital_edits.values(), *form.unit_labels.values(), form.fasting_check]
    if not (urgent and size == (1024, 576)):
        parts += list(form.vital_flags.values())
    if size == (1280, 720):
        # each disease's class too; at 125 % the second one can sit just below the fold (seen once in CI's full
        # run, en: viewport 353 x 304) -- the issue asks the vitals to fit there, and they do
        parts += [form.follow_up_combos[disease] for disease in Disease]
    outside = [
        part.objectName() for part in parts if part.isVisible() and not viewport.rect().contains(place(part, viewport))
    ]
    assert not outside, f"out of view at {size}: {outside} (viewport {viewport.size()})"
    # the save button (under the scrolling fields) in the window, whole
    assert page.editor.save_button.isVisible()
    assert window.rect().contains(place(page.editor.save_button, window))

    # the names of the round sheet whole: the demo's, and English ones a roster may bring
    table = page.table
    metrics = table.fontMetrics()
    room = table.columnWidth(2) - 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    names = [str(page.model.data(page.model.index(row, 2))) for row in range(page.model.rowCount())]
    assert len(names) > 3
    for name in [*names, *(f"{english} ☆" for english in ENGLISH_NAMES)]:
        assert metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) == name, (name, room, size)
    database_pool().waitForDone(WAIT_MS)
