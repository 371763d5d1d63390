"""Render PDF pages to PNG images with poppler's ``pdftoppm``.

The preview uses Qt's own PDF module when the PySide6 add-ons are installed; without them it shows the
pages as images made here. Printing without QtPdf also sends these images to the printer.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.i18n import register

register(
    {
        "raster.unavailable": {
            "zh_CN": "无法预览：没有找到 PDF 渲染程序（pdftoppm）。可以保存 PDF 后用其他软件打开。",
            "en": "No preview: the PDF renderer (pdftoppm) was not found. Save the PDF and open it elsewhere.",
        },
        "raster.failed": {
            "zh_CN": "无法预览该 PDF：{reason}",
            "en": "This PDF cannot be previewed: {reason}",
        },
    }
)

TIMEOUT_S = 120


class PreviewUnavailable(DomainError):
    """The pages cannot be rendered on this machine."""


def renderer() -> str | None:
    """Return the path of ``pdftoppm``, or None if it is not installed."""
    return shutil.which("pdftoppm")


def render_pages(
    pdf: Path, out_dir: Path, *, dpi: int = 110, first: int | None = None, last: int | None = None
) -> list[Path]:
    """Render pages of ``pdf`` to ``out_dir/page-N.png``; return the images in page order.

    Raises:
        PreviewUnavailable: ``pdftoppm`` is missing or fails.
    """
    program = renderer()
    if program is None:
        raise PreviewUnavailable("raster.unavailable")
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [program, "-r", str(dpi), "-png"]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    command += [str(pdf), str(out_dir / "page")]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PreviewUnavailable("raster.failed", reason=str(error)) from None
    if result.returncode != 0:
        raise PreviewUnavailable("raster.failed", reason=result.stderr.strip() or f"exit {result.returncode}")
    return sorted(out_dir.glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
