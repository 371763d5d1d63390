"""Query modules by capability: every SQL statement the services run, one module per capability.

Each function takes an open unit of work (sync's bulk work: a ``SyncConnection``) and plain values and returns
plain rows (tuples), values or models.
"""
