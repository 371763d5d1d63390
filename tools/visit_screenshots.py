"""Take the visit screens' screenshots (form + round sheet, and the record's visit history) on a demo database.

    python tools/visit_screenshots.py --db /tmp/demo.sqlite [--out docs/screenshots] [--size 1600x1000]
        [--scale 1.25] [--language zh_CN en] [--name visit] [--tag _1280] [--urgent] [--follow-up] [--save]

Starts as the application does (CJK font, theme), signs in as ``nurse1``, opens the Visits page on the team's
round, picks the first resident of the sheet followed up for both hypertension and diabetes, types abnormal
vital signs (158/88, fasting glucose 8.3, a weight loss; with ``--urgent`` a pulse of 104 too, the red banner),
with ``--follow-up`` fills the follow-up form (adherence, height, foot pulses, advice), and saves
``<name><tag>_<zh|en>.png`` (the main window). With ``--save`` it then saves the
visit (a classification per disease) and shows the resident's record on its Visits tab:
``record_visits<tag>_<zh|en>.png``. ``--scale`` sets ``QT_SCALE_FACTOR`` (125 %: 1.25) before Qt starts; the
window is ``--size`` in device pixels. The database is made with ``python -m app demo --db PATH`` when it does
not exist; ``--save`` writes to it, so use a copy. Offscreen: no display is needed. Look at every picture.
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
TYPED = {"sbp": "158", "dbp": "88", "pulse": "104", "temperature": "36.8", "spo2": "97", "glucose": "8.3"}


def settle(pool: object, seconds: float = 30.0) -> None:
    """Process events until no database work runs (three quiet looks in a row: a finished load may start another)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        QApplication.processEvents()
        time.sleep(0.05)
        quiet = quiet + 1 if pool.activeThreadCount() == 0 else 0  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--scale", default="")
    parser.add_argument("--language", nargs="+", default=["zh_CN", "en"], choices=sorted(SUFFIX))
    parser.add_argument("--tag", default="")
    parser.add_argument("--name", default="visit")
    parser.add_argument("--urgent", action="store_true", help="a diabetic's pulse of 104: the urgent banner")
    parser.add_argument("--follow-up", action="store_true", help="fill adherence, height, foot pulses, advice")
    parser.add_argument("--save", action="store_true", help="save the visit typed and shoot the record's history")
    options = parser.parse_args(argv)
    if options.scale:
        os.environ["QT_SCALE_FACTOR"] = options.scale
    scale = float(options.scale or 1)
    width, height = (round(int(part) / scale) for part in options.size.lower().split("x"))
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
    from app.ui.visits.drafts import drafts_pool
    from app.ui.visits.page import VisitPage
    from app.ui.visits.questions import Questions

    # drafts a run before left (the vitals typed are one): not offered back in a message box that would wait
    Questions.offer_drafts = lambda _self, _drafts: "later"  # type: ignore[method-assign,assignment]
    app = QApplication.instance() or QApplication(["carerounds"])
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
            window.open_database()
            settle(database_pool())
            window.apply_theme(settings.get("theme"))  # as the launch does (app.ui.shell.launch)
            settle(database_pool())
            panel = window.sign_in_panel
            panel.login_edit.setText("nurse1")
            panel.password_edit.setText(DEMO_PASSWORD)
            QTest.keyClick(panel.password_edit, Qt.Key.Key_Return)
            settle(database_pool())
            workspace = window.workspace
            if workspace is None:
                print("sign-in as nurse1 failed", file=sys.stderr)
                return 1
            for widget in QApplication.topLevelWidgets():  # a notice over the window at sign-in
                if widget is not window and widget.isVisible():
                    widget.close()
            workspace.show_page("visits")
            settle(database_pool())
            page = workspace.page("visits")
            assert isinstance(page, VisitPage)
            for row in range(page.model.rowCount()):  # the first resident with both diseases, not yet recorded
                if page.model.row_at(row).visit is not None:
                    continue
                page.table.selectRow(row)
                settle(database_pool())
                info = page.editor.info
                if info is not None and info.hypertension and info.diabetes:
                    break
            form = page.editor.form
            typed = TYPED if options.urgent else {**TYPED, "pulse": "76"}
            for name, text in typed.items():
                form.vital_edits[name].setFocus()
                QTest.keyClicks(form.vital_edits[name], text)
            form.fasting_check.setChecked(True)
            previous = page.editor.info.previous_weight if page.editor.info else None
            weight = f"{(previous or 70) * 0.85:.1f}"
            QTest.keyClicks(form.vital_edits["weight"], weight)
            if options.follow_up:
                for combo, value in ((form.adherence_combo, "intermittent"), (form.foot_pulse_combo, "weak")):
                    combo.setCurrentIndex(combo.findData(value))
                    combo.activated.emit(combo.currentIndex())
                form.height_edit.setFocus()
                QTest.keyClicks(form.height_edit, "160")
                form.advice_edit.setFocus()
                advice = "低盐低脂饮食，每日步行 30 分钟" if language == "zh_CN" else "Less salt, walk 30 min a day"
                form.advice_edit.setText(advice)
            form.vital_edits["sbp"].setFocus()
            settle(database_pool())
            path = options.out / f"{options.name}{options.tag}_{SUFFIX[language]}.png"
            window.grab().save(str(path))
            saved.append(path)
            if options.save and page.editor.info is not None:
                saved.extend(save_and_show_record(page, options, language, window))
            elif page.editor.info is not None:  # the typing is a draft now: not restored in the next language
                page.editor._draft_timer.stop()
                drafts_pool().waitForDone(10_000)
                page.drafts.delete(page.editor.info.resident_id, page.editor.round_id)
            window.close()
            window.deleteLater()
            settle(database_pool(), 5)
    database_pool().waitForDone(30_000)
    for path in saved:
        print(path)
    return 0


def save_and_show_record(page: object, options: argparse.Namespace, language: str, window: object) -> list[Path]:
    """Save the visit typed (answering the urgent question: save without a referral) and shoot the record."""
    from app.ui.record.dialog import ResidentRecordDialog
    from app.ui.shell.tasks import database_pool
    from app.ui.visits.page import VisitPage

    assert isinstance(page, VisitPage)
    info = page.editor.info
    assert info is not None
    page.editor.questions.save_urgent_without_referral = lambda _lines: True  # type: ignore[method-assign,assignment]
    page.editor.save()
    settle(database_pool())
    dialog = ResidentRecordDialog(page.editor._context, info.resident_id, window)  # type: ignore[arg-type]
    dialog.resize(window.width(), window.height())  # type: ignore[attr-defined]
    dialog.show()
    settle(database_pool())
    dialog.tabs.setCurrentWidget(dialog.visits_tab)
    settle(database_pool())
    path = options.out / f"record_visits{options.tag}_{SUFFIX[language]}.png"
    dialog.grab().save(str(path))
    dialog.close()
    return [path]


if __name__ == "__main__":
    raise SystemExit(main())
