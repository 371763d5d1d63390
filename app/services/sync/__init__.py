"""Sync by file — 同步: export and import packages, apply their rows, conflicts, joining a device.

Uses app.sync (packages, clocks, vectors) and the store's sync query modules; nothing above services.
"""
