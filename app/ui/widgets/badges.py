"""Show a triage colour the way it must always be shown: symbol, word and colour together.

The colours of :class:`~app.domain.colours.TriageColour` are dark enough for white paper and the
light theme; on the dark theme they are lightened so the text stays readable.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QFontInfo
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.colours import TriageColour

THEME_PROPERTY = "carerounds_theme"
"""Dynamic property of the QApplication naming the theme applied last ("light" or "dark")."""


def dark_theme() -> bool:
    """Return whether the dark theme is the one applied."""
    app = QCoreApplication.instance()
    return app is not None and app.property(THEME_PROPERTY) == "dark"


def colour_rgb(colour: TriageColour, *, dark: bool | None = None) -> str:
    """Return the ``#rrggbb`` text colour for ``colour`` on the current (or the given) theme."""
    dark = dark_theme() if dark is None else dark
    if not dark:
        return colour.rgb
    return QColor(colour.rgb).lighter(175).name()


def colour_qcolor(colour: TriageColour, *, dark: bool | None = None) -> QColor:
    """Return :func:`colour_rgb` as a QColor."""
    return QColor(colour_rgb(colour, dark=dark))


def badge_html(colour: TriageColour, count: int | None = None, *, dark: bool | None = None) -> str:
    """Return rich text "● 红 42": symbol and word in the colour, then the number (if given)."""
    import html  # not needed for the first window

    # The symbols are small in most CJK fonts: draw them a little larger than the word.
    symbol_px = round(QFontInfo(QApplication.font()).pixelSize() * 1.25)
    badge = (
        f'<span style="color:{colour_rgb(colour, dark=dark)}">'
        f'<span style="font-size:{symbol_px}px">{html.escape(colour.symbol)}</span> {html.escape(colour.word)}</span>'
    )
    return badge if count is None else f"{badge}&nbsp;<b>{count}</b>"


def set_text_scale(widget: QWidget, scale: float, *, bold: bool = True) -> None:
    """Make ``widget``'s text ``scale`` times the application's size, bold by default.

    Done with the widget's own style sheet, because the theme's style sheet sets one pixel size for
    every widget and so overrides a font set with ``setFont``.
    """
    base = QFontInfo(QApplication.font()).pixelSize()
    weight = "bold" if bold else "normal"
    widget.setStyleSheet(f"font-size: {max(1, round(base * scale))}px; font-weight: {weight};")
