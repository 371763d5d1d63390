"""Roster import — 名单导入: read a .xlsx or .csv roster, preview every row's problems, import the rest.

:func:`read_roster` reads the file (CSV in UTF-8 with or without BOM, or GBK/GB18030; the first sheet of
an .xlsx workbook) into numbered rows; :func:`preview_roster` checks every row — including ID numbers
already in the center — without writing; :func:`import_roster` writes the valid rows in one
transaction (nothing with ``dry_run``).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from app.domain.i18n import register, t
from app.domain.permissions import Action
from app.domain.residents import PeriodReason
from app.domain.roster import RosterCheck, RosterProblem, check_roster
from app.domain.roster_files import (
    MAX_COLUMNS,
    NumberedRow,
    RosterUnreadable,
    bounded_rows,
    decode_csv_bytes,
    parse_csv_text,
)
from app.services.records.load import get_live, permit
from app.services.records.residents import add_resident, existing_id_numbers
from app.store.models import Institution
from app.store.uow import UnitOfWork

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from openpyxl import Workbook

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused: a roster of a few thousand residents is well under a megabyte."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""A workbook whose parts unpack to more is refused before it is opened (a 20 000-row roster is ~10 MB)."""
MAX_WHOLE_PART_BYTES = 8 * 1024 * 1024
"""Bytes of the parts openpyxl parses whole into memory (content types, relationships, workbook, properties,
styles, theme), all together: ~15 bytes of memory each (a 185 KB workbook whose styles.xml unpacked to 59 MB
of cell formats used 920 MB for 37 s). An ordinary workbook has well under 1 MB of them."""
MAX_SHARED_STRINGS = 300_000
"""Entries of the shared-string table, which openpyxl keeps in memory as a list (~160 bytes each): a 616 KB
workbook with 14 million tiny entries used 2.3 GB for 2 min 52 s. A 20 000-row roster has a few per row."""
MAX_SHARED_STRING_BYTES = 32 * 1024 * 1024
"""Unpacked bytes of the shared-string table (a 20 000-row roster with a 320-character notes column: ~20 MB)."""

register(
    {
        "roster.reason.whole_parts": {
            "zh_CN": "样式等部件解压后超过 {limit} MB",
            "en": "its styles and other parts unpack to more than {limit} MB",
        },
        "roster.reason.shared_strings": {
            "zh_CN": "共享文本超过 {count} 条或 {limit} MB",
            "en": "it has more than {count} shared texts or more than {limit} MB of them",
        },
    }
)


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
    damaged = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, EOFError, SyntaxError, AttributeError)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise RosterUnreadable(
                "roster.bad_xlsx", path=path, reason=f"> {MAX_UNPACKED_BYTES // (1024 * 1024)} MB unpacked"
            )
        workbook = _load_bounded(path)
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


def _load_bounded(path: Path) -> Workbook:
    """Open ``path`` read-only as :func:`openpyxl.load_workbook` does, with the parts it loads whole bounded.

    openpyxl reads every part but the sheets whole into memory (``archive.read``) and keeps the shared-string
    table as a list (``archive.open`` while the workbook is loaded): both are bounded here, through the
    archive it reads, so a small hostile workbook is refused instead of using gigabytes. The sheet itself
    is streamed afterwards (:func:`bounded_rows` bounds it). External links are not read.

    Raises:
        RosterUnreadable: a limit is exceeded.
    """
    from openpyxl.reader.excel import ExcelReader  # ~0.2 s to import; only when a workbook is read

    reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
    bounded = _BoundedArchive(reader.archive, path)
    reader.archive = bounded
    try:
        reader.read()
    except BaseException:
        bounded.close()
        raise
    bounded.loading = False  # from now on only the sheet is opened, and streamed
    return reader.wb


class _BoundedArchive:
    """A workbook's zip archive as openpyxl reads it, refusing more than the limits while it is loaded."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self._archive = archive
        self._path = path
        self._whole_bytes = 0
        self.loading = True

    def __getattr__(self, name: str) -> object:
        return getattr(self._archive, name)

    def read(self, name: str | zipfile.ZipInfo) -> bytes:
        if self.loading:
            self._whole_bytes += self._archive.getinfo(name).file_size if isinstance(name, str) else name.file_size
            if self._whole_bytes > MAX_WHOLE_PART_BYTES:
                raise RosterUnreadable(
                    "roster.bad_xlsx",
                    path=self._path,
                    reason=t("roster.reason.whole_parts", limit=MAX_WHOLE_PART_BYTES // (1024 * 1024)),
                )
        return self._archive.read(name)

    def open(self, name: str | zipfile.ZipInfo, mode: str = "r") -> IO[bytes] | io.RawIOBase:
        stream = self._archive.open(name, mode)  # type: ignore[arg-type]
        return _CountedStrings(stream, self._path) if self.loading else stream

    def close(self) -> None:
        self._archive.close()


class _CountedStrings(io.RawIOBase):
    """The shared-string table as openpyxl parses it, refused past :data:`MAX_SHARED_STRINGS` entries or bytes."""

    _ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")

    def __init__(self, stream: IO[bytes], path: Path) -> None:
        self._stream = stream
        self._path = path
        self._tail = b""
        self._entries = 0
        self._bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(len(view))
        self._bytes += len(data)
        window = self._tail + data
        self._entries += sum(1 for match in self._ENTRY.finditer(window) if match.end() > len(self._tail))
        self._tail = window[-64:]
        if self._entries > MAX_SHARED_STRINGS or self._bytes > MAX_SHARED_STRING_BYTES:
            raise RosterUnreadable(
                "roster.bad_xlsx",
                path=self._path,
                reason=t(
                    "roster.reason.shared_strings",
                    count=MAX_SHARED_STRINGS,
                    limit=MAX_SHARED_STRING_BYTES // (1024 * 1024),
                ),
            )
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


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
                    uow,
                    entry.identity,
                    institution_id,
                    entry.bed,
                    entry.admission_date,
                    day,
                    PeriodReason.ROSTER_IMPORT,
                )
                ids.append(resident.id)
                periods.append(period)
            uow.session.flush()
            uow.session.add_all(periods)
            uow.commit()
        return RosterResult(
            institution_id=institution.id,
            institution_name=institution.name,
            check=check,
            imported=0 if dry_run else len(ids),
            dry_run=dry_run,
            resident_ids=tuple(ids),
        )
