"""Resident lists and search as you type (by name, pinyin, bed or last ID digits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from app.domain.colours import TriageColour
from app.domain.residents import ResidentStatus
from app.domain.search import normalize_query
from app.store.uow import UnitOfWork

CURRENT_STATUSES = (ResidentStatus.IN_RESIDENCE, ResidentStatus.HOSPITALIZED)


class ResidentRow(NamedTuple):
    """One line of the resident list; raw values, formatted by whoever shows them."""

    id: str
    name: str
    sex: str
    birth_date: str  # ISO date
    institution: str
    building: str
    room: str
    bed: str
    colour: str
    status: str
    id_number: str

    def age_on(self, today: date) -> int:
        born = date.fromisoformat(self.birth_date)
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_residents(
    uow: UnitOfWork,
    *,
    text: str = "",
    institution_id: str | None = None,
    colour: TriageColour | None = None,
    statuses: Sequence[ResidentStatus] | None = CURRENT_STATUSES,
    limit: int | None = None,
) -> list[ResidentRow]:
    """Return residents matching the typed text and filters, ordered by institution and bed.

    Args:
        text: any part of the name, pinyin initials ("zhl") or full pinyin ("zhanghongli"), the bed
            ("201-2") or the last digits of the ID number; a whole 18-character ID number matches exactly.
        institution_id: only this institution.
        colour: only this confirmed colour.
        statuses: residence statuses to include (None = all).
        limit: at most this many rows.
    """
    where = ["r.deleted = 0"]
    params: dict[str, object] = {}
    query = normalize_query(text)
    if query:
        if len(query) == 18 and query[:17].isdigit():
            where.append("r.id_number = :id_number")
            params["id_number"] = query.upper()
        else:
            where.append("r.search_text LIKE :q ESCAPE '\\'")
            params["q"] = _like_pattern(query)
    if institution_id:
        where.append("r.institution_id = :institution_id")
        params["institution_id"] = institution_id
    if colour:
        where.append("r.colour = :colour")
        params["colour"] = colour.value
    if statuses is not None:
        names = []
        for index, status in enumerate(statuses):
            params[f"s{index}"] = status.value
            names.append(f":s{index}")
        where.append(f"r.status IN ({', '.join(names)})")
    sql = (
        "SELECT r.id, r.name, r.sex, r.birth_date, i.name, r.building, r.room, r.bed, r.colour, "
        "r.status, r.id_number FROM resident r JOIN institution i ON i.id = r.institution_id "
        f"WHERE {' AND '.join(where)} ORDER BY i.name, r.building, r.room, r.bed, r.name"
    )
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    with uow:
        return list(map(ResidentRow._make, uow.fast_rows(sql, params)))
