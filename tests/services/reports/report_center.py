"""A center built by hand for the report tests: every figure of 2026-Q4 is counted below, by hand.

Two homes, seven residents, report day 2027-01-10 (every week of Q4 has ended).

康宁养老院 (A): agreement from 2026-01-01, rounds on Tuesdays (1 a week).
  张一  born 1950-03-01, signed 2025; hypertensive, follow-ups 02-10, 05-10, 08-10, 11-10 (exactly 4), last BP
        148/88 at 76 (controlled: target 150/90 from 65); annual check 2026-06-01; green 2026-01-05 → red
        2026-11-01 (a change up), green again 2027-01-05 (after the period: not counted); visits in Q4: 11-10, 12-01.
  李二  born 1961-11-20 (turns 65 in 2026: elderly for the year), not signed; hypertensive, 3 follow-ups
        (06-01, 09-01, 11-19); on 11-19 (aged 64) 138/85 was recorded, then corrected to 145/85: only the
        correction counts, not controlled (target 140/90 before 65); green since 2025-07-01.
  王三  born 1940-01-01, admitted 2026-11-15 (mid-quarter), signed 2026-11-20; yellow 2026-11-16 (a first
        colour, no change); AD8 2026-11-16 positive; visit 12-01.
  赵四  born 1945-05-05, signed 2024, hypertensive (5 follow-ups), died 2026-11-05 (its stay left open, as
        old data has it): not in residence at the end, not managed; visit 10-20 counts; an urgent referral
        opened 10-20, still open.
枫林敬老院 (B): agreement from 2026-01-01, rounds Mondays and Thursdays (2 a week).
  钱五  born 1970-01-01, signed 2026-12-31 (the last day counts); diabetic, fasting glucose follow-ups 03-02,
        06-02, 10-15, 12-02 (last 6.8: controlled); family bed opened 2026-12-20 (12 bed-days); a routine
        referral 10-05, closed 10-12; care-level assessment 10-03; yellow 2026-03-01 → green 2026-12-15 (down).
        (Its bed is only on the resident's own dates, as older data has it.)
  王三 also: two family beds in the beds' table, 11-15..11-17 (2 bed-days) and 11-20..12-10 (20 bed-days), both
        closed in the quarter. 张一 also: proxy refills on 09-01 (Q3) and 12-01 (Q4).
  → beds opened 3, closed 2, open at the end 1 (钱五), bed-days 12 + 2 + 20 = 34; refills 1 (1 resident).
  孙六  born 1955-07-07, discharged 2026-09-15: not in Q4 at all.
  周七  born 1960-01-01, in hospital since 2026-12-20 (keeps the place: in residence), no colour confirmed; last
        annual check 2025-12-20 (last year); an "absent" visit 12-01 is no visit.
  吴八  born 1948-06-15 (78), admitted 2025-01-01, not signed, no colour confirmed; hypertensive AND diabetic, each
        disease followed up on its own form (DOMAIN §4): 02-05 an older form's one classification (counts for
        both), 05-05 and 08-05 hypertension (145/88, 142/86), 12-10 diabetes (fasting 7.4), 12-15 hypertension
        (152/91, and a fasting 6.0 on the hypertension form), 12-20 diabetes (128/78, a random glucose 9.0).
        → hypertension: exactly 4 follow-ups (regular), last BP of a hypertension follow-up 152/91 (not controlled
        at 78; the later 128/78 was taken at a diabetes follow-up); diabetes: 3 follow-ups (not regular), last
        fasting glucose of a diabetes follow-up 7.4 (not controlled; the 6.0 was on the hypertension form).
        Visits in Q4: 12-10, 12-15, 12-20. Referrals (all routine but one): 09-20 closed 10-02 "no longer needed"
        (closed in Q4), 11-01 closed 11-20 "admitted", 12-01 urgent closed 12-05 "treated and returned", 12-10
        closed 2027-01-03 "declined" (after the period: open at its end, and 21 days open: due for follow-up),
        12-17 open (exactly 14 days on 12-31: due), 12-20 open (11 days: not yet).
  → referrals opened in Q4: urgent 2 (赵四 10-20, 吴八 12-01), routine 5 (钱五 10-05, 吴八 11-01, 12-10, 12-17,
    12-20); closed 4 (钱五's without an outcome, older data; admitted 1, returned 1, not needed 1); open at the end
    4 (赵四, 吴八 12-10, 12-17, 12-20), of them open 14 days or more 3 (赵四, 吴八 12-10, 12-17).

Rounds of A, Tuesdays: Sep 29 done (its week's Thursday is Oct 1: a Q4 week), Oct 6 done, Oct 13 cancelled,
Oct 20 … Nov 24 done, Dec 1 done, Dec 8 planned with a visit (held), Dec 15 planned, nothing recorded (not
held), Dec 22 done, Dec 29 moved to Sat 2027-01-02 and done (the week of Dec 28 is Q4's; the round is 2027's).
  → rounds held in Q4: Oct 6, 20, 27, Nov 3, 10, 17, 24, Dec 1, 8, 22 = 10; cancelled 1;
    weeks 14 (Sep 28 … Dec 28), compliant 12 (not Oct 12, Dec 14), rounds due 14.
Rounds of B: Nov 2 and Nov 5 done (a compliant week), Nov 9 done (1 of 2).
  → held 3; weeks 14, compliant 1, rounds due 28.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from app.bootstrap import AppContext
from app.store.models import (
    Agreement,
    Assessment,
    Center,
    Condition,
    FamilyBed,
    Institution,
    Medication,
    MedicationDispense,
    Referral,
    ResidencePeriod,
    Resident,
    Round,
    TriageDecision,
    Visit,
)

TODAY = date(2027, 1, 10)

EXPECTED_Q4 = {
    # center total of 2026-Q4, counted by hand from the module's description
    "signed_institutions": 2,
    "in_residence": 6,
    "signed": 3,
    "signing_rate": 50.0,
    "rounds_held": 13,
    "rounds_cancelled": 1,
    "rounds_due": 42,
    "weeks": 28,
    "weeks_compliant": 13,
    "round_compliance": 46.4,
    "visits": 11,
    "residents_seen": 6,
    "red": 1,
    "yellow": 1,
    "green": 2,
    "unconfirmed": 2,
    "colour_up": 1,
    "colour_down": 1,
    "elderly": 5,
    "elderly_checked": 1,
    "health_management_rate": 20.0,
    "ht_managed": 3,
    "ht_regular": 2,
    "ht_regular_rate": 66.7,
    "ht_controlled": 1,
    "ht_control_rate": 33.3,
    "dm_managed": 2,
    "dm_regular": 1,
    "dm_regular_rate": 50.0,
    "dm_controlled": 1,
    "dm_control_rate": 50.0,
    "beds_opened": 3,
    "beds_closed": 2,
    "beds_open": 1,
    "bed_days": 34,
    "referrals_urgent": 2,
    "referrals_routine": 5,
    "referrals_closed": 4,
    "referrals_open": 4,
    "referrals_admitted": 1,
    "referrals_returned": 1,
    "referrals_declined": 0,
    "referrals_not_needed": 1,
    "referrals_overdue": 3,
    "ad8": 1,
    "ad8_positive": 1,
    "care_level": 1,
    "refills": 1,
    "refill_residents": 1,
}


def _id_number(birth: date, serial: int) -> str:
    body = f"110105{birth:%Y%m%d}{serial:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def build(context: AppContext) -> dict[str, str]:
    """Write the center; return the ids by name (residents, ``A``, ``B``)."""
    ids: dict[str, str] = {}
    with context.uow() as uow:
        s = uow.session
        s.add(Center(name="手算社区卫生服务中心", code="HC01", district="普陀区"))
        a = Institution(name="康宁养老院", kind="nursing_home", beds=100)
        b = Institution(name="枫林敬老院", kind="nursing_home", beds=60)
        s.add_all([a, b])
        s.flush()
        ids["A"], ids["B"] = a.id, b.id
        s.add(Agreement(institution_id=a.id, start_date=date(2026, 1, 1), round_weekdays="2", min_rounds_per_week=1))
        s.add(Agreement(institution_id=b.id, start_date=date(2026, 1, 1), round_weekdays="1,4"))

        def resident(name: str, home: Institution, born: date, admitted: date, serial: int, **values: object) -> str:
            row = Resident(
                name=name,
                sex="M" if serial % 2 else "F",
                birth_date=born,
                id_number=_id_number(born, serial),
                institution_id=home.id,
                admission_date=admitted,
                bed=str(serial),
                **values,  # type: ignore[arg-type]
            )
            s.add(row)
            s.flush()
            end = values.get("status_date") if values.get("status") in ("discharged",) else None
            s.add(ResidencePeriod(resident_id=row.id, institution_id=home.id, start_date=admitted, end_date=end))
            ids[name] = row.id
            return row.id

        one = resident("张一", a, date(1950, 3, 1), date(2025, 1, 1), 1, signed_on=date(2025, 2, 1))
        two = resident("李二", a, date(1961, 11, 20), date(2025, 6, 1), 2)
        three = resident("王三", a, date(1940, 1, 1), date(2026, 11, 15), 3, signed_on=date(2026, 11, 20))
        four = resident(
            "赵四",
            a,
            date(1945, 5, 5),
            date(2024, 1, 1),
            4,
            signed_on=date(2024, 2, 1),
            status="deceased",
            status_date=date(2026, 11, 5),
        )
        five = resident(
            "钱五",
            b,
            date(1970, 1, 1),
            date(2025, 1, 1),
            5,
            signed_on=date(2026, 12, 31),
            family_bed=True,
            family_bed_start=date(2026, 12, 20),
        )
        resident("孙六", b, date(1955, 7, 7), date(2020, 1, 1), 6, status="discharged", status_date=date(2026, 9, 15))
        seven = resident(
            "周七", b, date(1960, 1, 1), date(2025, 1, 1), 7, status="hospitalized", status_date=date(2026, 12, 20)
        )

        eight = resident("吴八", b, date(1948, 6, 15), date(2025, 1, 1), 8)
        s.add(Condition(resident_id=eight, code="hypertension", icd10="I10", name="高血压"))
        s.add(Condition(resident_id=eight, code="diabetes_t2", icd10="E11", name="2型糖尿病"))

        for rid in (one, two, four):
            s.add(Condition(resident_id=rid, code="hypertension", icd10="I10", name="高血压"))
        s.add(Condition(resident_id=five, code="diabetes_t2", icd10="E11", name="2型糖尿病"))
        s.add(Condition(resident_id=one, code="chd", icd10="I25", name="冠心病"))

        def visit(rid: str, day: date, *, chronic: str = "", outcome: str = "seen", **values: object) -> Visit:
            row = Visit(resident_id=rid, visit_date=day, outcome=outcome, chronic_class=chronic, **values)  # type: ignore[arg-type]
            s.add(row)
            s.flush()
            return row

        for month in (2, 5, 8):
            visit(one, date(2026, month, 10), chronic="controlled", sbp=130, dbp=80)
        visit(one, date(2026, 11, 10), chronic="controlled", sbp=148, dbp=88)
        visit(one, date(2026, 12, 1))
        visit(two, date(2026, 6, 1), chronic="controlled", sbp=130, dbp=80)
        visit(two, date(2026, 9, 1), chronic="controlled", sbp=130, dbp=80)
        first = visit(two, date(2026, 11, 19), chronic="controlled", sbp=138, dbp=85)
        visit(two, date(2026, 11, 19), chronic="not_controlled", sbp=145, dbp=85, corrects_id=first.id, version=2)
        visit(three, date(2026, 12, 1))
        for month in (1, 3, 5, 7, 9):
            visit(four, date(2026, month, 3), chronic="controlled", sbp=125, dbp=80)
        four_visit = visit(four, date(2026, 10, 20))
        for day in (date(2026, 3, 2), date(2026, 6, 2), date(2026, 10, 15)):
            visit(five, day, chronic="not_controlled", glucose=8.1, glucose_fasting=True)
        visit(five, date(2026, 12, 2), chronic="controlled", glucose=6.8, glucose_fasting=True)
        visit(five, date(2026, 12, 3), glucose=9.5, glucose_fasting=False)  # random glucose: not a follow-up
        visit(seven, date(2026, 12, 1), outcome="absent")
        # 吴八: one form per disease; the first an older form's single classification (both diseases)
        visit(eight, date(2026, 2, 5), chronic="controlled", sbp=135, dbp=85, glucose=6.5, glucose_fasting=True)
        for day, sbp, dbp in ((date(2026, 5, 5), 145, 88), (date(2026, 8, 5), 142, 86)):
            visit(eight, day, chronic="controlled", hypertension_class="controlled", sbp=sbp, dbp=dbp)
        visit(eight, date(2026, 12, 10), chronic="not_controlled", diabetes_class="not_controlled", glucose=7.4,
              glucose_fasting=True)  # fmt: skip
        visit(eight, date(2026, 12, 15), chronic="not_controlled", hypertension_class="not_controlled", sbp=152,
              dbp=91, glucose=6.0, glucose_fasting=True)  # fmt: skip
        visit(eight, date(2026, 12, 20), chronic="not_controlled", diabetes_class="not_controlled", sbp=128, dbp=78,
              glucose=9.0, glucose_fasting=False)  # fmt: skip
        for opened, closed, outcome, urgent in (
            (date(2026, 9, 20), date(2026, 10, 2), "not_needed", False),
            (date(2026, 11, 1), date(2026, 11, 20), "admitted", False),
            (date(2026, 12, 1), date(2026, 12, 5), "returned", True),
            (date(2026, 12, 10), date(2027, 1, 3), "declined", False),
            (date(2026, 12, 17), None, "", False),
            (date(2026, 12, 20), None, "", False),
        ):
            s.add(
                Referral(
                    resident_id=eight,
                    destination="区中心医院",
                    urgent=urgent,
                    opened_on=opened,
                    closed_on=closed,
                    outcome=outcome,
                )
            )

        # 王三: a family bed from the beds' table, opened 11-20, closed 12-10 (20 bed-days), and an older one closed
        # before the quarter (not counted); 张一: two proxy refills, one in Q3, one in Q4
        s.add(
            FamilyBed(resident_id=three, indication="压疮", opened_on=date(2026, 11, 20), closed_on=date(2026, 12, 10))
        )
        s.add(
            FamilyBed(resident_id=three, indication="导尿", opened_on=date(2026, 11, 15), closed_on=date(2026, 11, 17))
        )
        pills = Medication(resident_id=one, name="氨氯地平", daily_quantity=1, unit="片")
        s.add(pills)
        s.flush()
        for day in (date(2026, 9, 1), date(2026, 12, 1)):
            s.add(MedicationDispense(medication_id=pills.id, resident_id=one, dispensed_on=day, quantity=28))
        s.add(Assessment(resident_id=one, kind="annual_check", assessed_on=date(2026, 6, 1), result="done"))
        s.add(Assessment(resident_id=seven, kind="annual_check", assessed_on=date(2025, 12, 20), result="done"))
        s.add(Assessment(resident_id=three, kind="ad8", assessed_on=date(2026, 11, 16), score=3, result="positive"))
        s.add(Assessment(resident_id=five, kind="care_level", assessed_on=date(2026, 10, 3), score=2, result="2"))

        s.add(
            Referral(
                resident_id=four,
                visit_id=four_visit.id,
                destination="区中心医院",
                urgent=True,
                opened_on=date(2026, 10, 20),
            )
        )
        s.add(
            Referral(
                resident_id=five, destination="区中心医院", opened_on=date(2026, 10, 5), closed_on=date(2026, 10, 12)
            )
        )

        def decided(rid: str, colour: str, day: date) -> None:
            moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=timezone.utc)
            s.add(TriageDecision(resident_id=rid, colour=colour, suggested_colour=colour, decided_at=moment))

        decided(one, "green", date(2026, 1, 5))
        decided(one, "red", date(2026, 11, 1))
        decided(one, "green", date(2027, 1, 5))
        decided(two, "green", date(2025, 7, 1))
        decided(three, "yellow", date(2026, 11, 16))
        decided(four, "red", date(2026, 5, 1))
        decided(five, "yellow", date(2026, 3, 1))
        decided(five, "green", date(2026, 12, 15))

        tuesdays = [date(2026, 9, 29) + timedelta(days=7 * n) for n in range(14)]
        for day in tuesdays:
            status = {date(2026, 10, 13): "cancelled", date(2026, 12, 8): "planned", date(2026, 12, 15): "planned"}
            row = Round(institution_id=a.id, round_date=day, status=status.get(day, "done"))
            if day == date(2026, 12, 29):
                row.round_date, row.moved_from = date(2027, 1, 2), day
            s.add(row)
            s.flush()
            if day == date(2026, 12, 8):
                visit(one, date(2026, 12, 8), outcome="refused", round_id=row.id)
        for day in (date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 9)):
            s.add(Round(institution_id=b.id, round_date=day, status="done"))
        uow.commit()
    return ids
