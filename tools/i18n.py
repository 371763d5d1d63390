"""Refresh and compile the user-interface catalogues in ``resources/i18n``.

Usage::

    python tools/i18n.py            # lupdate app/ui/**/*.py into the .ts files, then lrelease the .qm files
    python tools/i18n.py --check    # exit 1, listing them, if any translation is unfinished or empty

Source strings are English. ``carerounds_en.ts`` is filled in automatically (each translation equals
its source, marked finished); ``carerounds_zh_CN.ts`` is translated by hand (Qt Linguist or an editor:
write the ``<translation>`` text and remove ``type="unfinished"``), then this script is run again to
compile it. ``--check`` works on refreshed copies in a temporary directory and changes nothing, so a
``tr()`` string added to the code without a Chinese translation fails the check. It also reports
``.qm`` files that are missing or differ from a fresh compile of their ``.ts``.

The ``pyside6-lupdate`` and ``pyside6-lrelease`` executables are taken from the directory of the
running Python (the virtual environment's ``bin`` or ``Scripts``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "i18n"
CATALOGUE_NAME = "carerounds"
LANGUAGES = ("zh_CN", "en")
SOURCE_LANGUAGE = "en"
INACTIVE_TYPES = {"obsolete", "vanished"}


def ts_path(directory: Path, language: str) -> Path:
    """Return the ``.ts`` file of ``language`` in ``directory``."""
    return directory / f"{CATALOGUE_NAME}_{language}.ts"


def qt_tool(name: str) -> str:
    """Return the path of a PySide6 tool (``pyside6-lupdate``...) next to the running Python.

    Raises:
        SystemExit: the tool is not installed there.
    """
    bin_dir = Path(sys.executable).parent
    found = shutil.which(name, path=str(bin_dir))
    if found is None:
        raise SystemExit(f"{name} not found in {bin_dir}; install PySide6 in this environment")
    return found


def ui_sources() -> list[Path]:
    """Return every Python file under ``app/ui``, sorted."""
    return sorted((ROOT / "app" / "ui").rglob("*.py"))


def update_catalogues(ts_dir: Path) -> None:
    """Run lupdate over the UI sources into both ``.ts`` files, and fill in the English one.

    Args:
        ts_dir: where the ``.ts`` files are (created if missing).
    """
    ts_dir.mkdir(parents=True, exist_ok=True)
    sources = [str(path) for path in ui_sources()]
    for language in LANGUAGES:
        ts_file = ts_path(ts_dir, language)
        # No source locations: line numbers would change the .ts on every unrelated edit.
        subprocess.run(
            [
                qt_tool("pyside6-lupdate"),
                "-silent",
                "-no-obsolete",
                "-locations",
                "none",
                "-source-language",
                SOURCE_LANGUAGE,
                "-target-language",
                language,
                *sources,
                "-ts",
                str(ts_file),
            ],
            check=True,
        )
        if language == SOURCE_LANGUAGE:
            fill_with_sources(ts_file)
        else:
            apply_overlays(ts_dir, language, overlay_dir=TS_DIR)


def release_catalogues(ts_dir: Path, qm_dir: Path) -> None:
    """Compile both ``.ts`` files of ``ts_dir`` into ``.qm`` files in ``qm_dir``.

    Args:
        ts_dir: where the ``.ts`` files are.
        qm_dir: where the ``.qm`` files go.
    """
    for language in LANGUAGES:
        ts_file = ts_path(ts_dir, language)
        qm_file = qm_dir / ts_file.with_suffix(".qm").name
        subprocess.run(
            [qt_tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)],
            check=True,
        )


def active_messages(root: ET.Element) -> Iterator[tuple[str, ET.Element]]:
    """Yield ``(context name, message element)`` for every message still used by the code."""
    for context in root.iter("context"):
        name = context.findtext("name", default="")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in INACTIVE_TYPES:
                continue
            yield name, message


def fill_with_sources(ts_file: Path) -> None:
    """Make every translation in ``ts_file`` equal to its source text and mark it finished.

    Args:
        ts_file: the English catalogue.
    """
    tree = ET.parse(ts_file)
    for _, message in active_messages(tree.getroot()):
        source = message.findtext("source", default="")
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            forms = translation.findall("numerusform") or [ET.SubElement(translation, "numerusform")]
            # English has a singular and a plural form.
            while len(forms) < 2:
                forms.append(ET.SubElement(translation, "numerusform"))
            for form in forms:
                form.text = source
        else:
            translation.text = source
    write_ts(tree.getroot(), ts_file)


def overlay_files(ts_dir: Path, language: str) -> list[Path]:
    """Return the translation files ``<ts_dir>/<language>/*.json``, one per area of the UI."""
    return sorted((ts_dir / language).glob("*.json"))


def apply_overlays(ts_dir: Path, language: str, overlay_dir: Path | None = None) -> None:
    """Write the translations kept in JSON files into the ``.ts`` file of ``language``.

    Each area of the UI keeps its translations in its own file, ``resources/i18n/zh_CN/<area>.json``:
    ``{"Context": {"English source": "译文"}}``, so engineers working on different screens never edit
    the same file. A translation in a JSON file wins over one in the ``.ts``.
    """
    ts_file = ts_path(ts_dir, language)
    files = overlay_files(overlay_dir or ts_dir, language)
    if not files or not ts_file.exists():
        return
    table: dict[tuple[str, str], str] = {}
    for file in files:
        for context, messages in json.loads(file.read_text(encoding="utf-8")).items():
            for source, text in messages.items():
                table[(context, source)] = text
    tree = ET.parse(ts_file)
    for context, message in active_messages(tree.getroot()):
        text = table.get((context, message.findtext("source", default="")))
        if not text:
            continue
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            forms = translation.findall("numerusform") or [ET.SubElement(translation, "numerusform")]
            for form in forms:
                form.text = text
        else:
            translation.text = text
    write_ts(tree.getroot(), ts_file)


def write_ts(root: ET.Element, ts_file: Path) -> None:
    """Write a ``.ts`` document back with the declaration and doctype lupdate uses."""
    body = ET.tostring(root, encoding="unicode")
    ts_file.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")


def unfinished_messages(ts_file: Path) -> list[str]:
    """Return one line per unfinished or empty translation in ``ts_file``.

    Args:
        ts_file: a ``.ts`` catalogue.

    Returns:
        Lines like ``carerounds_zh_CN.ts: Op: "Cancel"``; empty if every message is translated.
    """
    problems = []
    for context, message in active_messages(ET.parse(ts_file).getroot()):
        translation = message.find("translation")
        if translation is None:
            texts: list[str | None] = [None]
        elif message.get("numerus") == "yes":
            texts = [form.text for form in translation.findall("numerusform")] or [None]
        else:
            texts = [translation.text]
        unfinished = translation is None or translation.get("type") == "unfinished"
        if unfinished or any(not text or not text.strip() for text in texts):
            source = message.findtext("source", default="").replace("\n", "\\n")
            problems.append(f'{ts_file.name}: {context}: "{source}"')
    return problems


def stale_qm_files(ts_dir: Path, scratch_dir: Path) -> list[str]:
    """Return one line per ``.qm`` file in ``ts_dir`` that is missing or not compiled from its ``.ts``.

    lrelease output is deterministic, so the committed ``.qm`` must equal a fresh compile.

    Args:
        ts_dir: where the ``.ts`` and ``.qm`` files are.
        scratch_dir: an empty directory for the fresh compile.
    """
    problems = []
    for language in LANGUAGES:
        ts_file = ts_path(ts_dir, language)
        qm_file = ts_file.with_suffix(".qm")
        if not ts_file.exists():
            problems.append(f"{ts_file.name}: missing; run tools/i18n.py")
            continue
        fresh = scratch_dir / qm_file.name
        subprocess.run(
            [qt_tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(fresh)],
            check=True,
        )
        if not qm_file.exists():
            problems.append(f"{qm_file.name}: missing; run tools/i18n.py")
        elif qm_file.read_bytes() != fresh.read_bytes():
            problems.append(f"{qm_file.name}: not compiled from the current {ts_file.name}; run tools/i18n.py")
    return problems


def check(ts_dir: Path) -> list[str]:
    """Return every problem with the catalogues in ``ts_dir``, without changing them.

    Args:
        ts_dir: where the ``.ts`` and ``.qm`` files are.

    Returns:
        Problem lines; empty if the catalogues are complete.
    """
    with tempfile.TemporaryDirectory(prefix="carerounds-i18n-") as scratch:
        scratch_dir = Path(scratch)
        problems = stale_qm_files(ts_dir, scratch_dir)
        for language in LANGUAGES:
            if ts_path(ts_dir, language).exists():
                shutil.copy2(ts_path(ts_dir, language), ts_path(scratch_dir, language))
        update_catalogues(scratch_dir)
        for language in LANGUAGES:
            refreshed = ts_path(scratch_dir, language)
            problems.extend(unfinished_messages(refreshed))
            committed = ts_path(ts_dir, language)
            if committed.exists() and committed.read_bytes() != refreshed.read_bytes():
                problems.append(f"{committed.name}: not refreshed from the code and the JSON files; run tools/i18n.py")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Refresh and compile the catalogues, or with ``--check`` report what is missing.

    Args:
        argv: command-line arguments without the program name.

    Returns:
        The exit code: 0 if all is well, 1 if ``--check`` found problems.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="report unfinished translations; change nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(TS_DIR)
        for line in problems:
            print(line)
        if problems:
            print(f"{len(problems)} translation problem(s)", file=sys.stderr)
            return 1
        print("translations complete")
        return 0
    update_catalogues(TS_DIR)
    release_catalogues(TS_DIR, TS_DIR)
    for language in LANGUAGES:
        remaining = unfinished_messages(ts_path(TS_DIR, language))
        for line in remaining:
            print(f"untranslated: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
