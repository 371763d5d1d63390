"""Checks of a visit (app.domain.visits): every range boundary, outcomes, late entry, referral, classification."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain import i18n
from app.domain.errors import ValidationError
from app.domain.follow_up import (
    ChronicClass,
    Disease,
    bmi,
    bp_target,
    parse_chronic_class,
    proposed_referral,
    suggest_chronic_class,
    suggest_follow_up,
)
from app.domain.visit_changes import changed_fields, describe_vitals, field_labels
from app.domain.visits import (
    ReferralEntry,
    VisitEntry,
    VisitOutcome,
    check_visit,
    clean_text,
    is_late,
    parse_outcome,
    parse_vital,
)
from app.domain.vitals import FlagLevel, urgent_advice

TODAY = date(2026, 11, 16)
BORN = date(1940, 3, 1)
NORMAL, ABNORMAL, URGENT = FlagLevel.NORMAL, FlagLevel.ABNORMAL, FlagLevel.URGENT


def check(entry: VisitEntry, **kwargs: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {"visit_date": TODAY, "today": TODAY, "birth_date": BORN, **kwargs}
    return check_visit(entry, **values)  # type: ignore[arg-type]


def level(field: str, value: float, **extra: object) -> FlagLevel | None:
    return check(VisitEntry(**{field: value}, **extra)).assessment.level(field)  # type: ignore[arg-type]


def refused(entry: VisitEntry, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(entry, **kwargs)
    return caught.value


# --- accepted ranges (DOMAIN §7), at every boundary ----------------------------------------------------------------

BOUNDS = [
    ("sbp", 50, 300, 1, "50–300 mmHg"),
    ("dbp", 20, 200, 1, "20–200 mmHg"),
    ("pulse", 20, 250, 1, "20–250 /min"),
    ("temperature", 30.0, 45.0, 0.1, "30.0–45.0 °C"),
    ("spo2", 50, 100, 1, "50–100 %"),
    ("glucose", 1.0, 40.0, 0.1, "1.0–40.0 mmol/L"),
    ("weight", 20, 250, 0.1, "20–250 kg"),
]


@pytest.mark.parametrize(("field", "low", "high", "step", "text"), BOUNDS)
def test_each_vital_is_accepted_at_both_ends_of_its_range(
    field: str, low: float, high: float, step: float, text: str
) -> None:
    extra = {"sbp": {"dbp": 20}, "dbp": {"sbp": 300}}.get(field, {})  # SBP and DBP come together
    for value in (low, high):
        checked = check(VisitEntry(**{field: value}, **extra))  # type: ignore[arg-type]
        assert getattr(checked.entry, field) == value


@pytest.mark.parametrize(("field", "low", "high", "step", "text"), BOUNDS)
def test_each_vital_just_outside_its_range_is_refused_with_the_range_in_the_message(
    field: str, low: float, high: float, step: float, text: str
) -> None:
    i18n.set_language("en")
    for value in (round(low - step, 1), round(high + step, 1)):
        if field in ("sbp", "dbp", "pulse", "spo2"):
            value = int(value)
        error = refused(VisitEntry(**{field: value}))  # type: ignore[arg-type]
        assert error.field == field
        assert text in str(error) and str(value) in str(error)
    i18n.set_language("zh_CN")
    error = refused(VisitEntry(**{field: high + 100}))  # type: ignore[arg-type]
    assert "超出可录入范围" in str(error) and text.split()[0] in str(error)


def test_sbp_must_be_above_dbp() -> None:
    assert refused(VisitEntry(sbp=90, dbp=90)).field == "sbp"
    assert check(VisitEntry(sbp=91, dbp=90)).entry.sbp == 91


@pytest.mark.parametrize("field", ["sbp", "dbp", "pulse", "spo2"])
def test_whole_number_vitals_refuse_decimals(field: str) -> None:
    i18n.set_language("en")
    error = refused(VisitEntry(**{field: 80.5}))  # type: ignore[arg-type]
    assert error.field == field and "whole number" in str(error)
    partner = {"sbp": {"dbp": 60}, "dbp": {"sbp": 120}}.get(field, {})  # SBP and DBP come together
    checked = check(VisitEntry(**{field: 80.0}, **partner))  # type: ignore[arg-type]
    assert isinstance(getattr(checked.entry, field), int)


def test_not_a_number_is_refused() -> None:
    for value in (float("nan"), float("inf"), True):
        assert refused(VisitEntry(temperature=value)).field == "temperature"  # type: ignore[arg-type]


# --- highlighting (DOMAIN §4, §7) -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected", "extra"),
    [
        ("sbp", 139, NORMAL, {}),
        ("sbp", 140, ABNORMAL, {}),
        ("sbp", 179, ABNORMAL, {}),
        ("sbp", 180, URGENT, {}),
        ("sbp", 90, NORMAL, {}),
        ("sbp", 89, ABNORMAL, {}),
        ("dbp", 89, NORMAL, {}),
        ("dbp", 90, ABNORMAL, {}),
        ("dbp", 109, ABNORMAL, {}),
        ("dbp", 110, URGENT, {}),
        ("dbp", 60, NORMAL, {}),
        ("dbp", 59, ABNORMAL, {}),
        ("pulse", 50, NORMAL, {}),
        ("pulse", 49, ABNORMAL, {}),
        ("pulse", 100, NORMAL, {}),
        ("pulse", 101, ABNORMAL, {}),
        ("temperature", 37.2, NORMAL, {}),
        ("temperature", 37.3, ABNORMAL, {}),
        ("spo2", 93, NORMAL, {}),
        ("spo2", 92, ABNORMAL, {}),
        ("glucose", 6.9, NORMAL, {"glucose_fasting": True}),
        ("glucose", 7.0, ABNORMAL, {"glucose_fasting": True}),
        ("glucose", 11.0, NORMAL, {}),
        ("glucose", 11.1, ABNORMAL, {}),
        ("glucose", 16.6, ABNORMAL, {}),
        ("glucose", 16.7, URGENT, {}),
        ("glucose", 3.91, NORMAL, {}),
        ("glucose", 3.9, URGENT, {}),
        ("glucose", 3.8, URGENT, {}),
        ("weight", 63.0, NORMAL, {"previous_weight": 60.0}),
        ("weight", 63.1, ABNORMAL, {"previous_weight": 60.0}),
        ("weight", 57.0, NORMAL, {"previous_weight": 60.0}),
        ("weight", 56.9, ABNORMAL, {"previous_weight": 60.0}),
    ],
)
def test_values_inside_the_range_are_accepted_and_flagged_at_each_threshold(
    field: str, value: float, expected: FlagLevel, extra: dict[str, object]
) -> None:
    previous = extra.pop("previous_weight", None)
    partner = {"sbp": {"dbp": 70}, "dbp": {"sbp": 130}}.get(field, {})  # SBP and DBP come together
    entry = VisitEntry(**{field: value}, **partner, **extra)  # type: ignore[arg-type]
    assert check(entry, previous_weight=previous).assessment.level(field) is expected


def test_urgent_values_give_an_alert_asking_for_a_referral_and_a_colour_review() -> None:
    i18n.set_language("en")
    checked = check(VisitEntry(sbp=186, dbp=112, glucose=17.0))
    assert checked.urgent
    lines = checked.advice()
    assert lines[0].startswith("Urgent: systolic ≥ 180") and "glucose ≥ 16.7" in lines[0]
    assert "referral" in lines[1] and "colour" in lines[1]
    referred = check(VisitEntry(sbp=186, dbp=100, referral=ReferralEntry("示范区中心医院")))
    assert "referral is entered" in referred.advice()[1]
    assert urgent_advice(check(VisitEntry(sbp=150, dbp=95)).assessment, referred=False) == []
    i18n.set_language("zh_CN")
    assert "转诊" in check(VisitEntry(glucose=3.5)).advice()[1]


# --- outcomes, dates, texts, referral ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("seen", "seen"),
        ("已巡诊", "seen"),
        (" Absent ", "absent"),
        ("住院", "hospitalized"),
        ("hospitalised", "hospitalized"),
        ("拒绝", "refused"),
        ("去世", "deceased"),
    ],
)
def test_outcomes_are_read_in_either_language(text: str, outcome: str) -> None:
    assert parse_outcome(text) is VisitOutcome(outcome)


def test_an_unknown_outcome_is_refused() -> None:
    assert refused(VisitEntry(outcome="gone")).field == "outcome"
    with pytest.raises(ValidationError):
        parse_outcome("")


def test_outcomes_hospitalized_and_deceased_imply_a_status() -> None:
    assert VisitOutcome.HOSPITALIZED.status is not None and VisitOutcome.HOSPITALIZED.status.value == "hospitalized"
    assert VisitOutcome.DECEASED.status is not None and VisitOutcome.DECEASED.status.value == "deceased"
    assert VisitOutcome.ABSENT.status is None and VisitOutcome.SEEN.status is None


@pytest.mark.parametrize("outcome", ["absent", "hospitalized", "refused", "deceased"])
def test_only_a_resident_who_was_seen_has_vitals_or_a_classification(outcome: str) -> None:
    assert refused(VisitEntry(outcome=outcome, pulse=70)).field == "pulse"
    assert refused(VisitEntry(outcome=outcome, chronic_class="controlled")).field == "chronic_class"
    assert check(VisitEntry(outcome=outcome, findings="外出就医")).outcome is VisitOutcome(outcome)


def test_a_late_visit_is_accepted_with_its_reason_however_late() -> None:
    for day in (date(2026, 11, 15), date(2020, 1, 1), BORN):
        checked = check(VisitEntry(pulse=70), visit_date=day, late_reason=" 从纸质巡诊单补录 ")
        assert checked.late and checked.late_reason == "从纸质巡诊单补录"
    on_the_day = check(VisitEntry(), late_reason="ignored")
    assert not on_the_day.late and on_the_day.late_reason == ""
    assert is_late(date(2026, 11, 15), TODAY) and not is_late(TODAY, TODAY)


def test_a_visit_cannot_be_after_today_or_before_birth() -> None:
    assert refused(VisitEntry(), visit_date=date(2026, 11, 17)).field == "visit_date"
    assert refused(VisitEntry(), visit_date=date(1940, 2, 29)).field == "visit_date"


def test_texts_are_tidied_keep_their_lines_and_have_limits() -> None:
    assert clean_text("\n  头晕  两天 \n\n 双下肢水肿\n\n", field="findings") == "头晕 两天\n\n双下肢水肿"
    assert clean_text("ｆｕｌｌ　width", field="actions") == "full width"
    error = refused(VisitEntry(findings="字" * 1001))
    assert error.field == "findings"
    assert check(VisitEntry(findings="字" * 1000)).entry.findings == "字" * 1000
    assert refused(VisitEntry(), visit_date=date(2026, 1, 1), late_reason="x" * 201).field == "late_reason"


def test_a_referral_needs_a_destination_and_a_deceased_resident_gets_none() -> None:
    assert check(VisitEntry(referral=ReferralEntry("  "))).entry.referral is None
    assert refused(VisitEntry(referral=ReferralEntry("", reason="血压高"))).field == "referral_destination"
    assert refused(VisitEntry(referral=ReferralEntry("", green_channel=True))).field == "referral_destination"
    checked = check(VisitEntry(referral=ReferralEntry(" 示范区  中心医院 ", "血压高", urgent=True)))
    assert checked.entry.referral == ReferralEntry("示范区 中心医院", "血压高", True, False)
    deceased = VisitEntry(outcome="deceased", referral=ReferralEntry("医院"))
    assert refused(deceased).field == "referral_destination"


def test_fasting_needs_a_glucose_value() -> None:
    error = refused(VisitEntry(glucose_fasting=True))
    assert (error.field, error.reason_key) == ("glucose", "visit.fasting_needs_glucose")
    i18n.set_language("zh_CN")
    assert "勾选了“空腹”，请填写血糖值" in str(error)
    assert check(VisitEntry(glucose=6.0, glucose_fasting=True)).entry.glucose_fasting
    assert not check(VisitEntry(glucose=6.0)).entry.glucose_fasting
    # an outcome without vitals ignores a fasting tick left over (the form greys it out)
    assert not check(VisitEntry(outcome="absent", glucose_fasting=True)).entry.glucose_fasting


def test_systolic_and_diastolic_bp_go_together() -> None:
    alone = refused(VisitEntry(sbp=150))
    assert (alone.field, alone.value, alone.reason_key) == ("sbp", 150, "visit.bp_pair")
    i18n.set_language("zh_CN")
    assert str(alone) == "收缩压：收缩压和舒张压要一起填写（请补上舒张压，或两项都不填）（输入值：150）"
    i18n.set_language("en")
    assert "add the systolic BP" in str(refused(VisitEntry(dbp=80)))
    assert refused(VisitEntry(dbp=80)).field == "dbp"
    assert check(VisitEntry(sbp=150, dbp=90)).entry.sbp == 150
    assert check(VisitEntry(pulse=72)).entry.sbp is None


def test_a_visit_cannot_be_before_the_admission() -> None:
    admitted = date(2025, 6, 12)
    error = refused(VisitEntry(), visit_date=date(1990, 1, 1), admission_date=admitted)
    assert (error.field, error.value) == ("visit_date", "1990-01-01")
    i18n.set_language("zh_CN")
    assert str(error) == "巡诊日期：不能早于入住日期（2025-06-12）（输入值：1990-01-01）"
    assert check(VisitEntry(), visit_date=admitted, admission_date=admitted).late
    assert check(VisitEntry(), visit_date=date(2025, 6, 13), admission_date=admitted).late


def test_typed_numbers_accept_full_width_digits_and_a_decimal_comma() -> None:
    assert parse_vital("temperature", "３６，８") == 36.8
    assert parse_vital("sbp", " 150 ") == 150
    assert parse_vital("sbp", "") is None
    with pytest.raises(ValidationError):
        parse_vital("sbp", "150.5")
    with pytest.raises(ValidationError):
        parse_vital("glucose", "7..2")


# --- the chronic-disease classification (DOMAIN §4) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"sbp": 139, "dbp": 89}, "controlled"),
        ({"sbp": 140, "dbp": 80}, "not_controlled"),
        ({"sbp": 130, "dbp": 90}, "not_controlled"),
        ({"sbp": 139}, None),
        ({}, None),
    ],
)
def test_hypertension_is_classified_from_bp(values: dict[str, float], expected: str | None) -> None:
    suggestion = suggest_chronic_class(hypertension=True, diabetes=False, **values)
    assert (suggestion.chronic_class.value if suggestion else None) == expected


@pytest.mark.parametrize(
    ("glucose", "fasting", "expected"),
    [(6.9, True, "controlled"), (7.0, True, "not_controlled"), (12.0, False, None), (None, True, None)],
)
def test_diabetes_is_classified_from_fasting_glucose_only(
    glucose: float | None, fasting: bool, expected: str | None
) -> None:
    suggestion = suggest_chronic_class(hypertension=False, diabetes=True, glucose=glucose, glucose_fasting=fasting)
    assert (suggestion.chronic_class.value if suggestion else None) == expected


def test_with_both_conditions_controlled_needs_both_measured_and_one_high_value_is_enough() -> None:
    both = {"hypertension": True, "diabetes": True}
    assert suggest_chronic_class(**both, sbp=120, dbp=70) is None
    suggestion = suggest_chronic_class(**both, sbp=120, dbp=70, glucose=6.1, glucose_fasting=True)
    assert suggestion is not None and suggestion.chronic_class is ChronicClass.CONTROLLED
    suggestion = suggest_chronic_class(**both, sbp=150, dbp=70)
    assert suggestion is not None and suggestion.chronic_class is ChronicClass.NOT_CONTROLLED
    i18n.set_language("en")
    assert "150/70" in suggestion.text
    assert suggest_chronic_class(hypertension=False, diabetes=False, sbp=200, dbp=120) is None


def test_the_classification_is_checked() -> None:
    assert parse_chronic_class("控制不满意") is ChronicClass.NOT_CONTROLLED
    assert parse_chronic_class("adverse reaction") is ChronicClass.ADVERSE_REACTION
    assert parse_chronic_class("") is None
    assert refused(VisitEntry(chronic_class="fine")).field == "chronic_class"
    assert refused(VisitEntry(chronic_class="controlled"), chronic_follow_up=False).field == "chronic_class"
    assert ChronicClass.COMPLICATION.severity > ChronicClass.NOT_CONTROLLED.severity


# --- corrections ------------------------------------------------------------------------------------------------------


def test_changed_fields_name_what_a_correction_changed_in_form_order() -> None:
    old = VisitEntry(sbp=180, dbp=100, findings="头晕")
    new = replace(old, sbp=150, findings="头晕好转", referral=ReferralEntry("医院"))
    assert changed_fields(old, new, old_date=TODAY, new_date=TODAY) == ("sbp", "findings", "referral")
    assert changed_fields(old, old, old_date=TODAY, new_date=date(2026, 11, 15)) == ("visit_date",)
    i18n.set_language("en")
    assert field_labels(("sbp", "referral", "glucose_fasting")) == "systolic BP, referral destination, blood glucose"


def test_vitals_read_in_one_line() -> None:
    i18n.set_language("en")
    entry = VisitEntry(sbp=150, dbp=95, pulse=72, glucose=7.2, glucose_fasting=True, weight=60.5)
    assert describe_vitals(entry) == "BP 150/95 · P 72 · Glu 7.2 fasting · Wt 60.5"
    assert describe_vitals(VisitEntry()) == ""


# --- per-disease follow-up (DOMAIN §4, issue #16 items 2 and 3) -------------------------------------------------------

HTN, DM = Disease.HYPERTENSION, Disease.DIABETES


@pytest.mark.parametrize(
    ("age", "sbp", "dbp", "expected"),
    [
        # under 65: below 140/90
        (64, 139, 89, "controlled"),
        (64, 140, 80, "not_controlled"),
        (64, 141, 80, "not_controlled"),
        (64, 130, 90, "not_controlled"),
        # from 65: below 150/90
        (65, 145, 85, "controlled"),
        (65, 149, 89, "controlled"),
        (65, 150, 80, "not_controlled"),
        (65, 151, 80, "not_controlled"),
        (80, 145, 85, "controlled"),
        (80, 140, 89, "controlled"),
        (80, 140, 90, "not_controlled"),
        (None, 145, 85, "not_controlled"),
    ],
)
def test_the_bp_target_is_150_90_from_age_65(age: int | None, sbp: int, dbp: int, expected: str) -> None:
    suggestion = suggest_follow_up(HTN, age=age, sbp=sbp, dbp=dbp)
    assert suggestion is not None and suggestion.chronic_class.value == expected
    assert bp_target(age) == ((150, 90) if age is not None and age >= 65 else (140, 90))


@pytest.mark.parametrize(
    ("glucose", "fasting", "expected"),
    [(6.9, True, "controlled"), (7.0, True, "not_controlled"), (7.1, True, "not_controlled"), (15.0, False, None)],
)
def test_diabetes_follow_up_is_proposed_from_fasting_glucose(
    glucose: float, fasting: bool, expected: str | None
) -> None:
    suggestion = suggest_follow_up(DM, glucose=glucose, glucose_fasting=fasting)
    assert (suggestion.chronic_class.value if suggestion else None) == expected


def born_years_before(years: int, day: date = TODAY) -> date:
    return day.replace(year=day.year - years)


def test_a_hypertensive_visit_with_a_bp_is_never_saved_unclassified() -> None:
    # seen in the field: 150/88 saved as "未分类". At 64 it is not controlled, at 65 (birthday today) controlled.
    young = check(VisitEntry(sbp=150, dbp=88), diseases=["hypertension"], birth_date=born_years_before(64))
    assert young.follow_ups == ((HTN, ChronicClass.NOT_CONTROLLED),) and young.proposed == (HTN,)
    assert young.entry.chronic_class == "not_controlled"
    assert young.entry.follow_ups == (("hypertension", "not_controlled"),)
    old = check(VisitEntry(sbp=150, dbp=88), diseases=["hypertension"], birth_date=born_years_before(65))
    assert old.follow_ups == ((HTN, ChronicClass.NOT_CONTROLLED),)
    aged = check(VisitEntry(sbp=145, dbp=85), diseases=["hypertension"], birth_date=born_years_before(80))
    assert aged.follow_ups == ((HTN, ChronicClass.CONTROLLED),)
    birthday_tomorrow = born_years_before(65, TODAY + timedelta(days=1))
    day_before = check(VisitEntry(sbp=145, dbp=85), diseases=["hypertension"], birth_date=birthday_tomorrow)
    assert day_before.follow_ups == ((HTN, ChronicClass.NOT_CONTROLLED),)  # 64 until tomorrow


def test_each_disease_gets_its_own_classification_and_the_visit_the_most_severe() -> None:
    entry = VisitEntry(sbp=130, dbp=80, glucose=8.2, glucose_fasting=True)
    checked = check(entry, diseases=["hypertension", "diabetes_t2"], birth_date=born_years_before(70))
    assert checked.follow_ups == ((HTN, ChronicClass.CONTROLLED), (DM, ChronicClass.NOT_CONTROLLED))
    assert checked.chronic_class is ChronicClass.NOT_CONTROLLED
    given = check(
        VisitEntry(sbp=130, dbp=80, follow_ups=(("diabetes", "adverse_reaction"),)),
        diseases=["hypertension", "diabetes_t2"],
    )
    assert given.follow_ups == ((HTN, ChronicClass.CONTROLLED), (DM, ChronicClass.ADVERSE_REACTION))
    assert given.proposed == (HTN,) and given.chronic_class is ChronicClass.ADVERSE_REACTION
    # the doctor overrides the proposal
    chosen = check(VisitEntry(sbp=190, dbp=80, follow_ups=(("高血压", "控制满意"),)), diseases=["hypertension"])
    assert chosen.follow_ups == ((HTN, ChronicClass.CONTROLLED),) and chosen.proposed == ()
    # nothing measured: nothing proposed, nothing saved
    assert check(VisitEntry(), diseases=["hypertension", "diabetes_t2"]).follow_ups == ()


def test_a_follow_up_for_a_disease_the_resident_does_not_have_is_refused() -> None:
    error = refused(VisitEntry(follow_ups=(("diabetes", "controlled"),)), diseases=["hypertension"])
    assert error.field == "follow_up"
    assert refused(VisitEntry(follow_ups=(("asthma", "controlled"),)), diseases=["hypertension"]).field == "follow_up"
    assert refused(VisitEntry(chronic_class="controlled"), diseases=[]).field == "chronic_class"
    absent = VisitEntry(outcome="absent", follow_ups=(("hypertension", "controlled"),))
    assert refused(absent, diseases=["hypertension"]).field == "follow_up"


def test_an_older_forms_single_classification_applies_to_each_disease() -> None:
    checked = check(VisitEntry(chronic_class="complication"), diseases=["hypertension", "diabetes_t2"])
    assert checked.follow_ups == ((HTN, ChronicClass.COMPLICATION), (DM, ChronicClass.COMPLICATION))


def test_adherence_lifestyle_height_and_foot_pulses() -> None:
    entry = VisitEntry(adherence="间断", lifestyle_advice=" 低盐饮食 ", height=165, weight=60, foot_pulse="减弱")
    checked = check(entry, diseases=["diabetes_t2"])
    assert (checked.entry.adherence, checked.entry.lifestyle_advice, checked.entry.foot_pulse) == (
        "intermittent",
        "低盐饮食",
        "weak",
    )
    assert bmi(60, 165) == 22.0 and bmi(60, None) is None
    assert refused(VisitEntry(adherence="sometimes")).field == "adherence"
    assert refused(VisitEntry(foot_pulse="weak"), diseases=["hypertension"]).field == "foot_pulse"
    for height, ok in ((99.9, False), (100, True), (220, True), (220.1, False)):
        if ok:
            assert check(VisitEntry(height=height)).entry.height == height
        else:
            assert refused(VisitEntry(height=height)).field == "height"


def test_a_fast_pulse_is_urgent_at_a_diabetics_visit() -> None:
    assert check(VisitEntry(pulse=101), diseases=["diabetes_t2"]).urgent
    assert not check(VisitEntry(pulse=100), diseases=["diabetes_t2"]).urgent
    assert not check(VisitEntry(pulse=101), diseases=["hypertension"]).urgent


@pytest.mark.parametrize(
    ("current", "previous", "proposes"),
    [
        (ChronicClass.NOT_CONTROLLED, ChronicClass.NOT_CONTROLLED, True),
        (ChronicClass.NOT_CONTROLLED, ChronicClass.CONTROLLED, False),
        (ChronicClass.NOT_CONTROLLED, None, False),
        (ChronicClass.CONTROLLED, ChronicClass.NOT_CONTROLLED, False),
        (ChronicClass.COMPLICATION, None, True),
        (ChronicClass.ADVERSE_REACTION, ChronicClass.ADVERSE_REACTION, False),
    ],
)
def test_a_referral_is_proposed_after_two_not_controlled_for_the_same_disease(
    current: ChronicClass, previous: ChronicClass | None, proposes: bool
) -> None:
    assert bool(proposed_referral(HTN, current, previous)) == proposes
