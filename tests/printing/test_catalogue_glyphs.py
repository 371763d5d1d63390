"""Every message the catalogue can print has a glyph in the PDF font (no blank boxes on paper)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import string
from pathlib import Path

import pytest

from app.domain import i18n
from app.printing.fonts import pdf_font

OVERLAYS = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "zh_CN"
PACKAGES = ("app.domain", "app.services", "app.printing", "app.cli", "app.sync")


def _load_every_catalogue() -> None:
    """Import every module that may register messages."""
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.iter_modules(package.__path__, prefix=f"{package_name}."):
            importlib.import_module(module.name)


def _literal_text(template: str) -> str:
    return "".join(literal for literal, _field, _spec, _conv in string.Formatter().parse(template))


def test_every_catalogue_character_is_in_the_cjk_font() -> None:
    """Catalogue texts (printed) must be in the font; UI translations must not hit an empty glyph."""
    font = pdf_font()
    if not font.embedded:
        pytest.skip("the CID fallback font is in use; its coverage is the reader's")
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font.name).face
    _load_every_catalogue()
    missing: dict[str, str] = {}
    for key in i18n.known_keys():
        for language, template in i18n.templates(key).items():
            lacking = _blank_characters(face, _literal_text(template))
            if lacking:
                missing[f"{key} [{language}]"] = lacking
    for overlay in sorted(OVERLAYS.glob("*.json")):
        for context, translations in json.loads(overlay.read_text(encoding="utf-8")).items():
            for source, translation in translations.items():
                lacking = _blank_characters(face, translation, unmapped_too=False)  # Qt falls back for those
                if lacking:
                    missing[f"{overlay.name} {context}: {source}"] = lacking
    assert not missing, missing


def _blank_characters(face: object, text: str, *, unmapped_too: bool = True) -> str:
    """Return the characters of ``text`` the font has no outline for (unmapped, or mapped to an empty glyph).

    An empty outline is worse than an unmapped character: nothing falls back, and the reader sees a gap
    (WenQuanYi Micro Hei maps ℃ to an empty glyph, for example).
    """
    lacking = set()
    for char in text:
        if char.isspace():
            continue
        glyph = face.charToGlyph.get(ord(char))  # type: ignore[attr-defined]
        if glyph is None:
            if unmapped_too:
                lacking.add(char)
        elif face.glyphPos[glyph + 1] == face.glyphPos[glyph]:  # type: ignore[attr-defined]
            lacking.add(char)
    return "".join(sorted(lacking))
