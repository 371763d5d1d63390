"""Measure the visit page at a laptop's screen size, for ``test_daily_use`` (run in a process of its own, as
``QT_SCALE_FACTOR`` must be set before Qt starts).

Usage: ``python laptop_screen.py DB WIDTH HEIGHT LANGUAGE`` with the screen's size in device pixels; prints JSON:
the names of the round sheet that do not fit their column, and the vitals' place in the form's visible area.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

TODAY = date(2026, 11, 16)


def wait(condition: Callable[[], object], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        QTest.qWait(20)


def main(database: str, width: int, height: int, language: str) -> None:
    app = QApplication(["carerounds"])
    from app.domain import i18n
    from app.settings import Settings
    from app.ui.shell import workspace
    from app.ui.shell.fonts import install_cjk_font
    from app.ui.shell.i18n import install_translators
    from app.ui.shell.main_window import MainWindow
    from app.ui.shell.tasks import database_pool
    from app.ui.visits.page import VisitPage

    install_translators(app, language)
    i18n.set_language(language)
    install_cjk_font(app)
    workspace.PAGES = tuple(
        replace(spec, build=lambda c, p: VisitPage(c, p, today=lambda: TODAY, find_shortcut=False))
        if spec.key == "visits"
        else spec
        for spec in workspace.PAGES
    )
    settings = Settings(Path(database).with_name("settings.json"))
    window = MainWindow(database_path=Path(database), settings=settings)
    scale = float(os.environ.get("QT_SCALE_FACTOR", "1"))
    window.resize(round(width / scale), round(height / scale))
    window.show()
    ready: list[bool] = []
    window.database_ready.connect(lambda: ready.append(True))
    window.open_database()
    wait(lambda: ready)
    window.apply_theme(settings.get("theme"))
    panel = window.sign_in_panel
    panel.login_edit.setText("nurse1")
    panel.password_edit.setText("demo1234")
    signed: list[object] = []
    window.signed_in.connect(signed.append)
    QTest.keyClick(panel.password_edit, Qt.Key.Key_Return)
    wait(lambda: signed)
    assert window.workspace is not None
    window.workspace.show_page("visits")
    page = window.workspace.page("visits")
    assert isinstance(page, VisitPage)
    wait(lambda: page.sheet is not None and page.editor.isEnabled() and database_pool().activeThreadCount() == 0)
    QTest.qWait(200)
    table, metrics = page.table, page.table.fontMetrics()
    column = table.horizontalHeader().sectionSize(2)
    names = [page.model.data(page.model.index(row, 2)) for row in range(page.model.rowCount())]
    viewport = page.editor.scroll_area.viewport()
    form = page.editor.form
    parts = [*form.vital_edits.values(), *form.unit_labels.values(), form.fasting_check]  # the vitals, as seen
    corners = [
        part.mapTo(viewport, point) for part in parts for point in (part.rect().topLeft(), part.rect().bottomRight())
    ]
    top_left = type(corners[0])(min(p.x() for p in corners), min(p.y() for p in corners))
    bottom_right = type(corners[0])(max(p.x() for p in corners), max(p.y() for p in corners))
    print(
        json.dumps(
            {
                "window": [window.width(), window.height()],
                "names": len(names),
                "cut": [name for name in names if metrics.horizontalAdvance(name) + 8 > column],
                "vitals": [top_left.x(), top_left.y(), bottom_right.x(), bottom_right.y()],
                "viewport": [viewport.width(), viewport.height()],
                "form_minimum_width": page.editor.form.minimumSizeHint().width(),
            }
        )
    )
    database_pool().waitForDone(10_000)
    window.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
