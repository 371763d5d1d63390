"""A realistic demo center: teams, institutions, residents with records, six months of visits.

The same seed and the same ``today`` give the same data. Rows are written with bulk inserts in one
transaction, so 100 000 residents (about a million visits) take well under a minute.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import json
import math
import queue
import random
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from app.domain.assessments import AD8_ITEMS, SELF_CARE_ITEMS, self_care_band, self_care_score
from app.domain.colours import TriageColour
from app.domain.conditions import BY_CODE
from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.idcard import make_id_number
from app.domain.institutions import InstitutionKind
from app.domain.residents import ResidentStatus
from app.domain.roles import Role
from app.domain.scheduling import DEFAULT_INTERVAL_DAYS
from app.domain.search import search_text
from app.services.accounts import hash_password
from app.store.database import Database
from app.sync.clock import Timestamp

DEMO_PASSWORD = "demo1234"
DEFAULT_RESIDENTS = 600
HISTORY_WEEKS = 26
CHUNK = 20_000
BULK_TABLES = ("resident", "residenceperiod", "condition", "medication", "assessment", "triagedecision", "visit")

register(
    {
        "demo.exists": {
            "zh_CN": "数据库 {path} 已有中心数据；请为演示中心选择一个新文件。",
            "en": "The database {path} already holds a center; choose a new file for the demo center.",
        },
        "demo.bad_count": {
            "zh_CN": "居民人数应在 1 到 1000000 之间（输入值：{n}）",
            "en": "the number of residents must be 1 to 1,000,000 (value: {n})",
        },
    }
)


class DemoRefused(DomainError):
    """The demo cannot be written here."""


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


# --- vocabulary -----------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
FEMALE_GIVEN = (
    "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉珍 玉英 兰英 玉梅 凤兰 淑珍 淑英 素珍 红丽 美华 丽华 慧敏 桂芳 "
    "月娥 彩霞 金凤 翠英 文英 惠芬 雪梅 佩玲 琴 英 兰 芳 珍 华 梅 霞 敏 丽 云 萍"
).split()
MALE_GIVEN = (
    "建国 建华 国华 国强 志强 志明 德明 德华 文华 文明 永福 永祥 金生 福生 根宝 阿大 长根 兴发 玉林 振华 "
    "家骏 海生 和平 宝林 学文 伟 强 军 勇 杰 明 华 平 刚 林 斌 辉 忠 荣 福"
).split()
REGIONS = (
    "310101 310104 310105 310106 310107 310109 310110 310112 310113 310115 110101 110105 110108 "
    "320102 320505 330102 330106 340104 370102 420102 430102 510104"
).split()

INSTITUTIONS: tuple[tuple[str, InstitutionKind, str], ...] = (
    ("康宁养老院", InstitutionKind.NURSING_HOME, "医务室"),
    ("枫林敬老院", InstitutionKind.NURSING_HOME, "护理站"),
    ("福寿园养老院", InstitutionKind.NURSING_HOME, "医务室"),
    ("仁爱护理院", InstitutionKind.NURSING_HOSPITAL, "门诊部"),
    ("安康护理院", InstitutionKind.NURSING_HOSPITAL, "诊所"),
    ("漕溪长者照护之家", InstitutionKind.ELDER_CARE_HOME, ""),
    ("桂林长者照护之家", InstitutionKind.ELDER_CARE_HOME, "护理站"),
    ("田林日间照料中心", InstitutionKind.DAY_CARE, ""),
    ("长桥日间照料中心", InstitutionKind.DAY_CARE, ""),
    ("虹梅社区综合为老服务中心", InstitutionKind.SERVICE_HUB, "护理站"),
    ("颐和养老公寓", InstitutionKind.NURSING_HOME, "医务室"),
    ("夕阳红托养中心", InstitutionKind.OTHER, ""),
)
STREETS = "漕溪北路 桂林路 田林路 长桥路 虹梅路 龙华路 宛平南路 钦州路 凯旋路 南丹路 零陵路 天钥桥路".split()
HOSPITALS = ("示范区中心医院", "示范区第八人民医院", "示范区中医医院")

# condition code, prevalence, medications (name, dose, frequency)
CONDITION_PLAN: tuple[tuple[str, float, tuple[tuple[str, str, str], ...]], ...] = (
    ("hypertension", 0.55, (("苯磺酸氨氯地平片", "5mg", "每日1次"), ("缬沙坦胶囊", "80mg", "每日1次"))),
    ("diabetes_t2", 0.25, (("盐酸二甲双胍片", "0.5g", "每日3次"), ("阿卡波糖片", "50mg", "每日3次"))),
    ("chd", 0.20, (("阿司匹林肠溶片", "100mg", "每日1次"), ("阿托伐他汀钙片", "20mg", "每晚1次"))),
    ("stroke_sequelae", 0.12, (("硫酸氢氯吡格雷片", "75mg", "每日1次"),)),
    ("copd", 0.08, (("噻托溴铵吸入粉雾剂", "18μg", "每日1次"),)),
    ("dementia", 0.15, (("盐酸多奈哌齐片", "5mg", "每晚1次"),)),
    ("parkinson", 0.04, (("多巴丝肼片", "125mg", "每日3次"),)),
    ("ckd", 0.06, (("碳酸氢钠片", "0.5g", "每日3次"),)),
    ("osteoporosis", 0.20, (("碳酸钙D3片", "600mg", "每日1次"),)),
    ("cancer", 0.04, ()),
    ("hyperlipidaemia", 0.18, (("瑞舒伐他汀钙片", "10mg", "每晚1次"),)),
)
ALLERGIES = (("青霉素", "皮疹"), ("磺胺类药物", "皮疹"), ("头孢类抗生素", "瘙痒"), ("海鲜", "荨麻疹"))
FINDINGS = (
    "精神可，无不适主诉",
    "一般情况可，饮食睡眠可",
    "诉夜间睡眠欠佳",
    "诉轻度头晕，无胸闷胸痛",
    "双下肢轻度水肿",
    "咳嗽少痰，双肺呼吸音粗",
    "食欲欠佳，近期进食减少",
    "骶尾部皮肤完整，无压疮",
    "情绪稳定，配合检查",
)
ACTIONS = (
    "继续原治疗方案",
    "健康宣教：低盐低脂饮食",
    "嘱护理员监测血压每日2次",
    "嘱适量活动，预防跌倒",
    "调整用药，下次巡诊复查",
    "嘱监测空腹血糖",
)

# --- helpers ------------------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


class _Writer:
    """Bulk inserts on one raw sqlite3 cursor, with the sync columns filled in.

    Ids are time-ordered UUIDs (version 7 layout) drawn from the seeded generator, so they are the same
    for the same seed and go into the primary-key indexes in order, which keeps large loads fast.
    """

    SYNC_COLUMNS = ("id", "created_at", "updated_at", "origin_device", "deleted")

    def __init__(self, cursor: Any, database: Database, rng: random.Random, created: datetime) -> None:
        self.cursor = cursor
        self.database = database
        self.device = database.device_id
        self.rng = rng
        self.created = _stamp(created)
        self.counts: dict[str, int] = {}
        self._id_ms = int(created.timestamp() * 1000)
        self._id_seq = 0
        first = Timestamp.decode(database.clock.now())
        self._clock_ms, self._clock_counter = first.wall_ms, first.counter

    def new_id(self) -> str:
        self._id_seq += 1
        if self._id_seq >= 4096:
            self._id_ms, self._id_seq = self._id_ms + 1, 0
        value = (self._id_ms << 80) | (0x7 << 76) | (self._id_seq << 64) | (0x2 << 62) | self.rng.getrandbits(62)
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def next_clock(self) -> str:
        self._clock_counter += 1
        if self._clock_counter > 999_999:
            self._clock_ms, self._clock_counter = self._clock_ms + 1, 0
        return f"{self._clock_ms:013d}-{self._clock_counter:06d}-{self.device}"

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (values for ``columns``, id first) into ``table`` in chunks.

        The rows are produced on a helper thread while this one writes: sqlite3 releases the GIL while
        SQLite works, so making the next chunk overlaps with writing the last one.
        """
        names = (*self.SYNC_COLUMNS, *columns[1:])
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        clock, device, created = self.next_clock, self.device, self.created
        chunks: queue.Queue[list[tuple[Any, ...]] | BaseException | None] = queue.Queue(maxsize=3)

        def produce() -> None:
            try:
                batch: list[tuple[Any, ...]] = []
                for row in rows:
                    batch.append((row[0], created, clock(), device, 0, *row[1:]))
                    if len(batch) >= CHUNK:
                        chunks.put(batch)
                        batch = []
                chunks.put(batch)
                chunks.put(None)
            except BaseException as error:  # handed to the writing thread, which re-raises it
                chunks.put(error)

        producer = threading.Thread(target=produce, name=f"demo-{table}", daemon=True)
        producer.start()
        try:
            while (item := chunks.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                self.cursor.executemany(sql, item)
        finally:
            while producer.is_alive():  # unblock a producer waiting on a full queue after an error
                try:
                    chunks.get(timeout=0.1)
                except queue.Empty:
                    pass
            producer.join()

    def finish(self) -> None:
        """Move the database's clock past every value this load issued."""
        self.database.clock.observe(f"{self._clock_ms:013d}-{self._clock_counter:06d}-{self.device}")

    def count(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n


class _IndexesDeferred:
    """Drop the secondary indexes of ``tables`` during a bulk load and build them again after it."""

    def __init__(self, cursor: Any, tables: Sequence[str]) -> None:
        self.cursor = cursor
        marks = ", ".join("?" * len(tables))
        self.indexes = cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tuple(tables),
        ).fetchall()

    def __enter__(self) -> _IndexesDeferred:
        for name, _sql in self.indexes:
            self.cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc: object) -> None:
        for _name, sql in self.indexes:
            self.cursor.execute(sql)


def _counting(writer: _Writer, table: str, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    n = 0
    for row in rows:
        n += 1
        yield row
    writer.count(table, n)


@dataclass
class _Resident:
    id: str
    name: str
    sex: str
    birth: date
    institution: int
    colour: TriageColour
    status: ResidentStatus
    conditions: list[str]
    sbp: int
    dbp: int
    weight: float
    admission: date


# --- the generator ------------------------------------------------------------------------------------


def create_demo_center(
    database: Database,
    *,
    residents: int = DEFAULT_RESIDENTS,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with a realistic demo center.

    Raises:
        DemoRefused: the database already holds a center, or ``residents`` is out of range.
    """
    if not 1 <= residents <= 1_000_000:
        raise DemoRefused("demo.bad_count", n=residents)
    today = today or date.today()
    rng = random.Random(seed)
    report = progress or (lambda _message: None)
    database.engine.dispose()  # be the only connection, so the journal mode can change below
    raw = database.engine.raw_connection()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived tuples: cyclic GC passes would dominate the run time
    try:
        cursor = raw.cursor()
        if cursor.execute("SELECT COUNT(*) FROM center").fetchone()[0]:
            raise DemoRefused("demo.exists", path=database.path)
        # A rollback journal records only pages that existed before the transaction: loading a new
        # file with it writes each page once, where WAL would write it twice. Atomic either way.
        cursor.execute("PRAGMA journal_mode = DELETE")
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB while loading
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("BEGIN")
        created = datetime.combine(today - timedelta(weeks=HISTORY_WEEKS + 2), time(9), tzinfo=timezone.utc)
        writer = _Writer(cursor, database, rng, created)
        with _IndexesDeferred(cursor, BULK_TABLES):
            summary = _write_center(writer, rng, today, residents, report)
        writer.finish()
        cursor.execute(
            "UPDATE device_state SET last_clock = ?, name = ? WHERE device_id = ?",
            (database.clock.last, "demo workstation", database.device_id),
        )
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.cursor().execute("PRAGMA journal_mode = WAL")
        if gc_was_enabled:
            gc.enable()
        raw.close()
    summary.counts = dict(writer.counts)
    return summary


def _write_center(
    writer: _Writer, rng: random.Random, today: date, n_residents: int, report: Callable[[str], None]
) -> DemoSummary:
    center_name = "示范区康宁街道社区卫生服务中心"
    writer.insert(
        "center",
        ("id", "name", "code", "district", "phone"),
        _counting(writer, "center", [(writer.new_id(), center_name, "SFKN01", "示范区", "021-64001234")]),
    )
    summary = DemoSummary(center=center_name)
    teams, doctors = _write_teams(writer, rng, summary)
    report("teams")
    institutions = _write_institutions(writer, rng, today, teams)
    report("institutions")
    residents = _write_residents(writer, rng, today, n_residents, institutions, doctors)
    report("residents")
    rounds = _write_rounds(writer, today, institutions)
    report("rounds")
    _write_visits(writer, rng, today, residents, rounds, doctors)
    report("visits")
    return summary


def _write_teams(writer: _Writer, rng: random.Random, summary: DemoSummary) -> tuple[list[str], list[str]]:
    password_hash = hash_password(DEMO_PASSWORD)
    teams: list[tuple[str, str, str]] = []
    staff: list[tuple[Any, ...]] = []
    doctors: list[str] = []
    people = [("周海燕", "陈立群", ("王丽",)), ("李文斌", "张晓红", ("刘婷", "赵敏")), ("孙国平", "吴静", ("郑洁",))]
    admin = (writer.new_id(), "管理员", Role.ADMIN.value, None, "admin", password_hash, "", "", 1)
    staff.append(admin)
    summary.logins.append(DemoLogin("admin", DEMO_PASSWORD, Role.ADMIN, "管理员", ""))
    for number, (doctor, nurse, assistants) in enumerate(people, start=1):
        team_id = writer.new_id()
        team_name = f"第{'一二三'[number - 1]}家庭医生团队"
        teams.append((team_id, team_name, f"021-640012{30 + number}"))
        members = [(doctor, Role.DOCTOR), (nurse, Role.NURSE)] + [(a, Role.ASSISTANT) for a in assistants]
        for index, (name, role) in enumerate(members):
            login = f"{role.value}{number}" + (f"-{index - 1}" if role is Role.ASSISTANT and index > 2 else "")
            staff_id = writer.new_id()
            phone = f"13{rng.randint(5, 9)}{rng.randint(10_000_000, 99_999_999)}"
            staff.append((staff_id, name, role.value, team_id, login, password_hash, phone, "", 1))
            summary.logins.append(DemoLogin(login, DEMO_PASSWORD, role, name, team_name))
            if role is Role.DOCTOR:
                doctors.append(staff_id)
    writer.insert("team", ("id", "name", "phone"), _counting(writer, "team", teams))
    writer.insert(
        "staff",
        ("id", "name", "role", "team_id", "login", "password_hash", "phone", "practice_sites", "active"),
        _counting(writer, "staff", staff),
    )
    return [t[0] for t in teams], doctors


@dataclass
class _Institution:
    id: str
    team_index: int
    weekdays: tuple[int, ...]
    agreement_id: str


def _write_institutions(
    writer: _Writer, rng: random.Random, today: date, teams: list[str]
) -> list[_Institution]:
    rows, agreements, result = [], [], []
    for index, (name, kind, unit) in enumerate(INSTITUTIONS):
        team_index = index % len(teams)
        weekday = 1 + (index // len(teams)) % 5  # each team spreads its homes over the week
        weekdays = (weekday,) if kind in (InstitutionKind.DAY_CARE, InstitutionKind.ELDER_CARE_HOME) else (
            (weekday, 1 + (weekday + 1) % 5) if index % 4 == 0 else (weekday,)
        )
        institution_id = writer.new_id()
        beds = {InstitutionKind.NURSING_HOME: 220, InstitutionKind.NURSING_HOSPITAL: 160}.get(kind, 60)
        rows.append(
            (
                institution_id, name, kind.value, f"示范区{STREETS[index]}{rng.randint(10, 999)}号", beds, unit,
                rng.choice("王陈李张刘") + rng.choice(("主任", "院长", "护士长")),
                f"021-6{rng.randint(1_000_000, 9_999_999)}", HOSPITALS[index % len(HOSPITALS)],
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
        agreement_id = writer.new_id()
        agreements.append(
            (
                agreement_id, institution_id, teams[team_index], start.isoformat(), end.isoformat(),
                "巡诊、健康档案、慢病随访、转诊绿色通道", ",".join(map(str, weekdays)), 1,
            )
        )
        result.append(_Institution(institution_id, team_index, tuple(sorted(weekdays)), agreement_id))
    writer.insert(
        "institution",
        ("id", "name", "kind", "address", "beds", "medical_unit", "contact_person", "contact_phone",
         "green_channel_hospital", "green_channel_phone"),
        _counting(writer, "institution", rows),
    )
    writer.insert(
        "agreement",
        ("id", "institution_id", "team_id", "start_date", "end_date", "services", "round_weekdays",
         "min_rounds_per_week"),
        _counting(writer, "agreement", agreements),
    )
    return result


def _age_birth(rng: random.Random, today: date) -> date:
    age = min(100, max(60, int(rng.triangular(60, 101, 84))))
    return today - timedelta(days=age * 365 + rng.randint(0, 364))


def _choose_colour(
    rng: random.Random, age: int, conditions: list[str], self_care: int, care_level: int,
    hospice: bool, family_bed: bool, ad8: int, fell: bool, sbp: int, dbp: int,
) -> TriageColour:
    """Approximate the default triage rules (DOMAIN §5) for the demo's confirmed colours."""
    if self_care >= 19 or care_level >= 5 or hospice or family_bed or sbp >= 180 or dbp >= 110:
        return TriageColour.RED
    if 4 <= self_care or 2 <= care_level or ad8 >= 2 or fell or (age >= 80 and len(conditions) >= 2):
        return TriageColour.YELLOW
    return TriageColour.GREEN


def _write_residents(
    writer: _Writer, rng: random.Random, today: date, n: int, institutions: list[_Institution],
    doctors: list[str],
) -> list[_Resident]:
    random_ = rng.random

    def pick(options: Sequence[Any]) -> Any:
        return options[int(random_() * len(options))]

    def between(low: int, high: int) -> int:
        return low + int(random_() * (high - low + 1))

    cumulative = list(itertools.accumulate(220 if i < 5 else 60 for i in range(len(institutions))))
    used_ids: set[str] = set()
    people: list[_Resident] = []
    periods, changes, conditions_rows, meds, allergies, assessments, decisions = [], [], [], [], [], [], []
    beds_used: dict[int, int] = {}
    def generate() -> Iterator[tuple[Any, ...]]:
        for number in range(n):
            sex = pick("MF")
            if number == 0:
                name, sex = "张红丽", "F"  # the README's search example
            else:
                given = pick(FEMALE_GIVEN if sex == "F" else MALE_GIVEN)
                name = pick(SURNAMES) + given
            birth = _age_birth(rng, today)
            while True:
                id_number = make_id_number(pick(REGIONS), birth, between(0, 99), sex)
                if id_number not in used_ids:
                    used_ids.add(id_number)
                    break
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
            home = bisect.bisect(cumulative, random_() * cumulative[-1]) if number else 0
            slot = beds_used.get(home, 0)
            beds_used[home] = slot + 1
            building = "ABCD"[slot // 300 % 4] + (str(slot // 1200) if slot >= 1200 else "")
            room = str(100 * (1 + slot // 30 % 10) + 1 + slot // 3 % 10)
            bed = str(1 + slot % 3)
            earliest = max(birth + timedelta(days=60 * 365), today - timedelta(days=8 * 365))
            admission = earliest + timedelta(days=between(0, max(1, (today - earliest).days - 200)))
            draw = random_() if number else 0.0
            status = (
                ResidentStatus.IN_RESIDENCE if draw < 0.95 else ResidentStatus.HOSPITALIZED if draw < 0.97
                else ResidentStatus.DISCHARGED if draw < 0.985 else ResidentStatus.DECEASED
            )
            conditions = [code for code, prevalence, _ in CONDITION_PLAN if random_() < prevalence]
            hypertensive = "hypertension" in conditions
            spread = (random_() + random_() + random_() + random_() - 2.0) * 1.732
            sbp = int((146 if hypertensive else 126) + 13 * spread)
            dbp = int((84 if hypertensive else 74) + 8 * spread * 0.7 + 3 * (random_() - 0.5))
            if random_() < 0.015:
                sbp, dbp = between(180, 195), between(100, 114)
            sbp, dbp = max(95, min(210, sbp)), max(55, min(120, dbp))
            dbp = min(dbp, sbp - 25)
            rate = 1.6 if age < 85 else 0.9
            levels = {item.key: min(3, int(-math.log(1.0 - random_()) / rate)) for item in SELF_CARE_ITEMS}
            self_care = self_care_score(levels)
            care_level = min(6, self_care // 6 + pick((0, 0, 1)))
            hospice = random_() < 0.01
            family_bed = random_() < 0.03
            fell_on = today - timedelta(days=between(5, 170)) if random_() < 0.08 else None
            ad8_answers = None
            if random_() < 0.6:
                impaired = "dementia" in conditions
                yes, no = (0.6, 0.95) if impaired else (0.1, 0.95)
                ad8_answers = {}
                for key in AD8_ITEMS:
                    draw = random_()
                    ad8_answers[key] = "yes" if draw < yes else "no" if draw < no else "unknown"
            ad8 = sum(answer == "yes" for answer in ad8_answers.values()) if ad8_answers else 0
            colour = _choose_colour(
                rng, age, conditions, self_care, care_level, hospice, family_bed, ad8, fell_on is not None, sbp, dbp
            )
            inst = institutions[home]
            signed = random_() < 0.86
            signed_on = admission + timedelta(days=between(1, 60)) if signed else None
            if signed_on and signed_on > today:
                signed_on = today - timedelta(days=1)
            resident_id = writer.new_id()
            status_date = today - timedelta(days=between(3, 60)) if status is not ResidentStatus.IN_RESIDENCE else None
            yield (
                (
                    resident_id, name, sex, birth.isoformat(), id_number, f"3100{between(10**9, 10**10 - 1)}",
                    f"13{between(0, 9)}{between(10**7, 10**8 - 1)}" if random_() < 0.3 else "",
                    inst.id, building, room, bed, admission.isoformat(), status.value,
                    status_date.isoformat() if status_date else None,
                    pick(SURNAMES) + pick(MALE_GIVEN + FEMALE_GIVEN), pick(("儿子", "女儿", "配偶", "侄子")),
                    f"13{between(0, 9)}{between(10**7, 10**8 - 1)}",
                    signed_on.isoformat() if signed_on else None, doctors[inst.team_index] if signed else None,
                    pick(("基础包", "老年人服务包", "慢病管理包")) if signed else "", f"SF{number + 1:08d}",
                    int(family_bed), (today - timedelta(days=between(10, 90))).isoformat() if family_bed else None,
                    int(hospice), int(care_level >= 2 and random_() < 0.7), care_level,
                    colour.value, colour.value, "",
                    search_text(name=name, building=building, room=room, bed=bed, id_number=id_number),
                )
            )
            periods.append((writer.new_id(), resident_id, inst.id, building, room, bed, admission.isoformat(), None, "入住"))
            if status_date:
                changes.append((writer.new_id(), resident_id, status.value, status_date.isoformat(), ""))
            for code in conditions:
                spec = BY_CODE[code]
                conditions_rows.append(
                    (writer.new_id(), resident_id, code, spec.icd10, spec.label, (birth + timedelta(days=between(55, 75) * 365)).isoformat(), 1)
                )
                for med in next(plan[2] for plan in CONDITION_PLAN if plan[0] == code)[: between(0, 2)]:
                    meds.append((writer.new_id(), resident_id, *med, (admission - timedelta(days=between(0, 2000))).isoformat(), None))
            if random_() < 0.1:
                substance, reaction = pick(ALLERGIES)
                allergies.append((writer.new_id(), resident_id, substance, reaction))
            doctor = doctors[inst.team_index]
            assessed = max(admission, today - timedelta(days=between(20, 330)))
            band = self_care_band(self_care)
            assessments.append(
                (writer.new_id(), resident_id, "self_care", assessed.isoformat(), doctor, self_care, band.key, json.dumps(levels), "")
            )
            assessments.append(
                (writer.new_id(), resident_id, "care_level", assessed.isoformat(), doctor, care_level, str(care_level), "", "")
            )
            if ad8_answers:
                assessments.append(
                    (writer.new_id(), resident_id, "ad8", assessed.isoformat(), doctor, ad8,
                     "positive" if ad8 >= 2 else "negative", json.dumps(ad8_answers), "")
                )
            if fell_on:
                assessments.append((writer.new_id(), resident_id, "fall", fell_on.isoformat(), doctor, None, "", "", "夜间如厕时跌倒"))
            if age >= 65:
                check = today - timedelta(days=between(20, 420))
                assessments.append((writer.new_id(), resident_id, "annual_check", check.isoformat(), doctor, None, "done", "", ""))
            decisions.append(
                (writer.new_id(), resident_id, colour.value, colour.value, "[]", doctor,
                 _stamp(datetime.combine(assessed, time(10), tzinfo=timezone.utc)), "")
            )
            people.append(_Resident(resident_id, name, sex, birth, home, colour, status, conditions, sbp, dbp,
                                    round(40 + 38 * random_(), 1), admission))
    writer.insert(
        "resident",
        ("id", "name", "sex", "birth_date", "id_number", "insurance_number", "phone", "institution_id", "building",
         "room", "bed", "admission_date", "status", "status_date", "guardian_name", "guardian_relation",
         "guardian_phone", "signed_on", "signed_doctor_id", "service_package", "record_number", "family_bed",
         "family_bed_start", "hospice", "ltc_insurance", "care_level", "colour", "suggested_colour", "notes",
         "search_text"),
        _counting(writer, "resident", generate()),
    )
    writer.insert(
        "residenceperiod",
        ("id", "resident_id", "institution_id", "building", "room", "bed", "start_date", "end_date", "reason"),
        _counting(writer, "residenceperiod", periods),
    )
    writer.insert("statuschange", ("id", "resident_id", "status", "on_date", "note"), _counting(writer, "statuschange", changes))
    writer.insert(
        "condition", ("id", "resident_id", "code", "icd10", "name", "diagnosed_on", "active"),
        _counting(writer, "condition", conditions_rows),
    )
    writer.insert(
        "medication", ("id", "resident_id", "name", "dose", "frequency", "start_date", "stop_date"),
        _counting(writer, "medication", meds),
    )
    writer.insert("allergy", ("id", "resident_id", "substance", "reaction"), _counting(writer, "allergy", allergies))
    writer.insert(
        "assessment",
        ("id", "resident_id", "kind", "assessed_on", "assessed_by", "score", "result", "items", "notes"),
        _counting(writer, "assessment", assessments),
    )
    writer.insert(
        "triagedecision",
        ("id", "resident_id", "colour", "suggested_colour", "reasons", "confirmed_by", "decided_at", "override_reason"),
        _counting(writer, "triagedecision", decisions),
    )
    return people


def _write_rounds(writer: _Writer, today: date, institutions: list[_Institution]) -> dict[int, list[tuple[str, date]]]:
    """Write rounds from HISTORY_WEEKS ago to the end of next week; return past rounds per institution."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=HISTORY_WEEKS)
    rows, past = [], {}
    for index, inst in enumerate(institutions):
        past[index] = []
        week = first
        while week <= monday + timedelta(weeks=1):
            for weekday in inst.weekdays:
                day = week + timedelta(days=weekday - 1)
                round_id = writer.new_id()
                status = "done" if day < today else "planned"
                rows.append((round_id, inst.id, None, inst.agreement_id, day.isoformat(), status, None, "", ""))
                if day < today:
                    past[index].append((round_id, day))
            week += timedelta(weeks=1)
    team_of = {inst.id: inst.team_index for inst in institutions}
    team_ids = [row[0] for row in writer.cursor.execute("SELECT id FROM team ORDER BY name").fetchall()]
    team_by_name = dict(writer.cursor.execute("SELECT name, id FROM team").fetchall())
    ordered_teams = [team_by_name[f"第{'一二三'[i]}家庭医生团队"] for i in range(len(team_ids))]
    rows = [(r[0], r[1], ordered_teams[team_of[r[1]]], *r[3:]) for r in rows]
    writer.insert(
        "round",
        ("id", "institution_id", "team_id", "agreement_id", "round_date", "status", "moved_from", "cancel_reason", "note"),
        _counting(writer, "round", rows),
    )
    return past


def _write_visits(
    writer: _Writer, rng: random.Random, today: date, residents: list[_Resident],
    rounds: dict[int, list[tuple[str, date]]], doctors: list[str],
) -> None:
    nurses = [row[0] for row in writer.cursor.execute("SELECT id FROM staff WHERE role = 'nurse' ORDER BY login")]

    random_ = rng.random
    day_text = {day: day.isoformat() for history in rounds.values() for _rid, day in history}

    def normal() -> float:
        """Return an approximately standard-normal draw (Irwin–Hall), cheaper than random.gauss."""
        return (random_() + random_() + random_() + random_() - 2.0) * 1.732

    def visits() -> Iterator[tuple[Any, ...]]:
        for person in residents:
            history = rounds[person.institution]
            if not history:
                continue
            interval = DEFAULT_INTERVAL_DAYS[person.colour]
            last_seen: date | None = None
            weight = person.weight
            chronic = [c for c in person.conditions if c in ("hypertension", "diabetes_t2")]
            diabetic = "diabetes_t2" in person.conditions
            departed = person.status is not ResidentStatus.IN_RESIDENCE
            end = today - timedelta(days=rng.randint(3, 60)) if departed else today
            nurse = nurses[person.institution % len(nurses)]
            for round_id, day in history:
                if day < person.admission or day >= end:
                    continue
                if last_seen is not None and (day - last_seen).days < interval - 3:
                    continue
                if random_() < 0.06:  # missed this round: the overdue list has work
                    continue
                draw = random_()
                outcome = "seen" if draw < 0.93 else "absent" if draw < 0.97 else "refused" if draw < 0.99 else "hospitalized"
                sbp = dbp = pulse = spo2 = None
                temp = glucose = None
                fasting = False
                chronic_class = findings = actions = ""
                if outcome == "seen":
                    last_seen = day
                    sbp = max(85, min(230, int(person.sbp + 9 * normal())))
                    dbp = min(max(45, min(130, int(person.dbp + 6 * normal()))), sbp - 20)
                    pulse = int(76 + 9 * normal())
                    temp = round(36.5 + 0.25 * normal(), 1)
                    spo2 = min(100, int(96.5 + 1.5 * normal()))
                    weight = round(weight + 0.4 * normal(), 1)
                    if diabetic:
                        fasting = random_() < 0.7
                        glucose = round(max(3.0, (7.2 if fasting else 9.5) + 1.6 * normal()), 1)
                    if chronic:
                        bad = (sbp >= 140 or dbp >= 90) or (glucose is not None and fasting and glucose >= 7.0)
                        chronic_class = "not_controlled" if bad else "controlled"
                    findings = FINDINGS[int(random_() * len(FINDINGS))]
                    actions = ACTIONS[int(random_() * len(ACTIONS))]
                visited_at = f"{day_text[day]} {9 + int(random_() * 7):02d}:{int(random_() * 60):02d}:00.000000"
                yield (
                    writer.new_id(), person.id, round_id, day_text[day], visited_at, nurse, outcome,
                    sbp, dbp, pulse, temp, spo2, glucose, int(fasting), weight if outcome == "seen" else None,
                    findings, actions, "", chronic_class, "", "", None, 1,
                )

    writer.insert(
        "visit",
        ("id", "resident_id", "round_id", "visit_date", "visited_at", "recorded_by", "outcome", "sbp", "dbp",
         "pulse", "temperature", "spo2", "glucose", "glucose_fasting", "weight", "findings", "actions",
         "medication_changes", "chronic_class", "next_visit_note", "late_reason", "corrects_id", "version"),
        _counting(writer, "visit", visits()),
    )
