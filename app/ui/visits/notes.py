"""The free texts of the visit form — 症状体征, 处理措施, 用药调整: what was found, what was done, what changed.

:class:`NotesSection`: a two-line box each; Tab leaves a box (instead of typing a tab) so the form stays
keyboard-first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPlainTextEdit, QWidget

TEXT_FIELDS = ("findings", "actions", "medication_changes")


class NotesSection(QWidget):
    """Findings, actions, medication changes.

    Args:
        parent: the form.

    Attributes:
        edits: the box of each text, by field name (:data:`TEXT_FIELDS`).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QPlainTextEdit] = {}
        for name in TEXT_FIELDS:
            text = QPlainTextEdit(self)
            text.setObjectName(name)
            text.setTabChangesFocus(True)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 2 + 16)
            self.edits[name] = text
        self.edits["findings"].setPlaceholderText(self.tr("Symptoms and findings, e.g. dizziness, oedema"))
        self.edits["actions"].setPlaceholderText(self.tr("What was done or advised"))
        self.edits["medication_changes"].setPlaceholderText(self.tr("Started, stopped or changed doses"))
        captions = {
            "findings": self.tr("F&indings:"),
            "actions": self.tr("&Actions:"),
            "medication_changes": self.tr("&Medication changes:"),
        }
        texts = QGridLayout(self)
        texts.setContentsMargins(0, 0, 0, 0)
        self.captions: dict[str, QLabel] = {}
        for row, name in enumerate(TEXT_FIELDS):
            caption = QLabel(captions[name], self)
            caption.setBuddy(self.edits[name])
            self.captions[name] = caption
            texts.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            texts.addWidget(self.edits[name], row, 1)
        texts.setColumnStretch(1, 1)

    def values(self) -> dict[str, Any]:
        return {name: self.edits[name].toPlainText() for name in TEXT_FIELDS}

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the texts ``values`` gives; the others are left as they are."""
        for name in TEXT_FIELDS:
            if name in values:
                self.edits[name].setPlainText(str(values[name] or ""))

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.clear()

    def set_editable(self, editable: bool) -> None:
        for edit in self.edits.values():
            edit.setReadOnly(not editable)
            edit.style().unpolish(edit)  # the style sheet's [readOnly] selector is read when polished
            edit.style().polish(edit)
