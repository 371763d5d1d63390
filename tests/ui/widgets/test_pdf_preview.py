"""The PDF preview (app.ui.widgets.pdf_preview): pages shown with QtPdf or as images, printed, saved."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from app.printing.fonts import pdf_font
from app.ui.widgets.pdf_preview import PdfPreviewDialog, qtpdf_available, render_with_qtpdf

WAIT_MS = 20_000

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def make_pdf(path: Path, pages: int) -> Path:
    """Write a landscape A4 PDF of ``pages`` pages with Chinese text on each."""
    document = canvas.Canvas(str(path), pagesize=landscape(A4))
    for number in range(1, pages + 1):
        document.setFont(pdf_font().name, 20)
        document.drawString(72, 480, f"巡诊单 第 {number} 页 / 共 {pages} 页")
        document.showPage()
    document.save()
    return path


@pytest.mark.skipif(not qtpdf_available(), reason="QtPdf (PySide6-Addons) is not installed")
def test_qtpdf_shows_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(make_pdf(tmp_path / "a.pdf", 3), title="预览", file_name="a.pdf", use_qtpdf=True)
    qtbot.addWidget(dialog)
    assert dialog.page_count == 3 and not dialog.page_images  # shown by QPdfView, not as images
    assert dialog.print_button.isEnabled()
    assert "3" in dialog.status_label.text()


@pytest.mark.skipif(not qtpdf_available(), reason="QtPdf (PySide6-Addons) is not installed")
def test_qtpdf_renders_pages_for_the_printer_off_the_gui_thread(tmp_path: Path) -> None:
    images = render_with_qtpdf(make_pdf(tmp_path / "b.pdf", 2), dpi=50)
    assert len(images) == 2
    assert all(image.width() > image.height() > 0 for image in images)  # landscape kept


@pytest.mark.parametrize("use_qtpdf", [True, False])
def test_printing_sends_every_page(qtbot: QtBot, tmp_path: Path, use_qtpdf: bool) -> None:
    if use_qtpdf and not qtpdf_available():
        pytest.skip("QtPdf (PySide6-Addons) is not installed")
    dialog = PdfPreviewDialog(make_pdf(tmp_path / "c.pdf", 2), title="预览", file_name="c.pdf", use_qtpdf=use_qtpdf)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.print_button.isEnabled, timeout=WAIT_MS)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=WAIT_MS):
        dialog.print_to(printer)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert printed.count(b"/Type /Page\n") + printed.count(b"/Type /Page ") + printed.count(b"/Type/Page") >= 2


def test_the_print_button_asks_for_a_printer_then_prints(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QPrintDialog.open() takes (receiver, member) in PySide6: calling it bare raised TypeError (found by mypy)
    dialog = PdfPreviewDialog(make_pdf(tmp_path / "p.pdf", 1), title="预览", file_name="p.pdf")
    qtbot.addWidget(dialog)
    printers: list[QPrinter] = []
    monkeypatch.setattr(dialog, "print_to", printers.append)
    dialog.choose_printer()
    chooser = dialog.findChild(QPrintDialog)
    assert chooser is not None and chooser.isVisible()
    assert chooser.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec(): nothing blocks
    chooser.done(QDialog.DialogCode.Accepted)
    assert [printer.docName() for printer in printers] == ["预览"]


@pytest.mark.parametrize("use_qtpdf", [True, False])
def test_a_broken_file_is_reported_not_shown(qtbot: QtBot, tmp_path: Path, use_qtpdf: bool) -> None:
    if use_qtpdf and not qtpdf_available():
        pytest.skip("QtPdf (PySide6-Addons) is not installed")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not a PDF")
    dialog = PdfPreviewDialog(broken, title="预览", file_name="broken.pdf", use_qtpdf=use_qtpdf)
    qtbot.addWidget(dialog)
    preparing = dialog.tr("Preparing the preview…")
    qtbot.waitUntil(lambda: dialog.status_label.text() != preparing, timeout=WAIT_MS)
    assert not dialog.print_button.isEnabled()
    assert "PDF" in dialog.status_label.text()


def test_save_copies_the_document(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(make_pdf(tmp_path / "d.pdf", 1), title="预览", file_name="d.pdf")
    qtbot.addWidget(dialog)
    target = tmp_path / "saved.pdf"
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_to(str(target))
    assert target.read_bytes() == (tmp_path / "d.pdf").read_bytes()


def test_save_never_writes_over_the_database_or_another_file(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 §3: "Save as PDF" onto the open database, another database or a non-PDF is refused in a dialog."""
    from PySide6.QtWidgets import QMessageBox

    from app.domain.i18n import set_language

    set_language("en")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: shown.append(text))
    database = tmp_path / "center.sqlite"
    database.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    other = tmp_path / "other.pdf"
    other.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    letter = tmp_path / "letter.pdf"
    letter.write_text("a letter", encoding="utf-8")
    dialog = PdfPreviewDialog(make_pdf(tmp_path / "e.pdf", 1), title="预览", file_name="e.pdf", database=database)
    qtbot.addWidget(dialog)
    for target in (database, other, letter):
        before = target.read_bytes()
        dialog.save_to(str(target))
        qtbot.waitUntil(lambda target=target: any(str(target) in text for text in shown), timeout=WAIT_MS)
        assert target.read_bytes() == before
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_to(str(tmp_path / "e-copy.pdf"))
    assert (tmp_path / "e-copy.pdf").read_bytes() == (tmp_path / "e.pdf").read_bytes()


@pytest.mark.parametrize("how", ["closed", "window destroyed", "never shown"])
def test_the_working_folder_goes_with_the_dialog(qtbot: QtBot, tmp_path: Path, how: str) -> None:
    window = QWidget()
    dialog = PdfPreviewDialog(make_pdf(tmp_path / "e.pdf", 1), title="预览", file_name="e.pdf", parent=window)
    workdir = dialog.pdf.parent
    assert workdir.is_dir() and workdir.name.startswith("carerounds-preview-")
    if how == "closed":
        qtbot.addWidget(window)
        dialog.show()
        dialog.close()
    elif how == "window destroyed":  # the application quit with the preview open
        dialog.show()
        shiboken6.delete(window)
    else:
        qtbot.addWidget(window)
        del dialog
        shiboken6.delete(window)
    qtbot.waitUntil(lambda: not workdir.exists(), timeout=WAIT_MS)
