"""Checking the audit trail — 审计日志核对: walk every device's hash chain, compare its end with a backup.

Run from the audit page (:func:`verify_audit_trail`, the open database) and by ``audit verify``
(:func:`verify_audit_file`, a file); the chains themselves are :mod:`app.store.audit`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.domain.errors import DomainError
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.services.admin.audit import action_label, entity_label, short_id
from app.services.authz import require
from app.store import cipher
from app.store.audit import ChainsReport
from app.store.engines import is_server_url
from app.store.errors import UnreadableDatabase
from app.store.queries import audit as queries
from app.store.queries.center import the_center
from app.store.uow import UnitOfWork

register(
    {
        "audit.reason.missing": {"zh_CN": "文件不存在", "en": "the file does not exist"},
        "audit.reason.folder": {"zh_CN": "这是一个文件夹，不是文件", "en": "it is a folder, not a file"},
        "audit.reason.not_sqlite": {
            "zh_CN": "不是数据库文件，或是用本次登录未解锁的密钥加密的数据库",
            "en": "it is not a database file, or one encrypted with a key this sign-in has not unlocked",
        },
        "audit.reason.damaged": {
            "zh_CN": "数据库文件已损坏，无法读取",
            "en": "the database file is damaged and cannot be read",
        },
        "audit.reason.unreadable": {"zh_CN": "文件无法读取", "en": "the file cannot be read"},
        "audit.reason.not_ours": {"zh_CN": "不是医养巡诊的数据库", "en": "it is not a CareRounds database"},
        "audit.reason.itself": {"zh_CN": "这就是要检查的数据库本身", "en": "it is the database being checked"},
        "audit.reason.other_center": {
            "zh_CN": "它属于另一个中心（{center}）",
            "en": "it belongs to another center ({center})",
        },
        "audit.anchor_unusable": {
            "zh_CN": "无法用 {path} 核对审计日志（--against）：{reason}",
            "en": "Cannot compare the audit trail with {path} (--against): {reason}",
        },
        "audit.unreadable": {
            "zh_CN": "无法检查 {path} 的审计日志：{reason}",
            "en": "Cannot check the audit trail of {path}: {reason}",
        },
        "audit.problem.edited": {
            "zh_CN": "该条记录写入后被修改过（内容与其哈希不符）",
            "en": "the entry was changed after it was written (its content no longer matches its hash)",
        },
        "audit.problem.missing_before": {
            "zh_CN": "它之前的记录被删除或修改过（链接指向不存在的记录）",
            "en": "an entry before it was removed or changed (its link points at no entry)",
        },
        "audit.problem.cut_off": {
            "zh_CN": "备份中有这条记录，数据库中却没有了：审计日志末尾的记录被删除",
            "en": "a backup holds this entry but the database does not: entries were cut from the end of the trail",
        },
        "audit.verify.anchor": {
            "zh_CN": "已与备份 {name} 核对：备份中的记录都还在。",
            "en": "Compared with the backup {name}: every entry it holds is still there.",
        },
        "audit.verify.anchor_broken": {
            "zh_CN": "已与备份 {name} 核对。",
            "en": "Compared with the backup {name}.",
        },
        "audit.verify.no_anchor": {
            "zh_CN": "没有可供核对的备份：无法发现日志末尾被删除的记录。",
            "en": "No backup to compare with: entries cut from the end of the trail cannot be detected.",
        },
        "audit.problem.out_of_order": {
            "zh_CN": "记录顺序被改动（它没有接在前一条记录之后）",
            "en": "entries were reordered (it does not follow the entry before it)",
        },
        "audit.verify.ok": {
            "zh_CN": "审计日志完整：{devices} 台设备共 {entries} 条记录，哈希链无断裂。",
            "en": "The audit trail is intact: {entries} entries from {devices} device(s), no break in the hash chains.",
        },
        "audit.verify.broken": {
            "zh_CN": "审计日志有 {count} 处问题（共 {entries} 条记录）：",
            "en": "The audit trail has {count} problem(s) ({entries} entries in all):",
        },
        "audit.verify.line": {
            "zh_CN": "设备 {device} 第 {position} 条（{at}，{staff}，{action} {entity} {entity_id}，"
            "记录 {entry_id}）：{what}",
            "en": "device {device} entry {position} ({at}, {staff}, {action} {entity} {entity_id}, entry {entry_id}): "
            "{what}",
        },
    }
)


class AuditUnreadable(DomainError):
    """The database file cannot be read for verification."""


def verify_audit_trail(uow: UnitOfWork, *, anchors: Sequence[Path] | None = None) -> ChainsReport:
    """Walk every device's hash chain and report entries edited, removed or reordered.

    Args:
        anchors: backups to compare the chains' ends with, newest first (see :func:`verify_audit_file`);
            None: do not compare.

    Raises:
        PermissionDenied: the role may not view the audit trail.
    """
    with uow.reading() as uow:
        require(uow, Action.VIEW_AUDIT)
        return queries.verify_open_database(uow, anchors=anchors)


def verify_audit_file(path: Path, *, anchors: Sequence[Path] = ()) -> ChainsReport:
    """Verify the audit trail of the database file ``path``, read-only (``audit verify``).

    For the command line, run by whoever holds the file; the window uses :func:`verify_audit_trail`.

    Args:
        anchors: backups of this database, newest first; the first one made since the last restore is
            compared with the database, to find entries cut from the end of a chain (which the chain alone
            cannot show). Unreadable backups are skipped.

    Raises:
        AuditUnreadable: no such file, or not a CareRounds database.
    """
    path = Path(path)
    if not path.is_file():
        raise AuditUnreadable("audit.unreadable", path=path, reason=t("audit.reason.missing"))
    try:
        report = queries.verify_file(path, anchors=anchors)
    except UnreadableDatabase as error:
        raise AuditUnreadable("audit.unreadable", path=path, reason=error) from error
    if report is None:
        raise AuditUnreadable("audit.unreadable", path=path, reason=t("audit.reason.not_ours"))
    return report


def unlock_anchor(anchor: Path, login: str, password: str) -> bool:
    """Let an encrypted backup named with ``--against`` be read with the signed-in person's own wrap in its key
    file (a server center compared with the encrypted file it was moved from); False if that does not open it."""
    from app.store.key_wraps import unlock_copy

    try:
        return cipher.file_is_plain(Path(anchor)) is False and unlock_copy(Path(anchor), login, password)
    except OSError:  # unreadable: check_anchor says so
        return False


def check_anchor(database: Path | str, anchor: Path, *, uow: UnitOfWork | None = None) -> None:
    """Check that ``anchor`` (a backup named with ``audit verify --against``) can be compared with ``database``.

    The newest backups found by themselves are tried in turn and skipped when unusable; a file the user
    named must be usable, or the check would silently compare with nothing.

    Args:
        database: the database file, or a server database's URL (#20: a SQLite backup of the center, e.g. the
            file it was moved from, is compared with it); then ``uow`` reads its center.

    Raises:
        AuditUnreadable: the file is a folder or does not exist, is the database itself, is not SQLite or is
            damaged, is not a CareRounds database, or belongs to another center; the message names it and why.
    """
    from app.services.output_files import SQLITE_MAGIC, is_database_file, read_head

    def refuse(reason: str) -> AuditUnreadable:
        return AuditUnreadable("audit.anchor_unusable", path=anchor, reason=reason)

    server = is_server_url(database)
    anchor = Path(anchor)
    if anchor.is_dir():
        raise refuse(t("audit.reason.folder"))
    if not anchor.is_file():
        raise refuse(t("audit.reason.missing"))
    if not server and is_database_file(anchor, Path(database)):
        raise refuse(t("audit.reason.itself"))
    try:
        head = read_head(anchor, len(SQLITE_MAGIC))  # not the live database: checked just above
    except OSError:
        raise refuse(t("audit.reason.unreadable")) from None
    if head and head != SQLITE_MAGIC and cipher.key_for(anchor) is None:
        # neither SQLite nor encrypted with a key this session holds (an encrypted backup of a file center opens
        # with the center's key, unwrapped at sign-in); an empty file opens as an empty database: "not ours"
        raise refuse(t("audit.reason.not_sqlite"))
    try:
        theirs = queries.center_of_file(anchor)
    except UnreadableDatabase:  # never SQLite's own words ("file is not a database") to the user
        raise refuse(t("audit.reason.damaged")) from None
    if server:
        assert uow is not None, "a server database's center is read through a unit of work"
        with uow.reading() as reading:
            center = the_center(reading)
        ours = (center.id, center.name) if center is not None else None
    else:
        try:
            ours = queries.center_of_file(Path(database))
        except UnreadableDatabase:
            ours = None  # verify_audit_file says what is wrong with the database itself
    if theirs is None:
        raise refuse(t("audit.reason.not_ours"))
    if ours is not None and theirs[0] != ours[0]:
        raise refuse(t("audit.reason.other_center", center=theirs[1]))


def describe_verification(report: ChainsReport) -> list[str]:
    """Return the verification result as lines of text in the current language."""
    anchor = []
    if report.anchor:
        anchor = [t("audit.verify.anchor" if report.ok else "audit.verify.anchor_broken", name=report.anchor)]
    elif report.anchor is not None:
        anchor = [t("audit.verify.no_anchor")]
    if report.ok:
        return [t("audit.verify.ok", entries=report.entries, devices=len(report.chains)), *anchor]
    lines = [t("audit.verify.broken", count=len(report.problems), entries=report.entries), *anchor]
    for problem in report.problems:
        lines.append(
            "  "
            + t(
                "audit.verify.line",
                device=problem.device[:8],
                position=problem.position,
                at=problem.at,
                staff=problem.staff_name or t("audit.nobody"),
                action=action_label(problem.action),
                entity=entity_label(problem.entity),
                entity_id=short_id(problem.entity_id),
                entry_id=problem.entry_id,
                what=t(f"audit.problem.{problem.kind.value}"),
            )
        )
    return lines
