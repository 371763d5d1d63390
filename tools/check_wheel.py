"""Check that a built wheel holds exactly what the app needs at run time.

Usage::

    python tools/check_wheel.py dist/carerounds-*.whl

Expected: every ``app/**/*.py`` of the checkout; the migrations ``db/`` as ``app/_db`` (``env.py``,
``script.py.mako``, ``versions/*.py``); the compiled translations, icons and CJK font of ``resources/`` as
``app/_resources``; the font's licence in the wheel's ``.dist-info/licenses``. Nothing else under ``app/``
(no tests, no translation sources, no stale files of an old build). Exit 1 listing the differences.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUNTIME_FILES: tuple[tuple[str, str, str], ...] = (
    # (checkout folder, glob, folder in the wheel)
    ("app", "**/*.py", "app"),
    ("db", "env.py", "app/_db"),
    ("db", "script.py.mako", "app/_db"),
    ("db", "versions/*.py", "app/_db"),
    ("resources", "i18n/*.qm", "app/_resources"),
    ("resources", "icons/*.svg", "app/_resources"),
    ("resources", "fonts/*.ttc", "app/_resources"),
    ("resources", "fonts/*.LICENSE.txt", "app/_resources"),
)


def expected_files(root: Path = ROOT) -> set[str]:
    """Return the paths (in the wheel) of every file the installed app needs."""
    found: set[str] = set()
    for folder, pattern, target in RUNTIME_FILES:
        for path in (root / folder).glob(pattern):
            if path.is_file() and "__pycache__" not in path.parts:
                found.add(f"{target}/{path.relative_to(root / folder).as_posix()}")
    return found


def differences(names: Iterable[str], root: Path = ROOT) -> list[str]:
    """Return one line per missing or unexpected file of a wheel holding ``names``; empty if it is right."""
    names = set(names)
    shipped = {name for name in names if name.startswith("app/")}
    expected = expected_files(root)
    problems = [f"missing: {name}" for name in sorted(expected - shipped)]
    problems += [f"unexpected: {name}" for name in sorted(shipped - expected)]
    licences = [name for name in names if ".dist-info/licenses/" in name and name.endswith(".LICENSE.txt")]
    if not licences:
        problems.append("missing: the font licence in .dist-info/licenses")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("wheel", type=Path)
    args = parser.parse_args(argv)
    with zipfile.ZipFile(args.wheel) as wheel:
        names = wheel.namelist()
    problems = differences(names)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        return 1
    print(f"{args.wheel.name}: {len(expected_files())} files of the app, migrations and resources, nothing else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
