"""Finding residents — 居民查询: lists and search as you type, and naming a resident in messages.

Search matches the name, pinyin, bed or last ID digits (the resident's ``search_text``, kept up to date by
:func:`refresh_search_text` whenever the name, bed or ID number changes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from app.domain.colours import TriageColour
from app.domain.i18n import register, t
from app.domain.idcard import normalize_id_number
from app.domain.residents import ResidentStatus
from app.domain.search import bed_label, bounded_query, search_text
from app.services.editing import NotFound
from app.store.models import Resident
from app.store.queries import records as queries
from app.store.uow import UnitOfWork

register({"resident.described": {"zh_CN": "{name}（{where}，{status}）", "en": "{name} ({where}, {status})"}})

CURRENT_STATUSES = (ResidentStatus.IN_RESIDENCE, ResidentStatus.HOSPITALIZED)

PAGE = 200
"""How many residents the list reads at a time: the first page as soon as the user types, then one more
page whenever the list is scrolled near its end; the total is counted apart (:func:`count_residents`)."""


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


def search_residents(
    uow: UnitOfWork,
    *,
    text: str = "",
    institution_id: str | None = None,
    colour: TriageColour | None = None,
    statuses: Sequence[ResidentStatus] | None = CURRENT_STATUSES,
    limit: int | None = None,
    offset: int = 0,
) -> list[ResidentRow]:
    """Return residents matching the typed text and filters, best matches first, then by institution and bed.

    With text, residents one of whose keys (name, pinyin initials, full pinyin, bed) *is* the text come
    first ("yhm" → 杨海明), then those with a key *starting* with it (杨海明霞), then the rest (欧阳慧敏).

    Args:
        text: any part of the name, pinyin initials ("zhl") or full pinyin ("zhanghongli"), the bed
            ("201-2") or the last digits of the ID number; a whole 18-character ID number matches exactly.
        institution_id: only this institution.
        colour: only this confirmed colour.
        statuses: residence statuses to include (None = all).
        limit: at most this many rows (a page: :data:`PAGE` for the list).
        offset: leave out this many first rows (the pages before; :func:`count_residents` counts them all).

    Raises:
        ValidationError: ``text`` is longer than :data:`~app.domain.search.MAX_QUERY_CHARS` characters.
    """
    query = bounded_query(text)
    id_number = query.upper() if len(query) == 18 and query[:17].isdigit() else None
    with uow.reading() as uow:
        rows = queries.search_residents(
            uow,
            query=query,
            id_number=id_number,
            institution_id=institution_id,
            colour=colour.value if colour else None,
            statuses=None if statuses is None else [status.value for status in statuses],
            limit=limit,
            offset=offset,
        )
    return list(map(ResidentRow._make, rows))


def count_residents(
    uow: UnitOfWork,
    *,
    text: str = "",
    institution_id: str | None = None,
    colour: TriageColour | None = None,
    statuses: Sequence[ResidentStatus] | None = CURRENT_STATUSES,
) -> int:
    """Return how many residents :func:`search_residents` finds with the same arguments, over all its pages.

    Raises:
        ValidationError: ``text`` is longer than :data:`~app.domain.search.MAX_QUERY_CHARS` characters.
    """
    query = bounded_query(text)
    id_number = query.upper() if len(query) == 18 and query[:17].isdigit() else None
    with uow.reading() as uow:
        return queries.count_residents(
            uow,
            query=query,
            id_number=id_number,
            institution_id=institution_id,
            colour=colour.value if colour else None,
            statuses=None if statuses is None else [status.value for status in statuses],
        )


def describe_resident(name: str, institution: str, building: str, room: str, bed: str, status: str) -> str:
    """Return how messages name a resident: ``张红丽（康宁养老院 A-101-1，在住）``."""
    where = " ".join(part for part in (institution, bed_label(building, room, bed)) if part)
    try:
        status_text = ResidentStatus(status).label
    except ValueError:
        status_text = status
    return t("resident.described", name=name, where=where, status=status_text)


def existing_id_numbers(uow: UnitOfWork, numbers: Iterable[str]) -> dict[str, str]:
    """Return ``{ID card number: description}`` for those of ``numbers`` already in the center."""
    found: dict[str, str] = {}
    for row in queries.residents_with_id_numbers(uow, sorted(set(numbers))):
        found.setdefault(row[0], describe_resident(*row[1:]))
    return found


def resolve_resident(uow: UnitOfWork, *, key: str) -> str:
    """Return the id of the resident named by ``key``: the resident's id or ID card number.

    Raises:
        NotFound: no such resident.
    """
    text = key.strip()
    with uow.reading() as uow:
        if text and uow.session.get(Resident, text) is not None:
            row = uow.session.get(Resident, text)
            if row is not None and not row.deleted:
                return row.id
        number = normalize_id_number(text)
        ids = queries.resident_ids_by_id_number(uow, number)
    if not ids:
        raise NotFound("resident.not_found", key=key if len(key) <= 60 else key[:40] + "…")
    return ids[0]


def refresh_search_text(resident: Resident) -> None:
    """Work out again what search matches for ``resident`` (name, pinyin, bed, ID number)."""
    resident.search_text = search_text(
        name=resident.name,
        building=resident.building,
        room=resident.room,
        bed=resident.bed,
        id_number=resident.id_number,
    )
