"""Triage colours — 分类: red 重点, yellow 次重点, green 一般.

A colour is never shown by colour alone: each has a word and a symbol that survive grayscale printing
and colour blindness (● 红 / ▲ 黄 / ○ 绿).
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.i18n import register, t


class TriageColour(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def word(self) -> str:
        """Return the short word (红 / red)."""
        return t(f"colour.{self.value}")

    @property
    def group(self) -> str:
        """Return the group name (重点人群 / key)."""
        return t(f"colour.{self.value}.group")

    @property
    def badge(self) -> str:
        """Return symbol and word together, e.g. ``● 红``."""
        return f"{self.symbol} {self.word}"

    @property
    def rgb(self) -> str:
        return _RGB[self]

    @property
    def severity(self) -> int:
        """Return 2 for red, 1 for yellow, 0 for green (for sorting, most severe first)."""
        return _SEVERITY[self]


_SYMBOLS = {TriageColour.RED: "●", TriageColour.YELLOW: "▲", TriageColour.GREEN: "○"}
_RGB = {TriageColour.RED: "#c62828", TriageColour.YELLOW: "#b8860b", TriageColour.GREEN: "#2e7d32"}
_SEVERITY = {TriageColour.RED: 2, TriageColour.YELLOW: 1, TriageColour.GREEN: 0}

register(
    {
        "colour.red": {"zh_CN": "红", "en": "Red"},
        "colour.yellow": {"zh_CN": "黄", "en": "Yellow"},
        "colour.green": {"zh_CN": "绿", "en": "Green"},
        "colour.red.group": {"zh_CN": "重点人群", "en": "Key"},
        "colour.yellow.group": {"zh_CN": "次重点人群", "en": "Secondary"},
        "colour.green.group": {"zh_CN": "一般人群", "en": "General"},
    }
)
