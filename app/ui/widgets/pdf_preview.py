"""Preview a PDF, then print it through the system dialog or save it — 打印预览.

Qt's own PDF viewer (``PySide6.QtPdf``, from PySide6-Addons, a dependency) shows the document, and QtPdf
renders the pages for the printer on a worker thread, on every OS. Should the add-ons be missing (a
trimmed install), the pages are rendered by poppler's ``pdftoppm`` instead (:mod:`app.printing.raster`)
and shown one under the other. Either way nothing blocks the window.

Use :func:`show_pdf_preview` after building a PDF with an :class:`~app.ui.shell.tasks.Op`, e.g.::

    Op(self, lambda: print_round_sheet(uow, round_id=..., out=path, today=...)) \\
        .with_progress(self.tr("Preparing the round sheet…")) \\
        .success(lambda printed: show_pdf_preview(self, printed.path, title=..., file_name=...)) \\
        .run()
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPageLayout, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.printing.raster import PreviewUnavailable, render_pages
from app.services.output_files import OutputKind, save_copy
from app.ui.shell.tasks import Op, show_error

PREVIEW_DPI = 100
PREVIEW_PREFIX = "carerounds-print-"
PRINT_DPI = 200


def qtpdf_available() -> bool:
    """Return whether Qt's PDF module (PySide6 add-ons) can be imported."""
    return (
        importlib.util.find_spec("PySide6.QtPdf") is not None
        and importlib.util.find_spec("PySide6.QtPdfWidgets") is not None
    )


class PdfPreviewDialog(QDialog):
    """Show a PDF's pages with Print and Save buttons.

    Args:
        pdf: the PDF file to show (the dialog keeps its own copy, so the file may be temporary).
        title: the window title, e.g. "巡诊单 — 康宁养老院 2026-11-16".
        file_name: the name the Save dialog proposes.
        parent: the owning widget.
        use_qtpdf: show with QtPdf (None: when installed).
        database: the open database, which "Save as" refuses to write over (as any database, and any
            file that is not a PDF).

    Signals:
        pages_shown(int): the pages are on screen; their number.
        saved(str): the PDF was saved to this path.
        printed(): the document was sent to the printer.
    """

    pages_shown = Signal(int)
    saved = Signal(str)
    printed = Signal()

    def __init__(
        self,
        pdf: Path,
        *,
        title: str,
        file_name: str,
        parent: QWidget | None = None,
        use_qtpdf: bool | None = None,
        database: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self._workdir = Path(tempfile.mkdtemp(prefix="carerounds-preview-"))
        # removed when the dialog is finished, destroyed unfinished (with its window) or at exit, whichever is first
        self._remove_workdir = weakref.finalize(self, shutil.rmtree, self._workdir, ignore_errors=True)
        self.destroyed.connect(self._remove_workdir)
        self.pdf = self._workdir / "document.pdf"
        shutil.copyfile(pdf, self.pdf)
        if pdf.parent.name.startswith(PREVIEW_PREFIX):  # made by preview_file(): ours to remove
            shutil.rmtree(pdf.parent, ignore_errors=True)
        self.file_name = file_name
        self.database = database  # never saved over (app.services.output_files)
        self.page_images: list[Path] = []  # only when shown as images (no QtPdf)
        self.page_count = 0
        self._use_qtpdf = qtpdf_available() if use_qtpdf is None else use_qtpdf
        self._document: Any = None

        self.status_label = QLabel(self.tr("Preparing the preview…"), self)
        self.status_label.setObjectName("previewStatus")
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setObjectName("printButton")
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.save_button = QPushButton(self.tr("&Save as PDF…"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.open_button = QPushButton(self.tr("&Open in PDF reader"), self)
        self.open_button.setObjectName("openButton")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_file)
        self.open_button.clicked.connect(self.open_externally)

        self.pages = QWidget(self)
        self.pages.setObjectName("previewPages")
        self._pages_layout = QVBoxLayout(self.pages)
        self._pages_layout.setSpacing(12)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setWidget(self.pages)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(buttons)
        self.resize(980, 760)
        self.print_button.setEnabled(False)
        for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda key=key: self._scroll_page(key))
        self.finished.connect(self._clean_up)
        self._load()

    # --- showing ------------------------------------------------------------------------------------------

    def _load(self) -> None:
        if self._use_qtpdf:
            self._load_qtpdf()
            return
        pdf, out = self.pdf, self._workdir / "preview"
        op = Op(self, lambda: render_pages(pdf, out, dpi=PREVIEW_DPI), pool=QThreadPool.globalInstance())
        op.success(self._show_images).failure(self._preview_failed).run()

    def _load_qtpdf(self) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self._document = QPdfDocument(self)
        if self._document.load(str(self.pdf)) != QPdfDocument.Error.None_:
            self._document = None
            self._preview_failed(PreviewUnavailable("raster.failed", reason=self.pdf.name))
            return
        view = QPdfView(self)
        view.setDocument(self._document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.scroll_area.setWidget(view)
        count = self._document.pageCount()
        self._pages_shown(count)

    def _show_images(self, images: list[Path]) -> None:
        self.page_images = images
        width = max(400, self.scroll_area.viewport().width() - 40)
        for number, image in enumerate(images, start=1):
            label = QLabel(self.pages)
            label.setObjectName(f"page-{number}")
            pixmap = QPixmap(str(image))
            smooth = Qt.TransformationMode.SmoothTransformation
            label.setPixmap(pixmap.scaledToWidth(min(width, pixmap.width()), smooth))
            label.setFrameShape(QLabel.Shape.Box)
            label.setAccessibleName(self.tr("Page {page} of {pages}").format(page=number, pages=len(images)))
            self._pages_layout.addWidget(label)
        self._pages_shown(len(images))

    def _pages_shown(self, count: int) -> None:
        self.page_count = count
        self.status_label.setText(
            self.tr("{pages} page(s). Print it, save it, or open it in a PDF reader.").format(pages=count)
        )
        self.print_button.setEnabled(True)
        self.print_button.setFocus()
        self.pages_shown.emit(count)

    def _preview_failed(self, error: BaseException) -> None:
        self.status_label.setText(str(error))
        self.print_button.setEnabled(False)
        self.pages_shown.emit(0)

    def _scroll_page(self, key: Qt.Key) -> None:
        bar = self.scroll_area.verticalScrollBar()
        step = bar.pageStep()
        bar.setValue(bar.value() + (step if key == Qt.Key.Key_PageDown else -step))

    # --- saving and printing ------------------------------------------------------------------------------

    @Slot()
    def choose_file(self) -> None:
        """Ask where to save the PDF, then copy it there."""
        dialog = QFileDialog(self, self.tr("Save as PDF"), self.file_name, self.tr("PDF files (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self.save_to)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot(str)
    def save_to(self, path: str) -> None:
        """Copy the PDF to ``path`` on a worker thread (atomically, 0600; a refusal is shown in a dialog)."""
        source, database = self.pdf, self.database
        op = Op(
            self,
            lambda: save_copy(source, Path(path), kind=OutputKind.PDF, database=database),
            pool=QThreadPool.globalInstance(),
        )
        op.success(lambda _: self._saved(path)).run()

    def _saved(self, path: str) -> None:
        self.status_label.setText(self.tr("Saved to {path}").format(path=path))
        self.saved.emit(path)

    @Slot()
    def open_externally(self) -> None:
        """Open the PDF in the system's PDF reader."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf)))

    @Slot()
    def choose_printer(self) -> None:
        """Ask for a printer with the system dialog, then print."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.finished.connect(dialog.deleteLater)
        QDialog.open(dialog)  # PySide6's QPrintDialog.open only takes (receiver, member); dialog.open() raised

    def print_to(self, printer: QPrinter) -> None:
        """Send every page to ``printer``: rendered by QtPdf, or as images made on a worker thread."""
        if self._document is not None:
            self._print_qtpdf(printer)
            return
        pdf, out = self.pdf, self._workdir / "print"
        self.status_label.setText(self.tr("Printing…"))
        Op(self, lambda: render_pages(pdf, out, dpi=PRINT_DPI), pool=QThreadPool.globalInstance()).with_progress(
            self.tr("Preparing the pages for the printer…")
        ).success(lambda images: self._paint(printer, [QImage(str(image)) for image in images])).run()

    def _print_qtpdf(self, printer: QPrinter) -> None:
        pdf = self.pdf
        self.status_label.setText(self.tr("Printing…"))
        Op(self, lambda: render_with_qtpdf(pdf, dpi=PRINT_DPI), pool=QThreadPool.globalInstance()).with_progress(
            self.tr("Preparing the pages for the printer…")
        ).success(lambda images: self._paint(printer, images)).run()

    def _paint(self, printer: QPrinter, images: list[QImage]) -> None:
        if not images:
            return
        first = images[0]
        orientation = (
            QPageLayout.Orientation.Landscape if first.width() > first.height() else QPageLayout.Orientation.Portrait
        )
        printer.setPageOrientation(orientation)
        printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, RuntimeError(self.tr("The printer cannot be used.")))
            return
        try:
            for index, image in enumerate(images):
                if index:
                    printer.newPage()
                target = QRectF(painter.viewport())
                scaled = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(target.topLeft(), scaled.toSizeF()), image)
        finally:
            painter.end()
        self.status_label.setText(self.tr("Sent to the printer."))
        self.printed.emit()

    def _clean_up(self) -> None:
        self._remove_workdir()


def render_with_qtpdf(pdf: Path, *, dpi: int) -> list[QImage]:
    """Render every page of ``pdf`` to an image with QtPdf (safe on a worker thread: nothing is shared)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    try:
        if document.load(str(pdf)) != QPdfDocument.Error.None_:
            raise PreviewUnavailable("raster.failed", reason=pdf.name)
        scale = dpi / 72
        return [
            document.render(page, (document.pagePointSize(page) * scale).toSize())
            for page in range(document.pageCount())
        ]
    finally:
        document.close()


def show_pdf_preview(
    parent: QWidget, pdf: Path, *, title: str, file_name: str, database: Path | None = None
) -> PdfPreviewDialog:
    """Open a (non-modal) preview of ``pdf`` over ``parent``'s window and return it.

    ``database``: the open database file, which "Save as" never writes over.
    """
    dialog = PdfPreviewDialog(pdf, title=title, file_name=file_name, parent=parent.window(), database=database)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def preview_file(name: str) -> Path:
    """Return a fresh temporary path for a PDF about to be previewed."""
    folder = Path(tempfile.mkdtemp(prefix=PREVIEW_PREFIX))
    return folder / name
