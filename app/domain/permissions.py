"""Who may do what: one table of role → allowed actions (权限).

Services check these before they change anything; the UI asks the same table to hide or disable what
the signed-in role cannot do.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.i18n import register, t
from app.domain.roles import Role


class Action(StrEnum):
    VIEW_RECORDS = "view_records"
    EDIT_RESIDENTS = "edit_residents"  # add, edit, discharge, mark deceased
    IMPORT_ROSTER = "import_roster"
    EDIT_INSTITUTIONS = "edit_institutions"  # institutions and agreements
    RECORD_VISITS = "record_visits"
    VIEW_TRIAGE = "view_triage"
    CONFIRM_TRIAGE = "confirm_triage"  # confirm or override a colour
    EDIT_TRIAGE_RULES = "edit_triage_rules"
    PLAN_ROUNDS = "plan_rounds"  # add, move, cancel rounds
    PRINT = "print"
    SYNC = "sync"  # export and import sync packages
    ADD_DEVICE = "add_device"  # write a join package
    RESOLVE_CONFLICTS = "resolve_conflicts"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"
    BACKUP_RESTORE = "backup_restore"
    MANAGE_BEDS = "manage_beds"  # open and close family sickbeds, their orders
    CHECK_BEDS = "check_beds"  # record a family bed's check
    RECORD_REFILLS = "record_refills"  # proxy refills: daily quantity, dispensing

    @property
    def label(self) -> str:
        return t(f"action.{self.value}")


_EVERYONE = {Action.VIEW_RECORDS, Action.VIEW_TRIAGE, Action.PRINT, Action.SYNC}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.DOCTOR: frozenset(
        _EVERYONE
        | {
            Action.EDIT_RESIDENTS,
            Action.IMPORT_ROSTER,
            Action.EDIT_INSTITUTIONS,
            Action.RECORD_VISITS,
            Action.CONFIRM_TRIAGE,
            Action.EDIT_TRIAGE_RULES,
            Action.PLAN_ROUNDS,
            Action.RESOLVE_CONFLICTS,
            Action.MANAGE_BEDS,
            Action.CHECK_BEDS,
            Action.RECORD_REFILLS,
        }
    ),
    Role.NURSE: frozenset(_EVERYONE | {Action.RECORD_VISITS, Action.CHECK_BEDS, Action.RECORD_REFILLS}),
    Role.ASSISTANT: frozenset(_EVERYONE | {Action.EDIT_RESIDENTS, Action.IMPORT_ROSTER}),
}


def allowed(role: Role, action: Action) -> bool:
    """Return whether ``role`` may do ``action``."""
    return action in PERMISSIONS[role]


register(
    {
        "permission.denied": {
            "zh_CN": "您的角色（{role}）无权{action}。",
            "en": "Your role ({role}) may not {action}.",
        },
        "permission.signed_out": {"zh_CN": "请先登录。", "en": "Please sign in first."},
        "action.view_records": {"zh_CN": "查看档案", "en": "view records"},
        "action.manage_beds": {"zh_CN": "建床或撤床", "en": "open or close family beds"},
        "action.check_beds": {"zh_CN": "记录查床", "en": "record family bed checks"},
        "action.record_refills": {"zh_CN": "记录代配药", "en": "record proxy refills"},
        "action.edit_residents": {"zh_CN": "编辑居民信息", "en": "edit residents"},
        "action.import_roster": {"zh_CN": "导入花名册", "en": "import rosters"},
        "action.edit_institutions": {"zh_CN": "编辑机构和协议", "en": "edit institutions and agreements"},
        "action.record_visits": {"zh_CN": "记录巡诊", "en": "record visits"},
        "action.view_triage": {"zh_CN": "查看分类建议", "en": "see triage suggestions"},
        "action.confirm_triage": {"zh_CN": "确认分类", "en": "confirm triage colours"},
        "action.edit_triage_rules": {"zh_CN": "修改分类规则", "en": "edit triage rules"},
        "action.plan_rounds": {"zh_CN": "安排巡诊", "en": "plan rounds"},
        "action.print": {"zh_CN": "打印", "en": "print"},
        "action.sync": {"zh_CN": "同步数据", "en": "sync"},
        "action.add_device": {"zh_CN": "添加设备", "en": "add devices"},
        "action.resolve_conflicts": {"zh_CN": "处理同步冲突", "en": "resolve sync conflicts"},
        "action.manage_users": {"zh_CN": "管理账号", "en": "manage accounts"},
        "action.manage_settings": {"zh_CN": "修改设置", "en": "change settings"},
        "action.view_audit": {"zh_CN": "查看审计日志", "en": "view the audit trail"},
        "action.backup_restore": {"zh_CN": "备份和恢复", "en": "back up and restore"},
    }
)
