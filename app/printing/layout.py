"""What every printed document shares: the font, text styles, page numbers, wrapping, colour badges.

Page numbers read "第 x 页 / 共 y 页" ("Page x of y"): the canvas keeps each finished page until the
document ends, then writes the numbers, so the total is known without laying the document out twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable

from app.domain.colours import TriageColour
from app.domain.i18n import register, t
from app.printing.fonts import pdf_font

register(
    {
        "print.page": {"zh_CN": "第 {page} 页 / 共 {pages} 页", "en": "Page {page} of {pages}"},
        "print.printed_on": {"zh_CN": "打印时间：{moment}", "en": "Printed {moment}"},
        "print.separator": {"zh_CN": "、", "en": ", "},
        "print.ellipsis": {"zh_CN": "…", "en": "…"},
    }
)

GREY = colors.Color(0.85, 0.85, 0.85)
LIGHT_GREY = colors.Color(0.94, 0.94, 0.94)
INK = colors.black

COLOUR_INK = {
    TriageColour.RED: colors.HexColor(TriageColour.RED.rgb),
    TriageColour.YELLOW: colors.HexColor("#8a6500"),  # darker than the screen's, so it stays legible on paper
    TriageColour.GREEN: colors.HexColor(TriageColour.GREEN.rgb),
}
"""Text colours of the colour badges; dark enough to read in grayscale, where the symbol and word decide."""


def font_name() -> str:
    return pdf_font().name


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of a document in the CJK font."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle


def styles(*, cell_size: float = 8.5) -> Styles:
    """Return the paragraph styles (CJK line breaking, the registered font)."""
    name = font_name()

    def style(label: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(label, fontName=name, fontSize=size, leading=leading, wordWrap="CJK", **extra)

    return Styles(
        title=style("title", 16, 20, alignment=1, spaceAfter=2),
        heading=style("heading", 11.5, 15, spaceBefore=8, spaceAfter=4),
        body=style("body", 9.5, 12.5),
        small=style("small", 7.5, 9.5),
        cell=style("cell", cell_size, cell_size * 1.25),
    )


def numbered_canvas(draw_page: Callable[[canvas.Canvas, int, int], None]) -> type[canvas.Canvas]:
    """Return a canvas class that calls ``draw_page(canvas, page, pages)`` on every page at the end.

    Use it as ``doc.build(story, canvasmaker=numbered_canvas(draw))``: ``draw`` writes what needs the page
    total (the page number, and anything else repeated on each page).
    """

    class NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font_name()  # no stray Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_page(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def page_label(page: int, pages: int) -> str:
    """Return "第 x 页 / 共 y 页" in the current language."""
    return t("print.page", page=page, pages=pages)


def badge(colour: TriageColour) -> str:
    """Return the colour as printed: symbol and word, e.g. ``● 红``."""
    return colour.badge


class ColourBadge(Flowable):  # type: ignore[misc]
    """A colour in a table cell: its symbol drawn larger than the word, both in the colour's ink.

    Most CJK fonts draw ● ▲ ○ small next to a character; at 1.5 times the word's size the three shapes
    tell the colours apart on a black-and-white print too.
    """

    def __init__(self, colour: TriageColour, size: float = 9.0) -> None:
        super().__init__()
        self.colour = colour
        self.size = size
        self.width = size * 3.2
        self.height = size * 1.2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Shrink to the cell when the word is long (English "Yellow" in a narrow column).
        font = font_name()
        natural = self._natural_width(font, self.size)
        if available_width > 0 and natural > available_width:
            self.size = max(5.0, self.size * available_width / natural)
        self.width = min(available_width, self._natural_width(font, self.size)) if available_width > 0 else natural
        self.height = self.size * 1.2
        return self.width, self.height

    def _natural_width(self, font: str, size: float) -> float:
        return _width(self.colour.symbol, font, size * 1.5) + size * 0.3 + _width(self.colour.word, font, size)

    def draw(self) -> None:
        canvas = self.canv
        font = font_name()
        canvas.setFillColor(COLOUR_INK[self.colour])
        symbol_size = self.size * 1.5
        canvas.setFont(font, symbol_size)
        canvas.drawString(0, -self.size * 0.05, self.colour.symbol)
        gap = _width(self.colour.symbol, font, symbol_size) + self.size * 0.3
        canvas.setFont(font, self.size)
        canvas.drawString(gap, 0, self.colour.word)


# --- wrapping --------------------------------------------------------------------------------------------------

_TOKENS = re.compile(r"[A-Za-z0-9.,:;/%°()+\-–'’]+\s*|\s+|.", re.DOTALL)


@lru_cache(maxsize=8192)
def _width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def wrap(text: str, width: float, *, size: float, max_lines: int, font: str | None = None) -> str:
    """Break ``text`` into lines no wider than ``width`` points; cut with "…" after ``max_lines``.

    Chinese breaks between any two characters, other text between words. Explicit newlines are kept.

    Returns:
        The lines joined with newlines (a reportlab table cell shows them as they are).
    """
    name = font or font_name()
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        line_width = 0.0
        for token in _TOKENS.findall(paragraph):
            token_width = _width(token, name, size)
            if line and line_width + token_width > width:
                lines.append(line.rstrip())
                token = token.lstrip()
                token_width = _width(token, name, size)
                line, line_width = "", 0.0
            while token_width > width and len(token) > 1:  # a word longer than the line: split it
                cut = len(token)
                while cut > 1 and _width(token[:cut], name, size) > width:
                    cut -= 1
                lines.append(token[:cut])
                token = token[cut:]
                token_width = _width(token, name, size)
            line += token
            line_width += token_width
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        ellipsis = t("print.ellipsis")
        while last and _width(last + ellipsis, name, size) > width:
            last = last[:-1]
        kept[-1] = last + ellipsis
        lines = kept
    return "\n".join(lines)
