"""Start the GUI: show the window first, then load the database layers behind it.

Order of start-up, chosen so the first window appears about as fast as a bare PySide6 window
(DESIGN §8): create the QApplication, install the translators and the CJK font, build and show
the main window with its sign-in panel; only then import ``app.bootstrap``/``app.services``
(SQLModel, SQLAlchemy: ~0.6 s) and open the database on the database thread, and apply the theme
(qt-material: ~0.25 s) from a zero timer right after the first show.

Keep the module-level imports here free of app.services, app.bootstrap, SQLModel and qt_material.

For start-up benchmarks: with ``CARE_STARTUP_PROBE=1`` the launcher prints ``window-shown <s>``
once the window is shown and ``ready <s>`` once the database is open and sign-in is enabled,
seconds since this module was imported; with ``CARE_STARTUP_EXIT=1`` as well it then quits. With
``CARE_STARTUP_PAGES=1`` instead it signs in and shows the pages that draw charts, then quits
(:mod:`app.ui.shell.page_probe`, for the packages' smoke tests).
"""

from __future__ import annotations

import contextlib
import time

IMPORTED_AT = time.perf_counter()
"""When this module was first imported: the zero of the start-up probe."""

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app import APP_NAME, __version__  # noqa: E402
from app.settings import Settings, default_database_path, demo_database_path  # noqa: E402
from app.ui.shell.fonts import install_cjk_font  # noqa: E402
from app.ui.shell.i18n import install_translators  # noqa: E402
from app.ui.shell.main_window import MainWindow  # noqa: E402

if TYPE_CHECKING:
    from app.ui.shell.startup import OpenedDatabase

log = logging.getLogger(__name__)

PROBE_ENV = "CARE_STARTUP_PROBE"
EXIT_ENV = "CARE_STARTUP_EXIT"


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the GUI's options."""
    parser = argparse.ArgumentParser(prog="carerounds", description="CareRounds (医养巡诊)")
    parser.add_argument("--db", type=Path, default=None, help="database file to open")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="language (default: the setting)")
    parser.add_argument("--theme", choices=("light", "dark"), default=None, help="theme (default: the setting)")
    parser.add_argument("--demo", action="store_true", help="open the demo center (created on first use)")
    return parser


def choose_database(options: argparse.Namespace, settings: Settings) -> Path:
    """Return the database to open: ``--db``, else the demo file (``--demo``), else the last one, else the default."""
    if options.db is not None:
        return Path(options.db).expanduser()
    if options.demo:
        return demo_database_path()
    last = settings.get("last_database")
    return Path(last) if last else default_database_path()


class StartupProbe:
    """Print start-up milestones for benchmarks and optionally quit after the last one.

    Args:
        exit_when_ready: quit the application once the window is shown and the database is ready.
    """

    def __init__(self, *, exit_when_ready: bool) -> None:
        self.exit_when_ready = exit_when_ready
        self.seen: set[str] = set()

    def mark(self, milestone: str) -> None:
        """Print ``<milestone> <seconds since start>``; quit after both milestones if asked to."""
        # the benchmark may stop reading after the line it wanted
        with contextlib.suppress(BrokenPipeError, ValueError):
            print(f"{milestone} {time.perf_counter() - IMPORTED_AT:.4f}", flush=True)
        self.seen.add(milestone)
        if self.exit_when_ready and {"window-shown", "ready"} <= self.seen:
            QTimer.singleShot(0, QApplication.quit)

    def failed(self, message: str) -> None:
        """Report that start-up failed; quit with status 1 if asked to."""
        print(f"failed {time.perf_counter() - IMPORTED_AT:.4f} {message}", file=sys.stderr, flush=True)
        if self.exit_when_ready:
            QTimer.singleShot(0, lambda: QApplication.exit(1))


def print_demo_logins(opened: OpenedDatabase) -> None:
    """Print the demo logins to the console, as the sign-in panel shows them."""
    if not opened.demo_accounts:
        return
    created = " (created now)" if opened.demo_created else ""
    where = opened.context.database.path if opened.context is not None else "(encrypted: the password opens it)"
    print(f"Demo center{created}: {where}", flush=True)
    for account in opened.demo_accounts:
        print(f"  {account.login:<14} {account.role:<10} {account.name}", flush=True)
    print(f"  password: {opened.demo_password}", flush=True)


def run_gui(argv: Sequence[str] | None = None) -> int:
    """Run the desktop application until its window closes.

    Args:
        argv: command-line arguments without the program name (``sys.argv[1:]`` by default).

    Returns:
        The exit status.
    """
    options, qt_args = build_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)

    settings = Settings()
    language = options.lang or settings.get("language")
    theme = options.theme or settings.get("theme")
    install_translators(app, language)
    install_cjk_font(app)

    from app.ui.shell.server_window import follow_server_choice, server_window  # --db postgresql://… (#20)

    window = server_window(options, settings) or MainWindow(
        database_path=choose_database(options, settings), demo=options.demo, settings=settings
    )
    follow_server_choice(window)  # File → "Open a database on a server…" opens a window on it instead
    probe = None
    if os.environ.get(PROBE_ENV) == "1":
        from app.ui.shell import page_probe  # test-only: the smoke tests' walk through the charts' pages

        walk = page_probe.walk_pages_when_ready(window) if page_probe.wanted() else None
        probe = StartupProbe(exit_when_ready=os.environ.get(EXIT_ENV) == "1" and walk is None)
    if options.demo:
        window.database_opened.connect(print_demo_logins)
    if probe is not None:
        window.database_ready.connect(lambda: probe.mark("ready"))
        window.database_failed.connect(probe.failed)

    window.show()
    if probe is not None:
        probe.mark("window-shown")
    window.open_database()
    QTimer.singleShot(0, lambda: window.apply_theme(theme))

    status = app.exec()
    window.close()  # a no-op if already closed; else waits for database work and closes the file
    return status
