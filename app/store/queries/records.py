"""Queries of the records capability (健康档案): residents, their record, search, residence and status.

Functions take an open unit of work and plain values and return plain rows (tuples, values as SQLite
stores them: dates as ISO text) or models to change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlmodel import col, select

from app.domain.search import SEPARATOR
from app.store.models import ResidencePeriod
from app.store.uow import UnitOfWork

Row = tuple[Any, ...]

# --- finding residents -------------------------------------------------------------------------------------


def _like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


TRIGRAM = 3
"""The shortest query the trigram index ``resident_search`` (migration 0009) can find."""

SORTED_AT_MOST = 1000
"""A query the trigram index narrows to at most this many residents has them sorted; more are read in order."""


def _phrase(text: str) -> str:
    """Return ``text`` as an FTS5 phrase: every character literal."""
    return '"' + text.replace('"', '""') + '"'


def _candidates(query: str) -> tuple[str, dict[str, object]] | None:
    """Return a subquery of the rowids of every resident whose ``search_text`` may hold ``query`` (with its
    parameters), from the trigram index; None when the index cannot narrow a query that short.

    Three characters or more: the residents with the phrase. Two: those with a trigram *starting* with
    them (every occurrence is followed by at least the closing separator), from the index's terms.
    """
    if len(query) >= TRIGRAM:
        sql = "SELECT rowid AS row FROM resident_search WHERE resident_search MATCH :phrase"
        return sql, {"phrase": _phrase(query)}
    if len(query) == TRIGRAM - 1 and query[-1] != SEPARATOR:
        following = query[:-1] + chr(ord(query[-1]) + 1)
        sql = "SELECT doc AS row FROM resident_search_terms WHERE term >= :term_from AND term < :term_to"
        return sql, {"term_from": query, "term_to": following}
    return None


def _few(uow: UnitOfWork, query: str) -> bool:
    """Return whether the trigram index narrows ``query`` to at most :data:`SORTED_AT_MOST` residents."""
    narrowed = _candidates(query)
    if narrowed is None:
        return False
    sql, params = narrowed
    found = uow.fast_rows(
        f"SELECT count(*) FROM (SELECT DISTINCT * FROM ({sql}) LIMIT :most)", {**params, "most": SORTED_AT_MOST + 1}
    )
    return int(found[0][0]) <= SORTED_AT_MOST


def _found(
    query: str,
    id_number: str | None,
    institution_id: str | None,
    colour: str | None,
    statuses: Sequence[str] | None,
    server: bool = False,
) -> tuple[list[str], dict[str, object]]:
    """Return the conditions on ``resident r`` (and their parameters) of a search, shared by the page and the count.

    ``server``: on PostgreSQL, where the LIKE itself is served by the trigram index (pg_trgm, migration 0009).
    """
    # With an institution chosen, its (institution_id, colour) index narrows the rows most; the unary "+"
    # keeps SQLite from preferring the narrow list index, which would read every resident.
    # The same with a query the trigram index narrows: those few residents are looked up by rowid.
    plus = "+" if not server and (institution_id or (id_number is None and _candidates(query) is not None)) else ""
    where = [f"{plus}r.deleted = 0"]
    params: dict[str, object] = {}
    if id_number is not None:
        where.append("r.id_number = :id_number")
        params["id_number"] = id_number
    elif query:
        narrowed = None if server else _candidates(query)
        if narrowed is not None:  # the LIKE below stays the rule, the index only narrows
            where.append(f"r.rowid IN ({narrowed[0]})")
            params.update(narrowed[1])
        where.append("r.search_text LIKE :q ESCAPE '\\'")
        params["q"] = _like_pattern(query)
    if institution_id:
        where.append("r.institution_id = :institution_id")
        params["institution_id"] = institution_id
    if colour:
        where.append("r.colour = :colour")
        params["colour"] = colour
    if statuses is not None:
        names = []
        for index, status in enumerate(statuses):
            params[f"s{index}"] = status
            names.append(f":s{index}")
        where.append(f"{plus}r.status IN ({', '.join(names)})")
    return where, params


def search_residents(
    uow: UnitOfWork,
    *,
    query: str = "",
    id_number: str | None = None,
    institution_id: str | None = None,
    colour: str | None = None,
    statuses: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Row]:
    """Return ``(id, name, sex, birth_date, institution, building, room, bed, colour, status, id_number)``.

    ``id_number`` matches exactly; else a non-empty ``query`` matches ``search_text`` anywhere, residents one
    of whose keys *is* the query first, then those with a key *starting* with it, then the rest; then by
    institution, bed and name (then as stored, so that pages of ``limit`` rows from ``offset`` follow each other).

    A query that the trigram index narrows to at most :data:`SORTED_AT_MOST` residents (three characters or
    more, or two through the index's terms) is looked up there and those residents sorted. Any other (one
    character, a frequent one, or none: the whole list) reads its page in list order from ``ix_resident_list``
    instead, stopping once the page is full (:func:`_in_list_order`).
    """
    server = uow.database.is_server
    if not server and id_number is None and not _few(uow, query):
        return _in_list_order(uow, query, institution_id, colour, statuses, limit, offset)
    # PostgreSQL: one statement whatever the query (the LIKE uses the trigram index); rows by id, not rowid
    where, params = _found(query, id_number, institution_id, colour, statuses, server)
    rank = "0"
    if id_number is None and query:
        # search_text is "|key|key|…|": "|yhm|" is a whole key, "|yhm" the start of one.
        rank = (
            "CASE WHEN instr(r.search_text, :whole) > 0 THEN 0 WHEN instr(r.search_text, :start) > 0 THEN 1 ELSE 2 END"
        )
        params["whole"] = f"{SEPARATOR}{query}{SEPARATOR}"
        params["start"] = f"{SEPARATOR}{query}"
    page = ""
    if limit is not None or offset:
        page = " LIMIT :limit OFFSET :offset"
        params["limit"] = (None if server else -1) if limit is None else limit  # no limit: NULL there, -1 here
        params["offset"] = offset
    if server:
        order = LIST_ORDER.replace("r.rowid", "r.id")  # (a bare "ORDER BY 0" is a column position there)
        return uow.fast_rows(
            "SELECT r.id, r.name, r.sex, r.birth_date, i.name, r.building, r.room, r.bed, r.colour, r.status, "
            "r.id_number FROM resident r JOIN institution i ON i.id = r.institution_id "
            f"WHERE {' AND '.join(where)} ORDER BY {'' if rank == '0' else rank + ', '}i.name, {order}{page}",
            params,
        )
    sql = (
        f"WITH k AS (SELECT r.rowid AS row, {rank} AS rnk, i.name AS institution, row_number() OVER "
        f"(ORDER BY {rank}, i.name, {LIST_ORDER}) AS n FROM resident r JOIN institution i ON i.id = r.institution_id "
        f"WHERE {' AND '.join(where)} ORDER BY n{page}) "
        "SELECT r.id, r.name, r.sex, r.birth_date, k.institution, r.building, r.room, r.bed, r.colour, "
        "r.status, r.id_number FROM k JOIN resident r ON r.rowid = k.row ORDER BY k.n"
    )
    return uow.fast_rows(sql, params)


LIST_ORDER = "r.building, r.room, r.bed, r.name, r.status, r.colour, r.search_text, r.rowid"
"""The order of an institution's residents in the list: ``ix_resident_list``'s own, after the institution."""

_IN_LIST_ORDER = (
    "SELECT r.rowid FROM resident r INDEXED BY ix_resident_list WHERE r.deleted = 0 AND r.institution_id = :institution"
    f" AND {{where}} ORDER BY {LIST_ORDER} LIMIT :n"
)


def _in_list_order(
    uow: UnitOfWork,
    query: str,
    institution_id: str | None,
    colour: str | None,
    statuses: Sequence[str] | None,
    limit: int | None,
    offset: int,
) -> list[Row]:
    """Return the page of :func:`search_residents` for a query shorter than :data:`TRIGRAM` (or none).

    The rank groups in turn — a whole key is the query, a key starts with it, it is elsewhere — until the
    page is full. A group the trigram index narrows to a few residents (``|q|``; ``|q`` of a query of one
    character or more) is read from the index and sorted; any other, institution by institution (by name),
    each one's matching residents in bed order from ``ix_resident_list`` (no sorting), stopping at the page's
    end. A frequent query ("1", "z") stops after a few hundred index entries; a rare one reads the narrow
    index at most for its last group, never the wide rows but the page's.
    """
    where = ["1"]
    params: dict[str, object] = {}
    if colour:
        where.append("r.colour = :colour")
        params["colour"] = colour
    if statuses is not None:
        names = []
        for index, status in enumerate(statuses):
            params[f"s{index}"] = status
            names.append(f":s{index}")
        where.append(f"r.status IN ({', '.join(names)})")
    groups: list[tuple[str, str | None]] = [("1", None)]  # (condition, text the index may narrow it by)
    if query:
        whole, start = f"{SEPARATOR}{query}{SEPARATOR}", f"{SEPARATOR}{query}"
        params.update(whole=whole, start=start, q=_like_pattern(query))
        groups = [
            ("instr(r.search_text, :whole) > 0", whole),  # a whole key is the query
            ("instr(r.search_text, :whole) = 0 AND instr(r.search_text, :start) > 0", start),  # a key starts so
            ("instr(r.search_text, :start) = 0 AND r.search_text LIKE :q ESCAPE '\\'", None),  # elsewhere
        ]
    if institution_id is None:
        institutions = [row[0] for row in uow.fast_rows("SELECT id FROM institution ORDER BY name, id")]
    else:
        institutions = [institution_id]
    found: list[int] = []
    skip = offset
    for condition, narrowing in groups:
        if limit is not None and len(found) >= limit:
            break
        narrowed = _candidates(narrowing) if narrowing else None
        if narrowed is not None and _few(uow, narrowing or ""):
            # the group's few residents, from the trigram index, sorted
            where_group = " AND ".join(["r.deleted = 0", *where, condition])
            if institution_id is not None:
                where_group += " AND r.institution_id = :institution"
            rowids = [
                row[0]
                for row in uow.fast_rows(
                    f"SELECT r.rowid FROM (SELECT DISTINCT row FROM ({narrowed[0]})) f "
                    "CROSS JOIN resident r ON r.rowid = f.row JOIN institution i ON i.id = r.institution_id "
                    f"WHERE {where_group} ORDER BY i.name, {LIST_ORDER}",
                    {**params, **narrowed[1], "institution": institution_id},
                )
            ]
            dropped = min(skip, len(rowids))
            skip -= dropped
            found += rowids[dropped:] if limit is None else rowids[dropped : dropped + limit - len(found)]
            continue
        sql = _IN_LIST_ORDER.format(where=" AND ".join([*where, condition]))
        for institution in institutions:
            if limit is not None and len(found) >= limit:
                break
            wanted = -1 if limit is None else skip + limit - len(found)
            rowids = [row[0] for row in uow.fast_rows(sql, {**params, "institution": institution, "n": wanted})]
            dropped = min(skip, len(rowids))
            skip -= dropped
            found += rowids[dropped:]
    if not found:
        return []
    rows = {
        row[0]: row[1:]
        for row in uow.fast_rows(
            "SELECT r.rowid, r.id, r.name, r.sex, r.birth_date, i.name, r.building, r.room, r.bed, r.colour, "
            "r.status, r.id_number FROM resident r JOIN institution i ON i.id = r.institution_id "
            "WHERE r.rowid IN (SELECT value FROM json_each(:rows))",
            {"rows": json.dumps(found)},
        )
    }
    return [rows[rowid] for rowid in found]


def count_residents(
    uow: UnitOfWork,
    *,
    query: str = "",
    id_number: str | None = None,
    institution_id: str | None = None,
    colour: str | None = None,
    statuses: Sequence[str] | None = None,
) -> int:
    """Return how many residents :func:`search_residents` finds with the same arguments (all pages)."""
    where, params = _found(query, id_number, institution_id, colour, statuses, uow.database.is_server)
    return int(uow.fast_rows(f"SELECT count(*) FROM resident r WHERE {' AND '.join(where)}", params)[0][0])


def residents_with_id_numbers(uow: UnitOfWork, numbers: Sequence[str]) -> list[Row]:
    """Return ``(id_number, name, institution, building, room, bed, status)`` of live residents with these numbers."""
    found: list[Row] = []
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        marks = ", ".join(f":n{i}" for i in range(len(chunk)))
        found += uow.fast_rows(
            "SELECT r.id_number, r.name, i.name, r.building, r.room, r.bed, r.status FROM resident r "
            f"JOIN institution i ON i.id = r.institution_id WHERE r.deleted = 0 AND r.id_number IN ({marks})",
            {f"n{i}": number for i, number in enumerate(chunk)},
        )
    return found


def residents_with_id_number(uow: UnitOfWork, id_number: str) -> list[Row]:
    """Return ``(id, name, institution, building, room, bed, status)`` of the live residents with this number."""
    return uow.fast_rows(
        "SELECT r.id, r.name, i.name, r.building, r.room, r.bed, r.status FROM resident r "
        "JOIN institution i ON i.id = r.institution_id WHERE r.id_number = :n AND r.deleted = 0",
        {"n": id_number},
    )


def resident_ids_by_id_number(uow: UnitOfWork, id_number: str) -> list[str]:
    """Return the ids of the live residents with this ID card number, oldest first."""
    rows = uow.fast_rows(
        "SELECT id FROM resident WHERE id_number = :n AND deleted = 0 ORDER BY created_at", {"n": id_number}
    )
    return [str(row[0]) for row in rows]


def institution_names(uow: UnitOfWork, ids: set[str]) -> dict[str, str]:
    """Return ``{id: name}`` of these institutions (removed ones too)."""
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    params = {f"i{n}": i for n, i in enumerate(ids)}
    return dict(uow.fast_rows(f"SELECT id, name FROM institution WHERE id IN ({marks})", params))


# --- residence and status ----------------------------------------------------------------------------------


def open_periods(uow: UnitOfWork, resident_id: str) -> list[ResidencePeriod]:
    """Return the resident's live residence periods without an end date (to change)."""
    return list(
        uow.session.exec(
            select(ResidencePeriod).where(
                ResidencePeriod.resident_id == resident_id,
                ResidencePeriod.deleted == False,
                col(ResidencePeriod.end_date).is_(None),
            )
        ).all()
    )


def last_status_date(uow: UnitOfWork, resident_id: str) -> str | None:
    """Return the latest day (ISO) of the resident's live status changes, or None."""
    value: str | None = uow.fast_rows(
        "SELECT MAX(on_date) FROM statuschange WHERE resident_id = :id AND deleted = 0", {"id": resident_id}
    )[0][0]
    return value


def last_assessed_on(uow: UnitOfWork, resident_id: str, kind: str) -> str | None:
    """Return the latest day (ISO) of the resident's live assessments of ``kind``, or None."""
    rows = uow.fast_rows(
        "SELECT MAX(assessed_on) FROM assessment WHERE resident_id = :id AND kind = :kind AND deleted = 0",
        {"id": resident_id, "kind": kind},
    )
    return rows[0][0] if rows else None


# --- the record --------------------------------------------------------------------------------------------

_RESIDENT_SQL = (
    "SELECT r.id, r.name, r.sex, r.birth_date, r.id_number, r.insurance_number, r.phone, r.institution_id, "
    "i.name, r.building, r.room, r.bed, r.admission_date, r.status, r.status_date, r.guardian_name, "
    "r.guardian_relation, r.guardian_phone, r.signed_on, r.signed_doctor_id, COALESCE(d.name, ''), "
    "r.service_package, r.record_number, r.family_bed, r.family_bed_start, r.family_bed_end, r.hospice, "
    "r.ltc_insurance, r.care_level, r.colour, COALESCE(u.name, ''), r.updated_at, r.notes, r.deleted "
    "FROM resident r JOIN institution i ON i.id = r.institution_id "
    "LEFT JOIN staff d ON d.id = r.signed_doctor_id LEFT JOIN staff u ON u.id = r.updated_by "
    "WHERE r.id = :id"
)


def resident_header(uow: UnitOfWork, resident_id: str) -> Row | None:
    """Return the live resident's header row (the columns of ``ResidentDetails`` in order), or None."""
    rows = uow.fast_rows(_RESIDENT_SQL, {"id": resident_id})
    return rows[0] if rows and not rows[0][-1] else None


def residence_periods(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, institution, building, room, bed, start_date, end_date, reason)``, newest first."""
    return uow.fast_rows(
        "SELECT p.id, i.name, p.building, p.room, p.bed, p.start_date, p.end_date, p.reason "
        "FROM residenceperiod p JOIN institution i ON i.id = p.institution_id "
        "WHERE p.resident_id = :id AND p.deleted = 0 ORDER BY p.start_date DESC, p.created_at DESC",
        {"id": resident_id},
    )


def status_changes(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, status, on_date, note)``, newest first."""
    return uow.fast_rows(
        "SELECT id, status, on_date, note FROM statuschange WHERE resident_id = :id AND deleted = 0 "
        "ORDER BY on_date DESC, created_at DESC",
        {"id": resident_id},
    )


def conditions(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, code, icd10, name, diagnosed_on, active)``, active first, then by diagnosis day and name."""
    return uow.fast_rows(
        "SELECT id, code, icd10, name, diagnosed_on, active FROM condition "
        "WHERE resident_id = :id AND deleted = 0 ORDER BY active DESC, diagnosed_on, name",
        {"id": resident_id},
    )


def medications(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, name, dose, frequency, start_date, stop_date, daily_quantity, unit)``, current first."""
    return uow.fast_rows(
        "SELECT id, name, dose, frequency, start_date, stop_date, daily_quantity, unit FROM medication "
        "WHERE resident_id = :id AND deleted = 0 ORDER BY stop_date IS NOT NULL, stop_date DESC, name",
        {"id": resident_id},
    )


def allergies(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, substance, reaction)`` by substance."""
    return uow.fast_rows(
        "SELECT id, substance, reaction FROM allergy WHERE resident_id = :id AND deleted = 0 ORDER BY substance",
        {"id": resident_id},
    )


def assessments(uow: UnitOfWork, resident_id: str) -> list[Row]:
    """Return ``(id, kind, assessed_on, assessor, score, result, items JSON, notes)``, newest first."""
    return uow.fast_rows(
        "SELECT a.id, a.kind, a.assessed_on, COALESCE(s.name, ''), a.score, a.result, a.items, a.notes "
        "FROM assessment a LEFT JOIN staff s ON s.id = a.assessed_by "
        "WHERE a.resident_id = :id AND a.deleted = 0 ORDER BY a.assessed_on DESC, a.kind",
        {"id": resident_id},
    )


def active_doctors(uow: UnitOfWork) -> list[Row]:
    """Return ``(id, name, role, team)`` of the active family doctors, by team and name."""
    return uow.fast_rows(
        "SELECT s.id, s.name, s.role, COALESCE(t.name, '') FROM staff s LEFT JOIN team t ON t.id = s.team_id "
        "WHERE s.deleted = 0 AND s.active = 1 AND s.role = 'doctor' ORDER BY t.name, s.name"
    )
