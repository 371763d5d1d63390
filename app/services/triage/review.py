"""Triage suggestions and review — 建议与审核: working every suggestion out again and storing the changed ones,
and the review list of residents whose suggestion differs from their confirmed colour (or who have none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.colours import TriageColour
from app.domain.triage import (
    Reason,
    Suggestion,
    suggest_colour,
)
from app.services.triage import incremental
from app.services.triage.facts import ResidentInfo, bed_sort_key, load_facts
from app.services.triage.rules import current_rules
from app.store.queries import institutions as institution_queries
from app.store.queries import triage as queries
from app.store.queries.triage import Scope
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class RefreshResult:
    """What :func:`refresh_suggestions` did."""

    residents: int
    changed: int
    differing: int
    worked_out: int = -1
    """How many residents' facts were loaded and the rules applied to (the incremental refresh: fewer)."""


def refresh_suggestions(
    uow: UnitOfWork,
    *,
    today: date,
    institution_id: str | None = None,
    resident_ids: Sequence[str] | None = None,
) -> RefreshResult:
    """Work out every suggestion again and store the ones that changed in ``Resident.suggested_colour``.

    Anybody may run it: it changes no confirmed colour. Call it after visits, assessments or an import.
    For the whole center, only the residents whose facts changed since this process's last whole-center
    refresh, and those whose colour the passage of time may change, are worked out again
    (:mod:`app.services.triage.incremental`).

    Args:
        today: the day the rules are applied on.
        institution_id: only this institution's residents.
        resident_ids: only these residents.
    """
    scope = Scope(institution_id, tuple(resident_ids) if resident_ids is not None else None)
    memory: incremental.Memory | None = None
    with uow.reading() as reader:  # usually nothing changed: no write lock for that
        if institution_id is None and resident_ids is None:  # the whole center: incremental
            outcome = incremental.whole_center(reader, current_rules(reader).rules, today)
            checked, changed, differing, memory = outcome.residents, outcome.changed, outcome.differing, outcome.memory
            worked_out = outcome.evaluated
        else:
            checked, changed, differing = _suggestions(reader, scope, today)
            worked_out = checked
    if changed:
        with uow:  # under the write lock, worked out again for those residents: what is stored is current
            if not incremental.unchanged_since(uow, memory):  # (nothing changed since the read: as worked out)
                _, changed, _ = _suggestions(uow, Scope(resident_ids=tuple(changed)), today)
            if changed:
                _store_suggestions(uow, changed)
                uow.commit()
    incremental.remember(uow, memory)
    return RefreshResult(checked, len(changed), differing, worked_out)


def _suggestions(uow: UnitOfWork, scope: Scope, today: date) -> tuple[int, dict[str, str], int]:
    """Return (residents checked, {id: suggested colour} that differ from the stored one, how many differ from
    the confirmed colour), inside ``with uow``."""
    rules = current_rules(uow).rules
    facts = load_facts(uow, scope=scope, today=today, rules=rules)
    changed: dict[str, str] = {}
    differing = 0
    for resident_id, (info, resident_facts) in facts.items():
        suggestion = suggest_colour(resident_facts, rules, today)
        if suggestion is None:
            continue
        if suggestion.colour is not info.suggested_colour:
            changed[resident_id] = suggestion.colour.value
        differing += suggestion.colour is not info.colour
    return len(facts), changed, differing


def _store_suggestions(uow: UnitOfWork, changed: Mapping[str, str]) -> None:
    """Store recomputed suggestions as bookkeeping: no sync stamp, no audit entry, nothing to export.

    A suggestion is derived from the record (every device works it out again, e.g. after an import), so
    storing it is nobody's edit: a bulk update bypasses the flush listener that stamps clocks and audits.
    A doctor's decision (:func:`~app.services.triage.decisions.confirm_suggestions`) still writes it through
    the ORM, stamped and audited with the colour.
    """
    queries.store_suggestions(uow, changed)


@dataclass(frozen=True)
class ReviewRow:
    """A resident whose suggested colour differs from the confirmed one, or whose colour no doctor has confirmed
    yet (``unconfirmed``: e.g. imported from a roster) — one line of the review."""

    resident: ResidentInfo
    institution: str
    suggestion: Suggestion
    unconfirmed: bool = False

    @property
    def resident_id(self) -> str:
        return self.resident.id

    @property
    def colour(self) -> TriageColour:
        return self.resident.colour

    @property
    def suggested(self) -> TriageColour:
        return self.suggestion.colour

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.suggestion.reasons


def triage_review(uow: UnitOfWork, *, today: date, institution_id: str | None = None) -> list[ReviewRow]:
    """Return the residents whose suggested colour differs from their confirmed colour, and those whose colour
    no doctor has confirmed yet.

    The suggestion and its reasons are worked out again from the current record. A resident whose last
    decision already overrode this same suggested colour is left out until the suggestion changes. A
    resident without any decision (imported from a roster, or added by hand) waits here even when the
    suggestion is the green they start with: the colour is a placeholder until a doctor confirms it.
    Ordered by institution, most severe suggestion first, then building, room and bed.
    """
    with uow.reading() as uow:
        rules = current_rules(uow).rules
        candidates = queries.review_candidates(uow, Scope(institution_id))
        if not candidates:
            return []
        facts = load_facts(uow, scope=Scope(resident_ids=tuple(candidates)), today=today, rules=rules)
        names = institution_queries.all_names(uow)
        latest = _latest_decisions(uow, candidates)
    rows = []
    for info, resident_facts in facts.values():
        suggestion = suggest_colour(resident_facts, rules, today)
        if suggestion is None:
            continue
        unconfirmed = info.id not in latest
        if suggestion.colour is info.colour and not unconfirmed:
            continue
        colour, suggested, override = latest.get(info.id, ("", "", ""))
        if override and colour == info.colour.value and suggested == suggestion.colour.value:
            continue  # the doctor already overrode this very suggestion
        rows.append(ReviewRow(info, names.get(info.institution_id, ""), suggestion, unconfirmed))
    rows.sort(key=lambda row: (row.institution, -row.suggested.severity, *bed_sort_key(row.resident)))
    return rows


def _latest_decisions(uow: UnitOfWork, resident_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """Return per resident (colour, suggested colour, override reason) of the latest decision."""
    result: dict[str, tuple[str, str, str]] = {}
    for resident_id, colour, suggested, override, _at in queries.latest_decisions(uow, resident_ids):
        result[resident_id] = (colour, suggested, override)
    return result


def suggest_differences(uow: UnitOfWork, *, today: date, institution_id: str | None = None) -> list[ReviewRow]:
    """Refresh the stored suggestions, then return those that differ from the confirmed colours."""
    refresh_suggestions(uow, today=today, institution_id=institution_id)
    return triage_review(uow, today=today, institution_id=institution_id)
