"""The blocks of a demo: residents, their records and visits, drawn block by block.

Each block comes from its own random generator, seeded by (seed, block index), with ids from its own
millisecond window and beds from the plan's allocation cycle, so its content depends on nothing but the
seed, ``today`` and its index — not on which process makes it. A block travels as a serialized in-memory
database (:func:`app.store.queries.demo.block_database`).
"""

from __future__ import annotations

import bisect
import gc
import json
import math
import random
import statistics
from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Any

from app.domain.assessments import AD8_ITEMS, SELF_CARE_ITEMS, ad8_score, self_care_band, self_care_score
from app.domain.conditions import BY_CODE
from app.domain.idcard import make_id_number
from app.domain.residents import ResidentStatus
from app.domain.scheduling import DEFAULT_INTERVAL_DAYS
from app.domain.search import ID_TAIL, SEPARATOR, bed_label, normalize_query, search_text
from app.domain.triage import DEFAULT_RULES, ResidentFacts, Suggestion, reasons_to_json, suggest_colour
from app.services.demo.plan import BLOCK_COLUMNS, ID_WINDOW_MS, REVIEW_DAYS, Plan, id_stream, iso
from app.services.demo.vocabulary import (
    ACTIONS,
    ALLERGIES,
    BEDRIDDEN_REMARKS,
    BP_ACTIONS,
    BP_URGENT_ACTION,
    CONDITION_PLAN,
    CONDITION_REMARKS,
    FALL_NOTE,
    FEMALE_GIVEN,
    GENERAL_FINDINGS,
    GLUCOSE_ACTIONS,
    GUARDIAN_RELATIONS,
    LIFESTYLE_ADVICE,
    MALE_GIVEN,
    NO_REMARKS,
    REGIONS,
    SERVICE_PACKAGES,
    SURNAMES,
)
from app.store.queries.demo import block_database

# --- days and cheap random draws --------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# Draws by table: 12 random bits index 4 096 equally likely values, one C call per draw instead of
# several. _NORMAL holds the standard normal quantiles at (i + 0.5) / 4096.
_DRAWS = 4096
_NORMAL = tuple(statistics.NormalDist().inv_cdf((i + 0.5) / _DRAWS) for i in range(_DRAWS))
_SBP_STEP = tuple(round(9 * z) for z in _NORMAL)
_DBP_STEP = tuple(round(6 * z) for z in _NORMAL)
_PULSE = tuple(round(76 + 9 * z) for z in _NORMAL)  # 43–109 /min
_TEMPERATURE = tuple(round(36.5 + 0.25 * z, 1) for z in _NORMAL)  # 35.6–37.4 °C
_SPO2 = tuple(min(100, round(96.5 + 1.5 * z)) for z in _NORMAL)  # 91–100 %
_WEIGHT_STEP = tuple(round(4 * z) for z in _NORMAL)  # tenths of a kilogram
_GLUCOSE_STEP = tuple(round(16 * z) for z in _NORMAL)  # tenths of a mmol/L
_FASTING_STEP = tuple(round(5 * z) for z in _NORMAL)  # tenths of a mmol/L
# rounds are morning work: a visit between 08:30 and 11:30, as minutes after midnight (local time)
_ACTIONS = tuple(ACTIONS[i * len(ACTIONS) // _DRAWS] for i in range(_DRAWS))
_CLOCKS = tuple(f" {m // 60:02d}:{m % 60:02d}:" for m in range(1440))
_SECONDS = tuple(f"{s:02d}.000000" for s in range(64))
_VISIT_TIMES = tuple((m, f" {m // 60:02d}:{m % 60:02d}:00.000000") for m in (510 + i * 180 // 512 for i in range(512)))
_CONDITION_NAMES = {code: name for code, name, _prevalence, _medications in CONDITION_PLAN}
_MEDICATIONS = {code: medications for code, _name, _prevalence, medications in CONDITION_PLAN}
_AD8_ANSWERS = ("yes", "no", "unknown")
# days since the last visit from which a resident is visited again: the colour's interval less half a week,
# so weekly rounds visit red every week, yellow every second week, green every fourth
_VISIT_GAPS = {colour.value: days - 3 for colour, days in DEFAULT_INTERVAL_DAYS.items()}
_ADVICE = tuple(LIFESTYLE_ADVICE[i * len(LIFESTYLE_ADVICE) // _DRAWS] for i in range(_DRAWS))


@cache
def _name_keys(name: str) -> str:
    """Return the name's part of its search text: ``|name|initials|pinyin|`` (see :func:`_search_text`)."""
    return search_text(name=name, building="", room="", bed="", id_number="")


def _search_text(name: str, building: str, room: str, bed: str, id_number: str) -> str:
    """Return :func:`app.domain.search.search_text` of a resident, with the name's keys from a cache.

    The same text (a test compares them): the bed and the ID tail hold digits, so they never repeat a
    name key, which is all the de-duplication in ``search_text`` could remove.
    """
    tail = id_number[-ID_TAIL:].lower()
    return f"{_name_keys(name)}{normalize_query(bed_label(building, room, bed))}{SEPARATOR}{tail}{SEPARATOR}"


@cache
def _self_care(levels: tuple[int, ...]) -> tuple[int, str, str]:
    """Return score, band and items JSON of a self-care assessment with these item levels."""
    items = {item.key: level for item, level in zip(SELF_CARE_ITEMS, levels, strict=True)}
    score = self_care_score(items)
    return score, self_care_band(score).key, json.dumps(items)


@cache
def _ad8(answers: tuple[int, ...]) -> tuple[int, str]:
    """Return score and items JSON of an AD8 screen; ``answers`` index :data:`_AD8_ANSWERS`."""
    items = {key: _AD8_ANSWERS[answer] for key, answer in zip(AD8_ITEMS, answers, strict=True)}
    return ad8_score(items), json.dumps(items)


_reasons_json = lru_cache(maxsize=8192)(reasons_to_json)
"""The stored reasons of a suggestion: residents share most (as JSON, they take longer than the rules)."""


@cache
def _findings(conditions: tuple[str, ...], bedridden: bool) -> tuple[str, ...]:
    """Return the findings a visit may note for a resident with ``conditions``: an impression and a remark."""
    remarks = tuple(remark for code in conditions for remark in CONDITION_REMARKS.get(code, ()))
    remarks = (remarks + BEDRIDDEN_REMARKS if bedridden else remarks) or NO_REMARKS
    return tuple(f"{general}；{remark}" for general in GENERAL_FINDINGS for remark in remarks)


def _suggestion(facts: ResidentFacts, day: date) -> Suggestion:
    """Return what the triage engine, with the default rules (a demo stores none), suggests on ``day``."""
    suggestion = suggest_colour(facts, DEFAULT_RULES, day)
    if suggestion is None:  # a programming error: the demo asks for residents in residence only
        raise RuntimeError("the demo asked for the colour of a resident not in residence")
    return suggestion


# --- making a block ----------------------------------------------------------------------------------------


def _turns(birth: date, age: int) -> int:
    """Return the ordinal of the day someone born on ``birth`` turns ``age`` (29 February: 1 March in common
    years, as :func:`app.domain.validation.age_on` counts)."""
    try:
        return birth.replace(year=birth.year + age).toordinal()
    except ValueError:
        return date(birth.year + age, 3, 1).toordinal()


def make_block(plan: Plan, block: int) -> bytes:
    """Make block ``block`` of ``plan``: its residents, their records and visits, as a serialized database.

    Top level and free of globals set at run time, so that worker processes (spawned) can run it.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived tuples: cyclic GC passes would dominate the run time
    try:
        return block_database(BLOCK_COLUMNS, _block_rows(plan, block))
    finally:
        if gc_was_enabled:
            gc.enable()


def _block_rows(plan: Plan, block: int) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(f"carerounds-demo:{plan.seed}:{block}")
    random_, bits, triangular = rng.random, rng.getrandbits, rng.triangular
    new_id = id_stream(plan.id_ms + block * ID_WINDOW_MS, rng).__next__

    def pick(options: Sequence[Any]) -> Any:
        return options[int(random_() * len(options))]

    today = plan.today
    today_date = date.fromordinal(today)
    births = [  # per age 60–100: the first and last birth date giving that age today
        (_years_before(today_date, age + 1).toordinal() + 1, _years_before(today_date, age).toordinal())
        for age in range(60, 101)
    ]
    cycle, places, shares, homes = plan.cycle, plan.places, plan.shares, plan.homes
    home_days = [[day for _round, day, _iso_day in home.rounds] for home in homes]
    review = today - REVIEW_DAYS
    review_date = date.fromordinal(review)
    offsets, offsets_from = plan.offsets, plan.offsets_from

    def utc(day: int, minute: int, second: int) -> str:
        """Return local wall time ``minute`` after midnight of ``day`` (an ordinal) as a UTC ``created_at``."""
        shift, minute = divmod(minute - offsets[day - offsets_from], 1440)
        return iso(day + shift) + _CLOCKS[minute] + _SECONDS[second]

    out: dict[str, list[tuple[Any, ...]]] = {table: [] for table in BLOCK_COLUMNS}
    residents, periods, changes, conditions_out, medications, allergies, assessments, decisions, visits = (
        out[table] for table in BLOCK_COLUMNS
    )
    used: set[str] = set()
    in_residence = ResidentStatus.IN_RESIDENCE
    first = block * plan.block_size
    for number in range(first, min(plan.residents, first + plan.block_size)):
        # --- who, where, since when
        if number == 0:
            name, sex = "张红丽", "F"  # the README's search example
        else:
            sex = "M" if random_() < 0.4 else "F"
            name = pick(SURNAMES) + pick(MALE_GIVEN if sex == "M" else FEMALE_GIVEN)
        age = min(100, max(60, int(triangular(60, 101, 84))))
        low, high = births[age - 60]
        birth = low + int(random_() * (high - low + 1))
        while True:
            id_number = make_id_number(pick(REGIONS), date.fromordinal(birth), int(random_() * 100), sex)
            if id_number not in used:
                used.add(id_number)
                break
        place = number % len(cycle)
        home_index = cycle[place]
        home = homes[home_index]
        slot = number // len(cycle) * shares[home_index] + places[place]
        building = "ABCD"[slot // 300 % 4] + (str(slot // 1200) if slot >= 1200 else "")
        room = str(100 * (1 + slot // 30 % 10) + 1 + slot // 3 % 10)
        bed = str(1 + slot % 3)
        # admitted at 60 or later, within the last eight years; one in five in the last six months
        earliest = min(today - 30, max(birth + 21_915, today - 2_922))
        if random_() < 0.2:
            admission = max(earliest, today - 30 - int(random_() * 150))
        else:
            admission = earliest + int(random_() * (max(earliest, today - 200) - earliest + 1))
        draw = random_() if number else 0.0
        status = (
            in_residence
            if draw < 0.95
            else ResidentStatus.HOSPITALIZED
            if draw < 0.97
            else ResidentStatus.DISCHARGED
            if draw < 0.985
            else ResidentStatus.DECEASED
        )
        departed = status is not in_residence
        status_day = max(admission + 1, today - 3 - int(random_() * 58)) if departed else 0
        last_day = status_day - 1 if departed else today  # records stop when the resident leaves
        # one in 25 of those in residence came back from a stay in hospital (no rounds for them meanwhile)
        back = 0 if departed or random_() >= 0.04 else today - 1 - int(random_() * 80)
        hospitalized = back - 4 - int(random_() * 12) if back else 0
        if hospitalized <= admission:
            back = hospitalized = 0

        # --- health
        conditions = [code for code, _name, prevalence, _medications in CONDITION_PLAN if random_() < prevalence]
        hypertensive = "hypertension" in conditions
        diabetic = "diabetes_t2" in conditions
        chronic = hypertensive or diabetic
        # chronic follow-up (DOMAIN §5): most treated residents are controlled; about one in eight is not,
        # by blood pressure or by fasting glucose
        poorly = chronic and random_() < 0.12
        poor_bp = poorly and hypertensive and (not diabetic or random_() < 0.5)
        spread = _NORMAL[bits(12)]
        if hypertensive:  # the poorly controlled above the target of 150/90 from 65 too (DOMAIN §4)
            sbp = int(157 + 8 * spread) if poor_bp else int(131 + 7 * spread)
            dbp = int((86 if poor_bp else 74) + 4 * spread + 4 * (random_() - 0.5))
        else:
            sbp = int(122 + 10 * spread)
            dbp = int(72 + 5 * spread + 3 * (random_() - 0.5))
        sbp = max(95, min(210, sbp))
        dbp = min(max(55, min(120, dbp)), sbp - 25)
        fasting_level = (80 if poorly and not poor_bp else 62) + round(4 * _NORMAL[bits(12)])  # tenths of mmol/L
        rate = 1.6 if age < 85 else 0.9
        levels = tuple(min(3, int(-math.log(1.0 - random_()) / rate)) for _item in SELF_CARE_ITEMS)
        self_care, band, levels_json = _self_care(levels)
        care_level = min(6, self_care // 6 + (random_() < 1 / 3))
        hospice = random_() < 0.01
        family_bed = random_() < 0.03
        bed_start = max(admission, last_day - 10 - int(random_() * 81)) if family_bed else 0
        fell_on = max(admission + 1, last_day - 1 - int(random_() * 175)) if random_() < 0.12 else 0
        ad8, ad8_json = 0, ""
        if random_() < 0.6:
            yes = 0.6 if "dementia" in conditions else 0.1
            ad8, ad8_json = _ad8(tuple(0 if d < yes else 1 if d < 0.95 else 2 for d in (random_() for _ in AD8_ITEMS)))
        signed = random_() < 0.86
        # the follow-up forms' fields (issue #16), from what was drawn: no draw added, the rest stays as it was
        turns_65 = _turns(date.fromordinal(birth), 65)  # the BP target is 150/90 from this day
        height = float((150 if sex == "F" else 162) + birth % 13)
        adherence = "intermittent" if poorly and birth % 3 else "none" if birth % 37 == 0 else "regular"
        foot_pulse = "weak" if birth % 7 == 0 else "normal"
        doctor = home.doctor
        resident_id = new_id()
        # what the triage rules look at, but the visits
        facts: dict[str, Any] = {
            "birth_date": date.fromordinal(birth),
            "self_care_score": self_care,
            "care_level": care_level,
            "hospice": hospice,
            "family_bed": family_bed,
            "family_bed_start": date.fromordinal(bed_start) if family_bed else None,
            "ad8_score": ad8 if ad8_json else None,
            "dementia_diagnosed": "dementia" in conditions,
            "conditions": tuple(conditions),
        }
        fall = date.fromordinal(fell_on) if fell_on else None
        fall_before_review = fall if fell_on <= review else None
        back_day = date.fromordinal(back) if back else None
        # the colour the resident has usually had, so usually been visited by: the rules on their usual values
        usual = ("not_controlled", "not_controlled") if poorly else ("controlled",) if chronic else ()
        usual_colour = _suggestion(
            ResidentFacts(
                **facts, last_bp=(review_date, sbp, dbp), chronic_classes=usual, last_fall=fall_before_review
            ),
            review_date,
        ).colour

        periods.append((new_id(), resident_id, home.id, building, room, bed, iso(admission)))
        if departed:
            changes.append((new_id(), resident_id, status.value, iso(status_day)))
        elif back:
            changes.append((new_id(), resident_id, ResidentStatus.HOSPITALIZED.value, iso(hospitalized)))
            changes.append((new_id(), resident_id, in_residence.value, iso(back)))
        for code in conditions:
            spec = BY_CODE[code]
            diagnosed = min(today - 30, birth + int((55 + 20 * random_()) * 365.25))
            conditions_out.append((new_id(), resident_id, code, spec.icd10, _CONDITION_NAMES[code], iso(diagnosed)))
            for medication, dose, frequency in _MEDICATIONS[code][: int(random_() * 3)]:
                started = max(diagnosed, admission - int(random_() * 2001))
                medications.append((new_id(), resident_id, medication, dose, frequency, iso(started)))
        if random_() < 0.1:
            substance, reaction = pick(ALLERGIES)
            allergies.append((new_id(), resident_id, substance, reaction))
        assessed = iso(max(admission, last_day - 20 - int(random_() * 311)))
        assessments.append((new_id(), resident_id, "self_care", assessed, doctor, self_care, band, levels_json, ""))
        assessments.append((new_id(), resident_id, "care_level", assessed, doctor, care_level, str(care_level), "", ""))
        if ad8_json:
            result = "positive" if ad8 >= 2 else "negative"
            assessments.append((new_id(), resident_id, "ad8", assessed, doctor, ad8, result, ad8_json, ""))
        if fell_on:
            assessments.append((new_id(), resident_id, "fall", iso(fell_on), doctor, None, "", "", FALL_NOTE))
        if age >= 65:
            checked = iso(max(admission, last_day - 20 - int(random_() * 401)))
            check_id = new_id()  # drawn either way: the ids (and all that follows) stay as they were
            if birth % 16:  # one in sixteen has never had an annual check recorded (issue #16: "尚未做年度体检")
                assessments.append((check_id, resident_id, "annual_check", checked, doctor, None, "done", "", ""))

        # --- visits at the home's rounds since admission: due by colour, a few rounds missed
        rounds = home.rounds
        days = home_days[home_index]
        gap = _VISIT_GAPS[usual_colour.value]
        nurse = home.nurse
        findings = _findings(tuple(conditions), self_care >= 19)
        findings_count = len(findings)
        weight = 400 + int(380 * random_())  # tenths of a kilogram
        last_seen = -gap
        away_noted = False
        last_bp: tuple[int, int, int] | None = None  # day, SBP, DBP
        last_glucose: tuple[int, float] | None = None
        last_pulse: tuple[int, int] | None = None  # a diabetic's fast pulse is urgent (issue #16)
        classes: tuple[str, ...] = ()  # the last two chronic classifications, newest first
        ht_classes: tuple[str, ...] = ()  # the same per disease (DOMAIN §4: "in a row" counts per disease)
        dm_classes: tuple[str, ...] = ()
        at_review: tuple[Any, ...] | None = None  # the same on the day of the last triage review
        for index in range(bisect.bisect_left(days, admission), bisect.bisect_right(days, last_day)):
            round_id, day, day_iso = rounds[index]
            if at_review is None and day > review:
                at_review = (last_bp, last_glucose, classes, last_pulse, _streams(ht_classes, dm_classes))
            if day - last_seen < gap:
                continue
            if hospitalized <= day < back:  # in hospital: noted once
                if away_noted:
                    continue
                away_noted, draw = True, 1.0
            else:
                draw = random_()
                if draw < 0.06:  # missed this round: the overdue list has work
                    continue
            minute, clock = _VISIT_TIMES[bits(9)]
            # entered during the round by the team's nurse or doctor, 2–17 minutes after; one in 32 the next day
            entry = bits(22)
            recorder = doctor if entry & 127 < 45 else nurse
            if entry & 3968:  # bits 7–11
                shift, at = divmod(minute + 2 + (entry >> 12 & 15) - offsets[day - offsets_from], 1440)
                entered = iso(day + shift) + _CLOCKS[at] + _SECONDS[(entry >> 16) % 60]
            else:
                entered = utc(day + 1, 480 + (entry >> 12 & 511), (entry >> 16) % 60)
            if draw < 0.9342:  # seen (93 % of the visits)
                last_seen = day
                systolic = sbp + _SBP_STEP[bits(12)]
                systolic = systolic if 85 <= systolic <= 230 else 85 if systolic < 85 else 230
                diastolic = dbp + _DBP_STEP[bits(12)]
                diastolic = diastolic if 45 <= diastolic <= systolic - 20 else 45 if diastolic < 45 else systolic - 20
                last_bp = (day, systolic, diastolic)
                weight += _WEIGHT_STEP[bits(12)]
                weight = weight if 250 <= weight <= 1300 else 250 if weight < 250 else 1300
                glucose, fasting = None, 0
                # each disease its own classification (DOMAIN §4): BP below 140/90, from 65 below 150/90; a
                # fasting glucose below 7.0 (a random glucose decides nothing: no diabetes follow-up then)
                high_bp = hypertensive and (systolic >= (150 if day >= turns_65 else 140) or diastolic >= 90)
                high_glucose = False
                ht_class = dm_class = ""
                if hypertensive:
                    ht_class = "not_controlled" if high_bp else "controlled"
                    ht_classes = (ht_class, *ht_classes[:1])
                if diabetic:
                    fasting = int(random_() < 0.7)
                    if fasting:
                        tenths = min(300, max(30, fasting_level + _FASTING_STEP[bits(12)]))
                        high_glucose = tenths >= 70
                        dm_class = "not_controlled" if high_glucose else "controlled"
                        dm_classes = (dm_class, *dm_classes[:1])
                    else:
                        tenths = min(300, max(30, fasting_level + 24 + _GLUCOSE_STEP[bits(12)]))
                    glucose = tenths / 10
                    last_glucose = (day, glucose)
                chronic_class = max(ht_class, dm_class)  # the most severe: "not_controlled" > "controlled" > ""
                if chronic_class:
                    classes = (chronic_class, *classes[:1])
                if systolic >= 180 or diastolic >= 110:
                    action = BP_URGENT_ACTION
                elif high_bp:
                    action = pick(BP_ACTIONS)
                elif high_glucose:
                    action = pick(GLUCOSE_ACTIONS)
                else:
                    action = _ACTIONS[bits(12)]
                pulse = _PULSE[bits(12)]  # drawn where the visit's row drew it before
                last_pulse = (day, pulse)
                visits.append(
                    (
                        new_id(),
                        resident_id,
                        round_id,
                        day_iso,
                        day_iso + clock,
                        recorder,
                        "seen",
                        systolic,
                        diastolic,
                        pulse,
                        _TEMPERATURE[bits(12)],
                        _SPO2[bits(12)],
                        glucose,
                        fasting,
                        weight / 10,
                        findings[int(random_() * findings_count)],
                        action,
                        chronic_class,
                        ht_class,
                        dm_class,
                        adherence if chronic_class else "",
                        _ADVICE[int(draw * 70_000) & 4095] if chronic_class else "",
                        height if chronic_class else None,
                        foot_pulse if dm_class else "",
                        entered,
                    )
                )
            else:
                outcome = "absent" if draw < 0.975 else "refused" if draw < 1.0 else "hospitalized"
                visits.append(
                    (
                        new_id(),
                        resident_id,
                        round_id,
                        day_iso,
                        day_iso + clock,
                        recorder,
                        outcome,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        0,
                        None,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        None,
                        "",
                        entered,
                    )
                )
        streams = _streams(ht_classes, dm_classes)
        if at_review is None:
            at_review = (last_bp, last_glucose, classes, last_pulse, streams)

        # --- triage: the doctors' last review (a week ago) confirmed the rules' suggestions of that day; the
        # suggestion of today differs only where something happened since (last week's visits, a fall)
        back_before_review = back_day if back <= review else None
        then = _with_visits(facts, fall_before_review, back_before_review, *at_review)
        reviewed = _suggestion(then, review_date)
        colour = reviewed.colour.value
        suggested = colour
        if not departed:
            latest = (last_bp, last_glucose, classes, last_pulse, streams)
            unchanged = at_review == latest and fell_on <= review and back <= review
            now = then if unchanged else _with_visits(facts, fall, back_day, *latest)
            suggested = _suggestion(now, today_date).colour.value  # the same facts on another day: ask anyway
        decided = utc(review, 960 + bits(7), bits(6) % 60)  # after the day's round, 16:00–18:07
        decisions.append(
            (new_id(), resident_id, colour, colour, doctor, decided, _reasons_json(reviewed.reasons), decided)
        )
        residents.append(
            (
                resident_id,
                name,
                sex,
                iso(birth),
                id_number,
                f"3100{1_000_000_000 + bits(32) % 9_000_000_000}",
                f"13{bits(32) % 1_000_000_000:09d}" if random_() < 0.3 else "",
                home.id,
                building,
                room,
                bed,
                iso(admission),
                status.value,
                iso(status_day) if departed else iso(back) if back else None,
                pick(SURNAMES) + pick(MALE_GIVEN + FEMALE_GIVEN),
                pick(GUARDIAN_RELATIONS),
                f"13{bits(32) % 1_000_000_000:09d}",
                iso(min(admission + 1 + int(random_() * 60), last_day)) if signed else None,
                doctor if signed else None,
                pick(SERVICE_PACKAGES) if signed else "",
                f"SF{number + 1:08d}",
                int(family_bed),
                iso(bed_start) if family_bed else None,
                int(hospice),
                int(care_level >= 2 and random_() < 0.7),
                care_level,
                colour,
                suggested,
                _search_text(name, building, room, bed, id_number),
            )
        )
    return out


def _with_visits(
    facts: dict[str, Any],
    fall: date | None,
    back: date | None,
    bp: tuple[int, int, int] | None,
    glucose: tuple[int, float] | None,
    classes: tuple[str, ...],
    pulse: tuple[int, int] | None = None,
    follow_ups: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> ResidentFacts:
    """Return the triage facts: ``facts``, the last fall, the last return from hospital, and what the visits
    tell — the last BP, glucose and pulse (with day ordinals), the last chronic classifications, and per disease
    its last ones (:func:`_streams`). (SpO2 and temperature in the demo never reach the urgent limits.)"""
    return ResidentFacts(
        **facts,
        last_fall=fall,
        back_from_hospital=back,
        last_bp=(date.fromordinal(bp[0]), bp[1], bp[2]) if bp else None,
        last_glucose=(date.fromordinal(glucose[0]), glucose[1]) if glucose else None,
        last_pulse=(date.fromordinal(pulse[0]), pulse[1]) if pulse else None,
        chronic_classes=classes,
        follow_ups=follow_ups,
    )


def _streams(hypertension: tuple[str, ...], diabetes: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the per-disease classifications as the triage reads them from the visits: each disease that has
    one, hypertension first (:func:`app.services.triage.facts.load_facts`)."""
    streams = (("hypertension", hypertension), ("diabetes", diabetes))
    return tuple((disease, found) for disease, found in streams if found)
