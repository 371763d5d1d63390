"""A resident's visit history (app.ui.visits.history) and the BP / glucose chart (app.ui.widgets.bp_chart)."""

from __future__ import annotations

import ctypes
import shutil
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import PySide6
import pytest
from one_home import one_home
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, open_context
from app.domain.visits import ReferralEntry, VisitEntry
from app.services.visits.save import ChartPoint, correct_visit, record_visit
from app.ui.shell import tasks
from app.ui.shell.i18n import install_translators
from app.ui.shell.tasks import run_sync_for_tests
from app.ui.visits import editor as visit_editor
from app.ui.visits import history as visit_history_module
from app.ui.visits.history import VisitHistoryWidget
from app.ui.visits.history_model import VisitHistoryModel
from app.ui.widgets.bp_chart import DBP_COLOUR, SBP_COLOUR, VitalsChart

TODAY = date(2026, 11, 16)
WAIT_MS = 10_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def keep_singletons_alive() -> None:
    """Work around PySide6 6.12.0 on CPython 3.11 dropping references to None / True (see test_visit_page)."""
    if sys.version_info < (3, 12) and tuple(PySide6.__version_info__[:2]) == (6, 12):
        for singleton in (None, True, False):
            ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 30


keep_singletons_alive()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """张红丽 with three visits: one late, one urgent then corrected (v2), one with a referral."""
    path = tmp_path_factory.mktemp("visit-history") / "center.sqlite"
    context = open_context(path)
    try:
        ids = one_home(context, name="张红丽", born=date(1940, 3, 1), sequence=0, room="101", today=TODAY)

        def add(day: date, entry: VisitEntry, **kwargs: Any) -> str:
            return record_visit(
                context.uow(), resident_id=ids["resident"], visit_date=day, entry=entry, today=TODAY, **kwargs
            ).visit_id

        ids["late"] = add(
            TODAY - timedelta(days=28),
            VisitEntry(sbp=138, dbp=84, glucose=6.5, glucose_fasting=True),
            late_reason="根据纸质巡诊单补录",
        )
        first = add(TODAY - timedelta(days=14), VisitEntry(sbp=186, dbp=112, glucose=17.2))
        ids["first"] = first
        ids["corrected"] = correct_visit(
            context.uow(),
            visit_id=first,
            entry=VisitEntry(sbp=168, dbp=112, glucose=7.2, findings="复测后"),
            today=TODAY,
        ).visit_id
        ids["latest"] = add(
            TODAY,
            VisitEntry(
                sbp=142,
                dbp=88,
                pulse=76,
                findings="头晕好转",
                referral=ReferralEntry("示范区中心医院", "复查", green_channel=True),
            ),
        )
    finally:
        context.close()
    return path, ids


@pytest.fixture
def world(template: tuple[Path, dict[str, str]], tmp_path: Path, qapp: QApplication) -> Iterator[dict[str, Any]]:
    install_translators(qapp, "en")
    path = tmp_path / "center.sqlite"
    shutil.copyfile(template[0], path)
    context = open_context(path)
    context.actor_id = template[1]["nurse"]
    yield {**template[1], "context": context}
    context.close()


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """Fail on an error the screens would show in a message box (a box would wait for a click, a hang)."""
    shown: list[BaseException] = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, error: shown.append(error))
    monkeypatch.setattr(visit_editor, "show_error", lambda parent, error: shown.append(error))
    yield shown
    assert not shown, f"errors shown to the user: {shown!r}"


def open_history(qtbot: QtBot, context: AppContext, resident_id: str) -> VisitHistoryWidget:
    widget = VisitHistoryWidget(context, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    with run_sync_for_tests():
        widget.load(resident_id)
    assert widget.history is not None
    return widget


def texts(widget: VisitHistoryWidget, row: int) -> list[str]:
    model = widget.model
    return [str(model.data(model.index(row, column)) or "") for column in range(model.columnCount())]


def test_the_table_shows_the_versions_in_force_newest_first_with_marks(qtbot: QtBot, world: dict[str, Any]) -> None:
    widget = open_history(qtbot, world["context"], world["resident"])
    assert widget.model.rowCount() == 3
    newest, corrected, late = (texts(widget, row) for row in range(3))
    assert newest[:3] == [TODAY.isoformat(), "Seen", "▲ 142/88"]
    assert "referral → 示范区中心医院" in newest[-1] and "头晕好转" in newest[-1]
    assert corrected[2] == "‼ 168/112" and corrected[6] == "7.2 R" and corrected[9] == "v2, corrects v1"
    assert late[9] == "v1" and late[-1] == "late entry: 根据纸质巡诊单补录" and late[6] == "6.5 F"
    background = widget.model.data(widget.model.index(1, 2), Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color() == QColor("#fde0e0")  # and the symbol, never colour alone
    assert widget.count_label.text() == "3 visit(s), newest first · 1 corrected"


def test_earlier_versions_show_under_the_one_that_replaced_them(qtbot: QtBot, world: dict[str, Any]) -> None:
    widget = open_history(qtbot, world["context"], world["resident"])
    widget.earlier_check.setChecked(True)
    assert widget.model.rowCount() == 4
    replaced = texts(widget, 2)
    assert replaced[0].startswith("↳ ") and replaced[2] == "‼ 186/112" and replaced[9] == "v1, replaced by v2"
    assert widget.model.data(widget.model.index(2, 0), Qt.ItemDataRole.FontRole).italic()
    widget.table.selectRow(2)
    details = widget.details.toPlainText()
    assert "Replaced by version 2; kept for the record." in details
    assert not widget.correct_button.isEnabled()  # only the version in force is corrected
    widget.table.selectRow(1)
    details = widget.details.toPlainText()
    assert "Corrected: this version replaces 1 earlier version(s)." in details
    assert "Changed from version 1: systolic BP, blood glucose, symptoms and findings" in details
    assert "‼ diastolic ≥ 110 mmHg: act today" in details
    widget.earlier_check.setChecked(False)
    assert widget.model.rowCount() == 3 and widget.selected_row() is not None


def test_the_chart_draws_bp_and_glucose_of_the_versions_in_force(qtbot: QtBot, world: dict[str, Any]) -> None:
    widget = open_history(qtbot, world["context"], world["resident"])
    points = widget.chart.points()
    assert [(p.sbp, p.glucose) for p in points] == [(138, 6.5), (168, 7.2), (142, None)]
    assert widget.chart.summary() == (
        f"3 visit(s) from {(TODAY - timedelta(days=28)).isoformat()} to {TODAY.isoformat()}; "
        "last BP 142/88 mmHg; last glucose 7.2 mmol/L"
    )
    image = widget.chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert SBP_COLOUR.name() in colours and DBP_COLOUR.name() in colours


def test_an_empty_chart_says_so(qtbot: QtBot, qapp: QApplication) -> None:
    install_translators(qapp, "en")
    chart = VitalsChart()
    qtbot.addWidget(chart)
    chart.set_points([])
    chart.resize(500, 240)
    chart.grab()
    assert chart.summary() == "No blood pressure or glucose recorded yet."
    chart.set_points([ChartPoint(TODAY, 150, 90, None, False)])
    assert chart.summary() == f"1 visit(s) from {TODAY.isoformat()} to {TODAY.isoformat()}; last BP 150/90 mmHg"
    assert not chart.grab().isNull()


def test_correct_opens_the_visit_and_saves_a_new_version(qtbot: QtBot, world: dict[str, Any]) -> None:
    widget = open_history(qtbot, world["context"], world["resident"])
    widget.table.selectRow(1)
    with run_sync_for_tests():
        qtbot.mouseClick(widget.correct_button, Qt.MouseButton.LeftButton)
    dialog = widget.dialog
    assert dialog is not None
    form = dialog.editor.form
    qtbot.waitUntil(lambda: dialog.editor.correcting, timeout=WAIT_MS)
    assert form.vital_edits["sbp"].text() == "168" and not form.locked
    assert "Correcting version 2: saving makes version 3" in form.lock_label.text()
    form.vital_edits["dbp"].selectAll()
    qtbot.keyClicks(form.vital_edits["dbp"], "96")
    with run_sync_for_tests():
        dialog.save()
    qtbot.waitUntil(
        lambda: widget.history is not None and widget.history.chains[1].latest.version == 3, timeout=WAIT_MS
    )
    chain = widget.history.chains[1]  # type: ignore[union-attr]
    assert chain.latest.corrects_id == world["corrected"]
    assert [v.version for v in chain.earlier] == [2, 1]
    assert texts(widget, 1)[9] == "v3, corrects v2"


def test_the_history_speaks_chinese(qtbot: QtBot, qapp: QApplication, world: dict[str, Any]) -> None:
    install_translators(qapp, "zh_CN")
    try:
        widget = open_history(qtbot, world["context"], world["resident"])
        assert widget.model.headerData(2, Qt.Orientation.Horizontal) == "血压"
        assert texts(widget, 1)[9] == "第2版，更正第1版"
        assert widget.count_label.text() == "共 3 次巡诊，最近的在前 · 1 条有更正"
        assert widget.chart.summary().startswith(f"{(TODAY - timedelta(days=28)).isoformat()} 至")
    finally:
        install_translators(qapp, "en")


def test_each_version_shows_its_sync_state_in_words_and_symbol(
    qtbot: QtBot, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = open_history(qtbot, world["context"], world["resident"])
    sync = VisitHistoryModel.COLUMNS.index("sync")
    assert widget.model.headerData(sync, Qt.Orientation.Horizontal) == "Sync"
    assert [texts(widget, row)[sync] for row in range(3)] == ["○ not yet exported"] * 3
    assert "○ not yet exported: only on this computer until the next sync export" in widget.details.toPlainText()
    tooltip = widget.model.data(widget.model.index(0, sync), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("○ not yet exported: ")

    states = {
        world["latest"]: "acknowledged",
        world["corrected"]: "exported",
        world["first"]: "acknowledged",
        world["late"]: "acknowledged",
    }
    asked: list[tuple[str, list[str]]] = []

    def fake(uow: object, *, table: str, ids: list[str]) -> dict[str, str]:
        asked.append((table, ids))
        return {i: states[i] for i in ids}

    monkeypatch.setattr(visit_history_module, "record_sync_states", fake)
    widget.earlier_check.setChecked(True)
    with run_sync_for_tests():
        widget.reload()
    assert asked and asked[0][0] == "visit" and set(asked[0][1]) == set(states)  # earlier versions too
    assert [texts(widget, row)[sync] for row in range(4)] == [
        "✓ acknowledged",
        "↗ exported",
        "✓ acknowledged",
        "✓ acknowledged",
    ]


def test_a_history_that_cannot_load_says_so_in_place_of_a_message_box(
    qtbot: QtBot, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed load used to fall back to a modal message box: in the record dialog it blocked the test run."""

    def broken(uow: object, *, resident_id: str) -> object:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(visit_history_module, "visit_history", broken)
    widget = VisitHistoryWidget(world["context"], today=lambda: TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.load_failed, timeout=WAIT_MS) as failed:
        widget.load(world["resident"])  # on the database thread, as in the application
    assert failed.args == ["disk I/O error"]
    assert widget.count_label.text() == "⚠ The visits could not be loaded: disk I/O error"
    assert not widget.correct_button.isEnabled()


# --- a class per disease (issue 16) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "both", "one"),
    [
        ("en", "Hypertension: Controlled · Diabetes: Not controlled", "Hypertension: Not controlled"),
        ("zh_CN", "高血压：控制满意 · 糖尿病：控制不满意", "高血压：控制不满意"),
    ],
)
def test_the_history_shows_each_disease_class_and_the_one_class_where_one_disease(
    qtbot: QtBot, qapp: QApplication, world: dict[str, Any], language: str, both: str, one: str
) -> None:
    # the history showed one overall class ("Not controlled") for a visit that classified two diseases
    from app.domain import i18n
    from app.services.records.load import save_condition

    context, resident = world["context"], world["resident"]
    nurse, context.actor_id = context.actor_id, None  # conditions are the doctor's: entered as the command line
    save_condition(context.uow(), resident_id=resident, code="hypertension", today=TODAY)
    context.actor_id = nurse
    record_visit(  # hypertension only, then
        context.uow(),
        resident_id=resident,
        visit_date=TODAY - timedelta(days=2),
        entry=VisitEntry(sbp=152, dbp=92, follow_ups=(("hypertension", "not_controlled"),)),
        today=TODAY,
    )
    context.actor_id = None
    save_condition(context.uow(), resident_id=resident, code="diabetes_t2", today=TODAY)
    context.actor_id = nurse
    record_visit(  # hypertension and diabetes
        context.uow(),
        resident_id=resident,
        visit_date=TODAY - timedelta(days=1),
        entry=VisitEntry(
            sbp=132,
            dbp=82,
            glucose=8.4,
            glucose_fasting=True,
            follow_ups=(("hypertension", "controlled"), ("diabetes", "not_controlled")),
            adherence="regular",
            foot_pulse="weak",
        ),
        today=TODAY,
    )
    install_translators(qapp, language)
    i18n.set_language(language)
    try:
        widget = open_history(qtbot, context, resident)
        chronic = VisitHistoryModel.COLUMNS.index("chronic")
        rows = {widget.model.row_at(row).record.visit_date: row for row in range(widget.model.rowCount())}
        model = widget.model
        two = model.index(rows[TODAY - timedelta(days=1)], chronic)
        assert model.data(two) == both
        assert model.data(two, Qt.ItemDataRole.ToolTipRole) == both
        # a visit of one disease shows its class alone (named in the tooltip); one of before the per-disease
        # forms, its one class ("" here: none given)
        hypertension_only = model.index(rows[TODAY - timedelta(days=2)], chronic)
        assert model.data(hypertension_only) == one.split("：" if language == "zh_CN" else ": ")[1]
        assert model.data(hypertension_only, Qt.ItemDataRole.ToolTipRole) == one
        assert model.data(model.index(rows[TODAY], chronic)) == ""
        # the column is wide enough for both diseases' classes
        metrics = widget.table.fontMetrics()
        assert widget.table.columnWidth(chronic) >= metrics.horizontalAdvance(both)
        # the details of the visit name each disease's class and the follow-up form's values
        widget.table.selectRow(rows[TODAY - timedelta(days=1)])
        details = widget.details.toPlainText()
        assert both in details
        assert ("Adherence: regular" if language == "en" else "服药依从性：规律") in details
        assert ("Foot pulses: weak" if language == "en" else "足背动脉搏动：减弱") in details
    finally:
        install_translators(qapp, "en")
        i18n.set_language("en")
