"""``center invite`` and ``center join``: add a device to the center with a join package and a passphrase."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, add_common, add_force, check_out, emit
from app.cli.signin import open_signed_in
from app.cli.sync import read_passphrase
from app.domain.i18n import register, t
from app.domain.permissions import Action

register(
    {
        "cli.center.invited": {
            "zh_CN": "已写入加入文件并校验：{path}（{rows} 条记录，{size} KB），{expires} 前有效。"
            "请把口令另行告诉设置新设备的人，不要和文件放在一起。",
            "en": "Join package written and verified: {path} ({rows} records, {size} KB), valid until {expires}. "
            "Tell the passphrase separately to the person setting up the new device; never keep it with the file.",
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
    emit(
        args,
        t("cli.center.invited", path=summary.path, rows=rows, size=max(1, summary.size // 1024), expires=expires),
        {
            "path": str(summary.path),
            "invitation_id": summary.invitation_id,
            "counts": summary.counts,
            "bytes": summary.size,
            "expires": summary.expires.isoformat(),
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
