"""Dialogs of the family beds page: open a bed (建床), record a check (查床), close a bed (撤床).

Each dialog collects what the person types; the page runs the service on the database thread and, when the
service refuses, shows the reason inside the dialog (which stays open) so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.sickbeds import MAX_SHORT_TEXT, MAX_TEXT, CloseReason, OrderKind
from app.services.homecare.beds import BedView, OrderInput
from app.ui.shell.tasks import Op, show_error

MAX_BOX_TEXT = MAX_TEXT


def _date_edit(parent: QWidget, day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class FormDialog(QDialog):
    """The homes' forms: an error line over the OK/Cancel buttons; OK emits :attr:`submitted` (the page saves
    through :func:`save_in_dialog`, then the dialog closes, or shows the refusal and stays open)."""

    submitted = Signal()

    def _finish(self, layout: QVBoxLayout, ok_text: str | None = None) -> None:
        self.error_label = QLabel(self)
        self.error_label.setObjectName("formDialogError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        if ok_text:
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _submit(self) -> None:
        self.ok_button.setEnabled(False)
        self.error_label.hide()
        self.submitted.emit()

    def show_error(self, message: str) -> None:
        """Show why the save was refused; the dialog stays open with what was typed."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self.ok_button.setEnabled(True)

    def _limited_text(self, name: str, limit: int) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setObjectName(name)
        box.setTabChangesFocus(True)

        def cut() -> None:  # bounded like the service's check: typing or pasting stops at the limit
            if len(box.toPlainText()) > limit:
                box.setPlainText(box.toPlainText()[:limit])

        box.textChanged.connect(cut)
        return box


class OpenBedDialog(FormDialog):
    """建床: indication, opening day, care plan and the orders, for one resident."""

    def __init__(self, resident_name: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openBedDialog")
        self.setWindowTitle(self.tr("Open a family bed — {name}").format(name=resident_name))
        self.resize(640, 560)
        self.indication = QLineEdit(self)
        self.indication.setObjectName("bedIndication")
        self.indication.setMaxLength(MAX_SHORT_TEXT)
        self.indication.setPlaceholderText(self.tr("e.g. pressure ulcer stage II, long-term catheter"))
        self.opened_on = _date_edit(self, today, "bedOpenedOn")
        self.care_plan = self._limited_text("bedCarePlan", MAX_BOX_TEXT)
        self.care_plan.setFixedHeight(90)

        self.kind = QComboBox(self)
        self.kind.setObjectName("orderKind")
        for kind in OrderKind:
            self.kind.addItem(kind.label, kind.value)
        self.every = QSpinBox(self)
        self.every.setObjectName("orderEvery")
        self.every.setRange(1, 90)
        self.every.setSuffix(self.tr(" days"))
        self.detail = QLineEdit(self)
        self.detail.setObjectName("orderDetail")
        self.detail.setMaxLength(MAX_SHORT_TEXT)
        self.detail.setPlaceholderText(self.tr("what exactly (optional)"))
        add = QPushButton(self.tr("&Add order"), self)
        add.setObjectName("addOrder")
        add.clicked.connect(self.add_order)
        remove = QPushButton(self.tr("&Remove order"), self)
        remove.setObjectName("removeOrder")
        remove.clicked.connect(self.remove_order)
        self.orders = QListWidget(self)
        self.orders.setObjectName("bedOrders")
        self._orders: list[OrderInput] = []

        form = QFormLayout()
        form.addRow(self.tr("&Indication:"), self.indication)
        form.addRow(self.tr("Opened &on:"), self.opened_on)
        form.addRow(self.tr("Care &plan:"), self.care_plan)
        order_row = QHBoxLayout()
        order_row.addWidget(self.kind)
        order_row.addWidget(QLabel(self.tr("every"), self))
        order_row.addWidget(self.every)
        order_row.addWidget(self.detail, 1)
        order_row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Orders (医嘱), from the opening day:"), self))
        layout.addLayout(order_row)
        layout.addWidget(self.orders, 1)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        self._finish(layout, self.tr("Open bed"))

    def add_order(self) -> None:
        """Add the order typed in the row to the list."""
        kind, every = str(self.kind.currentData()), self.every.value()
        order = OrderInput(kind, every, _day(self.opened_on), None, self.detail.text())
        self._orders.append(order)
        label = OrderKind(order.kind).label
        text = self.tr("{kind} every {days} days").format(kind=label, days=order.every_days)
        self.orders.addItem(f"{text}　{order.detail}".strip())
        self.detail.clear()

    def remove_order(self) -> None:
        """Remove the selected order from the list."""
        row = self.orders.currentRow()
        if row >= 0:
            self.orders.takeItem(row)
            del self._orders[row]

    def values(self) -> dict[str, Any]:
        """Return the service's arguments as typed (orders start on the opening day)."""
        opened_on = _day(self.opened_on)
        orders = [OrderInput(o.kind, o.every_days, opened_on, None, o.detail) for o in self._orders]
        return {
            "indication": self.indication.text(),
            "opened_on": opened_on,
            "care_plan": self.care_plan.toPlainText(),
            "orders": orders,
        }


class CheckBedDialog(FormDialog):
    """查床: the day, the findings and which of the bed's orders were carried out (those due are ticked)."""

    def __init__(self, bed: BedView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkBedDialog")
        self.setWindowTitle(self.tr("Record a check — {name}").format(name=bed.resident_name))
        self.resize(560, 460)
        self._bed = bed
        self.checked_on = _date_edit(self, today, "bedCheckedOn")
        self.checked_on.setMinimumDate(QDate(bed.opened_on.year, bed.opened_on.month, bed.opened_on.day))
        self.findings = self._limited_text("bedFindings", MAX_BOX_TEXT)
        form = QFormLayout()
        form.addRow(self.tr("Checked &on:"), self.checked_on)
        form.addRow(self.tr("&Findings:"), self.findings)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.order_boxes: list[tuple[str, QCheckBox]] = []
        if bed.orders:
            layout.addWidget(QLabel(self.tr("Orders carried out:"), self))
        for view in bed.orders:
            box = QCheckBox(view.label, self)
            box.setChecked(view.order.due_on(today))
            self.order_boxes.append((view.id, box))
            layout.addWidget(box)
        self._finish(layout, self.tr("Save check"))

    def values(self) -> dict[str, Any]:
        return {
            "checked_on": _day(self.checked_on),
            "findings": self.findings.toPlainText(),
            "orders_done": [order_id for order_id, box in self.order_boxes if box.isChecked()],
        }


class CloseBedDialog(FormDialog):
    """撤床: the day, the reason and the discharge summary."""

    def __init__(self, bed: BedView, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closeBedDialog")
        self.setWindowTitle(self.tr("Close the family bed — {name}").format(name=bed.resident_name))
        self.resize(560, 400)
        self.closed_on = _date_edit(self, today, "bedClosedOn")
        self.closed_on.setMinimumDate(QDate(bed.opened_on.year, bed.opened_on.month, bed.opened_on.day))
        self.reason = QComboBox(self)
        self.reason.setObjectName("bedCloseReason")
        for reason in CloseReason:
            self.reason.addItem(reason.label, reason.value)
        self.summary = self._limited_text("bedSummary", MAX_BOX_TEXT)
        form = QFormLayout()
        form.addRow(self.tr("Closed &on:"), self.closed_on)
        form.addRow(self.tr("&Reason:"), self.reason)
        form.addRow(self.tr("Discharge &summary:"), self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self._finish(layout, self.tr("Close bed"))

    def values(self) -> dict[str, Any]:
        return {
            "closed_on": _day(self.closed_on),
            "reason": str(self.reason.currentData()),
            "summary": self.summary.toPlainText(),
        }


def save_in_dialog(
    page: QWidget, dialog: Any, work: Callable[[dict[str, Any]], str], done: Callable[[str], None]
) -> None:
    """Run ``work(values)`` on the database thread with what ``dialog`` (a :class:`FormDialog` with
    ``values()``) holds, read here on the GUI thread.

    Saved: the dialog closes and ``done(id)`` is called. Refused in plain words (a DomainError): the reason is
    shown in the dialog, which stays open with what was typed; anything else goes to the usual error dialog.
    """
    values = dialog.values()

    def saved(row_id: str) -> None:
        dialog.accept()
        done(row_id)

    def refused(error: BaseException) -> None:
        if isinstance(error, DomainError):
            dialog.show_error(str(error))
        else:
            dialog.show_error("")
            show_error(dialog, error)

    Op(page, lambda: work(values)).success(saved).failure(refused).run()
