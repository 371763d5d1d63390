"""``audit verify``: check the audit trail's hash chains (exit 1 and list the breaks if any)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.main import EXIT_OK, EXIT_REJECTED, add_common, emit
from app.cli.signin import signed_in_person
from app.domain.permissions import Action


def add_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the audit trail")
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check the audit trail's hash chains")
    add_common(verify)
    verify.add_argument(
        "--against",
        type=Path,
        action="append",
        metavar="BACKUP",
        help="a backup of this center to compare the chains' ends with (default: the newest backups of --db); "
        "a missing, unreadable or foreign file is an error (exit 2)",
    )
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from app.services.admin.audit_verify import check_anchor, describe_verification, verify_audit_file
    from app.services.admin.backups import list_backups
    from app.store.engines import is_server_url

    if is_server_url(args.db):  # a PostgreSQL center (#20): read through the store; no backup files to compare with
        from app.cli.signin import open_signed_in, read_credentials
        from app.services.admin.audit_verify import unlock_anchor, verify_audit_trail

        credentials = read_credentials(args)  # asked once: also for an encrypted file named with --against
        context = open_signed_in(args, Action.VIEW_AUDIT, credentials=credentials)
        try:
            for anchor in args.against or ():  # a SQLite backup of this center (the file it was moved from)
                if credentials.password:  # encrypted: opened with this person's own wrap in its key file
                    unlock_anchor(anchor, credentials.login, credentials.password)
                check_anchor(args.db, anchor, uow=context.uow())
            # no backup named: the report says that entries cut from the end cannot be seen, as on a file
            report = verify_audit_trail(context.uow(), anchors=args.against or ())
        finally:
            context.close()
    else:
        signed_in_person(args, Action.VIEW_AUDIT)
        for anchor in args.against or ():  # named by the user: must be usable (exit 2), never silently skipped
            check_anchor(args.db, anchor)
        anchors = args.against or [backup.path for backup in list_backups(args.db)]
        report = verify_audit_file(args.db, anchors=anchors)
    emit(
        args,
        "\n".join(describe_verification(report)),
        {
            "ok": report.ok,
            "entries": report.entries,
            "compared_with": report.anchor or None,
            "devices": [{"device": c.device, "entries": c.entries, "head": c.head} for c in report.chains],
            "problems": [
                {
                    "kind": p.kind.value,
                    "device": p.device,
                    "position": p.position,
                    "entry_id": p.entry_id,
                    "at": p.at,
                    "staff_name": p.staff_name,
                    "action": p.action,
                    "entity": p.entity,
                    "entity_id": p.entity_id,
                }
                for p in report.problems
            ],
        },
    )
    return EXIT_OK if report.ok else EXIT_REJECTED
