"""``audit verify``: check the audit trail's hash chains (exit 1 and list the breaks if any)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.main import EXIT_OK, EXIT_REJECTED, add_common, emit


def add_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the audit trail")
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check the audit trail's hash chains")
    add_common(verify)
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from app.services.audit import describe_verification, verify_audit_file

    report = verify_audit_file(args.db)
    emit(
        args,
        "\n".join(describe_verification(report)),
        {
            "ok": report.ok,
            "entries": report.entries,
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
