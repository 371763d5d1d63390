"""Assessments over time — 评估: self-care (five items and band), AD8 (eight items), care level, falls.

The form scores as it is filled in (the same domain functions the service uses), and "Record" saves
one dated assessment signed by the staff member signed in. The history lists every assessment,
newest first; one entered in error can be removed.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessments import AD8_ITEMS, SELF_CARE_ITEMS, Ad8Answer, ad8_score, self_care_band, self_care_score
from app.domain.errors import ValidationError
from app.domain.i18n import t
from app.domain.records import AssessmentKind, assessment_result_label
from app.services.records.load import (
    ResidentRecord,
    record_ad8,
    record_care_level,
    record_fall,
    record_self_care,
    remove_entry,
)
from app.ui.record.editor import RecordEditor
from app.ui.record.fields import (
    Column,
    DateField,
    ErrorBanner,
    RecordSection,
    RowsModel,
    confirm_remove,
    date_text,
    form_row,
    make_table,
)
from app.ui.widgets.tables import fit_columns

KINDS = (AssessmentKind.SELF_CARE, AssessmentKind.AD8, AssessmentKind.CARE_LEVEL, AssessmentKind.FALL)


class RecordAssessmentsTab(RecordSection):
    """Record dated assessments and read their history."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.banner = ErrorBanner(self)

        self.model = RowsModel([], self)
        self.table = make_table(self.model, self, "assessments")
        self.model.set_columns(
            [
                Column(self.tr("Date"), lambda a: date_text(a.assessed_on)),
                Column(self.tr("Assessment"), lambda a: _kind_label(a.kind)),
                Column(self.tr("Score"), lambda a: "" if a.score is None else str(a.score), align_right=True),
                Column(self.tr("Result"), lambda a: assessment_result_label(a.kind, a.result, a.score)),
                Column(self.tr("Assessed by"), lambda a: a.assessed_by_name),
                Column(self.tr("Notes"), lambda a: a.notes),
            ]
        )
        fit_columns(self.table, ["2026-12-31", "AD8 cognitive screen", "37", "moderately dependent", "周海燕"])
        self.remove_button = QPushButton(self.tr("Remove the chosen assessment"), self)
        self.remove_button.setObjectName("removeAssessment")
        self.remove_button.clicked.connect(self.remove)

        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("assessmentKind")
        for kind in KINDS:
            self.kind_combo.addItem(kind.label, kind.value)
        self.date_edit = DateField("assessed_on", self)
        self.notes_edit = QLineEdit(self)
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setMaxLength(500)
        self.score_label = QLabel(self)
        self.score_label.setObjectName("assessmentScore")
        font = self.score_label.font()
        font.setBold(True)
        self.score_label.setFont(font)

        self.self_care_combos: dict[str, QComboBox] = {}
        self_care_page = QWidget(self)
        self_care_form = QFormLayout(self_care_page)
        for item in SELF_CARE_ITEMS:
            combo = QComboBox(self_care_page)
            combo.setObjectName(f"self_care_{item.key}")
            for level, points in enumerate(item.points):
                combo.addItem(f"{t(f'self_care.level.{level}')} ({points})", level)
            combo.currentIndexChanged.connect(self._rescore)
            self.self_care_combos[item.key] = combo
            form_row(self_care_form, f"{t(item.label_key)}:", combo)

        self.ad8_combos: dict[str, QComboBox] = {}
        ad8_page = QWidget(self)
        ad8_form = QFormLayout(ad8_page)
        ad8_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for number, key in enumerate(AD8_ITEMS, start=1):
            combo = QComboBox(ad8_page)
            combo.setObjectName(f"ad8_{key}")
            combo.addItem(self.tr("(not asked yet)"), None)
            for answer in Ad8Answer:
                combo.addItem(t(answer.label_key), answer.value)
            combo.currentIndexChanged.connect(self._rescore)
            self.ad8_combos[key] = combo
            label = QLabel(f"{number}. {t(f'ad8.item.{key}')}", ad8_page)
            label.setWordWrap(True)
            label.setBuddy(combo)
            ad8_form.addRow(label, combo)
        ad8_scroll = QScrollArea(self)
        ad8_scroll.setWidget(ad8_page)
        ad8_scroll.setWidgetResizable(True)

        care_page = QWidget(self)
        care_form = QFormLayout(care_page)
        self.care_level_combo = QComboBox(care_page)
        self.care_level_combo.setObjectName("assessedCareLevel")
        for level in range(7):
            self.care_level_combo.addItem(self.tr("Level {level}").format(level=level), level)
        form_row(care_form, self.tr("Care &level:"), self.care_level_combo)

        fall_page = QWidget(self)
        fall_form = QFormLayout(fall_page)
        self.injury_check = QCheckBox(self.tr("The fall caused an &injury"), fall_page)
        self.injury_check.setObjectName("fallInjury")
        fall_form.addRow(self.injury_check)

        self.pages = QStackedWidget(self)
        for page in (self_care_page, ad8_scroll, care_page, fall_page):
            self.pages.addWidget(page)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)

        self.record_button = QPushButton(self.tr("&Record assessment"), self)
        self.record_button.setObjectName("recordAssessment")
        self.record_button.clicked.connect(self.record)

        form_group = QGroupBox(self.tr("New assessment"), self)
        head = QFormLayout()
        form_row(head, self.tr("&Kind:"), self.kind_combo)
        self.date_label = form_row(head, self.tr("&Date:"), self.date_edit)
        form_layout = QVBoxLayout(form_group)
        form_layout.addLayout(head)
        form_layout.addWidget(self.pages, 1)
        notes = QFormLayout()
        form_row(notes, self.tr("N&otes:"), self.notes_edit)
        form_layout.addLayout(notes)
        bottom = QHBoxLayout()
        bottom.addWidget(self.score_label, 1)
        bottom.addWidget(self.record_button)
        form_layout.addLayout(bottom)

        history = QVBoxLayout()
        history.addWidget(self.table, 1)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        history.addLayout(remove_row)
        columns = QHBoxLayout()
        columns.addLayout(history, 6)
        columns.addWidget(form_group, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        self.fields: dict[str, QWidget] = {
            "assessed_on": self.date_edit,
            "assessment_notes": self.notes_edit,
            "self_care": self.self_care_combos["eating"],
            "ad8": self.ad8_combos[AD8_ITEMS[0]],
            "care_level": self.care_level_combo,
        }
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._kind_changed()

    def show_record(self, record: ResidentRecord | None) -> None:
        self.model.set_rows(record.assessments if record else [])
        self.remove_button.setEnabled(False)
        self.date_edit.set_value(self.editor.today())
        self.notes_edit.clear()
        for combo in (*self.self_care_combos.values(), *self.ad8_combos.values()):
            combo.setCurrentIndex(0)
        self.injury_check.setChecked(False)
        self._rescore()

    def kind(self) -> AssessmentKind:
        return AssessmentKind(self.kind_combo.currentData())

    def _kind_changed(self) -> None:
        self.pages.setCurrentIndex(self.kind_combo.currentIndex())
        fall = self.kind() is AssessmentKind.FALL
        self.date_label.setText(self.tr("&Date of the fall:") if fall else self.tr("&Date:"))
        self._rescore()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _rescore(self) -> None:
        kind = self.kind()
        if kind is AssessmentKind.SELF_CARE:
            score = self_care_score({key: combo.currentData() for key, combo in self.self_care_combos.items()})
            band = t(self_care_band(score).label_key)
            self.score_label.setText(self.tr("Score {score}: {band}").format(score=score, band=band))
        elif kind is AssessmentKind.AD8:
            answers = {key: combo.currentData() for key, combo in self.ad8_combos.items()}
            missing = sum(1 for value in answers.values() if value is None)
            score = ad8_score({k: v or Ad8Answer.UNKNOWN for k, v in answers.items()})
            result = assessment_result_label("ad8", "positive" if score >= 2 else "negative", score)
            text = self.tr("Score {score}: {result}").format(score=score, result=result)
            if missing:
                text += " " + self.tr("({n} not asked yet)").format(n=missing)
            self.score_label.setText(text)
        else:
            self.score_label.clear()

    @Slot()
    def record(self) -> None:
        """Record the assessment in the form (one action)."""
        try:
            on = self.date_edit.value() or self.editor.today()
        except ValidationError as error:
            self.banner.show_error(error)
            return
        kind, notes = self.kind(), self.notes_edit.text()
        resident_id, today = self.editor.existing_id(), self.editor.today()
        if kind is AssessmentKind.SELF_CARE:
            levels = {key: int(combo.currentData()) for key, combo in self.self_care_combos.items()}
            self.editor.submit(
                self,
                lambda uow: record_self_care(
                    uow, resident_id=resident_id, levels=levels, assessed_on=on, notes=notes, today=today
                ),
            )
        elif kind is AssessmentKind.AD8:
            answers = {key: combo.currentData() for key, combo in self.ad8_combos.items()}
            unanswered = [key for key, value in answers.items() if value is None]
            if unanswered:
                numbers = [str(AD8_ITEMS.index(key) + 1) for key in unanswered]
                self.banner.show_error(
                    ValidationError("ad8", "", "ad8.missing_items", items=t("list.separator").join(numbers))
                )
                self.ad8_combos[unanswered[0]].setFocus()
                return
            self.editor.submit(
                self,
                lambda uow: record_ad8(
                    uow, resident_id=resident_id, answers=answers, assessed_on=on, notes=notes, today=today
                ),
            )
        elif kind is AssessmentKind.CARE_LEVEL:
            level = int(self.care_level_combo.currentData())
            self.editor.submit(
                self,
                lambda uow: record_care_level(
                    uow, resident_id=resident_id, level=level, assessed_on=on, notes=notes, today=today
                ),
            )
        else:
            injury = self.injury_check.isChecked()
            self.editor.submit(
                self,
                lambda uow: record_fall(
                    uow, resident_id=resident_id, fell_on=on, injury=injury, notes=notes, today=today
                ),
            )

    @Slot()
    def remove(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        assessment = self.model.row_at(rows[0].row())
        if not confirm_remove(self, f"{_kind_label(assessment.kind)} {date_text(assessment.assessed_on)}"):
            return
        resident_id = self.editor.existing_id()
        self.editor.submit(
            self, lambda uow: remove_entry(uow, resident_id=resident_id, kind="assessment", entry_id=assessment.id)
        )


def _kind_label(value: str) -> str:
    try:
        return AssessmentKind(value).label
    except ValueError:
        return value
