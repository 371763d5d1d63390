"""The audit trail — 审计日志: record opened records, search the trail, say its entries in words.

Creates, changes and deletions are recorded by the unit of work itself (:mod:`app.store.audit`);
this module adds what no row change shows (a resident's record opened) and lets an administrator
read the trail; :mod:`app.services.admin.audit_verify` checks its hash chains.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from typing import Any, NamedTuple

from app.domain.colours import TriageColour
from app.domain.follow_up import ChronicClass
from app.domain.i18n import register, t
from app.domain.institutions import InstitutionKind
from app.domain.permissions import Action
from app.domain.records import AssessmentKind
from app.domain.refills import REFILL_DAYS as _REFILL_DAYS  # noqa: F401 (registers the words of refill fields)
from app.domain.residents import PeriodReason, ResidentStatus, Sex
from app.domain.roles import Role
from app.domain.search import bounded_query
from app.domain.sickbeds import OrderKind as _OrderKind  # noqa: F401 (registers the words of family bed fields)
from app.domain.triage import make_reason as _make_reason  # noqa: F401 (registers the words of triage reasons)
from app.domain.visits import VisitOutcome
from app.services.authz import require
from app.store.audit import AuditAction
from app.store.models import AuditEntry
from app.store.queries import audit as queries
from app.store.uow import UnitOfWork

DEFAULT_LIMIT = 500
"""The audit page shows the newest entries matching its filters, at most this many."""

register(
    {
        "audit.action.create": {"zh_CN": "新建", "en": "created"},
        "audit.action.update": {"zh_CN": "修改", "en": "changed"},
        "audit.action.delete": {"zh_CN": "删除", "en": "deleted"},
        "audit.action.restore": {"zh_CN": "恢复删除", "en": "undeleted"},
        "audit.action.open": {"zh_CN": "查看档案", "en": "opened record"},
        "audit.action.sign_in": {"zh_CN": "登录", "en": "signed in"},
        "audit.action.sign_in_failed": {"zh_CN": "登录失败", "en": "failed sign-in"},
        "audit.action.account_locked": {"zh_CN": "账号锁定", "en": "account locked"},
        "audit.action.database_restored": {"zh_CN": "从备份恢复数据库", "en": "database restored from a backup"},
        "audit.action.database_encrypted": {"zh_CN": "数据库已加密", "en": "database encrypted"},
        "audit.entity.center": {"zh_CN": "中心", "en": "center"},
        "audit.entity.team": {"zh_CN": "团队", "en": "team"},
        "audit.entity.staff": {"zh_CN": "账号", "en": "account"},
        "audit.entity.institution": {"zh_CN": "机构", "en": "institution"},
        "audit.entity.agreement": {"zh_CN": "签约协议", "en": "agreement"},
        "audit.entity.resident": {"zh_CN": "居民", "en": "resident"},
        "audit.entity.residenceperiod": {"zh_CN": "入住记录", "en": "residence period"},
        "audit.entity.statuschange": {"zh_CN": "状态变更", "en": "status change"},
        "audit.entity.condition": {"zh_CN": "慢性病", "en": "condition"},
        "audit.entity.medication": {"zh_CN": "用药", "en": "medication"},
        "audit.entity.allergy": {"zh_CN": "过敏", "en": "allergy"},
        "audit.entity.assessment": {"zh_CN": "评估", "en": "assessment"},
        "audit.entity.triageruleset": {"zh_CN": "分类规则", "en": "triage rules"},
        "audit.entity.triagedecision": {"zh_CN": "分类", "en": "triage decision"},
        "audit.entity.round": {"zh_CN": "巡诊", "en": "round"},
        "audit.entity.visit": {"zh_CN": "巡诊记录", "en": "visit"},
        "audit.entity.referral": {"zh_CN": "转诊", "en": "referral"},
        "audit.entity.centersetting": {"zh_CN": "中心设置", "en": "center setting"},
        "audit.entity.database": {"zh_CN": "数据库", "en": "database"},
        "audit.nobody": {"zh_CN": "（未登录）", "en": "(not signed in)"},
        "audit.yes": {"zh_CN": "是", "en": "yes"},
        "audit.change": {"zh_CN": "{field}：{change}", "en": "{field}: {change}"},
        "audit.change_separator": {"zh_CN": "；", "en": "; "},
        "audit.field.person_name": {"zh_CN": "姓名", "en": "name"},
        "audit.no": {"zh_CN": "否", "en": "no"},
        "audit.value.password": {"zh_CN": "密码错误", "en": "wrong password"},
        "audit.value.inactive": {"zh_CN": "账号已停用", "en": "account disabled"},
        "audit.value.cli": {"zh_CN": "命令行：{command}", "en": "command line: {command}"},
        "audit.field.name": {"zh_CN": "名称", "en": "name"},
        "audit.field.login": {"zh_CN": "用户名", "en": "login"},
        "audit.field.role": {"zh_CN": "角色", "en": "role"},
        "audit.field.team_id": {"zh_CN": "团队", "en": "team"},
        "audit.field.phone": {"zh_CN": "电话", "en": "phone"},
        "audit.field.practice_sites": {"zh_CN": "多点执业", "en": "practice sites"},
        "audit.field.active": {"zh_CN": "启用", "en": "active"},
        "audit.field.password_hash": {"zh_CN": "密码", "en": "password"},
        "audit.field.sex": {"zh_CN": "性别", "en": "sex"},
        "audit.field.birth_date": {"zh_CN": "出生日期", "en": "date of birth"},
        "audit.field.id_number": {"zh_CN": "身份证号", "en": "ID number"},
        "audit.field.insurance_number": {"zh_CN": "医保号", "en": "insurance number"},
        "audit.field.institution_id": {"zh_CN": "机构", "en": "institution"},
        "audit.field.building": {"zh_CN": "楼栋", "en": "building"},
        "audit.field.room": {"zh_CN": "房间", "en": "room"},
        "audit.field.bed": {"zh_CN": "床位", "en": "bed"},
        "audit.field.admission_date": {"zh_CN": "入住日期", "en": "admission date"},
        "audit.field.status": {"zh_CN": "状态", "en": "status"},
        "audit.field.status_date": {"zh_CN": "状态日期", "en": "status date"},
        "audit.field.guardian_name": {"zh_CN": "监护人", "en": "guardian"},
        "audit.field.guardian_relation": {"zh_CN": "与监护人关系", "en": "guardian's relation"},
        "audit.field.guardian_phone": {"zh_CN": "监护人电话", "en": "guardian's phone"},
        "audit.field.signed_on": {"zh_CN": "签约日期", "en": "signed on"},
        "audit.field.signed_doctor_id": {"zh_CN": "签约医生", "en": "signing doctor"},
        "audit.field.service_package": {"zh_CN": "签约服务包", "en": "service package"},
        "audit.field.record_number": {"zh_CN": "健康档案编号", "en": "health record number"},
        "audit.field.family_bed": {"zh_CN": "家庭病床", "en": "family bed"},
        "audit.field.family_bed_start": {"zh_CN": "家庭病床开始", "en": "family bed from"},
        "audit.field.family_bed_end": {"zh_CN": "家庭病床结束", "en": "family bed until"},
        "audit.field.hospice": {"zh_CN": "安宁疗护", "en": "hospice"},
        "audit.field.ltc_insurance": {"zh_CN": "长护险", "en": "long-term-care insurance"},
        "audit.field.care_level": {"zh_CN": "照护等级", "en": "care level"},
        "audit.field.colour": {"zh_CN": "分类", "en": "colour"},
        "audit.field.suggested_colour": {"zh_CN": "建议分类", "en": "suggested colour"},
        "audit.field.notes": {"zh_CN": "备注", "en": "notes"},
        "audit.field.code": {"zh_CN": "代码", "en": "code"},
        "audit.field.district": {"zh_CN": "所在区", "en": "district"},
        "audit.field.kind": {"zh_CN": "类型", "en": "kind"},
        "audit.field.address": {"zh_CN": "地址", "en": "address"},
        "audit.field.beds": {"zh_CN": "床位数", "en": "beds"},
        "audit.field.medical_unit": {"zh_CN": "内设医疗机构", "en": "medical unit"},
        "audit.field.contact_person": {"zh_CN": "联系人", "en": "contact person"},
        "audit.field.contact_phone": {"zh_CN": "联系电话", "en": "contact phone"},
        "audit.field.green_channel_hospital": {"zh_CN": "绿色通道医院", "en": "green-channel hospital"},
        "audit.field.green_channel_phone": {"zh_CN": "绿色通道电话", "en": "green-channel phone"},
        "audit.field.start_date": {"zh_CN": "开始日期", "en": "start date"},
        "audit.field.end_date": {"zh_CN": "结束日期", "en": "end date"},
        "audit.field.services": {"zh_CN": "服务内容", "en": "services"},
        "audit.field.round_weekdays": {"zh_CN": "巡诊日", "en": "round weekdays"},
        "audit.field.min_rounds_per_week": {"zh_CN": "每周最少巡诊次数", "en": "rounds per week"},
        "audit.field.key": {"zh_CN": "设置项", "en": "setting"},
        "audit.field.value": {"zh_CN": "值", "en": "value"},
        "audit.field.reason": {"zh_CN": "原因", "en": "reason"},
        "audit.field.via": {"zh_CN": "途径", "en": "via"},
        "audit.field.recovery_key": {"zh_CN": "使用恢复密钥", "en": "with the recovery key"},
        "audit.field.locked_until": {"zh_CN": "锁定至", "en": "locked until"},
        "audit.field.backup": {"zh_CN": "备份文件", "en": "backup"},
        "audit.field.safety_backup": {"zh_CN": "恢复前备份", "en": "backup before the restore"},
        "audit.field.resident_id": {"zh_CN": "居民", "en": "resident"},
        "audit.field.visit_date": {"zh_CN": "巡诊日期", "en": "visit date"},
        "audit.field.outcome": {"zh_CN": "结果", "en": "outcome"},
        "audit.field.sbp": {"zh_CN": "收缩压", "en": "systolic BP"},
        "audit.field.dbp": {"zh_CN": "舒张压", "en": "diastolic BP"},
        "audit.field.pulse": {"zh_CN": "脉搏", "en": "pulse"},
        "audit.field.temperature": {"zh_CN": "体温", "en": "temperature"},
        "audit.field.spo2": {"zh_CN": "血氧饱和度", "en": "SpO2"},
        "audit.field.glucose": {"zh_CN": "血糖", "en": "glucose"},
        "audit.field.weight": {"zh_CN": "体重", "en": "weight"},
        "audit.field.findings": {"zh_CN": "所见", "en": "findings"},
        "audit.field.actions": {"zh_CN": "处理", "en": "actions"},
        "audit.field.round_id": {"zh_CN": "巡诊", "en": "round"},
        "audit.field.round_date": {"zh_CN": "巡诊日期", "en": "round date"},
        "audit.field.recorded_by": {"zh_CN": "记录人", "en": "recorded by"},
        "audit.field.confirmed_by": {"zh_CN": "确认人", "en": "confirmed by"},
        "audit.field.override_reason": {"zh_CN": "调整原因", "en": "reason for the change"},
        "audit.field.substance": {"zh_CN": "过敏原", "en": "substance"},
        "audit.field.reaction": {"zh_CN": "反应", "en": "reaction"},
        "audit.field.dose": {"zh_CN": "剂量", "en": "dose"},
        "audit.field.frequency": {"zh_CN": "频次", "en": "frequency"},
        "audit.field.diagnosed_on": {"zh_CN": "诊断日期", "en": "diagnosed on"},
        "audit.field.assessed_on": {"zh_CN": "评估日期", "en": "assessed on"},
        "audit.field.score": {"zh_CN": "得分", "en": "score"},
        "audit.field.result": {"zh_CN": "结论", "en": "result"},
        "audit.field.destination": {"zh_CN": "转诊去向", "en": "destination"},
        "audit.field.urgent": {"zh_CN": "紧急", "en": "urgent"},
        "audit.field.green_channel": {"zh_CN": "绿色通道", "en": "green channel"},
        "audit.field.opened_on": {"zh_CN": "转出日期", "en": "referred on"},
        "audit.field.assessed_by": {"zh_CN": "评估人", "en": "assessed by"},
        "audit.field.items": {"zh_CN": "评估条目", "en": "items"},
        "audit.field.icd10": {"zh_CN": "ICD-10 编码", "en": "ICD-10 code"},
        "audit.field.stop_date": {"zh_CN": "停药日期", "en": "stopped on"},
        "audit.field.visit_id": {"zh_CN": "巡诊记录", "en": "visit"},
        "audit.field.agreement_id": {"zh_CN": "签约协议", "en": "agreement"},
        "audit.field.moved_from": {"zh_CN": "原巡诊日期", "en": "moved from"},
        "audit.field.cancel_reason": {"zh_CN": "取消原因", "en": "reason for cancelling"},
        "audit.field.note": {"zh_CN": "备注", "en": "note"},
        "audit.field.on_date": {"zh_CN": "日期", "en": "date"},
        "audit.field.reasons": {"zh_CN": "分类依据", "en": "reasons"},
        "audit.field.decided_at": {"zh_CN": "分类时间", "en": "decided at"},
        "audit.field.rules": {"zh_CN": "规则", "en": "rules"},
        "audit.field.visited_at": {"zh_CN": "巡诊时间", "en": "visited at"},
        "audit.field.glucose_fasting": {"zh_CN": "空腹血糖", "en": "fasting glucose"},
        "audit.field.corrects_id": {"zh_CN": "所更正的记录", "en": "corrects"},
        "audit.field.version": {"zh_CN": "版本", "en": "version"},
        "audit.round_status.planned": {"zh_CN": "计划", "en": "planned"},
        "audit.round_status.done": {"zh_CN": "已完成", "en": "done"},
        "audit.round_status.cancelled": {"zh_CN": "已取消", "en": "cancelled"},
        "audit.round_status.moved": {"zh_CN": "已改期", "en": "moved"},
        "audit.field.closed_on": {"zh_CN": "结束日期", "en": "closed on"},
    }
)


def action_label(action: str) -> str:
    """Return an audit action in words (the action itself if unknown)."""
    label = t(f"audit.action.{action}")
    return action if label.startswith("audit.action.") else label


def entity_label(entity: str) -> str:
    """Return an entity (table) name in words (the name itself if unknown)."""
    if not entity:
        return ""
    label = t(f"audit.entity.{entity}")
    return entity if label.startswith("audit.entity.") else label


def short_id(identifier: str) -> str:
    """Return the last 8 characters of an id (time-ordered ids share their first ones)."""
    return identifier[-8:] if len(identifier) > 8 else identifier


def field_label(name: str) -> str:
    """Return an audited field's name in words (the column name if there is none)."""
    for key in (f"audit.field.{name}", f"field.{name}"):
        label = t(key)
        if label != key:
            return label
    return name


_UTC_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


_VALUE_WORDS: dict[str, type[StrEnum]] = {
    "status": ResidentStatus,
    "sex": Sex,
    "outcome": VisitOutcome,
    "chronic_class": ChronicClass,
    "kind": InstitutionKind,
}
"""Fields whose stored codes are shown as their words (``in_residence`` → 在住)."""


_ENTITY_VALUE_WORDS: dict[tuple[str, str], type[StrEnum]] = {
    ("residenceperiod", "reason"): PeriodReason,
    ("assessment", "kind"): AssessmentKind,
}
"""Fields whose codes depend on the table: a residence period's reason ``roster_import`` → 名单导入."""


def value_text(name: str, value: Any, entity: str = "") -> str:
    """Return one audited value in words: yes/no, local times, role names, short ids, "—" for nothing.

    Args:
        name: the field.
        value: its stored value.
        entity: the table of the entry, where a field's codes depend on it (a round's ``status``).
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("audit.yes") if value else t("audit.no")
    if not isinstance(value, str):
        return str(value)
    if _UTC_MOMENT.match(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    if _UUID.match(value):
        return "…" + short_id(value)
    if name == "role" and value in {role.value for role in Role}:
        return Role(value).label
    if name.endswith("colour") and value in {colour.value for colour in TriageColour}:
        return TriageColour(value).badge
    if entity == "round" and name == "status":
        label = t(f"audit.round_status.{value}")
        return value if label.startswith("audit.round_status.") else label
    words = _ENTITY_VALUE_WORDS.get((entity, name)) or _VALUE_WORDS.get(name)
    if words is not None and value in {member.value for member in words}:
        return str(words(value).label)  # type: ignore[attr-defined]
    if name == "key":
        return field_label(value)
    if name == "reason":
        label = t(f"audit.value.{value}")
        return value if label.startswith("audit.value.") else label
    if name == "reasons":
        return _reasons_text(value)
    if name == "via" and value.startswith("cli:"):  # a sign-in on the command line, and the command
        return t("audit.value.cli", command=value.removeprefix("cli:"))
    return value


def _reasons_text(value: str) -> str:
    """A triage decision's reasons (stored as JSON ``[{"colour", "key", "params"}]``) in words, ``；``-separated."""
    try:
        reasons = json.loads(value)
        words = [t(str(reason["key"]), **dict(reason.get("params") or {})) for reason in reasons]
    except (ValueError, TypeError, KeyError, AttributeError):
        return value  # not the stored shape: shown as it is rather than guessed at
    return "；".join(words) if words else "—"


def describe_changes(changes: dict[str, Any], *, entity: str = "", limit: int | None = None) -> str:
    """Return ``field: old → new`` for each changed field, one per line, or on one line up to ``limit``.

    Args:
        changes: ``{field: [old, new]}`` as the audit trail stores them.
        entity: the table the entry is about (a person's "name" reads as 姓名, an institution's as 名称).
        limit: join the fields on one line, cut at this many characters.
    """
    parts = []
    for name, pair in changes.items():
        old, new = (pair[0], pair[1]) if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        new_text = value_text(name, new, entity)
        change = new_text if old is None else f"{value_text(name, old, entity)} → {new_text}"
        label = (
            t("audit.field.person_name") if name == "name" and entity in ("resident", "staff") else field_label(name)
        )
        parts.append(t("audit.change", field=label, change=change))
    if limit is None:
        return "\n".join(parts)
    text = t("audit.change_separator").join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_label(row: AuditRow) -> str:
    """Return which record an entry is about, in words: "account 刘婷 (assistant2)", "resident", ..."""
    label = entity_label(row.entity)
    if row.entity == "resident":
        return label
    if row.record_name:
        return f"{label} {row.record_name}".strip()
    return f"{label} …{short_id(row.entity_id)}".strip() if row.entity_id else label


# --- recording -----------------------------------------------------------------------------------------


def record_opened(uow: UnitOfWork, *, resident_id: str) -> None:
    """Record that the signed-in staff member opened a resident's record (健康档案).

    The record view calls this each time it shows a resident.

    Raises:
        PermissionDenied: nobody is signed in, or the role may not view records.
    """
    with uow:
        require(uow, Action.VIEW_RECORDS)
        uow.session.add(
            AuditEntry(action=AuditAction.OPEN.value, entity="resident", entity_id=resident_id, resident_id=resident_id)
        )
        uow.commit()


# --- reading -------------------------------------------------------------------------------------------


class AuditRow(NamedTuple):
    """One line of the audit trail, raw values (``at`` is an aware UTC datetime)."""

    id: str
    at: datetime
    staff_id: str | None
    staff_name: str
    action: str
    entity: str
    entity_id: str
    resident_id: str | None
    resident_name: str
    changes: dict[str, list[Any]]
    device: str
    record_name: str = ""  # the account, institution or team the entry is about, where it names one


@dataclass(frozen=True)
class AuditResults:
    """The newest entries matching a search, and how many match in all."""

    rows: list[AuditRow]
    total: int


class AuditPerson(NamedTuple):
    id: str
    name: str
    role: str
    active: bool


def audit_people(uow: UnitOfWork) -> list[AuditPerson]:
    """Return every staff member (disabled ones too), for the audit page's person filter.

    Raises:
        PermissionDenied: the role may not view the audit trail.
    """
    with uow.reading() as uow:
        require(uow, Action.VIEW_AUDIT)
        return [AuditPerson(*row) for row in queries.staff_for_filter(uow)]


def search_audit(
    uow: UnitOfWork,
    *,
    staff_id: str | None = None,
    resident_id: str | None = None,
    resident_text: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    tz: tzinfo | None = None,
    limit: int = DEFAULT_LIMIT,
) -> AuditResults:
    """Return the newest audit entries by a person, about a resident, between two days.

    Args:
        staff_id: only what this staff member did.
        resident_id: only entries about this resident.
        resident_text: only entries about residents matching this text (name, pinyin, bed, ID digits,
            as in the resident search).
        date_from: from this day on (in ``tz``).
        date_to: up to and including this day (in ``tz``).
        tz: the time zone the days are in; this computer's by default.
        limit: at most this many rows (the newest).

    Raises:
        PermissionDenied: the role may not view the audit trail.
    """
    wanted = queries.EntryFilter(
        staff_id=staff_id or None,
        resident_id=resident_id or None,
        resident_query=bounded_query(resident_text),
        start=_local_midnight(date_from, tz) if date_from is not None else None,
        end=_local_midnight(date_to + timedelta(days=1), tz) if date_to is not None else None,
    )
    with uow.reading() as uow:
        require(uow, Action.VIEW_AUDIT)
        rows = [_audit_row(row) for row in queries.newest_entries(uow, wanted, limit=limit)]
        total = len(rows)
        if total == limit:
            total = queries.count_entries(uow, wanted)
    return AuditResults(rows, total)


def _local_midnight(day: date, tz: tzinfo | None) -> datetime:
    """Return midnight at the start of ``day`` in ``tz`` (this computer's time zone if None), aware."""
    local = datetime.combine(day, time.min)
    return local.replace(tzinfo=tz) if tz is not None else local.astimezone()


def _audit_row(row: tuple[Any, ...]) -> AuditRow:
    at = datetime.fromisoformat(row[1])
    at = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)
    try:
        changes = json.loads(row[9]) if row[9] else {}
    except ValueError:
        changes = {"?": [None, row[9]]}
    return AuditRow(row[0], at, row[2], row[3], row[4], row[5], row[6], row[7], row[8], changes, row[10], row[11])
