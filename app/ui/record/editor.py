"""What the record's tabs may use of the dialog that holds them.

The tabs are built with the dialog as their parent and call back into it (save through it, read the record it
loaded). They see it through this base class, which the dialog implements, so no tab imports the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from app.bootstrap import AppContext
    from app.services.homecare.record import RecordHomecare
    from app.services.records.load import ResidentRecord


class RecordEditor(QDialog):
    """The record dialog as its tabs see it: the record loaded, the lists for choices, saving, the day."""

    record: ResidentRecord | None
    homecare: RecordHomecare | None
    """The open family bed and the medications' supply, loaded with the record (None: not loaded)."""
    institutions: list[Any]
    doctors: list[Any]
    initial_institution_id: str | None

    def today(self) -> date:
        """Return the day rules are checked against."""
        raise NotImplementedError

    @property
    def context(self) -> AppContext:
        """The open database, acting for the signed-in staff member."""
        raise NotImplementedError

    def existing_id(self) -> str:
        """Return the id of the resident shown (the sections save only a resident already added)."""
        raise NotImplementedError

    def visit_corrected(self) -> None:
        """A visit was corrected on the Visits tab: reload what may have followed from it."""
        raise NotImplementedError

    def submit(self, tab: Any, work: Callable[[Any], object], *, done: Callable[[object], None] | None = None) -> None:
        """Run ``work(uow)`` on the database thread as one action; then reload, or show why it was refused."""
        raise NotImplementedError
