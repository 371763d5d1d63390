"""Icons from ``resources/icons``."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.ui.shell.i18n import resources_dir


def icon(name: str) -> QIcon:
    """Return the icon ``resources/icons/<name>.svg``."""
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))
