"""The SQLite library of the whole app: SQLCipher's (``sqlcipher3``), imported as ``sqlite3``.

Every connection the app makes — the engine's, sync's bulk connection, backups, restore and integrity
checks — goes through this one library, for two reasons: an encrypted database needs SQLCipher, and two
copies of SQLite in one process do not see each other's POSIX locks (closing a descriptor in one copy
drops the locks the other holds: SQLite's "How To Corrupt", §2.2.1). Without a key SQLCipher is plain
SQLite, so plain databases work as before. Its API is the standard library's, so type checking uses
the standard library's stubs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3 as sqlite3
else:
    from sqlcipher3 import dbapi2 as sqlite3

__all__ = ["sqlite3"]
