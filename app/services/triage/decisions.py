"""Triage decisions — 确认分类: a doctor (or administrator) confirms the suggested colours or overrides them with
a reason; each decision is kept, and one resident's colour, suggestion and history are read back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from app.domain.colours import TriageColour
from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.triage import (
    Reason,
    Suggestion,
    reasons_from_json,
    reasons_to_json,
    suggest_colour,
)
from app.domain.validation import strip_controls
from app.services.authz import require
from app.services.triage.facts import load_facts
from app.services.triage.rules import current_rules
from app.store.models import Resident, TriageDecision
from app.store.queries import triage as queries
from app.store.queries.triage import Scope
from app.store.uow import UnitOfWork

OVERRIDE_REASON_MAX = 200

register(
    {
        "field.override_reason": {"zh_CN": "调整原因", "en": "reason for the override"},
        "field.resident": {"zh_CN": "居民", "en": "resident"},
        "triage.override_reason_required": {
            "zh_CN": "不采用建议分类时必须填写原因",
            "en": "give a reason when not following the suggestion",
        },
        "triage.override_reason_too_long": {
            "zh_CN": "最多 {maximum} 个字",
            "en": "at most {maximum} characters",
        },
        "triage.rejected.not_found": {"zh_CN": "找不到该居民", "en": "no such resident"},
        "triage.rejected.not_in_residence": {
            "zh_CN": "不在住，不做分类",
            "en": "not in residence, so not triaged",
        },
        "triage.rejected.changed": {
            "zh_CN": "建议已变为“{now}”（列表显示“{seen}”），请刷新后再确认",
            "en": "the suggestion is now {now} (the list showed {seen}); refresh and confirm again",
        },
    }
)


@dataclass(frozen=True)
class Rejected:
    """A resident a confirmation or override did not apply to, and why (in words)."""

    resident_id: str
    name: str
    message: str


@dataclass(frozen=True)
class TriageChanges:
    """What a confirmation or override changed."""

    decided: tuple[str, ...]
    rejected: tuple[Rejected, ...] = ()


def confirm_suggestions(
    uow: UnitOfWork,
    *,
    resident_ids: Sequence[str],
    today: date,
    expected: Mapping[str, TriageColour] | None = None,
) -> TriageChanges:
    """Confirm the suggested colour of each resident (doctor or administrator).

    Args:
        resident_ids: the residents to confirm.
        today: the day the rules are applied on.
        expected: the suggested colour the doctor saw, per resident; a resident whose suggestion has
            changed since is rejected rather than confirmed blindly.

    Raises:
        PermissionDenied: the signed-in role may not confirm colours (nurses, assistants).
    """
    return _decide(uow, resident_ids=resident_ids, today=today, expected=expected, colour=None, reason="")


def override_colour(
    uow: UnitOfWork, *, resident_ids: Sequence[str], colour: TriageColour, reason: str, today: date
) -> TriageChanges:
    """Set a colour other than (or regardless of) the suggestion, with the reason (doctor or administrator).

    Raises:
        PermissionDenied: the signed-in role may not confirm colours.
        ValidationError: on ``override_reason`` when the reason is empty or too long.
    """
    cleaned = " ".join(strip_controls(reason).split())
    if not cleaned:
        raise ValidationError("override_reason", reason, "triage.override_reason_required")
    if len(cleaned) > OVERRIDE_REASON_MAX:
        raise ValidationError(
            "override_reason", cleaned[:20] + "…", "triage.override_reason_too_long", maximum=OVERRIDE_REASON_MAX
        )
    return _decide(uow, resident_ids=resident_ids, today=today, expected=None, colour=colour, reason=cleaned)


def _decide(
    uow: UnitOfWork,
    *,
    resident_ids: Sequence[str],
    today: date,
    expected: Mapping[str, TriageColour] | None,
    colour: TriageColour | None,
    reason: str,
) -> TriageChanges:
    ids = list(dict.fromkeys(resident_ids))
    with uow:
        actor = require(uow, Action.CONFIRM_TRIAGE)
        rules = current_rules(uow).rules
        facts = load_facts(uow, scope=Scope(resident_ids=tuple(ids)), today=today, rules=rules)
        decided: list[str] = []
        rejected: list[Rejected] = []
        now = datetime.now(timezone.utc)
        for resident_id in ids:
            resident = uow.session.get(Resident, resident_id)
            if resident is None or resident.deleted:
                rejected.append(Rejected(resident_id, "", t("triage.rejected.not_found")))
                continue
            loaded = facts.get(resident_id)
            suggestion = suggest_colour(loaded[1], rules, today) if loaded else None
            if suggestion is None:
                rejected.append(Rejected(resident_id, resident.name, t("triage.rejected.not_in_residence")))
                continue
            seen = (expected or {}).get(resident_id)
            if colour is None and seen is not None and TriageColour(seen) is not suggestion.colour:
                rejected.append(
                    Rejected(
                        resident_id,
                        resident.name,
                        t("triage.rejected.changed", now=suggestion.colour.badge, seen=TriageColour(seen).badge),
                    )
                )
                continue
            chosen = colour or suggestion.colour
            uow.session.add(
                TriageDecision(
                    resident_id=resident_id,
                    colour=chosen.value,
                    suggested_colour=suggestion.colour.value,
                    reasons=reasons_to_json(suggestion.reasons),
                    confirmed_by=actor.staff_id,
                    decided_at=now,
                    override_reason=reason,
                )
            )
            resident.colour = chosen.value
            resident.suggested_colour = suggestion.colour.value
            if hasattr(resident, "updated_by"):
                resident.updated_by = actor.staff_id
            uow.session.add(resident)
            decided.append(resident_id)
        if decided:
            uow.commit()
        return TriageChanges(tuple(decided), tuple(rejected))


# --- one resident -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One decision in a resident's colour history."""

    decided_at: datetime
    colour: TriageColour
    suggested: TriageColour
    reasons: tuple[Reason, ...]
    decided_by: str
    override_reason: str

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


@dataclass(frozen=True)
class ResidentTriage:
    """A resident's triage: confirmed colour, current suggestion with reasons, and the history (newest first)."""

    resident_id: str
    name: str
    colour: TriageColour
    suggestion: Suggestion | None
    history: tuple[HistoryEntry, ...]


class ResidentNotFound(DomainError):
    """No resident with this id."""


def resident_triage(uow: UnitOfWork, *, resident_id: str, today: date) -> ResidentTriage:
    """Return one resident's confirmed colour, suggestion with every reason, and colour history.

    Raises:
        ResidentNotFound: no such resident.
    """
    with uow.reading() as uow:
        resident = uow.session.get(Resident, resident_id)
        if resident is None or resident.deleted:
            raise ResidentNotFound("triage.rejected.not_found")
        rules = current_rules(uow).rules
        facts = load_facts(uow, scope=Scope(resident_ids=(resident_id,)), today=today, rules=rules)
        loaded = facts.get(resident_id)
        suggestion = suggest_colour(loaded[1], rules, today) if loaded else None
        rows = queries.decision_history(uow, resident_id)
        history = tuple(
            HistoryEntry(
                _moment(at), TriageColour(colour), TriageColour(suggested), reasons_from_json(reasons), by, override
            )
            for at, colour, suggested, reasons, by, override in rows
        )
        return ResidentTriage(resident_id, resident.name, TriageColour(resident.colour), suggestion, history)


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
