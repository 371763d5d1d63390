"""A realistic demo center: teams, institutions, residents with records, six months of visits.

The same seed and the same ``today`` give the same data (the sync stamps ``created_at``, ``updated_at``
and ``origin_device`` aside). 100 000 residents with 1.1 million visits take about 25 s of wall time on
two idle cores (about 45 s of CPU in all); the default 600 residents about a second. The confirmed
colours are the triage engine's suggestions of a week ago (:data:`REVIEW_DAYS`), so few residents wait in
the review. How:

- Residents are made in blocks of :data:`BLOCK_RESIDENTS`, each from its own random generator seeded by
  (seed, block index), with ids from its own millisecond window and beds from a fixed allocation cycle,
  so a block's content depends on nothing but the seed, ``today`` and its index — not on how many
  processes make the blocks. From :data:`PARALLEL_FROM` residents on, worker processes (spawned, so a
  script calling this needs the ``if __name__ == "__main__":`` guard) make them; below, this process.
  A block travels as a serialized in-memory SQLite database (:func:`_make_block`).
- This process only loads: it attaches each block, in block order, and copies its tables with
  ``INSERT … SELECT``, filling the sync columns in SQL (``updated_at`` is a run of hybrid-logical-clock
  values), so no Python runs per row here. ID numbers that clash with an earlier block's are renumbered.
- All in one transaction (an error rolls everything back) with a rollback journal, which writes a new
  file's pages once where WAL would write them twice. Foreign-key checks are off during the load (the
  rows are consistent by construction; the tests check), indexes filled out of order are dropped and
  built again at the end (the others are cheaper kept up), and cyclic GC is off.
"""

from __future__ import annotations

import bisect
import collections
import gc
import json
import math
import multiprocessing
import os
import random
import sqlite3
import statistics
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from app.domain.assessments import AD8_ITEMS, SELF_CARE_ITEMS, ad8_score, self_care_band, self_care_score
from app.domain.conditions import BY_CODE
from app.domain.errors import DomainError
from app.domain.i18n import register
from app.domain.idcard import make_id_number
from app.domain.institutions import InstitutionKind
from app.domain.residents import ResidentStatus
from app.domain.roles import Role
from app.domain.scheduling import DEFAULT_INTERVAL_DAYS
from app.domain.search import ID_TAIL, SEPARATOR, bed_label, normalize_query, search_text
from app.domain.triage import DEFAULT_RULES, ResidentFacts, Suggestion, reasons_to_json, suggest_colour
from app.store.resident_facts import facts_rebuilt_after
from app.sync.clock import Timestamp

if TYPE_CHECKING:
    from app.store.database import Database

DEMO_PASSWORD = "demo1234"
DEFAULT_RESIDENTS = 600
HISTORY_WEEKS = 26
REVIEW_DAYS = 7
"""The doctors' last triage review was this many days before ``today``: the confirmed colours are what the
rules suggested then, so only residents whose situation changed since wait in the review."""
BLOCK_RESIDENTS = 2000
"""Residents per block. Part of what the data looks like: changing it changes the demo for a seed."""
PARALLEL_FROM = 10_000
"""From this many residents on, blocks are made in worker processes (starting them costs about a second)."""
MAX_WORKERS = 8
ID_WINDOW_MS = 1000
"""Milliseconds of id space per block: 4 096 ids per millisecond, so about four million ids."""

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
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "桂兰",
    "秀珍",
    "凤英",
    "玉珍",
    "玉英",
    "兰英",
    "玉梅",
    "凤兰",
    "淑珍",
    "淑英",
    "素珍",
    "红丽",
    "美华",
    "丽华",
    "慧敏",
    "桂芳",
    "月娥",
    "彩霞",
    "金凤",
    "翠英",
    "文英",
    "惠芬",
    "雪梅",
    "佩玲",
    "琴",
    "英",
    "兰",
    "芳",
    "珍",
    "华",
    "梅",
    "霞",
    "敏",
    "丽",
    "云",
    "萍",
)
MALE_GIVEN = (
    "建国",
    "建华",
    "国华",
    "国强",
    "志强",
    "志明",
    "德明",
    "德华",
    "文华",
    "文明",
    "永福",
    "永祥",
    "金生",
    "福生",
    "根宝",
    "阿大",
    "长根",
    "兴发",
    "玉林",
    "振华",
    "家骏",
    "海生",
    "和平",
    "宝林",
    "学文",
    "伟",
    "强",
    "军",
    "勇",
    "杰",
    "明",
    "华",
    "平",
    "刚",
    "林",
    "斌",
    "辉",
    "忠",
    "荣",
    "福",
)
REGIONS = (
    "310101",
    "310104",
    "310105",
    "310106",
    "310107",
    "310109",
    "310110",
    "310112",
    "310113",
    "310115",
    "110101",
    "110105",
    "110108",
    "320102",
    "320505",
    "330102",
    "330106",
    "340104",
    "370102",
    "420102",
    "430102",
    "510104",
)

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
STREETS = (
    "漕溪北路",
    "桂林路",
    "田林路",
    "长桥路",
    "虹梅路",
    "龙华路",
    "宛平南路",
    "钦州路",
    "凯旋路",
    "南丹路",
    "零陵路",
    "天钥桥路",
)
HOSPITALS = ("示范区中心医院", "示范区第八人民医院", "示范区中医医院")

# condition code, name as health records keep it (Chinese), prevalence, medications (name, dose, frequency)
CONDITION_PLAN: tuple[tuple[str, str, float, tuple[tuple[str, str, str], ...]], ...] = (
    ("hypertension", "高血压", 0.55, (("苯磺酸氨氯地平片", "5mg", "每日1次"), ("缬沙坦胶囊", "80mg", "每日1次"))),
    ("diabetes_t2", "2型糖尿病", 0.25, (("盐酸二甲双胍片", "0.5g", "每日3次"), ("阿卡波糖片", "50mg", "每日3次"))),
    ("chd", "冠心病", 0.20, (("阿司匹林肠溶片", "100mg", "每日1次"), ("阿托伐他汀钙片", "20mg", "每晚1次"))),
    ("stroke_sequelae", "脑卒中后遗症", 0.12, (("硫酸氢氯吡格雷片", "75mg", "每日1次"),)),
    ("copd", "慢性阻塞性肺疾病", 0.08, (("噻托溴铵吸入粉雾剂", "18μg", "每日1次"),)),
    ("dementia", "痴呆", 0.15, (("盐酸多奈哌齐片", "5mg", "每晚1次"),)),
    ("parkinson", "帕金森病", 0.04, (("多巴丝肼片", "125mg", "每日3次"),)),
    ("ckd", "慢性肾脏病", 0.06, (("碳酸氢钠片", "0.5g", "每日3次"),)),
    ("osteoporosis", "骨质疏松", 0.20, (("碳酸钙D3片", "600mg", "每日1次"),)),
    ("cancer", "恶性肿瘤", 0.04, ()),
    ("hyperlipidaemia", "高脂血症", 0.18, (("瑞舒伐他汀钙片", "10mg", "每晚1次"),)),
)
ALLERGIES = (("青霉素", "皮疹"), ("磺胺类药物", "皮疹"), ("头孢类抗生素", "瘙痒"), ("海鲜", "荨麻疹"))
# what a visit notes: a general impression, then a remark on one of the resident's own conditions
GENERAL_FINDINGS = (
    "精神可，饮食睡眠可",
    "神志清，精神可，无不适主诉",
    "一般情况可，二便正常",
    "精神可，诉夜间睡眠欠佳",
    "精神稍差，食欲一般",
    "神志清，对答切题",
    "情绪稳定，配合检查",
)
CONDITION_REMARKS: dict[str, tuple[str, ...]] = {
    "hypertension": ("无头晕头痛", "诉偶有头晕，无视物旋转"),
    "diabetes_t2": ("无多饮多尿", "双足皮肤完整，足背动脉搏动可"),
    "chd": ("无胸闷胸痛", "诉活动后偶有胸闷，休息可缓解"),
    "stroke_sequelae": ("一侧肢体活动欠利，借助助行器行走", "言语欠清，肢体肌力较前无变化"),
    "copd": ("咳嗽少痰，双肺呼吸音粗", "活动后气促，双肺未闻及干湿啰音"),
    "dementia": ("定向力差，情绪尚稳定", "记忆力减退，需护理员提醒服药"),
    "parkinson": ("静止性震颤，步态缓慢", "肢体僵硬，起步困难"),
    "ckd": ("双下肢轻度水肿", "尿量可，双下肢无水肿"),
    "osteoporosis": ("诉腰背部酸痛", "诉久坐后腰痛，活动尚可"),
    "cancer": ("诉乏力，食欲欠佳", "体重较前略降，无明显疼痛"),
}
BEDRIDDEN_REMARKS = ("卧床，骶尾部皮肤完整，无压疮", "长期卧床，翻身由护理员协助，皮肤完整")
NO_REMARKS = ("无特殊不适",)
ACTIONS = (
    "继续原治疗方案",
    "继续原治疗方案，健康宣教：低盐低脂饮食",
    "嘱适量活动，预防跌倒",
    "继续原方案，下次巡诊复查",
)
BP_ACTIONS = ("血压控制欠佳，调整降压药剂量，2周内复测血压", "嘱按时服药、低盐饮食，护理员每日测血压，2周后复查")
BP_URGENT_ACTION = "血压明显升高，予调整降压药，嘱护理员每日监测血压2次，必要时转诊"
GLUCOSE_ACTIONS = ("空腹血糖偏高，控制饮食，2周后复查空腹血糖", "调整降糖药，嘱护理员监测空腹血糖")
GUARDIAN_RELATIONS = ("儿子", "女儿", "配偶", "侄子")
SERVICE_PACKAGES = ("基础包", "老年人服务包", "慢病管理包")
FALL_NOTE = "夜间如厕时跌倒"

# --- ids, dates and cheap random draws ----------------------------------------------------------------

_UUID_GROUP3 = tuple(f"{0x7000 | n:04x}" for n in range(4096))


def _id_stream(start_ms: int, rng: random.Random) -> Iterator[str]:
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
def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


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


# --- the plan of the blocks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Home:
    """What a block needs to know of an institution."""

    id: str
    doctor: str
    nurse: str
    rounds: tuple[tuple[str, int, str], ...]  # the rounds before today: id, date ordinal, ISO date


@dataclass(frozen=True)
class _Plan:
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
    homes: tuple[_Home, ...]
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


# The columns a block carries (id first), and the columns every demo row of a table shares (SQL literals).
_BLOCK_COLUMNS: dict[str, tuple[str, ...]] = {
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
        "created_at",
    ),
}
_BLOCK_CONSTANTS: dict[str, dict[str, str]] = {
    "resident": {"notes": "''"},
    "residenceperiod": {"reason": "'入住'"},
    "statuschange": {"note": "''"},
    "condition": {"active": "1"},
    "triagedecision": {"override_reason": "''"},
    "visit": {"medication_changes": "''", "next_visit_note": "''", "late_reason": "''", "version": "1"},
}
_BLOCK_SCHEMA = "".join(f"CREATE TABLE {table} ({', '.join(columns)});\n" for table, columns in _BLOCK_COLUMNS.items())
SYNC_COLUMNS = ("created_at", "updated_at", "origin_device", "deleted")


def _make_block(plan: _Plan, block: int) -> bytes:
    """Make block ``block`` of ``plan``: its residents, their records and visits, as a serialized database.

    Top level and free of globals set at run time, so that worker processes (spawned) can run it.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived tuples: cyclic GC passes would dominate the run time
    try:
        rows = _block_rows(plan, block)
        memory = sqlite3.connect(":memory:")
        try:
            # All tables first: every block then has the same schema and root pages, which statements the
            # loading connection prepared for an earlier block rely on (see _Writer.load_block).
            memory.execute("PRAGMA journal_mode = OFF")
            memory.executescript(_BLOCK_SCHEMA)
            for table, columns in _BLOCK_COLUMNS.items():
                memory.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", rows[table])
            memory.commit()
            return memory.serialize()
        finally:
            memory.close()
    finally:
        if gc_was_enabled:
            gc.enable()


def _block_rows(plan: _Plan, block: int) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(f"carerounds-demo:{plan.seed}:{block}")
    random_, bits, triangular = rng.random, rng.getrandbits, rng.triangular
    new_id = _id_stream(plan.id_ms + block * ID_WINDOW_MS, rng).__next__

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
        return _iso(day + shift) + _CLOCKS[minute] + _SECONDS[second]

    out: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _BLOCK_COLUMNS}
    residents, periods, changes, conditions_out, medications, allergies, assessments, decisions, visits = (
        out[table] for table in _BLOCK_COLUMNS
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
        if hypertensive:
            sbp = int(152 + 8 * spread) if poor_bp else int(131 + 7 * spread)
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

        periods.append((new_id(), resident_id, home.id, building, room, bed, _iso(admission)))
        if departed:
            changes.append((new_id(), resident_id, status.value, _iso(status_day)))
        elif back:
            changes.append((new_id(), resident_id, ResidentStatus.HOSPITALIZED.value, _iso(hospitalized)))
            changes.append((new_id(), resident_id, in_residence.value, _iso(back)))
        for code in conditions:
            spec = BY_CODE[code]
            diagnosed = min(today - 30, birth + int((55 + 20 * random_()) * 365.25))
            conditions_out.append((new_id(), resident_id, code, spec.icd10, _CONDITION_NAMES[code], _iso(diagnosed)))
            for medication, dose, frequency in _MEDICATIONS[code][: int(random_() * 3)]:
                started = max(diagnosed, admission - int(random_() * 2001))
                medications.append((new_id(), resident_id, medication, dose, frequency, _iso(started)))
        if random_() < 0.1:
            substance, reaction = pick(ALLERGIES)
            allergies.append((new_id(), resident_id, substance, reaction))
        assessed = _iso(max(admission, last_day - 20 - int(random_() * 311)))
        assessments.append((new_id(), resident_id, "self_care", assessed, doctor, self_care, band, levels_json, ""))
        assessments.append((new_id(), resident_id, "care_level", assessed, doctor, care_level, str(care_level), "", ""))
        if ad8_json:
            result = "positive" if ad8 >= 2 else "negative"
            assessments.append((new_id(), resident_id, "ad8", assessed, doctor, ad8, result, ad8_json, ""))
        if fell_on:
            assessments.append((new_id(), resident_id, "fall", _iso(fell_on), doctor, None, "", "", FALL_NOTE))
        if age >= 65:
            checked = _iso(max(admission, last_day - 20 - int(random_() * 401)))
            assessments.append((new_id(), resident_id, "annual_check", checked, doctor, None, "done", "", ""))

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
        classes: tuple[str, ...] = ()  # the last two chronic classifications, newest first
        at_review: tuple[Any, ...] | None = None  # the same three on the day of the last triage review
        for index in range(bisect.bisect_left(days, admission), bisect.bisect_right(days, last_day)):
            round_id, day, day_iso = rounds[index]
            if at_review is None and day > review:
                at_review = (last_bp, last_glucose, classes)
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
                entered = _iso(day + shift) + _CLOCKS[at] + _SECONDS[(entry >> 16) % 60]
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
                high_bp = hypertensive and (systolic >= 140 or diastolic >= 90)
                high_glucose = False
                if diabetic:
                    fasting = int(random_() < 0.7)
                    if fasting:
                        glucose = min(300, max(30, fasting_level + _FASTING_STEP[bits(12)])) / 10
                        high_glucose = glucose >= 7.0
                    else:
                        glucose = min(300, max(30, fasting_level + 24 + _GLUCOSE_STEP[bits(12)])) / 10
                    last_glucose = (day, glucose)
                chronic_class = ""
                if chronic:
                    chronic_class = "not_controlled" if high_bp or high_glucose else "controlled"
                    classes = (chronic_class, *classes[:1])
                if systolic >= 180 or diastolic >= 110:
                    action = BP_URGENT_ACTION
                elif high_bp:
                    action = pick(BP_ACTIONS)
                elif high_glucose:
                    action = pick(GLUCOSE_ACTIONS)
                else:
                    action = _ACTIONS[bits(12)]
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
                        _PULSE[bits(12)],
                        _TEMPERATURE[bits(12)],
                        _SPO2[bits(12)],
                        glucose,
                        fasting,
                        weight / 10,
                        findings[int(random_() * findings_count)],
                        action,
                        chronic_class,
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
                        entered,
                    )
                )
        if at_review is None:
            at_review = (last_bp, last_glucose, classes)

        # --- triage: the doctors' last review (a week ago) confirmed the rules' suggestions of that day; the
        # suggestion of today differs only where something happened since (last week's visits, a fall)
        back_before_review = back_day if back <= review else None
        then = _with_visits(facts, fall_before_review, back_before_review, *at_review)
        reviewed = _suggestion(then, review_date)
        colour = reviewed.colour.value
        suggested = colour
        if not departed:
            unchanged = at_review == (last_bp, last_glucose, classes) and fell_on <= review and back <= review
            now = then if unchanged else _with_visits(facts, fall, back_day, last_bp, last_glucose, classes)
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
                _iso(birth),
                id_number,
                f"3100{1_000_000_000 + bits(32) % 9_000_000_000}",
                f"13{bits(32) % 1_000_000_000:09d}" if random_() < 0.3 else "",
                home.id,
                building,
                room,
                bed,
                _iso(admission),
                status.value,
                _iso(status_day) if departed else _iso(back) if back else None,
                pick(SURNAMES) + pick(MALE_GIVEN + FEMALE_GIVEN),
                pick(GUARDIAN_RELATIONS),
                f"13{bits(32) % 1_000_000_000:09d}",
                _iso(min(admission + 1 + int(random_() * 60), last_day)) if signed else None,
                doctor if signed else None,
                pick(SERVICE_PACKAGES) if signed else "",
                f"SF{number + 1:08d}",
                int(family_bed),
                _iso(bed_start) if family_bed else None,
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
) -> ResidentFacts:
    """Return the triage facts: ``facts``, the last fall, the last return from hospital, and what the visits
    tell — the last BP and glucose (with day ordinals) and the last chronic classifications."""
    return ResidentFacts(
        **facts,
        last_fall=fall,
        back_from_hospital=back,
        last_bp=(date.fromordinal(bp[0]), bp[1], bp[2]) if bp else None,
        last_glucose=(date.fromordinal(glucose[0]), glucose[1]) if glucose else None,
        chronic_classes=classes,
    )


# --- what this process writes itself: center, teams, institutions, agreements, rounds -------------------


@dataclass
class _Setup:
    summary: DemoSummary
    tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]  # (table, columns with id first, rows)
    plan: _Plan


def _set_up(seed: int, today: date, residents: int, created: datetime) -> _Setup:
    """Draw the center's own rows and the plan of the blocks from ``Random(seed)``."""
    rng = random.Random(seed)
    created_ms = int(created.timestamp() * 1000)
    new_id = _id_stream(created_ms, rng).__next__
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
    homes: list[_Home] = []
    monday = today - timedelta(days=today.weekday())
    draft = _Plan(seed, today.toordinal(), residents, BLOCK_RESIDENTS, 0, (), tuple(cycle), tuple(places), shares)
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
        homes.append(_Home(institution_id, doctors[team_index], nurses[team_index], tuple(past)))
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
    plan = _Plan(
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
    return _Setup(summary, tables, plan)


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


# --- making the blocks ------------------------------------------------------------------------------------


def _worker_count(requested: int | None, plan: _Plan) -> int:
    if requested is not None:
        return max(0, min(requested, plan.blocks))
    if plan.residents < PARALLEL_FROM:
        return 0
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(cpus, MAX_WORKERS, plan.blocks) if cpus > 1 else 0


class _Blocks:
    """The blocks of a plan in order: made here when they are needed, or by worker processes ahead of need.

    Workers are spawned (not forked: the caller may have threads, such as the GUI's) and run
    :func:`_make_block`; a worker's exception, or a worker that dies, is raised here.
    """

    def __init__(self, plan: _Plan, workers: int) -> None:
        self.plan = plan
        self._next = 0
        self._pending: collections.deque[Future[bytes]] = collections.deque()
        self._window = 3 * workers  # blocks in flight: enough to keep the workers busy, few enough to bound memory
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers else None
        self._submit()

    def _submit(self) -> None:
        while self._pool is not None and self._next < self.plan.blocks and len(self._pending) < self._window:
            self._pending.append(self._pool.submit(_make_block, self.plan, self._next))
            self._next += 1

    def __iter__(self) -> Iterator[bytes]:
        if self._pool is None:
            for block in range(self.plan.blocks):
                yield _make_block(self.plan, block)
            return
        while self._pending:
            data = self._pending.popleft().result()
            self._submit()
            yield data

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# --- loading ------------------------------------------------------------------------------------------------


class _Writer:
    """Inserts on one sqlite3 connection, with the sync columns filled in.

    ``updated_at`` takes consecutive hybrid-logical-clock values from the database clock's next one on,
    in the order the rows are written; :meth:`finish` moves the clock past them.
    """

    def __init__(self, connection: sqlite3.Connection, database: Database, created: str) -> None:
        self.connection = connection
        self.database = database
        self.device = database.device_id
        self.created = created
        self.counts: dict[str, int] = {}
        start = Timestamp.decode(database.clock.now())
        self._ms, self._base = start.wall_ms, start.counter - 1  # value number i (from 1) is base + i
        self._issued = 0
        self._layout: str | None = None
        self._block_sql = {
            table: self._block_insert(table, columns, _BLOCK_CONSTANTS.get(table, {}))
            for table, columns in _BLOCK_COLUMNS.items()
        }

    def _clock(self, number: int) -> str:
        total = self._base + number
        return f"{self._ms + total // 1_000_000:013d}-{total % 1_000_000:06d}-{self.device}"

    @staticmethod
    def _block_insert(table: str, columns: Sequence[str], constants: dict[str, str]) -> str:
        clock = "printf('%013d-%06d-%s', :ms + (:base + rowid) / 1000000, (:base + rowid) % 1000000, :device)"
        sync = {"created_at": ":created", "updated_at": clock, "origin_device": ":device", "deleted": "0"}
        sync = {name: value for name, value in sync.items() if name not in columns}  # a block may bring its own
        names = ", ".join((*sync, *columns, *constants))
        values = ", ".join((*sync.values(), *columns, *constants.values()))
        return f"INSERT INTO main.{table} ({names}) SELECT {values} FROM blk.{table} ORDER BY rowid"

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (values for ``columns``, id first) into ``table``."""
        names = ("id", *SYNC_COLUMNS, *columns[1:])
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        created, device, first = self.created, self.device, self._issued + 1
        batch = [(row[0], created, self._clock(n), device, 0, *row[1:]) for n, row in enumerate(rows, first)]
        self.connection.executemany(sql, batch)
        self._issued += len(batch)
        self.counts[table] = self.counts.get(table, 0) + len(batch)

    def load_block(self, data: bytes, id_numbers: set[str]) -> None:
        """Copy a block (see :func:`_make_block`) in; renumber ID numbers already in ``id_numbers``."""
        self.connection.deserialize(data, name="blk")
        # Every block has the same schema cookie, so SQLite does not prepare the statements below again for
        # a new block: they must find its tables on the same root pages as in the first one.
        layout = self.connection.execute("SELECT group_concat(name || ' ' || rootpage) FROM blk.sqlite_master")
        if self._layout != (layout := layout.fetchone()[0]) and self._layout is not None:
            raise RuntimeError(f"a demo block has another layout: {layout}")
        self._layout = layout
        params = {"created": self.created, "ms": self._ms, "device": self.device}
        for table, sql in self._block_sql.items():
            params["base"] = self._base + self._issued
            written = self.connection.execute(sql, params).rowcount
            self._issued += written
            self.counts[table] = self.counts.get(table, 0) + written
        for rowid, resident_id, number in self.connection.execute("SELECT rowid, id, id_number FROM blk.resident"):
            if number in id_numbers:  # drawn by an earlier block too (some dozens in 100 000)
                number = _free_id_number(number, id_numbers)
                name, building, room, bed = self.connection.execute(
                    "SELECT name, building, room, bed FROM blk.resident WHERE rowid = ?", (rowid,)
                ).fetchone()
                text = search_text(name=name, building=building, room=room, bed=bed, id_number=number)
                self.connection.execute(
                    "UPDATE main.resident SET id_number = ?, search_text = ? WHERE id = ?", (number, text, resident_id)
                )
            id_numbers.add(number)

    def finish(self) -> None:
        """Move the database's clock past every value this load issued."""
        self.database.clock.observe(self._clock(self._issued))


def _free_id_number(number: str, used: set[str]) -> str:
    """Return a valid ID number for the same birth date and sex as ``number`` that is not in ``used``."""
    birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    sex = "M" if int(number[16]) % 2 else "F"
    for region in (number[:6], *REGIONS):
        for sequence in range(100):
            candidate = make_id_number(region, birth, sequence, sex)
            if candidate not in used:
                return candidate
    raise RuntimeError(f"no free ID number for {birth} {sex}")  # 2 300 numbers per birth date and sex


# Columns whose index entries a load appends in order, or at a few places (few distinct values): an index
# made of these alone is cheaper kept up during the load than built afterwards, and building it afterwards
# would be work nobody shares. Indexes on any other column (ID numbers, search text) are built after.
_ORDERED_COLUMNS = frozenset(
    {
        "updated_at",
        "resident_id",
        "round_id",
        "institution_id",
        "status",
        "colour",
        "deleted",
        "visit_date",
        "kind",
        "assessed_on",
        "decided_at",
    }
)


class _IndexesDeferred:
    """Drop the secondary indexes of ``tables`` that a bulk load fills out of order; build them again after it.

    After an error the indexes are not built: the rollback brings them back.
    """

    def __init__(self, connection: sqlite3.Connection, tables: Sequence[str]) -> None:
        self.connection = connection
        marks = ", ".join("?" * len(tables))
        indexes = connection.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tuple(tables),
        ).fetchall()
        self.indexes = [
            (name, sql)
            for name, sql in indexes
            if not {column for _n, _cid, column in connection.execute(f'PRAGMA index_info("{name}")')}
            <= _ORDERED_COLUMNS
        ]

    def __enter__(self) -> _IndexesDeferred:
        for name, _sql in self.indexes:
            self.connection.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, error_type: type[BaseException] | None, *exc: object) -> None:
        if error_type is None:
            for _name, sql in self.indexes:
                self.connection.execute(sql)


# --- the generator ------------------------------------------------------------------------------------------


def create_demo_center(
    database: Database,
    *,
    residents: int = DEFAULT_RESIDENTS,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> DemoSummary:
    """Fill an empty database with a realistic demo center, all or nothing.

    Args:
        residents: how many residents (1 to 1 000 000); about 11 visits each.
        seed: the same seed and ``today`` give the same data.
        today: the day the demo's history ends (default: today).
        progress: called with "teams", "institutions", "residents", "rounds", "visits" as they are done.
        workers: processes making residents (0 = this one); by default this one below
            :data:`PARALLEL_FROM` residents, else one per CPU. The data is the same either way.

    Raises:
        DemoRefused: the database already holds a center, or ``residents`` is out of range.
    """
    if not 1 <= residents <= 1_000_000:
        raise DemoRefused("demo.bad_count", n=residents)
    today = today or date.today()
    report = progress or (lambda _step: None)
    database.engine.dispose()  # be the only connection, so the journal mode can change below
    connection = sqlite3.connect(database.path, isolation_level=None)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived tuples: cyclic GC passes would dominate the run time
    blocks: _Blocks | None = None
    hashing: ThreadPoolExecutor | None = None
    try:
        connection.execute("PRAGMA busy_timeout = 10000")
        if connection.execute("SELECT COUNT(*) FROM center").fetchone()[0]:
            raise DemoRefused("demo.exists", path=database.path)
        from app.services.accounts.sign_in import (
            hash_password,  # argon2 and the database layer: not in worker processes
        )

        hashing = ThreadPoolExecutor(1, thread_name_prefix="demo-password")  # argon2 lets go of the GIL
        password_hash = hashing.submit(hash_password, DEMO_PASSWORD)
        created = datetime.combine(today - timedelta(weeks=HISTORY_WEEKS + 2), time(9), tzinfo=timezone.utc)
        setup = _set_up(seed, today, residents, created)
        blocks = _Blocks(setup.plan, _worker_count(workers, setup.plan))
        setup.summary.counts = _load(connection, database, setup, blocks, _stamp(created), password_hash, report)
    finally:
        if blocks is not None:
            blocks.close()
        if hashing is not None:
            hashing.shutdown(wait=False, cancel_futures=True)
        connection.close()
        if gc_was_enabled:
            gc.enable()
    report("visits")
    return setup.summary


def _load(
    connection: sqlite3.Connection,
    database: Database,
    setup: _Setup,
    blocks: _Blocks,
    created: str,
    password_hash: Future[str],
    report: Callable[[str], None],
) -> dict[str, int]:
    """Write everything in one transaction; return the rows written per table."""
    connection.execute("PRAGMA foreign_keys = OFF")  # the rows are consistent by construction (tests check)
    # A rollback journal records only pages that existed before the transaction: loading a new file with
    # it writes each page once, where WAL would write it twice. Atomic either way.
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -65536")  # 64 MiB: the pages being filled; the rest goes to the OS
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("ATTACH ':memory:' AS blk")
    try:
        connection.execute("BEGIN IMMEDIATE")  # the write lock first: nobody writes between the check and the load
        try:
            if connection.execute("SELECT COUNT(*) FROM center").fetchone()[0]:
                raise DemoRefused("demo.exists", path=database.path)
            writer = _Writer(connection, database, created)
            for table, columns, rows in setup.tables:
                writer.insert(table, columns, rows)
                if table in ("staff", "agreement"):
                    report("teams" if table == "staff" else "institutions")
            # the planning facts are worked out once at the end, with the indexes back, not row by row
            with facts_rebuilt_after(connection), _IndexesDeferred(connection, tuple(_BLOCK_COLUMNS)):
                id_numbers: set[str] = set()
                for data in blocks:
                    writer.load_block(data, id_numbers)
            report("residents")
            report("rounds")
            connection.execute("UPDATE staff SET password_hash = ? WHERE password_hash = ''", (password_hash.result(),))
            writer.finish()
            connection.execute(
                "UPDATE device_state SET last_clock = ?, name = ? WHERE device_id = ?",
                (database.clock.last, "demo workstation", database.device_id),
            )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    finally:
        connection.execute("DETACH blk")
        connection.execute("PRAGMA journal_mode = WAL")
    return writer.counts
