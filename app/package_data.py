"""Where the files that ship with the code are: the Alembic migrations and the resources.

In the repository they are the top-level folders ``db/`` (migrations) and ``resources/`` (translations,
icons, the PDF font). Installed, they are package data inside ``app``:

- a wheel (``pip install .``) maps them to ``app/_db`` and ``app/_resources`` (pyproject's
  ``[tool.setuptools] package-dir``);
- the desktop bundle puts them at the same places (``build.spec``'s ``datas``).

Both are found through :func:`importlib.resources.files` of the ``app`` package. A source checkout (run
from the repository, or an editable install) has no ``app/_db``: there the top-level folders next to
``app`` are used. Standard library only: the GUI's launcher imports this before anything heavy.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

DataFolder = Literal["db", "resources"]


def package_root() -> Path:
    """Return the folder of the ``app`` package on disk."""
    return Path(str(files("app")))


def data_dir(name: DataFolder) -> Path:
    """Return the folder ``db`` or ``resources``: installed package data, else the source checkout's folder.

    Args:
        name: ``"db"`` (the Alembic migrations) or ``"resources"``.

    Returns:
        ``app/_<name>`` when it exists (wheel, desktop bundle), else ``<checkout>/<name>``.
    """
    root = package_root()
    installed = root / f"_{name}"
    if installed.is_dir():
        return installed
    return root.parent / name


def migrations_dir() -> Path:
    """Return the Alembic script folder (``env.py``, ``versions/``)."""
    return data_dir("db")


def resources_dir() -> Path:
    """Return the resources folder (``i18n/``, ``icons/``, ``fonts/``)."""
    return data_dir("resources")


BUNDLED_FONT_FILE = "wqy-microhei.ttc"
"""The CJK font shipped in ``resources/fonts`` (WenQuanYi Micro Hei, Apache-2.0; licence beside it)."""


def bundled_font() -> Path:
    """Return the CJK TrueType collection shipped with the app (face 0: WenQuanYi Micro Hei)."""
    return resources_dir() / "fonts" / BUNDLED_FONT_FILE
