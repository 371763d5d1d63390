"""Drafts of visit forms — 草稿: what a nurse is typing survives a crash, a kill or a flat battery.

While a visit form is being typed, the screen saves what is in it (texts as typed, even half-finished or
invalid ones) as a small JSON file, one per resident and round, in a ``drafts/`` folder next to the
database file. Each write is atomic: the JSON goes to a temporary file in the same folder, is flushed and
``fsync``-ed, then ``os.replace``-d over the draft, and the folder is ``fsync``-ed — so a draft on disk is
always either the previous complete version or the new complete version, never half of one. Saving the
visit deletes its draft; on the next start the visit page offers the drafts that are left.

File names start with the database file's stem, so two databases in one folder keep their drafts apart.
Nothing here touches the database.

Drafts belong to the person who typed them: a store opened for a signed-in staff member writes files named
with their id and offers back only theirs (and files written before drafts had an author, which name
nobody). Another person signing in on the same computer is not offered them and does not overwrite them;
see docs/visits.md.
"""

from __future__ import annotations

import contextlib
import glob
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app.services.output_files import fsync_folder

log = logging.getLogger(__name__)

DRAFT_SCHEMA = 1
"""Version of the draft file layout this code writes and the newest it reads."""

DRAFTS_FOLDER = "drafts"
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 600
"""Temporary files older than this are leftovers of a write that was killed; they are removed."""

_SAFE = re.compile(r"[^0-9A-Za-z_-]")


@dataclass(frozen=True)
class Draft:
    """A visit form as it was being typed.

    Attributes:
        resident_id: whose visit.
        round_id: the round it belongs to, or None for a visit outside a round.
        values: the form's fields as typed (texts, check boxes), by field name.
        resident_name: shown when the draft is offered back.
        label: where it was typed (round and institution), shown when offered back.
        corrects_id: the visit being corrected, when the form was a correction.
        saved_at: when it was written (UTC, ISO 8601).
        author_id: the staff member who typed it; None in files written before drafts had an author.
    """

    resident_id: str
    round_id: str | None
    values: Mapping[str, Any] = field(default_factory=dict)
    resident_name: str = ""
    label: str = ""
    corrects_id: str | None = None
    saved_at: str = ""
    author_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": DRAFT_SCHEMA,
            "resident_id": self.resident_id,
            "round_id": self.round_id,
            "resident_name": self.resident_name,
            "label": self.label,
            "corrects_id": self.corrects_id,
            "saved_at": self.saved_at,
            "author_id": self.author_id,
            "values": dict(self.values),
        }

    @classmethod
    def from_json(cls, data: Any) -> Draft:
        """Read a draft file's content.

        Raises:
            ValueError: not a draft this version can read.
        """
        if not isinstance(data, dict) or not isinstance(data.get("resident_id"), str):
            raise ValueError("not a visit draft")
        schema = data.get("schema")
        if not isinstance(schema, int) or schema < 1 or schema > DRAFT_SCHEMA:
            raise ValueError(f"unknown draft schema {schema!r}")
        values = data.get("values")
        if not isinstance(values, dict):
            raise ValueError("draft values are not an object")
        round_id = data.get("round_id")
        corrects_id = data.get("corrects_id")
        author_id = data.get("author_id")
        return cls(
            resident_id=data["resident_id"],
            round_id=round_id if isinstance(round_id, str) else None,
            values=values,
            resident_name=str(data.get("resident_name", "")),
            label=str(data.get("label", "")),
            corrects_id=corrects_id if isinstance(corrects_id, str) else None,
            saved_at=str(data.get("saved_at", "")),
            author_id=author_id if isinstance(author_id, str) else None,
        )


def drafts_folder(database_path: Path) -> Path:
    """Return the drafts folder of the database at ``database_path`` (``drafts/`` next to it)."""
    return Path(database_path).resolve().parent / DRAFTS_FOLDER


class DraftStore:
    """The visit drafts of one database file, as one staff member sees them.

    Args:
        database_path: the database file; drafts live in ``drafts/`` next to it.
        author_id: the signed-in staff member: drafts are written as theirs and only theirs (and drafts of
            no one, from files older than authors) are read back. None (scripts, tests): every draft.
        clock: seconds since the epoch, as file modification times count them; tells how old a leftover
            temporary file is (tests give one of their own).
    """

    def __init__(
        self, database_path: Path, *, author_id: str | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.folder = drafts_folder(database_path)
        self.prefix = _safe(Path(database_path).stem)
        self.author_id = author_id
        self.clock = clock

    def path_for(self, resident_id: str, round_id: str | None) -> Path:
        """Return the file of this author's draft for ``resident_id`` at ``round_id`` (None: outside a round)."""
        stem = f"{self.prefix}--{_safe(resident_id)}--{_safe(round_id or 'none')}"
        return self.folder / (f"{stem}--{_safe(self.author_id)}.json" if self.author_id else f"{stem}.json")

    def _legacy_path(self, resident_id: str, round_id: str | None) -> Path:
        """The file a draft had before drafts had an author (no author in the name)."""
        return self.folder / f"{self.prefix}--{_safe(resident_id)}--{_safe(round_id or 'none')}.json"

    def _mine(self, draft: Draft) -> bool:
        return self.author_id is None or draft.author_id in (None, self.author_id)

    def save(self, draft: Draft) -> Path:
        """Write ``draft`` atomically (temporary file, flush, fsync, replace, fsync the folder).

        Returns:
            The draft's file.

        Raises:
            OSError: the folder or file cannot be written (disk full, no permission).
        """
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self.path_for(draft.resident_id, draft.round_id)
        if self.author_id is not None and draft.author_id != self.author_id:
            draft = replace(draft, author_id=self.author_id)
        stamped = draft if draft.saved_at else _stamped(draft)
        payload = json.dumps(stamped.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
        descriptor, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".json", dir=self.folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        fsync_folder(self.folder)
        return target

    def load(self, resident_id: str, round_id: str | None) -> Draft | None:
        """Return this author's draft for ``resident_id`` at ``round_id`` (or one written before drafts had an
        author), or None (also when it cannot be read)."""
        drafts = [d for d in map(_read, self._paths(resident_id, round_id)) if d is not None and self._mine(d)]
        return max(drafts, key=lambda d: d.saved_at) if drafts else None

    def all(self) -> list[Draft]:
        """Return every readable draft of this database and author, the most recently saved first.

        Drafts other staff members typed are not included (nor offered): they stay for their authors.

        Unreadable files are left alone (and logged); leftover temporary files of killed writes are removed.
        """
        if not self.folder.is_dir():
            return []
        drafts = []
        now = self.clock()
        for path in self.folder.iterdir():
            if path.name.startswith(TEMP_PREFIX):
                with contextlib.suppress(OSError):
                    if now - path.stat().st_mtime > STALE_TEMP_SECONDS:
                        path.unlink()
                continue
            if path.suffix != ".json" or not path.name.startswith(f"{self.prefix}--"):
                continue
            draft = _read(path)
            if draft is not None and self._mine(draft):
                drafts.append(draft)
        drafts.sort(key=lambda draft: draft.saved_at, reverse=True)
        return drafts

    def delete(self, resident_id: str, round_id: str | None) -> bool:
        """Remove this author's draft for ``resident_id`` at ``round_id`` (and one written before drafts had
        an author); return whether there was one. Other people's drafts stay."""
        removed = False
        for path in self._paths(resident_id, round_id):
            draft = _read(path)
            if path != self.path_for(resident_id, round_id) and (draft is None or not self._mine(draft)):
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            removed = True
        if removed:
            fsync_folder(self.folder)
        return removed

    def _paths(self, resident_id: str, round_id: str | None) -> list[Path]:
        """The files that may hold this author's draft: their own, one without an author, or (no author
        given) everybody's."""
        own, legacy = self.path_for(resident_id, round_id), self._legacy_path(resident_id, round_id)
        if self.author_id is not None:
            return [own, legacy]
        others = sorted(self.folder.glob(f"{glob.escape(legacy.stem)}--*.json")) if self.folder.is_dir() else []
        return [legacy, *others]


def _stamped(draft: Draft) -> Draft:
    return replace(draft, saved_at=datetime.now(timezone.utc).isoformat(timespec="milliseconds"))


def _read(path: Path) -> Draft | None:
    try:
        return Draft.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.warning("cannot read the visit draft %s: %s", path, error)
        return None


def _safe(text: str) -> str:
    return _SAFE.sub("_", text)[:80] or "_"
