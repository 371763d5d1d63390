"""Search-as-you-type keys for residents: name, pinyin initials, full pinyin, bed, last ID digits.

张红丽 is found by "张红", "zhl", "zhanghongli", "hongli", her bed ("201-2") or the last digits of her
ID number. A surname with several readings (单 shan/dan, 曾 zeng/ceng) gets all of them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from app.domain.errors import ValidationError
from app.domain.i18n import register

SEPARATOR = "|"
ID_TAIL = 6  # how many trailing ID-number characters are searchable
MAX_QUERY_CHARS = 100
"""The longest search text (a name, a bed or an ID number is far shorter). A longer one is refused: SQLite
rejects a LIKE pattern over 50 000 bytes ("LIKE or GLOB pattern too complex") and a long one is slow."""

register(
    {
        "field.search": {"zh_CN": "搜索内容", "en": "search text"},
        "search.too_long": {
            "zh_CN": "最多 {limit} 个字符（输入了 {length} 个）",
            "en": "at most {limit} characters ({length} given)",
        },
    }
)


@lru_cache(maxsize=20_000)
def _readings(char: str) -> tuple[str, ...]:
    if not ("\u3400" <= char <= "\u9fff"):
        return (char.lower(),)
    # imported on the first Chinese character: commands that never work out a name's pinyin (planning,
    # printing) do not load its dictionaries (about 0.4 s)
    from pypinyin import Style, pinyin

    options = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    readings = tuple(dict.fromkeys(r.lower() for r in (options[0] if options else []) if r))
    return readings or (char,)


def pinyin_keys(name: str) -> tuple[list[str], list[str]]:
    """Return (full pinyin variants, initials variants) for a name; only the surname varies."""
    chars = [c for c in name if not c.isspace() and c != "·"]
    if not chars:
        return [], []
    rest_full = "".join(_readings(c)[0] for c in chars[1:])
    rest_initials = "".join(_readings(c)[0][:1] for c in chars[1:])
    first = _readings(chars[0])[:3]
    return [f + rest_full for f in first], [f[:1] + rest_initials for f in first]


def bed_label(building: str, room: str, bed: str) -> str:
    """Return the bed as staff write it: ``A-201-2`` (empty parts left out)."""
    return "-".join(part for part in (building.strip(), room.strip(), bed.strip()) if part)


def normalize_query(text: str) -> str:
    """Fold full-width characters, case and spaces so that typed queries match :func:`search_text`."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(folded.split())


def bounded_query(text: str) -> str:
    """Return :func:`normalize_query` of typed search text, refusing text over :data:`MAX_QUERY_CHARS`.

    Raises:
        ValidationError: on ``search``, naming the limit (the value shown is cut to its start).
    """
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError("search", text[:20] + "…", "search.too_long", limit=MAX_QUERY_CHARS, length=len(text))
    return normalize_query(text)


def search_text(*, name: str, building: str, room: str, bed: str, id_number: str) -> str:
    """Return the text searched as the user types, for storing beside the resident."""
    full, initials = pinyin_keys(name)
    parts = [normalize_query(name), *initials, *full, normalize_query(bed_label(building, room, bed))]
    if id_number:
        parts.append(id_number[-ID_TAIL:].lower())
    return SEPARATOR + SEPARATOR.join(dict.fromkeys(p for p in parts if p)) + SEPARATOR
