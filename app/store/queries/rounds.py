"""Queries of the rounds capability (巡诊安排): rounds, the calendar, and who is due.

Functions take an open unit of work and plain values and return plain rows (tuples: dates as ISO text, or
as day ordinals where the names say so) or models to change.
"""

from __future__ import annotations

from typing import Any

Row = tuple[Any, ...]


def had_condition_on(prefix: str, day: str) -> str:
    """SQL: the condition (columns named ``prefix`` + name) was the resident's on the day ``day`` (SQL text).

    Diagnosed by then (no date counts as known) and not resolved before it. A condition has no resolution
    date: one that is not active stopped on the local day its ``active`` field was last changed (its field
    clock, which travels with sync), or, entered already resolved, on the day it was entered.
    """
    ended = (
        f"CASE WHEN json_extract({prefix}field_clocks, '$.active') IS NOT NULL "
        f"THEN date(CAST(substr(json_extract({prefix}field_clocks, '$.active'), 1, 13) AS INTEGER) / 1000, "
        f"'unixepoch', 'localtime') ELSE date({prefix}created_at, 'localtime') END"
    )
    return (
        f"({prefix}diagnosed_on IS NULL OR {prefix}diagnosed_on <= {day}) AND ({prefix}active = 1 OR {ended} >= {day})"
    )
