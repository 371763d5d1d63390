"""Message catalogue for text produced outside Qt (domain errors, services, CLI, printing).

Qt widgets use ``tr()`` and the ``resources/i18n`` catalogues; everything else formats its
user-facing text through :func:`t`, so Chinese and English both stay complete. Modules
register their own messages with :func:`register` at import time.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_catalogue: dict[str, dict[str, str]] = {}
_language = DEFAULT_LANGUAGE


def register(messages: Mapping[str, Mapping[str, str]]) -> None:
    """Add messages: ``{key: {"zh_CN": text, "en": text}}``; both languages are required."""
    for key, texts in messages.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message {key!r} lacks {missing}")
        if key in _catalogue and dict(texts) != _catalogue[key]:
            raise ValueError(f"message {key!r} registered twice with different text")
        _catalogue[key] = dict(texts)


def set_language(language: str) -> None:
    """Switch the language used by :func:`t` (``zh_CN`` or ``en``)."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    _language = language


def current_language() -> str:
    return _language


def t(key: str, /, **params: object) -> str:
    """Return the message ``key`` in the current language, formatted with ``params``.

    An unknown key returns the key itself, so a missing message is visible but never crashes.
    """
    texts = _catalogue.get(key)
    if texts is None:
        return key
    return texts[_language].format(**params)


def field_label(field: str) -> str:
    """Return the label of a field (``field.<name>`` in the catalogue), or the name if it has none."""
    key = f"field.{field}"
    return field if key not in _catalogue else t(key)


def known_keys() -> list[str]:
    return sorted(_catalogue)


def templates(key: str) -> dict[str, str]:
    """Return the unformatted texts of ``key`` by language (empty if unknown)."""
    return dict(_catalogue.get(key, {}))
