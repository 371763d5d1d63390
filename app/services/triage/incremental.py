"""The incremental suggestion refresh — 增量刷新: after the first whole-center refresh, only the residents whose
facts changed since, and those whose colour may change with the passage of time, are worked out again.

What this process remembers of a database (its path and device id), from the last whole-center refresh:

- the **audit mark**: the rowid and id of the newest audit entry then. Every change of a record, by this
  process, another one, another workstation or a sync import, adds an audit entry naming the resident
  (``queries.residents_changed_since``): those residents are worked out again.
- each resident's colour then, and the day it may change with no fact changing
  (:func:`~app.domain.triage.colour_steady_until`: a reading 31 days old, the end of a return window, a fall
  window, a family bed's dates, the 80th birthday); on or after that day the resident is worked out again.
- the rules, the day, and the sync imports' mark.

Everything is worked out again (the memory is dropped) when the rules differ, when the day is earlier than the
remembered one, when a sync package was imported since (belt and braces: its rows come with their audit
entries), when the remembered audit entry is no longer at its rowid (the file was restored or replaced), on
the first refresh of the process and on PostgreSQL (no rowid to order the audit trail by). The colour stored
in each resident's ``suggested_colour`` is read every time and compared, so a value written by anything else
(another process refreshing for another day) is corrected, never trusted. See docs/triage.md,
"Incremental refresh".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from app.domain.triage import TriageRules, colour_steady_until, suggest_colour
from app.services.triage.facts import load_facts
from app.store.queries import triage as queries
from app.store.queries.triage import Scope
from app.store.uow import UnitOfWork

NEVER = date.max.toordinal()
"""The steady day of a colour that time alone never changes."""


@dataclass
class Memory:
    """What a whole-center refresh left, for the next one (see the module's docstring)."""

    audit: tuple[int, str]
    imports: tuple[int, str]
    rules: TriageRules
    day: date
    colours: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Per resident in residence: the colour worked out on ``day`` and the ordinal of its steady day."""


@dataclass(frozen=True)
class Outcome:
    """One whole-center pass: the colour of each resident in residence, and what to store."""

    residents: int
    changed: dict[str, str]
    differing: int
    evaluated: int
    memory: Memory | None


_lock = threading.Lock()
_memories: dict[tuple[str, str], Memory] = {}


def _key(uow: UnitOfWork) -> tuple[str, str]:
    return str(uow.database.path), uow.database.device_id


def forget(uow: UnitOfWork | None = None) -> None:
    """Drop what was remembered of ``uow``'s database (of every database when None)."""
    with _lock:
        if uow is None:
            _memories.clear()
        else:
            _memories.pop(_key(uow), None)


def _recall(uow: UnitOfWork, rules: TriageRules, today: date, imports: tuple[int, str]) -> Memory | None:
    """Return the remembered state if it still describes this database, else None (inside ``with uow``)."""
    with _lock:
        memory = _memories.get(_key(uow))
    if memory is None or memory.rules != rules or today < memory.day or memory.imports != imports:
        return None
    if memory.audit[0] and queries.audit_id_at(uow, memory.audit[0]) != memory.audit[1]:
        return None  # another file at this path now (a restore), or the trail was rewritten
    return memory


def whole_center(uow: UnitOfWork, rules: TriageRules, today: date) -> Outcome:
    """Work out the suggestion of every resident in residence on ``today`` (inside a reading ``with uow``):
    again only for those that changed or whose colour time may have changed, when a memory allows.

    Returns the residents counted, ``{id: colour}`` whose stored suggestion differs, how many differ from
    the confirmed colour, how many were evaluated, and the memory to keep once the changes are stored.
    """
    if uow.database.is_server:
        return _evaluate(uow, rules, today, None, None, None)
    audit = queries.audit_mark(uow)
    imports = queries.imports_mark(uow)
    memory = _recall(uow, rules, today, imports)
    return _evaluate(uow, rules, today, memory, audit, imports)


def _evaluate(
    uow: UnitOfWork,
    rules: TriageRules,
    today: date,
    memory: Memory | None,
    audit: tuple[int, str] | None,
    imports: tuple[int, str] | None,
) -> Outcome:
    rows = queries.suggestion_rows(uow, Scope())
    ids = {row[0] for row in rows}
    if memory is None:
        todo: set[str] | None = None  # everyone
        colours: dict[str, tuple[str, int]] = {}
    else:
        day = today.toordinal()
        colours = dict(memory.colours)
        for gone in colours.keys() - ids:  # no longer in residence
            del colours[gone]
        todo = queries.residents_changed_since(uow, memory.audit[0]) | (ids - colours.keys())
        todo.update(resident_id for resident_id, (_colour, steady) in colours.items() if steady <= day)
        todo &= ids
        for resident_id in todo:
            colours.pop(resident_id, None)
    if todo is None or todo:
        scope = Scope() if todo is None else Scope(resident_ids=tuple(sorted(todo)))
        for resident_id, (_info, facts) in load_facts(uow, scope=scope, today=today, rules=rules).items():
            suggestion = suggest_colour(facts, rules, today)
            if suggestion is None:
                continue
            steady = colour_steady_until(facts, rules, today)
            colours[resident_id] = (suggestion.colour.value, steady.toordinal() if steady else NEVER)
    changed: dict[str, str] = {}
    differing = 0
    for resident_id, colour, suggested in rows:
        entry = colours.get(resident_id)
        if entry is None:  # not loaded: the read above and the facts' disagree (never within one snapshot)
            continue
        if entry[0] != suggested:
            changed[resident_id] = entry[0]
        differing += entry[0] != colour
    count = len(rows) if todo is None else len(todo)
    if audit is None or imports is None:
        return Outcome(len(rows), changed, differing, count, None)
    return Outcome(len(rows), changed, differing, count, Memory(audit, imports, rules, today, colours))


def unchanged_since(uow: UnitOfWork, memory: Memory | None) -> bool:
    """Return whether nothing was changed since ``memory``'s pass read the records (inside ``with uow``): no audit
    entry and no import since, so its colours are still those of the records (SQLite; False without a memory)."""
    if memory is None or uow.database.is_server:
        return False
    return queries.audit_mark(uow) == memory.audit and queries.imports_mark(uow) == memory.imports


def remember(uow: UnitOfWork, memory: Memory | None) -> None:
    """Keep ``memory`` for the next whole-center refresh of ``uow``'s database (after the changes are stored)."""
    if memory is None:
        return
    with _lock:
        _memories[_key(uow)] = memory
