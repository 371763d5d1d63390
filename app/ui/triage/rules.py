"""Triage rules in Settings — 分类规则设置: thresholds and visit intervals, checked before they are saved.

One field per value of :data:`~app.domain.triage.RULE_FIELDS`, grouped red / yellow / visits, with the
range in each field's tooltip. Saving goes through :func:`~app.services.triage.save_rules`, which refuses
what is out of range or contradictory and names the field; the field is then highlighted and focused.
Only roles with ``Action.EDIT_TRIAGE_RULES`` (doctor, administrator) may change and save; everyone else
sees the rules read-only — fields that cannot be edited, no Save or Restore-defaults button, and a note.
The editor stays read-only until the load has said what the signed-in role may do; the service checks
again when saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.conditions import CONDITIONS
from app.domain.errors import ValidationError
from app.domain.permissions import Action
from app.domain.triage import DEFAULT_RULES, RULE_FIELDS, RuleField, TriageRules, rules_to_dict
from app.services.triage import RulesInfo, load_rules, may, save_rules
from app.ui.shell.tasks import Op
from app.ui.widgets.badges import set_text_scale
from app.ui.widgets.read_only import set_locked

if TYPE_CHECKING:
    from app.bootstrap import AppContext

ERROR_STYLE = "border: 2px solid #c62828;"


class TriageRulesEditor(QWidget):
    """Edit the triage rules and visit intervals.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.

    Signals:
        loaded(object): the :class:`~app.services.triage.RulesInfo` now shown.
        saved(object): the :class:`~app.domain.triage.TriageRules` just saved.
    """

    loaded = Signal(object)
    saved = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("triageRulesEditor")
        self._context = context
        self.editors: dict[str, QWidget] = {}
        self._loaded_once = False
        self.may_edit = False

        heading = QLabel(self.tr("Triage rules"), self)
        set_text_scale(heading, 1.4)
        intro = QLabel(
            self.tr(
                "The rules suggest a colour; a doctor confirms it. Changes apply to the next suggestions and plans."
            ),
            self,
        )
        intro.setWordWrap(True)
        # issue #16: say plainly whose defaults these are
        self.defaults_note = QLabel(
            self.tr(
                "The default values are this product's defaults, not an official standard: the national "
                "specification (国家基本公共卫生服务规范) sets the clinical criteria, such as the BP target and the "
                "urgent readings, but not these colours or intervals. Adapt them to your center."
            ),
            self,
        )
        self.defaults_note.setObjectName("rulesDefaultsNote")
        self.defaults_note.setWordWrap(True)
        self.defaults_note.setStyleSheet("color: #4a4a4a;")
        self.source_label = QLabel(self)
        self.source_label.setObjectName("rulesSource")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("rulesError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.read_only_label = QLabel(
            self.tr(
                "Read-only: your role may look at the rules but not change them. A doctor or an "
                "administrator can change them."
            ),
            self,
        )
        self.read_only_label.setObjectName("rulesReadOnly")
        note_font = self.read_only_label.font()
        note_font.setBold(True)
        self.read_only_label.setFont(note_font)
        self.read_only_label.setWordWrap(True)
        self.read_only_label.hide()

        body = QWidget(self)
        columns = QHBoxLayout(body)
        titles = {
            "red": self.tr("● Red — key"),
            "yellow": self.tr("▲ Yellow — secondary"),
            "visits": self.tr("Visit intervals"),
        }
        for section in ("red", "yellow", "visits"):
            group = QGroupBox(titles[section], body)
            form = QFormLayout(group)
            for spec in RULE_FIELDS:
                if spec.section == section:
                    editor = self._editor(spec, group)
                    self.editors[spec.path] = editor
                    form.addRow(spec.label, editor)
            columns.addWidget(group)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.save_button = QPushButton(self.tr("&Save rules"), self)
        self.save_button.setObjectName("saveRules")
        self.defaults_button = QPushButton(self.tr("Restore &defaults"), self)
        self.defaults_button.setObjectName("restoreDefaults")
        buttons = QHBoxLayout()
        buttons.addWidget(self.source_label, 1)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.defaults_note)
        layout.addWidget(self.read_only_label)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(self.save)
        self.defaults_button.clicked.connect(lambda: self.show_rules(DEFAULT_RULES))
        self._apply_permission(may_edit=False, known=False)

    def _editor(self, spec: RuleField, parent: QWidget) -> QWidget:
        tip = self.tr("Default: {value}").format(value=spec.default())
        if spec.kind == "bool":
            box = QCheckBox(self.tr("applies"), parent)
            box.setToolTip(tip)
            return box
        if spec.kind == "codes":
            listing = QListWidget(parent)
            for condition in CONDITIONS:
                item = QListWidgetItem(condition.label, listing)
                item.setData(Qt.ItemDataRole.UserRole, condition.code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            listing.setMaximumHeight(140)
            return listing
        assert spec.minimum is not None and spec.maximum is not None
        spin: QSpinBox | QDoubleSpinBox
        if spec.kind == "int":
            spin = QSpinBox(parent)
            spin.setRange(int(spec.minimum), int(spec.maximum))
        else:
            spin = QDoubleSpinBox(parent)
            spin.setDecimals(1)
            spin.setSingleStep(0.1)
            spin.setRange(spec.minimum, spec.maximum)
        spin.setToolTip(
            self.tr("{minimum} to {maximum}. {default}").format(minimum=spec.minimum, maximum=spec.maximum, default=tip)
        )
        return spin

    # --- loading -------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and not self._loaded_once:
            self._loaded_once = True
            self.reload()

    @Slot()
    def reload(self) -> None:
        """Fetch the rules in force and whether this person may change them."""
        context = self._context
        Op(self, lambda: (load_rules(context.uow()), may(context.uow(), Action.EDIT_TRIAGE_RULES))).success(
            self._loaded
        ).run()

    def _loaded(self, result: tuple[RulesInfo, bool]) -> None:
        info, may_edit = result
        self.show_rules(info.rules)
        if info.problem:
            self.source_label.setText(info.problem)
        elif info.stored:
            self.source_label.setText(self.tr("Rules saved for this center."))
        else:
            self.source_label.setText(self.tr("Built-in default rules."))
        self._apply_permission(may_edit=may_edit, known=True)
        self.loaded.emit(info)

    def _apply_permission(self, *, may_edit: bool, known: bool) -> None:
        """Let the fields be changed and saved, or show them read-only (with a note once ``known``)."""
        self.may_edit = may_edit
        for editor in self.editors.values():
            if isinstance(editor, QSpinBox | QDoubleSpinBox):
                editor.setReadOnly(not may_edit)
            elif isinstance(editor, QListWidget):
                for row in range(editor.count()):
                    item = editor.item(row)
                    if may_edit:
                        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    else:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            else:
                set_locked(editor, not may_edit)  # a check box: readable, but deaf to clicks and keys
        for button in (self.save_button, self.defaults_button):
            button.setEnabled(may_edit)
            button.setVisible(may_edit)
        self.read_only_label.setVisible(known and not may_edit)

    def show_rules(self, rules: TriageRules) -> None:
        """Put ``rules`` into the fields."""
        document = rules_to_dict(rules)
        for spec in RULE_FIELDS:
            self._set(spec, document[spec.section][spec.name])
        self._clear_error()

    def _set(self, spec: RuleField, value: Any) -> None:
        editor = self.editors[spec.path]
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QListWidget):
            for row in range(editor.count()):
                item = editor.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in value
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        elif isinstance(editor, QSpinBox | QDoubleSpinBox):
            editor.setValue(value)

    def document(self) -> dict[str, Any]:
        """Return the rules document the fields describe."""
        result: dict[str, Any] = {"schema": 1, "red": {}, "yellow": {}, "visits": {}}
        for spec in RULE_FIELDS:
            editor = self.editors[spec.path]
            value: Any
            if isinstance(editor, QCheckBox):
                value = editor.isChecked()
            elif isinstance(editor, QListWidget):
                value = [
                    editor.item(row).data(Qt.ItemDataRole.UserRole)
                    for row in range(editor.count())
                    if editor.item(row).checkState() == Qt.CheckState.Checked
                ]
            elif isinstance(editor, QDoubleSpinBox):
                value = round(editor.value(), 1)
            else:
                assert isinstance(editor, QSpinBox)
                value = editor.value()
            result[spec.section][spec.name] = value
        return result

    # --- saving ---------------------------------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        """Check and save the rules; show a refusal next to its field."""
        context, document = self._context, self.document()
        self._clear_error()
        Op(self, lambda: save_rules(context.uow(), document=document)).success(self._saved).failure(self._refused).run()

    def _saved(self, rules: TriageRules) -> None:
        self.source_label.setText(self.tr("Saved. New suggestions and plans use these rules."))
        self.saved.emit(rules)

    def _refused(self, error: BaseException) -> None:
        self.error_label.setText(str(error))
        if isinstance(error, ValidationError):
            editor = self.editors.get(error.field)
            if editor is not None:
                editor.setStyleSheet(ERROR_STYLE)
                editor.setFocus()

    def _clear_error(self) -> None:
        self.error_label.clear()
        for editor in self.editors.values():
            editor.setStyleSheet("")
