"""Make Chinese text render on every OS by putting a CJK family behind the platform's UI font.

Qt's own fallback finds some CJK font on most systems, but which one (and whether it looks right
next to Latin text) depends on the OS and its settings, and a bare Linux or a frozen bundle may
find none. :func:`install_cjk_font` picks a known good Simplified Chinese family, registering a
font file from disk if needed, and sets the application font to ``[ui_family, cjk_family]``:
Latin text keeps the platform font, Chinese characters come from the CJK family.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from app.package_data import bundled_font

log = logging.getLogger(__name__)

WINDOWS_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "DengXian", "SimHei", "SimSun")
MACOS_FAMILIES = ("PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti")
LINUX_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)

FONT_FILES: tuple[Path, ...] = (
    bundled_font(),  # shipped with the app (resources/fonts): always there, in a bundle too
    Path(r"C:\Windows\Fonts\msyh.ttc"),
    Path(r"C:\Windows\Fonts\simhei.ttf"),
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/STHeiti Light.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
"""Font files tried, in order, when no preferred family is registered with the system: ours first."""


def preferred_families(platform: str | None = None) -> tuple[str, ...]:
    """Return CJK family names to look for, best first: this OS's own, then the others.

    Args:
        platform: a ``sys.platform`` value; the running one by default.

    Returns:
        Family names, without duplicates.
    """
    platform = sys.platform if platform is None else platform
    ordered: tuple[tuple[str, ...], ...]
    if platform.startswith("win"):
        ordered = (WINDOWS_FAMILIES, LINUX_FAMILIES, MACOS_FAMILIES)
    elif platform == "darwin":
        ordered = (MACOS_FAMILIES, LINUX_FAMILIES, WINDOWS_FAMILIES)
    else:
        ordered = (LINUX_FAMILIES, WINDOWS_FAMILIES, MACOS_FAMILIES)
    return tuple(dict.fromkeys(name for group in ordered for name in group))


def find_cjk_family(preferred: Sequence[str] | None = None, font_files: Iterable[Path] | None = None) -> str | None:
    """Return an installed Simplified Chinese family, registering a font file if none is installed.

    Looks for the first of ``preferred`` that the font database knows; else adds the first readable
    file of ``font_files`` to the application fonts; else takes any family that supports Simplified
    Chinese. Needs a ``QGuiApplication``.

    Args:
        preferred: family names to look for, best first; :func:`preferred_families` by default.
        font_files: font files to try; :data:`FONT_FILES` by default.

    Returns:
        The family name, or ``None`` if no Chinese font can be found.
    """
    preferred = preferred_families() if preferred is None else preferred
    font_files = FONT_FILES if font_files is None else font_files
    known = {name.casefold(): name for name in QFontDatabase.families()}
    for name in preferred:
        if name.casefold() in known:
            return known[name.casefold()]
    for path in font_files:
        family = _register_font_file(path, preferred)
        if family is not None:
            return family
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return chinese[0] if chinese else None


def install_cjk_font(
    app: QApplication, *, preferred: Sequence[str] | None = None, font_files: Iterable[Path] | None = None
) -> str | None:
    """Set the application font to the platform UI font backed by a CJK family for Chinese text.

    The point size stays as it was. Call it once, after the ``QApplication`` exists and before the
    first window is built.

    Args:
        app: the running application.
        preferred: as for :func:`find_cjk_family`.
        font_files: as for :func:`find_cjk_family`.

    Returns:
        The CJK family used, or ``None`` (with a logged warning) if there is none.
    """
    cjk_family = find_cjk_family(preferred, font_files)
    if cjk_family is None:
        log.warning("no font with Simplified Chinese glyphs found; Chinese text may show as boxes")
        return None
    font = app.font()
    ui_family = font.family()
    families = [ui_family] if ui_family and ui_family != cjk_family else []
    font.setFamilies([*families, cjk_family])
    app.setFont(font)
    log.debug("application font families: %s", font.families())
    return cjk_family


def _register_font_file(path: Path, preferred: Sequence[str]) -> str | None:
    if not path.is_file():
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("could not load font file %s", path)
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    by_name = {name.casefold(): name for name in families}
    for name in preferred:
        if name.casefold() in by_name:
            return by_name[name.casefold()]
    # A collection may hold a monospaced face too (WenQuanYi Micro Hei Mono); prefer the UI face.
    return min(families, key=lambda name: "mono" in name.casefold())
