"""Encrypting a plain database (``center encrypt``, and the window's offer at start) — issue 15.

The conversion itself is :func:`app.store.encrypt.encrypt_database`; this is the use case around it:
the administrator's permission, the open database taking the new key, the audit entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.domain.permissions import Action
from app.services.authz import require
from app.store.audit import AuditAction
from app.store.encrypt import encrypt_database
from app.store.models import AuditEntry
from app.store.uow import UnitOfWork


@dataclass(frozen=True)
class EncryptSummary:
    """The database encrypted: where, the recovery key to show once (never stored), what was verified."""

    path: Path
    recovery_key: str
    tables: int
    rows: int


def encrypt_open_database(uow: UnitOfWork) -> EncryptSummary:
    """Encrypt the open, plain database in place; it goes on working on the encrypted file.

    Nobody else may have it open (the conversion refuses otherwise). Call with no unit of work open on
    this thread (the engine's connections are closed for the swap). With a signed-in person (the window,
    and the command line once it signs in) the role must be allowed to manage settings: an administrator.

    Raises:
        PermissionDenied: the signed-in person is not an administrator.
        AlreadyEncrypted, DatabaseInUse, EncryptionFailed, NotOurDatabase: refused, nothing changed.
    """
    database = uow.database
    actor_id, actor_name = uow.actor_id, ""
    if actor_id is not None:
        with uow.reading() as reading:
            actor = require(reading, Action.MANAGE_SETTINGS)
            actor_name = actor.name
    database.engine.dispose()  # the conversion needs the file alone: idle connections closed, again if needed
    report = encrypt_database(database.path, release=database.engine.dispose)
    database.adopt_key(report.key)
    with UnitOfWork(database, actor_id=None) as writing:
        writing.session.add(
            AuditEntry(
                action=AuditAction.DATABASE_ENCRYPTED.value,
                entity="database",
                entity_id=database.device_id,
                staff_id=actor_id,
                staff_name=actor_name,
                changes=json.dumps({"tables": [None, report.tables], "rows": [None, report.rows]}),
            )
        )
        writing.commit()
    return EncryptSummary(database.path, report.recovery_key, report.tables, report.rows)
