"""``center invite`` and ``center join``: add a device to the center with a join package and a passphrase;
``center create``: a new center and its first administrator (a file or a PostgreSQL database);
``center move-to``: move a center's SQLite file onto a PostgreSQL server (docs/postgresql.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, add_common, add_force, check_out, emit
from app.cli.recovery import add_recover
from app.cli.signin import open_signed_in
from app.cli.sync import read_passphrase
from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.store.engines import ServerURL, db_target

register(
    {
        "cli.center.laptop_recovery": {
            "zh_CN": "新设备的数据库已加密。它的恢复密钥（只显示这一次，请抄下并与设备分开保管）：{key}",
            "en": "The new device's database is encrypted. Its recovery key (shown only this once: write it down "
            "and keep it apart from the device): {key}",
        },
        "cli.center.invited": {
            "zh_CN": "已写入加入文件并校验：{path}（{rows} 条记录，{size} KB），{expires} 前有效。"
            "请把口令另行告诉设置新设备的人，不要和文件放在一起。",
            "en": "Join package written and verified: {path} ({rows} records, {size} KB), valid until {expires}. "
            "Tell the passphrase separately to the person setting up the new device; never keep it with the file.",
        },
        "cli.center.created": {
            "zh_CN": "已建立中心“{center}”（{code}）：{db}。管理员账号：{login}。",
            "en": "Center “{center}” ({code}) created: {db}. Administrator account: {login}.",
        },
        "cli.center.recovery": {
            "zh_CN": "\n数据库已加密。恢复密钥（只显示这一次；请打印并锁在中心的保险柜里）：\n\n    {key}\n",
            "en": "\nThe database is encrypted. Recovery key (shown this once: print it and lock it in the center's "
            "safe):\n\n    {key}\n",
        },
        "cli.center.moved": {
            "zh_CN": "已把中心迁移到 {url}：{tables} 张表共 {rows} 条记录，行数和内容摘要（{digest}）两边一致。"
            "数据库文件 {path} 未改动，作为迁移时的备份保留：请不要再用它作为工作站的数据库。",
            "en": "The center was moved to {url}: {rows} records in {tables} tables; row counts and the content "
            "digest ({digest}) agree on both sides. The file {path} is unchanged and kept as the backup of the "
            "move: do not use it as a workstation's database again.",
        },
        "field.target": {"zh_CN": "迁移目标", "en": "target"},
        "field.db": {"zh_CN": "数据库（--db）", "en": "database (--db)"},
        "cli.center.move_needs_server": {
            "zh_CN": "目标应是 postgresql://用户@主机/数据库名，而不是 {target}",
            "en": "the target must be postgresql://user@host/dbname, not {target}",
        },
        "cli.center.move_needs_file": {
            "zh_CN": "--db 应是要迁移的中心数据库文件（SQLite），而不是 {db}",
            "en": "--db must be the center's database file (SQLite) to move, not {db}",
        },
        "cli.center.encrypted": {
            "zh_CN": "数据库已加密并校验：{path}（{tables} 个表，{rows} 条记录）。原未加密文件已覆盖删除。\n\n"
            "恢复密钥（只显示这一次；请打印或抄写，锁在中心的保险柜里，不要和电脑放在一起）：\n\n    {key}\n\n"
            "忘记所有管理员密码时，凭它打开数据库、重设密码。",
            "en": "The database is encrypted and verified: {path} ({tables} tables, {rows} rows). The plain file "
            "was overwritten and removed.\n\nRecovery key (shown this once: print or copy it and lock it in the "
            "center's safe, never with the computer):\n\n    {key}\n\n"
            "If every administrator password is lost, it opens the database to reset one.",
        },
        "cli.center.joined": {
            "zh_CN": "本设备已加入“{center}”：{path}（设备编号 {device}，来自 {inviter}，{rows} 条记录）。",
            "en": "This device joined “{center}”: {path} (device id {device}, from {inviter}, {rows} records).",
        },
    }
)


def add_commands(commands: Any) -> None:
    center = commands.add_parser("center", help="add devices to the center")
    actions = center.add_subparsers(dest="action", required=True, metavar="ACTION")

    # no abbreviations: "--passphrase SECRET" must be an error, not the name of a passphrase file
    invite = actions.add_parser("invite", help="write a join package for a new device (passphrase)", allow_abbrev=False)
    invite.add_argument(
        "--out", type=Path, required=True, metavar="FILE.crsync", help="file to write (never the database; see --force)"
    )
    add_common(invite)
    invite.add_argument("--name", default="", help="what to call the new device until it introduces itself")
    invite.add_argument("--passphrase-file", type=Path, metavar="FILE", help="else $CARE_SYNC_PASSPHRASE")
    add_force(invite, "an older join package of this center is replaced without it")
    invite.set_defaults(handler=_invite)

    join = actions.add_parser("join", help="set up this device from a join package", allow_abbrev=False)
    join.add_argument("file", type=Path, metavar="FILE.crsync")
    add_common(join, signs_in=False)  # makes the database: everyone signs in afterwards with their usual login
    join.add_argument("--name", default="", help="this device's name as the others will see it")
    join.add_argument("--passphrase-file", type=Path, metavar="FILE", help="else $CARE_SYNC_PASSPHRASE")
    join.set_defaults(handler=_join)

    create = actions.add_parser(
        "create",
        help="a new center and its first administrator (--user, password as for signing in)",
        allow_abbrev=False,
    )
    add_common(create)  # --user / --password-file / $CARE_PASSWORD: the administrator's login and password
    create.add_argument("--name", required=True, help="the center's name")
    create.add_argument("--code", required=True, help="the center's code (2–20 letters or digits)")
    create.add_argument("--district", default="", help="district")
    create.add_argument("--admin-name", default="", help="the administrator's name (default: the login)")
    create.set_defaults(handler=_create)

    move = actions.add_parser(
        "move-to", help="move this center's SQLite file onto an empty PostgreSQL database, verified", allow_abbrev=False
    )
    move.add_argument("target", metavar="postgresql://USER@HOST/DBNAME", help="an empty database on the server")
    add_common(move)  # an administrator of the center in --db signs in
    move.set_defaults(handler=_move_to)

    encrypt = actions.add_parser(
        "encrypt", help="encrypt a plain database in place; prints the recovery key once", allow_abbrev=False
    )
    add_common(encrypt)
    encrypt.set_defaults(handler=_encrypt)

    add_recover(actions)


def _invite(args: argparse.Namespace) -> int:
    from app.services.sync.join import invite_device

    check_out(args.out, kind="join", db=args.db, force=args.force)
    passphrase = read_passphrase(args)
    context = open_signed_in(args, Action.ADD_DEVICE)
    try:
        summary = invite_device(
            context.uow(),
            out=args.out,
            passphrase=passphrase,
            device_label=args.name,
            force=args.force,
            force_hint=True,
        )
    finally:
        context.close()
    rows = sum(summary.counts.values())
    expires = summary.expires.astimezone().strftime("%Y-%m-%d %H:%M")
    text = t("cli.center.invited", path=summary.path, rows=rows, size=max(1, summary.size // 1024), expires=expires)
    if summary.recovery_key:  # a server center's laptop copy, encrypted for it (#20)
        text += "\n" + t("cli.center.laptop_recovery", key=summary.recovery_key)
    emit(
        args,
        text,
        {
            "path": str(summary.path),
            "invitation_id": summary.invitation_id,
            "counts": summary.counts,
            "bytes": summary.size,
            "expires": summary.expires.isoformat(),
            **({"recovery_key": summary.recovery_key} if summary.recovery_key else {}),
        },
    )
    return EXIT_OK


def _join(args: argparse.Namespace) -> int:
    from app.bootstrap import open_context
    from app.services.sync.join import join_center

    passphrase = read_passphrase(args)
    summary = join_center(package=args.file, db_path=args.db, passphrase=passphrase, device_name=args.name)
    open_context(summary.path, create=False).close()  # upgrades a copy made by an older version, after a backup
    emit(
        args,
        t(
            "cli.center.joined",
            center=summary.center_name,
            path=summary.path,
            device=summary.device_id,
            inviter=summary.inviter_name or "?",
            rows=sum(summary.counts.values()),
        ),
        {
            "db": str(summary.path),
            "device_id": summary.device_id,
            "device_name": summary.device_name,
            "center": summary.center_name,
            "inviter": summary.inviter_name,
            "counts": summary.counts,
        },
    )
    return EXIT_OK


def _create(args: argparse.Namespace) -> int:
    from app.bootstrap import open_context
    from app.cli.signin import SIGNED_IN_FLAG, read_credentials
    from app.services.admin.center import set_up_center

    credentials = read_credentials(args)
    if credentials.password is None:
        from app.cli.signin import SignInRefused

        raise SignInRefused("cli.signin.no_password", login=credentials.login)
    # a new file or an empty server database gets the schema; a new file is encrypted (issue 15)
    context = open_context(args.db, encrypt_new=not isinstance(args.db, ServerURL))
    recovery_key = context.report.recovery_key
    try:
        info = set_up_center(
            context.uow(),
            name=args.name,
            code=args.code,
            district=args.district,
            admin_name=args.admin_name or credentials.login,
            admin_login=credentials.login,
            admin_password=credentials.password,
        )
        shown = str(context.database.path) if not context.database.is_server else ServerURL(args.db).shown
    finally:
        context.close()
    setattr(args, SIGNED_IN_FLAG, True)  # the person who made the center is its administrator
    emit(
        args,
        t("cli.center.created", center=info.name, code=info.code, db=shown, login=credentials.login)
        + (t("cli.center.recovery", key=recovery_key) if recovery_key else ""),
        {
            "db": shown,
            "center_id": info.id,
            "name": info.name,
            "code": info.code,
            "admin_login": credentials.login,
            "recovery_key": recovery_key,
        },
    )
    return EXIT_OK


def _move_to(args: argparse.Namespace) -> int:
    from app.domain.errors import ValidationError
    from app.services.admin.move import move_center

    try:
        target = db_target(args.target)
    except ValueError:  # a postgresql:// URL without a database name, or malformed
        target = Path(args.target)
    if not isinstance(target, ServerURL):
        raise ValidationError("target", args.target, "cli.center.move_needs_server", target=args.target)
    if isinstance(args.db, ServerURL):
        raise ValidationError("db", args.db.shown, "cli.center.move_needs_file", db=args.db.shown)
    open_signed_in(args, Action.BACKUP_RESTORE).close()  # an administrator of this center; upgrades an old file
    summary = move_center(source=args.db, target=target)
    emit(
        args,
        t(
            "cli.center.moved",
            url=target.shown,
            tables=len(summary.counts),
            rows=summary.rows,
            digest=summary.digest[:16],
            path=args.db,
        ),
        {"target": target.shown, "db": str(args.db), "counts": summary.counts, "digest": summary.digest},
    )
    return EXIT_OK


def _encrypt(args: argparse.Namespace) -> int:
    from app.services.admin.encryption import encrypt_open_database
    from app.store.cipher import AlreadyEncrypted, file_is_plain
    from app.store.key_wraps import key_file_path

    if args.db.is_file() and file_is_plain(args.db) is False and key_file_path(args.db).exists():
        raise AlreadyEncrypted("cipher.already_encrypted", path=args.db)  # before asking anybody to sign in
    context = open_signed_in(args, Action.MANAGE_SETTINGS)  # an administrator
    try:
        summary = encrypt_open_database(context.uow())
    finally:
        context.close()
    emit(
        args,
        t(
            "cli.center.encrypted",
            path=summary.path,
            tables=summary.tables,
            rows=summary.rows,
            key=summary.recovery_key,
        ),
        {"db": str(summary.path), "recovery_key": summary.recovery_key, "tables": summary.tables, "rows": summary.rows},
    )
    return EXIT_OK
