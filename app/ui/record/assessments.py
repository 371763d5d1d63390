"""Assessments over time — 评估: self-care (five items and band), AD8 (eight items), care level, falls, and the
annual health check (DOMAIN §3).

The form scores as it is filled in (the same domain functions the service uses), and "Record" saves
one dated assessment signed by the staff member signed in. Every item starts unanswered and must be answered:
nothing is saved as a silent 0 (issue #16). Each self-care level shows its points, so 进餐 and 穿衣 show
轻度依赖 as 0 points, as the official table scores them. An AD8 with four or more "don't know" reads "not
interpretable"; a positive one proposes a referral for diagnosis. The history lists every assessment,
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

from app.domain.annual_check import ANNUAL_ITEMS, FINDINGS, finding_label
from app.domain.assessments import (
    AD8_ITEMS,
    SELF_CARE_ITEMS,
    Ad8Answer,
    Ad8Result,
    ad8_result,
    ad8_score,
    self_care_band,
    self_care_options,
    self_care_score,
)
from app.domain.errors import ValidationError
from app.domain.i18n import t
from app.domain.records import AssessmentKind, assessment_result_label
from app.services.records.load import (
    ResidentRecord,
    record_ad8,
    record_annual_check,
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

KINDS = (
    AssessmentKind.SELF_CARE,
    AssessmentKind.AD8,
    AssessmentKind.CARE_LEVEL,
    AssessmentKind.FALL,
    AssessmentKind.ANNUAL_CHECK,
)


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
            combo.addItem(self.tr("(not assessed yet)"), None)
            for option, points in self_care_options(item):
                words = self.tr("{level} ({points} points)").format(
                    level=t(f"self_care.level.{int(option)}"), points=points
                )
                combo.addItem(words, int(option))
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

        self.annual_edits: dict[str, QLineEdit] = {}
        self.annual_combos: dict[str, QComboBox] = {}
        annual_page = QWidget(self)
        annual_form = QFormLayout(annual_page)
        for annual_item in ANNUAL_ITEMS:
            widget: QWidget
            if annual_item.numeric:
                edit = QLineEdit(annual_page)
                edit.setObjectName(f"annual_{annual_item.key}")
                edit.setPlaceholderText(f"{annual_item.minimum}–{annual_item.maximum}")
                self.annual_edits[annual_item.key] = edit
                widget = edit
            else:
                combo = QComboBox(annual_page)
                combo.setObjectName(f"annual_{annual_item.key}")
                combo.addItem(self.tr("(not filled in yet)"), None)
                for finding in FINDINGS:
                    combo.addItem(finding_label(finding), finding)
                self.annual_combos[annual_item.key] = combo
                widget = combo
            label = QLabel(f"{annual_item.label}:", annual_page)
            label.setBuddy(widget)
            annual_form.addRow(label, widget)
        self.annual_summary = QLineEdit(annual_page)
        self.annual_summary.setObjectName("annualSummary")
        self.annual_summary.setMaxLength(1000)
        self.annual_summary.setPlaceholderText(self.tr("Abnormal findings and guidance (required)"))
        summary_label = QLabel(self.tr("Doctor's summary:"), annual_page)
        summary_label.setBuddy(self.annual_summary)
        annual_form.addRow(summary_label, self.annual_summary)
        annual_scroll = QScrollArea(self)
        annual_scroll.setWidget(annual_page)
        annual_scroll.setWidgetResizable(True)

        self.pages = QStackedWidget(self)
        for page in (self_care_page, ad8_scroll, care_page, fall_page, annual_scroll):
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
        self.notes_label = form_row(notes, self.tr("N&otes:"), self.notes_edit)
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
            "annual_check": self.annual_combos.get("cognition") or self.care_level_combo,
            "annual_summary": self.annual_summary,
        }
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._kind_changed()

    def show_record(self, record: ResidentRecord | None) -> None:
        self.model.set_rows(record.assessments if record else [])
        self.remove_button.setEnabled(False)
        self.date_edit.set_value(self.editor.today())
        self.notes_edit.clear()
        for combo in (*self.self_care_combos.values(), *self.ad8_combos.values(), *self.annual_combos.values()):
            combo.setCurrentIndex(0)
        for edit in (*self.annual_edits.values(), self.annual_summary):
            edit.clear()
        self.injury_check.setChecked(False)
        self._rescore()

    def kind(self) -> AssessmentKind:
        return AssessmentKind(self.kind_combo.currentData())

    def _kind_changed(self) -> None:
        self.pages.setCurrentIndex(self.kind_combo.currentIndex())
        fall = self.kind() is AssessmentKind.FALL
        self.date_label.setText(self.tr("&Date of the fall:") if fall else self.tr("&Date:"))
        annual = self.kind() is AssessmentKind.ANNUAL_CHECK  # its notes are the doctor's summary
        self.notes_label.setVisible(not annual)
        self.notes_edit.setVisible(not annual)
        self._rescore()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _rescore(self) -> None:
        kind = self.kind()
        if kind is AssessmentKind.SELF_CARE:
            levels = {key: combo.currentData() for key, combo in self.self_care_combos.items()}
            missing = sum(1 for value in levels.values() if value is None)
            if missing:
                self.score_label.setText(self.tr("{n} item(s) not assessed yet: no score").format(n=missing))
                return
            score = self_care_score(levels)
            band = t(self_care_band(score).label_key)
            self.score_label.setText(self.tr("Score {score}: {band}").format(score=score, band=band))
        elif kind is AssessmentKind.AD8:
            answers = {key: combo.currentData() for key, combo in self.ad8_combos.items()}
            missing = sum(1 for value in answers.values() if value is None)
            if missing:
                score = ad8_score({k: v or Ad8Answer.UNKNOWN for k, v in answers.items()})
                self.score_label.setText(
                    self.tr("{score} “yes” so far; {n} not asked yet: no result").format(score=score, n=missing)
                )
                return
            score = ad8_score(answers)
            outcome = ad8_result(answers)
            result = assessment_result_label("ad8", outcome.value, score)
            text = self.tr("Score {score}: {result}").format(score=score, result=result)
            if outcome is Ad8Result.POSITIVE:
                text += " " + self.tr("— refer for a diagnosis unless one is recorded")
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
            unassessed = [key for key, combo in self.self_care_combos.items() if combo.currentData() is None]
            if unassessed:
                self.banner.show_error(
                    ValidationError(
                        "self_care",
                        "",
                        "self_care.missing_items",
                        items=t("list.separator").join(t(f"self_care.item.{key}") for key in unassessed),
                    )
                )
                self.self_care_combos[unassessed[0]].setFocus()
                return
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
        elif kind is AssessmentKind.ANNUAL_CHECK:
            values: dict[str, object] = {key: edit.text() for key, edit in self.annual_edits.items()}
            values |= {key: combo.currentData() for key, combo in self.annual_combos.items()}
            summary = self.annual_summary.text()
            self.editor.submit(
                self,
                lambda uow: record_annual_check(
                    uow, resident_id=resident_id, values=values, summary=summary, checked_on=on, today=today
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
