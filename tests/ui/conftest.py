"""Fixtures shared by the UI tests: English catalogues, and widgets released only once the database is idle."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from widget_lifetime import settle

from app.ui.i18n import install_translators


@pytest.fixture(autouse=True)
def _settled() -> Iterator[None]:
    """After each test, let the database thread finish before the test's widgets are released."""
    yield
    settle()


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """Show the UI in English during the test, and leave it in English for the next one."""
    install_translators(qapp, "en")
    yield
    install_translators(qapp, "en")
