"""Small centers of two to four devices for the sync tests: a workstation and laptops that joined it.

Imported by the sync tests (``from sync_world import ...``) and by ``conftest.py`` for the fixtures.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.services.admin.audit_verify import verify_audit_file, verify_audit_trail
from app.services.admin.center import set_up_center
from app.services.sync.join import invite_device, join_center
from app.store.models import SYNCED_TABLES, Institution, Resident, Staff, Visit
from app.store.move import database_digest
from app.store.resident_facts import StaleFacts, stale_facts
from app.store.sqlite import sqlite3
from app.store.uow import UnitOfWork

PASSPHRASE = "Ward-7 round sheet"
SHARED_RESIDENTS = (
    ("王建国", "310104194001010013"),
    ("李秀英", "310104194101010028"),
    ("陈德明", "310104194201010011"),
    ("赵桂兰", "310104194301010026"),
)
"""Residents every device of a new center already holds (made on the workstation before the laptops joined)."""
FAST_SCRYPT = 1 << 10


@dataclass
class Device:
    """One install of the app: its database (a SQLite file, or for the center a server database's URL) and the
    open context. Its packages are written in ``folder`` (the file's folder unless given)."""

    name: str
    where: Path | str
    context: AppContext
    folder: Path = field(default=Path())

    def __post_init__(self) -> None:
        if self.folder == Path():
            assert isinstance(self.where, Path), "a device on a server needs a folder for its packages"
            self.folder = self.where.parent

    @property
    def path(self) -> Path:
        """The SQLite file (for what only a file has; a center on a server has none)."""
        assert isinstance(self.where, Path), f"{self.name} is a server database: it has no file"
        return self.where

    @property
    def on_server(self) -> bool:
        return self.context.database.is_server

    @property
    def device_id(self) -> str:
        return self.context.database.device_id

    def close(self) -> None:
        self.context.close()


def build_center(folder: Path, devices: int) -> list[Path]:
    """Make a center on a workstation (one institution, four residents) and join ``devices - 1`` laptops to it.

    Returns:
        The database files, workstation first; every database is closed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    workstation = open_context(folder / "d0.sqlite", device_name="workstation")
    set_up_center(
        workstation.uow(),
        name="测试社区卫生服务中心",
        code="TEST01",
        admin_name="管理员",
        admin_login="admin",
        admin_password="secret-123",
    )
    with workstation.uow() as uow:
        home = Institution(name="康宁养老院", kind="nursing_home")
        uow.session.add(home)
        uow.session.flush()
        for number, (name, id_number) in enumerate(SHARED_RESIDENTS):
            uow.session.add(
                Resident(
                    name=name,
                    sex="F" if number % 2 else "M",
                    birth_date=date(1940 + number, 1, 1),
                    id_number=id_number,
                    institution_id=home.id,
                )
            )
        uow.commit()
    paths = [workstation.database.path]
    for number in range(1, devices):
        package = folder / f"join{number}.crsync"
        invite_device(
            workstation.uow(), out=package, passphrase=PASSPHRASE, device_label=f"laptop {number}", scrypt_n=FAST_SCRYPT
        )
        joined = join_center(
            package=package, db_path=folder / f"d{number}.sqlite", passphrase=PASSPHRASE, device_name=f"laptop-{number}"
        )
        open_context(joined.path).close()
        paths.append(joined.path)
    workstation.close()
    return paths


def copy_center(
    paths: list[Path], folder: Path, count: int | None = None, *, server: Callable[[Path], str] | None = None
) -> list[Path | str]:
    """Copy the first ``count`` closed databases of a center into ``folder``.

    ``server``: ``pg_database`` (tests/conftest.py): the workstation's file moved onto the PostgreSQL server
    (``center move-to``: the same device, its sync state and audit chain) and the URL of a clone of it
    instead of a file copy; the laptops stay files, as they always are.
    """
    folder.mkdir(parents=True, exist_ok=True)
    copies: list[Path | str] = []
    for number, path in enumerate(paths[: count or len(paths)]):
        if number == 0 and server is not None:
            copies.append(server(path))
            continue
        target = folder / path.name
        shutil.copyfile(path, target)
        copies.append(target)
    return copies


def open_devices(targets: list[Path | str], folder: Path | None = None) -> list[Device]:
    """Open the copied databases; the workstation forgets invitations of laptops not in this center copy.

    ``folder``: where a device on a server writes its packages (default: the first file's folder).
    """
    files = [target for target in targets if isinstance(target, Path)]
    folder = folder or files[0].parent
    devices = [
        Device(target.stem, target, open_context(target))
        if isinstance(target, Path)
        else Device("d0", target, open_context(target), folder)
        for target in targets
    ]
    with devices[0].context.database.engine.begin() as connection:
        connection.execute(
            text("DELETE FROM sync_peer WHERE last_seen IS NULL AND sent_watermark != '' AND name = :name"),
            [{"name": f"laptop {number}"} for number in range(len(targets), 8)],
        )
    return devices


def rows(device: Device, sql: str, **parameters: object) -> list[tuple[Any, ...]]:
    """Run a read-only query on either engine (``:name`` parameters)."""
    with device.context.uow().reading() as uow:
        return [tuple(row) for row in uow.session.connection().execute(text(sql), parameters)]


def stale(device: Device) -> list[StaleFacts]:
    """The residents whose planning facts differ from their records (the same SQL on both engines)."""
    with device.context.uow().reading() as uow:
        return stale_facts(uow.session.connection().connection.driver_connection)


def audit_problems(device: Device) -> list[object]:
    """The audit trail's problems: ``audit verify`` of the file, or of the server database as the administrator."""
    if not device.on_server:
        return list(verify_audit_file(device.path).problems)
    with device.context.uow().reading() as uow:
        admin = uow.session.exec(select(Staff.id).where(Staff.login == "admin")).one()
    return list(verify_audit_trail(UnitOfWork(device.context.database, actor_id=admin)).problems)


# --- making changes like the app does (through the unit of work, so rows are stamped) -------------------


def institution_id(device: Device) -> str:
    with device.context.uow() as uow:
        return uow.session.exec(select(Institution.id)).one()


def add_resident(device: Device, *, name: str = "张桂英", id_number: str = "310104194403150026") -> str:
    with device.context.uow() as uow:
        resident = Resident(
            name=name,
            sex="F",
            birth_date=date(1944, 3, 15),
            id_number=id_number,
            institution_id=uow.session.exec(select(Institution.id)).one(),
        )
        uow.session.add(resident)
        uow.commit()
        return resident.id


def edit_resident(device: Device, resident_id: str, **values: object) -> None:
    with device.context.uow() as uow:
        resident = uow.session.get(Resident, resident_id)
        assert resident is not None
        for name, value in values.items():
            setattr(resident, name, value)
        uow.commit()


def add_visit(device: Device, resident_id: str, *, findings: str = "精神可", corrects: str | None = None) -> str:
    with device.context.uow() as uow:
        visit = Visit(resident_id=resident_id, visit_date=date(2026, 11, 20), findings=findings, corrects_id=corrects)
        uow.session.add(visit)
        uow.commit()
        return visit.id


def resident(device: Device, resident_id: str) -> Resident:
    with device.context.uow() as uow:
        found = uow.session.get(Resident, resident_id)
        assert found is not None
        return found


# --- comparing databases ------------------------------------------------------------------------------------


def _canonical(value: object) -> object:
    """A value as both engines give it back alike (as app.store.move compares them)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def synced_content(device: Device) -> dict[str, list[tuple[object, ...]]]:
    """Return every synced table's rows, sorted by id: what must be equal on all devices (on either engine)."""
    with device.context.uow().reading() as uow:
        connection = uow.session.connection()
        return {
            table.name: sorted(
                (tuple(_canonical(value) for value in row) for row in connection.execute(table.select())),
                key=lambda row: str(row[0]),
            )
            for table in (model.__table__ for model in SYNCED_TABLES)  # type: ignore[attr-defined]
        }


def content_digest(where: Device | Path) -> str:
    """Return a digest of every table of the database (synced and local), for "exactly as before".

    A file (a device's or a backup's): every table SQLite holds, read from the file; a center on a server: every
    table of the schema (app.store.move's digest, the one ``center move-to`` checks).
    """
    if isinstance(where, Device):
        if where.on_server:
            return database_digest(where.context.database.engine)[1]
        where = where.path
    connection = sqlite3.connect(where)
    try:
        digest = hashlib.sha256()
        tables = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for line in sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"')):
                digest.update(line.encode())  # sorted: tables without rowid (resident_facts) have no rowid order
        return digest.hexdigest()
    finally:
        connection.close()
