"""Drafts of the visit form: where they are kept, the thread that writes them, the values they hold.

A draft (:class:`~app.services.visits.drafts.Draft`) holds the form's values
(:meth:`~app.ui.visits.form.VisitForm.values`): the keys are the form's field names; texts as typed (numbers as
text), check boxes as booleans, choices as their values. A saved visit shown for a correction is turned into
the same mapping (:func:`entry_values`). Drafts are written on their own one-thread pool (:func:`drafts_pool`),
in order, never behind a long query, next to the database file, per signed-in person (:func:`draft_store_for`).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from app.domain.visits import VITAL_FIELDS, VisitEntry
from app.services.visits.drafts import Draft, DraftStore
from app.ui.shell.tasks import Op
from app.ui.visits.notes import TEXT_FIELDS

if TYPE_CHECKING:
    from app.bootstrap import AppContext

DRAFT_DELAY_MS = 500
"""Typing pauses longer than this write the draft."""

log = logging.getLogger(__name__)

_drafts_pool: QThreadPool | None = None


def drafts_pool() -> QThreadPool:
    """Return the one-thread pool that writes draft files, in order, apart from the database thread."""
    global _drafts_pool
    if _drafts_pool is None or not shiboken6.isValid(_drafts_pool):
        _drafts_pool = QThreadPool(QCoreApplication.instance())
        _drafts_pool.setObjectName("carerounds-drafts")
        _drafts_pool.setMaxThreadCount(1)
    return _drafts_pool


def draft_store_for(context: AppContext) -> DraftStore:
    """Return the signed-in person's drafts next to the context's database file (others' are not offered)."""
    return DraftStore(Path(context.database.path), author_id=context.actor_id)


class DraftWriter(QObject):
    """Writes and removes drafts on the drafts thread, and remembers which removals are under way.

    Args:
        parent: the editor (a result arriving after it is gone is dropped).

    Signals:
        written(str): a draft file was written (its path).
        removed(str): the resident id whose draft was deleted.
    """

    written = Signal(str)
    removed = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._removing: list[tuple[str, str | None]] = []

    def removing(self) -> set[tuple[str, str | None]]:
        """The (resident, round) whose draft is being removed after a save: a load meanwhile must not restore it."""
        return set(self._removing)

    def write(self, store: DraftStore, draft: Draft) -> None:
        Op(self, lambda: str(store.save(draft)), pool=drafts_pool()).success(self.written.emit).failure(
            lambda error: log.warning("cannot write the visit draft: %s", error)
        ).run()

    def remove(self, store: DraftStore, resident_id: str, round_id: str | None) -> None:
        key = (resident_id, round_id)
        self._removing.append(key)

        def removed(_removed: object) -> None:
            self._removing.remove(key)
            self.removed.emit(resident_id)

        def failed(error: BaseException) -> None:
            self._removing.remove(key)
            log.warning("cannot remove the visit draft: %s", error)

        Op(self, lambda: store.delete(resident_id, round_id), pool=drafts_pool()).success(removed).failure(failed).run()


def entry_values(entry: VisitEntry, *, visit_date: date, late_reason: str = "") -> dict[str, Any]:
    """Return a saved visit as the form's values (:meth:`VisitForm.values`)."""
    values: dict[str, Any] = {
        "outcome": entry.outcome,
        "visit_date": visit_date.isoformat(),
        "late_reason": late_reason,
        "glucose_fasting": entry.glucose_fasting,
        "chronic_class": entry.chronic_class,
        "chronic_touched": True,
        "follow_ups": dict(entry.follow_ups),
        "adherence": entry.adherence,
        "lifestyle_advice": entry.lifestyle_advice,
        "height": "" if entry.height is None else f"{entry.height:g}",
        "foot_pulse": entry.foot_pulse,
        "next_visit_note": entry.next_visit_note,
    }
    for name in VITAL_FIELDS:
        value = getattr(entry, name)
        values[name] = "" if value is None else f"{value:g}"
    for name in TEXT_FIELDS:
        values[name] = getattr(entry, name)
    referral = entry.referral
    values.update(
        referral_destination=referral.destination if referral else "",
        referral_reason=referral.reason if referral else "",
        referral_urgent=bool(referral and referral.urgent),
        referral_green_channel=bool(referral and referral.green_channel),
    )
    return values
