"""Resident search on a PostgreSQL server gives the file's pages, query by query (#20).

The server answers in one statement (``queries/records.py``), the file by its own paths (the FTS5 trigram index,
or list order for short and frequent queries): every page of short and empty queries, with and without filters,
must be the SQLite file's for the same center. Marked ``postgres``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from app.bootstrap import open_context
from app.domain.colours import TriageColour
from app.services.institutions import list_institutions
from app.services.records.search import search_residents

pytestmark = pytest.mark.postgres

DEMO_DAY = date(2026, 11, 16)
PAGE = 20


def test_every_page_of_short_and_empty_queries_is_the_files(
    pg_database: Callable[[Path | None], str], demo_center: Callable[..., Path]
) -> None:
    template = demo_center(residents=300, seed=7, today=DEMO_DAY)
    server, on_file = open_context(pg_database(template)), open_context(template)
    try:
        everyone = search_residents(on_file.uow(), statuses=None)
        queries = {""} | {row.name[:1] for row in everyone} | {row.id_number[-2:] for row in everyone[:40]}
        queries |= {"z", "zh", "l", "A", "A-", "1", "X", "%", "_", "|"}
        home = list_institutions(on_file.uow())[0].id
        for query in sorted(queries):
            for options in ({}, {"institution_id": home}, {"statuses": None}, {"colour": TriageColour.GREEN}):
                expected = search_residents(on_file.uow(), text=query, **options)  # type: ignore[arg-type]
                found = search_residents(server.uow(), text=query, **options)  # type: ignore[arg-type]
                assert [r.id for r in found] == [r.id for r in expected], (query, options)
                assert found == expected, (query, options)
                for offset in range(0, min(len(expected), 3 * PAGE), PAGE):
                    paged = search_residents(server.uow(), text=query, limit=PAGE, offset=offset, **options)  # type: ignore[arg-type]
                    assert paged == expected[offset : offset + PAGE], (query, options, offset)
    finally:
        server.close()
        on_file.close()
