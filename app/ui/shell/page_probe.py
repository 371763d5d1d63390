"""A test-only walk through the pages a packaged app could lack a Qt module for (tools/smoke_bundle.sh).

With ``CARE_STARTUP_PROBE=1`` and ``CARE_STARTUP_PAGES=1`` the launcher, once the database is ready, signs
in as ``$CARE_USER`` with ``$CARE_PASSWORD`` (the same variables as the command line), opens the first
resident's record until its visits and their BP / glucose chart are loaded, then shows the Reports page until
its charts (QtCharts) are drawn, renders each of those charts into an image, prints one line per page::

    page record points=7
    page reports charts=3

and quits with status 0; on anything else (a page that cannot be built, a sign-in refused, nothing within
:data:`STEP_TIMEOUT_MS`) it prints ``failed <what>`` on stderr and quits with status 1. Without the two
variables nothing here runs: it is for the desktop bundle's smoke test, which cannot otherwise tell that a
Qt module a page imports only when it is shown (QtCharts) is missing from the package.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

PAGES_ENV = "CARE_STARTUP_PAGES"
STEP_TIMEOUT_MS = 60_000
"""How long one step (sign-in, the report's charts, the record's visits) may take before the walk fails."""


def wanted() -> bool:
    """Return whether the environment asks for the walk (test-only variables)."""
    return os.environ.get(PAGES_ENV) == "1"


class PageWalk(QObject):
    """Sign in, show a resident's record and the Reports page, print what each showed, then quit.

    Args:
        window: the main window whose database is ready (start with :meth:`start`).
        login: who signs in; password: their password.
    """

    def __init__(self, window: MainWindow, login: str, password: str) -> None:
        super().__init__(window)
        self.window = window
        self.login = login
        self.password = password
        self.finished = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._step = ""
        self._refused = QTimer(self)

    def _wait(self, step: str, signal: SignalInstance, then: Callable[..., None]) -> None:
        """Call ``then`` with ``signal``'s arguments when it is first emitted; fail after the step's time."""
        self._step = step
        fired = False

        def once(*args: Any) -> None:
            nonlocal fired
            if fired or self.finished:
                return
            fired = True
            self._timer.stop()
            self._guarded(lambda: then(*args))

        signal.connect(once)
        self._timer.start(STEP_TIMEOUT_MS)

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception:  # the point of the walk: say what broke, e.g. a Qt module missing from the bundle
            self.fail(f"{self._step}: {traceback.format_exc().strip()}")

    def start(self) -> None:
        """Sign in through the sign-in panel, as a person would."""
        panel = self.window.sign_in_panel
        self._wait("sign-in", self.window.signed_in, lambda _signed: self._find_resident())
        panel.login_edit.setText(self.login)
        panel.password_edit.setText(self.password)
        panel.submit()
        # a refusal is only said on the panel: look for it while the sign-in step lasts
        self._refused.timeout.connect(lambda: self.fail(f"sign-in: {panel.error_text}") if panel.error_text else None)
        self._refused.start(100)

    def _find_resident(self) -> None:
        from app.services.records.residents import search_residents
        from app.ui.shell.tasks import Op

        self._refused.stop()
        self._step = "record"
        context = self.window.context
        assert context is not None
        Op(self, lambda: search_residents(context.uow(), limit=1)).success(
            lambda rows: self._guarded(lambda: self._open_record(rows))
        ).failure(lambda error: self.fail(f"record: {error}")).run()

    def _open_record(self, rows: list[Any]) -> None:
        from app.ui.record.dialog import ResidentRecordDialog

        workspace = self.window.workspace
        assert workspace is not None
        if not rows:
            raise LookupError("no resident to open")
        workspace.open_resident(rows[0].id)
        dialog = next(d for d in workspace.findChildren(ResidentRecordDialog) if d.resident_id == rows[0].id)
        history = dialog.visits_tab.history
        history.load_failed.connect(lambda message: self.fail(f"record: {message}"))
        self._wait("record", history.loaded, lambda _history: self._record_loaded(dialog))

    def _record_loaded(self, dialog: Any) -> None:
        dialog.tabs.setCurrentWidget(dialog.visits_tab)
        chart = dialog.visits_tab.history.chart
        if chart.grab().isNull():
            raise RuntimeError("the BP chart did not render")
        print(f"page record points={len(chart.points())}", flush=True)
        dialog.reject()
        self._show_reports()

    def _show_reports(self) -> None:
        self._step = "reports"
        from app.ui.reports.charts import ReportCharts  # imports QtCharts

        workspace = self.window.workspace
        assert workspace is not None
        page = workspace.page("reports")
        charts = page.findChild(ReportCharts)
        if charts is None:
            raise LookupError("the Reports page has no charts")
        self._wait("reports", charts.drawn, lambda _series: self._reports_drawn(charts))
        workspace.show_page("reports")

    def _reports_drawn(self, charts: QWidget) -> None:
        from PySide6.QtCharts import QChartView

        views = charts.findChildren(QChartView)
        for view in views:
            if view.grab().isNull():
                raise RuntimeError(f"the chart {view.objectName()} did not render")
        print(f"page reports charts={len(views)}", flush=True)
        self.finish(0)

    def _timed_out(self) -> None:
        self.fail(f"{self._step}: nothing within {STEP_TIMEOUT_MS // 1000} s")

    def fail(self, message: str) -> None:
        """Report ``message`` on stderr and quit with status 1."""
        if self.finished:
            return
        print(f"failed {message}", file=sys.stderr, flush=True)
        self.finish(1)

    def finish(self, status: int) -> None:
        """Quit the application with ``status`` (once)."""
        self.finished = True
        self._timer.stop()
        self._refused.stop()
        QTimer.singleShot(0, lambda: QApplication.exit(status))


def walk_pages_when_ready(window: MainWindow) -> PageWalk:
    """Start a :class:`PageWalk` when ``window``'s database is ready (signing in as ``$CARE_USER``)."""
    walk = PageWalk(window, os.environ.get("CARE_USER", ""), os.environ.get("CARE_PASSWORD", ""))
    window.database_ready.connect(lambda: walk._guarded(walk.start))
    window.database_failed.connect(lambda message: walk.fail(f"open: {message}"))
    return walk
