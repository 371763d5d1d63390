"""The plan of a demo: what this process draws itself (center, teams, staff, institutions, agreements,
rounds) and what the blocks of residents are made from (:mod:`app.services.demo.blocks`).
"""

from __future__ import annotations

import collections
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from app.domain.institutions import InstitutionKind
from app.domain.roles import Role
from app.services.demo.vocabulary import HOSPITALS, INSTITUTIONS, STREETS

DEMO_PASSWORD = "demo1234"
DEFAULT_RESIDENTS = 600
HISTORY_WEEKS = 26
REVIEW_DAYS = 7
"""The doctors' last triage review was this many days before ``today``: the confirmed colours are what the
rules suggested then, so only residents whose situation changed since wait in the review."""
BLOCK_RESIDENTS = 2000
"""Residents per block. Part of what the data looks like: changing it changes the demo for a seed."""
ID_WINDOW_MS = 1000
"""Milliseconds of id space per block: 4 096 ids per millisecond, so about four million ids."""


@dataclass(frozen=True)
class DemoLogin:
    login: str
    password: str
    role: Role
    name: str
    team: str


@dataclass
class DemoSummary:
    """What the demo wrote."""

    center: str
    logins: list[DemoLogin] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


# --- ids and days ----------------------------------------------------------------------------------------

_UUID_GROUP3 = tuple(f"{0x7000 | n:04x}" for n in range(4096))


def id_stream(start_ms: int, rng: random.Random) -> Iterator[str]:
    """Yield ids in the UUID version 7 layout from the :data:`ID_WINDOW_MS` window starting at ``start_ms``.

    48 bits of milliseconds, the version, a 12-bit counter within the millisecond, the variant and 62
    random bits from ``rng``: increasing in the order made, and the same for the same generator.
    """
    bits = rng.getrandbits
    for ms in range(start_ms, start_ms + ID_WINDOW_MS):
        prefix = f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-"
        for group in _UUID_GROUP3:
            tail = bits(62)
            yield f"{prefix}{group}-{0x8000 | tail >> 48:04x}-{tail & 0xFFFFFFFFFFFF:012x}"
    raise RuntimeError("a demo block ran out of ids")  # a programming error: BLOCK_RESIDENTS is too large


@cache
def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


# --- the plan of the blocks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    """What a block needs to know of an institution."""

    id: str
    doctor: str
    nurse: str
    rounds: tuple[tuple[str, int, str], ...]  # the rounds before today: id, date ordinal, ISO date


@dataclass(frozen=True)
class Plan:
    """Everything blocks are made from: small, picklable, the same whichever process makes a block.

    Beds follow an allocation cycle: resident ``n`` lives in home ``cycle[n % len(cycle)]``, on that
    home's bed number ``n // len(cycle) * shares[home] + places[n % len(cycle)]`` — dense, and known
    without counting the residents of earlier blocks.
    """

    seed: int
    today: int  # date ordinal
    residents: int
    block_size: int
    id_ms: int  # start of block 0's id window
    homes: tuple[Home, ...]
    cycle: tuple[int, ...]  # the home of each place of the cycle
    places: tuple[int, ...]  # per place: the earlier places of the cycle with the same home
    shares: tuple[int, ...]  # per home: its places in the cycle
    offsets_from: int = 0  # date ordinal of offsets[0]
    offsets: tuple[int, ...] = ()  # per day from offsets_from: this computer's UTC offset, in minutes

    @property
    def blocks(self) -> int:
        return -(-self.residents // self.block_size)

    def residents_of(self, home: int) -> int:
        whole, rest = divmod(self.residents, len(self.cycle))
        return whole * self.shares[home] + self.cycle[:rest].count(home)


BLOCK_COLUMNS: dict[str, tuple[str, ...]] = {
    "resident": (
        "id",
        "name",
        "sex",
        "birth_date",
        "id_number",
        "insurance_number",
        "phone",
        "institution_id",
        "building",
        "room",
        "bed",
        "admission_date",
        "status",
        "status_date",
        "guardian_name",
        "guardian_relation",
        "guardian_phone",
        "signed_on",
        "signed_doctor_id",
        "service_package",
        "record_number",
        "family_bed",
        "family_bed_start",
        "hospice",
        "ltc_insurance",
        "care_level",
        "colour",
        "suggested_colour",
        "search_text",
    ),
    "residenceperiod": ("id", "resident_id", "institution_id", "building", "room", "bed", "start_date"),
    "statuschange": ("id", "resident_id", "status", "on_date"),
    "condition": ("id", "resident_id", "code", "icd10", "name", "diagnosed_on"),
    "medication": ("id", "resident_id", "name", "dose", "frequency", "start_date"),
    "allergy": ("id", "resident_id", "substance", "reaction"),
    "assessment": ("id", "resident_id", "kind", "assessed_on", "assessed_by", "score", "result", "items", "notes"),
    "triagedecision": (
        "id",
        "resident_id",
        "colour",
        "suggested_colour",
        "confirmed_by",
        "decided_at",
        "reasons",
        "created_at",
    ),
    "visit": (
        "id",
        "resident_id",
        "round_id",
        "visit_date",
        "visited_at",
        "recorded_by",
        "outcome",
        "sbp",
        "dbp",
        "pulse",
        "temperature",
        "spo2",
        "glucose",
        "glucose_fasting",
        "weight",
        "findings",
        "actions",
        "chronic_class",
        "hypertension_class",
        "diabetes_class",
        "adherence",
        "lifestyle_advice",
        "height",
        "foot_pulse",
        "created_at",
    ),
}
"""The columns a block carries (id first), in the order of its rows' values."""
BLOCK_CONSTANTS: dict[str, dict[str, object]] = {
    "resident": {"notes": ""},
    "residenceperiod": {"reason": "入住"},
    "statuschange": {"note": ""},
    "condition": {"active": 1},
    "triagedecision": {"override_reason": ""},
    "visit": {"medication_changes": "", "next_visit_note": "", "late_reason": "", "version": 1},
}
"""Per table, the values every demo row of a block shares, for columns the block does not carry."""


# --- what this process writes itself: center, teams, institutions, agreements, rounds -------------------


@dataclass
class Setup:
    summary: DemoSummary
    tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]  # (table, columns with id first, rows)
    plan: Plan


def set_up(seed: int, today: date, residents: int, created: datetime) -> Setup:
    """Draw the center's own rows and the plan of the blocks from ``Random(seed)``."""
    rng = random.Random(seed)
    created_ms = int(created.timestamp() * 1000)
    new_id = id_stream(created_ms, rng).__next__
    center_name = "示范区康宁街道社区卫生服务中心"
    summary = DemoSummary(center=center_name)
    tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]] = [
        (
            "center",
            ("id", "name", "code", "district", "phone"),
            [(new_id(), center_name, "SFKN01", "示范区", "021-64001234")],
        ),
    ]

    # teams ("1+1+X": a doctor, a nurse, assistants) and the admin
    password_hash = ""  # filled in before the commit: hashing runs beside the load (see create_demo_center)
    people = [("周海燕", "陈立群", ("王丽",)), ("李文斌", "张晓红", ("刘婷", "赵敏")), ("孙国平", "吴静", ("郑洁",))]
    teams: list[tuple[Any, ...]] = []
    staff: list[tuple[Any, ...]] = [(new_id(), "管理员", Role.ADMIN.value, None, "admin", password_hash, "", "", 1)]
    summary.logins.append(DemoLogin("admin", DEMO_PASSWORD, Role.ADMIN, "管理员", ""))
    doctors: list[str] = []
    nurses: list[str] = []
    for number, (doctor, nurse, assistants) in enumerate(people, start=1):
        team_id = new_id()
        team_name = f"第{'一二三'[number - 1]}家庭医生团队"
        teams.append((team_id, team_name, f"021-640012{30 + number}"))
        members = [(doctor, Role.DOCTOR), (nurse, Role.NURSE)] + [(a, Role.ASSISTANT) for a in assistants]
        for index, (name, role) in enumerate(members):
            login = f"{role.value}{number}" + (f"-{index - 1}" if role is Role.ASSISTANT and index > 2 else "")
            staff_id = new_id()
            phone = f"13{rng.randint(5, 9)}{rng.randint(10_000_000, 99_999_999)}"
            staff.append((staff_id, name, role.value, team_id, login, password_hash, phone, "", 1))
            summary.logins.append(DemoLogin(login, DEMO_PASSWORD, role, name, team_name))
            {Role.DOCTOR: doctors, Role.NURSE: nurses}.get(role, []).append(staff_id)
    tables.append(("team", ("id", "name", "phone"), teams))
    tables.append(
        (
            "staff",
            ("id", "name", "role", "team_id", "login", "password_hash", "phone", "practice_sites", "active"),
            staff,
        )
    )

    # the bed-allocation cycle: nursing homes and hospitals take 220 places of 1 520, the others 60
    shares = tuple(220 if index < 5 else 60 for index in range(len(INSTITUTIONS)))
    cycle = [home for home, share in enumerate(shares) for _ in range(share)]
    rng.shuffle(cycle)
    cycle.remove(0)
    cycle.insert(0, 0)  # the first resident, 张红丽, lives in the first home
    seen: collections.Counter[int] = collections.Counter()
    places = []
    for home in cycle:
        places.append(seen[home])
        seen[home] += 1

    # institutions and their agreements, rounds from HISTORY_WEEKS ago to the end of next week
    institutions: list[tuple[Any, ...]] = []
    agreements: list[tuple[Any, ...]] = []
    rounds: list[tuple[Any, ...]] = []
    homes: list[Home] = []
    monday = today - timedelta(days=today.weekday())
    draft = Plan(seed, today.toordinal(), residents, BLOCK_RESIDENTS, 0, (), tuple(cycle), tuple(places), shares)
    for index, (name, kind, unit) in enumerate(INSTITUTIONS):
        team_index = index % len(teams)
        weekday = 1 + (index // len(teams)) % 5  # each team spreads its homes over the week
        weekdays = (
            (weekday,)
            if kind in (InstitutionKind.DAY_CARE, InstitutionKind.ELDER_CARE_HOME)
            else ((weekday, 1 + (weekday + 1) % 5) if index % 4 == 0 else (weekday,))
        )
        institution_id = new_id()
        nominal = {InstitutionKind.NURSING_HOME: 220, InstitutionKind.NURSING_HOSPITAL: 160}.get(kind, 60)
        beds = max(nominal, -(-draft.residents_of(index) * 11 // 100) * 10)  # room for everyone, a few free
        institutions.append(
            (
                institution_id,
                name,
                kind.value,
                f"示范区{STREETS[index]}{rng.randint(10, 999)}号",
                beds,
                unit,
                rng.choice("王陈李张刘") + rng.choice(("主任", "院长", "护士长")),
                f"021-6{rng.randint(1_000_000, 9_999_999)}",
                HOSPITALS[index % len(HOSPITALS)],
                f"021-5{rng.randint(1_000_000, 9_999_999)}",
            )
        )
        start = today - timedelta(days=rng.randint(200, 900))
        if index == 3:
            end = today - timedelta(days=12)  # one agreement has lapsed
        elif index in (5, 9):
            end = today + timedelta(days=rng.randint(10, 55))  # two expire soon
        else:
            end = start + timedelta(days=3 * 365)
        agreement_id = new_id()
        team_id = teams[team_index][0]
        agreements.append(
            (
                agreement_id,
                institution_id,
                team_id,
                start.isoformat(),
                end.isoformat(),
                "巡诊、健康档案、慢病随访、转诊绿色通道",
                ",".join(map(str, weekdays)),
                1,
            )
        )
        past: list[tuple[str, int, str]] = []
        week = monday - timedelta(weeks=HISTORY_WEEKS)
        while week <= monday + timedelta(weeks=1):
            for day in sorted(week + timedelta(days=weekday - 1) for weekday in weekdays):
                round_id = new_id()
                status = "done" if day < today else "planned"
                rounds.append((round_id, institution_id, team_id, agreement_id, day.isoformat(), status, "", ""))
                if day < today:
                    past.append((round_id, day.toordinal(), day.isoformat()))
            week += timedelta(weeks=1)
        homes.append(Home(institution_id, doctors[team_index], nurses[team_index], tuple(past)))
    tables.append(
        (
            "institution",
            (
                "id",
                "name",
                "kind",
                "address",
                "beds",
                "medical_unit",
                "contact_person",
                "contact_phone",
                "green_channel_hospital",
                "green_channel_phone",
            ),
            institutions,
        )
    )
    tables.append(
        (
            "agreement",
            (
                "id",
                "institution_id",
                "team_id",
                "start_date",
                "end_date",
                "services",
                "round_weekdays",
                "min_rounds_per_week",
            ),
            agreements,
        )
    )
    tables.append(
        (
            "round",
            ("id", "institution_id", "team_id", "agreement_id", "round_date", "status", "cancel_reason", "note"),
            rounds,
        )
    )
    plan = Plan(
        seed,
        today.toordinal(),
        residents,
        BLOCK_RESIDENTS,
        created_ms + ID_WINDOW_MS,
        tuple(homes),
        tuple(cycle),
        tuple(places),
        shares,
        *_utc_offsets(monday - timedelta(weeks=HISTORY_WEEKS), today),
    )
    return Setup(summary, tables, plan)


def _utc_offsets(first: date, today: date) -> tuple[int, tuple[int, ...]]:
    """Return ``first``'s ordinal and this computer's UTC offset in minutes at noon of each day to ``today`` + 1.

    Entry times (``created_at``) are stored in UTC like the application's own and shown in local time:
    the demo's rounds are in the morning where it is made. Worked out here, so that spawned workers need
    not share this process's time zone.
    """
    offsets = []
    for ordinal in range(first.toordinal(), today.toordinal() + 2):
        offset = datetime.combine(date.fromordinal(ordinal), time(12)).astimezone().utcoffset()
        offsets.append(int(offset.total_seconds()) // 60 if offset is not None else 0)
    return first.toordinal(), tuple(offsets)
