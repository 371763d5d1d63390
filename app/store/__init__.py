"""Persistence: SQLModel tables, the database file, migrations and the unit of work."""
