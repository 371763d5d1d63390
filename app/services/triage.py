"""Triage — 分类管理: rules, suggestions, the doctor's review, confirmation and the colour history.

The rules live in the active :class:`~app.store.models.TriageRuleSet` (the DOMAIN §5–6 defaults when
there is none). :func:`refresh_suggestions` applies them to every resident in residence and stores the
result in ``Resident.suggested_colour``; the review lists residents whose suggestion differs from their
confirmed colour, with the reasons worked out again from the current record. Only a doctor (or an
administrator) confirms or overrides, checked here with :func:`~app.services.authz.require`; each
decision is a :class:`~app.store.models.TriageDecision`, so the history keeps every colour, its reasons,
who decided, when, and why when the suggestion was overridden.

Facts are loaded in bulk: a handful of queries for the whole center (or one institution, or a list of
residents), never a query per resident.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from app.domain.colours import TriageColour
from app.domain.errors import DomainError, ValidationError
from app.domain.i18n import register, t
from app.domain.permissions import Action, allowed
from app.domain.triage import (
    DEFAULT_RULES,
    Reason,
    ResidentFacts,
    Suggestion,
    TriageRules,
    back_from_hospital,
    reasons_from_json,
    reasons_to_json,
    rules_from_dict,
    rules_from_json,
    rules_to_json,
    suggest_colour,
)
from app.domain.validation import strip_controls
from app.services.authz import current_actor, require
from app.store.models import Resident, TriageDecision, TriageRuleSet
from app.store.uow import UnitOfWork

ACTIVE_RULES_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "carerounds:triage-rules:active"))
"""The id of the rule set every device edits, so two devices never make two competing rule sets."""

OVERRIDE_REASON_MAX = 200
_CHUNK = 500

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
        "triage.rules_broken": {
            "zh_CN": "保存的分类规则无法读取（{error}），暂用默认规则",
            "en": "the saved triage rules cannot be read ({error}); using the defaults",
        },
    }
)


# --- rules ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesInfo:
    """The rules in force and where they come from.

    Attributes:
        rules: the rules used for suggestions and plans.
        stored: whether they come from the database (False: the built-in defaults).
        problem: why the stored rules could not be used, or None.
        updated_at: when the stored rules were last saved (UTC), or None.
    """

    rules: TriageRules
    stored: bool
    problem: str | None = None
    updated_at: datetime | None = None


def current_rules(uow: UnitOfWork) -> RulesInfo:
    """Return the rules in force (call inside ``with uow``)."""
    row = uow.session.exec(
        select(TriageRuleSet)
        .where(TriageRuleSet.deleted == False, TriageRuleSet.active == True)
        .order_by(TriageRuleSet.updated_at.desc())  # type: ignore[attr-defined]
    ).first()
    if row is None:
        return RulesInfo(DEFAULT_RULES, stored=False)
    try:
        return RulesInfo(rules_from_json(row.rules), stored=True, updated_at=row.created_at)
    except ValidationError as error:
        return RulesInfo(DEFAULT_RULES, stored=False, problem=t("triage.rules_broken", error=error))


def load_rules(uow: UnitOfWork) -> RulesInfo:
    """Return the rules in force, in their own read transaction."""
    with uow.reading() as uow:
        return current_rules(uow)


def save_rules(uow: UnitOfWork, *, document: Mapping[str, Any] | str) -> TriageRules:
    """Check and store new triage rules as the active rule set (doctor or administrator).

    Args:
        document: the rules document (a mapping as in :func:`~app.domain.triage.rules_to_dict`, or its JSON).

    Returns:
        The rules now in force.

    Raises:
        PermissionDenied: the signed-in role may not edit the rules.
        ValidationError: the document is malformed, a value is out of range or thresholds contradict.
    """
    with uow:
        require(uow, Action.EDIT_TRIAGE_RULES)
        rules = rules_from_json(document) if isinstance(document, str) else rules_from_dict(document)
        text = rules_to_json(rules)
        row = uow.session.get(TriageRuleSet, ACTIVE_RULES_ID)
        if row is None:
            row = TriageRuleSet(id=ACTIVE_RULES_ID, name="active", rules=text, active=True)
        else:
            row.rules, row.active, row.deleted = text, True, False
        uow.session.add(row)
        for other in uow.session.exec(
            select(TriageRuleSet).where(TriageRuleSet.id != ACTIVE_RULES_ID, TriageRuleSet.active == True)
        ):
            other.active = False
            uow.session.add(other)
        uow.commit()
        return rules


def may(uow: UnitOfWork, action: Action) -> bool:
    """Return whether the signed-in staff member may do ``action`` (for screens to enable buttons)."""
    with uow.reading() as uow:
        actor = current_actor(uow)
        return actor is not None and allowed(actor.role, action)


# --- facts ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which residents a bulk load covers: all in residence, one institution's, or a list."""

    institution_id: str | None = None
    resident_ids: tuple[str, ...] | None = None

    def resident_filter(self, alias: str = "r") -> tuple[str, dict[str, Any]]:
        """Return the SQL condition on the resident table and its parameters."""
        where = f"{alias}.deleted = 0 AND {alias}.status = 'in_residence'"
        params: dict[str, Any] = {}
        if self.institution_id is not None:
            where += f" AND {alias}.institution_id = :scope_institution"
            params["scope_institution"] = self.institution_id
        if self.resident_ids is not None:
            where += f" AND {alias}.id IN (SELECT value FROM json_each(:scope_ids))"
            params["scope_ids"] = json.dumps(list(self.resident_ids))
        return where, params

    def related_filter(self, column: str = "resident_id") -> tuple[str, dict[str, Any]]:
        """Return an SQL condition limiting a related table's ``resident_id`` to the scope ("" for all).

        For a list of residents it is the list itself: rows of a listed resident no longer in residence
        may come back, and the bulk loads ignore them (cheaper than finding the list's residents first).
        """
        if self.institution_id is None and self.resident_ids is None:
            return "", {}
        if self.institution_id is None and self.resident_ids is not None:
            return f" AND {column} IN (SELECT value FROM json_each(:scope_ids))", {
                "scope_ids": json.dumps(list(self.resident_ids))
            }
        where, params = self.resident_filter("s")
        return f" AND {column} IN (SELECT s.id FROM resident s WHERE {where})", params


@dataclass(frozen=True)
class ResidentInfo:
    """Who a resident is and where they live: what lists show next to a colour."""

    id: str
    name: str
    sex: str
    birth_date: date
    institution_id: str
    building: str
    room: str
    bed: str
    colour: TriageColour
    suggested_colour: TriageColour
    phone: str = ""

    @property
    def bed_label(self) -> str:
        return bed_label(self.building, self.room, self.bed)


def bed_label(building: str, room: str, bed: str) -> str:
    """Return building, room and bed as one label, e.g. ``A-201-2``."""
    return "-".join(part for part in (building, room, bed) if part)


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def load_facts(
    uow: UnitOfWork, *, scope: Scope, today: date, rules: TriageRules
) -> dict[str, tuple[ResidentInfo, ResidentFacts]]:
    """Return the residents in residence within ``scope`` with the facts the rules need (inside ``with uow``).

    Six queries whatever the number of residents. Visits are read newest first; a visit that a later
    version corrects (``corrects_id``) is skipped.
    """
    where, params = scope.resident_filter()
    residents = uow.fast_rows(
        "SELECT r.id, r.name, r.sex, r.birth_date, r.institution_id, r.building, r.room, r.bed, r.colour, "
        "r.suggested_colour, r.hospice, r.family_bed, r.family_bed_start, r.family_bed_end, r.care_level, "
        f"COALESCE(NULLIF(r.phone, ''), r.guardian_phone) FROM resident r WHERE {where}",
        params,
    )
    related, related_params = scope.related_filter()
    assessments: dict[tuple[str, str], tuple[date, int | None]] = {}
    for resident_id, kind, on, score in uow.fast_rows(
        "SELECT resident_id, kind, MAX(assessed_on), score FROM assessment "
        f"WHERE deleted = 0 AND kind IN ('self_care', 'ad8', 'fall'){related} GROUP BY resident_id, kind",
        related_params,
    ):
        assessments[(resident_id, kind)] = (date.fromisoformat(on), score)
    conditions: dict[str, list[str]] = {}
    for resident_id, code, name in uow.fast_rows(
        # in the order they were recorded (an index on code must not reorder a resident's conditions)
        f"SELECT resident_id, code, name FROM condition WHERE deleted = 0 AND active = 1{related} ORDER BY rowid",
        related_params,
    ):
        conditions.setdefault(resident_id, []).append(code or name)
    referrals: dict[str, tuple[date, str]] = {}
    for resident_id, opened, destination in uow.fast_rows(
        "SELECT resident_id, opened_on, destination FROM referral "
        f"WHERE deleted = 0 AND closed_on IS NULL{related} ORDER BY opened_on",
        related_params,
    ):
        referrals[resident_id] = (date.fromisoformat(opened), destination)
    changes: dict[str, list[tuple[date, str]]] = {}
    for resident_id, on, status in uow.fast_rows(
        f"SELECT resident_id, on_date, status FROM statuschange WHERE deleted = 0{related}", related_params
    ):
        changes.setdefault(resident_id, []).append((date.fromisoformat(on), status))
    vitals = _latest_vitals(uow, where, params, max(2, rules.red.not_controlled_in_a_row))

    result: dict[str, tuple[ResidentInfo, ResidentFacts]] = {}
    for row in residents:
        (
            resident_id,
            name,
            sex,
            birth,
            institution_id,
            building,
            room,
            bed,
            colour,
            suggested,
            hospice,
            family_bed,
            bed_start,
            bed_end,
            care_level,
            phone,
        ) = row
        info = ResidentInfo(
            resident_id,
            name,
            sex,
            date.fromisoformat(birth),
            institution_id,
            building,
            room,
            bed,
            TriageColour(colour),
            TriageColour(suggested),
            phone or "",
        )
        codes = tuple(conditions.get(resident_id, ()))
        self_care = assessments.get((resident_id, "self_care"))
        ad8 = assessments.get((resident_id, "ad8"))
        fall = assessments.get((resident_id, "fall"))
        last_bp, last_glucose, classes = vitals.get(resident_id, (None, None, ()))
        facts = ResidentFacts(
            birth_date=info.birth_date,
            in_residence=True,
            self_care_score=self_care[1] if self_care else None,
            care_level=care_level,
            hospice=bool(hospice),
            family_bed=bool(family_bed),
            family_bed_start=_date(bed_start),
            family_bed_end=_date(bed_end),
            last_bp=last_bp,
            last_glucose=last_glucose,
            chronic_classes=classes,
            open_referral=referrals.get(resident_id),
            back_from_hospital=back_from_hospital(changes.get(resident_id, ())),
            ad8_score=ad8[1] if ad8 else None,
            dementia_diagnosed="dementia" in codes,
            conditions=codes,
            last_fall=fall[0] if fall else None,
        )
        result[resident_id] = (info, facts)
    return result


Vitals = tuple[tuple[date, int, int] | None, tuple[date, float] | None, tuple[str, ...]]


_UNCORRECTED = "NOT EXISTS (SELECT 1 FROM visit c WHERE c.corrects_id = v.id AND c.deleted = 0)"
"""A visit no later version corrects (``ix_visit_corrects`` finds the corrections)."""

_LATEST_VITALS = f"""
SELECT r.id, b.visit_date, b.sbp, b.dbp, g.visit_date, g.glucose,
    (SELECT group_concat(k.chronic_class, ',') FROM (
        SELECT v.chronic_class FROM visit v
        WHERE v.resident_id = r.id AND v.chronic_class != '' AND v.deleted = 0 AND {_UNCORRECTED}
        ORDER BY v.visit_date DESC, v.rowid DESC LIMIT :classes) k)
FROM resident r
LEFT JOIN visit b ON b.rowid = (
    SELECT v.rowid FROM visit v INDEXED BY ix_visit_resident_date
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.sbp IS NOT NULL AND v.dbp IS NOT NULL AND {_UNCORRECTED}
    ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 1)
LEFT JOIN visit g ON g.rowid = (
    SELECT v.rowid FROM visit v INDEXED BY ix_visit_resident_date
    WHERE v.resident_id = r.id AND v.deleted = 0 AND v.glucose IS NOT NULL AND {_UNCORRECTED}
    ORDER BY v.visit_date DESC, v.rowid DESC LIMIT 1)
WHERE {{where}}
"""


def _latest_vitals(uow: UnitOfWork, where: str, params: dict[str, Any], classes_wanted: int) -> dict[str, Vitals]:
    """Return per resident (of the scope ``where``) the last BP, the last glucose and the last chronic
    classifications, newest first, leaving out visits a later version corrects.

    A few index seeks per resident, walking each one's visits backwards from the newest
    (``ix_visit_resident_date``, ``ix_visit_follow_up``): never the whole visit table.
    """
    result: dict[str, Vitals] = {}
    day = date.fromisoformat
    for resident_id, bp_day, sbp, dbp, glucose_day, glucose, classes in uow.fast_rows(
        _LATEST_VITALS.format(where=where), {**params, "classes": classes_wanted}
    ):
        result[resident_id] = (
            (day(bp_day), sbp, dbp) if bp_day is not None else None,
            (day(glucose_day), glucose) if glucose_day is not None else None,
            tuple(classes.split(",")) if classes else (),
        )
    return result


# --- suggestions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    """What :func:`refresh_suggestions` did."""

    residents: int
    changed: int
    differing: int


def refresh_suggestions(
    uow: UnitOfWork,
    *,
    today: date,
    institution_id: str | None = None,
    resident_ids: Sequence[str] | None = None,
) -> RefreshResult:
    """Work out every suggestion again and store the ones that changed in ``Resident.suggested_colour``.

    Anybody may run it: it changes no confirmed colour. Call it after visits, assessments or an import.

    Args:
        today: the day the rules are applied on.
        institution_id: only this institution's residents.
        resident_ids: only these residents.
    """
    scope = Scope(institution_id, tuple(resident_ids) if resident_ids is not None else None)
    with uow.reading() as reader:  # usually nothing changed: no write lock for that
        checked, changed, differing = _suggestions(reader, scope, today)
    if changed:
        with uow:  # under the write lock, worked out again for those residents: what is stored is current
            _, changed, _ = _suggestions(uow, Scope(resident_ids=tuple(changed)), today)
            if changed:
                _store_suggestions(uow, changed)
                uow.commit()
    return RefreshResult(checked, len(changed), differing)


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
    storing it is nobody's edit: a bulk UPDATE bypasses the flush listener that stamps clocks and audits.
    A doctor's decision (:func:`_decide`) still writes it through the ORM, stamped and audited with the colour.
    """
    by_colour: dict[str, list[str]] = {}
    for resident_id, colour in changed.items():
        by_colour.setdefault(colour, []).append(resident_id)
    for colour, ids in by_colour.items():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            uow.session.execute(
                update(Resident)
                .where(Resident.id.in_(chunk))  # type: ignore[attr-defined]
                .values(suggested_colour=colour)
                .execution_options(synchronize_session=False)
            )


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
        where, params = Scope(institution_id).resident_filter()
        candidates = [
            row[0]
            for row in uow.fast_rows(
                f"SELECT r.id FROM resident r WHERE {where} AND (r.suggested_colour != r.colour "
                "OR NOT EXISTS (SELECT 1 FROM triagedecision d WHERE d.resident_id = r.id AND d.deleted = 0))",
                params,
            )
        ]
        if not candidates:
            return []
        facts = load_facts(uow, scope=Scope(resident_ids=tuple(candidates)), today=today, rules=rules)
        names = dict(uow.fast_rows("SELECT id, name FROM institution"))
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


def bed_sort_key(resident: Any) -> tuple[Any, ...]:
    """Return a key ordering residents by building, room and bed, numbers by value (2 before 10)."""
    return (natural_key(resident.building), natural_key(resident.room), natural_key(resident.bed), resident.name)


def natural_key(text: str) -> tuple[tuple[int, Any], ...]:
    """Return a key that orders "2" before "10" and "A2" before "A10"."""
    parts: list[tuple[int, Any]] = []
    number = ""
    word = ""
    for char in text:
        if char.isdigit():
            if word:
                parts.append((1, word))
                word = ""
            number += char
        else:
            if number:
                parts.append((0, int(number)))
                number = ""
            word += char
    if number:
        parts.append((0, int(number)))
    if word:
        parts.append((1, word))
    return tuple(parts)


def _latest_decisions(uow: UnitOfWork, resident_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """Return per resident (colour, suggested colour, override reason) of the latest decision."""
    result: dict[str, tuple[str, str, str]] = {}
    for resident_id, colour, suggested, override, _at in uow.fast_rows(
        "SELECT resident_id, colour, suggested_colour, override_reason, MAX(decided_at) FROM triagedecision "
        "WHERE deleted = 0 AND resident_id IN (SELECT value FROM json_each(:ids)) GROUP BY resident_id",
        {"ids": json.dumps(list(resident_ids))},
    ):
        result[resident_id] = (colour, suggested, override)
    return result


def suggest_differences(uow: UnitOfWork, *, today: date, institution_id: str | None = None) -> list[ReviewRow]:
    """Refresh the stored suggestions, then return those that differ from the confirmed colours."""
    refresh_suggestions(uow, today=today, institution_id=institution_id)
    return triage_review(uow, today=today, institution_id=institution_id)


# --- decisions ------------------------------------------------------------------------------------------------


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
        rows = uow.fast_rows(
            "SELECT d.decided_at, d.colour, d.suggested_colour, d.reasons, COALESCE(s.name, ''), d.override_reason "
            "FROM triagedecision d LEFT JOIN staff s ON s.id = d.confirmed_by "
            "WHERE d.resident_id = :id AND d.deleted = 0 ORDER BY d.decided_at DESC",
            {"id": resident_id},
        )
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
