"""The visit editor of one resident in a dialog: a correction from the history, or a visit outside a round.

:class:`VisitDialog` wraps the :class:`~app.ui.visits.editor.VisitEditor`; Ctrl+Enter saves, and the dialog
closes once saved; closing it keeps what was typed as a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.services.visits.drafts import DraftStore
from app.services.visits.save import VisitSaved
from app.ui.visits.editor import VisitEditor
from app.ui.visits.questions import Questions

if TYPE_CHECKING:
    from app.bootstrap import AppContext


class VisitDialog(QDialog):
    """The visit editor of one resident in a dialog: a correction from the history, or a visit outside a round.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        today: returns the day the visit is entered on.
        drafts: where drafts are kept.
        questions: the questions a save asks (message boxes by default).

    Signals:
        saved(object): the :class:`~app.services.visits.save.VisitSaved`; the dialog then closes.
    """

    saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        drafts: DraftStore | None = None,
        questions: Questions | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitDialog")
        self.setWindowTitle(self.tr("Visit"))
        self._today = today
        self.resize(900, 720)
        self.editor = VisitEditor(context, self, today=today, drafts=drafts, questions=questions)
        self.editor.save_button.setText(self.tr("Save (Ctrl+Enter)"))
        self.editor.save_button.clicked.disconnect()
        self.editor.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self).activated.connect(self.save)
        QShortcut(QKeySequence("Ctrl+E"), self).activated.connect(self.editor.start_correction)

    def open_visit(self, resident_id: str, visit_id: str, *, correct: bool = False) -> None:
        """Show the visit ``visit_id`` (locked), and start its correction with ``correct``."""
        self.editor.open_resident(
            resident_id, round_id=None, visit_date=self._today(), visit_id=visit_id, correct=correct
        )

    def open_new(self, resident_id: str, *, round_id: str | None, visit_date: date, round_label: str = "") -> None:
        """Show a new visit of ``resident_id`` (at ``round_id``, or outside a round)."""
        self.editor.open_resident(resident_id, round_id=round_id, visit_date=visit_date, round_label=round_label)

    @Slot()
    def save(self) -> None:
        self.editor.save(then=self._saved)

    def _saved(self, result: VisitSaved) -> None:
        self.saved.emit(result)
        self.accept()

    def reject(self) -> None:
        self.editor.flush_draft()
        super().reject()
