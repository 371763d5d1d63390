"""Triage — 分类 — the engine that suggests a resident's colour.

The rules are a versioned JSON document (DOMAIN §5–6 defaults; :mod:`app.domain.triage_rules`, whose names
are importable from here), stored in the database and editable by a doctor or an administrator.
:func:`suggest_colour` applies them to a plain :class:`ResidentFacts` on a given day and returns the most
severe colour whose rule matched, with *every* matching rule as a :class:`Reason` (a message key and
parameters, worded for a nurse in either language: :mod:`app.domain.triage_words`). The engine only
suggests: a doctor confirms. :func:`colour_steady_until` says until when a suggestion stays as it is while
no fact changes (the passage of time: readings expire, windows close, birthdays).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.domain.colours import TriageColour
from app.domain.i18n import t
from app.domain.triage_rules import (
    CHRONIC_FOLLOW_UP_DEFAULT,
    DEFAULT_RULES,
    RULE_FIELDS,
    RULES_SCHEMA,
    SECTIONS,
    RedRules,
    RuleField,
    TriageRules,
    VisitRules,
    YellowRules,
    check_consistency,
    rules_from_dict,
    rules_from_json,
    rules_to_dict,
    rules_to_json,
)

__all__ = [
    "CHRONIC_FOLLOW_UP_DEFAULT",
    "DATED_READINGS",
    "DEFAULT_RULES",
    "RULES_SCHEMA",
    "RULE_FIELDS",
    "SECTIONS",
    "Reason",
    "RedRules",
    "ResidentFacts",
    "RuleField",
    "Suggestion",
    "TriageRules",
    "VisitRules",
    "YellowRules",
    "age_on",
    "back_from_hospital",
    "birthday",
    "check_consistency",
    "class_streams",
    "colour_steady_until",
    "fall_horizon",
    "family_bed_open",
    "make_reason",
    "reading_counts",
    "reasons_from_json",
    "reasons_to_json",
    "rules_from_dict",
    "rules_from_json",
    "rules_to_dict",
    "rules_to_json",
    "suggest_colour",
]

# --- facts and reasons -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentFacts:
    """What the rules look at, for one resident, as plain values (loaded by the services).

    Attributes:
        birth_date: date of birth.
        in_residence: whether the resident lives in the home now (only they are triaged).
        self_care_score: the latest self-care score (0–37), or None.
        care_level: the latest care level (0–6), or None.
        hospice: in hospice care (安宁疗护).
        family_bed: a family bed (家庭病床) is open; ``family_bed_start``/``family_bed_end`` bound it.
        last_bp: (date, SBP, DBP) of the latest visit that recorded a blood pressure.
        last_glucose: (date, mmol/L) of the latest visit that recorded a glucose.
        last_spo2, last_temperature, last_pulse: (date, value) of the latest visit that recorded one.
            A reading counts for ``reading_valid_days`` (30) days, then expires (DOMAIN §5).
        chronic_classes: chronic-disease follow-up classifications (controlled, not_controlled,
            adverse_reaction, complication), the most recent first — visits of before the per-disease forms.
        follow_ups: per disease (``hypertension``, ``diabetes``) its classifications, the most recent first;
            when given, "not controlled in a row" counts per disease and ``chronic_classes`` is not used.
        open_referral: (date opened, destination) of the oldest referral not yet closed, or None.
        back_from_hospital: the day the resident came back from hospital last, or None.
        referral_returned: the day the latest referral closed with "treated and returned", or None.
        ad8_score: the latest interpretable AD8 score, or None (a screen with ≥ 4 "don't know" is not).
        dementia_diagnosed: a diagnosis (dementia recorded as a condition) explains a positive AD8.
        conditions: the active chronic conditions (codes, or names for free text).
        last_fall: the day of the latest fall, or None.
    """

    birth_date: date
    in_residence: bool = True
    self_care_score: int | None = None
    care_level: int | None = None
    hospice: bool = False
    family_bed: bool = False
    family_bed_start: date | None = None
    family_bed_end: date | None = None
    last_bp: tuple[date, int, int] | None = None
    last_glucose: tuple[date, float] | None = None
    chronic_classes: tuple[str, ...] = ()
    open_referral: tuple[date, str] | None = None
    back_from_hospital: date | None = None
    last_spo2: tuple[date, int] | None = None
    last_temperature: tuple[date, float] | None = None
    last_pulse: tuple[date, int] | None = None
    follow_ups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    referral_returned: date | None = None
    ad8_score: int | None = None
    dementia_diagnosed: bool = False
    conditions: tuple[str, ...] = ()
    last_fall: date | None = None


@dataclass(frozen=True)
class Reason:
    """Why a rule matched: a catalogue message and its parameters, formatted when shown.

    Attributes:
        colour: the colour of the rule that matched.
        key: message key, e.g. ``triage.bp_urgent``.
        params: message parameters (JSON values only), as sorted pairs so the reason is hashable.
    """

    colour: TriageColour
    key: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def text(self) -> str:
        """Return the reason in the current language.

        A reading's reason stored before readings expired (issue #16) has no ``days``: it is worded as then.
        """
        params = dict(self.params)
        if self.key in DATED_READINGS and "days" not in params:
            return t(f"{self.key}.undated", **params)
        return t(self.key, **params)

    @property
    def code(self) -> str:
        """Return the rule's short name (the key without ``triage.``)."""
        return self.key.removeprefix("triage.")

    def param(self, name: str) -> Any:
        return dict(self.params).get(name)

    def to_dict(self) -> dict[str, Any]:
        return {"colour": self.colour.value, "key": self.key, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(TriageColour(data["colour"]), str(data["key"]), _pairs(data.get("params", {})))


def make_reason(colour: TriageColour, key: str, **params: Any) -> Reason:
    return Reason(colour, key, _pairs(params))


def _pairs(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(params.items()))


def reasons_to_json(reasons: Sequence[Reason]) -> str:
    """Return reasons as stored in the colour history (``TriageDecision.reasons``)."""
    return json.dumps([reason.to_dict() for reason in reasons], ensure_ascii=False)


def reasons_from_json(text: str) -> tuple[Reason, ...]:
    """Read stored reasons; text that is not a list of reasons gives none (old or foreign rows)."""
    try:
        data = json.loads(text) if text else []
        return tuple(Reason.from_dict(item) for item in data)
    except (TypeError, ValueError, KeyError):
        return ()


@dataclass(frozen=True)
class Suggestion:
    """The engine's answer: the suggested colour and every reason, most severe first."""

    colour: TriageColour
    reasons: tuple[Reason, ...]

    @property
    def text(self) -> str:
        """Return all reasons in one line of the current language."""
        return t("triage.reason_separator").join(reason.text for reason in self.reasons)


def age_on(birth_date: date, day: date) -> int:
    """Return the age in whole years on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def suggest_colour(facts: ResidentFacts, rules: TriageRules, today: date) -> Suggestion | None:
    """Apply the rules to one resident on ``today``.

    Returns:
        The most severe colour whose rule matched and the reasons of every rule that matched (red ones
        first); green with the reason ``triage.no_risk`` when none matched; None for a resident who is not
        in residence (only residents in residence are triaged).
    """
    if not facts.in_residence:
        return None
    reasons = _red_reasons(facts, rules.red, today) + _yellow_reasons(facts, rules, today)
    if not reasons:
        return Suggestion(TriageColour.GREEN, (make_reason(TriageColour.GREEN, "triage.no_risk"),))
    colour = max((reason.colour for reason in reasons), key=lambda colour: colour.severity)
    return Suggestion(colour, reasons)


def colour_steady_until(facts: ResidentFacts, rules: TriageRules, today: date) -> date | None:
    """Return the first day after ``today`` on which the suggested colour may differ while no fact changes, or
    None when time alone never changes it.

    Every rule that looks at the day is a window: a reading counts from its day for ``reading_valid_days``
    days (DOMAIN §5: a reading 30 days old counts, 31 days old no longer), a return from hospital or from a
    referral for ``back_from_hospital_days``, a fall for ``fall_within_days``, a family bed between its start
    and its end; and the age rule starts at the birthday of ``age_min`` (29 February: 1 March in other
    years, as :func:`age_on` counts). Each window's opening and closing day later than ``today`` is a day the
    colour *may* change, whether or not the rule matters today (a non-urgent reading's expiry changes
    nothing, but it is counted: erring on re-evaluating is harmless, missing a day is not). The colour
    suggested on ``today`` holds on every day before the returned one. The age of 65 (the annual check), the
    14 days after which an open referral is due for follow-up, and the age in a reason's words do not change
    the colour: they are worked out when shown.
    """
    red, yellow = rules.red, rules.yellow
    days: list[date] = []

    def window(start: date, length: int) -> None:
        """A rule that holds ``0 <= (day - start).days <= length``: it opens on ``start``, closes after."""
        days.append(start)
        if start < date.max - timedelta(days=length + 1):
            days.append(start + timedelta(days=length + 1))

    for reading in (facts.last_bp, facts.last_glucose, facts.last_spo2, facts.last_temperature, facts.last_pulse):
        if reading is not None:
            window(reading[0], red.reading_valid_days)
    for back in (facts.back_from_hospital, facts.referral_returned):
        if back is not None:
            window(back, red.back_from_hospital_days)
    if facts.last_fall is not None:
        window(facts.last_fall, yellow.fall_within_days)
    if facts.family_bed:
        if facts.family_bed_start is not None:
            days.append(facts.family_bed_start)
        if facts.family_bed_end is not None and facts.family_bed_end < date.max:
            days.append(facts.family_bed_end + timedelta(days=1))
    if age_on(facts.birth_date, today) < yellow.age_min and facts.birth_date.year + yellow.age_min <= date.max.year:
        days.append(birthday(facts.birth_date, yellow.age_min))
    later = [day for day in days if day > today]
    return min(later) if later else None


def birthday(birth_date: date, years: int) -> date:
    """Return the day someone born on ``birth_date`` turns ``years`` old (29 February: 1 March in other years)."""
    year = birth_date.year + years
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February, not a leap year
        return date(year, 3, 1)


def _red_reasons(facts: ResidentFacts, red: RedRules, today: date) -> tuple[Reason, ...]:
    R = TriageColour.RED
    found: list[Reason] = []
    if facts.self_care_score is not None and facts.self_care_score >= red.self_care_min:
        found.append(make_reason(R, "triage.self_care_dependent", score=facts.self_care_score, min=red.self_care_min))
    if facts.care_level is not None and facts.care_level >= red.care_level_min:
        found.append(make_reason(R, "triage.care_level_high", level=facts.care_level, min=red.care_level_min))
    if red.hospice and facts.hospice:
        found.append(make_reason(R, "triage.hospice"))
    if red.family_bed and family_bed_open(facts, today):
        found.append(make_reason(R, "triage.family_bed"))
    found.extend(_urgent_readings(facts, red, today))
    n = red.not_controlled_in_a_row
    streams = class_streams(facts)
    if any(len(classes) >= n and all(c == "not_controlled" for c in classes[:n]) for classes in streams):
        found.append(make_reason(R, "triage.not_controlled_repeated", count=n))
    if red.complication and any(classes and classes[0] == "complication" for classes in streams):
        found.append(make_reason(R, "triage.complication"))
    if red.open_referral and facts.open_referral is not None:
        opened, destination = facts.open_referral
        found.append(make_reason(R, "triage.open_referral", date=opened.isoformat(), destination=destination))
    for key, back in (
        ("triage.back_from_hospital", facts.back_from_hospital),
        ("triage.referral_returned", facts.referral_returned),
    ):
        if back is not None and 0 <= (today - back).days <= red.back_from_hospital_days:
            found.append(
                make_reason(R, key, date=back.isoformat(), days=(today - back).days, within=red.back_from_hospital_days)
            )
    return tuple(found)


DATED_READINGS = frozenset(
    {"triage.bp_urgent", "triage.glucose_high", "triage.glucose_low", "triage.spo2_low", "triage.fever"}
    | {"triage.pulse_fast"}
)
"""Reasons from a reading at a visit: they say how old the reading is, and expire."""


def reading_counts(day: date, today: date, red: RedRules) -> bool:
    """Return whether a reading taken on ``day`` still counts on ``today`` (at most ``reading_valid_days`` old)."""
    return 0 <= (today - day).days <= red.reading_valid_days


def _urgent_readings(facts: ResidentFacts, red: RedRules, today: date) -> list[Reason]:
    """Return the red reasons of urgent readings (DOMAIN §4, §5) taken in the last ``reading_valid_days`` days."""
    R = TriageColour.RED
    found: list[Reason] = []

    def dated(key: str, day: date, **params: Any) -> None:
        found.append(make_reason(R, key, date=day.isoformat(), days=(today - day).days, **params))

    if facts.last_bp is not None and reading_counts(facts.last_bp[0], today, red):
        day, sbp, dbp = facts.last_bp
        if sbp >= red.sbp_min or dbp >= red.dbp_min:
            dated("triage.bp_urgent", day, sbp=sbp, dbp=dbp, sbp_min=red.sbp_min, dbp_min=red.dbp_min)
    if facts.last_glucose is not None and reading_counts(facts.last_glucose[0], today, red):
        day, value = facts.last_glucose
        if value >= red.glucose_high_min:
            dated("triage.glucose_high", day, value=value, min=red.glucose_high_min)
        elif value <= red.glucose_low_below:
            dated("triage.glucose_low", day, value=value, below=red.glucose_low_below)
    if facts.last_spo2 is not None and reading_counts(facts.last_spo2[0], today, red):
        day, spo2 = facts.last_spo2
        if spo2 < red.spo2_below:
            dated("triage.spo2_low", day, value=spo2, below=red.spo2_below)
    if facts.last_temperature is not None and reading_counts(facts.last_temperature[0], today, red):
        day, temperature = facts.last_temperature
        if temperature > red.temperature_above:
            dated("triage.fever", day, value=temperature, above=red.temperature_above)
    diabetic = "diabetes_t2" in facts.conditions
    if diabetic and facts.last_pulse is not None and reading_counts(facts.last_pulse[0], today, red):
        day, pulse = facts.last_pulse
        if pulse > red.diabetic_pulse_above:
            dated("triage.pulse_fast", day, value=pulse, above=red.diabetic_pulse_above)
    return found


def class_streams(facts: ResidentFacts) -> tuple[tuple[str, ...], ...]:
    """Return the classifications to judge, one newest-first sequence per disease (or the visits' one)."""
    if facts.follow_ups:
        return tuple(classes for _, classes in facts.follow_ups)
    return (facts.chronic_classes,)


def _yellow_reasons(facts: ResidentFacts, rules: TriageRules, today: date) -> tuple[Reason, ...]:
    Y = TriageColour.YELLOW
    red, yellow = rules.red, rules.yellow
    found: list[Reason] = []
    score = facts.self_care_score
    if score is not None and yellow.self_care_min <= score < red.self_care_min:
        found.append(
            make_reason(Y, "triage.self_care_partial", score=score, min=yellow.self_care_min, max=red.self_care_min - 1)
        )
    level = facts.care_level
    if level is not None and yellow.care_level_min <= level < red.care_level_min:
        found.append(
            make_reason(Y, "triage.care_level_mid", level=level, min=yellow.care_level_min, max=red.care_level_min - 1)
        )
    if facts.ad8_score is not None and facts.ad8_score >= yellow.ad8_min and not facts.dementia_diagnosed:
        found.append(make_reason(Y, "triage.ad8_positive", score=facts.ad8_score, min=yellow.ad8_min))
    last_classes = {classes[0] for classes in class_streams(facts) if classes}
    if yellow.not_controlled and "not_controlled" in last_classes:
        found.append(make_reason(Y, "triage.not_controlled"))
    if yellow.adverse_reaction and "adverse_reaction" in last_classes:
        found.append(make_reason(Y, "triage.adverse_reaction"))
    age = age_on(facts.birth_date, today)
    if age >= yellow.age_min and len(facts.conditions) >= yellow.conditions_min:
        found.append(
            make_reason(
                Y,
                "triage.old_multimorbid",
                age=age,
                age_min=yellow.age_min,
                count=len(facts.conditions),
                count_min=yellow.conditions_min,
            )
        )
    fall = facts.last_fall
    if fall is not None and 0 <= (today - fall).days <= yellow.fall_within_days:
        found.append(
            make_reason(
                Y, "triage.fall", date=fall.isoformat(), days=(today - fall).days, within=yellow.fall_within_days
            )
        )
    return tuple(found)


def family_bed_open(facts: ResidentFacts, today: date) -> bool:
    """Return whether the resident's family bed is open on ``today`` (flag set, within its dates)."""
    if not facts.family_bed:
        return False
    if facts.family_bed_start is not None and facts.family_bed_start > today:
        return False
    return facts.family_bed_end is None or facts.family_bed_end >= today


def back_from_hospital(changes: Sequence[tuple[date, str]]) -> date | None:
    """Return the day a resident last came back from hospital, from their status changes.

    Args:
        changes: (date, status) pairs in any order.

    Returns:
        The date of the latest return to ``in_residence`` that followed a ``hospitalized`` change, or None.
    """
    returned: date | None = None
    in_hospital = False
    for day, status in sorted(changes):
        if status == "hospitalized":
            in_hospital = True
        elif status == "in_residence" and in_hospital:
            returned, in_hospital = day, False
        else:
            in_hospital = False
    return returned


def fall_horizon(rules: TriageRules, today: date) -> date:
    """Return the earliest fall date that can still matter on ``today``."""
    return today - timedelta(days=rules.yellow.fall_within_days)
