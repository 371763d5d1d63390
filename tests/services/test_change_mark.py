"""The change mark a page polls to know that someone else changed something (#20), on both engines."""

from __future__ import annotations

from pathlib import Path

from app.bootstrap import open_context
from app.services.dashboard import change_mark
from app.services.institutions import save_institution


def test_the_mark_moves_with_another_workstations_change_and_not_with_reads(db_target: Path | str) -> None:
    here, there = open_context(db_target), open_context(db_target)  # two workstations (or two windows)
    try:
        before = change_mark(here.uow())
        assert change_mark(here.uow()) == before  # reading changes nothing
        save_institution(there.uow(), name="康宁养老院", kind="nursing_home", beds=100)
        after = change_mark(here.uow())
        assert after != before and after > before
        save_institution(there.uow(), name="枫林敬老院", kind="nursing_home", beds=80)
        assert change_mark(here.uow()) > after
    finally:
        here.close()
        there.close()
