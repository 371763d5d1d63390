"""The preferences dialog — 偏好设置: language and theme, kept in :class:`app.settings.Settings`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.settings import Settings

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}
"""Each language named in itself, as language pickers do, so anyone can find their own."""


class PreferencesDialog(QDialog):
    """Choose the language (used from the next start) and the theme (applied when accepted).

    Args:
        settings: the current settings; the dialog only reads them, the caller stores the choice.
        parent: the owning window.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.setMinimumWidth(420)

        self.language_combo = QComboBox(self)
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.get("language"))))
        language_note = QLabel(self.tr("A new language takes effect when CareRounds starts again."), self)
        language_note.setWordWrap(True)

        self.theme_combo = QComboBox(self)
        self.theme_combo.addItem(self.tr("Light"), "light")
        self.theme_combo.addItem(self.tr("Dark"), "dark")
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(settings.get("theme"))))

        form = QFormLayout()
        language_label = QLabel(self.tr("&Language:"), self)
        language_label.setBuddy(self.language_combo)
        theme_label = QLabel(self.tr("&Theme:"), self)
        theme_label.setBuddy(self.theme_combo)
        form.addRow(language_label, self.language_combo)
        form.addRow("", language_note)
        form.addRow(theme_label, self.theme_combo)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def language(self) -> str:
        """Return the chosen language code (``zh_CN`` or ``en``)."""
        return str(self.language_combo.currentData())

    def theme(self) -> str:
        """Return the chosen theme (``light`` or ``dark``)."""
        return str(self.theme_combo.currentData())
