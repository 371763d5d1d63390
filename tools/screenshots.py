"""Take the README's page screenshots from the real main window on a demo database.

    python tools/screenshots.py --db /tmp/demo.sqlite [--out docs/screenshots] [--size 1600x1000]
        [--language zh_CN en] [--login admin] [--pages dashboard residents ...] [--theme light]

It starts as the application does (CJK font, theme). The database is made with ``python -m app demo --db
PATH`` first when it does not exist. The window signs in as ``--login`` (demo password), shows each page the
role may open, waits until the page's database work is done, and saves ``<page>_<zh|en>.png`` (the README's
names) in ``--out``. Offscreen: no display is needed.
Look at every picture before committing it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO_PASSWORD = "demo1234"
SUFFIX = {"zh_CN": "zh", "en": "en"}


def settle(app: object, pool: object, seconds: float = 30.0) -> None:
    """Process events until no database work runs (twice: a finished load may start another)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline and quiet < 20:  # a second without database work
        QApplication.processEvents()
        time.sleep(0.05)
        quiet = quiet + 1 if pool.activeThreadCount() == 0 else 0  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--language", nargs="+", default=["zh_CN", "en"], choices=sorted(SUFFIX))
    parser.add_argument("--login", default="admin")
    parser.add_argument("--pages", nargs="*", default=None, help="page keys (default: every page the role opens)")
    parser.add_argument("--tag", default="", help="added to each file name, e.g. _1280")
    parser.add_argument(
        "--theme", choices=("light", "dark"), default=None, help="the theme (default: the setting's, light)"
    )
    options = parser.parse_args(argv)
    width, height = (int(part) for part in options.size.lower().split("x"))
    if not options.db.exists():
        subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(options.db)], check=True, cwd=ROOT)

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.domain import i18n
    from app.settings import Settings
    from app.ui.shell.fonts import install_cjk_font
    from app.ui.shell.i18n import install_translators
    from app.ui.shell.main_window import MainWindow
    from app.ui.shell.tasks import database_pool

    app = QApplication.instance() or QApplication([])
    # as the launch does (app.ui.shell.launch): the CJK font, then the theme below
    install_cjk_font(app)  # type: ignore[arg-type]
    options.out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        for language in options.language:
            install_translators(app, language)  # type: ignore[arg-type]
            i18n.set_language(language)
            settings = Settings(Path(scratch) / f"settings-{language}.json")
            settings.set("backup_dir", str(Path(scratch) / "backups"))
            window = MainWindow(database_path=options.db, settings=settings)
            window.resize(width, height)
            window.show()
            window.apply_theme(options.theme or settings.get("theme"))  # as the launch does
            window.open_database()
            settle(app, database_pool())
            panel = window.sign_in_panel
            panel.login_edit.setText(options.login)
            panel.password_edit.setText(DEMO_PASSWORD)
            QTest.keyClick(panel.password_edit, Qt.Key.Key_Return)
            settle(app, database_pool())
            workspace = window.workspace
            if workspace is None:
                print(f"sign-in as {options.login} failed", file=sys.stderr)
                return 1
            for widget in QApplication.topLevelWidgets():  # a notice over the window at sign-in
                if widget is not window and widget.isVisible():
                    widget.close()
            for key in options.pages or workspace.keys():
                if key not in workspace.keys():  # noqa: SIM118 (not a dict)
                    print(f"skipped {key}: not a page for {options.login}", file=sys.stderr)
                    continue
                workspace.show_page(key)
                settle(app, database_pool())
                path = options.out / f"{key}_{SUFFIX[language]}{options.tag}.png"
                window.grab().save(str(path))
                saved.append(path)
            window.close()
            window.deleteLater()
            settle(app, database_pool(), 5)
    database_pool().waitForDone(30_000)
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
