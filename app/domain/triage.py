"""Triage rules — 分类规则 — as data, and the engine that suggests a resident's colour.

The rules are a versioned JSON document (DOMAIN §5–6 defaults), stored in the database and editable by a
doctor or an administrator. :func:`suggest_colour` applies them to a plain :class:`ResidentFacts` on a
given day and returns the most severe colour whose rule matched, with *every* matching rule as a
:class:`Reason` (a message key and parameters, worded for a nurse in either language). The engine only
suggests: a doctor confirms.

JSON layout (``schema`` 1)::

    {"schema": 1,
     "red":    {"self_care_min": 19, "care_level_min": 5, "hospice": true, ...},
     "yellow": {"self_care_min": 4, "care_level_min": 2, "ad8_min": 2, ...},
     "visits": {"red_days": 7, "yellow_days": 14, "green_days": 28, ...}}

Missing keys take their default (so a document saved by an older version still loads); unknown keys,
wrong types, values out of range and contradictory thresholds are refused with the field named.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from app.domain.colours import TriageColour
from app.domain.conditions import BY_CODE
from app.domain.errors import ValidationError
from app.domain.i18n import register, t

RULES_SCHEMA = 1
"""Version of the rules document this code writes and the newest it reads."""

SECTIONS = ("red", "yellow", "visits")

# --- the rules ---------------------------------------------------------------------------------------------


def _number(default: float, minimum: float, maximum: float) -> Any:
    return field(default=default, metadata={"min": minimum, "max": maximum})


def _switch(default: bool) -> Any:
    return field(default=default, metadata={})


@dataclass(frozen=True)
class RedRules:
    """When a resident is red — 重点人群. Thresholds are inclusive (≥) unless the name says ``below``."""

    self_care_min: int = _number(19, 1, 50)
    care_level_min: int = _number(5, 1, 6)
    hospice: bool = _switch(True)
    family_bed: bool = _switch(True)
    sbp_min: int = _number(180, 100, 300)
    dbp_min: int = _number(110, 60, 200)
    glucose_high_min: float = _number(16.7, 5.0, 40.0)
    # "below" by its stored name, but inclusive since issue #16: 3.9 mmol/L itself is urgent (DOMAIN §4)
    glucose_low_below: float = _number(3.9, 1.0, 10.0)
    spo2_below: int = _number(90, 50, 100)
    temperature_above: float = _number(39.0, 37.0, 45.0)
    diabetic_pulse_above: int = _number(100, 60, 250)
    reading_valid_days: int = _number(30, 1, 365)
    not_controlled_in_a_row: int = _number(2, 1, 10)
    complication: bool = _switch(True)
    open_referral: bool = _switch(True)
    back_from_hospital_days: int = _number(30, 0, 365)


@dataclass(frozen=True)
class YellowRules:
    """When a resident is yellow — 次重点人群 (unless a red rule matches)."""

    self_care_min: int = _number(4, 1, 50)
    care_level_min: int = _number(2, 1, 6)
    ad8_min: int = _number(2, 1, 8)
    not_controlled: bool = _switch(True)
    adverse_reaction: bool = _switch(True)
    age_min: int = _number(80, 40, 120)
    conditions_min: int = _number(2, 1, 20)
    fall_within_days: int = _number(180, 0, 730)


CHRONIC_FOLLOW_UP_DEFAULT = ("hypertension", "diabetes_t2")


@dataclass(frozen=True)
class VisitRules:
    """Visit intervals — 随访间隔 (DOMAIN §6): days between visits per colour, annual check, chronic follow-up."""

    red_days: int = _number(7, 1, 90)
    yellow_days: int = _number(14, 1, 180)
    green_days: int = _number(28, 1, 365)
    annual_check_age: int = _number(65, 0, 120)
    annual_check_days: int = _number(365, 30, 730)
    chronic_follow_up_days: int = _number(90, 7, 365)
    recheck_days: int = _number(14, 1, 90)
    chronic_follow_up_conditions: tuple[str, ...] = field(default=CHRONIC_FOLLOW_UP_DEFAULT, metadata={"codes": True})

    def interval(self, colour: TriageColour) -> int:
        """Return the most days allowed between two visits for ``colour``."""
        return {TriageColour.RED: self.red_days, TriageColour.YELLOW: self.yellow_days}.get(colour, self.green_days)


@dataclass(frozen=True)
class TriageRules:
    """The whole rule set: red and yellow rules and the visit intervals."""

    red: RedRules = field(default_factory=RedRules)
    yellow: YellowRules = field(default_factory=YellowRules)
    visits: VisitRules = field(default_factory=VisitRules)

    def section(self, name: str) -> Any:
        return getattr(self, name)


DEFAULT_RULES = TriageRules()


@dataclass(frozen=True)
class RuleField:
    """One editable value of the rules, for editors and validation.

    Attributes:
        section: ``red``, ``yellow`` or ``visits``.
        name: the key inside the section.
        kind: ``int``, ``float``, ``bool`` or ``codes`` (a list of condition codes).
        minimum, maximum: the accepted range of a number (inclusive).
    """

    section: str
    name: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None

    @property
    def path(self) -> str:
        """Return ``rules.<section>.<name>``, the field name used in errors and labels."""
        return f"rules.{self.section}.{self.name}"

    @property
    def label(self) -> str:
        return t(f"field.{self.path}")

    def default(self) -> Any:
        return getattr(DEFAULT_RULES.section(self.section), self.name)


def _rule_fields() -> tuple[RuleField, ...]:
    result = []
    for section in SECTIONS:
        for spec in fields(type(DEFAULT_RULES.section(section))):
            value = spec.default if spec.default is not MISSING else None
            if spec.metadata.get("codes"):
                kind = "codes"
            elif isinstance(value, bool):
                kind = "bool"
            elif isinstance(value, int):
                kind = "int"
            else:
                kind = "float"
            result.append(RuleField(section, spec.name, kind, spec.metadata.get("min"), spec.metadata.get("max")))
    return tuple(result)


RULE_FIELDS: tuple[RuleField, ...] = _rule_fields()
"""Every editable value, section by section, in the order editors show them."""


# --- JSON --------------------------------------------------------------------------------------------------


def rules_to_dict(rules: TriageRules) -> dict[str, Any]:
    """Return the rules as the JSON-ready document (with ``schema``)."""
    document: dict[str, Any] = {"schema": RULES_SCHEMA}
    for section in SECTIONS:
        values = asdict(rules.section(section))
        document[section] = {key: list(value) if isinstance(value, tuple) else value for key, value in values.items()}
    return document


def rules_to_json(rules: TriageRules) -> str:
    """Return the rules as stored: indented JSON, keys in a fixed order."""
    return json.dumps(rules_to_dict(rules), ensure_ascii=False, indent=2)


def rules_from_json(text: str) -> TriageRules:
    """Parse and check a stored rules document.

    Raises:
        ValidationError: on field ``rules`` if the text is not a JSON object, else as :func:`rules_from_dict`.
    """
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        raise ValidationError("rules", _short(text), "rules.not_json") from None
    return rules_from_dict(document)


def rules_from_dict(document: Any) -> TriageRules:
    """Check a rules document and return the rules it describes.

    Raises:
        ValidationError: the document is not an object, has a newer or missing schema, an unknown section
            or key, a value of the wrong type or outside its range (the field is ``rules.<section>.<key>``),
            or contradictory thresholds (e.g. the yellow self-care threshold not below the red one).
    """
    if not isinstance(document, Mapping):
        raise ValidationError("rules", _short(document), "rules.not_object")
    schema = document.get("schema")
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise ValidationError("rules.schema", schema, "rules.schema_missing")
    if schema > RULES_SCHEMA:
        raise ValidationError("rules.schema", schema, "rules.schema_newer", supported=RULES_SCHEMA)
    unknown = sorted(set(document) - {"schema", *SECTIONS})
    if unknown:
        raise ValidationError("rules", unknown[0], "rules.unknown_key")
    sections: dict[str, Any] = {}
    for section in SECTIONS:
        given = document.get(section, {})
        if not isinstance(given, Mapping):
            raise ValidationError(f"rules.{section}", _short(given), "rules.not_object")
        known = {spec.name: spec for spec in RULE_FIELDS if spec.section == section}
        for key in given:
            if key not in known:
                raise ValidationError(f"rules.{section}", key, "rules.unknown_key")
        values = {key: _check_value(known[key], value) for key, value in given.items()}
        sections[section] = replace(DEFAULT_RULES.section(section), **values)
    rules = TriageRules(**sections)
    check_consistency(rules)
    return rules


def _check_value(spec: RuleField, value: Any) -> Any:
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValidationError(spec.path, value, "rules.not_bool")
        return value
    if spec.kind == "codes":
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise ValidationError(spec.path, _short(value), "rules.not_codes")
        for code in value:
            if code not in BY_CODE:
                raise ValidationError(spec.path, code, "rules.unknown_condition")
        return tuple(dict.fromkeys(value))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(spec.path, value, "rules.not_number")
    if spec.kind == "int" and not float(value).is_integer():
        raise ValidationError(spec.path, value, "rules.not_integer")
    assert spec.minimum is not None and spec.maximum is not None
    if not spec.minimum <= value <= spec.maximum:
        raise ValidationError(
            spec.path, value, "rules.out_of_range", minimum=_plain(spec.minimum), maximum=_plain(spec.maximum)
        )
    return int(value) if spec.kind == "int" else float(value)


def check_consistency(rules: TriageRules) -> None:
    """Refuse thresholds that contradict each other.

    Raises:
        ValidationError: the yellow self-care or care-level threshold is not below the red one, the low
            glucose limit is not below the high one, or the intervals are not red ≤ yellow ≤ green.
    """
    red, yellow, visits = rules.red, rules.yellow, rules.visits
    if yellow.self_care_min >= red.self_care_min:
        raise ValidationError(
            "rules.yellow.self_care_min", yellow.self_care_min, "rules.below_red", red=red.self_care_min
        )
    if yellow.care_level_min >= red.care_level_min:
        raise ValidationError(
            "rules.yellow.care_level_min", yellow.care_level_min, "rules.below_red", red=red.care_level_min
        )
    if red.glucose_low_below >= red.glucose_high_min:
        raise ValidationError(
            "rules.red.glucose_low_below",
            red.glucose_low_below,
            "rules.glucose_order",
            high=_plain(red.glucose_high_min),
        )
    if not visits.red_days <= visits.yellow_days <= visits.green_days:
        raise ValidationError("rules.visits.yellow_days", visits.yellow_days, "rules.interval_order")


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


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


register(
    {
        "triage.reason_separator": {"zh_CN": "；", "en": "; "},
        # red
        "triage.self_care_dependent": {
            "zh_CN": "生活自理能力评分 {score} 分（≥ {min} 分，不能自理）",
            "en": "self-care score {score} (≥ {min}: fully dependent)",
        },
        "triage.care_level_high": {
            "zh_CN": "照护等级 {level} 级（≥ {min} 级）",
            "en": "care level {level} (≥ {min})",
        },
        "triage.hospice": {"zh_CN": "安宁疗护", "en": "in hospice care"},
        "triage.family_bed": {"zh_CN": "开设家庭病床", "en": "has an open family bed"},
        "triage.bp_urgent": {
            "zh_CN": "最近血压 {sbp}/{dbp} mmHg（{date}，{days} 天前），达到 {sbp_min}/{dbp_min} 紧急线",
            "en": "last BP {sbp}/{dbp} mmHg ({date}, {days} days ago), at or above the urgent {sbp_min}/{dbp_min}",
        },
        "triage.glucose_high": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}，{days} 天前），≥ {min}",
            "en": "last glucose {value} mmol/L ({date}, {days} days ago), ≥ {min}",
        },
        "triage.glucose_low": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}，{days} 天前），≤ {below}，低血糖",
            "en": "last glucose {value} mmol/L ({date}, {days} days ago), ≤ {below}: hypoglycaemia",
        },
        "triage.spo2_low": {
            "zh_CN": "最近血氧饱和度 {value}%（{date}，{days} 天前），< {below}%",
            "en": "last SpO2 {value}% ({date}, {days} days ago), below {below}%",
        },
        "triage.fever": {
            "zh_CN": "最近体温 {value} °C（{date}，{days} 天前），> {above} °C",
            "en": "last temperature {value} °C ({date}, {days} days ago), above {above} °C",
        },
        "triage.pulse_fast": {
            "zh_CN": "糖尿病，最近脉搏 {value} 次/分（{date}，{days} 天前），> {above}",
            "en": "diabetic, last pulse {value} /min ({date}, {days} days ago), above {above}",
        },
        "triage.referral_returned": {
            "zh_CN": "{date} 转诊返回，{days} 天前（{within} 天内）",
            "en": "back from a referral on {date}, {days} days ago (within {within} days)",
        },
        # reasons stored before readings expired (no "days"): worded as then
        "triage.bp_urgent.undated": {
            "zh_CN": "最近血压 {sbp}/{dbp} mmHg（{date}），达到 {sbp_min}/{dbp_min} 紧急线",
            "en": "last BP {sbp}/{dbp} mmHg ({date}), at or above the urgent {sbp_min}/{dbp_min}",
        },
        "triage.glucose_high.undated": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}），≥ {min}",
            "en": "last glucose {value} mmol/L ({date}), ≥ {min}",
        },
        "triage.glucose_low.undated": {
            "zh_CN": "最近血糖 {value} mmol/L（{date}），低于 {below}，低血糖",
            "en": "last glucose {value} mmol/L ({date}), below {below}: hypoglycaemia",
        },
        "triage.not_controlled_repeated": {
            "zh_CN": "慢病随访连续 {count} 次控制不满意",
            "en": "chronic follow-up not controlled {count} times in a row",
        },
        "triage.complication": {
            "zh_CN": "最近一次慢病随访：出现并发症",
            "en": "last chronic follow-up: complication",
        },
        "triage.open_referral": {
            "zh_CN": "转诊未结束（{date} 转往{destination}）",
            "en": "open referral ({date}, to {destination})",
        },
        "triage.back_from_hospital": {
            "zh_CN": "{date} 住院返回，{days} 天前（{within} 天内）",
            "en": "back from hospital on {date}, {days} days ago (within {within} days)",
        },
        # yellow
        "triage.self_care_partial": {
            "zh_CN": "生活自理能力评分 {score} 分（{min}–{max} 分，部分依赖）",
            "en": "self-care score {score} ({min}–{max}: partly dependent)",
        },
        "triage.care_level_mid": {
            "zh_CN": "照护等级 {level} 级（{min}–{max} 级）",
            "en": "care level {level} ({min}–{max})",
        },
        "triage.ad8_positive": {
            "zh_CN": "AD8 认知筛查 {score} 分（≥ {min} 分），尚无明确诊断",
            "en": "AD8 cognitive screen {score} (≥ {min}), no diagnosis yet",
        },
        "triage.not_controlled": {
            "zh_CN": "最近一次慢病随访：控制不满意",
            "en": "last chronic follow-up: not controlled",
        },
        "triage.adverse_reaction": {
            "zh_CN": "最近一次慢病随访：药物不良反应",
            "en": "last chronic follow-up: adverse drug reaction",
        },
        "triage.old_multimorbid": {
            "zh_CN": "{age} 岁（≥ {age_min} 岁），患 {count} 种慢性病",
            "en": "aged {age} (≥ {age_min}) with {count} chronic conditions",
        },
        "triage.fall": {
            "zh_CN": "{date} 跌倒，{days} 天前（{within} 天内）",
            "en": "fell on {date}, {days} days ago (within {within} days)",
        },
        # green
        "triage.no_risk": {"zh_CN": "未见重点或次重点因素", "en": "no key or secondary risk found"},
        # rules document
        "field.rules": {"zh_CN": "分类规则", "en": "triage rules"},
        "field.rules.schema": {"zh_CN": "规则版本", "en": "rules schema"},
        "field.rules.red": {"zh_CN": "红色规则", "en": "red rules"},
        "field.rules.yellow": {"zh_CN": "黄色规则", "en": "yellow rules"},
        "field.rules.visits": {"zh_CN": "随访间隔", "en": "visit intervals"},
        "rules.not_json": {"zh_CN": "不是有效的 JSON 文本", "en": "not valid JSON"},
        "rules.not_object": {"zh_CN": "应为 JSON 对象 {{…}}", "en": "must be a JSON object {{…}}"},
        "rules.schema_missing": {"zh_CN": "缺少规则版本号（schema）", "en": "the schema number is missing"},
        "rules.schema_newer": {
            "zh_CN": "规则由更新版本的软件保存，本软件只认识第 {supported} 版",
            "en": "the rules were saved by a newer version; this one reads schema {supported}",
        },
        "rules.unknown_key": {"zh_CN": "未知的规则项", "en": "unknown rule"},
        "rules.not_bool": {"zh_CN": "应为“是”或“否”（true/false）", "en": "must be true or false"},
        "rules.not_number": {"zh_CN": "应为数字", "en": "must be a number"},
        "rules.not_integer": {"zh_CN": "应为整数", "en": "must be a whole number"},
        "rules.not_codes": {"zh_CN": "应为疾病代码列表", "en": "must be a list of condition codes"},
        "rules.unknown_condition": {"zh_CN": "未知的疾病代码", "en": "unknown condition code"},
        "rules.out_of_range": {
            "zh_CN": "应在 {minimum}–{maximum} 之间",
            "en": "must be between {minimum} and {maximum}",
        },
        "rules.below_red": {
            "zh_CN": "应低于红色规则的阈值 {red}",
            "en": "must be below the red threshold {red}",
        },
        "rules.glucose_order": {
            "zh_CN": "低血糖界值应低于高血糖界值 {high}",
            "en": "the low-glucose limit must be below the high limit {high}",
        },
        "rules.interval_order": {
            "zh_CN": "随访间隔应为 红 ≤ 黄 ≤ 绿",
            "en": "intervals must be red ≤ yellow ≤ green",
        },
        # labels of the editable values
        "field.rules.red.self_care_min": {"zh_CN": "红：生活自理评分 ≥", "en": "Red: self-care score ≥"},
        "field.rules.red.care_level_min": {"zh_CN": "红：照护等级 ≥", "en": "Red: care level ≥"},
        "field.rules.red.hospice": {"zh_CN": "红：安宁疗护", "en": "Red: hospice care"},
        "field.rules.red.family_bed": {"zh_CN": "红：家庭病床", "en": "Red: open family bed"},
        "field.rules.red.sbp_min": {"zh_CN": "红：最近收缩压 ≥（mmHg）", "en": "Red: last systolic BP ≥ (mmHg)"},
        "field.rules.red.dbp_min": {"zh_CN": "红：最近舒张压 ≥（mmHg）", "en": "Red: last diastolic BP ≥ (mmHg)"},
        "field.rules.red.glucose_high_min": {"zh_CN": "红：最近血糖 ≥（mmol/L）", "en": "Red: last glucose ≥ (mmol/L)"},
        "field.rules.red.glucose_low_below": {
            "zh_CN": "红：最近血糖 ≤（mmol/L）",
            "en": "Red: last glucose at or below (mmol/L)",
        },
        "field.rules.red.spo2_below": {"zh_CN": "红：最近血氧饱和度 <（%）", "en": "Red: last SpO2 below (%)"},
        "field.rules.red.temperature_above": {
            "zh_CN": "红：最近体温 >（°C）",
            "en": "Red: last temperature above (°C)",
        },
        "field.rules.red.diabetic_pulse_above": {
            "zh_CN": "红：糖尿病患者最近脉搏 >（次/分）",
            "en": "Red: a diabetic's last pulse above (/min)",
        },
        "field.rules.red.reading_valid_days": {
            "zh_CN": "红：测量值有效天数（超过不再计入）",
            "en": "Red: readings count for (days)",
        },
        "field.rules.red.not_controlled_in_a_row": {
            "zh_CN": "红：慢病连续控制不满意次数",
            "en": "Red: chronic follow-ups not controlled in a row",
        },
        "field.rules.red.complication": {
            "zh_CN": "红：最近慢病随访有并发症",
            "en": "Red: last chronic follow-up a complication",
        },
        "field.rules.red.open_referral": {"zh_CN": "红：转诊未结束", "en": "Red: open referral"},
        "field.rules.red.back_from_hospital_days": {
            "zh_CN": "红：住院返回后天数 ≤",
            "en": "Red: back from hospital within (days)",
        },
        "field.rules.yellow.self_care_min": {"zh_CN": "黄：生活自理评分 ≥", "en": "Yellow: self-care score ≥"},
        "field.rules.yellow.care_level_min": {"zh_CN": "黄：照护等级 ≥", "en": "Yellow: care level ≥"},
        "field.rules.yellow.ad8_min": {
            "zh_CN": "黄：AD8 评分 ≥（无明确诊断）",
            "en": "Yellow: AD8 score ≥ (no diagnosis)",
        },
        "field.rules.yellow.not_controlled": {
            "zh_CN": "黄：最近慢病随访控制不满意",
            "en": "Yellow: last chronic follow-up not controlled",
        },
        "field.rules.yellow.adverse_reaction": {
            "zh_CN": "黄：最近慢病随访有不良反应",
            "en": "Yellow: last chronic follow-up an adverse reaction",
        },
        "field.rules.yellow.age_min": {"zh_CN": "黄：年龄 ≥", "en": "Yellow: age ≥"},
        "field.rules.yellow.conditions_min": {"zh_CN": "黄：且慢性病种数 ≥", "en": "Yellow: and chronic conditions ≥"},
        "field.rules.yellow.fall_within_days": {"zh_CN": "黄：跌倒后天数 ≤", "en": "Yellow: fall within (days)"},
        "field.rules.visits.red_days": {"zh_CN": "红色随访间隔（天）", "en": "Red: days between visits"},
        "field.rules.visits.yellow_days": {"zh_CN": "黄色随访间隔（天）", "en": "Yellow: days between visits"},
        "field.rules.visits.green_days": {"zh_CN": "绿色随访间隔（天）", "en": "Green: days between visits"},
        "field.rules.visits.annual_check_age": {"zh_CN": "年度体检起始年龄", "en": "Annual health check from age"},
        "field.rules.visits.annual_check_days": {"zh_CN": "年度体检间隔（天）", "en": "Days between annual checks"},
        "field.rules.visits.chronic_follow_up_days": {
            "zh_CN": "慢病随访间隔（天）",
            "en": "Days between chronic follow-ups",
        },
        "field.rules.visits.recheck_days": {
            "zh_CN": "控制不满意/不良反应后复查（天内）",
            "en": "Recheck after not controlled / adverse reaction within (days)",
        },
        "field.rules.visits.chronic_follow_up_conditions": {
            "zh_CN": "需要慢病随访的疾病",
            "en": "Conditions with chronic follow-up",
        },
    }
)
