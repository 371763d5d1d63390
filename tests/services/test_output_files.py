"""The output-file rule itself (app/services/output_files.py), as the window's save dialogs use it."""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import AppContext
from app.domain.i18n import set_language
from app.services import output_files
from app.services.output_files import OutputKind, OutputRefused, atomic_output, check_output
from app.services.sync.exchange import export_package
from app.services.sync.join import invite_device
from app.store.sqlite import sqlite3


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "center.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    return path


def test_the_live_database_is_recognised_without_opening_it(
    live: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    real = output_files.read_head
    monkeypatch.setattr(output_files, "read_head", lambda path, size=16: opened.append(Path(path)) or real(path, size))
    hard = tmp_path / "hard.pdf"
    os.link(live, hard)
    names = [
        live,
        hard,
        tmp_path / "sub" / ".." / live.name,
        live.with_name(live.name + "-shm"),
        live.with_name(live.name + "-journal"),
    ]
    (tmp_path / "sub").mkdir()
    for name in names:
        with pytest.raises(OutputRefused) as refused:
            check_output(name, kind=OutputKind.PDF, database=live, force=True)
        assert refused.value.key == "output.is_database" and str(name) in str(refused.value)
    assert opened == []


def test_kinds(live: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert check_output(pdf, kind=OutputKind.PDF, database=live) == pdf
    with pytest.raises(OutputRefused) as refused:
        check_output(pdf, kind=OutputKind.BACKUP, database=live)
    assert refused.value.key == "output.other_kind"
    with pytest.raises(OutputRefused) as refused:
        check_output(tmp_path, kind=OutputKind.PDF, database=live)
    assert refused.value.key == "output.folder"
    assert check_output(tmp_path / "new.pdf", kind=OutputKind.PDF, database=live) == tmp_path / "new.pdf"
    wal = tmp_path / "x.sqlite-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    with pytest.raises(OutputRefused, match="SQLite"):
        check_output(wal, kind=OutputKind.PDF, database=live, force=True)


def test_a_server_backup_is_never_replaced_not_even_with_force(tmp_path: Path) -> None:
    """A pg_dump archive (``backup --db postgresql://…``, #20) is a backup: before, --force replaced it."""
    archive = tmp_path / "center.dump"
    archive.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(56))
    for kind in (OutputKind.BACKUP, OutputKind.PDF):
        for force in (False, True):
            with pytest.raises(OutputRefused) as refused:
                check_output(archive, kind=kind, database=None, force=force)
            assert refused.value.key == "output.is_server_backup" and str(archive) in str(refused.value)


def test_atomic_output_is_owner_only_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF-old")
    with pytest.raises(RuntimeError), atomic_output(target) as (handle, _):
        handle.write(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"%PDF-old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]
    with atomic_output(target) as (handle, _):
        handle.write(b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_services_the_window_calls_refuse_too(
    demo_center: Callable[..., Path], template_copy: Callable[[Path], AppContext], tmp_path: Path
) -> None:
    """The sync page and the preview call the services directly: they apply the rule themselves."""
    context = template_copy(demo_center(residents=15, seed=4, today=date(2026, 11, 16)))
    live = context.database.path
    other = tmp_path / "other.crsync"
    other.write_bytes(b"CRSYNC\r\n" + struct.pack(">I", 2) + b"{}" + bytes(28))
    for out in (live, live.with_name(live.name + "-wal"), other):
        before = out.read_bytes() if out != live and out.exists() else None
        with pytest.raises(OutputRefused):
            export_package(context.uow(), out=out)
        with pytest.raises(OutputRefused):
            invite_device(context.uow(), out=out, passphrase="Ward-7 round sheet", scrypt_n=2**10)
        if before is not None:
            assert out.read_bytes() == before
    summary = export_package(context.uow(), out=tmp_path)  # a folder: a new file in it
    assert summary.path.parent == tmp_path and summary.path.read_bytes().startswith(b"CRSYNC")


def test_the_log_files_of_a_database_opened_through_a_symbolic_link_are_refused(live: Path, tmp_path: Path) -> None:
    """SQLite resolves a symbolic link and keeps the log beside the real file, not beside the link's name.

    ``sync export --db link.sqlite --out center.sqlite-wal --force`` replaced the live log with the package
    (an empty or not yet created log is no SQLite file), and SQLite deleted it at close.
    """
    link = tmp_path / "link" / "alias.sqlite"
    link.parent.mkdir()
    link.symlink_to(live)
    empty_log = live.with_name(live.name + "-wal")
    empty_log.write_bytes(b"")  # a log SQLite has created but not written yet
    names = [empty_log, live.with_name(live.name + "-shm"), live.with_name(live.name + "-journal")]
    for name in names:
        with pytest.raises(OutputRefused) as refused:
            check_output(name, kind=OutputKind.SYNC, database=link, force=True)
        assert refused.value.key == "output.is_database"
