"""Tests for app.domain.triage: the rules document and the engine, rule by rule and boundary by boundary."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain.colours import TriageColour
from app.domain.errors import ValidationError
from app.domain.i18n import set_language, t
from app.domain.triage import (
    DEFAULT_RULES,
    RULE_FIELDS,
    RULES_SCHEMA,
    Reason,
    ResidentFacts,
    Suggestion,
    TriageRules,
    back_from_hospital,
    family_bed_open,
    make_reason,
    reasons_from_json,
    reasons_to_json,
    rules_from_dict,
    rules_from_json,
    rules_to_dict,
    rules_to_json,
    suggest_colour,
)
from app.domain.watch import watch_lines, watch_text

TODAY = date(2026, 11, 16)
RED, YELLOW, GREEN = TriageColour.RED, TriageColour.YELLOW, TriageColour.GREEN


def facts(**values: object) -> ResidentFacts:
    """Return the facts of a 70-year-old with nothing notable, changed by ``values``."""
    values.setdefault("birth_date", date(1956, 1, 1))
    return ResidentFacts(**values)  # type: ignore[arg-type]


def suggest(rules: TriageRules = DEFAULT_RULES, **values: object) -> Suggestion:
    suggestion = suggest_colour(facts(**values), rules, TODAY)
    assert suggestion is not None
    return suggestion


def codes(suggestion: Suggestion) -> list[str]:
    return [reason.code for reason in suggestion.reasons]


def with_rules(section: str, **values: object) -> TriageRules:
    return replace(DEFAULT_RULES, **{section: replace(DEFAULT_RULES.section(section), **values)})


# --- the defaults are DOMAIN §5–6 ---------------------------------------------------------------------------


def test_defaults_are_the_documented_thresholds() -> None:
    red, yellow, visits = DEFAULT_RULES.red, DEFAULT_RULES.yellow, DEFAULT_RULES.visits
    assert (red.self_care_min, red.care_level_min, red.sbp_min, red.dbp_min) == (19, 5, 180, 110)
    assert (red.glucose_high_min, red.glucose_low_below, red.back_from_hospital_days) == (16.7, 3.9, 30)
    assert (red.not_controlled_in_a_row, red.hospice, red.family_bed, red.open_referral) == (2, True, True, True)
    assert (yellow.self_care_min, yellow.care_level_min, yellow.ad8_min) == (4, 2, 2)
    assert (yellow.age_min, yellow.conditions_min, yellow.fall_within_days) == (80, 2, 180)
    assert (visits.red_days, visits.yellow_days, visits.green_days) == (7, 14, 28)
    assert (visits.annual_check_age, visits.annual_check_days, visits.chronic_follow_up_days) == (65, 365, 90)
    assert visits.chronic_follow_up_conditions == ("hypertension", "diabetes_t2")
    assert [visits.interval(c) for c in (RED, YELLOW, GREEN)] == [7, 14, 28]


# --- the rules document -------------------------------------------------------------------------------------


def test_rules_round_trip_through_json() -> None:
    document = rules_to_dict(DEFAULT_RULES)
    assert document["schema"] == RULES_SCHEMA
    assert document["red"]["sbp_min"] == 180 and document["visits"]["chronic_follow_up_conditions"] == [
        "hypertension",
        "diabetes_t2",
    ]
    assert rules_from_json(rules_to_json(DEFAULT_RULES)) == DEFAULT_RULES
    changed = with_rules("red", sbp_min=170)
    assert rules_from_json(rules_to_json(changed)) == changed


def test_missing_keys_take_their_defaults() -> None:
    assert rules_from_dict({"schema": 1}) == DEFAULT_RULES
    assert rules_from_dict({"schema": 1, "red": {"sbp_min": 175}}).red.sbp_min == 175


def test_every_editable_value_has_a_label_in_both_languages() -> None:
    assert len(RULE_FIELDS) == 32
    for language in ("zh_CN", "en"):
        set_language(language)
        for spec in RULE_FIELDS:
            assert spec.label != f"field.{spec.path}", spec.path
            assert spec.default() == getattr(DEFAULT_RULES.section(spec.section), spec.name)


@pytest.mark.parametrize(
    ("document", "field", "reason"),
    [
        ("[1, 2]", "rules", "rules.not_object"),
        ('{"red": {}}', "rules.schema", "rules.schema_missing"),
        ('{"schema": 2}', "rules.schema", "rules.schema_newer"),
        ('{"schema": true}', "rules.schema", "rules.schema_missing"),
        ('{"schema": 1, "blue": {}}', "rules", "rules.unknown_key"),
        ('{"schema": 1, "red": []}', "rules.red", "rules.not_object"),
        ('{"schema": 1, "red": {"sbp": 180}}', "rules.red", "rules.unknown_key"),
        ('{"schema": 1, "red": {"sbp_min": "180"}}', "rules.red.sbp_min", "rules.not_number"),
        ('{"schema": 1, "red": {"sbp_min": true}}', "rules.red.sbp_min", "rules.not_number"),
        ('{"schema": 1, "red": {"sbp_min": 180.5}}', "rules.red.sbp_min", "rules.not_integer"),
        ('{"schema": 1, "red": {"sbp_min": 99}}', "rules.red.sbp_min", "rules.out_of_range"),
        ('{"schema": 1, "red": {"sbp_min": 301}}', "rules.red.sbp_min", "rules.out_of_range"),
        ('{"schema": 1, "red": {"hospice": 1}}', "rules.red.hospice", "rules.not_bool"),
        ('{"schema": 1, "red": {"glucose_high_min": 40.1}}', "rules.red.glucose_high_min", "rules.out_of_range"),
        (
            '{"schema": 1, "visits": {"chronic_follow_up_conditions": "hypertension"}}',
            "rules.visits.chronic_follow_up_conditions",
            "rules.not_codes",
        ),
        (
            '{"schema": 1, "visits": {"chronic_follow_up_conditions": ["flu"]}}',
            "rules.visits.chronic_follow_up_conditions",
            "rules.unknown_condition",
        ),
        ('{"schema": 1, "yellow": {"self_care_min": 19}}', "rules.yellow.self_care_min", "rules.below_red"),
        ('{"schema": 1, "yellow": {"care_level_min": 5}}', "rules.yellow.care_level_min", "rules.below_red"),
        (
            '{"schema": 1, "red": {"glucose_low_below": 10, "glucose_high_min": 10}}',
            "rules.red.glucose_low_below",
            "rules.glucose_order",
        ),
        ('{"schema": 1, "visits": {"yellow_days": 6}}', "rules.visits.yellow_days", "rules.interval_order"),
        ('{"schema": 1, "visits": {"green_days": 13}}', "rules.visits.yellow_days", "rules.interval_order"),
    ],
)
def test_bad_documents_are_refused_naming_the_field(document: str, field: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        rules_from_json(document)
    assert caught.value.field == field
    assert caught.value.reason_key == reason


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        rules_from_json("{schema: 1")
    assert caught.value.field == "rules" and caught.value.reason_key == "rules.not_json"


@pytest.mark.parametrize(("value", "accepted"), [(100, True), (300, True), (99, False), (301, False)])
def test_range_ends_are_inclusive(value: int, accepted: bool) -> None:
    document = {"schema": 1, "red": {"sbp_min": value}}
    if accepted:
        assert rules_from_dict(document).red.sbp_min == value
    else:
        with pytest.raises(ValidationError):
            rules_from_dict(document)


def test_messages_name_the_field_and_value_in_both_languages() -> None:
    set_language("en")
    with pytest.raises(ValidationError) as caught:
        rules_from_dict({"schema": 1, "red": {"sbp_min": 99}})
    assert str(caught.value) == "Red: last systolic BP ≥ (mmHg): must be between 100 and 300 (value: 99)"
    set_language("zh_CN")
    assert str(caught.value) == "红：最近收缩压 ≥（mmHg）：应在 100–300 之间（输入值：99）"


def test_integral_float_is_accepted_for_a_whole_number() -> None:
    assert rules_from_dict({"schema": 1, "red": {"sbp_min": 175.0}}).red.sbp_min == 175


# --- red rules ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "colour", "rule"),
    [
        (0, GREEN, "no_risk"),
        (3, GREEN, "no_risk"),
        (4, YELLOW, "self_care_partial"),
        (18, YELLOW, "self_care_partial"),
        (19, RED, "self_care_dependent"),
        (28, RED, "self_care_dependent"),
    ],
)
def test_self_care_score_bands(score: int, colour: TriageColour, rule: str) -> None:
    suggestion = suggest(self_care_score=score)
    assert suggestion.colour is colour and codes(suggestion) == [rule]


@pytest.mark.parametrize(
    ("level", "colour", "rule"),
    [
        (0, GREEN, "no_risk"),
        (1, GREEN, "no_risk"),
        (2, YELLOW, "care_level_mid"),
        (4, YELLOW, "care_level_mid"),
        (5, RED, "care_level_high"),
        (6, RED, "care_level_high"),
    ],
)
def test_care_levels(level: int, colour: TriageColour, rule: str) -> None:
    suggestion = suggest(care_level=level)
    assert suggestion.colour is colour and codes(suggestion) == [rule]


def test_hospice_is_red_unless_the_rule_is_off() -> None:
    assert codes(suggest(hospice=True)) == ["hospice"]
    assert suggest(with_rules("red", hospice=False), hospice=True).colour is GREEN


def test_family_bed_counts_while_open() -> None:
    assert codes(suggest(family_bed=True)) == ["family_bed"]
    assert codes(suggest(family_bed=True, family_bed_start=TODAY, family_bed_end=TODAY)) == ["family_bed"]
    assert suggest(family_bed=True, family_bed_start=TODAY + timedelta(days=1)).colour is GREEN
    assert suggest(family_bed=True, family_bed_end=TODAY - timedelta(days=1)).colour is GREEN
    assert suggest(with_rules("red", family_bed=False), family_bed=True).colour is GREEN
    assert not family_bed_open(facts(family_bed=False, family_bed_start=TODAY), TODAY)


@pytest.mark.parametrize(
    ("sbp", "dbp", "red"),
    [(179, 109, False), (180, 80, True), (150, 110, True), (120, 109, False), (230, 130, True)],
)
def test_last_blood_pressure(sbp: int, dbp: int, red: bool) -> None:
    suggestion = suggest(last_bp=(TODAY - timedelta(days=7), sbp, dbp))
    assert (suggestion.colour is RED) is red
    if red:
        reason = suggestion.reasons[0]
        assert reason.code == "bp_urgent" and reason.param("sbp") == sbp and reason.param("dbp") == dbp
        assert reason.param("date") == "2026-11-09"


def test_blood_pressure_threshold_comes_from_the_rules() -> None:
    assert suggest(with_rules("red", sbp_min=170), last_bp=(TODAY, 172, 80)).colour is RED


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (16.6, None),
        (16.7, "glucose_high"),
        (30.0, "glucose_high"),
        (4.0, None),
        (3.91, None),
        (3.9, "glucose_low"),
        (3.8, "glucose_low"),
        (1.5, "glucose_low"),
    ],
)
def test_last_glucose(value: float, rule: str | None) -> None:
    suggestion = suggest(last_glucose=(TODAY, value))
    if rule is None:
        assert suggestion.colour is GREEN
    else:
        assert suggestion.colour is RED and codes(suggestion) == [rule]


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        ((), []),
        (("controlled",), []),
        (("not_controlled",), ["not_controlled"]),
        (("not_controlled", "controlled"), ["not_controlled"]),
        (("controlled", "not_controlled"), []),
        (("not_controlled", "not_controlled"), ["not_controlled_repeated", "not_controlled"]),
        (("complication",), ["complication"]),
        (("complication", "not_controlled"), ["complication"]),
        (("adverse_reaction",), ["adverse_reaction"]),
        (("controlled", "complication"), []),
    ],
)
def test_chronic_classifications(classes: tuple[str, ...], expected: list[str]) -> None:
    suggestion = suggest(chronic_classes=classes)
    assert [c for c in codes(suggestion) if c != "no_risk"] == expected
    red = {"not_controlled_repeated", "complication"}
    assert (suggestion.colour is RED) == bool(red & set(expected))


def test_how_many_not_controlled_in_a_row_make_red_is_a_rule() -> None:
    rules = with_rules("red", not_controlled_in_a_row=3)
    assert suggest(rules, chronic_classes=("not_controlled", "not_controlled")).colour is YELLOW
    assert suggest(rules, chronic_classes=("not_controlled",) * 3).colour is RED
    assert suggest(with_rules("yellow", not_controlled=False), chronic_classes=("not_controlled",)).colour is GREEN
    assert suggest(with_rules("red", complication=False), chronic_classes=("complication",)).colour is GREEN


def test_open_referral() -> None:
    suggestion = suggest(open_referral=(TODAY - timedelta(days=3), "示范区中心医院"))
    assert suggestion.colour is RED and suggestion.reasons[0].param("destination") == "示范区中心医院"
    assert suggest(with_rules("red", open_referral=False), open_referral=(TODAY, "x")).colour is GREEN


@pytest.mark.parametrize(("days_ago", "red"), [(0, True), (30, True), (31, False), (-1, False)])
def test_back_from_hospital_within_30_days(days_ago: int, red: bool) -> None:
    suggestion = suggest(back_from_hospital=TODAY - timedelta(days=days_ago))
    assert (suggestion.colour is RED) is red
    if red:
        assert suggestion.reasons[0].param("days") == days_ago


def test_the_day_back_from_hospital_comes_from_the_status_changes() -> None:
    d = date(2026, 10, 1)
    assert back_from_hospital([]) is None
    assert back_from_hospital([(d, "hospitalized")]) is None
    assert back_from_hospital([(d + timedelta(days=5), "in_residence"), (d, "hospitalized")]) == d + timedelta(days=5)
    changes = [(d, "hospitalized"), (d + timedelta(days=5), "in_residence"), (d + timedelta(days=9), "in_residence")]
    assert back_from_hospital(changes) == d + timedelta(days=5)
    assert back_from_hospital([(d, "discharged"), (d + timedelta(days=2), "in_residence")]) is None


# --- yellow rules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "diagnosed", "yellow"),
    [(1, False, False), (2, False, True), (8, False, True), (2, True, False), (None, False, False)],
)
def test_ad8_positive_without_a_diagnosis(score: int | None, diagnosed: bool, yellow: bool) -> None:
    suggestion = suggest(ad8_score=score, dementia_diagnosed=diagnosed)
    assert (suggestion.colour is YELLOW) is yellow


def test_age_80_with_two_chronic_conditions() -> None:
    born = date(1946, 11, 16)  # 80 today
    assert codes(suggest(birth_date=born, conditions=("hypertension", "copd"))) == ["old_multimorbid"]
    assert suggest(birth_date=born + timedelta(days=1), conditions=("hypertension", "copd")).colour is GREEN
    assert suggest(birth_date=born, conditions=("hypertension",)).colour is GREEN
    reason = suggest(birth_date=born, conditions=("a", "b", "c")).reasons[0]
    assert reason.param("age") == 80 and reason.param("count") == 3


@pytest.mark.parametrize(("days_ago", "yellow"), [(0, True), (180, True), (181, False), (-2, False)])
def test_fall_within_180_days(days_ago: int, yellow: bool) -> None:
    assert (suggest(last_fall=TODAY - timedelta(days=days_ago)).colour is YELLOW) is yellow


# --- combining ---------------------------------------------------------------------------------------------


def test_green_when_nothing_matches() -> None:
    suggestion = suggest()
    assert suggestion.colour is GREEN and codes(suggestion) == ["no_risk"]


def test_not_in_residence_is_not_triaged() -> None:
    assert suggest_colour(facts(in_residence=False, hospice=True), DEFAULT_RULES, TODAY) is None


def test_the_most_severe_colour_wins_and_every_reason_is_listed_red_first() -> None:
    suggestion = suggest(self_care_score=10, last_fall=TODAY, hospice=True, last_bp=(TODAY, 186, 112), ad8_score=3)
    assert suggestion.colour is RED
    assert codes(suggestion) == ["hospice", "bp_urgent", "self_care_partial", "ad8_positive", "fall"]
    assert [r.colour for r in suggestion.reasons] == [RED, RED, YELLOW, YELLOW, YELLOW]


def test_reasons_read_as_words_in_both_languages() -> None:
    suggestion = suggest(last_bp=(date(2026, 11, 9), 186, 112), last_fall=date(2026, 11, 1))
    set_language("en")
    assert suggestion.text == (
        "last BP 186/112 mmHg (2026-11-09, 7 days ago), at or above the urgent 180/110; "
        "fell on 2026-11-01, 15 days ago (within 180 days)"
    )
    set_language("zh_CN")
    assert suggestion.text == (
        "最近血压 186/112 mmHg（2026-11-09，7 天前），达到 180/110 紧急线；2026-11-01 跌倒，15 天前（180 天内）"
    )


def test_a_reason_stored_before_readings_expired_reads_as_then() -> None:
    stored = make_reason(RED, "triage.bp_urgent", sbp=186, dbp=112, date="2026-11-09", sbp_min=180, dbp_min=110)
    set_language("en")
    assert stored.text == "last BP 186/112 mmHg (2026-11-09), at or above the urgent 180/110"


# --- readings expire; the urgent criteria of DOMAIN §4/§5 (issue #16 items 4 and 5) --------------------------------


@pytest.mark.parametrize(("age", "counts"), [(0, True), (29, True), (30, True), (31, False), (730, False)])
@pytest.mark.parametrize(
    "reading",
    [
        {"last_bp": (186, 112)},
        {"last_glucose": (20.0,)},
        {"last_glucose": (3.9,)},
        {"last_spo2": (88,)},
        {"last_temperature": (39.5,)},
        {"last_pulse": (120,), "conditions": ("diabetes_t2",)},
    ],
)
def test_an_urgent_reading_counts_for_30_days_and_says_how_old_it_is(
    age: int, counts: bool, reading: dict[str, tuple[object, ...]]
) -> None:
    day = TODAY - timedelta(days=age)
    values = {key: (day, *value) if key.startswith("last_") else value for key, value in reading.items()}
    suggestion = suggest(**values)
    red = [reason for reason in suggestion.reasons if reason.colour is RED]
    assert bool(red) is counts
    if counts:
        assert red[0].param("days") == age
        set_language("zh_CN")
        assert f"{age} 天前" in red[0].text


def test_a_reading_from_the_future_does_not_count() -> None:
    assert suggest(last_bp=(TODAY + timedelta(days=1), 186, 112)).colour is GREEN


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        ({"last_spo2": (TODAY, 89)}, "spo2_low"),
        ({"last_spo2": (TODAY, 90)}, None),
        ({"last_temperature": (TODAY, 39.1)}, "fever"),
        ({"last_temperature": (TODAY, 39.0)}, None),
        ({"last_pulse": (TODAY, 101), "conditions": ("diabetes_t2",)}, "pulse_fast"),
        ({"last_pulse": (TODAY, 100), "conditions": ("diabetes_t2",)}, None),
        ({"last_pulse": (TODAY, 130), "conditions": ("hypertension",)}, None),
    ],
)
def test_urgent_spo2_temperature_and_a_diabetics_pulse(values: dict[str, object], rule: str | None) -> None:
    suggestion = suggest(**values)
    red = [reason.code for reason in suggestion.reasons if reason.colour is RED]
    assert red == ([rule] if rule else [])


def test_a_reading_expires_after_the_days_in_the_rules() -> None:
    rules = with_rules("red", reading_valid_days=7)
    assert suggest(rules, last_bp=(TODAY - timedelta(days=7), 186, 112)).colour is RED
    assert suggest(rules, last_bp=(TODAY - timedelta(days=8), 186, 112)).colour is GREEN


# --- per-disease classifications, referral return (issue #16 items 2 and 6) ------------------------------------------


@pytest.mark.parametrize(
    ("follow_ups", "red", "yellow"),
    [
        # two not controlled in a row for the same disease: red
        ((("hypertension", ("not_controlled", "not_controlled")),), True, True),
        # one each for two diseases: not two in a row
        ((("hypertension", ("not_controlled", "controlled")), ("diabetes", ("not_controlled",))), False, True),
        ((("hypertension", ("controlled", "not_controlled")), ("diabetes", ("controlled",))), False, False),
        ((("diabetes", ("complication",)),), True, False),
        ((("diabetes", ("adverse_reaction", "adverse_reaction")),), False, True),
    ],
)
def test_not_controlled_in_a_row_counts_per_disease(
    follow_ups: tuple[tuple[str, tuple[str, ...]], ...], red: bool, yellow: bool
) -> None:
    suggestion = suggest(follow_ups=follow_ups, chronic_classes=("not_controlled", "not_controlled"))
    colours = {reason.colour for reason in suggestion.reasons}
    assert (RED in colours, YELLOW in colours) == (red, yellow)


@pytest.mark.parametrize(("days", "red"), [(0, True), (30, True), (31, False)])
def test_a_return_from_a_referral_opens_30_days(days: int, red: bool) -> None:
    suggestion = suggest(referral_returned=TODAY - timedelta(days=days))
    assert (codes(suggestion) == ["referral_returned"]) is red


def test_reasons_are_stored_and_read_back() -> None:
    reasons = suggest(hospice=True, last_bp=(TODAY, 186, 112)).reasons
    text = reasons_to_json(reasons)
    assert json.loads(text)[1]["params"]["sbp"] == 186
    assert reasons_from_json(text) == reasons
    assert reasons_from_json("") == () and reasons_from_json("not json") == () and reasons_from_json("[{}]") == ()
    assert Reason.from_dict(make_reason(RED, "triage.hospice").to_dict()).key == "triage.hospice"


def test_every_reason_message_exists_in_both_languages() -> None:
    everything = (
        suggest(
            self_care_score=20,
            care_level=5,
            hospice=True,
            family_bed=True,
            last_bp=(TODAY, 190, 100),
            last_glucose=(TODAY, 2.0),
            chronic_classes=("not_controlled", "not_controlled"),
            open_referral=(TODAY, "x"),
            back_from_hospital=TODAY,
        ).reasons
        + suggest(
            self_care_score=5,
            care_level=3,
            ad8_score=4,
            chronic_classes=("adverse_reaction",),
            birth_date=date(1930, 1, 1),
            conditions=("a", "b"),
            last_fall=TODAY,
        ).reasons
        + suggest(last_glucose=(TODAY, 20.0)).reasons
        + suggest(chronic_classes=("complication",)).reasons
    )
    assert len({r.code for r in everything}) == 18  # 11 red rules, 7 yellow
    for language in ("zh_CN", "en"):
        set_language(language)
        for reason in [*everything, *suggest().reasons]:
            assert reason.text != reason.key and "{" not in reason.text


# --- what staff should watch for -------------------------------------------------------------------------


def test_watch_lines_come_from_the_reasons() -> None:
    reasons = suggest(last_bp=(TODAY, 186, 112), last_fall=date(2026, 11, 1)).reasons
    set_language("en")
    lines = watch_lines(reasons, RED)
    assert lines[0] == "last BP 186/112 — call the team for headache, chest pain or weakness"
    assert lines[1].startswith("fell on 2026-11-01")
    set_language("zh_CN")
    assert watch_lines(reasons, RED)[0] == "最近血压 186/112：头痛、胸痛、肢体无力时立即联系团队"


def test_watch_text_falls_back_to_the_colours_general_advice() -> None:
    set_language("en")
    assert watch_text(suggest().reasons, GREEN) == "routine care"
    assert watch_text((), RED) == "key resident: observe daily, call the team on any change"
    both = suggest(self_care_score=20, care_level=6).reasons  # two reasons, one piece of advice
    assert len(watch_lines(both, RED)) == 1
    assert t("watch.general.yellow") != "watch.general.yellow"
