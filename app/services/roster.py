"""Roster import — 名单导入: read a .xlsx or .csv roster, preview every row's problems, import the rest.

:func:`read_roster` reads the file (CSV in UTF-8 with or without BOM, or GBK/GB18030; the first sheet of
an .xlsx workbook) into numbered rows; :func:`preview_roster` checks every row — including ID numbers
already in the center — without writing; :func:`import_roster` writes the valid rows in one
transaction (nothing with ``dry_run``).
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.domain.permissions import Action
from app.domain.residents import PeriodReason
from app.domain.roster import (
    MAX_COLUMNS,
    NumberedRow,
    RosterCheck,
    RosterProblem,
    RosterUnreadable,
    bounded_rows,
    check_roster,
    decode_csv_bytes,
    parse_csv_text,
)
from app.services.records import get_live, permit
from app.services.residents import add_resident, existing_id_numbers
from app.store.models import Institution
from app.store.uow import UnitOfWork

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused: a roster of a few thousand residents is well under a megabyte."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""A workbook whose parts unpack to more is refused before it is opened (a 20 000-row roster is ~10 MB)."""


@dataclass(frozen=True)
class RosterFile:
    """The rows of a roster file as read, before any check."""

    path: Path
    rows: list[NumberedRow]
    encoding: str  # "xlsx", "utf-8", "utf-8-sig", "gb18030", "utf-16"


@dataclass(frozen=True)
class RosterResult:
    """What an import did (or, with ``dry_run``, would do)."""

    institution_id: str
    institution_name: str
    check: RosterCheck
    imported: int
    dry_run: bool
    resident_ids: tuple[str, ...] = ()

    @property
    def problems(self) -> list[RosterProblem]:
        return self.check.problems

    @property
    def rejected(self) -> int:
        return len(self.check.rejected_rows)


def read_roster(path: Path) -> RosterFile:
    """Read the rows of a roster file, within the input limits (docs/security.md, "Input limits").

    Workbooks are streamed (openpyxl's read-only mode) and CSV text is split row by row; reading stops at
    the first row past :data:`~app.domain.roster.MAX_ROWS` or the first cell over
    :data:`~app.domain.roster.MAX_CELL_CHARS` characters, so a huge or hostile file is refused early
    without filling the memory.

    Raises:
        RosterUnreadable: not .xlsx or .csv, too large, too many rows, a cell too long, not decodable,
            a damaged workbook, empty.
        OSError: the file cannot be opened.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise RosterUnreadable("roster.unsupported", suffix=suffix or path.name)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise RosterUnreadable("roster.bad_xlsx", path=path, reason=f"> {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if suffix in (".xlsx", ".xlsm"):
        rows, encoding = _read_xlsx(path), "xlsx"
    else:
        text, encoding = decode_csv_bytes(path.read_bytes(), path=str(path))
        rows = parse_csv_text(text, path=str(path))
        del text
    if not any(any(str(cell).strip() for cell in cells if cell is not None) for _, cells in rows):
        raise RosterUnreadable("roster.empty", path=path)
    return RosterFile(path, rows, encoding)


def _read_xlsx(path: Path) -> list[NumberedRow]:
    from openpyxl import load_workbook  # ~0.2 s to import; only when a workbook is read

    damaged = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, EOFError, SyntaxError, AttributeError)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise RosterUnreadable(
                "roster.bad_xlsx", path=path, reason=f"> {MAX_UNPACKED_BYTES // (1024 * 1024)} MB unpacked"
            )
        workbook = load_workbook(path, read_only=True, data_only=True)
    except damaged as error:
        raise RosterUnreadable("roster.bad_xlsx", path=path, reason=str(error) or type(error).__name__) from None
    try:
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        return bounded_rows(enumerate(cells, start=1), path=path)
    except damaged as error:
        raise RosterUnreadable("roster.bad_xlsx", path=path, reason=str(error) or type(error).__name__) from None
    finally:
        workbook.close()


def preview_roster(
    uow: UnitOfWork, *, roster: RosterFile, institution_id: str, today: date | None = None
) -> RosterResult:
    """Check every row of ``roster`` for ``institution_id`` and write nothing.

    Raises:
        RosterUnreadable: no usable header row.
        NotFound: no such institution.
    """
    return import_roster(uow, roster=roster, institution_id=institution_id, today=today, dry_run=True)


def import_roster(
    uow: UnitOfWork, *, roster: RosterFile, institution_id: str, today: date | None = None, dry_run: bool = False
) -> RosterResult:
    """Import the valid rows of ``roster`` as residents of ``institution_id`` in one transaction.

    Each resident's stay starts on the admission date in the file, or today when none is given.

    Raises:
        RosterUnreadable: no usable header row.
        NotFound: no such institution.
    """
    day = today or date.today()
    check = check_roster(roster.rows, today=day, encoding=roster.encoding)
    with uow:
        permit(uow, Action.IMPORT_ROSTER)
        institution = get_live(uow, Institution, institution_id)
        existing = existing_id_numbers(uow, [entry.identity.id_number for entry in check.entries])
        check = check.reject_existing(existing)
        ids: list[str] = []
        if not dry_run and check.entries:
            periods = []
            for entry in check.entries:
                resident, period = add_resident(
                    uow, entry.identity, institution_id, entry.bed, entry.admission_date, day,
                    PeriodReason.ROSTER_IMPORT,
                )
                ids.append(resident.id)
                periods.append(period)
            uow.session.flush()
            uow.session.add_all(periods)
            uow.commit()
        return RosterResult(
            institution_id=institution.id, institution_name=institution.name, check=check,
            imported=0 if dry_run else len(ids), dry_run=dry_run, resident_ids=tuple(ids),
        )
