"""Drafts of visit forms — 草稿: what a nurse is typing survives a crash, a kill or a flat battery.

While a visit form is being typed, the screen saves what is in it (texts as typed, even half-finished or
invalid ones) as a small JSON file, one per resident and round, in a ``drafts/`` folder next to the
database file. Each write is atomic: the JSON goes to a temporary file in the same folder, is flushed and
``fsync``-ed, then ``os.replace``-d over the draft, and the folder is ``fsync``-ed — so a draft on disk is
always either the previous complete version or the new complete version, never half of one. Saving the
visit deletes its draft; on the next start the visit page offers the drafts that are left.

File names start with the database file's stem, so two databases in one folder keep their drafts apart.
Nothing here touches the database.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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
    """

    resident_id: str
    round_id: str | None
    values: Mapping[str, Any] = field(default_factory=dict)
    resident_name: str = ""
    label: str = ""
    corrects_id: str | None = None
    saved_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": DRAFT_SCHEMA,
            "resident_id": self.resident_id,
            "round_id": self.round_id,
            "resident_name": self.resident_name,
            "label": self.label,
            "corrects_id": self.corrects_id,
            "saved_at": self.saved_at,
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
        return cls(
            resident_id=data["resident_id"],
            round_id=round_id if isinstance(round_id, str) else None,
            values=values,
            resident_name=str(data.get("resident_name", "")),
            label=str(data.get("label", "")),
            corrects_id=corrects_id if isinstance(corrects_id, str) else None,
            saved_at=str(data.get("saved_at", "")),
        )


def drafts_folder(database_path: Path) -> Path:
    """Return the drafts folder of the database at ``database_path`` (``drafts/`` next to it)."""
    return Path(database_path).resolve().parent / DRAFTS_FOLDER


class DraftStore:
    """The visit drafts of one database file.

    Args:
        database_path: the database file; drafts live in ``drafts/`` next to it.
    """

    def __init__(self, database_path: Path) -> None:
        self.folder = drafts_folder(database_path)
        self.prefix = _safe(Path(database_path).stem)

    def path_for(self, resident_id: str, round_id: str | None) -> Path:
        """Return the file of the draft for ``resident_id`` at ``round_id`` (None: outside a round)."""
        return self.folder / f"{self.prefix}--{_safe(resident_id)}--{_safe(round_id or 'none')}.json"

    def save(self, draft: Draft) -> Path:
        """Write ``draft`` atomically (temporary file, flush, fsync, replace, fsync the folder).

        Returns:
            The draft's file.

        Raises:
            OSError: the folder or file cannot be written (disk full, no permission).
        """
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self.path_for(draft.resident_id, draft.round_id)
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
        _fsync_folder(self.folder)
        return target

    def load(self, resident_id: str, round_id: str | None) -> Draft | None:
        """Return the draft for ``resident_id`` at ``round_id``, or None (also when it cannot be read)."""
        return _read(self.path_for(resident_id, round_id))

    def all(self) -> list[Draft]:
        """Return every readable draft of this database, the most recently saved first.

        Unreadable files are left alone (and logged); leftover temporary files of killed writes are removed.
        """
        if not self.folder.is_dir():
            return []
        drafts = []
        now = time.time()
        for path in self.folder.iterdir():
            if path.name.startswith(TEMP_PREFIX):
                with contextlib.suppress(OSError):
                    if now - path.stat().st_mtime > STALE_TEMP_SECONDS:
                        path.unlink()
                continue
            if path.suffix != ".json" or not path.name.startswith(f"{self.prefix}--"):
                continue
            draft = _read(path)
            if draft is not None:
                drafts.append(draft)
        drafts.sort(key=lambda draft: draft.saved_at, reverse=True)
        return drafts

    def delete(self, resident_id: str, round_id: str | None) -> bool:
        """Remove the draft for ``resident_id`` at ``round_id``; return whether there was one."""
        path = self.path_for(resident_id, round_id)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_folder(self.folder)
        return True


def _stamped(draft: Draft) -> Draft:
    moment = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    return Draft(
        draft.resident_id, draft.round_id, draft.values, draft.resident_name, draft.label, draft.corrects_id, moment
    )


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


def _fsync_folder(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
