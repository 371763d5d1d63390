"""The resident record shows the open family bed and flags a medication run out (issue 18)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import select

from app.bootstrap import AppContext
from app.services.homecare import beds, refills
from app.services.homecare.beds import OrderInput
from app.store.models import Medication, Resident
from app.ui.record.dialog import ResidentRecordDialog
from app.ui.record.medications import RAN_OUT
from app.ui.shell.tasks import run_sync_for_tests
from tests.ui.record.test_resident_record import context, on_tab, qtbot_left, template  # noqa: F401

TODAY = date(2026, 11, 16)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _resident(context: AppContext) -> Resident:  # noqa: F811
    with context.uow() as uow:
        bedded = {row[0] for row in uow.fast_rows("SELECT resident_id FROM family_bed")}
        found = uow.session.exec(select(Resident).where(Resident.status == "in_residence")).all()
        return next(r for r in found if r.id not in bedded and not r.family_bed)


def _open(qtbot: QtBot, context: AppContext, resident_id: str) -> ResidentRecordDialog:  # noqa: F811
    with run_sync_for_tests():
        dialog = ResidentRecordDialog(context, resident_id, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 720)
    dialog.show()
    return dialog


def test_the_record_shows_the_open_bed_and_flags_a_medication_run_out(
    qtbot: QtBot,
    context: AppContext,  # noqa: F811
    english: None,
) -> None:
    resident = _resident(context)
    beds.open_bed(
        context.uow(),
        resident_id=resident.id,
        indication="骶尾部压疮 II 期",
        opened_on=TODAY - timedelta(days=9),
        today=TODAY,
        care_plan="每 2 日换药",
        orders=[
            OrderInput("dressing", 2, TODAY - timedelta(days=8), detail="碘伏消毒"),
            OrderInput("catheter", 28, TODAY - timedelta(days=9), stop=TODAY - timedelta(days=1)),  # stopped
        ],
    )
    (bed,) = beds.list_beds(context.uow(), today=TODAY, resident_id=resident.id)
    beds.check_bed(context.uow(), bed_id=bed.id, checked_on=TODAY - timedelta(days=2), today=TODAY, findings="好转")
    with context.uow() as uow:
        gone = Medication(resident_id=resident.id, name="氨氯地平片", dose="5mg", frequency="qd")
        uow.session.add(gone)
        uow.commit()
        gone_id = gone.id
    refills.set_supply(context.uow(), medication_id=gone_id, daily_quantity=Decimal(1), unit="片")
    given = TODAY - timedelta(days=10)  # 7 days' supply: ran out 3 days ago
    refills.record_dispense(context.uow(), medication_id=gone_id, quantity=7, dispensed_on=given, today=TODAY)

    dialog = _open(qtbot, context, resident.id)
    flags = on_tab(dialog, dialog.flags_tab)
    summary = flags.bed_summary.text()
    since, checked = (TODAY - timedelta(days=9)).isoformat(), (TODAY - timedelta(days=2)).isoformat()
    for shown in ("骶尾部压疮 II 期", since, "9 bed-days", checked, "每 2 日换药"):
        assert shown in summary, (shown, summary)
    assert bed.doctor and bed.doctor in summary
    orders = flags.orders_model.rows()
    assert [o.order.kind.value for o in orders] == ["dressing"]  # the stopped one is not shown
    assert flags.orders_model.data(flags.orders_model.index(0, 4)) == "✓"  # due today: day 8, every 2 days

    medications = on_tab(dialog, dialog.medications_tab)
    rows = medications.medications_model.rows()
    row = [m.id for m in rows].index(gone_id)
    ran_out = (TODAY - timedelta(days=3)).isoformat()
    index = medications.medications_model.index(row, 6)
    assert medications.medications_model.data(index) == f"ran out {ran_out}"
    assert medications.medications_model.data(index, Qt.ItemDataRole.ForegroundRole) == RAN_OUT
    assert medications.medications_model.data(medications.medications_model.index(row, 5)) == "1 片"
    medications.medications_table.selectRow(row)
    assert medications.daily_edit.text() == "1" and medications.unit_edit.text() == "片"
    assert ran_out in medications.supply_label.text()

    medications.daily_edit.setText("2")
    with run_sync_for_tests():
        qtbot.mouseClick(medications.save_medication, qtbot_left())
    assert medications.banner.text() == ""
    with context.uow() as uow:
        saved = uow.session.get(Medication, gone_id)
        assert saved is not None and saved.daily_quantity == 2 and saved.unit == "片"
    medications.medications_table.selectRow([m.id for m in medications.medications_model.rows()].index(gone_id))
    medications.daily_edit.setText("lots")
    with run_sync_for_tests():
        qtbot.mouseClick(medications.save_medication, qtbot_left())
    assert "daily quantity" in medications.banner.text() and "0 to stop" in medications.banner.text()


def test_a_record_without_a_bed_says_where_beds_are_opened(
    qtbot: QtBot,
    context: AppContext,  # noqa: F811
    english: None,
) -> None:
    dialog = _open(qtbot, context, _resident(context).id)
    flags = on_tab(dialog, dialog.flags_tab)
    assert "Family beds page" in flags.bed_summary.text() and not flags.orders_table.isVisibleTo(dialog)
