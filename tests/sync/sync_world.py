"""Small centers of two to four devices for the sync tests: a workstation and laptops that joined it.

Imported by the sync tests (``from sync_world import ...``) and by ``conftest.py`` for the fixtures.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import select

from app.bootstrap import AppContext, open_context
from app.services.admin.center import set_up_center
from app.services.sync.join import invite_device, join_center
from app.store.models import SYNCED_TABLES, Institution, Resident, Visit
from app.store.sqlite import sqlite3

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
    """One install of the app: its database file and the open context."""

    name: str
    path: Path
    context: AppContext

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


def copy_center(paths: list[Path], folder: Path, count: int | None = None) -> list[Path]:
    """Copy the first ``count`` closed databases of a center into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in paths[: count or len(paths)]:
        target = folder / path.name
        shutil.copyfile(path, target)
        copies.append(target)
    return copies


def open_devices(paths: list[Path]) -> list[Device]:
    """Open the copied databases; the workstation forgets invitations of laptops not in this center copy."""
    devices = [Device(path.stem, path, open_context(path)) for path in paths]
    connection = sqlite3.connect(paths[0])
    with connection:
        connection.executemany(
            "DELETE FROM sync_peer WHERE last_seen IS NULL AND sent_watermark != '' AND name = ?",
            [(f"laptop {number}",) for number in range(len(paths), 8)],
        )
    connection.close()
    return devices


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


def synced_content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Return every synced table's rows, sorted by id: what must be equal on all devices."""
    connection = sqlite3.connect(path)
    try:
        return {
            model.__tablename__: connection.execute(  # type: ignore[attr-defined]
                f'SELECT * FROM "{model.__tablename__}" ORDER BY id'  # type: ignore[attr-defined]
            ).fetchall()
            for model in SYNCED_TABLES
        }
    finally:
        connection.close()


def content_digest(path: Path) -> str:
    """Return a digest of every table of the database (synced and local), for "exactly as before"."""
    connection = sqlite3.connect(path)
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
