"""Small widgets shared by the record editor, the institutions page and the roster wizard.

- :class:`DateField`: a date typed the way nurses write it (2024-03-05, 2024/3/5, 20240305,
  2024年3月5日), optionally empty, read with the domain's parser so errors read the same everywhere;
- :class:`RecordSection`: the base of the record's tabs;
- :class:`ErrorBanner`: the one-line message a section shows when a save is refused;
- :class:`RowsModel`: a read-only table model over plain rows, with columns given as functions;
- :func:`form_row` / :func:`heading`: labelled fields with keyboard mnemonics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from app.domain.errors import DomainError, ValidationError
from app.domain.validation import parse_date
from app.ui.widgets.tables import read_only_table

if TYPE_CHECKING:
    from app.services.records.load import ResidentRecord

ModelIndex = QModelIndex | QPersistentModelIndex


class RecordSection(QWidget):
    """A tab of the health record: it fills in each time the record loads."""

    def show_record(self, record: ResidentRecord | None) -> None:
        """Show ``record`` (None while a new resident is being added)."""
        raise NotImplementedError


class DateField(QLineEdit):
    """A date as typed, or empty; :meth:`value` parses it.

    Args:
        field: the domain field name used in error messages (``admission_date`` ...).
        parent: the owning widget.
    """

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName(field)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setMaxLength(20)
        metrics = self.fontMetrics()
        self.setMinimumWidth(metrics.horizontalAdvance("2026-12-31") + 36)

    def value(self) -> date | None:
        """Return the date typed, or None when empty.

        Raises:
            ValidationError: on this field when the text is not a date.
        """
        text = self.text().strip()
        return parse_date(text, field=self.field) if text else None

    def set_value(self, value: date | None) -> None:
        """Show ``value`` as ISO text (empty for None)."""
        self.setText(value.isoformat() if value else "")


class ErrorBanner(QLabel):
    """A message line above a section: why a save was refused (or an empty, hidden line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("color: #c62828; font-weight: bold;")
        self.hide()

    def show_error(self, error: BaseException) -> None:
        """Show a domain error's message (prefixed with a warning sign so it reads without colour)."""
        text = str(error) if isinstance(error, DomainError) else f"{type(error).__name__}: {error}"
        self.setText(f"⚠ {text}")
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


def focus_field(widgets: dict[str, QWidget], error: BaseException) -> None:
    """Put the cursor in the widget of the field a validation error names, if there is one."""
    if isinstance(error, ValidationError):
        widget = widgets.get(error.field)
        if widget is not None and widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()


def form_row(form: QFormLayout, label: str, widget: QWidget) -> QLabel:
    """Add ``widget`` to ``form`` with a label whose mnemonic (``&``) focuses it; return the label."""
    caption = QLabel(label, form.parentWidget())
    caption.setBuddy(widget)
    form.addRow(caption, widget)
    return caption


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    """Return a bold section heading."""
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


@dataclass(frozen=True)
class Column:
    """One column of a :class:`RowsModel`: header text, and the cell text (and colour) of a row."""

    header: str
    text: Callable[[Any], str]
    colour: Callable[[Any], QColor | None] | None = None
    align_right: bool = False


class RowsModel(QAbstractTableModel):
    """A read-only table of plain rows (dataclasses from the services), formatted by its columns.

    Args:
        columns: the columns, in order.
        parent: the owning object.
    """

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (e.g. after the language changed)."""
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            return column.colour(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


def date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def make_table(model: QAbstractTableModel, parent: QWidget, name: str) -> QTableView:
    """Return a read-only, row-selecting table view over ``model`` sized from the font."""
    table = read_only_table(parent, model, name)
    table.verticalHeader().setDefaultSectionSize(max(28, table.fontMetrics().height() + 10))
    return table


def confirm_remove(parent: QWidget, what: str) -> bool:
    """Ask whether to remove ``what`` from the record (for entries made in error)."""
    answer = QMessageBox.question(
        parent.window(),
        QCoreApplication.translate("ResidentRecordLists", "Remove"),
        QCoreApplication.translate(
            "ResidentRecordLists", "Remove “{what}” from the record? Use this for entries made in error."
        ).format(what=what),
    )
    return answer == QMessageBox.StandardButton.Yes


GREY = QColor("#757575")
"""The text colour of an entry no longer current (a medication stopped)."""


def entry_buttons(parent: QWidget, name: str) -> tuple[QPushButton, QPushButton, QPushButton, QHBoxLayout]:
    """The New, Save and Remove buttons of a list section's form, in a row."""
    new = QPushButton(QCoreApplication.translate("ResidentRecordLists", "New"), parent)
    new.setObjectName(f"new{name}")
    save = QPushButton(QCoreApplication.translate("ResidentRecordLists", "Save"), parent)
    save.setObjectName(f"save{name}")
    remove = QPushButton(QCoreApplication.translate("ResidentRecordLists", "Remove"), parent)
    remove.setObjectName(f"remove{name}")
    row = QHBoxLayout()
    row.addStretch(1)
    for button in (new, remove, save):
        row.addWidget(button)
    return new, save, remove, row


def selected_row(table: QTableView, model: RowsModel) -> Any:
    """The row selected in ``table``, or None."""
    rows = table.selectionModel().selectedRows()
    return model.row_at(rows[0].row()) if rows else None


def save_row(tab: QWidget, button: QPushButton) -> QHBoxLayout:
    """A form section's Save button, on the right."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    return row
