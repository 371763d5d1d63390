"""The CJK font of printed documents: an embedded TrueType font, else reportlab's CID font.

The font shipped with the app (``resources/fonts``, see :func:`app.package_data.bundled_font`) is tried
first, so documents look the same on every computer; then the system fonts of :data:`FONT_FILES`.

reportlab embeds (a subset of) TrueType fonts, including one face of a ``.ttc`` collection, but cannot
use OpenType fonts with CFF outlines (PingFang, Source Han/Noto CJK ``.otf``/``.ttc``); those are skipped.
When no usable file is found, the built-in CID font ``STSong-Light`` is used: not embedded, but
CID-encoded with a standard Chinese character collection, so readers show it with their own font.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.package_data import bundled_font

log = logging.getLogger(__name__)

FONT_NAME = "CareRoundsCJK"
CID_FALLBACK = "STSong-Light"
ENV_FONT = "CARE_PDF_FONT"
"""Environment variable naming a font file to use before the usual places (for installs and tests)."""

FONT_FILES: tuple[tuple[str, int], ...] = (
    # (path, face index in a collection)
    (r"C:\Windows\Fonts\msyh.ttc", 0),
    (r"C:\Windows\Fonts\simhei.ttf", 0),
    (r"C:\Windows\Fonts\simsun.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
"""System TrueType CJK fonts tried in order after the bundled one (the first that exists and loads wins)."""

REQUIRED = "红黄绿●▲○巡诊单第页共"
"""Characters the font must have: the colour words and symbols, and the page numbering."""


@dataclass(frozen=True)
class PdfFont:
    """The font documents use.

    Attributes:
        name: the reportlab font name to set.
        path: the embedded font file, or None for the CID font.
    """

    name: str
    path: Path | None

    @property
    def embedded(self) -> bool:
        return self.path is not None


_chosen: PdfFont | None = None


def pdf_font() -> PdfFont:
    """Return the CJK font for documents, registering it with reportlab on first use."""
    global _chosen
    if _chosen is None:
        _chosen = choose_font(_candidates())
    return _chosen


def _candidates() -> list[tuple[str, int]]:
    """Return the font files to try: ``CARE_PDF_FONT``, then the bundled font, then the system fonts."""
    override = os.environ.get(ENV_FONT)
    return [*([(override, 0)] if override else []), (str(bundled_font()), 0), *FONT_FILES]


def choose_font(candidates: Iterable[tuple[str, int]]) -> PdfFont:
    """Register the first usable TrueType font of ``candidates``, else the CID font, and return it."""
    for path_text, index in candidates:
        path = Path(path_text)
        if not path.is_file():
            continue
        try:
            font = TTFont(FONT_NAME, str(path), subfontIndex=index)
        except (TTFError, OSError, ValueError) as error:  # CFF outlines, damaged files
            log.info("font %s not usable for PDFs: %s", path, error)
            continue
        if not all(ord(char) in font.face.charToGlyph for char in REQUIRED):
            log.info("font %s lacks some characters PDFs need", path)
            continue
        pdfmetrics.registerFont(font)
        return PdfFont(FONT_NAME, path)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    log.info("no TrueType CJK font found; PDFs use the CID font %s (not embedded)", CID_FALLBACK)
    return PdfFont(CID_FALLBACK, None)
