"""Packaging: the migrations, resources and CJK font ship inside the package and are found there.

The full check (build the wheel, install it in a fresh venv outside the checkout, run the app) is
``tools/smoke_install.sh``, a CI step; these tests check the pieces it relies on, quickly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from app import package_data
from app.printing import fonts as pdf_fonts
from app.store import migrations
from app.store.database import open_database
from tools.check_wheel import differences, expected_files

ROOT = Path(__file__).resolve().parents[1]


def setuptools_config() -> Any:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_under_app_is_listed_in_pyproject() -> None:
    """A new sub-package left out of ``[tool.setuptools] packages`` would be missing from the wheel."""
    listed = {name for name in setuptools_config()["packages"] if not name.startswith("app._")}
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "app").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert listed == on_disk


def test_package_data_is_every_runtime_file_of_db_and_resources() -> None:
    """pyproject's package-dir/package-data give exactly the files tools/check_wheel.py expects in the wheel."""
    config = setuptools_config()
    mapped: dict[str, str] = config["package-dir"]
    patterns: dict[str, list[str]] = config["package-data"]
    shipped: set[str] = set()
    for package in config["packages"]:
        prefix = next((name for name in mapped if package == name or package.startswith(f"{name}.")), None)
        if prefix is None:
            continue
        source = ROOT / mapped[prefix] / package[len(prefix) :].lstrip(".").replace(".", "/")
        target = package.replace(".", "/")
        for pattern in ["*.py", *patterns.get(package, [])]:
            shipped |= {f"{target}/{path.name}" for path in source.glob(pattern) if path.is_file()}
    assert shipped == {name for name in expected_files() if name.startswith(("app/_db/", "app/_resources/"))}
    assert "app/_db/env.py" in shipped and "app/_resources/fonts/wqy-microhei.ttc" in shipped


def test_the_wheel_check_reports_a_wheel_without_migrations_or_resources() -> None:
    """The wheel CI built before: only ``app``, no ``app/_db``, no ``app/_resources``."""
    code_only = [name for name in expected_files() if not name.startswith(("app/_db/", "app/_resources/"))]
    problems = differences([*code_only, "carerounds-0.1.0.dist-info/METADATA"])
    assert "missing: app/_db/env.py" in problems
    assert "missing: app/_resources/i18n/carerounds_zh_CN.qm" in problems
    assert differences([*expected_files(), "app/tests/stale.py", "x.dist-info/licenses/f.LICENSE.txt"]) == [
        "unexpected: app/tests/stale.py"
    ]


def test_in_the_checkout_the_top_level_folders_are_used() -> None:
    assert package_data.migrations_dir() == ROOT / "db"
    assert package_data.resources_dir() == ROOT / "resources"
    assert migrations.migrations_dir() == ROOT / "db"
    assert package_data.bundled_font().is_file()


def installed_layout(site: Path) -> None:
    """Lay out ``app`` as a wheel installs it: the migrations and resources inside, no top-level folders."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "app", site / "app", ignore=ignore)
    shutil.copytree(ROOT / "db", site / "app" / "_db", ignore=ignore)
    shutil.copytree(ROOT / "resources", site / "app" / "_resources", ignore=ignore)


@pytest.mark.slow
def test_an_installed_app_creates_a_database_and_finds_its_font_from_another_folder(tmp_path: Path) -> None:
    """Regression: ``pip install .`` gave an app whose ``demo`` failed in Alembic (no ``db/`` beside ``app``)."""
    site, elsewhere = tmp_path / "site-packages", tmp_path / "elsewhere"
    installed_layout(site)
    elsewhere.mkdir()
    code = (
        "from pathlib import Path\n"
        "from app import package_data\n"
        "from app.store.database import open_database\n"
        "from app.printing.fonts import pdf_font\n"
        "database, report = open_database(Path('center.sqlite'))\n"
        "database.close()\n"
        "print(report.created, package_data.migrations_dir(), pdf_font().path, sep='\\n')\n"
    )
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CARE_PDF_FONT")}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    created, migrations_folder, font = result.stdout.splitlines()
    assert created == "True"
    assert Path(migrations_folder) == site / "app" / "_db"
    assert Path(font) == site / "app" / "_resources" / "fonts" / "wqy-microhei.ttc", "the bundled font comes first"


def test_missing_migrations_are_a_clear_error_not_an_alembic_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "not-installed"
    empty.mkdir()
    monkeypatch.setattr(package_data, "migrations_dir", lambda: empty)
    with pytest.raises(migrations.MigrationsMissing) as raised:
        open_database(tmp_path / "center.sqlite")
    assert str(empty) in str(raised.value)


def test_the_pdf_font_is_the_bundled_one_before_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pdf_fonts.ENV_FONT, raising=False)
    candidates = pdf_fonts._candidates()
    assert candidates[0] == (str(package_data.bundled_font()), 0)
    assert candidates[1:] == list(pdf_fonts.FONT_FILES)
    monkeypatch.setenv(pdf_fonts.ENV_FONT, "/chosen/by/the/user.ttf")
    assert pdf_fonts._candidates()[:2] == [("/chosen/by/the/user.ttf", 0), (str(package_data.bundled_font()), 0)]


def test_the_bundled_font_has_what_pdfs_need() -> None:
    chosen = pdf_fonts.choose_font([(str(package_data.bundled_font()), 0)])
    assert chosen.embedded and chosen.path == package_data.bundled_font()
    licence = package_data.bundled_font().with_name("wqy-microhei.LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "WenQuanYi" in licence


def test_the_bundle_keeps_qts_chinese_and_english_translations_only() -> None:
    """Issue 14 §7: Qt's own dialogs need qtbase_zh_CN.qm in the bundle; other languages are dropped."""
    import re

    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    found = re.search(r'UNUSED_QT = re\.compile\(\s*r"""(.*?)"""\s*\)', spec, re.DOTALL)
    assert found is not None
    unused = re.compile(found.group(1))
    folder = "PySide6/Qt/translations/"
    assert not unused.search(folder + "qtbase_zh_CN.qm") and not unused.search(folder + "qtbase_en.qm")
    assert unused.search(folder + "qtbase_de.qm") and unused.search(folder + "qtmultimedia_zh_CN.qm")


def _spec_value(name: str) -> Any:
    """Return the value of ``name = <literal or re.compile(...)>`` at build.spec's top level (no PyInstaller needed)."""
    import ast
    import re

    spec = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    for node in spec.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return eval(compile(ast.Expression(node.value), "build.spec", "eval"), {"re": re})
    raise LookupError(name)


def _spec_excludes() -> list[str]:
    import ast

    spec = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    for node in ast.walk(spec):
        if isinstance(node, ast.keyword) and node.arg == "excludes":
            return list(ast.literal_eval(node.value))
    raise LookupError("excludes")


def test_the_bundle_keeps_every_qt_module_the_app_imports() -> None:
    """The bundle dropped libQt6Charts (UNUSED_QT) while the Reports page imports QtCharts: it failed there."""
    import re

    imported = {
        module
        for path in (ROOT / "app").rglob("*.py")
        for module in re.findall(r"^\s*(?:from|import) PySide6\.(Qt\w+)", path.read_text(encoding="utf-8"), re.M)
    }
    assert {"QtCore", "QtWidgets", "QtCharts", "QtPdf"} <= imported
    unused, excluded = _spec_value("UNUSED_QT"), _spec_excludes()
    for module in sorted(imported):
        library = "Qt6" + module.removeprefix("Qt")
        for path in (f"PySide6/Qt/lib/lib{library}.so.6", f"PySide6/{library}.dll"):
            assert not unused.search(path), f"build.spec drops {path}, but the app imports PySide6.{module}"
        assert f"PySide6.{module}" not in excluded, f"build.spec excludes PySide6.{module}, which the app imports"


def test_the_bundle_names_psycopg_its_binary_implementation_and_the_postgresql_dialect() -> None:
    """Issue 20: --db postgresql://… in the shipped app (tools/smoke_bundle.sh creates a center on a server)."""
    postgresql = _spec_value("POSTGRESQL")
    for module in ("psycopg", "psycopg_binary", "psycopg_binary.pq", "sqlalchemy.dialects.postgresql.psycopg"):
        assert module in postgresql
    assert "+ POSTGRESQL" in (ROOT / "build.spec").read_text(encoding="utf-8")  # among the hidden imports
    assert "psycopg" not in _spec_excludes()
