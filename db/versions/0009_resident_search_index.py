"""Search as you type from an index: a trigram full-text index of ``search_text``, and a covering list index.

``resident_search`` is an FTS5 table with the trigram tokenizer over ``resident.search_text`` (name, pinyin
initials, full pinyin, bed, last ID digits): a query of three characters or more finds its residents in the
index instead of reading every resident ("zhl", "201", "1234"). It is an *external content* table: it
stores only the index, the text stays in ``resident``. Triggers on ``resident`` keep it right whatever
writes the table (the services, a sync import, the demo), so it never needs a rebuild; it is not synced.
``resident_search_terms`` (fts5vocab) reads the index's trigrams: a two-character query is found as the
residents with a trigram starting with it.

``ix_resident_list`` replaces ``ix_resident_search``: each institution's residents in the list's order
(building, room, bed, name) with what a search filters on (status, colour, search text), so the whole list
or a one- or two-character query (the trigram index cannot help there) reads its first page in order from
this narrow index and stops, and then the wide rows of that page alone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LIST = "deleted, institution_id, building, room, bed, name, status, colour, search_text"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # the same search from pg_trgm's trigram index, which serves the LIKE '%…%' itself (no FTS table, no
        # triggers: PostgreSQL keeps its indexes); pg_trgm is a trusted extension: the database's owner may add it
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_resident_search_trgm ON resident USING gin (search_text gin_trgm_ops)")
        op.execute(f"CREATE INDEX ix_resident_list ON resident ({LIST})")
        op.execute("DROP INDEX ix_resident_search")
        return
    op.execute(
        "CREATE VIRTUAL TABLE resident_search USING fts5("
        "search_text, content='resident', content_rowid='rowid', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER resident_search_insert AFTER INSERT ON resident BEGIN "
        "INSERT INTO resident_search (rowid, search_text) VALUES (new.rowid, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER resident_search_delete AFTER DELETE ON resident BEGIN "
        "INSERT INTO resident_search (resident_search, rowid, search_text) "
        "VALUES ('delete', old.rowid, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER resident_search_update AFTER UPDATE OF search_text ON resident "
        "WHEN old.search_text IS NOT new.search_text BEGIN "
        "INSERT INTO resident_search (resident_search, rowid, search_text) "
        "VALUES ('delete', old.rowid, old.search_text); "
        "INSERT INTO resident_search (rowid, search_text) VALUES (new.rowid, new.search_text); END"
    )
    op.execute("INSERT INTO resident_search (resident_search) VALUES ('rebuild')")
    # the index's terms (trigrams) and where they occur: a two-character query is the trigrams starting with it
    op.execute("CREATE VIRTUAL TABLE resident_search_terms USING fts5vocab(resident_search, 'instance')")
    op.execute(f"CREATE INDEX ix_resident_list ON resident ({LIST})")
    op.execute("DROP INDEX ix_resident_search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_resident_search ON resident (deleted, status, search_text)")
        op.execute("DROP INDEX ix_resident_list")
        op.execute("DROP INDEX ix_resident_search_trgm")
        return
    op.execute("CREATE INDEX ix_resident_search ON resident (deleted, status, search_text)")
    op.execute("DROP INDEX ix_resident_list")
    for trigger in ("resident_search_insert", "resident_search_delete", "resident_search_update"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE resident_search_terms")
    op.execute("DROP TABLE resident_search")
