"""Database failures for the user interface: the store's translation of SQLite's errors (busy, disk full, ...).

The user interface may not import the store; it reaches :func:`app.store.errors.store_error` through here.
"""

from __future__ import annotations

from app.store.errors import DatabaseBusy, DatabaseReadOnly, DatabaseVanished, DiskFull, StoreError, store_error

__all__ = ["DatabaseBusy", "DatabaseReadOnly", "DatabaseVanished", "DiskFull", "StoreError", "store_error"]
