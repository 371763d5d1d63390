"""Triage rules as data — 分类规则: the rule set (DOMAIN §5–6 defaults), its editable values, and the JSON
document it is stored as.

JSON layout (``schema`` 1)::

    {"schema": 1,
     "red":    {"self_care_min": 19, "care_level_min": 5, "hospice": true, ...},
     "yellow": {"self_care_min": 4, "care_level_min": 2, "ad8_min": 2, ...},
     "visits": {"red_days": 7, "yellow_days": 14, "green_days": 28, ...}}

Missing keys take their default (so a document saved by an older version still loads); unknown keys,
wrong types, values out of range and contradictory thresholds are refused with the field named. Every name
here is importable from :mod:`app.domain.triage` too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from typing import Any

from app.domain import triage_words as _triage_words  # noqa: F401  (the words of the rules' labels and errors)
from app.domain.colours import TriageColour
from app.domain.conditions import BY_CODE
from app.domain.errors import ValidationError
from app.domain.i18n import t

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
        if colour is TriageColour.RED:  # (no dict made per call: plans ask this for every due resident)
            return self.red_days
        return self.yellow_days if colour is TriageColour.YELLOW else self.green_days


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
