"""Light and dark window themes from qt-material, keeping the CJK-aware application font.

qt-material writes ``font-family`` and ``font-size`` into its stylesheet for every widget, which
would replace the font :func:`app.ui.shell.fonts.install_cjk_font` set; :func:`apply_theme` passes the
application font's family list and pixel size back in, so Chinese still renders and text keeps the
platform's size. The theme's recoloured icons go to the user cache directory, not ``~/.qt_material``.

Cost, measured on the 2-core development machine (offscreen, PySide6 6.12, qt-material 2.17,
warm disk cache): the first call takes 0.24-0.26 s, of which importing qt_material (with jinja2)
is about 0.09 s; switching theme afterwards takes about 0.11 s, most of it qt-material rewriting
its recoloured icon files. qt_material is imported inside :func:`apply_theme` only, so importing this
module costs nothing; theming before the first window adds about 0.25 s to its appearance, theming
just after it shows a visible restyle instead.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Literal

import platformdirs
from PySide6.QtCore import QDir
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

ThemeName = Literal["light", "dark"]

THEMES: dict[str, tuple[str, bool]] = {
    "light": ("light_teal.xml", True),
    "dark": ("dark_teal.xml", False),
}
"""Our theme name → (qt-material theme file, invert_secondary)."""


def apply_theme(app: QApplication, name: ThemeName | str) -> None:
    """Style the whole application with the ``light`` or ``dark`` theme.

    Call it after :func:`app.ui.shell.fonts.install_cjk_font`, so the stylesheet carries the CJK family.

    Args:
        app: the running application.
        name: ``"light"`` or ``"dark"`` (the ``theme`` setting).

    Raises:
        ValueError: the name is not a known theme.
    """
    try:
        theme_file, invert_secondary = THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; expected one of {tuple(THEMES)}") from None
    started = time.perf_counter()
    import qt_material  # ~0.1-0.35 s; off the path to the first window

    font = app.font()
    extra = {
        "font_family": ", ".join(_quoted(family) for family in font.families() or [font.family()]),
        "font_size": str(QFontInfo(font).pixelSize()),
        "density_scale": "0",
    }
    # qt-material appends its icon folder to the "icon:" search path on every call; start afresh so
    # the icons of the theme applied last are found first.
    QDir.setSearchPaths("icon", [])
    qt_material.apply_stylesheet(
        app,
        theme=theme_file,
        invert_secondary=invert_secondary,
        extra=extra,
        parent=str(_icon_dir(name)),
    )
    log.debug("applied theme %s in %.3f s", name, time.perf_counter() - started)


def _icon_dir(name: str) -> Path:
    return Path(platformdirs.user_cache_dir("CareRounds", appauthor=False)) / "qt-material" / name


def _quoted(family: str) -> str:
    escaped = family.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
