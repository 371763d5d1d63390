"""The data model (DESIGN §3) as SQLModel tables.

Every *synced* table inherits :class:`Synced`: a UUID ``id`` made on the device that creates the row,
``created_at`` (UTC wall time, for people), ``updated_at`` (hybrid-logical-clock value, for merging),
``origin_device`` (the device that last changed the row), ``deleted`` (tombstone; rows are never
hard-deleted while they may still need to sync) and ``field_clocks`` (JSON ``{field: hlc}`` of the fields
edited after creation; a field that is absent still carries its creation value). The stamps are set by
the unit of work (:mod:`app.store.stamping`), never by hand.

Local tables (this device's identity, sync bookkeeping, sign-in throttling) do not travel.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import ClassVar

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

REPORT_RESIDENT_COLUMNS = (
    *("deleted", "id", "institution_id", "birth_date", "signed_on", "status", "status_date", "admission_date"),
    *("family_bed_start", "family_bed_end"),
)
REPORT_STAY_COLUMNS = ("resident_id", "start_date", "end_date", "institution_id", "id", "deleted")
REPORT_VISIT_COLUMNS = (
    *("resident_id", "visit_date", "visited_at", "id", "hypertension_class", "diabetes_class", "sbp", "dbp"),
    *("glucose", "glucose_fasting", "chronic_class", "outcome", "deleted"),
)
REPORT_VISIT_WHERE = "chronic_class != '' AND outcome = 'seen' AND deleted = 0"
"""The reports' covering indexes (migration 0011): every column a report's seek reads, so no row is read. The
columns of a partial index's condition are in it too: SQLite reads a column of the condition from the row."""

RECORD_STAY_COLUMNS = (
    *("resident_id", "start_date", "created_at", "id", "institution_id", "building", "room", "bed", "end_date"),
    *("reason", "deleted"),
)
RECORD_CONDITION_COLUMNS = ("resident_id", "active", "diagnosed_on", "name", "id", "code", "icd10", "deleted")
RECORD_MEDICATION_COLUMNS = (
    *("resident_id", "stop_date", "name", "id", "dose", "frequency", "start_date", "daily_quantity", "unit"),
    "deleted",
)
RECORD_ASSESSMENT_COLUMNS = (
    *("resident_id", "assessed_on", "kind", "id", "assessed_by", "score", "result", "items", "notes", "deleted"),
)
RECORD_WHERE = "deleted = 0"
RECORD_WHERE_SERVER = "false"
"""The resident record's covering indexes (migration 0013): every column a record section shows, by resident, so
opening a record reads one index range per section and no table row — fewer pages, which is what an encrypted
file pays for (docs/security.md "Measured cost"). On a PostgreSQL server the same names are empty (``WHERE
false``): a btree entry there may not exceed 2 704 bytes and an assessment's items and notes are free text, so
a real index could refuse a row; the server reads its pages from shared buffers, with no cipher to pay. They
exist there at all because the models are one set for both engines (Alembic compares them with each)."""


def _record_index(name: str, columns: tuple[str, ...]) -> Index:
    """A record section's covering index: live rows on SQLite, none on a server (see ``RECORD_WHERE_SERVER``)."""
    return Index(name, *columns, sqlite_where=text(RECORD_WHERE), postgresql_where=text(RECORD_WHERE_SERVER))


def new_id() -> str:
    """Return a new random UUID as text."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Synced(SQLModel):
    """Columns shared by every table that travels in sync packages."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: str = Field(default="", index=True, max_length=64)
    origin_device: str = Field(default="", max_length=36)
    deleted: bool = Field(default=False)
    field_clocks: str | None = Field(default=None)

    STAMPED_TOGETHER: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """Groups of fields whose clocks move together: when one changes, all get its stamp, so a sync merge
    (per field, last writer wins) keeps or drops them as one (:mod:`app.store.stamping`)."""


# --- the center and its people ------------------------------------------------------------------


class Center(Synced, table=True):
    """Community health center — 社区卫生服务中心. Exactly one per database."""

    name: str
    code: str
    district: str = ""
    phone: str = ""


class Team(Synced, table=True):
    """Family-doctor team — 家庭医生团队 ("1+1+X")."""

    name: str
    phone: str = ""


class Staff(Synced, table=True):
    """A staff member and their account (admin, doctor, nurse, assistant)."""

    __table_args__ = (Index("ix_staff_login", "login", unique=True),)

    name: str
    role: str  # app.domain.roles.Role value
    team_id: str | None = Field(default=None, foreign_key="team.id")
    login: str
    password_hash: str
    phone: str = ""
    practice_sites: str = ""  # 多点执业: other registered practice sites, free text
    active: bool = True
    # set when an administrator gives the account a password (reset, or a new account): the person must
    # choose their own at the next sign-in; cleared when they do. Stamped together with password_hash, so
    # the pair stays consistent through sync: a reset on one device (flag already set, so unchanged) and a
    # change of one's own password on another must not end with the administrator's password and no prompt.
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})

    STAMPED_TOGETHER: ClassVar[tuple[tuple[str, ...], ...]] = (("password_hash", "must_change_password"),)


# --- institutions and agreements ----------------------------------------------------------------


class Institution(Synced, table=True):
    """Signed institution — 签约机构: nursing home, elder-care home, day-care center, ..."""

    name: str = Field(index=True)
    kind: str  # app.domain.institutions.InstitutionKind value
    address: str = ""
    beds: int = 0
    medical_unit: str = ""  # 内设医疗机构: "", 医务室, 护理站, 诊所, 门诊部
    contact_person: str = ""
    contact_phone: str = ""
    green_channel_hospital: str = ""
    green_channel_phone: str = ""
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last


class Agreement(Synced, table=True):
    """Service agreement — 签约协议 — between the center and an institution."""

    institution_id: str = Field(foreign_key="institution.id", index=True)
    team_id: str | None = Field(default=None, foreign_key="team.id")
    start_date: date
    end_date: date | None = None
    services: str = ""
    round_weekdays: str = ""  # ISO weekdays, comma separated: "2" or "1,4"
    min_rounds_per_week: int = 1
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last


# --- residents and their health record ----------------------------------------------------------


class Resident(Synced, table=True):
    """A resident of a signed institution and their health record (健康档案) header."""

    __table_args__ = (
        Index("ix_resident_institution_colour", "institution_id", "colour"),
        Index("ix_resident_id_number", "id_number"),
        Index("ix_resident_status", "status"),
        # search as you type: a query of three characters or more is found in the trigram index
        # ``resident_search`` (migration 0009); a shorter one, or none, reads the residents of each institution
        # in list order from this narrow index, which holds what it filters on, and stops at a page
        Index(
            "ix_resident_list",
            *("deleted", "institution_id", "building", "room", "bed", "name", "status", "colour", "search_text"),
        ),
        # planning a week reads the residents in residence of an institution from this covering index, in bed
        # order ("2" before "10": by length first), so neither the wide rows are read nor the residents sorted
        Index(
            "ix_resident_bed",
            *("deleted", "status", "institution_id", "building", text("length(room)"), "room", text("length(bed)")),
            *("bed", "name", "id", "colour", "sex", "birth_date", "admission_date", "signed_on"),
        ),
        # the reports read each resident's stay and dates from this covering index (migration 0011)
        Index("ix_resident_report", *REPORT_RESIDENT_COLUMNS),
    )

    name: str
    sex: str  # "M" | "F"
    birth_date: date
    id_number: str = Field(max_length=18)
    insurance_number: str = ""
    phone: str = ""
    institution_id: str = Field(foreign_key="institution.id")
    building: str = ""
    room: str = ""
    bed: str = ""
    admission_date: date | None = None
    status: str = "in_residence"  # app.domain.residents.ResidentStatus value
    status_date: date | None = None
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    signed_on: date | None = None  # 签约日期
    signed_doctor_id: str | None = Field(default=None, foreign_key="staff.id")
    service_package: str = ""  # 签约服务包
    record_number: str = ""  # 健康档案编号
    family_bed: bool = False  # 家庭病床
    family_bed_start: date | None = None
    family_bed_end: date | None = None
    hospice: bool = False  # 安宁疗护
    ltc_insurance: bool = False  # 长护险
    care_level: int | None = None  # 照护等级 0–6
    colour: str = "green"  # confirmed triage colour: red | yellow | green
    suggested_colour: str = "green"  # last rule suggestion, for the review list
    notes: str = ""
    # derived for search as you type: name, pinyin initials, full pinyin, bed, last ID digits
    search_text: str = ""
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last


class ResidencePeriod(Synced, table=True):
    """Where a resident lived, from when to when: moves between beds or institutions keep history."""

    __table_args__ = (
        Index("ix_residenceperiod_report", *REPORT_STAY_COLUMNS),  # the reports' stays (0011)
        _record_index("ix_residenceperiod_record", RECORD_STAY_COLUMNS),  # the record's stays (0013)
    )

    resident_id: str = Field(foreign_key="resident.id", index=True)
    institution_id: str = Field(foreign_key="institution.id")
    building: str = ""
    room: str = ""
    bed: str = ""
    start_date: date
    end_date: date | None = None
    reason: str = ""
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last


class StatusChange(Synced, table=True):
    """A change of residence status (hospitalized, back, discharged, deceased, ...) with its date."""

    resident_id: str = Field(foreign_key="resident.id", index=True)
    status: str
    on_date: date
    note: str = ""
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last


class Condition(Synced, table=True):
    """A chronic condition — 慢性病 — coded (ICD-10 where it exists) or free text."""

    # who has an active condition needing chronic follow-up (planning), by code
    __table_args__ = (
        Index("ix_condition_active", "code", "resident_id", sqlite_where=text("active = 1 AND deleted = 0")),
        _record_index("ix_condition_record", RECORD_CONDITION_COLUMNS),  # the record's conditions (0013)
    )

    resident_id: str = Field(foreign_key="resident.id", index=True)
    code: str = ""  # internal code from app.domain.conditions, "" for free text
    icd10: str = ""
    name: str
    diagnosed_on: date | None = None
    active: bool = True
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last


class Medication(Synced, table=True):
    """A medication a resident takes."""

    __table_args__ = (_record_index("ix_medication_record", RECORD_MEDICATION_COLUMNS),)  # the record's (0013)

    resident_id: str = Field(foreign_key="resident.id", index=True)
    name: str
    dose: str = ""
    frequency: str = ""
    start_date: date | None = None
    stop_date: date | None = None
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last
    # proxy refills — 代配药: a long-term medication has a daily quantity (units a day) and a unit (片, 粒, …)
    daily_quantity: float | None = None
    unit: str = ""


class Allergy(Synced, table=True):
    resident_id: str = Field(foreign_key="resident.id", index=True)
    substance: str
    reaction: str = ""
    updated_by: str | None = Field(default=None, max_length=36)  # staff id of who changed the row last


class Assessment(Synced, table=True):
    """A dated, signed assessment: self-care score, AD8, care level, fall, annual check."""

    __table_args__ = (
        Index("ix_assessment_resident_kind_date", "resident_id", "kind", "assessed_on"),
        # last annual check per resident without reading the rows (planning)
        Index("ix_assessment_live", "resident_id", "kind", "assessed_on", sqlite_where=text("deleted = 0")),
        _record_index("ix_assessment_record", RECORD_ASSESSMENT_COLUMNS),  # the record's assessments (0013)
    )

    resident_id: str = Field(foreign_key="resident.id")
    kind: str  # self_care | ad8 | care_level | fall | annual_check
    assessed_on: date
    assessed_by: str | None = Field(default=None, foreign_key="staff.id")
    score: int | None = None
    result: str = ""  # band, "positive"/"negative", level, ...
    items: str = ""  # JSON of item answers
    notes: str = ""


# --- triage ---------------------------------------------------------------------------------------


class TriageRuleSet(Synced, table=True):
    """The triage rules and visit intervals as data (DOMAIN §5–6 defaults), editable in Settings."""

    name: str
    rules: str  # JSON
    active: bool = True


class TriageDecision(Synced, table=True):
    """One entry of a resident's colour history: suggested reasons, confirmation, override."""

    __table_args__ = (
        Index("ix_triage_resident_time", "resident_id", "decided_at"),
        # the colour at a period's end: a seek, the colour read from the index (migration 0011)
        Index("ix_triage_report", "resident_id", "decided_at", "id", "colour", "deleted"),
    )

    resident_id: str = Field(foreign_key="resident.id")
    colour: str
    suggested_colour: str
    reasons: str = ""  # JSON list of reason keys/params
    confirmed_by: str | None = Field(default=None, foreign_key="staff.id")
    decided_at: datetime = Field(default_factory=utcnow)
    override_reason: str = ""


# --- rounds and visits ----------------------------------------------------------------------------


class Round(Synced, table=True):
    """A round — 巡诊 — of a team at an institution on a date."""

    __table_args__ = (Index("ix_round_date_institution", "round_date", "institution_id"),)

    institution_id: str = Field(foreign_key="institution.id")
    team_id: str | None = Field(default=None, foreign_key="team.id")
    agreement_id: str | None = Field(default=None, foreign_key="agreement.id")
    round_date: date
    status: str = "planned"  # planned | done | cancelled | moved
    moved_from: date | None = None
    cancel_reason: str = ""
    note: str = ""


class Visit(Synced, table=True):
    """A visit outcome — 巡诊记录. Append-only: a correction is a new row pointing at the one it corrects."""

    __table_args__ = (
        Index("ix_visit_resident_date", "resident_id", "visit_date"),
        Index("ix_visit_round", "round_id"),
        # last "seen" visit per resident, for due and overdue lists
        Index("ix_visit_seen", "resident_id", "visit_date", sqlite_where=text("outcome = 'seen' AND deleted = 0")),
        # last chronic follow-up per resident (a visit with a classification), for planning
        Index(
            "ix_visit_follow_up", "resident_id", "visit_date", sqlite_where=text("chronic_class != '' AND deleted = 0")
        ),
        # the corrections of a visit (triage leaves corrected versions out)
        Index("ix_visit_corrects", "corrects_id", sqlite_where=text("corrects_id IS NOT NULL")),
        # the reports' follow-ups: count, last BP, last fasting glucose read from the index (migration 0011)
        Index("ix_visit_report", *REPORT_VISIT_COLUMNS, sqlite_where=text(REPORT_VISIT_WHERE)),
    )

    resident_id: str = Field(foreign_key="resident.id")
    round_id: str | None = Field(default=None, foreign_key="round.id")
    visit_date: date
    visited_at: datetime | None = None
    recorded_by: str | None = Field(default=None, foreign_key="staff.id")
    outcome: str = "seen"  # seen | absent | hospitalized | refused | deceased
    sbp: int | None = None
    dbp: int | None = None
    pulse: int | None = None
    temperature: float | None = None
    spo2: int | None = None
    glucose: float | None = None
    glucose_fasting: bool = False
    weight: float | None = None
    findings: str = ""
    actions: str = ""
    medication_changes: str = ""
    chronic_class: str = ""  # controlled | not_controlled | adverse_reaction | complication: the most severe
    next_visit_note: str = ""
    late_reason: str = ""
    corrects_id: str | None = Field(default=None, foreign_key="visit.id")
    version: int = 1
    # the follow-up forms (DOMAIN §4, migration 0010): one classification per disease, and the form's fields
    hypertension_class: str = Field(default="", sa_column_kwargs={"server_default": text("''")})
    diabetes_class: str = Field(default="", sa_column_kwargs={"server_default": text("''")})
    adherence: str = Field(default="", sa_column_kwargs={"server_default": text("''")})  # regular | intermittent | none
    lifestyle_advice: str = Field(default="", sa_column_kwargs={"server_default": text("''")})
    height: float | None = None  # cm
    foot_pulse: str = Field(default="", sa_column_kwargs={"server_default": text("''")})  # normal | weak | absent


class Referral(Synced, table=True):
    """A referral — 转诊 — opened at a visit, open until closed."""

    resident_id: str = Field(foreign_key="resident.id", index=True)
    visit_id: str | None = Field(default=None, foreign_key="visit.id")
    destination: str
    reason: str = ""
    urgent: bool = False
    green_channel: bool = False
    opened_on: date
    closed_on: date | None = None
    # admitted | returned | declined | not_needed (migration 0010); recording it closes the referral
    outcome: str = Field(default="", sa_column_kwargs={"server_default": text("''")})


class FamilyBed(Synced, table=True):
    """A family sickbed — 家庭病床 — opened in a nursing home by a doctor, checked weekly, closed (DOMAIN §8)."""

    __tablename__ = "family_bed"
    # the open bed of a resident (one at a time), and the open beds of the center
    __table_args__ = (
        Index("ix_family_bed_open", "resident_id", sqlite_where=text("closed_on IS NULL AND deleted = 0")),
    )

    resident_id: str = Field(foreign_key="resident.id", index=True)
    indication: str
    doctor_id: str | None = Field(default=None, foreign_key="staff.id")
    opened_on: date
    care_plan: str = ""
    closed_on: date | None = None
    close_reason: str = ""
    summary: str = ""
    updated_by: str | None = Field(default=None, max_length=36)

    STAMPED_TOGETHER: ClassVar[tuple[tuple[str, ...], ...]] = (("closed_on", "close_reason", "summary"),)


class BedOrder(Synced, table=True):
    """An order — 医嘱 — at a family bed: what, every how many days, from when until when."""

    __tablename__ = "bed_order"

    bed_id: str = Field(foreign_key="family_bed.id", index=True)
    kind: str
    every_days: int = 1
    start: date
    stop: date | None = None
    detail: str = ""
    updated_by: str | None = Field(default=None, max_length=36)


class BedCheck(Synced, table=True):
    """A check of a family bed — 查床: the findings and which orders were carried out (order ids, JSON)."""

    __tablename__ = "bed_check"

    bed_id: str = Field(foreign_key="family_bed.id", index=True)
    checked_on: date
    staff_id: str | None = Field(default=None, foreign_key="staff.id")
    findings: str = ""
    orders_done: str = "[]"
    updated_by: str | None = Field(default=None, max_length=36)


class MedicationDispense(Synced, table=True):
    """A proxy refill dispensed — 代配药发药: the day, how many units, who collected it for the home."""

    __tablename__ = "medication_dispense"

    medication_id: str = Field(foreign_key="medication.id", index=True)
    resident_id: str = Field(foreign_key="resident.id", index=True)
    dispensed_on: date
    quantity: int
    collected_by: str = ""
    recorded_by: str | None = Field(default=None, foreign_key="staff.id")
    updated_by: str | None = Field(default=None, max_length=36)


class CenterSetting(Synced, table=True):
    """A center-wide setting that travels with sync (e.g. auto-lock minutes)."""

    key: str = Field(index=True)
    value: str  # JSON


class AuditEntry(Synced, table=True):
    """Audit trail entry: who did what to which record, and when. Append-only, hash-chained."""

    __table_args__ = (
        Index("ix_audit_at", "at"),
        Index("ix_audit_resident", "resident_id"),
    )

    at: datetime = Field(default_factory=utcnow)
    staff_id: str | None = None
    staff_name: str = ""
    action: str  # create | update | delete | open | sign_in | ...
    entity: str = ""
    entity_id: str = ""
    resident_id: str | None = None
    changes: str = ""  # JSON {field: [old, new]}
    prev_hash: str = ""
    hash: str = ""


# --- local tables (never travel) -------------------------------------------------------------------


class DeviceState(SQLModel, table=True):
    """This install: its device id and name, the center key, and the clock's last value."""

    __tablename__ = "device_state"

    device_id: str = Field(primary_key=True, max_length=36)
    name: str = ""
    center_key: str = ""  # base64 of the center's symmetric sync key
    last_clock: str = ""


class SyncPeer(SQLModel, table=True):
    """A device this one has exchanged packages with, and the watermarks of that exchange."""

    __tablename__ = "sync_peer"

    device_id: str = Field(primary_key=True, max_length=36)
    name: str = ""
    sent_watermark: str = ""  # highest clock we sent them
    acked_watermark: str = ""  # highest of our clocks they acknowledged
    received_watermark: str = ""  # highest of their clocks we imported
    last_seen: datetime | None = None


class SyncLog(SQLModel, table=True):
    """Every export and import: when, which package, counts, outcome."""

    __tablename__ = "sync_log"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    at: datetime = Field(default_factory=utcnow)
    direction: str  # export | import
    package_id: str
    peer_device: str = ""
    path: str = ""
    counts: str = ""  # JSON
    result: str = ""  # ok | refused: reason


class SyncConflict(SQLModel, table=True):
    """A same-field concurrent edit: the value kept and the value that lost, for a doctor to review."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_open", "resolved_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    entity: str
    entity_id: str
    field: str
    kept_value: str = ""
    kept_clock: str = ""
    kept_device: str = ""
    other_value: str = ""
    other_clock: str = ""
    other_device: str = ""
    package_id: str = ""
    detected_at: datetime = Field(default_factory=utcnow)
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    resolution: str = ""


class SignInState(SQLModel, table=True):
    """Failed sign-in counting per login on this device (5 failures lock for 5 minutes)."""

    __tablename__ = "sign_in_state"

    login: str = Field(primary_key=True)
    failed_attempts: int = 0
    locked_until: datetime | None = None


class ImportedPackage(SQLModel, table=True):
    __tablename__ = "imported_package"

    package_id: str = Field(primary_key=True, max_length=36)
    source_device: str = ""
    imported_at: datetime = Field(default_factory=utcnow)


class ResidentFacts(SQLModel, table=True):
    """Each resident's dated due facts (day ordinals), derived from the records by SQLite triggers.

    The last live visit with outcome "seen", the last annual check, the last chronic follow-up, the codes of
    the active conditions, the birth and admission days: what planning needs per resident, in one narrow row
    (migration 0005 has the triggers that keep it right, :mod:`app.store.resident_facts` checks it). Local to
    each device: never synced, never stamped.
    """

    __tablename__ = "resident_facts"
    __table_args__ = {"sqlite_with_rowid": False}

    resident_id: str = Field(primary_key=True, max_length=36)
    seen_day: int | None = None
    checked_day: int | None = None
    followed_day: int | None = None
    condition_codes: str | None = None  # ",code,code," of the active conditions, sorted
    birth_day: int | None = None  # the resident's birth date
    since_day: int | None = None  # admission date, else signing date: counting starts there
    # most severe classification (0 controlled … 3 complication) on the last follow-up day (migration 0010)
    followed_severity: int | None = None


SYNCED_TABLES: tuple[type[Synced], ...] = (
    Center,
    Team,
    Staff,
    Institution,
    Agreement,
    Resident,
    ResidencePeriod,
    StatusChange,
    Condition,
    Medication,
    Allergy,
    Assessment,
    TriageRuleSet,
    TriageDecision,
    Round,
    Visit,
    Referral,
    FamilyBed,
    BedOrder,
    BedCheck,
    MedicationDispense,
    CenterSetting,
    AuditEntry,
)
