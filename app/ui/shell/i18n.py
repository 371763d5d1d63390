"""Load the user interface language: Qt's own translations, ours, and the non-Qt catalogue.

Source strings in ``app/ui`` are English and go through ``tr()``; ``resources/i18n`` holds the
catalogues (``carerounds_<lang>.ts`` sources, compiled ``.qm``), refreshed by ``tools/i18n.py``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app import package_data
from app.domain import i18n as domain_i18n

log = logging.getLogger(__name__)

CATALOGUE_NAME = "carerounds"

_installed: list[QTranslator] = []

QT_CATALOGUE_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
"""Strings of Qt's own file dialog that Qt 6's ``qtbase_zh_CN.qm`` leaves in English (it translates them
without the ``&``); our catalogue, installed after Qt's and so asked first, carries them (issue 14 §7)."""


def resources_dir() -> Path:
    """Return the resources: package data ``app/_resources`` when installed or bundled, else the checkout's."""
    return package_data.resources_dir()


def translations_dir() -> Path:
    """Return the directory holding our compiled ``carerounds_<lang>.qm`` catalogues."""
    return resources_dir() / "i18n"


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Switch the whole user interface to ``language``.

    Removes translators installed by an earlier call, then installs Qt's own ``qtbase``
    translation (standard buttons, dialogs) and our catalogue, as far as they exist; sets the
    default ``QLocale`` so dates and numbers follow; and switches the non-Qt catalogue of
    :mod:`app.domain.i18n`. Widgets already built must retranslate themselves on
    ``QEvent.LanguageChange``.

    Args:
        app: the running application.
        language: ``"zh_CN"`` or ``"en"``.

    Returns:
        The translators now installed (possibly none, e.g. English without catalogues).

    Raises:
        ValueError: the language is not supported.
    """
    domain_i18n.set_language(language)
    for translator in _installed:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()

    locale = QLocale(language)
    QLocale.setDefault(locale)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [(f"qtbase_{language}", qt_dir), (f"{CATALOGUE_NAME}_{language}", str(translations_dir()))]
    for name, directory in candidates:
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            _installed.append(translator)
        elif language != "en":
            log.warning("translation %s not found in %s", name, directory)
    return list(_installed)
