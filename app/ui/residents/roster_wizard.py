"""Roster import wizard — 名单导入向导: choose a file, preview every row's problems, import.

1. **File**: a .xlsx or .csv roster and the institution its residents live in.
2. **Preview**: every data row with its problems (``row N: field: reason``), nothing written yet;
   rows with problems are marked ✖ and will be left out.
3. **Done**: how many residents were imported, and the report of the rows left out, to copy.

Reading, checking and importing run on the database thread; the import is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSortFilterProxyModel, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.i18n import t
from app.domain.roster_files import describe_format
from app.services.institutions import list_institutions
from app.services.records.roster import RosterResult, import_roster, preview_roster, read_roster
from app.ui.record.fields import Column, ErrorBanner, RowsModel, form_row, make_table
from app.ui.shell.tasks import Op
from app.ui.widgets.tables import fit_columns

if TYPE_CHECKING:
    from app.bootstrap import AppContext

_RED = QColor("#c62828")


class RosterImportWizard(QWizard):
    """Import a resident roster into one institution.

    Args:
        context: the open database, acting for the signed-in staff member.
        parent: the owning widget.
        institution_id: the institution chosen at first.
        path: the file chosen at first.
        today: returns the day rows are checked against (``date.today`` by default; tests fix it).

    Signals:
        imported(str, int): the institution's id and the number of residents imported.
    """

    imported = Signal(str, int)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        institution_id: str | None = None,
        path: Path | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rosterWizard")
        self.context = context
        self.today = today
        self.preview: RosterResult | None = None
        self.import_result: RosterResult | None = None
        self.setWindowTitle(self.tr("Import a roster"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(980, 660)
        self.file_page = RosterFilePage(self, institution_id, path)
        self.preview_page = RosterPreviewPage(self)
        self.done_page = RosterDonePage(self)
        for page in (self.file_page, self.preview_page, self.done_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Finish"))


class RosterFilePage(QWizardPage):
    """Choose the roster file and the institution."""

    def __init__(self, wizard: RosterImportWizard, institution_id: str | None, path: Path | None) -> None:
        super().__init__(wizard)
        self.roster_wizard = wizard
        self._wanted_institution = institution_id
        self.setTitle(self.tr("Roster file and institution"))
        self.setSubTitle(self.tr("Nothing is written until you confirm on the next page."))
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("rosterPath")
        if path is not None:
            self.path_edit.setText(str(path))
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        self.browse_button.clicked.connect(self.browse)
        self.institution_combo = QComboBox(self)
        self.institution_combo.setObjectName("rosterInstitution")
        self.banner = ErrorBanner(self)
        help_text = QLabel(
            self.tr(
                "An Excel workbook (.xlsx, first sheet) or a CSV file in UTF-8 or GBK. The first row names the "
                "columns (a title row above it is fine), in Chinese or English, in any order: 姓名 / name and "
                "身份证号 / ID number are required; 性别, 出生日期, 楼栋, 房间, 床位, 入住日期, 联系电话, 医保号, "
                "监护人, 监护人电话 and their usual synonyms are read too. Other columns are ignored and named "
                "in the preview."
            ),
            self,
        )
        help_text.setWordWrap(True)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        file_label = QLabel(self.tr("Roster &file:"), self)
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, file_row)
        form_row(form, self.tr("&Institution:"), self.institution_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addStretch(1)
        layout.addWidget(self.banner)
        self.path_edit.textChanged.connect(self.completeChanged)
        self.institution_combo.currentIndexChanged.connect(self.completeChanged)
        self._load_institutions()

    def _load_institutions(self) -> None:
        context = self.roster_wizard.context
        Op(self, lambda: list_institutions(context.uow())).success(self._show_institutions).run()

    def _show_institutions(self, institutions: list[Any]) -> None:
        self.institution_combo.clear()
        for institution in institutions:
            self.institution_combo.addItem(institution.name, institution.id)
        index = self.institution_combo.findData(self._wanted_institution)
        self.institution_combo.setCurrentIndex(max(0, index))

    @Slot()
    def browse(self) -> None:
        """Ask for the roster file."""
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a roster"),
            self.path_edit.text(),
            self.tr("Rosters (*.xlsx *.csv);;All files (*)"),
        )
        if chosen:
            self.path_edit.setText(chosen)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and self.institution_combo.currentData() is not None

    def validatePage(self) -> bool:
        """Read and check the file on the database thread; go on to the preview when that is done."""
        wizard = self.roster_wizard
        if wizard.preview is not None:
            return True
        self.banner.clear_error()
        path = Path(self.path_edit.text().strip())
        institution_id = self.institution_combo.currentData()
        context, today = wizard.context, wizard.today()

        def check() -> RosterResult:
            return preview_roster(context.uow(), roster=read_roster(path), institution_id=institution_id, today=today)

        def checked(result: RosterResult) -> None:
            self.setEnabled(True)
            wizard.preview = result
            wizard.next()

        def failed(error: BaseException) -> None:
            self.setEnabled(True)
            self.banner.show_error(error)

        self.setEnabled(False)
        Op(self, check).with_progress(self.tr("Reading the roster…")).success(checked).failure(failed).run()
        return False


class RosterPreviewPage(QWizardPage):
    """Every row with its problems; pressing Import writes the valid rows in one transaction."""

    def __init__(self, wizard: RosterImportWizard) -> None:
        super().__init__(wizard)
        self.roster_wizard = wizard
        self.setTitle(self.tr("Preview"))
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("rosterSummary")
        self.summary_label.setWordWrap(True)
        self.only_problems = QCheckBox(self.tr("Show only rows with &problems"), self)
        self.only_problems.setObjectName("onlyProblems")
        self.model = RowsModel([], self)
        self.model.set_columns(
            [
                Column(self.tr("Row"), lambda r: str(r.row), align_right=True),
                Column(self.tr("Name"), lambda r: r.values.get("name", "")),
                Column(self.tr("ID number"), lambda r: r.values.get("id_number", "")),
                Column(
                    self.tr("Bed"),
                    lambda r: "-".join(r.values.get(k, "") for k in ("building", "room", "bed") if r.values.get(k, "")),
                ),
                Column(self.tr("Admission"), lambda r: r.values.get("admission_date", "")),
                Column(self.tr("Problems"), self._problems_text, colour=lambda r: _RED if r.problems else None),
            ]
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(5)
        self.table = make_table(self.model, self, "rosterPreview")
        self.table.setModel(self.proxy)
        fit_columns(self.table, ["9999", "欧阳秀英英", "11010519491231002X", "A-1201-12", "2026-12-31"])
        self.banner = ErrorBanner(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.only_problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)
        self.only_problems.toggled.connect(self._filter)

    def _problems_text(self, row: Any) -> str:
        if not row.problems:
            return self.tr("✓ will be imported")
        problems = (
            self.tr("{field}: {reason}").format(field=t(f"field.{p.field}"), reason=p.reason) for p in row.problems
        )
        return "✖ " + self.tr("; ").join(problems)

    def _filter(self, only: bool) -> None:
        self.proxy.setFilterFixedString("✖" if only else "")

    def initializePage(self) -> None:
        result = self.roster_wizard.preview
        if result is None:
            return
        check = result.check
        valid, rejected = len(check.entries), len(check.rejected_rows)
        lines = [
            self.tr(
                "{rows} data rows in the file for {institution}: {valid} can be imported, "
                "{rejected} have problems and will be left out."
            ).format(rows=len(check.rows), institution=result.institution_name, valid=valid, rejected=rejected),
            self.tr("Header in row {row}; file read as {format}.").format(
                row=check.layout.header_row, format=describe_format(check.encoding)
            ),
        ]
        if check.layout.ignored:
            lines.append(
                self.tr("Columns ignored: {columns}").format(columns=t("list.separator").join(check.layout.ignored))
            )
        self.summary_label.setText("\n".join(lines))
        self.model.set_rows(check.rows)
        self.only_problems.setChecked(False)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Import {n} resident(s)").format(n=valid))
        self.setSubTitle(self.tr("Nothing has been written yet."))

    def isComplete(self) -> bool:
        preview = self.roster_wizard.preview
        return preview is not None and bool(preview.check.entries)

    def cleanupPage(self) -> None:
        """Going back to the file page forgets this check, so a changed file is read again."""
        self.roster_wizard.preview = None

    def validatePage(self) -> bool:
        """Import the valid rows on the database thread; go on to the result when that is done."""
        wizard = self.roster_wizard
        if wizard.import_result is not None:
            return True
        preview = wizard.preview
        if preview is None:
            return False
        self.banner.clear_error()
        path = Path(wizard.file_page.path_edit.text().strip())
        institution_id, context, today = preview.institution_id, wizard.context, wizard.today()

        def work() -> RosterResult:
            return import_roster(context.uow(), roster=read_roster(path), institution_id=institution_id, today=today)

        def done(result: RosterResult) -> None:
            self.setEnabled(True)
            wizard.import_result = result
            wizard.imported.emit(result.institution_id, result.imported)
            wizard.next()

        def failed(error: BaseException) -> None:
            self.setEnabled(True)
            self.banner.show_error(error)

        self.setEnabled(False)
        Op(self, work).with_progress(self.tr("Importing…")).success(done).failure(failed).run()
        return False


class RosterDonePage(QWizardPage):
    """What was imported, and the report of the rows left out."""

    def __init__(self, wizard: RosterImportWizard) -> None:
        super().__init__(wizard)
        self.roster_wizard = wizard
        self.setTitle(self.tr("Done"))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("rosterResult")
        self.result_label.setWordWrap(True)
        self.report = QPlainTextEdit(self)
        self.report.setObjectName("rosterReport")
        self.report.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_label)
        layout.addWidget(self.report, 1)

    def initializePage(self) -> None:
        result = self.roster_wizard.import_result
        if result is None:
            return
        text = self.tr("Imported {n} resident(s) into {institution}.").format(
            n=result.imported, institution=result.institution_name
        )
        if result.rejected:
            text += " " + self.tr(
                "{n} row(s) were left out: correct them in the file and import it again "
                "(rows already imported will be reported as already in the center)."
            ).format(n=result.rejected)
        self.result_label.setText(text)
        self.report.setPlainText("\n".join(str(problem) for problem in result.problems))
        self.report.setVisible(bool(result.problems))
